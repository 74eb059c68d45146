/* chart_bar.c — bar charts: vertical (single, grouped, stacked) and horizontal, with the
 * values printed at the bars wherever they fit without touching a neighbour. */
#include <math.h>

#include "chart_legend.h"
#include "chart_palette.h"
#include "chart_plot.h"

/* Colour of bar (series i, category j). */
static unsigned bar_colour(const chart_spec *s, int i, int j) {
    if (s->bar_colors && s->n_series == 1) return s->bar_colors[j];
    return chart_palette_series(i);
}

/* Black or white text, whichever reads on rgb. */
static unsigned text_on(unsigned rgb) {
    return chart_luma(rgb) < 140 ? 0xFFFFFF : CHART_INK;
}

/* Prints value v centred on cx, above top (or below it when below), if it fits in width. */
static void value_label(chart_text *t, double v, int decimals, double cx, double top,
                        int below, double width) {
    char buf[64];
    chart_format_value(v, decimals, buf, sizeof buf);
    PangoLayout *l = chart_text_layout(t, buf, CHART_SANS, CHART_VALUE_PT, 0, 0, CHART_LEFT);
    double w, h;
    chart_text_extent(l, &w, &h);
    if (w <= width) chart_text_show(t, l, cx - w / 2, below ? top + 1 : top - h - 0.5, CHART_TEXT);
    g_object_unref(l);
}

void chart_bars_in_frame(chart_text *t, const chart_spec *s, const chart_frame *f,
                         int only_bars, int stacked) {
    cairo_t *cr = t->cr;
    int idx[CHART_MAX_SERIES], nb = 0;
    for (int i = 0; i < s->n_series; i++)
        if (!only_bars || !s->series[i].line) idx[nb++] = i;
    if (nb == 0) return;
    int decimals = chart_value_decimals(s);
    double group = f->band * (stacked || nb == 1 ? 0.6 : 0.8);
    double bw = stacked ? group : group / nb;
    double zero = chart_frame_y(f, &f->left, 0);
    for (int j = 0; j < s->n_cat; j++) {
        double gx = f->x + j * f->band + (f->band - group) / 2;
        double pos = 0, neg = 0;
        for (int b = 0; b < nb; b++) {
            int i = idx[b];
            double v = s->series[i].values[j];
            if (isnan(v) || v == 0) continue;
            double from = 0, to = v;
            if (stacked) {
                if (v > 0) { from = pos; pos += v; to = pos; }
                else { from = neg; neg += v; to = neg; }
            }
            double x0 = stacked ? gx : gx + b * bw;
            double y0 = chart_frame_y(f, &f->left, from), y1 = chart_frame_y(f, &f->left, to);
            double gap = (!stacked && nb > 1 && bw > 3) ? 0.4 : 0;
            chart_set_rgb(cr, bar_colour(s, i, j));
            cairo_rectangle(cr, x0 + gap, fmin(y0, y1), fmax(bw - 2 * gap, 0.3), fabs(y1 - y0));
            cairo_fill(cr);
            if (s->hatched && s->hatched[j] && s->n_series == 1)
                chart_hatch(cr, x0 + gap, fmin(y0, y1), fmax(bw - 2 * gap, 0.3), fabs(y1 - y0),
                            CHART_INK);
            if (stacked && s->values_on_bars && fabs(y1 - y0) >= CHART_VALUE_PT * 1.3) {
                char buf[64];
                chart_format_value(v, decimals, buf, sizeof buf);
                PangoLayout *l = chart_text_layout(t, buf, CHART_SANS, CHART_VALUE_PT, 0, 0,
                                                   CHART_LEFT);
                double w, h;
                chart_text_extent(l, &w, &h);
                if (w <= bw - 2)
                    chart_text_show(t, l, x0 + (bw - w) / 2, (y0 + y1) / 2 - h / 2,
                                    text_on(bar_colour(s, i, j)));
                g_object_unref(l);
            }
        }
        (void)zero;
    }
    if (!s->values_on_bars || stacked) return;
    for (int j = 0; j < s->n_cat; j++) {
        double gx = f->x + j * f->band + (f->band - group) / 2;
        for (int b = 0; b < nb; b++) {
            double v = s->series[idx[b]].values[j];
            if (isnan(v)) continue;
            double room = nb == 1 ? f->band * 0.95 : bw + (b == 0 || b == nb - 1 ? (f->band - group) / 2 : 0);
            value_label(t, v, decimals, gx + (b + 0.5) * bw, chart_frame_y(f, &f->left, v),
                        v < 0, room);
        }
    }
}

void chart_bar_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h) {
    int stacked = s->kind == CHART_STACKED, integral;
    double lo, hi;
    chart_series_range(s, -1, stacked, &lo, &hi, &integral);
    if (s->values_on_bars && !stacked) hi += (hi - lo) * 0.08;  /* room for the labels */
    chart_frame f;
    chart_frame_layout(t, s, x, y, w, h, lo, hi, 0, 0, 0, &f);
    chart_frame_draw(t, s, &f);
    chart_bars_in_frame(t, s, &f, 0, stacked);
    chart_frame_ref(t, s, &f);
}

/* {==== horizontal bars ============================================= */

void chart_hbar_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h) {
    cairo_t *cr = t->cr;
    int integral;
    double lo, hi;
    chart_series_range(s, -1, 0, &lo, &hi, &integral);
    double from = 0;   /* the axis' start when axis_from lifts it above zero */
    if (!isnan(s->axis_from) && s->axis_from > lo && s->axis_from < hi) from = s->axis_from;
    int decimals = chart_value_decimals(s);
    double lineh = CHART_AXIS_PT * 1.45;
    double top = y + ((s->y_label || s->ref_label) ? lineh + 2 : 2);
    double plot_h = fmax(10, h - (top - y) - lineh - 4);
    double band = s->n_cat > 0 ? plot_h / s->n_cat : plot_h;
    chart_catplan cp;
    chart_cat_plan_left(t, s->categories, s->n_cat, band, w * 0.3, &cp);
    double value_room = 0;
    if (s->values_on_bars) {
        char buf[64];
        chart_format_value(hi, decimals, buf, sizeof buf);
        double vw, vh;
        chart_text_measure(t, buf, CHART_SANS, CHART_VALUE_PT, 0, 0, &vw, &vh);
        value_room = vw + 4;
    }
    double marks_w = 0;      /* a column of marks at the right */
    for (int j = 0; s->marks && j < s->n_cat; j++)
        if (s->marks[j]) {
            double mw, mh;
            chart_text_measure(t, s->marks[j], CHART_SANS, CHART_MARK_PT, 1, 0, &mw, &mh);
            marks_w = fmax(marks_w, mw + 6);
        }
    chart_ticks k;
    double px = x + cp.size + 6, pw = fmax(10, w - cp.size - 6 - value_room - marks_w - 8);
    chart_ticks_nice(from > 0 ? 0 : lo, hi - from, (int)fmax(2, fmin(8, pw / 55)),
                     integral && s->decimals <= 0, &k);
    k.lo += from;
    k.hi += from;
    double scale = pw / (k.hi - k.lo);
    /* gridlines and value ticks along the bottom */
    char buf[64];
    cairo_save(cr);
    cairo_set_line_width(cr, 0.5);
    for (double v = k.lo; v <= k.hi + k.step / 2; v += k.step) {
        double xx = round((px + (v - k.lo) * scale) * 2) / 2;
        chart_set_rgb(cr, fabs(v) < k.step / 2 ? CHART_AXIS : CHART_GRID);
        cairo_move_to(cr, xx, top);
        cairo_line_to(cr, xx, top + plot_h);
        cairo_stroke(cr);
        chart_format_value(v, k.decimals, buf, sizeof buf);
        chart_text_put(t, buf, CHART_SANS, CHART_AXIS_PT, 0, xx, top + plot_h + 3, 0,
                       CHART_CENTER, CHART_TEXT);
    }
    cairo_restore(cr);
    if (s->y_label)
        chart_text_put(t, s->y_label, CHART_SANS, CHART_AXIS_PT, 0, x + w, y, 0, CHART_RIGHT,
                       CHART_MUTED);
    chart_cat_draw_left(t, s->categories, s->n_cat, &cp, px, top, band);
    for (int j = 0; marks_w > 0 && j < s->n_cat; j += cp.step) {
        if (!s->marks[j]) continue;
        double mw, mh;
        chart_text_measure(t, s->marks[j], CHART_SANS, CHART_MARK_PT, 1, 0, &mw, &mh);
        chart_text_put(t, s->marks[j], CHART_SANS, CHART_MARK_PT, 1, x + w - marks_w + 6,
                       top + (j + 0.5) * band - mh / 2, 0, CHART_LEFT, s->mark_rgb);
    }
    int nb = s->n_series;
    if (nb == 0) return;
    double group = band * (nb == 1 ? 0.65 : 0.8), bh = group / nb;
    /* bars start at zero, or at the axis' start when it begins above zero (axis_from) */
    double zero = px + (fmax(k.lo, fmin(0, k.hi)) - k.lo) * scale;
    for (int j = 0; j < s->n_cat; j++) {
        double gy = top + j * band + (band - group) / 2;
        for (int i = 0; i < nb; i++) {
            double v = s->series[i].values[j];
            if (isnan(v)) continue;
            double end = fmax(px, px + (v - k.lo) * scale);
            chart_set_rgb(cr, bar_colour(s, i, j));
            cairo_rectangle(cr, fmin(zero, end), gy + i * bh, fabs(end - zero), fmax(bh, 0.3));
            cairo_fill(cr);
            if (s->hatched && s->hatched[j] && nb == 1)
                chart_hatch(cr, fmin(zero, end), gy + i * bh, fabs(end - zero), fmax(bh, 0.3),
                            CHART_INK);
            if (s->values_on_bars && bh >= CHART_VALUE_PT * 0.9) {
                chart_format_value(v, decimals, buf, sizeof buf);
                PangoLayout *l = chart_text_layout(t, buf, CHART_SANS, CHART_VALUE_PT, 0, 0,
                                                   CHART_LEFT);
                double lw, lh;
                chart_text_extent(l, &lw, &lh);
                double lx = v < 0 ? fmin(zero, end) - lw - 2 : fmax(zero, end) + 2;
                chart_text_show(t, l, lx, gy + (i + 0.5) * bh - lh / 2, CHART_TEXT);
                g_object_unref(l);
            }
        }
    }
    if (!isnan(s->ref_value)) {   /* the reference line, over the bars */
        double rx = px + (s->ref_value - k.lo) * scale;
        chart_ref_stroke(cr, rx, top, rx, top + plot_h);
        if (s->ref_label)
            chart_text_put(t, s->ref_label, CHART_SANS, CHART_MARK_PT, 0, rx, top - lineh, 0,
                           CHART_CENTER, CHART_WORSE);
    }
}

/* }==== */
