/* chart_legend.c — legends, series markers and dash patterns (see chart_legend.h). */
#include <math.h>

#include "chart_legend.h"
#include "chart_palette.h"

#define LEGEND_PT 8.0
#define SWATCH 16.0     /* width of a swatch incl. its gap to the name */
#define ITEM_GAP 14.0

int chart_series_is_line(const chart_spec *s, int i) {
    return s->kind == CHART_LINE || (s->kind == CHART_COMBO && s->series[i].line);
}

int chart_line_style(const chart_spec *s, int i) {
    int n = 0;
    for (int k = 0; k < i; k++) n += chart_series_is_line(s, k);
    return n;
}

void chart_marker(cairo_t *cr, int m, double x, double y, double r, unsigned rgb) {
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_new_path(cr);
    switch (m % 4) {
    case 0: cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
    case 1: cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8); break;
    case 2:
        cairo_move_to(cr, x, y - r * 1.15);
        cairo_line_to(cr, x + r * 1.1, y + r * 0.8);
        cairo_line_to(cr, x - r * 1.1, y + r * 0.8);
        cairo_close_path(cr);
        break;
    default:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.2, y);
        cairo_line_to(cr, x, y + r * 1.2);
        cairo_line_to(cr, x - r * 1.2, y);
        cairo_close_path(cr);
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    chart_set_rgb(cr, rgb);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void chart_line_dash(cairo_t *cr, int i) {
    static const double dashed[] = { 4.0, 2.5 }, dotted[] = { 1.2, 2.0 },
                        dashdot[] = { 5.0, 2.0, 1.2, 2.0 };
    switch (i % 4) {
    case 0: cairo_set_dash(cr, NULL, 0, 0); break;
    case 1: cairo_set_dash(cr, dashed, 2, 0); break;
    case 2: cairo_set_dash(cr, dotted, 2, 0); break;
    default: cairo_set_dash(cr, dashdot, 4, 0);
    }
}

/* Whether the legend is worth showing: an explicit one, several series, or a combo. */
static int shown(const chart_spec *s) {
    return s->n_legend > 0 || s->n_series > 1 || (s->n_series == 1 && s->kind == CHART_COMBO);
}

/* Item i of the legend: the explicit items when given, else the series. */
static const char *item_name(const chart_spec *s, int i) {
    const char *n = s->n_legend > 0 ? s->legend[i].name : s->series[i].name;
    return n ? n : "";
}

void chart_hatch(cairo_t *cr, double x, double y, double w, double h, unsigned rgb) {
    if (w <= 0 || h <= 0) return;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.3);
    for (double d = -h; d < w; d += 3.6) {
        cairo_move_to(cr, x + d, y + h);
        cairo_line_to(cr, x + d + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_save(cr);
    chart_set_rgb(cr, rgb);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, x + 0.5, y + 0.5, fmax(w - 1, 0), fmax(h - 1, 0));
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Walks the items, laying them in rows of width w; draws when draw is set. Returns height. */
static double layout(chart_text *t, const chart_spec *s, double x, double y, double w, int draw) {
    if (!shown(s)) return 0;
    double widths[(int)CHART_MAX_SERIES > (int)CHART_MAX_LEGEND ? (int)CHART_MAX_SERIES : (int)CHART_MAX_LEGEND];
    double lineh = LEGEND_PT * 1.45;
    int n_items = s->n_legend > 0 ? s->n_legend : s->n_series;
    for (int i = 0; i < n_items; i++) {
        double tw, th;
        chart_text_measure(t, item_name(s, i), CHART_SANS, LEGEND_PT, 0, 0, &tw, &th);
        widths[i] = fmin(SWATCH + tw, w);
        lineh = fmax(lineh, th);
    }
    int first = 0, rows = 0;
    while (first < n_items) {
        double row_w = widths[first];
        int last = first + 1;
        while (last < n_items && row_w + ITEM_GAP + widths[last] <= w)
            row_w += ITEM_GAP + widths[last++];
        if (draw) {
            double cx = x + (w - row_w) / 2, cy = y + rows * lineh;
            for (int i = first; i < last; i++) {
                unsigned rgb = s->n_legend > 0 ? s->legend[i].rgb : chart_palette_series(i);
                double my = cy + lineh / 2;
                if (s->n_legend > 0) {
                    chart_set_rgb(t->cr, rgb);
                    cairo_rectangle(t->cr, cx + 1, my - 4, 10, 8);
                    cairo_fill(t->cr);
                    if (s->legend[i].hatched) chart_hatch(t->cr, cx + 1, my - 4, 10, 8, CHART_INK);
                } else if (chart_series_is_line(s, i)) {
                    cairo_save(t->cr);
                    chart_set_rgb(t->cr, rgb);
                    cairo_set_line_width(t->cr, 1.5);
                    chart_line_dash(t->cr, chart_line_style(s, i));
                    cairo_move_to(t->cr, cx, my);
                    cairo_line_to(t->cr, cx + SWATCH - 4, my);
                    cairo_stroke(t->cr);
                    cairo_restore(t->cr);
                    chart_marker(t->cr, chart_line_style(s, i), cx + (SWATCH - 4) / 2, my, 2.2, rgb);
                } else {
                    chart_set_rgb(t->cr, rgb);
                    cairo_rectangle(t->cr, cx + 1, my - 4, 10, 8);
                    cairo_fill(t->cr);
                }
                PangoLayout *l = chart_text_layout(t, item_name(s, i), CHART_SANS, LEGEND_PT, 0, 0, CHART_LEFT);
                chart_text_ellipsize(l, widths[i] - SWATCH);
                chart_text_show(t, l, cx + SWATCH, cy, CHART_TEXT);
                g_object_unref(l);
                cx += widths[i] + ITEM_GAP;
            }
        }
        rows++;
        first = last;
    }
    return rows * lineh + 4;
}

double chart_legend_height(chart_text *t, const chart_spec *s, double w) {
    return layout(t, s, 0, 0, w, 0);
}

void chart_legend_draw(chart_text *t, const chart_spec *s, double x, double y, double w) {
    layout(t, s, x, y, w, 1);
}
