/* chart_axis.h — axes: nice tick values, number formatting, category labels that never
 * overlap (kept level, wrapped, rotated 45° or 90°, thinned, shortened with "…"), and the
 * plot frame shared by the charts whose categories run along the bottom. */
#ifndef YJ_CHART_AXIS_H
#define YJ_CHART_AXIS_H

#include <stddef.h>

#include "chart.h"
#include "chart_text.h"

typedef struct chart_ticks {
    double lo, hi, step;   /* axis from lo to hi, a tick every step */
    int decimals;          /* digits needed to print a tick */
} chart_ticks;

/* Nice ticks (steps of 1, 2, 2.5, 5 × 10^k) covering [lo, hi] and zero, at most max_ticks
 * intervals. integral = 1 when the data are whole numbers (then no fractional steps).
 * An empty or all-zero range gives 0..5. */
void chart_ticks_nice(double lo, double hi, int max_ticks, int integral, chart_ticks *k);

/* Prints v with decimals digits (negative zero printed as 0). */
void chart_format_value(double v, int decimals, char *buf, size_t n);

/* Digits worth printing for the values of a spec: s->decimals, or automatically 0 when
 * every value is whole and 1 otherwise. */
int chart_value_decimals(const chart_spec *s);

/* How category labels are set along one axis. */
typedef struct chart_catplan {
    double pt;        /* font size */
    int step;         /* label every step-th category (1 = all) */
    int angle;        /* 0, 45 or 90 degrees */
    double wrap;      /* > 0: level labels wrapped at this width */
    double clip;      /* > 0: labels shortened with "…" to this length */
    double size;      /* space the labels take across the axis (height, or width for hbar) */
} chart_catplan;

/* Plans labels for n categories each band points wide along a horizontal axis, using at
 * most max_size points below it. */
void chart_cat_plan(chart_text *t, char *const *labels, int n, double band, double max_size,
                    chart_catplan *p);

/* Draws the planned labels under the axis at y; category i is centred on x0 + (i+½)·band. */
void chart_cat_draw(chart_text *t, char *const *labels, int n, const chart_catplan *p,
                    double x0, double band, double y);

/* Plans labels for n categories each band points tall along a vertical axis (hbar), using
 * at most max_size points of width to the left of it. */
void chart_cat_plan_left(chart_text *t, char *const *labels, int n, double band,
                         double max_size, chart_catplan *p);

/* Draws labels right-aligned at x (the axis); category i centred on y0 + (i+½)·band. */
void chart_cat_draw_left(chart_text *t, char *const *labels, int n, const chart_catplan *p,
                         double x, double y0, double band);

/* The plot frame of a chart with categories along the bottom and values up the side(s). */
typedef struct chart_frame {
    double x, y, w, h;          /* plot area */
    double box_x, box_w;        /* the whole chart's left edge and width */
    chart_ticks left, right;    /* value axes; right only when has_right */
    int has_right;
    double band;                /* width of one category */
    double marks_h;             /* height of the row of category marks (0 = none) */
    chart_catplan cats;
} chart_frame;

#define CHART_AXIS_PT 8.0       /* tick and category label size */
#define CHART_MARK_PT 7.5       /* category marks ("双降") */

/* Lays out the frame inside the box (x, y, w, h) for the given value ranges of the left
 * and (when has_right) right axes. */
void chart_frame_layout(chart_text *t, const chart_spec *s, double x, double y, double w,
                        double h, double lo, double hi, int has_right, double lo2, double hi2,
                        chart_frame *f);

/* Draws gridlines, both axes with their tick labels and captions, and category labels. */
void chart_frame_draw(chart_text *t, const chart_spec *s, const chart_frame *f);

/* Vertical position of value v on axis k of frame f. */
double chart_frame_y(const chart_frame *f, const chart_ticks *k, double v);

/* Strokes a reference line (dashed, red) from (x0, y0) to (x1, y1). */
void chart_ref_stroke(cairo_t *cr, double x0, double y0, double x1, double y1);

/* Draws the reference line of s (if any) across frame f on its left axis. */
void chart_frame_ref(chart_text *t, const chart_spec *s, const chart_frame *f);

/* The value range of series (line = -1 all, else only those whose .line equals it). */
void chart_series_range(const chart_spec *s, int line, int stacked, double *lo, double *hi,
                        int *integral);

#endif
