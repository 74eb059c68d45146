/* imp_sanity.c — the importer's sanity warnings (issue 17): values that parse but are
 * unlikely, reported as warnings (the row is still imported):
 *   - an event date after the day the file was received (imports.received: --received
 *     or today) — an accident dated 2031-03-05: the main date (below) and the dates
 *     the registry checks against it (reported_at, IMP_CHECK_NOT_BEFORE); not other
 *     dates (closed_on: ledgers enter planned closing days too);
 *   - a row whose main date (the dataset's first required date column: occurred_at,
 *     inspected_on) lies years away from the file's other rows — 2002 in a 2020 file
 *     (a date in the future is warned about as such, not again as an outlier).
 * The first is checked row by row on the parsing thread (imp_sanity_row, from
 * imp_row_convert); the second needs the whole file, so the rows' years are counted
 * and the outliers reported once the file is read (imp_sanity_end, from
 * imp_import.c, through the storing context). Deaths too many for a given accident
 * level are the level check of imp_row.c (a warning too, the given level kept). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imp_int.h"
#include "imp_sanity.h"

enum {
    SANITY_SAMPLES = 20,   /* rows remembered per year (their line and value) */
    SANITY_GAP = 3         /* years between two groups of rows that make them separate */
};

typedef struct {
    long line;
    int col;
    char value[20];
} sample;

struct imp_sanity {
    char received[11];     /* 'YYYY-MM-DD' */
    int main_col;          /* dataset column of the main date, or -1 */
    unsigned char event[IMP_MAX_COLS];   /* 1: an event date (not after received) */
    long rows[IMP_YEAR_MAX - IMP_YEAR_MIN + 1];          /* rows per year of the main date */
    sample at[IMP_YEAR_MAX - IMP_YEAR_MIN + 1][SANITY_SAMPLES];
};

imp_sanity *imp_sanity_new(const imp_dataset *ds, const char *received) {
    imp_sanity *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (received && strlen(received) == 10) {
        memcpy(s->received, received, 11);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        if (!localtime_r(&now, &tm) || strftime(s->received, sizeof s->received, "%Y-%m-%d", &tm) != 10)
            snprintf(s->received, sizeof s->received, "9999-12-31");
    }
    s->main_col = -1;
    for (int i = 0; i < ds->ncols && s->main_col < 0; i++)
        if ((ds->cols[i].type == IMP_DATE || ds->cols[i].type == IMP_DATETIME) && (ds->cols[i].flags & IMP_REQ))
            s->main_col = i;
    if (s->main_col >= 0 && s->main_col < IMP_MAX_COLS) s->event[s->main_col] = 1;
    for (int k = 0; k < ds->nchecks; k++)
        if (ds->checks[k].kind == IMP_CHECK_NOT_BEFORE && s->main_col >= 0 &&
            !strcmp(ds->checks[k].b, ds->cols[s->main_col].name)) {
            int a = imp_dataset_column(ds, ds->checks[k].a);
            if (a >= 0 && a < IMP_MAX_COLS) s->event[a] = 1;
        }
    return s;
}

void imp_sanity_free(imp_sanity *s) { free(s); }

void imp_sanity_row(imp_ctx *c, imp_sanity *s) {
    const imp_dataset *ds = c->ds;
    for (int i = 0; i < ds->ncols; i++) {
        const imp_column *col = &ds->cols[i];
        const imp_val *v = &c->vals[i];
        if ((col->type != IMP_DATE && col->type != IMP_DATETIME) || v->type != SQLITE_TEXT || v->n < 10)
            continue;
        int fc = c->col_of[i] >= 0 ? c->col_of[i] + 1 : 0;
        if (i < IMP_MAX_COLS && s->event[i] && memcmp(v->s, s->received, 10) > 0) {   /* (then no outlier) */
            imp_warning(c, c->rec_line, fc, "%s: '%.*s' is after the day the file was received, %s"
                        " (a date in the future? --received DATE sets that day)",
                        col->name, v->n, v->s, s->received);
            continue;
        }
        if (i != s->main_col) continue;
        int y = atoi(v->s);
        if (y < IMP_YEAR_MIN || y > IMP_YEAR_MAX) continue;
        long *n = &s->rows[y - IMP_YEAR_MIN];
        if (*n < SANITY_SAMPLES) {
            sample *at = &s->at[y - IMP_YEAR_MIN][*n];
            at->line = c->rec_line;
            at->col = fc;
            snprintf(at->value, sizeof at->value, "%.*s", v->n, v->s);
        }
        (*n)++;
    }
}

void imp_sanity_end(imp_ctx *r, const imp_sanity *s) {
    if (s->main_col < 0) return;
    enum { NY = IMP_YEAR_MAX - IMP_YEAR_MIN + 1 };
    /* groups of years: a new group starts SANITY_GAP or more years after the last year
     * with rows; the group with the most rows is the file's, the others are outliers
     * when they hold fewer rows than it */
    int best_lo = -1, best_hi = -1, lo = -1, last = -1;
    long best = 0, all = 0, group = 0;
    for (int y = 0; y <= NY; y++) {
        if (y < NY && !s->rows[y]) continue;
        if (lo >= 0 && (y == NY || y - last >= SANITY_GAP)) {
            if (group > best) { best = group; best_lo = lo; best_hi = last; }
            lo = -1;
        }
        if (y == NY) break;
        if (lo < 0) { lo = y; group = 0; }
        group += s->rows[y];
        all += s->rows[y];
        last = y;
    }
    if (best_lo < 0 || all - best >= best) return;
    const char *name = r->ds->cols[s->main_col].name;
    for (int y = 0; y < NY; y++) {
        if (!s->rows[y] || (y >= best_lo && y <= best_hi)) continue;
        long kept = s->rows[y] < SANITY_SAMPLES ? s->rows[y] : SANITY_SAMPLES;
        for (long k = 0; k < kept; k++)
            imp_warning(r, s->at[y][k].line, s->at[y][k].col,
                        "%s: '%s' is years away from the file's other rows (%d-%d): a typo in the year?",
                        name, s->at[y][k].value, best_lo + IMP_YEAR_MIN, best_hi + IMP_YEAR_MIN);
        if (s->rows[y] > kept)
            imp_warning(r, 0, 0, "%s: %ld more rows dated '%d', years away from the file's other rows (%d-%d)",
                        name, s->rows[y] - kept, y + IMP_YEAR_MIN, best_lo + IMP_YEAR_MIN,
                        best_hi + IMP_YEAR_MIN);
    }
}
