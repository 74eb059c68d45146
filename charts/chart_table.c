/* chart_table.c — table rows: measuring and drawing (see chart_table.h). */
#include <math.h>
#include <stdlib.h>

#include "chart_palette.h"
#include "chart_table.h"

#define CELL_PT 9.0
#define PAD_X 4.0
#define PAD_Y 3.0
#define GRID 0xA6A6A6

chart_table *chart_table_new(int n_cols, int n_rows) {
    if (n_cols < 1 || n_cols > CHART_MAX_COLUMNS || n_rows < 0 || n_rows > CHART_MAX_ROWS)
        return NULL;
    chart_table *tb = calloc(1, sizeof *tb);
    if (!tb) return NULL;
    tb->n_cols = n_cols;
    tb->n_rows = n_rows;
    tb->head = calloc((size_t)n_cols, sizeof *tb->head);
    tb->widths = calloc((size_t)n_cols, sizeof *tb->widths);
    tb->align = calloc((size_t)n_cols, sizeof *tb->align);
    tb->cells = calloc((size_t)n_cols * (size_t)n_rows + 1, sizeof *tb->cells);
    tb->bold = calloc((size_t)n_rows + 1, 1);
    if (!tb->head || !tb->widths || !tb->align || !tb->cells || !tb->bold) {
        chart_table_free(tb);
        return NULL;
    }
    return tb;
}

void chart_table_free(chart_table *tb) {
    if (!tb) return;
    if (tb->head)
        for (int c = 0; c < tb->n_cols; c++) free(tb->head[c]);
    if (tb->cells)
        for (long i = 0; i < (long)tb->n_cols * tb->n_rows; i++) free(tb->cells[i]);
    free(tb->head); free(tb->widths); free(tb->align); free(tb->cells); free(tb->bold);
    free(tb->hl);
    free(tb);
}

static const char *cell(const chart_table *tb, int r, int c) {
    const char *s = r < 0 ? tb->head[c] : tb->cells[(long)r * tb->n_cols + c];
    return s ? s : "";
}

void chart_table_columns(chart_text *t, const chart_table *tb, double w, double *px) {
    double total = 0;
    for (int c = 0; c < tb->n_cols; c++) total += tb->widths[c] > 0 ? tb->widths[c] : 0;
    if (total <= 0) {   /* from the content: the widest cell, capped, of the first rows */
        int rows = tb->n_rows < 200 ? tb->n_rows : 200;
        for (int c = 0; c < tb->n_cols; c++) {
            double cw, ch;
            chart_text_measure(t, cell(tb, -1, c), CHART_SANS, CELL_PT, 1, 0, &cw, &ch);
            double widest = cw;
            for (int r = 0; r < rows; r++) {
                chart_text_measure(t, cell(tb, r, c), CHART_SANS, CELL_PT, 0, 0, &cw, &ch);
                widest = fmax(widest, cw);
            }
            px[c] = fmin(widest, w * 0.45) + 2 * PAD_X;
            total += px[c];
        }
    } else {
        for (int c = 0; c < tb->n_cols; c++) px[c] = tb->widths[c] > 0 ? tb->widths[c] : 0;
    }
    for (int c = 0; c < tb->n_cols; c++) px[c] = px[c] / total * w;
}

double chart_table_row_height(chart_text *t, const chart_table *tb, int r, const double *px) {
    double h = 0;
    int bold = r < 0 || tb->bold[r];
    for (int c = 0; c < tb->n_cols; c++) {
        double cw, ch;
        chart_text_measure(t, cell(tb, r, c), CHART_SANS, CELL_PT, bold,
                           fmax(px[c] - 2 * PAD_X, 4), &cw, &ch);
        h = fmax(h, ch);
    }
    return h + 2 * PAD_Y;
}

void chart_table_draw_row(chart_text *t, const chart_table *tb, int r, const double *px,
                          double x, double y, double h) {
    cairo_t *cr = t->cr;
    double w = 0;
    for (int c = 0; c < tb->n_cols; c++) w += px[c];
    if (r < 0) {
        chart_set_rgb(cr, CHART_HEADER_BG);
        cairo_rectangle(cr, x, y, w, h);
        cairo_fill(cr);
    }
    int bold = r < 0 || tb->bold[r];
    double cx = x;
    for (int c = 0; c < tb->n_cols; c++) {
        chart_align al = r < 0 ? CHART_CENTER : tb->align[c];
        PangoLayout *l = chart_text_layout(t, cell(tb, r, c), CHART_SANS, CELL_PT, bold,
                                           fmax(px[c] - 2 * PAD_X, 4), al);
        double lw, lh;
        chart_text_extent(l, &lw, &lh);
        int hl = r >= 0 && tb->hl && tb->hl[(long)r * tb->n_cols + c];
        chart_text_show(t, l, cx + PAD_X, y + (h - lh) / 2,
                        r < 0 ? CHART_INK : hl ? CHART_WORSE : CHART_TEXT);
        g_object_unref(l);
        cx += px[c];
    }
    cairo_save(cr);
    chart_set_rgb(cr, GRID);
    cairo_set_line_width(cr, 0.5);
    cairo_rectangle(cr, x, y, w, h);
    cx = x;
    for (int c = 0; c + 1 < tb->n_cols; c++) {
        cx += px[c];
        cairo_move_to(cr, cx, y);
        cairo_line_to(cr, cx, y + h);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}
