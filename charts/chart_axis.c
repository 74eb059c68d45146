/* chart_axis.c — ticks, number formats, category labels and the bottom-category plot frame
 * (see chart_axis.h). Labels never overlap: each plan measures every label first. */
#include <math.h>
#include <stdio.h>

#include "chart_axis.h"
#include "chart_palette.h"

/* {==== values ====================================================== */

void chart_ticks_nice(double lo, double hi, int max_ticks, int integral, chart_ticks *k) {
    if (!(lo <= hi)) lo = hi = 0;
    if (lo > 0) lo = 0;
    if (hi < 0) hi = 0;
    if (hi == lo) hi = lo + 5;
    if (max_ticks < 2) max_ticks = 2;
    double raw = (hi - lo) / max_ticks;
    double mag = pow(10, floor(log10(raw)));
    double r = raw / mag, step;
    if (r <= 1) step = 1;
    else if (r <= 2) step = 2;
    else if (r <= 2.5 && !(integral && mag < 10)) step = 2.5;
    else if (r <= 5) step = 5;
    else step = 10;
    step *= mag;
    if (integral && step < 1) step = 1;
    k->step = step;
    k->lo = floor(lo / step + 1e-9) * step;
    k->hi = ceil(hi / step - 1e-9) * step;
    if (k->hi <= k->lo) k->hi = k->lo + step;
    int d = 0;
    double scaled = step;
    while (d < 6 && fabs(scaled - round(scaled)) > 1e-6 * fmax(1, scaled)) { d++; scaled *= 10; }
    k->decimals = d;
}

void chart_format_value(double v, int decimals, char *buf, size_t n) {
    if (fabs(v) < 0.5 * pow(10, -decimals)) v = 0;   /* no "-0" */
    snprintf(buf, n, "%.*f", decimals, v);
}

int chart_value_decimals(const chart_spec *s) {
    if (s->decimals >= 0) return s->decimals;
    for (int i = 0; i < s->n_series; i++)
        for (int j = 0; j < s->n_cat; j++) {
            double v = s->series[i].values[j];
            if (!isnan(v) && v != floor(v)) return 1;
        }
    return 0;
}

void chart_series_range(const chart_spec *s, int line, int stacked, double *lo, double *hi,
                        int *integral) {
    *lo = 0; *hi = 0; *integral = 1;
    for (int j = 0; j < s->n_cat; j++) {
        double pos = 0, neg = 0;
        for (int i = 0; i < s->n_series; i++) {
            if (line >= 0 && (s->series[i].line != 0) != (line != 0)) continue;
            double v = s->series[i].values[j];
            if (isnan(v)) continue;
            if (v != floor(v)) *integral = 0;
            if (stacked) { if (v > 0) pos += v; else neg += v; }
            else { if (v > *hi) *hi = v; if (v < *lo) *lo = v; }
        }
        if (stacked) { if (pos > *hi) *hi = pos; if (neg < *lo) *lo = neg; }
    }
    if (line <= 0 && !isnan(s->ref_value)) {   /* the reference line is on the left axis */
        if (s->ref_value > *hi) *hi = s->ref_value;
        if (s->ref_value < *lo) *lo = s->ref_value;
    }
}

/* }==== */

/* {==== category labels ============================================= */

/* The widest and tallest of the labels laid out at width (0 = one line each). */
static void widest(chart_text *t, char *const *labels, int n, double pt, double width,
                   double *maxw, double *maxh) {
    *maxw = 0;
    *maxh = pt * 1.4;
    for (int i = 0; i < n; i++) {
        double w, h;
        chart_text_measure(t, labels[i], CHART_SANS, pt, 0, width, &w, &h);
        if (w > *maxw) *maxw = w;
        if (h > *maxh || (width <= 0 && h > 0)) *maxh = h;
    }
}

void chart_cat_plan(chart_text *t, char *const *labels, int n, double band, double max_size,
                    chart_catplan *p) {
    p->pt = n > 40 ? CHART_AXIS_PT - 1 : CHART_AXIS_PT;
    p->step = 1; p->angle = 0; p->wrap = 0; p->clip = 0; p->size = 0;
    if (n <= 0) return;
    double maxw, lineh;
    widest(t, labels, n, p->pt, 0, &maxw, &lineh);
    double avail = band * 0.92;
    if (maxw <= avail) { p->size = lineh; return; }
    if (avail >= 2 * p->pt) {            /* room for at least two characters: try wrapping */
        double tallest, widest_line;
        widest(t, labels, n, p->pt, avail, &widest_line, &tallest);
        if (tallest <= 3.2 * lineh && widest_line <= avail && tallest <= max_size) {
            p->wrap = avail; p->size = tallest; return;
        }
    }
    double gap = lineh * 1.3;
    if (band * 0.7071 >= gap) {
        p->angle = 45;
        p->size = (maxw + lineh) * 0.7071;
        if (p->size > max_size) {
            p->clip = fmax(max_size / 0.7071 - lineh, 2 * p->pt);
            p->size = max_size;
        }
    } else {
        p->angle = 90;
        p->step = (int)ceil(gap / band);
        p->size = maxw;
        if (p->size > max_size) { p->clip = fmax(max_size, 2 * p->pt); p->size = max_size; }
    }
}

static PangoLayout *cat_layout(chart_text *t, const char *s, const chart_catplan *p,
                               double width, chart_align al) {
    PangoLayout *l = chart_text_layout(t, s, CHART_SANS, p->pt, 0, width, al);
    if (p->clip > 0) chart_text_ellipsize(l, p->clip);
    return l;
}

void chart_cat_draw(chart_text *t, char *const *labels, int n, const chart_catplan *p,
                    double x0, double band, double y) {
    cairo_t *cr = t->cr;
    for (int i = 0; i < n; i += p->step) {
        double cx = x0 + (i + 0.5) * band;
        if (p->angle == 0) {
            double width = p->wrap > 0 ? chart_text_balance(t, labels[i], CHART_SANS, p->pt,
                                                            p->wrap) : 0;
            PangoLayout *l = cat_layout(t, labels[i], p, width, CHART_CENTER);
            double w, h;
            chart_text_extent(l, &w, &h);
            chart_text_show(t, l, p->wrap > 0 ? cx - width / 2 : cx - w / 2, y, CHART_TEXT);
            g_object_unref(l);
            continue;
        }
        PangoLayout *l = cat_layout(t, labels[i], p, 0, CHART_LEFT);
        double w, h;
        chart_text_extent(l, &w, &h);
        cairo_save(cr);
        cairo_translate(cr, cx, y + 1);
        cairo_rotate(cr, -M_PI * p->angle / 180.0);
        pango_cairo_update_layout(cr, l);
        chart_text_show(t, l, -w, -h / 2, CHART_TEXT);
        cairo_restore(cr);
        g_object_unref(l);
    }
}

void chart_cat_plan_left(chart_text *t, char *const *labels, int n, double band,
                         double max_size, chart_catplan *p) {
    p->pt = n > 40 ? CHART_AXIS_PT - 1 : CHART_AXIS_PT;
    p->step = 1; p->angle = 0; p->wrap = 0; p->clip = 0; p->size = 0;
    if (n <= 0) return;
    double maxw, lineh;
    widest(t, labels, n, p->pt, 0, &maxw, &lineh);
    p->step = band >= lineh * 1.05 ? 1 : (int)ceil(lineh * 1.05 / band);
    if (maxw <= max_size) { p->size = maxw; return; }
    if (band * p->step >= 2.1 * lineh) {   /* two lines fit: wrap at max_size */
        double widest_line, tallest;
        widest(t, labels, n, p->pt, max_size, &widest_line, &tallest);
        if (tallest <= band * p->step && tallest <= 2.2 * lineh) {
            p->wrap = max_size; p->size = widest_line; return;
        }
    }
    p->clip = max_size;
    p->size = max_size;
}

void chart_cat_draw_left(chart_text *t, char *const *labels, int n, const chart_catplan *p,
                         double x, double y0, double band) {
    for (int i = 0; i < n; i += p->step) {
        double width = p->wrap > 0 ? chart_text_balance(t, labels[i], CHART_SANS, p->pt,
                                                        p->wrap) : 0;
        PangoLayout *l = cat_layout(t, labels[i], p, width, CHART_RIGHT);
        double w, h;
        chart_text_extent(l, &w, &h);
        double cy = y0 + (i + 0.5) * band;
        double left = p->wrap > 0 ? x - 4 - width : x - 4 - w;
        chart_text_show(t, l, left, cy - h / 2, CHART_TEXT);
        g_object_unref(l);
    }
}

/* }==== */

/* {==== frame ======================================================= */

/* Widest tick label of k. */
static double ticks_width(chart_text *t, const chart_ticks *k) {
    double maxw = 0;
    char buf[64];
    for (double v = k->lo; v <= k->hi + k->step / 2; v += k->step) {
        chart_format_value(v, k->decimals, buf, sizeof buf);
        double w, h;
        chart_text_measure(t, buf, CHART_SANS, CHART_AXIS_PT, 0, 0, &w, &h);
        if (w > maxw) maxw = w;
    }
    return maxw;
}

void chart_frame_layout(chart_text *t, const chart_spec *s, double x, double y, double w,
                        double h, double lo, double hi, int has_right, double lo2, double hi2,
                        chart_frame *f) {
    int integral = chart_value_decimals(s) == 0;
    double lineh = CHART_AXIS_PT * 1.45;
    int max_ticks = (int)fmax(2, fmin(8, (h - 3 * lineh) / 28));
    chart_ticks_nice(lo, hi, max_ticks, integral, &f->left);
    f->has_right = has_right;
    if (has_right) {   /* same number of intervals on both sides, so gridlines serve both */
        int n = (int)lround((f->left.hi - f->left.lo) / f->left.step);
        for (int m = n; m >= 1; m--) {
            chart_ticks_nice(lo2, hi2, m, integral, &f->right);
            if ((int)lround((f->right.hi - f->right.lo) / f->right.step) <= n) break;
        }
        f->right.hi = f->right.lo + n * f->right.step;
    }
    double caption = lineh + 2;    /* a value-axis caption runs above the axis */
    double left = ticks_width(t, &f->left) + 6;
    double right = has_right ? ticks_width(t, &f->right) + 6 : 6;
    f->box_x = x;
    f->box_w = w;
    f->x = x + left;
    f->w = fmax(10, w - left - right);
    f->y = y + ((s->y_label || s->y2_label) ? caption : lineh / 2);
    f->band = s->n_cat > 0 ? f->w / s->n_cat : f->w;
    double max_labels = (h - (f->y - y)) * 0.35;
    chart_cat_plan(t, s->categories, s->n_cat, f->band, max_labels, &f->cats);
    f->marks_h = s->marks ? CHART_MARK_PT * 1.5 : 0;
    f->h = fmax(10, h - (f->y - y) - f->cats.size - f->marks_h - 4);
}

void chart_ref_stroke(cairo_t *cr, double x0, double y0, double x1, double y1) {
    static const double dash[] = { 4.0, 2.5 };
    cairo_save(cr);
    chart_set_rgb(cr, CHART_WORSE);
    cairo_set_line_width(cr, 1.0);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void chart_frame_ref(chart_text *t, const chart_spec *s, const chart_frame *f) {
    if (isnan(s->ref_value)) return;
    double yy = chart_frame_y(f, &f->left, s->ref_value);
    chart_ref_stroke(t->cr, f->x, yy, f->x + f->w, yy);
    if (s->ref_label)
        chart_text_put(t, s->ref_label, CHART_SANS, CHART_MARK_PT, 0, f->x + f->w - 2,
                       yy - CHART_MARK_PT * 1.5, 0, CHART_RIGHT, CHART_WORSE);
}

double chart_frame_y(const chart_frame *f, const chart_ticks *k, double v) {
    return f->y + f->h - (v - k->lo) / (k->hi - k->lo) * f->h;
}

void chart_frame_draw(chart_text *t, const chart_spec *s, const chart_frame *f) {
    cairo_t *cr = t->cr;
    char buf[64];
    cairo_save(cr);
    cairo_set_line_width(cr, 0.5);
    for (double v = f->left.lo; v <= f->left.hi + f->left.step / 2; v += f->left.step) {
        double yy = round(chart_frame_y(f, &f->left, v) * 2) / 2;
        chart_set_rgb(cr, fabs(v) < f->left.step / 2 ? CHART_AXIS : CHART_GRID);
        cairo_move_to(cr, f->x, yy);
        cairo_line_to(cr, f->x + f->w, yy);
        cairo_stroke(cr);
        chart_format_value(v, f->left.decimals, buf, sizeof buf);
        double w, h;
        chart_text_measure(t, buf, CHART_SANS, CHART_AXIS_PT, 0, 0, &w, &h);
        chart_text_put(t, buf, CHART_SANS, CHART_AXIS_PT, 0, f->x - 4, yy - h / 2, 0,
                       CHART_RIGHT, CHART_TEXT);
    }
    if (f->has_right)
        for (double v = f->right.lo; v <= f->right.hi + f->right.step / 2; v += f->right.step) {
            double yy = chart_frame_y(f, &f->right, v);
            chart_format_value(v, f->right.decimals, buf, sizeof buf);
            double w, h;
            chart_text_measure(t, buf, CHART_SANS, CHART_AXIS_PT, 0, 0, &w, &h);
            chart_text_put(t, buf, CHART_SANS, CHART_AXIS_PT, 0, f->x + f->w + 4, yy - h / 2,
                           0, CHART_LEFT, CHART_TEXT);
        }
    cairo_restore(cr);
    double lineh = CHART_AXIS_PT * 1.45;
    if (s->y_label)
        chart_text_put(t, s->y_label, CHART_SANS, CHART_AXIS_PT, 0, f->box_x,
                       f->y - lineh - 4, 0, CHART_LEFT, CHART_MUTED);
    if (f->has_right && s->y2_label)
        chart_text_put(t, s->y2_label, CHART_SANS, CHART_AXIS_PT, 0, f->box_x + f->box_w,
                       f->y - lineh - 4, 0, CHART_RIGHT, CHART_MUTED);
    for (int i = 0; s->marks && i < s->n_cat; i++) {   /* marks that fit their band */
        if (!s->marks[i]) continue;
        PangoLayout *l = chart_text_layout(t, s->marks[i], CHART_SANS, CHART_MARK_PT, 1, 0,
                                           CHART_LEFT);
        double w, h;
        chart_text_extent(l, &w, &h);
        double cx = f->x + (i + 0.5) * f->band;
        if (w <= f->band * 0.98) {
            chart_text_show(t, l, cx - w / 2, f->y + f->h + 2, s->mark_rgb);
        } else {   /* too narrow for the text: a dot in its colour */
            chart_set_rgb(t->cr, s->mark_rgb);
            cairo_arc(t->cr, cx, f->y + f->h + 2 + h / 2, fmin(2.2, f->band * 0.4), 0, 2 * M_PI);
            cairo_fill(t->cr);
        }
        g_object_unref(l);
    }
    chart_cat_draw(t, s->categories, s->n_cat, &f->cats, f->x, f->band,
                   f->y + f->h + f->marks_h + 3);
}

/* }==== */
