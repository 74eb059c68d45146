/* script_xlsx.c — the published tables of a run as an Excel workbook (`yingji run
 * --format xlsx`), written with libxlsxwriter: one sheet per table in publication order,
 * headed by the columns' titles, with number formats by column kind (scores 0.00,
 * percentages, integers, dates as Excel dates), a frozen header row, an autofilter and
 * widths measured with CJK characters as two; then a sheet 说明 with the run's
 * provenance. The file goes through util/out_file (temp beside the target, renamed).
 *
 * The workbook is written in libxlsxwriter's constant-memory mode (each row streams to a
 * temporary file once complete, strings inline): a table is written row by row.
 *
 * Same results and as-of, same bytes: the document's creation date is the as-of date
 * (libxlsxwriter would otherwise take the clock), and nothing else varies.
 *
 * The parts are deflated at zlib level 1, not libxlsxwriter's fixed default (6), through
 * zipOpenNewFileInZip4_64 below: see there and docs/performance.md. */
#define _GNU_SOURCE             /* RTLD_NEXT */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <xlsxwriter.h>

#include "out_file.h"
#include "script_int.h"
#include "sha256.h"
#include "utf8.h"
#include "version.h"

/* Excel's limits: rows and columns of a sheet, characters of a cell. */
#define XLSX_MAX_ROWS 1048576
#define XLSX_MAX_COLS 16384
#define XLSX_MAX_CELL 32767
/* Column widths (in characters): at most WIDE, wider text wraps. */
#define XLSX_WIDE 60

typedef struct {
    lxw_workbook *wb;
    lxw_format *head, *integer, *score, *pct, *date, *wrap, *real;
    char *err;
    size_t errlen;
} xlsx;

/* ===== the parts' deflate level =====
 * libxlsxwriter deflates every part of the package through minizip at zlib's default
 * level (6) and has no option to choose another; at that level deflate is 40% of writing
 * a 100,000-row table (docs/performance.md). The call is a dynamic one from
 * libxlsxwriter.so.4 into libminizip.so.1, so the yingji binary defines the same symbol
 * and exports it (Makefile: -Wl,--export-dynamic-symbol): the dynamic linker binds
 * libxlsxwriter's call to this wrapper (the executable comes first in the lookup), which
 * asks for level 1 where the default level was asked for and hands every argument on to
 * minizip's own function (dlsym RTLD_NEXT: the next definition after the executable).
 * Level 1 is as deterministic as 6 (same zlib, same bytes); the workbook is ~25% larger.
 * Anything else (another method, an explicit level) passes unchanged. Where the wrapper
 * is not reached (a binary linked without the flag, a libxlsxwriter with minizip built
 * in) the parts are written at level 6: the same workbook, slower.
 * tests/e2e/xlsx_deflate.sh checks each part's level flag (minizip records level 1 as
 * general-purpose bits 1 and 2 of the entry's header). */
#define XLSX_DEFLATE_LEVEL 1
#define XLSX_Z_DEFLATED 8                 /* zlib's Z_DEFLATED */
#define XLSX_Z_DEFAULT_COMPRESSION (-1)   /* zlib's Z_DEFAULT_COMPRESSION */
#define XLSX_ZIP_INTERNALERROR (-104)     /* minizip's ZIP_INTERNALERROR */

/* minizip's prototype (zip.h: zipFile and zip_fileinfo * as void *, uInt, uLong). */
typedef int (*zip_open_entry_fn)(void *, const char *, const void *, const void *, unsigned,
                                 const void *, unsigned, const char *, int, int, int, int, int,
                                 int, const char *, unsigned long, unsigned long, unsigned long,
                                 int);
int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64);

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extra_local, unsigned size_local, const void *extra_global,
                            unsigned size_global, const char *comment, int method, int level,
                            int raw, int window_bits, int mem_level, int strategy,
                            const char *password, unsigned long crc_for_crypting,
                            unsigned long version_made_by, unsigned long flag_base, int zip64) {
    /* looked up on each call (a workbook has ~10 parts): no state shared between threads */
    void *sym = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    zip_open_entry_fn real = NULL, self = zipOpenNewFileInZip4_64;
    if (sym) memcpy(&real, &sym, sizeof real);
    if (!real || real == self) return XLSX_ZIP_INTERNALERROR;      /* no minizip after us */
    if (method == XLSX_Z_DEFLATED && level == XLSX_Z_DEFAULT_COMPRESSION) level = XLSX_DEFLATE_LEVEL;
    return real(file, filename, zipfi, extra_local, size_local, extra_global, size_global, comment,
                method, level, raw, window_bits, mem_level, strategy, password, crc_for_crypting,
                version_made_by, flag_base, zip64);
}

/* The kind of column c of t: the script's (publish's formats), else judged by the
 * values: integers only → integer, any fraction → score, ISO dates only → date. */
static yj_col_kind column_kind(const yj_table *t, size_t c) {
    if (t->kinds && t->kinds[c] != YJ_COL_AUTO) return (yj_col_kind)t->kinds[c];
    int ints = 0, reals = 0, dates = 0, other = 0;
    for (size_t row = 0; row < t->nrows; row++) {
        yj_value v = t->cells[row * t->ncols + c];
        yj_ymd d;
        if (v.type == YJ_VAL_INT) ints++;
        else if (v.type == YJ_VAL_REAL) reals++;
        else if (v.type == YJ_VAL_TEXT && v.u.t.len == 10 && yj_parse_iso(v.u.t.s, &d) == 0) dates++;
        else if (v.type != YJ_VAL_NULL) other++;
    }
    if (other) return YJ_COL_TEXT;
    if (dates && !ints && !reals) return YJ_COL_DATE;
    if (reals && !dates) return YJ_COL_SCORE;
    if (ints && !dates) return YJ_COL_INTEGER;
    return YJ_COL_TEXT;
}

static int fail_lxw(xlsx *x, const char *what, lxw_error e) {
    snprintf(x->err, x->errlen, "%s: %s", what, lxw_strerror(e));
    return -1;
}

/* A sheet name Excel accepts and no other sheet has (说明 is the provenance's): the
 * table's name, or T<n> (n its place among the published tables). */
static void sheet_name(xlsx *x, const char *name, size_t n, char *out, size_t cap) {
    if (strlen(name) < cap && yj_utf8_valid(name, strlen(name)) && strcmp(name, "说明") &&
        workbook_validate_sheet_name(x->wb, name) == LXW_NO_ERROR)
        snprintf(out, cap, "%s", name);
    else
        snprintf(out, cap, "T%zu", n + 1);
}

static int write_cell(xlsx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, yj_value v,
                      yj_col_kind kind, lxw_format *textf) {
    lxw_error e = LXW_NO_ERROR;
    lxw_format *nf = kind == YJ_COL_PCT ? x->pct : kind == YJ_COL_SCORE ? x->score
                   : kind == YJ_COL_INTEGER ? x->integer : NULL;
    switch (v.type) {
    case YJ_VAL_NULL: break;
    case YJ_VAL_BOOL: e = worksheet_write_boolean(ws, row, col, v.u.b, NULL); break;
    case YJ_VAL_INT: e = worksheet_write_number(ws, row, col, (double)v.u.i, nf ? nf : x->integer); break;
    case YJ_VAL_REAL: e = worksheet_write_number(ws, row, col, v.u.r, nf ? nf : x->real); break;
    case YJ_VAL_TEXT: {
        yj_ymd d;
        if (kind == YJ_COL_DATE && v.u.t.len == 10 && yj_parse_iso(v.u.t.s, &d) == 0) {
            lxw_datetime dt = {d.y, d.m, d.d, 0, 0, 0};
            e = worksheet_write_datetime(ws, row, col, &dt, x->date);
        } else if (v.u.t.len > XLSX_MAX_CELL || strlen(v.u.t.s) != v.u.t.len ||
                   !yj_utf8_valid(v.u.t.s, v.u.t.len)) {
            snprintf(x->err, x->errlen, "row %u: the text is not UTF-8, holds a NUL byte or is "
                     "longer than an Excel cell holds (32767 characters)", (unsigned)row + 1);
            return -1;
        } else {
            e = worksheet_write_string(ws, row, col, v.u.t.s, textf);
        }
        break;
    }
    }
    return e == LXW_NO_ERROR ? 0 : fail_lxw(x, "a cell", e);
}

/* Whether row of t goes into this workbook (the split's filter). */
static int row_selected(const yj_table *t, size_t row, long split_c, const char *val) {
    if (split_c < 0) return 1;
    yj_value v = t->cells[row * t->ncols + (size_t)split_c];
    char buf[32];
    const char *s = buf;
    if (v.type == YJ_VAL_TEXT) s = v.u.t.s;
    else if (v.type == YJ_VAL_INT) snprintf(buf, sizeof buf, "%lld", v.u.i);
    else return 0;
    return !strcmp(s, val);
}

static int write_table(xlsx *x, const yj_table *t, size_t n, const yj_write_opts *o) {
    if (t->ncols > XLSX_MAX_COLS) {
        snprintf(x->err, x->errlen, "table '%s' has %zu columns; an Excel sheet holds %d", t->name,
                 t->ncols, XLSX_MAX_COLS);
        return -1;
    }
    long split_c = -1;
    if (o && o->split_col)
        for (size_t c = 0; c < t->ncols; c++)
            if (!strcmp(t->cols[c], o->split_col)) split_c = (long)c;
    size_t nrows = 0;
    for (size_t row = 0; row < t->nrows; row++) nrows += row_selected(t, row, split_c, o ? o->split_val : NULL);
    if (nrows >= XLSX_MAX_ROWS) {
        snprintf(x->err, x->errlen, "table '%s' has %zu rows; an Excel sheet holds %d below its "
                 "header", t->name, nrows, XLSX_MAX_ROWS - 1);
        return -1;
    }
    char name[128];
    sheet_name(x, t->name, n, name, 32 * 4);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) { snprintf(x->err, x->errlen, "table '%s': cannot add its sheet", t->name); return -1; }
    /* Column by column: the kind, the header, the width (the widest selected cell). */
    unsigned char *kinds = malloc(t->ncols);
    lxw_format **textf = calloc(t->ncols, sizeof *textf);
    if (!kinds || !textf) {
        free(kinds);
        free(textf);
        snprintf(x->err, x->errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t c = 0; c < t->ncols && rc == 0; c++) {
        kinds[c] = (unsigned char)column_kind(t, c);
        const char *h = t->titles && t->titles[c] ? t->titles[c] : t->cols[c];
        if (!yj_utf8_valid(h, strlen(h))) {
            snprintf(x->err, x->errlen, "table '%s': the header of column %zu is not UTF-8",
                     t->name, c + 1);
            rc = -1;
            break;
        }
        size_t w = yj_text_width(h, strlen(h));
        for (size_t row = 0; row < t->nrows; row++) {
            yj_value v = t->cells[row * t->ncols + c];
            size_t cw = kinds[c] == YJ_COL_DATE ? 10 : v.type == YJ_VAL_TEXT ? yj_text_width(v.u.t.s, v.u.t.len)
                      : v.type == YJ_VAL_NULL ? 0 : 8;
            if (cw > w && row_selected(t, row, split_c, o ? o->split_val : NULL)) w = cw;
        }
        textf[c] = w > XLSX_WIDE ? x->wrap : NULL;
        double width = (double)(w > XLSX_WIDE ? XLSX_WIDE : w) + 2;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
        lxw_error e = worksheet_write_string(ws, 0, (lxw_col_t)c, h, x->head);
        if (e != LXW_NO_ERROR) rc = fail_lxw(x, t->name, e);
    }
    /* Then the rows in order (the workbook is written in constant memory: row by row). */
    size_t r = 1;
    for (size_t row = 0; row < t->nrows && rc == 0; row++) {
        if (!row_selected(t, row, split_c, o ? o->split_val : NULL)) continue;
        for (size_t c = 0; c < t->ncols && rc == 0; c++)
            if (write_cell(x, ws, (lxw_row_t)r, (lxw_col_t)c, t->cells[row * t->ncols + c],
                           (yj_col_kind)kinds[c], textf[c]) != 0) {
                size_t l = strlen(x->err);
                snprintf(x->err + l, x->errlen - l, " (table '%s', column '%s')", t->name, t->cols[c]);
                rc = -1;
            }
        r++;
    }
    free(kinds);
    free(textf);
    if (rc != 0) return -1;
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(t->ncols - 1));
    return 0;
}

/* One 说明 row: an item and its text. */
static void note(xlsx *x, lxw_worksheet *ws, lxw_row_t *row, const char *item, const char *text) {
    worksheet_write_string(ws, *row, 0, item, NULL);
    worksheet_write_string(ws, *row, 1, text, x->wrap);
    (*row)++;
}

/* The sheet 说明: what was run, over which data, when. With several runs (`yingji
 * compare`), each run's scripts are labelled with it ("脚本（原方案）"); the parameters
 * and the data files are the first run's (the runs share them). */
static int write_notes(xlsx *x, const yj_script *const *runs, const char *const *labels,
                       size_t nruns, const char *as_of) {
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "说明");
    if (!ws) { snprintf(x->err, x->errlen, "cannot add the sheet 说明"); return -1; }
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, 1, 90, NULL);
    lxw_row_t row = 0;
    worksheet_write_string(ws, row, 0, "项目", x->head);
    worksheet_write_string(ws, row++, 1, "内容", x->head);
    note(x, ws, &row, "生成程序", "yingji " YJ_VERSION);
    note(x, ws, &row, "截至日期", as_of);
    char hex[65], line[1024], item[64];
    for (size_t k = 0; k < nruns; k++) {
        size_t nf;
        const yj_source *files = yj_script_loaded_files(runs[k], &nf);
        for (size_t i = 0; i < nf; i++) {
            yj_sha256_hex(files[i].text, files[i].len, hex);
            snprintf(line, sizeof line, "%s  SHA-256 %s", files[i].path, hex);
            snprintf(item, sizeof item, "%s%s%s%s", files[i].name ? "模块" : "脚本",
                     labels ? "（" : "", labels ? labels[k] : "", labels ? "）" : "");
            note(x, ws, &row, item, line);
        }
    }
    const yj_script *s = runs[0];
    for (size_t i = 0; i < s->nparams; i++) {
        snprintf(line, sizeof line, "%s=%s", s->params[i].key, s->params[i].value);
        note(x, ws, &row, "参数", line);
    }
    sqlite3_stmt *st = NULL;
    if (s->db && sqlite3_prepare_v2(s->db,
            "SELECT dataset, file, sha256, imported_at, rows_new + rows_updated + rows_unchanged "
            "FROM imports ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(line, sizeof line, "%s: %s  SHA-256 %s  导入于 %s  %lld 行",
                     (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                     (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
                     (long long)sqlite3_column_int64(st, 4));
            note(x, ws, &row, "数据文件", line);
        }
    } else {
        note(x, ws, &row, "数据文件", "(the database's import log could not be read)");
    }
    sqlite3_finalize(st);
    return 0;
}

int yj_results_write_xlsx(const yj_script *s, const yj_write_opts *o, const char *path,
                          char *err, size_t errlen) {
    return yj_results_write_xlsx_runs(s->results, &s, NULL, 1, o, path, err, errlen);
}

int yj_results_write_xlsx_runs(const yj_results *r, const yj_script *const *runs,
                               const char *const *labels, size_t nruns, const yj_write_opts *o,
                               const char *path, char *err, size_t errlen) {
    static const yj_results empty = {NULL, 0, 0};
    const yj_script *s = runs[0];
    if (!r) r = &empty;
    char as_of[16];
    int y = s->as_of[0], m = s->as_of[1], d = s->as_of[2];
    if (!y) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        y = tm.tm_year + 1900; m = tm.tm_mon + 1; d = tm.tm_mday;
    }
    snprintf(as_of, sizeof as_of, "%04d-%02d-%02d", y, m, d);
    out_file f;
    if (out_open(&f, path, err, errlen) != 0) return -1;
    xlsx x;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.errlen = errlen;
    lxw_workbook_options wo = {LXW_TRUE, NULL, 0};   /* constant memory: rows stream out */
    x.wb = workbook_new_opt(f.tmp, &wo);
    if (!x.wb) {
        snprintf(err, errlen, "%s: cannot start the workbook (out of memory?)", path);
        out_abort(&f);
        return -1;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900; tm.tm_mon = m - 1; tm.tm_mday = d;
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    static char title[] = "yingji results", author[] = "yingji " YJ_VERSION;
    props.title = title;                     /* lxw_doc_properties wants char * */
    props.author = author;
    props.created = timegm(&tm);
    workbook_set_properties(x.wb, &props);
    x.head = workbook_add_format(x.wb);
    format_set_bold(x.head);
    format_set_text_wrap(x.head);
    format_set_align(x.head, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(x.head, LXW_BORDER_THIN);
    x.integer = workbook_add_format(x.wb);
    format_set_num_format(x.integer, "0");
    x.score = workbook_add_format(x.wb);
    format_set_num_format(x.score, "0.00");
    x.real = workbook_add_format(x.wb);
    format_set_num_format(x.real, "General");
    x.pct = workbook_add_format(x.wb);
    format_set_num_format(x.pct, "0.0\"%\"");
    x.date = workbook_add_format(x.wb);
    format_set_num_format(x.date, "yyyy-mm-dd");
    x.wrap = workbook_add_format(x.wb);
    format_set_text_wrap(x.wrap);
    format_set_align(x.wrap, LXW_ALIGN_VERTICAL_TOP);
    int rc = 0;
    for (size_t i = 0; i < r->n && rc == 0; i++)
        if (yj_write_opts_selects(o, r->t[i].name)) rc = write_table(&x, &r->t[i], i, o);
    if (rc == 0) rc = write_notes(&x, runs, labels, nruns, as_of);
    lxw_error e = workbook_close(x.wb);     /* frees the workbook */
    if (rc == 0 && e != LXW_NO_ERROR) rc = fail_lxw(&x, path, e);
    if (rc != 0) { out_abort(&f); return -1; }
    return out_commit(&f, 0, err, errlen);
}
