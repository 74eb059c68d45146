/* chart_text.h — text through pango (never cairo's toy text API): layouts that wrap with
 * Chinese line-breaking rules, measuring, and drawing at a point.
 *
 * A chart_text pairs the cairo context being drawn on with one pango context whose font
 * options are fixed per kind of surface (unhinted on PDF/SVG, hinted on PNG), so text is
 * measured on the surface it is drawn on: lay out and draw with the same chart_text. */
#ifndef YJ_CHART_TEXT_H
#define YJ_CHART_TEXT_H

#include <stddef.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "chart_font.h"

typedef struct chart_text {
    cairo_t *cr;        /* borrowed */
    PangoContext *pc;   /* owned */
} chart_text;

typedef enum { CHART_LEFT, CHART_CENTER, CHART_RIGHT } chart_align;

/* Checks the CJK font (chart_font_check) and sets up t for cr. Returns 0, or -1 with the
 * reason in err. Release with chart_text_end. */
int chart_text_begin(chart_text *t, cairo_t *cr, char *err, size_t errlen);
void chart_text_end(chart_text *t);   /* idempotent */

/* A layout of s (UTF-8) in face at pt points. width > 0 wraps lines at that width (Chinese
 * rules: no line starts with ， 。 etc.) and aligns them with al inside it; width <= 0 keeps
 * one line per paragraph. Caller frees with g_object_unref. */
PangoLayout *chart_text_layout(chart_text *t, const char *s, chart_face face, double pt,
                               int bold, double width, chart_align al);

/* Shortens the layout to one line of at most width points ending in "…". */
void chart_text_ellipsize(PangoLayout *l, double width);

/* The logical width and height of a layout, in points. */
void chart_text_extent(PangoLayout *l, double *w, double *h);

/* The narrowest width <= width at which s wraps into no more lines than at width: wrapped
 * labels come out balanced ("经济技术/开发区", not "经济技术开发/区"). */
double chart_text_balance(chart_text *t, const char *s, chart_face face, double pt, double width);

/* Draws l in rgb with its logical top-left corner at (x, y). */
void chart_text_show(chart_text *t, PangoLayout *l, double x, double y, unsigned rgb);

/* Lays out, draws at (x, y) and frees in one step; returns the height drawn. */
double chart_text_put(chart_text *t, const char *s, chart_face face, double pt, int bold,
                      double x, double y, double width, chart_align al, unsigned rgb);

/* The size s would take (see chart_text_layout for width). */
void chart_text_measure(chart_text *t, const char *s, chart_face face, double pt, int bold,
                        double width, double *w, double *h);

#endif
