/* test_chart_text_metrics.c — text measures the same on every surface: a PNG (an image
 * surface scaled to its dpi) lays out and wraps labels exactly as the PDF does (issue 16:
 * every sector name wrapped in an exported PNG because hinted advances were rounded to
 * whole points there). */
#include <math.h>
#include <cairo-pdf.h>

#include "chart_text.h"
#include "check.h"

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len) {
    (void)closure; (void)data; (void)len;
    return CAIRO_STATUS_SUCCESS;
}

/* Width and height of s at pt on cr, wrapped at width (0 = no wrapping). */
static void measure(cairo_t *cr, const char *s, double pt, double width, double *w, double *h) {
    chart_text t;
    char err[256];
    *w = *h = -1;
    if (chart_text_begin(&t, cr, err, sizeof err) == 0)
        chart_text_measure(&t, s, CHART_SANS, pt, 0, width, w, h);
    chart_text_end(&t);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 400, 400);
    cairo_t *pcr = cairo_create(pdf);
    static const char *const texts[] = { "道路运输", "危险化学品", "云岚经济技术开发区",
                                         "2020年同期", "时间进度 49.7%", "特种设备 12 起" };
    static const double dpis[] = { 72, 150, 300, 600 };
    for (size_t d = 0; d < sizeof dpis / sizeof *dpis; d++) {
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 64);
        cairo_t *icr = cairo_create(img);
        cairo_scale(icr, dpis[d] / 72, dpis[d] / 72);
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            double pw, ph, iw, ih;
            measure(pcr, texts[i], 8.0, 0, &pw, &ph);
            measure(icr, texts[i], 8.0, 0, &iw, &ih);
            CHECK(pw > 0 && fabs(pw - iw) < 0.05 && fabs(ph - ih) < 0.05,
                  "\"%s\" measures the same in a PNG at %g dpi (%.2fx%.2f) as in a PDF (%.2fx%.2f)",
                  texts[i], dpis[d], iw, ih, pw, ph);
            measure(pcr, texts[i], 8.0, 24, &pw, &ph);
            measure(icr, texts[i], 8.0, 24, &iw, &ih);
            CHECK(fabs(ph - ih) < 0.05, "\"%s\" wraps into the same lines at %g dpi (height %.2f, PDF %.2f)",
                  texts[i], dpis[d], ih, ph);
        }
        cairo_destroy(icr);
        cairo_surface_destroy(img);
    }
    cairo_destroy(pcr);
    cairo_surface_destroy(pdf);
    return check_failures() != 0;
}
