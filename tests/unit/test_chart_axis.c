/* test_chart_axis.c — nice ticks, number formats, and the promise that category labels
 * never overlap: for label sets from 3 to 1,000 categories, short and long, the plan keeps
 * neighbouring labels apart (level labels within their band, rotated ones at least a line
 * apart along the axis) and within the space allowed. */
#include <math.h>
#include <stdlib.h>
#include <cairo.h>

#include "chart_axis.h"
#include "chart_palette.h"
#include "check.h"

static int is_nice(double step) {
    double mag = pow(10, floor(log10(step)));
    double r = step / mag;
    return fabs(r - 1) < 1e-9 || fabs(r - 2) < 1e-9 || fabs(r - 2.5) < 1e-9 || fabs(r - 5) < 1e-9;
}

static void ticks_case(double lo, double hi, int max, int integral) {
    chart_ticks k;
    chart_ticks_nice(lo, hi, max, integral, &k);
    double n = (k.hi - k.lo) / k.step;
    CHECK(k.lo <= fmin(lo, 0) && k.hi >= fmax(hi, 0) && k.lo <= 0 && k.hi >= 0 && is_nice(k.step) &&
          n <= max + 1 + 1e-9 && fabs(n - round(n)) < 1e-9 && (!integral || k.step >= 1),
          "ticks for [%g, %g] max %d%s: %g..%g step %g", lo, hi, max,
          integral ? " (whole numbers)" : "", k.lo, k.hi, k.step);
}

/* Widest and tallest of the labels at a width (0 = one line). */
static void extent(chart_text *t, char **labels, int n, double pt, double width, double *w, double *h) {
    *w = *h = 0;
    for (int i = 0; i < n; i++) {
        double lw, lh;
        chart_text_measure(t, labels[i], CHART_SANS, pt, 0, width, &lw, &lh);
        *w = fmax(*w, lw);
        *h = fmax(*h, lh);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    ticks_case(0, 12, 5, 1);
    ticks_case(0, 0, 5, 1);
    ticks_case(-3, 7, 6, 1);
    ticks_case(0, 0.37, 5, 0);
    ticks_case(0, 1234567, 8, 1);
    ticks_case(3, 3, 4, 1);
    ticks_case(0, 98.5, 5, 0);
    chart_ticks k;
    chart_ticks_nice(0, 0, 5, 1, &k);
    CHECK(k.lo == 0 && k.hi == 5 && k.step == 1, "an all-zero axis runs 0..5 by 1");
    chart_ticks_nice(0, 0.37, 5, 0, &k);
    CHECK(k.decimals == 1, "steps of 0.1 print one decimal (%d)", k.decimals);
    chart_ticks_nice(0, 9, 4, 0, &k);
    CHECK(k.step == 2.5 && k.decimals == 1, "a 2.5 step prints one decimal");
    chart_ticks_nice(0, 9, 4, 1, &k);
    CHECK(k.step == 5 || k.step == 2, "whole-number data never get a 2.5 step (%g)", k.step);
    char buf[32];
    chart_format_value(-0.04, 1, buf, sizeof buf);
    CHECK_STR(buf, "0.0", "no negative zero");
    chart_format_value(93.456, 1, buf, sizeof buf);
    CHECK_STR(buf, "93.5", "one decimal");

    double min_gap = 255;
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            min_gap = fmin(min_gap, fabs(chart_luma(chart_palette_series(i)) -
                                         chart_luma(chart_palette_series(j))));
    CHECK(min_gap >= 30, "the first four series colours differ in grey by at least 30 of 255 (%.0f)",
          min_gap);
    for (int i = 0; i < 8; i++)
        CHECK(chart_luma(chart_palette_series(i)) <= 220, "series colour %d shows on white", i);

    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(surf);
    chart_text t;
    char err[256];
    if (chart_text_begin(&t, cr, err, sizeof err) != 0) {
        CHECK(0, "text set-up: %s", err);
        return 1;
    }
    /* prefix, and the suffix after a running number (NULL: no number) */
    static const char *const stems[][2] = { { "城关区", NULL }, { "高新技术产业开发区", NULL },
        { "第", "号生产经营单位" }, { "某某市经济技术开发区（综合保税区）应急管理办公室", NULL },
        { "T", "" } };
    static const int counts[] = { 3, 8, 12, 40, 200, 1000 };
    for (size_t si = 0; si < sizeof stems / sizeof stems[0]; si++)
        for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++) {
            int n = counts[ci];
            char **labels = malloc((size_t)n * sizeof *labels);
            for (int i = 0; i < n; i++) {
                labels[i] = malloc(256);
                if (stems[si][1]) snprintf(labels[i], 256, "%s%d%s", stems[si][0], i + 1, stems[si][1]);
                else snprintf(labels[i], 256, "%s", stems[si][0]);
            }
            double axis = 450, band = axis / n, max_size = 90;
            chart_catplan p;
            chart_cat_plan(&t, labels, n, band, max_size, &p);
            double w, h, lineh;
            extent(&t, labels, n, p.pt, 0, &w, &lineh);
            int apart;
            if (p.angle == 0 && p.wrap == 0) apart = w <= band;
            else if (p.angle == 0) { extent(&t, labels, n, p.pt, p.wrap, &w, &h); apart = w <= band; }
            else if (p.angle == 45) apart = p.step * band * sin(M_PI / 4) >= lineh;
            else apart = p.step * band >= lineh;
            CHECK(apart && p.size <= max_size + 1e-6,
                  "%d labels like \"%s\" on %.0f pt: %s%d°, every %d, %.0f pt deep", n, labels[0],
                  axis, p.wrap > 0 ? "wrapped, " : "", p.angle, p.step, p.size);
            chart_cat_plan_left(&t, labels, n, axis / n, 120, &p);
            CHECK(p.step * (axis / n) >= lineh * 0.99 && p.size <= 120 + 1e-6,
                  "%d labels down a %.0f pt axis: every %d, %.0f pt wide", n, axis, p.step, p.size);
            for (int i = 0; i < n; i++) free(labels[i]);
            free(labels);
        }
    chart_text_end(&t);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    return check_failures() != 0;
}
