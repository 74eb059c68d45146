/* chart_text.c — pango layout helpers shared by every chart and the document (see
 * chart_text.h). */
#include <string.h>

#include "chart_palette.h"
#include "chart_text.h"

int chart_text_begin(chart_text *t, cairo_t *cr, char *err, size_t errlen) {
    t->cr = cr;
    t->pc = NULL;
    if (chart_font_check(err, errlen) != 0) return -1;
    t->pc = pango_cairo_create_context(cr);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* Unhinted metrics on every surface, so text measures the same at any scale and a PNG
     * breaks its labels exactly where the PDF does (hinted advances, rounded to whole
     * points before the dpi scale, made every sector name wrap in an exported PNG). Pixel
     * surfaces still hint the outlines slightly, for crisp glyphs. */
    int pixels = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE;
    cairo_font_options_set_hint_style(fo, pixels ? CAIRO_HINT_STYLE_SLIGHT : CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(t->pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(t->pc, pango_language_from_string("zh-cn"));
    return 0;
}

void chart_text_end(chart_text *t) {
    if (t->pc) g_object_unref(t->pc);
    t->pc = NULL;
}

PangoLayout *chart_text_layout(chart_text *t, const char *s, chart_face face, double pt,
                               int bold, double width, chart_align al) {
    PangoLayout *l = pango_layout_new(t->pc);
    PangoFontDescription *d = chart_font_desc(face, pt, bold);
    pango_layout_set_font_description(l, d);
    pango_font_description_free(d);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(l, al == CHART_CENTER ? PANGO_ALIGN_CENTER
                                    : al == CHART_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    }
    /* never insert "-" where a long word breaks: a hash or a file name would read wrong */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    pango_layout_set_text(l, s ? s : "", -1);
    return l;
}

void chart_text_ellipsize(PangoLayout *l, double width) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_height(l, -1);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
}

void chart_text_extent(PangoLayout *l, double *w, double *h) {
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    if (w) {
        /* With a set width and alignment the logical x may be offset; report the ink span. */
        *w = (double)(logical.width) / PANGO_SCALE;
    }
    if (h) *h = (double)logical.height / PANGO_SCALE;
}

void chart_text_show(chart_text *t, PangoLayout *l, double x, double y, unsigned rgb) {
    cairo_save(t->cr);
    chart_set_rgb(t->cr, rgb);
    cairo_move_to(t->cr, x, y);
    pango_cairo_show_layout(t->cr, l);
    cairo_restore(t->cr);
}

double chart_text_put(chart_text *t, const char *s, chart_face face, double pt, int bold,
                      double x, double y, double width, chart_align al, unsigned rgb) {
    PangoLayout *l = chart_text_layout(t, s, face, pt, bold, width, al);
    double w, h;
    chart_text_extent(l, &w, &h);
    if (width <= 0 && al != CHART_LEFT)   /* align a single line on x */
        x -= al == CHART_CENTER ? w / 2 : w;
    chart_text_show(t, l, x, y, rgb);
    g_object_unref(l);
    return h;
}

void chart_text_measure(chart_text *t, const char *s, chart_face face, double pt, int bold,
                        double width, double *w, double *h) {
    PangoLayout *l = chart_text_layout(t, s, face, pt, bold, width, CHART_LEFT);
    chart_text_extent(l, w, h);
    g_object_unref(l);
}

/* Number of lines s takes at width. */
static int lines_at(chart_text *t, const char *s, chart_face face, double pt, double width) {
    PangoLayout *l = chart_text_layout(t, s, face, pt, 0, width, CHART_LEFT);
    int n = pango_layout_get_line_count(l);
    g_object_unref(l);
    return n;
}

double chart_text_balance(chart_text *t, const char *s, chart_face face, double pt, double width) {
    int n = lines_at(t, s, face, pt, width);
    if (n <= 1) return width;
    double lo = width / n * 0.9, hi = width;
    for (int i = 0; i < 8; i++) {     /* bisect to within width/256 */
        double mid = (lo + hi) / 2;
        if (lines_at(t, s, face, pt, mid) <= n) hi = mid; else lo = mid;
    }
    return hi;
}
