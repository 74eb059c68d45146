/* chart_line.c — line charts: one line per series with a marker per point (markers and
 * dashes differ per series so lines stay apart in grey); gaps where a value is missing. */
#include <math.h>

#include "chart_legend.h"
#include "chart_palette.h"
#include "chart_plot.h"

void chart_lines_in_frame(chart_text *t, const chart_spec *s, const chart_frame *f,
                          const chart_ticks *k, int only_lines) {
    cairo_t *cr = t->cr;
    int markers = f->band >= 6;
    int nlines = 0;
    for (int i = 0; i < s->n_series; i++) nlines += !only_lines || s->series[i].line;
    int decimals = chart_value_decimals(s);
    for (int i = 0; i < s->n_series; i++) {
        if (only_lines && !s->series[i].line) continue;
        unsigned rgb = chart_palette_series(i);
        const double *v = s->series[i].values;
        cairo_save(cr);
        chart_set_rgb(cr, rgb);
        cairo_set_line_width(cr, 1.6);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        chart_line_dash(cr, chart_line_style(s, i));
        int pen = 0;
        for (int j = 0; j < s->n_cat; j++) {
            if (isnan(v[j])) { pen = 0; continue; }
            double px = f->x + (j + 0.5) * f->band, py = chart_frame_y(f, k, v[j]);
            if (pen) cairo_line_to(cr, px, py); else cairo_move_to(cr, px, py);
            pen = 1;
        }
        cairo_stroke(cr);
        cairo_restore(cr);
        for (int j = 0; j < s->n_cat; j++) {
            if (isnan(v[j])) continue;
            double px = f->x + (j + 0.5) * f->band, py = chart_frame_y(f, k, v[j]);
            if (markers) chart_marker(cr, chart_line_style(s, i), px, py, 2.3, rgb);
            /* a lone line can carry its values; several would collide */
            if (s->values_on_bars && nlines == 1) {
                char buf[64];
                chart_format_value(v[j], decimals, buf, sizeof buf);
                PangoLayout *l = chart_text_layout(t, buf, CHART_SANS, CHART_VALUE_PT, 0, 0,
                                                   CHART_LEFT);
                double w, h;
                chart_text_extent(l, &w, &h);
                if (w <= f->band * 0.95) chart_text_show(t, l, px - w / 2, py - h - 3, rgb);
                g_object_unref(l);
            }
        }
    }
}

void chart_line_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h) {
    int integral;
    double lo, hi;
    chart_series_range(s, -1, 0, &lo, &hi, &integral);
    if (s->values_on_bars) hi += (hi - lo) * 0.08;
    chart_frame f;
    chart_frame_layout(t, s, x, y, w, h, lo, hi, 0, 0, 0, &f);
    chart_frame_draw(t, s, &f);
    chart_lines_in_frame(t, s, &f, &f.left, 0);
    chart_frame_ref(t, s, &f);
}
