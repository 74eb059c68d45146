/* imp_xlsx.c — the streaming .xlsx reader (see imp_xlsx.h): the zip's entries inflated
 * in chunks under caps, each XML part read as it inflates (the worksheets and shared
 * strings by the scanner of xlsx_sheet_scan.c, the workbook, rels, styles and the merged
 * areas by expat; no DTD, no entities either way), the sheet's rows handed out one at a
 * time. Memory: the shared strings (capped), the styles' date flags, the merged areas,
 * and one row.
 *
 * The merged areas follow the cells, so a first pass inflates the sheet to find them.
 * On a large sheet (8 MB and more inflated) the rows are read as if there were none
 * ("reading ahead", below): the main pass meets the areas at the sheet's end and gives
 * the verdict itself, unless signs of merged cells in the first rows, a reporter that
 * cannot wait, or a read that stops early start the first pass on a thread of its own;
 * a small sheet (an office's workbook, where merged cells live) is read as before,
 * areas first. When an
 * area turns out to cover a row already handed out, the read ends with IMP_XLSX_RESTART
 * and the importer (imp_import.c) does the whole import again, areas first, rather than
 * restarting inside the row pipeline: the first attempt's transaction is rolled back,
 * its rejects file dropped and its messages, held back until the verdict
 * (imp_hold.c), dropped too; the second attempt is today's sequential import, so every
 * result is the sequential one. Big sheets with areas over their first rows pay for
 * both attempts; those without areas over rows read early save a whole inflation. */
#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "i18n.h"
#include "imp_xlsx.h"
#include "xlsx_sheet_scan.h"

enum {
    CHUNK = 64 * 1024,
    ENTRY_MAX = 1024 * 1024 * 1024,         /* bytes one part may inflate to */
    SST_MAX = 100 * 1024 * 1024,            /* bytes of the shared-strings part */
    SMALL_MAX = 16 * 1024 * 1024,           /* workbook, rels, styles */
    RATIO_FROM = 16 * 1024 * 1024,          /* the ratio is checked above this size */
    RATIO_MAX = 200,                        /* uncompressed / compressed */
    MERGES_MAX = 65536,
    MERGES_ACTIVE = 1024,
    MAX_SHEETS = 256,
    MAX_XFS = 65536
};
static const long long TOTAL_MAX = 2LL * 1024 * 1024 * 1024;   /* all parts inflated */

typedef struct {
    char *name;
    char *part;          /* the sheet's path in the zip */
} sheet;

typedef struct {
    long r1, r2;
    int c1, c2;
    char *val;           /* the first cell's text, once its row was read */
    int kind;
} merge;

struct imp_xlsx {
    zip_t *zip;
    long long inflated;             /* bytes inflated so far (all parts) */
    int date1904;
    int nsheets;
    sheet sheets[MAX_SHEETS];
    char *sst;                      /* shared strings, each NUL-terminated */
    size_t sst_len, sst_cap;
    size_t *sst_off;
    long nsst, sst_cap_n;
    unsigned char *xf_date;         /* per cell style: 1 when its number format is a date */
    int nxf;
    long err_row;                   /* where the last error was (0: no cell) */
    int err_col;
    /* a second handle on the same bytes, for the merged areas' thread (read ahead) */
    int fd;                         /* our own dup, read with pread (-1: none) */
    const void *mem;                /* or the workbook in memory */
    size_t mem_len;
    imp_xlsx_verdict_fn verdict;    /* told the read-ahead's verdict */
    void *verdict_arg;
    struct imp_xlsx_areas *areas;   /* a read ahead's areas: kept after it, or given to this read */
    int raw;                        /* deflated parts inflated by zlib, unchecked (inflate_raw) */
    GMutex ahead_m;                 /* guards cur_ahead */
    struct ahead *cur_ahead;        /* the read ahead under way, for imp_xlsx_need_verdict */
};

/* ===== small helpers ===== */

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, gettext(fmt), ap);  /* fmt: in po/yingji.pot (po/extract.sh) */
    va_end(ap);
    return -1;
}

void imp_xlsx_cell_name(int col, long row, char *out, size_t cap) {
    char letters[8];
    int n = 0;
    for (int c = col; c > 0 && n < 7; c = (c - 1) / 26) letters[n++] = (char)('A' + (c - 1) % 26);
    char rev[8];
    for (int k = 0; k < n; k++) rev[k] = letters[n - 1 - k];
    rev[n] = '\0';
    if (row > 0) snprintf(out, cap, "%s%ld", rev, row);
    else snprintf(out, cap, "%s", rev);
}

/* "E12" -> col 5, row 12 (s[0..n)). 0, or -1 when it is not a cell reference. Each part
 * is bounded before it can overflow. */
static int parse_ref_n(const char *s, size_t n, int *col, long *row) {
    long c = 0, r = 0;
    const char *p = s, *e = s + n;
    while (p < e && *p >= 'A' && *p <= 'Z') { c = c * 26 + (*p - 'A' + 1); p++; if (c > 1000000) return -1; }
    if (p == s) return -1;
    const char *d = p;
    while (p < e && *p >= '0' && *p <= '9') { r = r * 10 + (*p - '0'); p++; if (r > 100000000L) return -1; }
    if (p == d || p != e) return -1;
    *col = (int)c;
    *row = r;
    return 0;
}

static int parse_ref(const char *s, int *col, long *row) { return parse_ref_n(s, strlen(s), col, row); }

static const char *local(const char *name) {
    for (const char *p = name; *p; p++)
        if (*p == ':') return local(p + 1);
    return name;
}

static const char *attr(const char **a, const char *name) {
    for (; a && a[0]; a += 2)
        if (!strcmp(local(a[0]), name)) return a[1];
    return NULL;
}

/* ===== zip parts ===== */

typedef int (*chunk_fn)(void *arg, const char *buf, size_t n, int last, char *err, size_t cap);

/* Inflating ahead: a thread reads the part into two chunk buffers in turn while the
 * caller parses the other (prefetch_take, prefetch_release); prefetch_stop ends it,
 * joins the thread and frees everything. The thread alone touches the zip_file_t until
 * it has stopped (after an error, or the end, or prefetch_stop). */
enum { PREFETCH_FROM = 4 << 20 };
typedef struct {
    zip_file_t *f;
    GThread *t;
    GMutex m;
    GCond c;
    char *buf[2];
    zip_int64_t len[2];
    int full[2];
    int next;            /* the caller's next buffer */
    int stop;            /* the caller wants no more */
} prefetch;

static gpointer prefetch_main(gpointer data) {
    prefetch *p = data;
    for (int k = 0;; k ^= 1) {
        g_mutex_lock(&p->m);
        while (p->full[k] && !p->stop) g_cond_wait(&p->c, &p->m);
        int stop = p->stop;
        g_mutex_unlock(&p->m);
        if (stop) break;
        zip_int64_t n = zip_fread(p->f, p->buf[k], CHUNK);
        g_mutex_lock(&p->m);
        p->len[k] = n;
        p->full[k] = 1;
        g_cond_broadcast(&p->c);
        g_mutex_unlock(&p->m);
        if (n <= 0) break;               /* the end, or an error: the caller sees it */
    }
    return NULL;
}

static void prefetch_free(prefetch *p) {
    g_mutex_clear(&p->m);
    g_cond_clear(&p->c);
    free(p->buf[0]);
    free(p->buf[1]);
    free(p);
}

/* NULL when the thread cannot start (the caller reads f itself). */
static prefetch *prefetch_start(zip_file_t *f) {
    prefetch *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->f = f;
    g_mutex_init(&p->m);
    g_cond_init(&p->c);
    if (!(p->buf[0] = malloc(CHUNK)) || !(p->buf[1] = malloc(CHUNK)) ||
        !(p->t = g_thread_try_new("yingji-inflate", prefetch_main, p, NULL))) {
        prefetch_free(p);
        return NULL;
    }
    return p;
}

/* The next chunk: its length (0 at the end, < 0 on an error) and *buf its bytes,
 * valid until prefetch_release. */
static zip_int64_t prefetch_take(prefetch *p, char **buf) {
    int k = p->next;
    g_mutex_lock(&p->m);
    while (!p->full[k]) g_cond_wait(&p->c, &p->m);
    zip_int64_t n = p->len[k];
    g_mutex_unlock(&p->m);
    *buf = p->buf[k];
    return n;
}

static void prefetch_release(prefetch *p) {
    g_mutex_lock(&p->m);
    p->full[p->next] = 0;
    g_cond_broadcast(&p->c);
    g_mutex_unlock(&p->m);
    p->next ^= 1;
}

static void prefetch_stop(prefetch *p) {
    g_mutex_lock(&p->m);
    p->stop = 1;
    g_cond_broadcast(&p->c);
    g_mutex_unlock(&p->m);
    g_thread_join(p->t);
    prefetch_free(p);
}

/* Counts n more bytes of part name (*got so far) against the caps and hands buf to fn
 * (n 0: the end): 0 go on, 1 fn has enough, -1 an error (in err). */
static int give_chunk(imp_xlsx *x, const char *name, long long max, long long *got, const char *buf,
                      zip_int64_t n, chunk_fn fn, void *arg, char *err, size_t cap) {
    *got += n;
    x->inflated += n;
    if (*got > max)
        return fail(err, cap, "workbook part %s inflates to more than the %lld bytes allowed (a zip bomb?)",
                    name, max);
    if (x->inflated > TOTAL_MAX)
        return fail(err, cap, "the workbook inflates to more than %lld bytes (a zip bomb?)", TOTAL_MAX);
    int r = fn(arg, buf, (size_t)n, n == 0, err, cap);
    return r < 0 ? -1 : r > 0;
}

/* Inflates the deflated entry idx (part name) with zlib from its raw bytes, into fn
 * under the caps, as read_part does but without libzip's CRC check: for a second pass
 * over a part the first pass checks (the merged areas read ahead). 0 done, -1 error. */
static int inflate_raw(imp_xlsx *x, zip_uint64_t idx, const char *name, long long max, chunk_fn fn, void *arg,
                       char *err, size_t cap) {
    zip_file_t *f = zip_fopen_index(x->zip, idx, ZIP_FL_COMPRESSED);
    if (!f) return fail(err, cap, "corrupt workbook: %s: %s", name, zip_strerror(x->zip));
    unsigned char *in = malloc(CHUNK);
    char *out = malloc(CHUNK);
    z_stream z;
    memset(&z, 0, sizeof z);
    int rc = 0, zr = Z_OK;
    if (!in || !out || inflateInit2(&z, -MAX_WBITS) != Z_OK) {
        free(in);
        free(out);
        zip_fclose(f);
        return fail(err, cap, "out of memory");
    }
    long long got = 0;
    int eof = 0;
    while (rc == 0 && zr != Z_STREAM_END) {
        if (z.avail_in == 0 && !eof) {
            zip_int64_t k = zip_fread(f, in, CHUNK);
            if (k < 0) {
                rc = fail(err, cap, "corrupt workbook: %s: %s", name, zip_file_strerror(f));
                break;
            }
            eof = k == 0;
            z.next_in = in;
            z.avail_in = (uInt)k;
        }
        /* with all the input taken, zlib may still hold output back (the buffer was full):
         * only a call that can make no progress at all (Z_BUF_ERROR) means the data ends */
        z.next_out = (Bytef *)out;
        z.avail_out = CHUNK;
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr == Z_BUF_ERROR && eof) {
            rc = fail(err, cap, "corrupt workbook: %s: its compressed data ends early", name);
            break;
        }
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
            rc = fail(err, cap, "corrupt workbook: %s: %s", name, z.msg ? z.msg : "inflate failed");
            break;
        }
        zip_int64_t n = CHUNK - z.avail_out;
        if (n > 0 && (rc = give_chunk(x, name, max, &got, out, n, fn, arg, err, cap)) != 0) break;
    }
    if (rc == 0) rc = give_chunk(x, name, max, &got, out, 0, fn, arg, err, cap);
    inflateEnd(&z);
    free(in);
    free(out);
    zip_fclose(f);
    return rc < 0 ? -1 : 0;
}

/* Inflates part name in chunks into fn, under the caps. 1 when the part is absent
 * (not an error here), 0 done, -1 error. */
static int read_part(imp_xlsx *x, const char *name, long long max, chunk_fn fn, void *arg,
                     char *err, size_t cap) {
    zip_int64_t idx = zip_name_locate(x->zip, name, 0);
    if (idx < 0) idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) return 1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0)
        return fail(err, cap, "corrupt workbook: %s: %s", name, zip_strerror(x->zip));
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)max)
        return fail(err, cap, "workbook part %s inflates to %llu bytes, more than the %lld allowed "
                    "(a zip bomb?)", name, (unsigned long long)st.size, max);
    if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > RATIO_FROM &&
        st.size / (st.comp_size ? st.comp_size : 1) > RATIO_MAX)
        return fail(err, cap, "workbook part %s is compressed more than %d to 1 (a zip bomb?)", name,
                    RATIO_MAX);
    if (x->raw && (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_DEFLATE)
        return inflate_raw(x, (zip_uint64_t)idx, name, max, fn, arg, err, cap);
    zip_file_t *f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!f) return fail(err, cap, "corrupt workbook: %s: %s", name, zip_strerror(x->zip));
    /* a large part (a sheet) is inflated on a thread of its own, a chunk or two ahead of
     * the parser: inflating is a sixth of a big sheet's reading */
    prefetch *pf = st.valid & ZIP_STAT_SIZE && st.size > PREFETCH_FROM ? prefetch_start(f) : NULL;
    char *buf = pf ? NULL : malloc(CHUNK);
    if (!pf && !buf) { zip_fclose(f); return fail(err, cap, "out of memory"); }
    long long got = 0;
    int rc = 0;
    for (;;) {
        zip_int64_t n = pf ? prefetch_take(pf, &buf) : zip_fread(f, buf, CHUNK);
        if (n < 0) {
            if (pf) {
                prefetch_stop(pf);                     /* the thread is done with f */
                pf = NULL;
                buf = NULL;                            /* it was the thread's */
            }
            rc = fail(err, cap, "corrupt workbook: %s: %s", name, zip_file_strerror(f));
            break;
        }
        int r = give_chunk(x, name, max, &got, buf, n, fn, arg, err, cap);
        if (pf) prefetch_release(pf);
        if (r != 0) { rc = r < 0 ? -1 : 0; break; }
        if (n == 0) break;
    }
    if (pf) prefetch_stop(pf);
    else free(buf);
    zip_fclose(f);
    return rc;
}

/* ===== XML through expat ===== */

typedef struct {
    XML_Parser p;
    int failed;          /* an error is in err */
    int stopped;         /* stopped on purpose (the row callback had enough) */
    char *err;
    size_t cap;
    void *user;
} xml_job;

static void xml_fail(xml_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_fail(xml_job *j, const char *fmt, ...) {
    if (j->failed) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->err, j->cap, gettext(fmt), ap);
    va_end(ap);
    j->failed = 1;
    if (j->p) XML_StopParser(j->p, XML_FALSE);
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal) {
    (void)name; (void)sys; (void)pub; (void)internal;
    xml_fail(ud, "a DTD in the workbook's XML (refused: entities could expand without bound)");
}

static void on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len,
                      const XML_Char *base, const XML_Char *sys, const XML_Char *pub,
                      const XML_Char *notation) {
    (void)name; (void)param; (void)value; (void)len; (void)base; (void)sys; (void)pub; (void)notation;
    xml_fail(ud, "an entity declaration in the workbook's XML (refused)");
}

static int xml_chunk(void *arg, const char *buf, size_t n, int last, char *err, size_t cap) {
    (void)err; (void)cap;
    xml_job *j = arg;
    if (XML_Parse(j->p, buf, (int)n, last) == XML_STATUS_ERROR) {
        if (!j->failed && !j->stopped)
            xml_fail(j, "malformed XML in the workbook (line %lu: %s)",
                     (unsigned long)XML_GetCurrentLineNumber(j->p), XML_ErrorString(XML_GetErrorCode(j->p)));
        return j->stopped && !j->failed ? 1 : -1;
    }
    return 0;
}

/* Parses part name with the handlers (their user data: job, whose user is user).
 * 1 absent, 0 done, -1 error in err. */
static int parse_part(imp_xlsx *x, const char *name, long long max, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text, xml_job *j,
                      char *err, size_t cap) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) return fail(err, cap, "out of memory");
    j->p = p;
    j->failed = j->stopped = 0;
    j->err = err;
    j->cap = cap;
    XML_SetUserData(p, j);
    XML_SetElementHandler(p, start, end);
    if (text) XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    int rc = read_part(x, name, max, xml_chunk, j, err, cap);
    if (rc == 0 && j->failed) rc = -1;
    XML_ParserFree(p);
    return rc;
}

/* ===== the big parts (sheets, shared strings) through xlsx_sheet_scan.c ===== */

typedef struct {
    xss *scan;
    xml_job *j;
} scan_job;

static int scan_chunk(void *arg, const char *buf, size_t n, int last, char *err, size_t cap) {
    scan_job *sj = arg;
    xml_job *j = sj->j;
    int r = xss_feed(sj->scan, buf, n, last);
    if (r == 0) return 0;
    if (j->failed) return -1;
    if (j->stopped) return 1;
    if (r == XSS_DTD) fail(err, cap, "a DTD in the workbook's XML (refused: entities could expand without bound)");
    else if (r == XSS_MALFORMED)
        fail(err, cap, "malformed XML in the workbook (line %lu: %s)", xss_line(sj->scan), xss_reason(sj->scan));
    else fail(err, cap, "out of memory");
    j->failed = 1;
    return -1;
}

/* What a scanner callback returns: go on, or stop (the job says why). */
static int scan_go(const xml_job *j) { return j->failed ? -1 : j->stopped ? 1 : 0; }

/* Scans part name with the handlers (their user data: j, whose user is the part's
 * state), like parse_part. 1 absent, 0 done, -1 error in err. */
static int scan_part(imp_xlsx *x, const char *name, long long max, const xss_handlers *h, xml_job *j,
                     char *err, size_t cap) {
    scan_job sj = {xss_new(h, j), j};
    if (!sj.scan) return fail(err, cap, "out of memory");
    j->p = NULL;
    j->failed = j->stopped = 0;
    j->err = err;
    j->cap = cap;
    int rc = read_part(x, name, max, scan_chunk, &sj, err, cap);
    if (rc == 0 && j->failed) rc = -1;
    xss_free(sj.scan);
    return rc;
}

/* ===== workbook, relationships ===== */

typedef struct {
    imp_xlsx *x;
    char *rid[MAX_SHEETS];
    char *target_rid[MAX_SHEETS * 2], *target[MAX_SHEETS * 2];
    int ntarget;
    char *sst_part, *styles_part;
} book_scan;

static char *sdup(const char *s) { return s ? strdup(s) : NULL; }

static void wb_start(void *ud, const XML_Char *el, const XML_Char **a) {
    xml_job *j = ud;
    book_scan *b = j->user;
    const char *n = local(el);
    if (!strcmp(n, "workbookPr")) {
        const char *d = attr(a, "date1904");
        b->x->date1904 = d && (!strcmp(d, "1") || !strcasecmp(d, "true"));
    } else if (!strcmp(n, "sheet")) {
        const char *name = attr(a, "name"), *id = attr(a, "id");
        if (!name || !id) { xml_fail(j, "a sheet without a name or id in the workbook"); return; }
        if (b->x->nsheets >= MAX_SHEETS) { xml_fail(j, "more than %d sheets", MAX_SHEETS); return; }
        int k = b->x->nsheets++;
        b->x->sheets[k].name = sdup(name);
        b->rid[k] = sdup(id);
        if (!b->x->sheets[k].name || !b->rid[k]) xml_fail(j, "out of memory");
    }
}

static void rel_start(void *ud, const XML_Char *el, const XML_Char **a) {
    xml_job *j = ud;
    book_scan *b = j->user;
    if (strcmp(local(el), "Relationship")) return;
    const char *id = attr(a, "Id"), *t = attr(a, "Target"), *type = attr(a, "Type");
    if (!id || !t) return;
    char path[1024];
    if (t[0] == '/') snprintf(path, sizeof path, "%s", t + 1);
    else snprintf(path, sizeof path, "xl/%s", t);
    size_t tl = type ? strlen(type) : 0;
    if (tl >= 14 && !strcmp(type + tl - 14, "/sharedStrings")) {
        free(b->sst_part);
        b->sst_part = sdup(path);
    } else if (tl >= 7 && !strcmp(type + tl - 7, "/styles")) {
        free(b->styles_part);
        b->styles_part = sdup(path);
    } else if (b->ntarget < MAX_SHEETS * 2) {
        b->target_rid[b->ntarget] = sdup(id);
        b->target[b->ntarget++] = sdup(path);
    }
}

static void no_end(void *ud, const XML_Char *el) { (void)ud; (void)el; }

/* ===== shared strings ===== */

typedef struct {
    imp_xlsx *x;
    int in_si, in_t, in_rph;
    size_t start;            /* where the current string starts in x->sst */
} sst_scan;

static int sst_put(xml_job *j, imp_xlsx *x, const char *s, size_t n) {
    if (x->sst_len + n + 1 > x->sst_cap) {
        size_t cap = x->sst_cap ? x->sst_cap : 65536;
        while (cap < x->sst_len + n + 1) cap *= 2;
        char *p = realloc(x->sst, cap);
        if (!p) { xml_fail(j, "out of memory"); return -1; }
        x->sst = p;
        x->sst_cap = cap;
    }
    memcpy(x->sst + x->sst_len, s, n);
    x->sst_len += n;
    return 0;
}

/* Is the name n[0..len) the word w? */
#define NAME_IS(n, len, w) ((len) == sizeof(w) - 1 && !memcmp((n), (w), sizeof(w) - 1))

static int sst_start(void *ud, const char *n, size_t len, const xss_attr *a, int na) {
    (void)a; (void)na;
    xml_job *j = ud;
    sst_scan *s = j->user;
    if (NAME_IS(n, len, "si")) { s->in_si = 1; s->start = s->x->sst_len; }
    else if (NAME_IS(n, len, "rPh")) s->in_rph = 1;          /* phonetic runs: not the text */
    else if (NAME_IS(n, len, "t") && s->in_si && !s->in_rph) s->in_t = 1;
    return 0;
}

static int sst_end(void *ud, const char *n, size_t len) {
    xml_job *j = ud;
    sst_scan *s = j->user;
    imp_xlsx *x = s->x;
    if (NAME_IS(n, len, "t")) s->in_t = 0;
    else if (NAME_IS(n, len, "rPh")) s->in_rph = 0;
    else if (NAME_IS(n, len, "si") && s->in_si) {
        s->in_si = 0;
        if (x->sst_len - s->start > IMP_XLSX_MAX_CELL) {
            x->sst_len = s->start;            /* kept short: the cell using it is refused */
            if (sst_put(j, x, "\x01", 1) < 0) return -1;
        }
        if (sst_put(j, x, "", 0) < 0) return -1;
        x->sst[x->sst_len++] = '\0';
        if (x->nsst == x->sst_cap_n) {
            long cap = x->sst_cap_n ? x->sst_cap_n * 2 : 1024;
            size_t *p = realloc(x->sst_off, (size_t)cap * sizeof *p);
            if (!p) { xml_fail(j, "out of memory"); return -1; }
            x->sst_off = p;
            x->sst_cap_n = cap;
        }
        x->sst_off[x->nsst++] = s->start;
    }
    return 0;
}

static int sst_text(void *ud, const char *t, size_t len) {
    xml_job *j = ud;
    sst_scan *s = j->user;
    if (s->in_t && len > 0 && sst_put(j, s->x, t, len) < 0) return -1;
    return 0;
}

/* ===== styles: which cell formats are dates ===== */

static int builtin_date(long id) {
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom number format is a date or time when its first section has y, m, d, h or s
 * outside quotes, escapes and brackets ([h] elapsed hours are a duration, not a date). */
static int format_is_date(const char *f) {
    for (const char *p = f; *p; p++) {
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q) return 0;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!p[1]) return 0;
            p++;
        } else if (*p == '[') {
            const char *q = strchr(p, ']');
            if (!q) return 0;
            p = q;
        } else if (*p == ';') {
            return 0;
        } else {
            int c = tolower((unsigned char)*p);
            if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') return 1;
        }
    }
    return 0;
}

typedef struct {
    imp_xlsx *x;
    int in_xfs;
    long fmt_id[512];
    unsigned char fmt_date[512];
    int nfmt;
} style_scan;

static void style_start(void *ud, const XML_Char *el, const XML_Char **a) {
    xml_job *j = ud;
    style_scan *s = j->user;
    imp_xlsx *x = s->x;
    const char *n = local(el);
    if (!strcmp(n, "numFmt") && s->nfmt < 512) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        if (id && code) {
            s->fmt_id[s->nfmt] = strtol(id, NULL, 10);
            s->fmt_date[s->nfmt++] = (unsigned char)format_is_date(code);
        }
    } else if (!strcmp(n, "cellXfs")) {
        s->in_xfs = 1;
    } else if (!strcmp(n, "xf") && s->in_xfs) {
        if (x->nxf >= MAX_XFS) { xml_fail(j, "more than %d cell styles", MAX_XFS); return; }
        if (x->nxf % 256 == 0) {
            unsigned char *p = realloc(x->xf_date, (size_t)x->nxf + 256);
            if (!p) { xml_fail(j, "out of memory"); return; }
            x->xf_date = p;
        }
        const char *id = attr(a, "numFmtId");
        long fid = id ? strtol(id, NULL, 10) : 0;
        int date = builtin_date(fid);
        for (int k = 0; k < s->nfmt; k++)
            if (s->fmt_id[k] == fid) date = s->fmt_date[k];
        x->xf_date[x->nxf++] = (unsigned char)date;
    }
}

static void style_end(void *ud, const XML_Char *el) {
    xml_job *j = ud;
    style_scan *s = j->user;
    if (!strcmp(local(el), "cellXfs")) s->in_xfs = 0;
}

/* ===== opening ===== */

void imp_xlsx_free(imp_xlsx *x) {
    if (!x) return;
    imp_xlsx_areas_free(x->areas);
    g_mutex_clear(&x->ahead_m);
    if (x->zip) zip_discard(x->zip);
    if (x->fd >= 0) close(x->fd);
    for (int k = 0; k < x->nsheets; k++) { free(x->sheets[k].name); free(x->sheets[k].part); }
    free(x->sst);
    free(x->sst_off);
    free(x->xf_date);
    free(x);
}

static void scan_free(book_scan *b) {
    for (int k = 0; k < MAX_SHEETS; k++) free(b->rid[k]);
    for (int k = 0; k < b->ntarget; k++) { free(b->target_rid[k]); free(b->target[k]); }
    free(b->sst_part);
    free(b->styles_part);
}

static imp_xlsx *load(imp_xlsx *x, char *err, size_t cap) {
    book_scan b;
    memset(&b, 0, sizeof b);
    b.x = x;
    xml_job j;
    memset(&j, 0, sizeof j);
    j.user = &b;
    int rc = parse_part(x, "xl/workbook.xml", SMALL_MAX, wb_start, no_end, NULL, &j, err, cap);
    if (rc == 1) { fail(err, cap, "not an .xlsx workbook (a zip without xl/workbook.xml)"); goto bad; }
    if (rc < 0) goto bad;
    if (x->nsheets == 0) { fail(err, cap, "the workbook has no sheets"); goto bad; }
    rc = parse_part(x, "xl/_rels/workbook.xml.rels", SMALL_MAX, rel_start, no_end, NULL, &j, err, cap);
    if (rc < 0) goto bad;
    for (int k = 0; k < x->nsheets; k++) {
        for (int t = 0; t < b.ntarget && !x->sheets[k].part; t++)
            if (b.target_rid[t] && b.target[t] && !strcmp(b.target_rid[t], b.rid[k]))
                x->sheets[k].part = sdup(b.target[t]);
        if (!x->sheets[k].part) {
            char guess[64];
            snprintf(guess, sizeof guess, "xl/worksheets/sheet%d.xml", k + 1);
            if (!(x->sheets[k].part = sdup(guess))) { fail(err, cap, "out of memory"); goto bad; }
        }
    }
    style_scan *ss = calloc(1, sizeof *ss);
    if (!ss) { fail(err, cap, "out of memory"); goto bad; }
    ss->x = x;
    j.user = ss;
    rc = parse_part(x, b.styles_part ? b.styles_part : "xl/styles.xml", SMALL_MAX, style_start,
                    style_end, NULL, &j, err, cap);
    free(ss);
    if (rc < 0) goto bad;
    sst_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.x = x;
    j.user = &sc;
    static const xss_handlers sst_h = {sst_start, sst_end, sst_text};
    rc = scan_part(x, b.sst_part ? b.sst_part : "xl/sharedStrings.xml", SST_MAX, &sst_h, &j, err, cap);
    if (rc < 0) goto bad;
    scan_free(&b);
    return x;
bad:
    scan_free(&b);
    imp_xlsx_free(x);
    return NULL;
}

static imp_xlsx *open_zip(zip_t *z, int zerr, char *err, size_t cap) {
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        fail(err, cap, "not a readable .xlsx workbook (corrupt or truncated zip: %s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return NULL;
    }
    imp_xlsx *x = calloc(1, sizeof *x);
    if (!x) { zip_discard(z); fail(err, cap, "out of memory"); return NULL; }
    x->zip = z;
    x->fd = -1;
    g_mutex_init(&x->ahead_m);
    return load(x, err, cap);
}

imp_xlsx *imp_xlsx_open_fd(int fd, char *err, size_t cap) {
    int d = dup(fd);
    if (d < 0) { fail(err, cap, "cannot open: %s", strerror(errno)); return NULL; }
    int zerr = 0;
    zip_t *z = zip_fdopen(d, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!z) close(d);
    imp_xlsx *x = open_zip(z, zerr, err, cap);
    if (x) x->fd = dup(fd);      /* -1: no reading ahead, no harm */
    return x;
}

imp_xlsx *imp_xlsx_open_mem(const void *buf, size_t len, char *err, size_t cap) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
    if (!src) { zip_error_fini(&ze); fail(err, cap, "out of memory"); return NULL; }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    int zerr = zip_error_code_zip(&ze);
    zip_error_fini(&ze);
    if (!z) zip_source_free(src);
    imp_xlsx *x = open_zip(z, zerr, err, cap);
    if (x) { x->mem = buf; x->mem_len = len; }
    return x;
}

int imp_xlsx_sheets(const imp_xlsx *x) { return x->nsheets; }
const char *imp_xlsx_sheet_name(const imp_xlsx *x, int i) {
    return i >= 0 && i < x->nsheets ? x->sheets[i].name : NULL;
}

/* ===== values ===== */

void imp_xlsx_number(double d, char *out, size_t cap) {
    if (d == 0) { snprintf(out, cap, "0"); return; }
    if (d == floor(d) && fabs(d) < 1e15) { snprintf(out, cap, "%.0f", d); return; }
    snprintf(out, cap, "%.15g", d);
    if (strtod(out, NULL) != d) snprintf(out, cap, "%.17g", d);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(long long z, int *y, int *m, int *d) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* A date-formatted serial as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'; a serial that is no
 * day (negative, a bare time of day, past year 9999) stays a number, which the date
 * parser refuses with its own reason. Serial 60 is Excel's 1900-02-29. */
static void fmt_date(double v, int date1904, char *out, size_t cap) {
    if (!(v >= 1) || v > 2958465) { imp_xlsx_number(v, out, cap); return; }
    long long day = (long long)floor(v);
    long secs = lround((v - (double)day) * 86400.0);
    if (secs >= 86400) { day++; secs = 0; }
    int y, m, d;
    if (!date1904 && day == 60) { y = 1900; m = 2; d = 29; }
    else {
        long long unix_day = date1904 ? day - 24107 : day >= 61 ? day - 25569 : day - 25568;
        civil(unix_day, &y, &m, &d);
    }
    if (y < 0 || y > 9999 || cap < 20) {    /* never from a serial in range; as printf would */
        if (secs) snprintf(out, cap, "%04d-%02d-%02d %02ld:%02ld:%02ld", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
        else snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
        return;
    }
    /* by hand: snprintf was a tenth of a date column's cost */
    int f[6] = {y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
    char *o = out;
    *o++ = (char)('0' + y / 1000);
    *o++ = (char)('0' + y / 100 % 10);
    for (int k = 0; k < (secs ? 6 : 3); k++) {
        if (k) *o++ = k < 3 ? '-' : k == 3 ? ' ' : ':';
        *o++ = (char)('0' + f[k] / 10 % 10);
        *o++ = (char)('0' + f[k] % 10);
    }
    *o = '\0';
}

/* ===== sheets ===== */

typedef struct {
    imp_xlsx *x;
    imp_xlsx_row_fn fn;
    void *arg;
    /* the row */
    long row;
    int ncols;
    char *buf;                       /* the cells' texts */
    size_t len, cap;
    size_t off[IMP_XLSX_MAX_COLS];
    long sk[IMP_XLSX_MAX_COLS];      /* a shared string's index (-1: the text is in buf) */
    int kind[IMP_XLSX_MAX_COLS];
    unsigned char has[IMP_XLSX_MAX_COLS];
    const char *ptrs[IMP_XLSX_MAX_COLS];
    /* the cell */
    int in_c, in_v, in_is, in_t, in_rph, has_v, has_f, col, style;
    char type;                       /* s, i(nlineStr), t (str), b, e, d, n */
    long crow;
    char *text;
    size_t tlen, tcap;
    struct ahead *ah;                /* the merged areas' thread, until its verdict */
    int restart;                     /* its verdict: read again, merged areas first */
    int merges_closed;               /* the grabbed <mergeCells> element ended (read_merges) */
    int blank;                       /* the row has a cell without a value, or a gap before a cell */
    long prev_row;                   /* the row and the width (last column) of the row before */
    int prev_width;
    /* merged areas, sorted by first row */
    merge *merges;
    int nmerges, next_merge;
    int active[MERGES_ACTIVE], nactive;
} sheet_scan;

static void cell_fail(xml_job *j, sheet_scan *s, int col, long row, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void cell_fail(xml_job *j, sheet_scan *s, int col, long row, const char *fmt, ...) {
    if (j->failed) return;
    s->x->err_row = row;
    s->x->err_col = col;
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, gettext(fmt), ap);
    va_end(ap);
    xml_fail(j, "%s", msg);
}

static int row_put(sheet_scan *s, const char *t, size_t n) {
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1) cap *= 2;
        char *p = realloc(s->buf, cap);
        if (!p) return -1;
        s->buf = p;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, t, n);
    s->buf[s->len + n] = '\0';
    s->len += n + 1;
    return 0;
}

static void set_cell(xml_job *j, sheet_scan *s, int col, const char *t, size_t n, int kind) {
    if (col > IMP_XLSX_MAX_COLS) {
        char name[16];
        imp_xlsx_cell_name(col, 0, name, sizeof name);
        cell_fail(j, s, col, s->row, "a value in column %s, past the %d columns a table may have", name,
                  IMP_XLSX_MAX_COLS);
        return;
    }
    size_t o = s->len;
    if (row_put(s, t, n) < 0) { xml_fail(j, "out of memory"); return; }
    s->off[col - 1] = o;
    s->sk[col - 1] = -1;
    s->kind[col - 1] = kind;
    s->has[col - 1] = 1;
    if (col > s->ncols) s->ncols = col;
}

/* A shared string's cell: looked up when the row is whole (emit_row), where the table's
 * cache misses of a row's cells overlap, and not copied. */
static void set_shared(xml_job *j, sheet_scan *s, int col, long k) {
    if (col > IMP_XLSX_MAX_COLS) {
        set_cell(j, s, col, "", 0, IMP_XCELL_VALUE);          /* its error */
        return;
    }
    s->sk[col - 1] = k;
    s->kind[col - 1] = IMP_XCELL_VALUE;
    s->has[col - 1] = 1;
    if (col > s->ncols) s->ncols = col;
}

static const char *cell_str(const sheet_scan *s, int c) {
    return s->sk[c] >= 0 ? s->x->sst + s->x->sst_off[s->sk[c]] : s->buf + s->off[c];
}

static void text_add(xml_job *j, sheet_scan *s, const char *t, size_t n) {
    if (s->tlen + n > IMP_XLSX_MAX_CELL) {
        cell_fail(j, s, s->col, s->crow, "a cell longer than %d bytes", IMP_XLSX_MAX_CELL);
        return;
    }
    if (s->tlen + n + 1 > s->tcap) {
        size_t cap = s->tcap ? s->tcap : 256;
        while (cap < s->tlen + n + 1) cap *= 2;
        char *p = realloc(s->text, cap);
        if (!p) { xml_fail(j, "out of memory"); return; }
        s->text = p;
        s->tcap = cap;
    }
    memcpy(s->text + s->tlen, t, n);
    s->tlen += n;
    s->text[s->tlen] = '\0';
}

/* Fills the cells merged areas cover, then hands the row out. The areas that reach
 * this row are kept in active[] (at most MERGES_ACTIVE: areas overlap only in a
 * hostile sheet), so a row costs the areas over it, not all of them. */
static int ahead_check(xml_job *j, sheet_scan *s);
static void own_area(struct ahead *a, const xss_attr *at, int na);

static void emit_row(xml_job *j, sheet_scan *s) {
    const imp_xlsx *x = s->x;
    for (int c = 0; c < s->ncols; c++)
        if (s->has[c] && s->sk[c] >= 0) __builtin_prefetch(&x->sst_off[s->sk[c]]);
    for (int c = 0; c < s->ncols; c++)
        if (s->has[c] && s->sk[c] >= 0) __builtin_prefetch(x->sst + x->sst_off[s->sk[c]]);
    for (int c = 0; c < s->ncols; c++) {
        if (!s->has[c] || s->sk[c] < 0) continue;
        const char *str = x->sst + x->sst_off[s->sk[c]];
        if (str[0] == '\x01' && !str[1]) {
            cell_fail(j, s, c + 1, s->row, "a cell longer than %d bytes", IMP_XLSX_MAX_CELL);
            return;
        }
    }
    if (s->ah && ahead_check(j, s)) return;
    while (s->next_merge < s->nmerges && s->merges[s->next_merge].r1 <= s->row) {
        if (s->nactive >= MERGES_ACTIVE) {
            cell_fail(j, s, 0, s->row, "more than %d merged areas over one row", MERGES_ACTIVE);
            return;
        }
        s->active[s->nactive++] = s->next_merge++;
    }
    int keep = 0;
    for (int k = 0; k < s->nactive && !j->failed; k++) {
        merge *m = &s->merges[s->active[k]];
        if (m->r2 < s->row) continue;
        s->active[keep++] = s->active[k];
        if (m->r1 == s->row && !m->val) {
            int c = m->c1 - 1;
            const char *v = c < s->ncols && s->has[c] ? cell_str(s, c) : "";
            m->kind = c < s->ncols && s->has[c] ? s->kind[c] : 0;
            if (!(m->val = strdup(v))) { xml_fail(j, "out of memory"); return; }
        }
        if (!m->val || !m->val[0]) continue;
        for (int c = m->c1; c <= m->c2 && c <= IMP_XLSX_MAX_COLS; c++)
            if (!(c <= s->ncols && s->has[c - 1]) && !(c == m->c1 && s->row == m->r1))
                set_cell(j, s, c, m->val, strlen(m->val), m->kind);
    }
    s->nactive = keep;
    if (j->failed || s->ncols == 0) return;
    for (int c = 0; c < s->ncols; c++) {
        s->ptrs[c] = s->has[c] ? cell_str(s, c) : "";
        if (!s->has[c]) s->kind[c] = IMP_XCELL_VALUE;
    }
    if (s->fn(s->arg, s->row, s->ncols, s->ptrs, s->kind) != 0) j->stopped = 1;
}

/* A 1-based number n[0..len) as strtol reads it after a NUL: the common case (up to
 * nine digits) without a copy. *ok: strtol read all of it without overflow. */
static long attr_long(const char *n, size_t len, int *ok) {
    if (len > 0 && len <= 9) {
        long v = 0;
        size_t k = 0;
        while (k < len && n[k] >= '0' && n[k] <= '9') v = v * 10 + (n[k++] - '0');
        if (k == len) { *ok = 1; return v; }
    }
    char *c = malloc(len + 1);
    if (!c) { *ok = 0; return 0; }
    memcpy(c, n, len);
    c[len] = '\0';
    char *end;
    errno = 0;
    long v = strtol(c, &end, 10);
    *ok = !*end && !errno;
    free(c);
    return v;
}

/* The value of an attribute quoted in a message (as '%.20s' would cut it). */
static const char *quoted(const xss_attr *a, char *out, size_t cap) {
    size_t n = a->vlen < cap - 1 ? a->vlen : cap - 1;
    memcpy(out, a->val, n);
    out[n] = '\0';
    return out;
}

static int sheet_start(void *ud, const char *n, size_t len, const xss_attr *a, int na) {
    xml_job *j = ud;
    sheet_scan *s = j->user;
    if (len == 1 && n[0] == 'c') {
        const xss_attr *r = NULL, *t = NULL, *st = NULL;
        for (int k = 0; k < na; k++) {          /* one pass: r, t, s (the cell's hot path) */
            if (a[k].nlen != 1) continue;
            char an = a[k].name[0];
            if (an == 'r') r = &a[k];
            else if (an == 't') t = &a[k];
            else if (an == 's') st = &a[k];
        }
        int col = s->col + 1;
        long row = s->row;
        if (r) {
            if (parse_ref_n(r->val, r->vlen, &col, &row) < 0 || col > IMP_XLSX_SHEET_COLS ||
                row > IMP_XLSX_SHEET_ROWS || row < 1) {
                char q[21];
                cell_fail(j, s, 0, s->row, "cell reference '%.20s' outside the sheet", quoted(r, q, sizeof q));
                return -1;
            }
            if (row != s->row) { cell_fail(j, s, col, row, "cell outside its row %ld", s->row); return -1; }
        }
        if (col <= s->col && s->col) { cell_fail(j, s, col, row, "cell out of order in its row"); return -1; }
        if (col != s->col + 1) s->blank = 1;          /* a gap: cells missing (read ahead) */
        s->col = col;
        s->crow = row;
        s->type = !t ? 'n' : NAME_IS(t->val, t->vlen, "inlineStr") ? 'i' : NAME_IS(t->val, t->vlen, "str") ? 't'
                : t->vlen == 1 ? t->val[0] : '?';
        int ok;
        s->style = st ? (int)attr_long(st->val, st->vlen, &ok) : 0;
        s->in_c = 1;
        s->has_v = s->has_f = 0;
        s->tlen = 0;
        if (s->text) s->text[0] = '\0';
    } else if (NAME_IS(n, len, "row")) {
        const xss_attr *r = NULL;
        for (int k = 0; k < na && !r; k++)
            if (a[k].nlen == 1 && a[k].name[0] == 'r') r = &a[k];
        long row = s->row + 1;
        if (r) {
            int ok;
            row = attr_long(r->val, r->vlen, &ok);
            if (!ok || row < 1 || row > IMP_XLSX_SHEET_ROWS) {
                char q[21];
                cell_fail(j, s, 0, 0, "row reference '%.20s' outside the sheet", quoted(r, q, sizeof q));
                return -1;
            }
        }
        if (row <= s->row) { cell_fail(j, s, 0, row, "row %ld out of order (after row %ld)", row, s->row); return -1; }
        s->row = row;
        s->ncols = 0;
        s->len = 0;
        memset(s->has, 0, sizeof s->has);
        s->blank = 0;
    } else if (s->ah && NAME_IS(n, len, "mergeCell")) {
        own_area(s->ah, a, na);
    } else if (s->in_c) {
        if (NAME_IS(n, len, "v")) { s->in_v = 1; s->has_v = 1; }
        else if (NAME_IS(n, len, "f")) s->has_f = 1;
        else if (NAME_IS(n, len, "is")) s->in_is = 1;
        else if (NAME_IS(n, len, "rPh")) s->in_rph = 1;
        else if (NAME_IS(n, len, "t") && s->in_is && !s->in_rph) { s->in_t = 1; s->has_v = 1; }
    }
    return scan_go(j);
}

/* -?D+(.D+)? with no superfluous zero in front: a number that reads as itself. */
static int plain_number(const char *v) {
    const char *p = v + (*v == '-');
    if (!(*p >= '0' && *p <= '9') || (p[0] == '0' && p[1] >= '0' && p[1] <= '9')) return 0;
    while (*p >= '0' && *p <= '9') p++;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9') p++;
    }
    return !*p && strcmp(v, "-0");
}

static void cell_end(xml_job *j, sheet_scan *s) {
    char t = s->type;
    const char *v = s->text ? s->text : "";
    char num[64];
    if (!s->has_v || (s->has_f && !s->tlen && t != 't' && t != 'i')) {
        if (s->has_f)
            set_cell(j, s, s->col, "", 0, IMP_XCELL_NO_CACHE);
        return;
    }
    if (t == 's') {
        /* the index: decimal digits only (the hot path of a sheet: no strtol, no strlen) */
        long k = 0;
        const char *d = v;
        while (*d >= '0' && *d <= '9' && k <= s->x->nsst) k = k * 10 + (*d++ - '0');
        if (d == v || *d || k >= s->x->nsst) {
            cell_fail(j, s, s->col, s->crow, "shared string %.20s does not exist", v);
            return;
        }
        set_shared(j, s, s->col, k);
    } else if (t == 'i' || t == 't') {
        set_cell(j, s, s->col, v, s->tlen, IMP_XCELL_VALUE);
    } else if (t == 'b') {
        set_cell(j, s, s->col, strcmp(v, "0") ? "1" : "0", 1, IMP_XCELL_VALUE);
    } else if (t == 'e') {
        set_cell(j, s, s->col, v, s->tlen, IMP_XCELL_ERROR);
    } else if (t == 'd') {                    /* ISO 8601 text */
        snprintf(num, sizeof num, "%.19s", v);
        char *tt = strchr(num, 'T');
        if (tt) *tt = ' ';
        set_cell(j, s, s->col, num, strlen(num), IMP_XCELL_VALUE);
    } else {
        if (!s->tlen) return;
        int date = s->style >= 0 && s->style < s->x->nxf && s->x->xf_date[s->style];
        if (!date && plain_number(v)) {            /* as written: no need to reformat */
            set_cell(j, s, s->col, v, s->tlen, IMP_XCELL_VALUE);
            return;
        }
        double d;
        size_t k = 0;
        long iv = 0;
        while (k < s->tlen && k < 9 && v[k] >= '0' && v[k] <= '9') iv = iv * 10 + (v[k++] - '0');
        if (k && k == s->tlen) d = (double)iv;            /* a day serial: no strtod */
        else {
            char *end;
            d = strtod(v, &end);
            if (end == v || *end || !isfinite(d)) {
                cell_fail(j, s, s->col, s->crow, "a number cell holding '%.40s'", v);
                return;
            }
        }
        if (date)
            fmt_date(d, s->x->date1904, num, sizeof num);
        else
            imp_xlsx_number(d, num, sizeof num);
        set_cell(j, s, s->col, num, strlen(num), IMP_XCELL_VALUE);
    }
}

static int sheet_end(void *ud, const char *n, size_t len) {
    xml_job *j = ud;
    sheet_scan *s = j->user;
    if (len == 1 && n[0] == 'c') {
        if (s->in_c) {
            s->in_c = 0;
            if (!s->has_v && !s->has_f) s->blank = 1;     /* a cell written empty (read ahead) */
            cell_end(j, s);
        }
    } else if (NAME_IS(n, len, "v")) s->in_v = 0;
    else if (NAME_IS(n, len, "is")) s->in_is = 0;
    else if (NAME_IS(n, len, "rPh")) s->in_rph = 0;
    else if (NAME_IS(n, len, "t")) s->in_t = 0;
    else if (NAME_IS(n, len, "row")) {
        emit_row(j, s);
        s->col = 0;
    }
    return scan_go(j);
}

static int sheet_text(void *ud, const char *t, size_t len) {
    xml_job *j = ud;
    sheet_scan *s = j->user;
    if ((s->in_v || s->in_t) && len > 0) text_add(j, s, t, len);
    return scan_go(j);
}

/* ===== merged areas (read first: they follow the cells in the sheet) ===== */

typedef struct {
    sheet_scan *s;
} merge_scan;

static void merge_end(void *ud, const XML_Char *el) {
    xml_job *j = ud;
    sheet_scan *s = j->user;
    if (!strcmp(local(el), "mergeCells")) s->merges_closed = 1;
}

static void merge_start(void *ud, const XML_Char *el, const XML_Char **a) {
    xml_job *j = ud;
    sheet_scan *s = j->user;
    if (strcmp(local(el), "mergeCell")) return;
    const char *ref = attr(a, "ref");
    if (!ref) return;
    char one[32], two[32];
    const char *colon = strchr(ref, ':');
    if (!colon || colon - ref >= 31 || strlen(colon + 1) >= 31) return;
    snprintf(one, sizeof one, "%.*s", (int)(colon - ref), ref);
    snprintf(two, sizeof two, "%s", colon + 1);
    merge m;
    memset(&m, 0, sizeof m);
    if (parse_ref(one, &m.c1, &m.r1) < 0 || parse_ref(two, &m.c2, &m.r2) < 0 || m.c1 > m.c2 ||
        m.r1 > m.r2 || m.c2 > IMP_XLSX_SHEET_COLS || m.r2 > IMP_XLSX_SHEET_ROWS || m.r1 < 1 || m.c1 < 1) {
        cell_fail(j, s, 0, 0, "merged area '%.40s' outside the sheet", ref);
        return;
    }
    if (m.c1 > IMP_XLSX_MAX_COLS) return;           /* past any table: never filled */
    if (s->nmerges >= MERGES_MAX) { xml_fail(j, "more than %d merged areas", MERGES_MAX); return; }
    if (s->nmerges % 64 == 0) {
        merge *p = realloc(s->merges, ((size_t)s->nmerges + 64) * sizeof *p);
        if (!p) { xml_fail(j, "out of memory"); return; }
        s->merges = p;
    }
    s->merges[s->nmerges++] = m;
}

/* The merged areas follow the cells, at the end of the sheet: rather than parse the
 * whole sheet twice, a first pass inflates it looking for "mergeCells" (memchr and a
 * byte matcher) and keeps what follows, which is then parsed alone (its end tags may
 * not match: expat stops there, after the areas). The word may also stand in a cell's
 * text, before the real element: what follows it is then not the areas, so they count
 * only when the element parsed closes (merge_end); when it does not, or when what
 * follows is too long, the whole sheet is parsed for them after all. */
enum { GRAB_MAX = 8 * 1024 * 1024 };
typedef struct {
    int state, started, overflow;
    char *buf;
    size_t len, cap;
} merge_grab;

static int grab_put(merge_grab *g, const char *p, size_t n) {
    if (g->len + n > GRAB_MAX) { g->overflow = 1; return 1; }
    if (g->len + n > g->cap) {
        size_t cap = g->cap ? g->cap : 65536;
        while (cap < g->len + n) cap *= 2;
        char *q = realloc(g->buf, cap);
        if (!q) { g->overflow = 1; return 1; }
        g->buf = q;
        g->cap = cap;
    }
    memcpy(g->buf + g->len, p, n);
    g->len += n;
    return 0;
}

static int grab_chunk(void *arg, const char *buf, size_t n, int last, char *err, size_t cap) {
    (void)last; (void)err; (void)cap;
    static const char word[] = "mergeCells";
    merge_grab *g = arg;
    size_t i = 0;
    while (!g->started && i < n) {
        if (g->state == 0) {
            const char *m = memchr(buf + i, 'm', n - i);
            if (!m) return 0;
            i = (size_t)(m - buf);
        }
        if (buf[i] == word[g->state]) {
            i++;
            if (++g->state == (int)sizeof word - 1) {
                g->started = 1;
                if (grab_put(g, "<mergeCells", 11)) return 1;
            }
        } else {
            g->state = 0;
            if (buf[i] != 'm') i++;
        }
    }
    return g->started && i < n ? grab_put(g, buf + i, n - i) : 0;
}

/* Reads the merged areas of sheet part into s: 0, or -1 (err). */
static int read_merges(imp_xlsx *x, const char *part, sheet_scan *s, xml_job *j, char *err, size_t cap) {
    merge_grab g;
    memset(&g, 0, sizeof g);
    int rc = read_part(x, part, ENTRY_MAX, grab_chunk, &g, err, cap);
    if (rc == 0 && g.overflow)
        rc = parse_part(x, part, ENTRY_MAX, merge_start, no_end, NULL, j, err, cap);
    else if (rc == 0 && g.started) {
        XML_Parser p = XML_ParserCreate("UTF-8");
        if (!p) { free(g.buf); return fail(err, cap, "out of memory"); }
        j->p = p;
        j->failed = j->stopped = 0;
        j->err = err;
        j->cap = cap;
        XML_SetUserData(p, j);
        XML_SetElementHandler(p, merge_start, merge_end);
        XML_SetStartDoctypeDeclHandler(p, on_doctype);
        XML_SetEntityDeclHandler(p, on_entity);
        XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
        s->merges_closed = 0;
        XML_Parse(p, g.buf, (int)g.len, 1);       /* a syntax error at the end is expected */
        XML_ParserFree(p);
        j->p = NULL;
        if (j->failed) {
            rc = -1;
        } else if (!s->merges_closed) {           /* not the element: the word in a text */
            for (int k = 0; k < s->nmerges; k++) free(s->merges[k].val);
            free(s->merges);
            s->merges = NULL;
            s->nmerges = 0;
            rc = parse_part(x, part, ENTRY_MAX, merge_start, no_end, NULL, j, err, cap);
        }
    }
    free(g.buf);
    return rc;
}

static int by_first_row(const void *a, const void *b) {
    const merge *x = a, *y = b;
    return (x->r1 > y->r1) - (x->r1 < y->r1);
}

/* ===== reading ahead of the merged areas (a large sheet) =====
 *
 * Finding the merged areas first costs a whole inflation of the sheet (they follow
 * the cells). On a large sheet the rows are read as if there were none, and the verdict
 * comes from one of two places. The main pass meets the areas at the sheet's end
 * (own_area) and decides there, when nothing needed a verdict sooner. Otherwise a thread
 * does the first pass (ahead_go: on signs of merged cells in the first rows, when the
 * held messages fill up, when the read stops early; on its own zip handle: libzip's are
 * not shared between threads). Either way the read stands when no area covers a row
 * already given out (the areas are then applied to the rows still to come, as the
 * sequential read would); else (such an area, an error, a part whose size is not the
 * one declared, an area the sequential read would refuse) it must be done again with the
 * areas first: imp_xlsx_read says IMP_XLSX_RESTART. Under the mutex: decided, restart,
 * started and handed (the last row given out); the thread's own handle, counters and
 * areas are handed over once decided is set; the main pass's own areas are its alone. */

enum { AHEAD_FROM = 8 << 20 };      /* bytes of a sheet part read ahead (the env can say) */
enum { AHEAD_EARLY_ROWS = 20 };      /* rows whose empty cells start the areas' thread at once */

typedef struct ahead {
    imp_xlsx *x;                     /* read only: the sheet's part name */
    imp_xlsx y;                      /* the thread's: zip handle, inflated bytes */
    sheet_scan *ms;                  /* the thread's: the areas found */
    const char *part;
    long long size;                  /* the part's declared size */
    GThread *t;
    GMutex m;
    int decided, restart;            /* under m */
    int started;                     /* under m: the thread runs (or ran) */
    int found;                       /* the thread's: every area read, the whole part inflated */
    merge *own;                      /* the areas the main pass met at the sheet's end (its own) */
    int nown, own_bad;               /* how many; 1: one it cannot take (the sequential read says why) */
    long handed;                     /* under m */
} ahead;

/* Reading the workbook's file through pread: a handle with an offset of its own. */
typedef struct {
    int fd;
    zip_uint64_t off, size;
    zip_error_t err;
} pread_src;

static zip_int64_t pread_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
    pread_src *p = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN: p->off = 0; return 0;
    case ZIP_SOURCE_READ: {
        if (p->off >= p->size) return 0;
        if (len > p->size - p->off) len = p->size - p->off;
        ssize_t n = pread(p->fd, data, (size_t)len, (off_t)p->off);
        if (n < 0) { zip_error_set(&p->err, ZIP_ER_READ, errno); return -1; }
        p->off += (zip_uint64_t)n;
        return n;
    }
    case ZIP_SOURCE_CLOSE: return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = p->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR: return zip_error_to_data(&p->err, data, len);
    case ZIP_SOURCE_FREE: zip_error_fini(&p->err); free(p); return 0;
    case ZIP_SOURCE_SEEK: {
        zip_int64_t o = zip_source_seek_compute_offset(p->off, p->size, data, len, &p->err);
        if (o < 0) return -1;
        p->off = (zip_uint64_t)o;
        return 0;
    }
    case ZIP_SOURCE_TELL: return (zip_int64_t)p->off;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_SUPPORTS, -1);
    default: zip_error_set(&p->err, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
}

/* A second zip handle on x's bytes, or NULL. */
static zip_t *reopen(const imp_xlsx *x) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = NULL;
    if (x->mem) {
        src = zip_source_buffer_create(x->mem, x->mem_len, 0, &ze);
    } else if (x->fd >= 0) {
        struct stat st;
        pread_src *p = calloc(1, sizeof *p);
        if (p && fstat(x->fd, &st) == 0) {
            p->fd = x->fd;
            p->size = (zip_uint64_t)st.st_size;
            zip_error_init(&p->err);
            if (!(src = zip_source_function_create(pread_cb, p, &ze))) free(p);
        } else {
            free(p);
        }
    }
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (src && !z) zip_source_free(src);
    zip_error_fini(&ze);
    return z;
}

/* The declared size of part name, or -1. */
static long long part_size(imp_xlsx *x, const char *name) {
    zip_int64_t idx = zip_name_locate(x->zip, name, 0);
    if (idx < 0) idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
    zip_stat_t st;
    zip_stat_init(&st);
    if (idx < 0 || zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return -1;
    return (long long)st.size;
}

int imp_xlsx_ahead(imp_xlsx *x, int i) {
    if (i < 0 || i >= x->nsheets || (x->fd < 0 && !x->mem)) return 0;
    long long from = AHEAD_FROM;
    const char *env = getenv("YINGJI_XLSX_AHEAD_FROM");     /* tests: the threshold */
    if (env && *env) from = strtoll(env, NULL, 10);
    long long size = part_size(x, x->sheets[i].part);
    /* within the caps, both reads alike: neither can meet the total's */
    return size >= 0 && size >= from && size <= ENTRY_MAX && x->inflated + 2 * size <= TOTAL_MAX;
}

void imp_xlsx_on_verdict(imp_xlsx *x, imp_xlsx_verdict_fn fn, void *arg) {
    x->verdict = fn;
    x->verdict_arg = arg;
}

static gpointer ahead_main(gpointer data) {
    ahead *a = data;
    int ok = 0;
    if ((a->y.zip = reopen(a->x))) {
        xml_job j;
        memset(&j, 0, sizeof j);
        j.user = a->ms;
        char err[512];
        ok = read_merges(&a->y, a->part, a->ms, &j, err, sizeof err) == 0 && a->y.inflated == a->size;
        a->found = ok;
        if (ok && a->ms->nmerges > 1) qsort(a->ms->merges, (size_t)a->ms->nmerges, sizeof *a->ms->merges, by_first_row);
        zip_discard(a->y.zip);
        a->y.zip = NULL;
    }
    g_mutex_lock(&a->m);
    a->restart = !ok || (a->ms->nmerges > 0 && a->ms->merges[0].r1 <= a->handed);
    a->decided = 1;
    g_mutex_unlock(&a->m);
    if (a->x->verdict) a->x->verdict(a->x->verdict_arg, a->restart);
    return NULL;
}

static void ahead_free(ahead *a) {
    if (!a) return;
    if (a->ms) {
        for (int k = 0; k < a->ms->nmerges; k++) free(a->ms->merges[k].val);
        free(a->ms->merges);
        free(a->ms);
    }
    for (int k = 0; k < a->nown; k++) free(a->own[k].val);
    free(a->own);
    g_mutex_clear(&a->m);
    free(a);
}

/* The read ahead of sheet i, its thread not started yet (ahead_go), or NULL (then read
 * the areas first). */
static ahead *ahead_new(imp_xlsx *x, int i) {
    ahead *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    g_mutex_init(&a->m);
    a->x = x;
    a->y.fd = -1;
    a->y.raw = 1;                    /* the main pass checks the part's CRC */
    a->part = x->sheets[i].part;
    a->size = part_size(x, a->part);
    if (!(a->ms = calloc(1, sizeof *a->ms))) { ahead_free(a); return NULL; }
    a->ms->x = &a->y;
    return a;
}

/* Starts the areas' thread unless it runs or a verdict is in: 1, or 0 when it cannot
 * start (the verdict is then "read again", which the caller tells: under the hold's
 * lock it must not call the verdict function). */
static int ahead_go(ahead *a) {
    g_mutex_lock(&a->m);
    int ok = 1;
    if (!a->started && !a->decided) {
        if ((a->t = g_thread_try_new("yingji-merges", ahead_main, a, NULL))) {
            a->started = 1;
        } else {
            a->decided = 1;
            a->restart = 1;
            ok = 0;
        }
    }
    g_mutex_unlock(&a->m);
    return ok;
}

int imp_xlsx_need_verdict(imp_xlsx *x) {
    g_mutex_lock(&x->ahead_m);
    int ok = x->cur_ahead ? ahead_go(x->cur_ahead) : 1;
    g_mutex_unlock(&x->ahead_m);
    return ok;
}

/* A mergeCell element the main pass meets (at the sheet's end) while no verdict is in:
 * kept as the areas' pass would keep it; what that pass would refuse or skip marks the
 * read for the sequential one. */
static void own_area(ahead *a, const xss_attr *at, int na) {
    const xss_attr *ref = NULL;
    for (int k = 0; k < na && !ref; k++)
        if (NAME_IS(at[k].name, at[k].nlen, "ref")) ref = &at[k];
    if (!ref) return;
    const char *colon = memchr(ref->val, ':', ref->vlen);
    merge m;
    memset(&m, 0, sizeof m);
    if (!colon || parse_ref_n(ref->val, (size_t)(colon - ref->val), &m.c1, &m.r1) < 0 ||
        parse_ref_n(colon + 1, ref->vlen - (size_t)(colon + 1 - ref->val), &m.c2, &m.r2) < 0 || m.c1 > m.c2 ||
        m.r1 > m.r2 || m.c2 > IMP_XLSX_SHEET_COLS || m.r2 > IMP_XLSX_SHEET_ROWS || m.r1 < 1 || m.c1 < 1 ||
        colon - ref->val >= 31 || ref->vlen - (size_t)(colon + 1 - ref->val) >= 31) {
        a->own_bad = 1;
        return;
    }
    if (m.c1 > IMP_XLSX_MAX_COLS) return;
    if (a->nown >= MERGES_MAX) { a->own_bad = 1; return; }
    if (a->nown % 64 == 0) {
        merge *p = realloc(a->own, ((size_t)a->nown + 64) * sizeof *p);
        if (!p) { a->own_bad = 1; return; }
        a->own = p;
    }
    a->own[a->nown++] = m;
}

/* Before a row takes the merged areas (the parsing thread): while the thread has not
 * decided, the row is given out without them; once it has, the read stands (its areas
 * taken, the sequential read from here on) or stops (1). */
static int ahead_check(xml_job *j, sheet_scan *s) {
    ahead *a = s->ah;
    /* signs of merged cells in the first rows (a merged title or header, a unit merged
     * down): a cell written empty (Excel writes the covered cells so), cells missing
     * before a cell, a row of another width than the one before, a row missing. Then the
     * areas' thread starts now, as the verdict will likely be to read again; without them
     * (a machine's export) the main pass gives the verdict at the sheet's end. */
    int signs = s->blank || (s->prev_row && (s->row != s->prev_row + 1 || s->col != s->prev_width));
    s->prev_row = s->row;
    s->prev_width = s->col;
    if (signs && s->row <= AHEAD_EARLY_ROWS && !ahead_go(a) && a->x->verdict)
        a->x->verdict(a->x->verdict_arg, 1);
    g_mutex_lock(&a->m);
    int decided = a->decided, restart = a->restart;
    if (!decided) a->handed = s->row;
    g_mutex_unlock(&a->m);
    if (!decided) return 0;
    s->ah = NULL;
    if (restart) {
        s->restart = 1;
        j->stopped = 1;
        return 1;
    }
    s->merges = a->ms->merges;
    s->nmerges = a->ms->nmerges;
    a->ms->merges = NULL;
    a->ms->nmerges = 0;
    return 0;
}

/* A read ahead's areas, kept for the read again (imp_xlsx.h). */
struct imp_xlsx_areas {
    struct stat file;                /* the workbook they were found in (device, inode, size, time) */
    char *part;                      /* the sheet's part */
    merge *merges;                   /* sorted by first row, no value taken yet */
    int nmerges;
    long long inflated;              /* what finding them inflated */
};

void imp_xlsx_areas_free(imp_xlsx_areas *a) {
    if (!a) return;
    for (int k = 0; k < a->nmerges; k++) free(a->merges[k].val);
    free(a->merges);
    free(a->part);
    free(a);
}

/* After a read ahead that ended in a restart with every area found: its areas into
 * x->areas (nothing when memory runs out: the read again finds them itself). */
static void keep_areas(imp_xlsx *x, ahead *a) {
    imp_xlsx_areas *k = calloc(1, sizeof *k);
    if (!k) return;
    if (x->fd < 0 || fstat(x->fd, &k->file) != 0 || !(k->part = strdup(a->part))) { free(k); return; }
    k->merges = a->ms->merges;
    k->nmerges = a->ms->nmerges;
    k->inflated = a->y.inflated;
    a->ms->merges = NULL;
    a->ms->nmerges = 0;
    imp_xlsx_areas_free(x->areas);
    x->areas = k;
}

imp_xlsx_areas *imp_xlsx_take_areas(imp_xlsx *x) {
    imp_xlsx_areas *a = x->areas;
    x->areas = NULL;
    return a;
}

void imp_xlsx_give_areas(imp_xlsx *x, imp_xlsx_areas *a) {
    imp_xlsx_areas_free(x->areas);
    x->areas = a;
}

/* Whether two stats are of the same file, unchanged. */
static int same_file(const struct stat *a, const struct stat *b) {
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The areas given for part into s, counted as inflated as the first pass would have
 * been: 1, or 0 (none given for it, or given from another file: dropped). */
static int take_given_areas(imp_xlsx *x, const char *part, sheet_scan *s) {
    imp_xlsx_areas *a = x->areas;
    struct stat now;
    if (!a) return 0;
    /* the path may name another file by now (a workbook saved again: a new file renamed
     * over it): areas found in one file are never given to another's rows */
    if (strcmp(a->part, part) || x->fd < 0 || fstat(x->fd, &now) != 0 || !same_file(&a->file, &now)) {
        imp_xlsx_areas_free(a);
        x->areas = NULL;
        return 0;
    }
    s->merges = a->merges;
    s->nmerges = a->nmerges;
    x->inflated += a->inflated;
    a->merges = NULL;
    a->nmerges = 0;
    imp_xlsx_areas_free(a);
    x->areas = NULL;
    return 1;
}

int imp_xlsx_read(imp_xlsx *x, int i, int merges, imp_xlsx_row_fn fn, void *arg, char *err,
                  size_t cap) {
    static const xss_handlers sheet_h = {sheet_start, sheet_end, sheet_text};
    x->err_row = 0;
    x->err_col = 0;
    if (i < 0 || i >= x->nsheets) return fail(err, cap, "no sheet %d", i + 1);
    sheet_scan *s = calloc(1, sizeof *s);
    if (!s) return fail(err, cap, "out of memory");
    s->x = x;
    s->fn = fn;
    s->arg = arg;
    xml_job j;
    memset(&j, 0, sizeof j);
    j.user = s;
    int rc = 0;
    ahead *a = NULL;
    if (merges == IMP_XLSX_MERGES_AHEAD) {
        if (imp_xlsx_ahead(x, i) && (a = ahead_new(x, i))) merges = 0;
        else {
            merges = 1;
            if (x->verdict) x->verdict(x->verdict_arg, 0);      /* the areas first: it stands */
        }
    }
    if (merges && take_given_areas(x, x->sheets[i].part, s)) {
        /* the areas a read ahead found: its first pass is not done again */
    } else if (merges) {
        rc = read_merges(x, x->sheets[i].part, s, &j, err, cap);
        if (s->nmerges > 1) qsort(s->merges, (size_t)s->nmerges, sizeof *s->merges, by_first_row);
    }
    s->ah = a;
    if (a) {
        g_mutex_lock(&x->ahead_m);
        x->cur_ahead = a;
        g_mutex_unlock(&x->ahead_m);
    }
    if (rc == 0)
        rc = scan_part(x, x->sheets[i].part, ENTRY_MAX, &sheet_h, &j, err, cap);
    if (rc == 1) rc = fail(err, cap, "sheet '%s': its part %s is missing from the workbook", x->sheets[i].name,
                           x->sheets[i].part);
    if (a) {
        /* the whole sheet read and no thread started: the verdict is the main pass's own,
         * from the areas it met at the end; else (an error, the read stopped) the thread's,
         * started now if need be: an error waits for the verdict too */
        int own = 0;
        g_mutex_lock(&a->m);
        if (!a->started && !a->decided && rc == 0 && !j.stopped && !j.failed) {
            own = 1;
            if (a->nown > 1) qsort(a->own, (size_t)a->nown, sizeof *a->own, by_first_row);
            a->decided = 1;
            a->restart = a->own_bad || (a->nown > 0 && a->own[0].r1 <= a->handed);
        }
        g_mutex_unlock(&a->m);
        if (own) {
            if (x->verdict) x->verdict(x->verdict_arg, a->restart);
            a->y.inflated = a->size;             /* counted as the first pass would have */
            if (a->restart && !a->own_bad) {     /* carried into the read again */
                merge *t = a->ms->merges;
                a->ms->merges = a->own;
                a->ms->nmerges = a->nown;
                a->own = t;
                a->nown = 0;
                a->found = 1;
            }
        } else if (!ahead_go(a) && x->verdict) {
            x->verdict(x->verdict_arg, 1);
        }
        g_mutex_lock(&x->ahead_m);               /* no more need of a verdict (hold) */
        x->cur_ahead = NULL;
        g_mutex_unlock(&x->ahead_m);
        if (a->started) g_thread_join(a->t);
        if (a->restart) rc = IMP_XLSX_RESTART;
        else x->inflated += a->y.inflated;       /* as the first pass would have counted */
        if (a->restart && a->found) keep_areas(x, a);
        ahead_free(a);
    }
    for (int k = 0; k < s->nmerges; k++) free(s->merges[k].val);
    free(s->merges);
    free(s->buf);
    free(s->text);
    free(s);
    return rc;
}

void imp_xlsx_error_cell(const imp_xlsx *x, long *row, int *col) {
    *row = x->err_row;
    *col = x->err_col;
}
