/* test_chart_render.c — every chart kind (and the edge cases) rendered from the fixed data
 * of tests/charts/fixtures.h to PNG, through chart_save exactly as the Lua binding calls it,
 * and compared pixel by pixel with tests/charts/ref/NAME.png within a small tolerance.
 * With YJ_REGEN_CHARTS=1 it rewrites the references instead (tests/charts/regen.sh). */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <cairo.h>

#include "check.h"
#include "../charts/fixtures.h"

#define DPI 100
#define CHANNEL_TOLERANCE 48      /* a pixel differs when a channel moves by more */
#define PIXEL_TOLERANCE 0.002     /* fraction of differing pixels allowed */

/* Fraction of pixels that differ between two PNGs; 1 when they cannot be compared. */
static double differing(const char *a, const char *b) {
    cairo_surface_t *sa = cairo_image_surface_create_from_png(a);
    cairo_surface_t *sb = cairo_image_surface_create_from_png(b);
    double frac = 1;
    if (cairo_surface_status(sa) == CAIRO_STATUS_SUCCESS &&
        cairo_surface_status(sb) == CAIRO_STATUS_SUCCESS &&
        cairo_image_surface_get_width(sa) == cairo_image_surface_get_width(sb) &&
        cairo_image_surface_get_height(sa) == cairo_image_surface_get_height(sb)) {
        int w = cairo_image_surface_get_width(sa), h = cairo_image_surface_get_height(sa);
        const unsigned char *pa = cairo_image_surface_get_data(sa);
        const unsigned char *pb = cairo_image_surface_get_data(sb);
        int sta = cairo_image_surface_get_stride(sa), stb = cairo_image_surface_get_stride(sb);
        long bad = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    if (abs(pa[y * sta + 4 * x + c] - pb[y * stb + 4 * x + c]) > CHANNEL_TOLERANCE) {
                        bad++;
                        break;
                    }
        frac = (double)bad / ((double)w * h);
    }
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    return frac;
}

/* Fraction of pixels that are not white: a blank render would pass nothing. */
static double inked(const char *path) {
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    double frac = 0;
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
        const unsigned char *p = cairo_image_surface_get_data(s);
        int st = cairo_image_surface_get_stride(s);
        long n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                n += p[y * st + 4 * x] < 200 || p[y * st + 4 * x + 1] < 200;
        frac = (double)n / ((double)w * h);
    }
    cairo_surface_destroy(s);
    return frac;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);   /* keep results if a sanitizer ends the run */
    const char *regen = getenv("YJ_REGEN_CHARTS");
    char dir[] = "/tmp/yj_chart_render_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    for (int i = 0; i < FX_COUNT; i++) {
        const char *name = fx_names[i];
        chart_spec *s = fx_chart(name);
        char out[256], ref[256], err[256] = "";
        snprintf(out, sizeof out, "%s/%s.png", dir, name);
        snprintf(ref, sizeof ref, "tests/charts/ref/%s.png", name);
        int rc = chart_save(s, regen && *regen == '1' ? ref : out, DPI, err, sizeof err);
        CHECK(rc == 0, "%s: renders to PNG %s", name, err);
        chart_spec_free(s);
        if (regen && *regen == '1') continue;
        CHECK(inked(out) > 0.0005, "%s: the render is not blank", name);
        double d = differing(out, ref);
        CHECK(d <= PIXEL_TOLERANCE, "%s: matches %s (%.3f%% of pixels differ)", name, ref, d * 100);
        if (d <= PIXEL_TOLERANCE) unlink(out);
        else printf("# kept %s for inspection\n", out);
    }
    /* the same chart as SVG and PDF; PDF bytes depend only on the chart */
    chart_spec *s = fx_chart("combo");
    char svg[256], pdf1[256], pdf2[256], err[256] = "", head[8] = "";
    snprintf(svg, sizeof svg, "%s/c.svg", dir);
    snprintf(pdf1, sizeof pdf1, "%s/c1.pdf", dir);
    snprintf(pdf2, sizeof pdf2, "%s/c2.pdf", dir);
    CHECK(chart_save(s, svg, 0, err, sizeof err) == 0, "combo saves as SVG %s", err);
    FILE *f = fopen(svg, "r");
    CHECK(f && fread(head, 1, 5, f) == 5 && memcmp(head, "<?xml", 5) == 0, "the SVG is XML");
    if (f) fclose(f);
    CHECK(chart_save(s, pdf1, 0, err, sizeof err) == 0 && chart_save(s, pdf2, 0, err, sizeof err) == 0,
          "combo saves as PDF %s", err);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s && pdffonts %s | grep -q 'NotoSansCJKsc.* yes yes yes'",
             pdf1, pdf2, pdf1);
    CHECK(system(cmd) == 0, "two PDFs of one chart are identical and embed the CJK font");
    snprintf(cmd, sizeof cmd, "%s/c.gif", dir);
    CHECK(chart_save(s, cmd, 0, err, sizeof err) != 0 && strstr(err, "unknown chart format"),
          "an unknown extension is refused: %s", err);
    s->width_mm = 420;
    s->height_mm = 297;
    snprintf(cmd, sizeof cmd, "%s/huge.png", dir);
    CHECK(chart_save(s, cmd, 600, err, sizeof err) != 0 && strstr(err, "megapixels"),
          "a PNG over 40 megapixels is refused: %s", err);
    chart_spec_free(s);
    unlink(svg); unlink(pdf1); unlink(pdf2);
    rmdir(dir);
    return check_failures() != 0;
}
