/* chart_plot.h — drawing one chart into a box on a cairo context (chart_draw) and the
 * per-kind painters it dispatches to. All coordinates are in points. */
#ifndef YJ_CHART_PLOT_H
#define YJ_CHART_PLOT_H

#include "chart.h"
#include "chart_axis.h"
#include "chart_text.h"

/* Draws the whole chart — title, legend, axes, data, note — inside (x, y, w, h). Returns
 * 0, or -1 when cairo reports an error (its status left on the context). */
int chart_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h);

/* Plot area painters (x, y, w, h = what is left under the title and legend). */
void chart_bar_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h);
void chart_hbar_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h);
void chart_line_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h);
void chart_combo_draw(chart_text *t, const chart_spec *s, double x, double y, double w, double h);

/* Inside a laid-out frame: the bar series (every series, or those with .line == 0 when
 * only_bars) as single, grouped or stacked bars on the left axis. */
void chart_bars_in_frame(chart_text *t, const chart_spec *s, const chart_frame *f,
                         int only_bars, int stacked);

/* Inside a laid-out frame: the line series (every series, or those with .line != 0 when
 * only_lines) on axis k. */
void chart_lines_in_frame(chart_text *t, const chart_spec *s, const chart_frame *f,
                          const chart_ticks *k, int only_lines);

#define CHART_VALUE_PT 7.0      /* values printed at bars and points */

/* A cairo write function (cairo_*_create_for_stream, write_to_png_stream) appending to
 * the out_file (util/out_file.h) given as closure: how every chart file is written. */
cairo_status_t chart_out_write(void *closure, const unsigned char *data, unsigned int len);
/* Before saving a PDF: keep large freed blocks in the heap (see chart_save.c). */
void chart_out_keep_heap(void);

struct out_file;
/* Ends a file drawn on surf into f: finishes and destroys the surface, then renames f
 * into place when rc (the drawing's status so far) and the surface are good, else drops
 * it. Returns 0, or -1 with err set (kept when the drawing already set it). */
int chart_out_finish(cairo_surface_t *surf, struct out_file *f, int rc, const char *path,
                     char *err, size_t errlen);

#endif
