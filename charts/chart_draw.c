/* chart_draw.c — one chart in a box: title, legend, the kind's plot, a note, and "暂无数据"
 * when there is nothing to plot (see chart_plot.h). */
#include <math.h>

#include "chart_legend.h"
#include "chart_palette.h"
#include "chart_plot.h"

#define TITLE_PT 10.5
#define NOTE_PT 7.5

/* Whether any series holds a value. */
static int has_data(const chart_spec *s) {
    for (int i = 0; i < s->n_series; i++)
        for (int j = 0; j < s->n_cat; j++)
            if (!isnan(s->series[i].values[j])) return 1;
    return 0;
}

int chart_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h) {
    cairo_t *cr = t->cr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    double top = y, bottom = y + h;
    if (s->title && s->title[0])
        top += chart_text_put(t, s->title, CHART_SANS, TITLE_PT, 1, x, top, w, CHART_CENTER,
                              CHART_INK) + 4;
    if (s->note && s->note[0]) {
        double nw, nh;
        chart_text_measure(t, s->note, CHART_SANS, NOTE_PT, 0, w, &nw, &nh);
        bottom -= nh;
        chart_text_put(t, s->note, CHART_SANS, NOTE_PT, 0, x, bottom, w, CHART_LEFT, CHART_MUTED);
        bottom -= 3;
    }
    if (has_data(s)) {
        double lh = chart_legend_height(t, s, w);
        chart_legend_draw(t, s, x, top, w);
        top += lh;
        double ph = fmax(bottom - top, 20);
        switch (s->kind) {
        case CHART_HBAR: chart_hbar_draw(t, s, x, top, w, ph); break;
        case CHART_LINE: chart_line_draw(t, s, x, top, w, ph); break;
        case CHART_COMBO: chart_combo_draw(t, s, x, top, w, ph); break;
        default: chart_bar_draw(t, s, x, top, w, ph);
        }
    } else {
        chart_set_rgb(cr, CHART_GRID);
        cairo_set_line_width(cr, 0.6);
        cairo_rectangle(cr, x + 0.5, top + 0.5, w - 1, fmax(bottom - top - 1, 1));
        cairo_stroke(cr);
        chart_text_put(t, "暂无数据", CHART_SANS, 10, 0, x + w / 2, (top + bottom) / 2 - 7, 0,
                       CHART_CENTER, CHART_MUTED);
    }
    cairo_restore(cr);
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
