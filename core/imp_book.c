/* imp_book.c — a workbook (.xlsx, or .xls through imp_xls.c) as one more source of the importer: which sheet, which
 * row is the header (imp_book_prepare, before the transaction), then the sheet's rows
 * fed as records to the same header matching, conversion, checks and storage as a CSV
 * file's (imp_book_parse, on the parsing thread). The reader itself: imp_xlsx.c. */
#include <stdlib.h>
#include <string.h>

#include "imp_int.h"
#include "imp_xls.h"
#include "imp_xlsx.h"

enum { HEADER_ROWS = 20 };   /* the header is looked for among the sheet's first rows */

/* ===== the two readers ===== */

static int book_sheets(const imp_ctx *c) {
    return c->xls ? imp_xls_sheets(c->xls) : imp_xlsx_sheets(c->book);
}

static const char *book_name(const imp_ctx *c, int i) {
    return c->xls ? imp_xls_sheet_name(c->xls, i) : imp_xlsx_sheet_name(c->book, i);
}

/* Reads sheet i into fn: 0, or -1 with the reason in err and its cell in *row, *col. */
static int book_read(imp_ctx *c, int i, int merges, imp_xlsx_row_fn fn, void *arg, char *err,
                     size_t cap, long *row, int *col) {
    if (c->xls) {
        int rc = imp_xls_read(c->xls, i, merges, fn, arg, err, cap, row, col);
        const char *lost = merges ? imp_xls_merges_lost(c->xls) : NULL;
        if (lost && imp_xls_texts_unchecked(c->xls))     /* the file could not be followed */
            imp_warning(c, 0, 0, "merged cells not read (%s): the cells an unread merged area covers were "
                        "imported empty, and texts longer than 8,175 characters, which the .xls reader "
                        "may misread, could not be checked; save the workbook as .xlsx and import that",
                        lost);
        else if (lost)  /* a silent loss would be a wrong value: say so */
            imp_warning(c, 0, 0, "merged cells not read (%s): the cells an unread merged area covers were "
                        "imported empty; save the workbook as .xlsx and import that", lost);
        return rc;
    }
    int rc = imp_xlsx_read(c->book, i, merges, fn, arg, err, cap);
    imp_xlsx_error_cell(c->book, row, col);
    return rc;
}

/* ===== where the table is ===== */

typedef struct {
    const imp_dataset *ds;
    long found;          /* the first row naming every required column, or 0 */
    int two;             /* found is the lower row of a two-row header */
    long best;           /* else the row naming the most columns (0: none) */
    int best_n;
    long prev_row;       /* the row before, kept for a two-row header */
    int nprev;
    char *prev[IMP_MAX_FILE_COLS];
} header_scan;

/* The dataset's columns cells[0..n) name; *all: every required one. */
static int matches(const imp_dataset *ds, int n, const char *const *cells, int *all) {
    unsigned char seen[IMP_MAX_COLS] = {0};
    int m = 0;
    for (int k = 0; k < n; k++) {
        double scale;
        int i = imp_header_match(ds, cells[k], &scale);
        if (i >= 0 && !seen[i]) { seen[i] = 1; m++; }
    }
    *all = m > 0;
    for (int i = 0; i < ds->ncols; i++)
        if ((ds->cols[i].flags & IMP_REQ) && !seen[i]) *all = 0;
    return m;
}

/* A two-row header read as one: each column's lower cell, or its upper one when the
 * lower is empty ("事故编号" over nothing; "伤亡情况" over "死亡", "失踪"). */
static int combine(int nup, char *const *up, int nlow, const char *const *low, const char **out) {
    int n = nup > nlow ? nup : nlow;
    for (int k = 0; k < n; k++)
        out[k] = k < nlow && !imp_cell_empty(low[k]) ? low[k] : k < nup && up[k] ? up[k] : "";
    return n;
}

static void forget(header_scan *h) {
    for (int k = 0; k < h->nprev; k++) free(h->prev[k]);
    h->nprev = 0;
}

static int scan_row(void *arg, long row, int ncols, const char *const *cells, const int *kinds) {
    (void)kinds;
    header_scan *h = arg;
    if (row > HEADER_ROWS) return 1;
    int all;
    int n = matches(h->ds, ncols, cells, &all);
    if (all) { h->found = row; return 1; }
    if (h->prev_row == row - 1 && h->nprev) {
        const char *both[IMP_MAX_FILE_COLS];
        int nb = combine(h->nprev, h->prev, ncols, cells, both);
        matches(h->ds, nb, both, &all);
        if (all) { h->found = row; h->two = 1; return 1; }
    }
    if (n > h->best_n) { h->best = row; h->best_n = n; }
    forget(h);
    for (int k = 0; k < ncols; k++) {
        if (!(h->prev[k] = strdup(cells[k]))) return 1;
        h->nprev = k + 1;
    }
    h->prev_row = row;
    return 0;
}

/* Reads the first rows of sheet i: 0 (h filled), or -1 (reported). */
static int scan_sheet(imp_ctx *c, int i, header_scan *h) {
    memset(h, 0, sizeof *h);
    h->ds = c->ds;
    char err[512];
    long row;
    int col;
    int rc = book_read(c, i, 0, scan_row, h, err, sizeof err, &row, &col);
    forget(h);
    if (rc == 0) return 0;
    c->sheet = book_name(c, i);
    imp_error(c, row, col, "%s", err);
    return -1;
}

/* The sheet --sheet names (a name, else a 1-based number), or -1. */
static int named_sheet(imp_ctx *c, const char *want) {
    int n = book_sheets(c);
    for (int i = 0; i < n; i++)
        if (!strcmp(book_name(c, i), want)) return i;
    char *end;
    long k = strtol(want, &end, 10);
    if (*want && !*end && k >= 1 && k <= n) return (int)k - 1;
    return -1;
}

static void list_sheets(imp_ctx *c, const unsigned char *which, char *out, size_t cap) {
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < book_sheets(c) && o + 8 < cap; i++) {
        if (which && !which[i]) continue;
        int w = snprintf(out + o, cap - o, "%s'%s'", o ? ", " : "", book_name(c, i));
        if (w < 0) break;
        o += (size_t)w < cap - o ? (size_t)w : cap - o - 1;
    }
}

int imp_book_prepare(imp_ctx *c, int fd, int xls) {
    char err[512];
    if (xls ? !(c->xls = imp_xls_open(fd, err, sizeof err)) : !(c->book = imp_xlsx_open_fd(fd, err, sizeof err))) {
        imp_error(c, 0, 0, "%s", err);
        return -1;
    }
    int n = book_sheets(c), pick = -1;
    header_scan h;
    if (c->opt->sheet) {
        if ((pick = named_sheet(c, c->opt->sheet)) < 0) {
            char names[1024];
            list_sheets(c, NULL, names, sizeof names);
            imp_error(c, 0, 0, "no sheet '%s' in the workbook (its sheets: %s)", c->opt->sheet, names);
            return -1;
        }
        if (scan_sheet(c, pick, &h) < 0) return -1;
    } else {
        unsigned char *match = calloc((size_t)n, 1);
        if (!match) { imp_error(c, 0, 0, "out of memory"); return -1; }
        int nmatch = 0;
        header_scan first = {0};
        for (int i = 0; i < n; i++) {
            header_scan hi;
            if (scan_sheet(c, i, &hi) < 0) { free(match); return -1; }
            if (hi.found) { match[i] = 1; nmatch++; if (pick < 0) { pick = i; h = hi; } }
            if (i == 0) first = hi;
        }
        char names[1024];
        if (nmatch > 1) {
            list_sheets(c, match, names, sizeof names);
            imp_error(c, 0, 0, "more than one sheet has the columns of %s: %s; choose one with --sheet",
                      c->ds->name, names);
            free(match);
            return -1;
        }
        free(match);
        if (nmatch == 0) {
            if (n > 1) {
                list_sheets(c, NULL, names, sizeof names);
                imp_error(c, 0, 0, "no sheet has the columns of %s in its first %d rows (sheets: %s); "
                          "choose one with --sheet", c->ds->name, HEADER_ROWS, names);
                return -1;
            }
            pick = 0;
            h = first;
        }
    }
    c->sheet_no = pick;
    c->sheet = book_name(c, pick);
    c->header_row = h.found ? h.found : h.best;
    c->header_two = h.found && h.two;
    if (!c->header_row) {
        imp_error(c, 0, 0, "sheet '%s': no row among the first %d names a column of %s (is this the right "
                  "sheet?)", c->sheet, HEADER_ROWS, c->ds->name);
        return -1;
    }
    return 0;
}

/* ===== the rows ===== */

/* Notes a skipped row ("12 '合计'") for the one warning that lists them. */
void imp_note_skipped(imp_ctx *c, int title, long row, const char *text) {
    char *buf = title ? c->titles : c->trailers;
    size_t cap = title ? sizeof c->titles : sizeof c->trailers;
    long *count = title ? &c->ntitles : &c->ntrailers;
    size_t o = strlen(buf);
    (*count)++;
    if (*count > 8) {
        if (*count == 9 && o + 6 < cap) memcpy(buf + o, ", ...", 6);
        return;
    }
    char cut[64];
    snprintf(cut, sizeof cut, "%s", text);
    size_t k = strlen(cut);
    while (k > 0 && ((unsigned char)cut[k - 1] & 0xC0) == 0x80) k--;     /* a whole character */
    if (k > 0 && (unsigned char)cut[k - 1] >= 0xC0 && strlen(text) > k) k--;
    if (strlen(text) >= sizeof cut) cut[k] = '\0';
    if (o + 3 < cap) snprintf(buf + o, cap - o, "%s%ld '%s'", o ? ", " : "", row, cut);
}

static int book_row(void *arg, long row, int ncols, const char *const *cells, const int *kinds) {
    imp_ctx *c = arg;
    if (c->fatal) return 1;
    if (c->header_two && row == c->header_row - 1) {       /* the upper row of the header */
        for (int k = 0; k < ncols; k++) {
            if (!(c->upper[k] = strdup(cells[k]))) { imp_error(c, 0, 0, "out of memory"); return 1; }
            c->nupper = k + 1;
        }
        return 0;
    }
    if (row < c->header_row) {
        for (int k = 0; k < ncols; k++)
            if (!imp_cell_empty(cells[k])) { imp_note_skipped(c, 1, row, cells[k]); break; }
        return 0;
    }
    int header = row == c->header_row;
    const char *both[IMP_MAX_FILE_COLS];
    if (header && c->header_two) {
        ncols = combine(c->nupper, c->upper, ncols, cells, both);
        cells = both;
        kinds = NULL;
    }
    if (header && c->ntitles)
        imp_warning(c, row, 0, "skipped %ld row%s above the header: %s", c->ntitles, c->ntitles == 1 ? "" : "s",
                    c->titles);
    c->nf = 0;
    c->nf_all = 0;
    c->flen = 0;
    c->too_many = 0;
    int n = header ? ncols : c->nfile;
    for (int k = 0; k < n && !c->fatal; k++) {
        const char *v = k < ncols ? cells[k] : "";
        imp_parse_field(c, v, strlen(v));
    }
    if (c->fatal) { imp_error(c, 0, 0, "out of memory"); return 1; }
    c->rec_line = row;
    c->kinds = kinds;
    c->nkinds = ncols < n ? ncols : n;
    imp_parse_record(c);
    c->kinds = NULL;
    return c->fatal;
}

void imp_book_close(imp_ctx *c) {
    imp_xlsx_free(c->book);
    imp_xls_free(c->xls);
    c->book = NULL;
    c->xls = NULL;
    for (int k = 0; k < c->nupper; k++) free(c->upper[k]);
    c->nupper = 0;
}

int imp_book_parse(imp_ctx *c) {
    char err[512];
    c->line = 1;
    long row;
    int col;
    int rc = book_read(c, c->sheet_no, c->ahead ? IMP_XLSX_MERGES_AHEAD : 1, book_row, c, err, sizeof err,
                       &row, &col);
    if (rc == IMP_XLSX_RESTART) {       /* read ahead in vain: the import is done again */
        c->restart = 1;
        c->fatal = 1;
        return -1;
    }
    if (rc < 0) {
        imp_error(c, row, col, "%s", err);
        c->fatal = 1;
        return -1;
    }
    return 0;
}
