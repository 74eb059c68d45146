/* chart_combo.c — bars and lines on two value axes: the bar series (line = false) against
 * the left axis, the line series (line = true) against the right one. */
#include "chart_plot.h"

void chart_combo_draw(chart_text *t, const chart_spec *s, double x, double y, double w,
                      double h) {
    int integral;
    double lo, hi, lo2, hi2;
    chart_series_range(s, 0, 0, &lo, &hi, &integral);
    chart_series_range(s, 1, 0, &lo2, &hi2, &integral);
    if (s->values_on_bars) hi += (hi - lo) * 0.08;
    chart_frame f;
    chart_frame_layout(t, s, x, y, w, h, lo, hi, 1, lo2, hi2, &f);
    chart_frame_draw(t, s, &f);
    chart_bars_in_frame(t, s, &f, 1, 0);
    chart_lines_in_frame(t, s, &f, &f.right, 1);
    chart_frame_ref(t, s, &f);
}
