/* imp_xls.c — .xls workbooks through libfreexl (see imp_xls.h): each row's cells read
 * into one row buffer and handed to the same callback as the .xlsx reader's. libfreexl
 * does not give merged areas: they are read here from the file itself (the compound
 * file's Workbook stream, its BOUNDSHEET and MERGEDCELLS records), and every cell an
 * area covers gets its top-left cell's value, as in the .xlsx reader (a sheet's nested
 * substreams, embedded charts, followed by BOF depth to its own EOF). Where the file
 * cannot be followed to them, the reason is kept (imp_xls_merges_lost) and the importer
 * warns: the covered cells are empty, never silently. The file is read once, at open; a
 * file whose sectors are each claimed by two things (xls_cfb.c) is refused there. */
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "imp_xls.h"
#include "utf8.h"
#include "xls_cfb.h"

typedef imp_xls_merge xls_merge;

enum {
    XLS_MERGES_MAX = 65536,       /* merged areas of one sheet */
    XLS_DEPTH_MAX = 8             /* substreams nested in one (Excel: a chart in a sheet, 2);
                                   * its message says 8 */
};

struct imp_xls {
    const void *h;
    unsigned int nsheets;
    xls_stream wb;                /* the Workbook stream, read from the file once at open */
    const char *wb_why;           /* or why it could not be (translated; wb then empty) */
    const char *lost;             /* why the last read's merged areas were not (all) read */
    unsigned char *kind;          /* each sheet's XLS_KIND_*, from the file; NULL if unknown */
};

/* What the file says of a sheet, beside what libfreexl reads of it. */
enum {
    XLS_KIND_CELLS = 0,           /* a worksheet (or macro sheet): its cells read */
    XLS_KIND_NONE,                /* a chart sheet or VB module: no cells (libfreexl gives
                                   * such a sheet no cell array, and an error on reading) */
    XLS_KIND_LOST                 /* libfreexl lost its cells: see sheet_kinds */
};

static int fail(char *err, size_t cap, const char *what, int rc) {
    snprintf(err, cap, _("%s (libfreexl error %d)"), gettext(what), rc);
    return -1;
}

static int embedded_sheet(const xls_stream *s);
static int unnested_copy(unsigned char *file, size_t n, const xls_stream *s);
static void sheet_kinds(imp_xls *x);
/* How a trial (libfreexl on the file in a child process) ended. */
enum { TRIAL_PASSED, TRIAL_CRASHED, TRIAL_TOO_LONG };
static int trial(imp_xls *x, const char *path, size_t size, unsigned *limit);
static int cell_has_text(unsigned char type);

/* libfreexl could not open the file (rc): the reason into err, named when a sheet holds
 * an embedded chart (libfreexl cannot read those); x freed. NULL. */
static imp_xls *open_fail(imp_xls *x, char *err, size_t cap, const char *what, int rc) {
    int k = x->wb_why ? 0 : embedded_sheet(&x->wb);
    if (k)
        snprintf(err, cap, _("sheet %d holds an embedded chart or object, which the .xls reader (libfreexl) "
                 "cannot read (libfreexl error %d); save the workbook as .xlsx and import that"), k, rc);
    else
        fail(err, cap, what, rc);
    imp_xls_free(x);
    return NULL;
}

imp_xls *imp_xls_open(int fd, char *err, size_t cap) {
    imp_xls *x = calloc(1, sizeof *x);
    if (!x) { snprintf(err, cap, "%s", _("out of memory")); return NULL; }
    /* the file read once: its Workbook stream, for the sheets' kinds, the merged areas and
     * the copy libfreexl reads when a sheet holds a chart */
    unsigned char *file = NULL;
    size_t n = 0;
    int damaged = 0;
    x->wb_why = xls_cfb_load(fd, &file, &n);
    if (!x->wb_why) x->wb_why = xls_cfb_workbook(file, n, &x->wb, &damaged);
    if (damaged) {                          /* libfreexl would read it as it comes */
        snprintf(err, cap, _("the file is damaged (%s): open it in Excel or WPS, save it again "
                             "and import that"), x->wb_why);
        free(file);
        imp_xls_free(x);
        return NULL;
    }
    int copy = x->wb_why ? -1 : unnested_copy(file, n, &x->wb);
    free(file);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", copy >= 0 ? copy : fd);
    unsigned limit;
    int tried = trial(x, path, n, &limit);
    if (tried != TRIAL_PASSED) {
        if (copy >= 0) close(copy);
        if (tried == TRIAL_CRASHED)
            snprintf(err, cap, "%s", _("the .xls reader (libfreexl) fails on this file: it is damaged; open it in "
                                       "Excel or WPS, save it again and import that"));
        else
            snprintf(err, cap, _("the .xls reader (libfreexl) did not finish reading this file within the time "
                                 "allowed (%u s of CPU time; it takes long over dates far from 1900, such as "
                                 "9999-12-31); save the workbook as .xlsx and import that"), limit);
        imp_xls_free(x);
        return NULL;
    }
    int rc = freexl_open(path, &x->h);
    if (copy >= 0) close(copy);             /* libfreexl has read it (and holds its own) */
    if (rc != FREEXL_OK)
        return open_fail(x, err, cap, N_("not a readable .xls workbook (corrupt, encrypted or not BIFF)"), rc);
    /* (libfreexl 1.0.6 may say FREEXL_OK and give no handle: an embedded chart, say) */
    if ((rc = freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &x->nsheets)) != FREEXL_OK)
        return open_fail(x, err, cap, N_("cannot read the workbook's sheets"), rc);
    if (!x->nsheets) {
        snprintf(err, cap, "%s", _("the workbook has no sheets"));
        imp_xls_free(x);
        return NULL;
    }
    if (x->nsheets > 65535) x->nsheets = 65535;
    sheet_kinds(x);
    return x;
}

void imp_xls_free(imp_xls *x) {
    if (!x) return;
    if (x->h) freexl_close(x->h);
    xls_stream_free(&x->wb);
    free(x->kind);
    free(x);
}

int imp_xls_sheets(const imp_xls *x) { return (int)x->nsheets; }

const char *imp_xls_merges_lost(const imp_xls *x) { return x->lost; }

const char *imp_xls_sheet_name(const imp_xls *x, int i) {
    const char *name = NULL;
    if (i < 0 || (unsigned)i >= x->nsheets ||
        freexl_get_worksheet_name(x->h, (unsigned short)i, &name) != FREEXL_OK || !name)
        return "?";
    return name;
}

/* ===== merged areas, from the file (libfreexl reads cells only) ===== */

static uint32_t u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static unsigned u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

static int by_row(const void *a, const void *b) {
    const xls_merge *x = a, *y = b;
    return (x->r1 > y->r1) - (x->r1 < y->r1);
}

/* One substream of a BIFF stream, from its BOF to its own EOF: a sheet's may hold
 * nested ones (an embedded chart: a BOF of type 0x0020 after an OBJ record, with its own
 * records and EOF), whose EOF is not the sheet's. depth is 1 for the substream's own
 * records (its BOF included), more inside a nested one. */
typedef struct {
    const unsigned char *b;
    size_t len, pos;
    unsigned type, rl, depth;
} biff_walk;

/* The next record at w->pos: 1 (w->type, w->rl, w->depth; w->pos moved past it), or 0
 * at the substream's own EOF (w->pos past it), or -1: the stream ends first (*why NULL)
 * or substreams nest deeper than XLS_DEPTH_MAX (*why says so, translated), or
 * WALK_TOO_LONG (< 0 too): the record at w->pos (not moved) is longer than BIFF8 allows,
 * where libfreexl stops reading without an error (*why NULL). */
enum { BIFF8_RECORD_MAX = 8224, WALK_TOO_LONG = -2 };
static int walk_next(biff_walk *w, const char **why) {
    *why = NULL;
    if (w->pos + 4 <= w->len && u16(w->b + w->pos + 2) > BIFF8_RECORD_MAX) return WALK_TOO_LONG;
    if (w->pos + 4 > w->len || w->pos + 4 + u16(w->b + w->pos + 2) > w->len) return -1;
    w->type = u16(w->b + w->pos);
    w->rl = u16(w->b + w->pos + 2);
    w->pos += 4 + w->rl;
    if (w->type == 0x0809) {                     /* a BOF: the first, or a nested substream */
        if (++w->depth > XLS_DEPTH_MAX) {
            *why = _("its records nest substreams (embedded charts) more than 8 deep");
            return -1;
        }
    } else if (w->type == 0x000A && w->depth > 0 && --w->depth == 0) {
        return 0;
    }
    return 1;
}

/* Whether a record of the sheet's own with this type may be rl bytes long: the cell
 * records of fixed size (BIFF3 to BIFF8) must be exactly theirs. libfreexl skips each
 * record by its length field, so a damaged one swallows the records it covers — whole
 * rows — without a word. Other types: any length. */
static int cell_length_ok(unsigned type, unsigned rl) {
    switch (type) {
    case 0x00FD: case 0x027E: return rl == 10;                  /* LABELSST, RK */
    case 0x0203: return rl == 14;                               /* NUMBER */
    case 0x0205: return rl == 8;                                /* BOOLERR */
    case 0x0201: return rl == 6;                                /* BLANK */
    case 0x0208: return rl == 16;                               /* ROW */
    case 0x00BD: return rl >= 12 && (rl - 6) % 6 == 0;          /* MULRK: 6 + 6 a cell */
    case 0x00BE: return rl >= 8 && (rl - 6) % 2 == 0;           /* MULBLANK: 6 + 2 a cell */
    default: return 1;
    }
}

/* The error of a record longer than BIFF8 allows at w->pos, in `part` (translated):
 * libfreexl stops reading there without a word, so the rows after it would be lost. -1. */
static int too_long(const biff_walk *w, const char *part, char *err, size_t cap) {
    snprintf(err, cap, _("%s hold a record of %u bytes at byte %zu of the Workbook stream, longer than "
             ".xls allows (8224): the .xls reader (libfreexl) stops there and the rows after it would be "
             "lost; save the workbook as .xlsx and import that"), part, u16(w->b + w->pos + 2), w->pos);
    return -1;
}

/* See imp_xls.h. */
int imp_xls_stream_merges(const unsigned char *wb, size_t len, int i, int nsheets, imp_xls_merge **out,
                          size_t *n, const char **why, char *err, size_t cap) {
    *out = NULL;
    *n = 0;
    *why = NULL;
    int rc = 0, r;
    /* the globals: their own BOUNDSHEET records give each sheet's BOF position */
    size_t at = SIZE_MAX;
    int sheets = 0;
    biff_walk w = {wb, len, 0, 0, 0, 0};
    if (len < 4 || u16(wb) != 0x0809) {
        *why = _("the workbook's global records do not start with a BOF record");
        return 0;
    }
    while ((r = walk_next(&w, why)) > 0)
        if (w.type == 0x0085 && w.depth == 1 && w.rl >= 4) {
            if (sheets == i) at = u32(wb + w.pos - w.rl);
            sheets++;
        }
    if (r == WALK_TOO_LONG) return too_long(&w, _("the workbook's global records"), err, cap);
    if (r < 0) *why = *why ? *why : _("the workbook's global records end before their EOF record");
    else if (sheets != nsheets) *why = _("its sheet list (BOUNDSHEET records) does not match the workbook's sheets");
    else if (len < 4 || at > len - 4 || u16(wb + at) != 0x0809) *why = _("the sheet's position does not hold the start of a sheet (BOF)");
    if (*why) return 0;
    /* the sheet's substream, from its BOF to its own EOF: its MERGEDCELLS records (Excel
     * writes at most 1027 areas in one, and more records for more; a longer list may go
     * on in CONTINUE records) */
    size_t have = 0;
    const char *partial = NULL;     /* a record or an area it skips: the rest are read */
    unsigned char *joined = NULL;   /* a MERGEDCELLS record with its CONTINUE records */
    w = (biff_walk){wb, len, at, 0, 0, 0};
    int nested = 0;                 /* a substream was nested in the sheet's */
    while (rc == 0 && (r = walk_next(&w, why)) > 0) {
        if (w.depth > 1) nested = 1;
        if (w.depth == 1 && !cell_length_ok(w.type, w.rl)) {
            snprintf(err, cap, _("the sheet's cell record at byte %zu of the Workbook stream (type 0x%04X) is "
                     "%u bytes long, which that record never is: the file is damaged, and rows after it may "
                     "be missing; save the workbook as .xlsx and import that"), w.pos - w.rl - 4, w.type, w.rl);
            rc = -1;
            break;
        }
        if (w.type != 0x00E5 || w.depth != 1) continue;    /* nested: not the sheet's */
        const unsigned char *d = wb + w.pos - w.rl;
        size_t dl = w.rl;
        if (dl < 2) { partial = _("a MERGEDCELLS record is shorter than its count of areas"); continue; }
        unsigned cnt = u16(d);
        size_t need = 2 + 8 * (size_t)cnt, q = w.pos, more = 0;
        while (dl + more < need && q + 4 <= len && u16(wb + q) == 0x003C && q + 4 + u16(wb + q + 2) <= len) {
            more += u16(wb + q + 2);
            q += 4 + u16(wb + q + 2);
        }
        if (more) {                                   /* the record and its CONTINUE records */
            unsigned char *p = realloc(joined, dl + more);
            if (!p) { snprintf(err, cap, "%s", _("out of memory")); rc = -1; break; }
            joined = p;
            memcpy(joined, d, dl);
            for (size_t c = w.pos, o = dl; c < q; c += 4 + u16(wb + c + 2)) {
                memcpy(joined + o, wb + c + 4, u16(wb + c + 2));
                o += u16(wb + c + 2);
            }
            d = joined;
            dl += more;
        }
        if (need > dl) partial = _("a MERGEDCELLS record is shorter than its count of areas");
        for (unsigned k = 0; k < cnt && 2 + 8 * (size_t)k + 8 <= dl; k++) {
            const unsigned char *m = d + 2 + 8 * (size_t)k;
            xls_merge a = {u16(m), u16(m + 2), u16(m + 4), u16(m + 6)};
            if (a.r2 < a.r1 || a.c2 < a.c1) {
                partial = _("a merged area ends before it starts");
                continue;
            }
            if (a.r1 == a.r2 && a.c1 == a.c2) continue;
            if (*n >= XLS_MERGES_MAX) {
                snprintf(err, cap, _("more than %d merged areas"), XLS_MERGES_MAX);
                rc = -1;
                break;
            }
            if (*n == have) {
                size_t nc = have ? have * 2 : 64;
                xls_merge *p = realloc(*out, nc * sizeof *p);
                if (!p) { snprintf(err, cap, "%s", _("out of memory")); rc = -1; break; }
                *out = p;
                have = nc;
            }
            (*out)[(*n)++] = a;
        }
    }
    free(joined);
    if (rc == 0 && r == WALK_TOO_LONG) rc = too_long(&w, _("the sheet's records"), err, cap);
    if (rc == 0 && r < 0 && !*why && w.depth == 1 && !nested) {
        /* the sheet's own records stop, and no substream was ever nested in it (an
         * embedded chart without its EOF would have taken the sheet's): cut or damaged */
        snprintf(err, cap, _("the sheet's records end before its EOF record (at byte %zu of the Workbook "
                 "stream): the file is cut short or damaged, and rows may be missing; save the workbook "
                 "as .xlsx and import that"), w.pos);
        rc = -1;
    }
    if (rc == 0 && r < 0 && !*why) *why = _("the sheet's records end before its EOF record");
    if (!*why) *why = partial;
    if (rc == 0 && *n > 1) qsort(*out, *n, sizeof **out, by_row);
    if (rc != 0) {                  /* nothing for the caller to free */
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* The merged areas of sheet i, read from the file (imp_xls_stream_merges on its Workbook
 * stream): the same contract; why also says when the file cannot be followed to the
 * stream. */
static int sheet_merges(imp_xls *x, int i, xls_merge **out, size_t *n, const char **why, char *err,
                        size_t cap) {
    int rc = 0;
    *out = NULL;
    *n = 0;
    if (!(*why = x->wb_why))
        rc = imp_xls_stream_merges(x->wb.bytes, x->wb.len, i, (int)x->nsheets, out, n, why, err, cap);
    return rc;
}

/* The number (1-based) of the first sheet of the file open as fd whose substream holds a
 * nested one (an embedded chart or object), or 0 (none, or the file cannot be followed).
 * libfreexl (1.0.6, 2.0) gives up on a sheet's records after a nested substream's EOF. */
static int embedded_sheet(const xls_stream *s) {
    int found = 0;
    const unsigned char *wb = s->bytes;
    size_t len = s->len;
    biff_walk w = {wb, len, 0, 0, 0, 0};
    const char *why;
    for (int k = 0; !found && w.pos + 4 <= len && u16(wb + w.pos) == 0x0809; k++) {
        int r;
        w.depth = 0;                                  /* substream k: 0 the globals */
        while ((r = walk_next(&w, &why)) > 0)
            if (w.depth > 1) break;
        if (w.depth > 1 && k > 0) found = k;
        if (r != 0) break;
    }
    return found;
}

/* Where libfreexl reads the workbook from. libfreexl (1.0.6, 2.0) gives up on a sheet
 * whose records hold a nested substream (an embedded chart: its BOF .. its own EOF), so
 * where a sheet has one, it reads a copy of the file in which every record of those
 * substreams has a type no reader knows (XLS_TYPE_UNKNOWN), stepped over like any record
 * libfreexl does not read; the lengths stay, and with them every offset in the file.
 * The patch follows the stream's sectors in the file (xls_cfb.h). The merged areas and
 * the sheets' kinds are still read from the file itself, which follows the nesting. A
 * sheet whose records end before its own EOF (a chart without its EOF took the sheet's)
 * is left as it is, and so are the sheets after it. file (n bytes, the caller's) is the
 * file s was read from, patched here in place. Returns an fd of an unlinked temporary
 * file holding the copy (the caller closes it), or -1: no substream nested in a sheet,
 * or the copy cannot be written (libfreexl then reads the file itself, and open_fail
 * names a sheet with a chart it refuses). */
enum { XLS_TYPE_UNKNOWN = 0xFFFF };
static int unnested_copy(unsigned char *file, size_t n, const xls_stream *sp) {
    const xls_stream s = *sp;           /* (read only: a copy of the handle, not of the bytes) */
    size_t patched = 0;
    biff_walk w = {s.bytes, s.len, 0, 0, 0, 0};
    const char *why;
    for (int k = 0; w.pos + 4 <= s.len && u16(s.bytes + w.pos) == 0x0809; k++) {
        size_t start = w.pos;
        int r, nested = 0;
        w.depth = 0;                                  /* substream k: 0 the globals */
        while ((r = walk_next(&w, &why)) > 0)
            if (w.depth > 1) nested = 1;
        if (r != 0) break;                            /* ends before its own EOF */
        if (!nested || k == 0) continue;
        biff_walk v = {s.bytes, s.len, start, 0, 0, 0};
        for (size_t at = v.pos; walk_next(&v, &why) > 0; at = v.pos) {
            /* a nested record: inside (depth 2 or more after it), or a nested EOF */
            if (v.depth < 2 && v.type != 0x000A) continue;
            for (size_t b = at; b < at + 2; b++)           /* the type: 2 bytes, maybe in 2 sectors */
                file[s.at[b / s.unit] + b % s.unit] = (unsigned char)(XLS_TYPE_UNKNOWN >> (8 * (b - at)));
            patched++;
        }
    }
    int out = -1;
    FILE *t = patched ? tmpfile() : NULL;
    if (t && fwrite(file, 1, n, t) == n && fflush(t) == 0) out = dup(fileno(t));
    if (t) fclose(t);
    return out;
}

/* Each sheet's XLS_KIND_* into x->kind (left NULL when the file cannot be followed or
 * memory runs out: every sheet is then read as libfreexl gives it). From the BOUNDSHEET
 * records: type 2 (chart) and 6 (VB module) have no cells. And libfreexl (1.0.6, 2.0)
 * gives a sheet without a DIMENSION record its cell array by allocating one for the
 * sheet read last instead (allocate_cells on the active sheet), which then has none of
 * its cells: when some sheet lacks that record, the sheet whose substream comes last is
 * marked lost, unless it lacks one too (then the array is its own). */
static void sheet_kinds(imp_xls *x) {
    if (x->wb_why) return;
    const unsigned char *wb = x->wb.bytes;
    size_t len = x->wb.len;
    size_t *at = calloc(x->nsheets, sizeof *at);
    unsigned char *kind = calloc(x->nsheets, 1), *dim = calloc(x->nsheets, 1);
    biff_walk w = {wb, len, 0, 0, 0, 0};
    const char *why;
    unsigned n = 0;
    int r = -1;
    if (at && kind && dim && len >= 4 && u16(wb) == 0x0809)
        while ((r = walk_next(&w, &why)) > 0)
            if (w.type == 0x0085 && w.depth == 1 && w.rl >= 6) {
                if (n < x->nsheets) {
                    at[n] = u32(wb + w.pos - w.rl);
                    unsigned dt = wb[w.pos - w.rl + 5];
                    kind[n] = dt == 2 || dt == 6 ? XLS_KIND_NONE : XLS_KIND_CELLS;
                }
                n++;
            }
    int ok = r == 0 && n == x->nsheets;
    size_t last = 0;
    int some_lacks = 0;
    for (unsigned k = 0; ok && k < n; k++) {
        if (at[k] > len - 4 || u16(wb + at[k]) != 0x0809) { ok = 0; break; }
        w = (biff_walk){wb, len, at[k], 0, 0, 0};
        while ((r = walk_next(&w, &why)) > 0)
            if (w.type == 0x0200 && w.depth == 1) dim[k] = 1;
        if (!dim[k]) some_lacks = 1;
        if (at[k] > at[last]) last = k;
    }
    if (ok && some_lacks && dim[last]) kind[last] = XLS_KIND_LOST;
    if (ok) {
        x->kind = kind;
        kind = NULL;
    }
    free(kind);
    free(dim);
    free(at);
}

/* ===== the trial: libfreexl on the file in a child process first ===== */

/* CPU seconds a trial may take: a minute, and a second more for each 64 KiB of the file.
 * libfreexl counts a date's days one by one from 1900 when it opens the file: ~30 us a
 * cell for a date of this century (64 KiB hold up to 10,900 cells: 0.33 s), ~2 ms for
 * 9999-12-31, a common "no end" date (30,000 such cells take it a minute). CPU time, not
 * the clock: a loaded machine must not refuse a file. A damaged file that sends it round
 * in circles (a date cell of serial 1e15 would take it days) is stopped. */
enum { XLS_TRIAL_CPU_SECONDS = 60, XLS_TRIAL_BYTES_PER_SECOND = 64 * 1024,
       XLS_TRIAL_WALL_FACTOR = 10 };    /* the clock's backstop: a child that waits */

/* libfreexl (1.0.6) crashes on some damaged files: a SEGV in its parser, found by
 * mutating small workbooks (about one file in 2,000), and under AddressSanitizer reads
 * before a stack buffer in its iconv use. So before the import opens the file at path
 * (size bytes) with it, a child process does everything the import may do with
 * libfreexl: opens it, names its sheets and reads every cell of every sheet whose cells
 * are read (sheet_kinds), then leaves with status 0. TRIAL_CRASHED when it died of a
 * crash (SEGV, BUS, ILL, FPE, ABRT, TRAP, SYS) or left with another status (the
 * sanitizer's report): the file is refused as damaged instead of the import crashing.
 * TRIAL_TOO_LONG when it ran out of its time (*limit: the seconds it had). TRIAL_PASSED
 * otherwise: it finished, or no child could be started, or it was killed from outside
 * (the OOM killer's SIGKILL, a SIGTERM: nothing to do with the file); the import then
 * goes on as without a trial. The child shares nothing the parent writes: it leaves by
 * _exit, its output to /dev/null, and dumps no core (the process's image, the workbook
 * in it, into the user's folder). Signal dispositions, the mask and the limits come
 * through exec from whatever started yingji: while the child runs SIGCHLD is the
 * default (ignored, SIG_IGN or SA_NOCLDWAIT, the kernel reaps the child itself and
 * waitpid cannot say how it ended), the child unblocks every signal (a blocked SIGXCPU
 * or SIGALRM would never end it), and its CPU limit stays within the process's own. */
static int trial(imp_xls *x, const char *path, size_t size, unsigned *limit) {
    struct rlimit cpu = {RLIM_INFINITY, RLIM_INFINITY};
    rlim_t want = XLS_TRIAL_CPU_SECONDS + size / XLS_TRIAL_BYTES_PER_SECOND;
    if (getrlimit(RLIMIT_CPU, &cpu) == 0) {
        if (cpu.rlim_cur != RLIM_INFINITY && cpu.rlim_cur < want) want = cpu.rlim_cur;
        if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_max < want) want = cpu.rlim_max;
    }
    if (want < 1) want = 1;
    *limit = (unsigned)want;
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    if (sigaction(SIGCHLD, &dfl, &old) != 0) return TRIAL_PASSED;
    fflush(NULL);                           /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) { dup2(null, STDOUT_FILENO); dup2(null, STDERR_FILENO); }
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        cpu.rlim_cur = want;
        setrlimit(RLIMIT_CPU, &cpu);
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        signal(SIGXCPU, SIG_DFL);
        signal(SIGALRM, SIG_DFL);
        alarm((unsigned)want * XLS_TRIAL_WALL_FACTOR);
        if (freexl_open(path, &x->h) != FREEXL_OK ||
            freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &x->nsheets) != FREEXL_OK)
            _exit(0);                       /* refused: the parent's own open says why */
        if (x->nsheets > 65535) x->nsheets = 65535;
        sheet_kinds(x);
        for (unsigned i = 0; i < x->nsheets; i++) {
            (void)imp_xls_sheet_name(x, (int)i);
            unsigned rows = 0;
            unsigned short cols = 0;
            if ((x->kind && x->kind[i] != XLS_KIND_CELLS) ||
                freexl_select_active_worksheet(x->h, (unsigned short)i) != FREEXL_OK ||
                freexl_worksheet_dimensions(x->h, &rows, &cols) != FREEXL_OK)
                continue;
            /* every cell as cell_text reads it, and every byte of its text (the parent
             * measures and checks it), without formatting the numbers */
            volatile size_t touched = 0;
            for (unsigned r = 0; r < rows; r++)
                for (unsigned c = 0; c < cols && c < IMP_XLSX_MAX_COLS; c++) {
                    FreeXL_CellValue v;
                    if (freexl_get_cell_value(x->h, r, (unsigned short)c, &v) == FREEXL_OK &&
                        cell_has_text(v.type) && v.value.text_value)
                        touched += strlen(v.value.text_value);
                }
        }
        _exit(0);
    }
    int st = 0;
    pid_t got = pid;
    while (pid > 0 && (got = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    sigaction(SIGCHLD, &old, NULL);
    if (pid < 0 || got < 0) return TRIAL_PASSED;
    if (WIFEXITED(st)) return WEXITSTATUS(st) == 0 ? TRIAL_PASSED : TRIAL_CRASHED;
    if (!WIFSIGNALED(st)) return TRIAL_PASSED;
    switch (WTERMSIG(st)) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGABRT: case SIGTRAP: case SIGSYS:
        return TRIAL_CRASHED;
    case SIGXCPU: case SIGALRM:
        return TRIAL_TOO_LONG;
    default:
        return TRIAL_PASSED;
    }
}

/* ===== cells ===== */

/* Whether a cell of libfreexl's type holds text (dates and times come as text). */
static int cell_has_text(unsigned char type) {
    return type == FREEXL_CELL_TEXT || type == FREEXL_CELL_SST_TEXT || type == FREEXL_CELL_DATE ||
           type == FREEXL_CELL_DATETIME || type == FREEXL_CELL_TIME;
}

/* The text of cell (r, c) into *t (num: room for a number): 0, or a libfreexl error. */
static int cell_text(imp_xls *x, unsigned r, unsigned c, char *num, size_t cap, const char **t) {
    FreeXL_CellValue v;
    int rc = freexl_get_cell_value(x->h, r, (unsigned short)c, &v);
    *t = "";
    if (rc != FREEXL_OK) return rc;
    if (v.type == FREEXL_CELL_INT) {
        snprintf(num, cap, "%d", v.value.int_value);
        *t = num;
    } else if (v.type == FREEXL_CELL_DOUBLE) {
        imp_xlsx_number(v.value.double_value, num, cap);
        *t = num;
    } else if (cell_has_text(v.type)) {
        *t = v.value.text_value ? v.value.text_value : "";
        /* midnight is a date, as the .xlsx reader gives it */
        if (v.type == FREEXL_CELL_DATETIME && strlen(*t) == 19 && !strcmp(*t + 10, " 00:00:00")) {
            snprintf(num, cap, "%.10s", *t);
            *t = num;
        }
    }
    return FREEXL_OK;
}

int imp_xls_read(imp_xls *x, int i, int want, imp_xlsx_row_fn fn, void *arg, char *err, size_t cap,
                 long *erow, int *ecol) {
    *erow = 0;
    *ecol = 0;
    x->lost = NULL;
    if (x->kind && i >= 0 && (unsigned)i < x->nsheets && x->kind[i] == XLS_KIND_NONE) return 0;
    if (x->kind && i >= 0 && (unsigned)i < x->nsheets && x->kind[i] == XLS_KIND_LOST) {
        snprintf(err, cap, "%s", _("the .xls reader (libfreexl) loses this sheet's cells when another sheet of the "
                 "workbook has no dimensions record (a chart sheet, say); save the workbook as .xlsx and import that"));
        return -1;
    }
    int rc = freexl_select_active_worksheet(x->h, (unsigned short)i);
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (rc != FREEXL_OK || (rc = freexl_worksheet_dimensions(x->h, &rows, &cols)) != FREEXL_OK)
        return fail(err, cap, "cannot read the sheet", rc);
    if (cols > IMP_XLSX_MAX_COLS) cols = IMP_XLSX_MAX_COLS;     /* BIFF8 has 256 */
    xls_merge *merges;
    size_t nmerges = 0, next = 0, nactive = 0;
    merges = NULL;
    x->lost = NULL;
    if (want && sheet_merges(x, i, &merges, &nmerges, &x->lost, err, cap) < 0) return -1;
    size_t active[IMP_XLSX_MAX_COLS];        /* the areas over this row: they do not overlap */
    int cover[IMP_XLSX_MAX_COLS];            /* the area over each column of the row, or -1 */
    char *buf = NULL;
    size_t cap_b = 0;
    size_t off[IMP_XLSX_MAX_COLS];
    const char *cells[IMP_XLSX_MAX_COLS];
    int kinds[IMP_XLSX_MAX_COLS] = {0};
    int status = 0;
    for (unsigned int r = 0; r < rows && !status; r++) {
        /* the merged areas over row r, each column marked with its area */
        size_t keep = 0;
        for (size_t k = 0; k < nactive; k++)
            if (merges[active[k]].r2 >= r) active[keep++] = active[k];
        nactive = keep;
        for (; next < nmerges && merges[next].r1 <= r; next++) {
            if (merges[next].r2 < r) continue;
            if (nactive == IMP_XLSX_MAX_COLS) {
                *erow = (long)r + 1;
                snprintf(err, cap, _("more than %d merged areas over one row"), IMP_XLSX_MAX_COLS);
                status = -1;
                break;
            }
            active[nactive++] = next;
        }
        if (status) break;
        for (unsigned c = 0; c < cols; c++) cover[c] = -1;
        for (size_t k = 0; k < nactive && !status; k++) {
            const xls_merge *m = &merges[active[k]];
            for (unsigned c = m->c1; c <= m->c2 && c < cols; c++) {
                if (cover[c] >= 0) {
                    *erow = (long)r + 1;
                    *ecol = (int)c + 1;
                    snprintf(err, cap, "%s", _("merged areas overlap"));
                    status = -1;
                    break;
                }
                cover[c] = (int)active[k];
            }
        }
        if (status) break;
        size_t len = 0;
        int ncols = 0;
        for (unsigned short c = 0; c < cols; c++) {
            char num[64];
            const char *t;
            if ((rc = cell_text(x, r, c, num, sizeof num, &t)) != FREEXL_OK) {
                *erow = (long)r + 1;
                *ecol = c + 1;
                status = fail(err, cap, "cannot read the cell", rc);
                break;
            }
            if (!*t && cover[c] >= 0) {                     /* covered: the area's value */
                const xls_merge *m = &merges[cover[c]];
                if ((rc = cell_text(x, m->r1, m->c1, num, sizeof num, &t)) != FREEXL_OK) {
                    *erow = (long)m->r1 + 1;
                    *ecol = (int)m->c1 + 1;
                    status = fail(err, cap, "cannot read the cell", rc);
                    break;
                }
            }
            size_t n = strlen(t);
            if (n > IMP_XLSX_MAX_CELL || !yj_utf8_valid(t, n)) {
                *erow = (long)r + 1;
                *ecol = c + 1;
                snprintf(err, cap, n > IMP_XLSX_MAX_CELL ? _("a cell longer than %d bytes") : _("a cell that is not "
                         "valid text (after %d bytes)"), n > IMP_XLSX_MAX_CELL ? IMP_XLSX_MAX_CELL : 0);
                status = -1;
                break;
            }
            if (len + n + 1 > cap_b) {
                size_t nc = cap_b ? cap_b : 4096;
                while (nc < len + n + 1) nc *= 2;
                char *p = realloc(buf, nc);
                if (!p) { status = -1; snprintf(err, cap, "%s", _("out of memory")); break; }
                buf = p;
                cap_b = nc;
            }
            memcpy(buf + len, t, n + 1);
            off[c] = len;
            len += n + 1;
            if (n) ncols = c + 1;
        }
        if (status || !ncols) continue;
        for (int c = 0; c < ncols; c++) cells[c] = buf + off[c];
        if (fn(arg, (long)r + 1, ncols, cells, kinds)) break;
    }
    free(buf);
    free(merges);
    return status;
}
