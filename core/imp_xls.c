/* imp_xls.c — .xls workbooks through libfreexl (see imp_xls.h), which runs only in a
 * child process (xls_child.h): the child opens the file once and streams each sheet's
 * cells here, where each row's cells go into one row buffer and to the same callback as
 * the .xlsx reader's. libfreexl does not give merged areas: they are read here from the
 * file itself (the compound file's Workbook stream, its BOUNDSHEET and MERGEDCELLS
 * records), and every cell an area covers gets its top-left cell's value, as in the .xlsx
 * reader (a sheet's nested substreams, embedded charts, followed by BOF depth to its own
 * EOF). Where the file cannot be followed to them, the reason is kept
 * (imp_xls_merges_lost) and the importer warns: the covered cells are empty, never
 * silently. The file is read once, at open; a file whose sectors are each claimed by two
 * things (xls_cfb.c), or holding a text libfreexl would misread (xls_sst.h), is refused
 * there. However the child ends before the import is done
 * with it (a crash: the file is damaged; out of time; killed from outside), the open or
 * the read fails with its message, and the import, one transaction, stores nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "imp_xls.h"
#include "utf8.h"
#include "xls_bytes.h"
#include "xls_cfb.h"
#include "xls_child.h"
#include "xls_sst.h"

typedef imp_xls_merge xls_merge;

enum {
    XLS_MERGES_MAX = 65536,       /* merged areas of one sheet */
    XLS_DEPTH_MAX = 8             /* substreams nested in one (Excel: a chart in a sheet, 2);
                                   * its message says 8 */
};

struct imp_xls {
    xls_child child;              /* libfreexl's process: the import never calls libfreexl */
    int pending;                  /* a batch of cells asked for and not yet heard */
    size_t at;                    /* the next cell's byte in the batch heard (child.frame) */
    int last;                     /* that batch is the sheet's last */
    unsigned int nsheets;
    char **names;                 /* each sheet's name (owned), NULL where libfreexl gave none */
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
static int heard_open(imp_xls *x, int32_t *rc, int32_t *rc2, char *err, size_t cap);

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

/* Whether libfreexl would misread a text of the Workbook stream s (xls_sst.h): then
 * the reason into err, 1 (the file is refused before libfreexl reads it), else 0. */
static int texts_misread(const xls_stream *s, char *err, size_t cap) {
    unsigned chars;
    size_t at;
    switch (xls_sst_check(s->bytes, s->len, &chars, &at)) {
    case XLS_SST_LONG:
        snprintf(err, cap, _("a text in the workbook is longer than the .xls reader (libfreexl) can read correctly "
                 "(%u characters); save the workbook as .xlsx and import that"), chars);
        return 1;
    case XLS_SST_MISREAD:
        snprintf(err, cap, _("the workbook's texts are stored in a way the .xls reader (libfreexl) misreads (at byte "
                 "%zu of the Workbook stream); save the workbook as .xlsx and import that"), at);
        return 1;
    case XLS_SST_DAMAGED:
        snprintf(err, cap, _("the file is damaged: its table of texts ends before its last text (at byte %zu of the "
                 "Workbook stream); open it in Excel or WPS, save it again and import that"), at);
        return 1;
    default:
        return 0;
    }
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
    if (!x->wb_why && texts_misread(&x->wb, err, cap)) {
        free(file);
        imp_xls_free(x);
        return NULL;
    }
    int copy = x->wb_why ? -1 : unnested_copy(file, n, &x->wb);
    free(file);
    /* libfreexl's process reads the copy, or the file itself (its own descriptor, dup'd
     * by fork: the parent's are closed now) */
    int started = xls_child_start(&x->child, copy >= 0 ? copy : fd, n, err, cap);
    if (copy >= 0) close(copy);
    if (started < 0) {
        imp_xls_free(x);
        return NULL;
    }
    int32_t rc = 0, rc2 = 0;
    if (heard_open(x, &rc, &rc2, err, cap) < 0) {
        imp_xls_free(x);
        return NULL;
    }
    if (rc != 0)
        return open_fail(x, err, cap, N_("not a readable .xls workbook (corrupt, encrypted or not BIFF)"), rc);
    /* (libfreexl 1.0.6 may say FREEXL_OK and give no handle: an embedded chart, say) */
    if (rc2 != 0)
        return open_fail(x, err, cap, N_("cannot read the workbook's sheets"), rc2);
    if (!x->nsheets) {
        snprintf(err, cap, "%s", _("the workbook has no sheets"));
        imp_xls_free(x);
        return NULL;
    }
    sheet_kinds(x);
    return x;
}


/* The child's first frame, its open: libfreexl's rcs of opening the file and counting its
 * sheets, and the sheets' names into x. 0, or -1: the child ended or broke the
 * conversation (err says how). */
static int heard_open(imp_xls *x, int32_t *rc, int32_t *rc2, char *err, size_t cap) {
    xls_child *k = &x->child;
    if (xls_child_hear(k) < 0) return xls_child_why(k, err, cap);
    const unsigned char *p = k->frame, *e = k->frame + k->len;
    if (k->kind != XLS_FRAME_OPEN || k->len < 12) goto broken;
    *rc = (int32_t)xls_u32(p);
    *rc2 = (int32_t)xls_u32(p + 4);
    unsigned n = xls_u32(p + 8);
    p += 12;
    if (n > 65535 || (n && !(x->names = calloc(n, sizeof *x->names)))) goto broken;
    x->nsheets = n;
    for (unsigned i = 0; i < n; i++) {
        if (e - p < 5) goto broken;
        int named = p[0];
        size_t len = xls_u32(p + 1);
        p += 5;
        if ((size_t)(e - p) < len) goto broken;
        if (memchr(p, 0, len)) goto broken;     /* (the child sends strlen's lengths) */
        if (named && !(x->names[i] = strndup((const char *)p, len))) goto broken;
        p += len;
    }
    return 0;
broken:                                     /* (out of memory for the names, too) */
    return xls_child_broken(k, err, cap);
}

void imp_xls_free(imp_xls *x) {
    if (!x) return;
    xls_child_stop(&x->child);
    for (unsigned i = 0; x->names && i < x->nsheets; i++) free(x->names[i]);
    free(x->names);
    xls_stream_free(&x->wb);
    free(x->kind);
    free(x);
}

int imp_xls_sheets(const imp_xls *x) { return (int)x->nsheets; }

const char *imp_xls_merges_lost(const imp_xls *x) { return x->lost; }

int imp_xls_texts_unchecked(const imp_xls *x) { return x->wb_why != NULL; }

const char *imp_xls_sheet_name(const imp_xls *x, int i) {
    if (i < 0 || (unsigned)i >= x->nsheets || !x->names[i]) return "?";
    return x->names[i];
}

/* ===== merged areas, from the file (libfreexl reads cells only) ===== */


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
    if (w->pos + 4 <= w->len && xls_u16(w->b + w->pos + 2) > BIFF8_RECORD_MAX) return WALK_TOO_LONG;
    if (w->pos + 4 > w->len || w->pos + 4 + xls_u16(w->b + w->pos + 2) > w->len) return -1;
    w->type = xls_u16(w->b + w->pos);
    w->rl = xls_u16(w->b + w->pos + 2);
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
             "lost; save the workbook as .xlsx and import that"), part, xls_u16(w->b + w->pos + 2), w->pos);
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
    if (len < 4 || xls_u16(wb) != 0x0809) {
        *why = _("the workbook's global records do not start with a BOF record");
        return 0;
    }
    while ((r = walk_next(&w, why)) > 0)
        if (w.type == 0x0085 && w.depth == 1 && w.rl >= 4) {
            if (sheets == i) at = xls_u32(wb + w.pos - w.rl);
            sheets++;
        }
    if (r == WALK_TOO_LONG) return too_long(&w, _("the workbook's global records"), err, cap);
    if (r < 0) *why = *why ? *why : _("the workbook's global records end before their EOF record");
    else if (sheets != nsheets) *why = _("its sheet list (BOUNDSHEET records) does not match the workbook's sheets");
    else if (len < 4 || at > len - 4 || xls_u16(wb + at) != 0x0809) *why = _("the sheet's position does not hold the start of a sheet (BOF)");
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
        unsigned cnt = xls_u16(d);
        size_t need = 2 + 8 * (size_t)cnt, q = w.pos, more = 0;
        while (dl + more < need && q + 4 <= len && xls_u16(wb + q) == 0x003C && q + 4 + xls_u16(wb + q + 2) <= len) {
            more += xls_u16(wb + q + 2);
            q += 4 + xls_u16(wb + q + 2);
        }
        if (more) {                                   /* the record and its CONTINUE records */
            unsigned char *p = realloc(joined, dl + more);
            if (!p) { snprintf(err, cap, "%s", _("out of memory")); rc = -1; break; }
            joined = p;
            memcpy(joined, d, dl);
            for (size_t c = w.pos, o = dl; c < q; c += 4 + xls_u16(wb + c + 2)) {
                memcpy(joined + o, wb + c + 4, xls_u16(wb + c + 2));
                o += xls_u16(wb + c + 2);
            }
            d = joined;
            dl += more;
        }
        if (need > dl) partial = _("a MERGEDCELLS record is shorter than its count of areas");
        for (unsigned k = 0; k < cnt && 2 + 8 * (size_t)k + 8 <= dl; k++) {
            const unsigned char *m = d + 2 + 8 * (size_t)k;
            xls_merge a = {xls_u16(m), xls_u16(m + 2), xls_u16(m + 4), xls_u16(m + 6)};
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
    for (int k = 0; !found && w.pos + 4 <= len && xls_u16(wb + w.pos) == 0x0809; k++) {
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
    for (int k = 0; w.pos + 4 <= s.len && xls_u16(s.bytes + w.pos) == 0x0809; k++) {
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
    if (at && kind && dim && len >= 4 && xls_u16(wb) == 0x0809)
        while ((r = walk_next(&w, &why)) > 0)
            if (w.type == 0x0085 && w.depth == 1 && w.rl >= 6) {
                if (n < x->nsheets) {
                    at[n] = xls_u32(wb + w.pos - w.rl);
                    unsigned dt = wb[w.pos - w.rl + 5];
                    kind[n] = dt == 2 || dt == 6 ? XLS_KIND_NONE : XLS_KIND_CELLS;
                }
                n++;
            }
    int ok = r == 0 && n == x->nsheets;
    size_t last = 0;
    int some_lacks = 0;
    for (unsigned k = 0; ok && k < n; k++) {
        if (at[k] > len - 4 || xls_u16(wb + at[k]) != 0x0809) { ok = 0; break; }
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

/* ===== cells, from the child ===== */

/* Hears the next batch of the sheet being read (the first came with the sheet's
 * dimensions) and asks for the one after it at once, so that the child formats it while
 * the import stores these rows. 0, or -1: the child ended (err says how) or the sheet
 * has no more batches where cells were still wanted (a broken conversation). */
static int next_batch(imp_xls *x, char *err, size_t cap) {
    xls_child *k = &x->child;
    if (x->last || !x->pending) return xls_child_broken(k, err, cap);
    x->pending = 0;
    if (xls_child_hear(k) < 0) return xls_child_why(k, err, cap);
    if (k->kind != XLS_FRAME_CELLS && k->kind != XLS_FRAME_LAST) return xls_child_broken(k, err, cap);
    x->at = 0;
    x->last = k->kind == XLS_FRAME_LAST;
    if (!x->last) {
        if (xls_child_ask(k, XLS_OP_MORE, 0) < 0) return xls_child_why(k, err, cap);
        x->pending = 1;
    }
    return 0;
}

/* The next cell of the sheet being read: its text into *t, n bytes (not terminated; ""
 * and no text when n is over IMP_XLSX_MAX_CELL). 0; 1: libfreexl could not read the cell
 * (its rc in *rc); -1: the child ended or broke the conversation (err says how). */
static int next_cell(imp_xls *x, const char **t, size_t *n, int *rc, char *err, size_t cap) {
    xls_child *k = &x->child;
    while (x->at >= k->len)
        if (next_batch(x, err, cap) < 0) return -1;
    const unsigned char *p = k->frame + x->at;
    size_t left = k->len - x->at, len = p[0], head = 1;
    *t = "";
    if (p[0] == XLS_CELL_ERROR || p[0] == XLS_CELL_LONG) {
        if (left < 5) goto broken;
        head = 5;
        len = xls_u32(p + 1);
        if (p[0] == XLS_CELL_ERROR) {             /* the sheet's last word */
            if (!x->last) goto broken;
            *rc = (int)(int32_t)len;
            x->at = k->len;
            return 1;
        }
        if (len > IMP_XLSX_MAX_CELL) {
            *n = len;
            x->at += head;
            return 0;
        }
    }
    if (left - head < len) goto broken;
    if (memchr(p + head, 0, len)) goto broken;  /* (the child sends strlen's lengths) */
    *t = (const char *)p + head;
    *n = len;
    x->at += head + len;
    return 0;
broken:
    return xls_child_broken(k, err, cap);
}

/* Before a new request: the batch asked ahead and never needed (a read stopped early)
 * heard and dropped. 0, or -1 (err: the child ended). */
static int drop_pending(imp_xls *x, char *err, size_t cap) {
    x->at = 0;
    x->last = 0;
    if (x->pending) {
        x->pending = 0;
        if (xls_child_hear(&x->child) < 0) return xls_child_why(&x->child, err, cap);
    }
    x->child.len = 0;
    return 0;
}

/* Frees the top-left texts of merged areas (tl[k] for the areas in use[0..n)). */
static void forget_texts(char **tl, const size_t *use, size_t n) {
    for (size_t k = 0; tl && k < n; k++) {
        free(tl[use[k]]);
        tl[use[k]] = NULL;
    }
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
    /* the sheet's dimensions from the child, its first batch of cells on the way */
    xls_child *k = &x->child;
    if (drop_pending(x, err, cap) < 0 || xls_child_ask(k, XLS_OP_READ, (unsigned)i) < 0 ||
        xls_child_hear(k) < 0)
        return xls_child_why(k, err, cap);
    if (k->kind != XLS_FRAME_SHEET || k->len != 12) return xls_child_broken(k, err, cap);
    int rc = (int32_t)xls_u32(k->frame);
    unsigned int rows = xls_u32(k->frame + 4);
    unsigned cols = xls_u32(k->frame + 8);
    if (rc != 0) return fail(err, cap, "cannot read the sheet", rc);
    if (cols > IMP_XLSX_MAX_COLS) cols = IMP_XLSX_MAX_COLS;     /* BIFF8 has 256 */
    x->pending = rows && cols;                                  /* (as the child says it) */
    if (rows > XLS_ROWS_MAX) rows = XLS_ROWS_MAX;
    k->len = 0;
    xls_merge *merges;
    size_t nmerges = 0, next = 0, nactive = 0;
    merges = NULL;
    x->lost = NULL;
    if (want && sheet_merges(x, i, &merges, &nmerges, &x->lost, err, cap) < 0) return -1;
    /* each area's top-left text, kept from its row while the area is in use (owned) */
    char **topleft = nmerges ? calloc(nmerges, sizeof *topleft) : NULL;
    if (nmerges && !topleft) {
        free(merges);
        snprintf(err, cap, "%s", _("out of memory"));
        return -1;
    }
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
        for (size_t a = 0; a < nactive; a++)
            if (merges[active[a]].r2 >= r) active[keep++] = active[a];
            else forget_texts(topleft, &active[a], 1);
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
        for (size_t a = 0; a < nactive && !status; a++) {
            const xls_merge *m = &merges[active[a]];
            for (unsigned c = m->c1; c <= m->c2 && c < cols; c++) {
                if (cover[c] >= 0) {
                    *erow = (long)r + 1;
                    *ecol = (int)c + 1;
                    snprintf(err, cap, "%s", _("merged areas overlap"));
                    status = -1;
                    break;
                }
                cover[c] = (int)active[a];
            }
        }
        if (status) break;
        size_t len = 0;
        int ncols = 0;
        for (unsigned c = 0; c < cols; c++) {
            const char *t;
            size_t n = 0;
            int got = next_cell(x, &t, &n, &rc, err, cap);
            if (got < 0) { status = -1; break; }
            if (got > 0) {
                *erow = (long)r + 1;
                *ecol = (int)c + 1;
                status = fail(err, cap, "cannot read the cell", rc);
                break;
            }
            if (!n && cover[c] >= 0) {                      /* covered: the area's value */
                t = topleft[cover[c]] ? topleft[cover[c]] : "";
                n = strlen(t);
            }
            if (n > IMP_XLSX_MAX_CELL || !yj_utf8_valid(t, n)) {
                *erow = (long)r + 1;
                *ecol = (int)c + 1;
                snprintf(err, cap, n > IMP_XLSX_MAX_CELL ? _("a cell longer than %d bytes") : _("a cell that is not "
                         "valid text (after %d bytes)"), n > IMP_XLSX_MAX_CELL ? IMP_XLSX_MAX_CELL : 0);
                status = -1;
                break;
            }
            if (cover[c] >= 0 && merges[cover[c]].r1 == r && merges[cover[c]].c1 == c && n &&
                !(topleft[cover[c]] = strndup(t, n))) {           /* the area's top-left cell */
                status = -1;
                snprintf(err, cap, "%s", _("out of memory"));
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
            memcpy(buf + len, t, n);
            buf[len + n] = '\0';
            off[c] = len;
            len += n + 1;
            if (n) ncols = (int)c + 1;
        }
        if (status || !ncols) continue;
        for (int c = 0; c < ncols; c++) cells[c] = buf + off[c];
        if (fn(arg, (long)r + 1, ncols, cells, kinds)) break;
    }
    forget_texts(topleft, active, nactive);
    free(topleft);
    free(buf);
    free(merges);
    return status;
}
