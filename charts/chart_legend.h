/* chart_legend.h — the legend: one swatch (a box for bars, a line with its marker for
 * lines) and name per series, set in centred rows that wrap when they do not fit. */
#ifndef YJ_CHART_LEGEND_H
#define YJ_CHART_LEGEND_H

#include "chart.h"
#include "chart_text.h"

/* Height the legend of s takes in width w (0 when it shows nothing: one plain series). */
double chart_legend_height(chart_text *t, const chart_spec *s, double w);

/* Draws the legend of s in the band starting at (x, y), w wide. */
void chart_legend_draw(chart_text *t, const chart_spec *s, double x, double y, double w);

/* Hatches the bar (x, y, w, h) with white diagonals and outlines it in rgb: a bar that
 * must read differently from its neighbours in colour and in grey (a vetoed unit). */
void chart_hatch(cairo_t *cr, double x, double y, double w, double h, unsigned rgb);

/* Draws marker number m (circle, square, triangle, diamond, …) of size r at (x, y) in rgb. */
void chart_marker(cairo_t *cr, int m, double x, double y, double r, unsigned rgb);

/* Sets the dash pattern of line series number i (solid, dashed, dotted, …). */
void chart_line_dash(cairo_t *cr, int i);

/* Whether series i of s is drawn as a line. */
int chart_series_is_line(const chart_spec *s, int i);

/* The style number (dash, marker) of series i: its position among the line series. */
int chart_line_style(const chart_spec *s, int i);

#endif
