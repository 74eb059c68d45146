/* chart_table.h — tables: a shaded header row, wrapped cells, numeric columns aligned
 * right, bold rows (totals), highlighted cells (red); the document breaks them across pages row by row and repeats
 * the header on every page. */
#ifndef YJ_CHART_TABLE_H
#define YJ_CHART_TABLE_H

#include "chart_text.h"

enum { CHART_MAX_COLUMNS = 24, CHART_MAX_ROWS = 20000 };

typedef struct chart_table {
    int n_cols, n_rows;
    char **head;            /* owned, n_cols */
    double *widths;         /* owned, n_cols relative widths; all 0 = from the content */
    chart_align *align;     /* owned, n_cols */
    char **cells;           /* owned, n_rows * n_cols, row-major */
    unsigned char *bold;    /* owned, n_rows flags */
    unsigned char *hl;      /* owned, NULL or n_rows * n_cols flags: cells set in red (a
                               rise, a "否"), row-major */
} chart_table;

/* An empty table of the given shape (strings NULL, widths 0, alignment left); NULL when
 * out of memory or beyond the limits. Caller frees with chart_table_free. */
chart_table *chart_table_new(int n_cols, int n_rows);
void chart_table_free(chart_table *tb);   /* accepts NULL */

/* Resolves the column widths for a total width w into px (n_cols entries). */
void chart_table_columns(chart_text *t, const chart_table *tb, double w, double *px);

/* Height of row r (-1 = the header) with columns px. */
double chart_table_row_height(chart_text *t, const chart_table *tb, int r, const double *px);

/* Draws row r (-1 = header) at (x, y), h tall, with columns px. */
void chart_table_draw_row(chart_text *t, const chart_table *tb, int r, const double *px,
                          double x, double y, double h);

#endif
