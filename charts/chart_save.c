/* chart_save.c — one chart alone to a file; the surface follows the extension: .pdf
 * (vector, fixed creation date so the bytes depend only on the chart), .svg, .png (white
 * background, dpi chosen by the caller — 300 by default — and recorded in the file's pHYs
 * chunk, so Word places it at its true size). Every file is written through out_file (a temp
 * beside the target, renamed over it), also the documents of chart_doc.c. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <strings.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "chart_plot.h"
#include "out_file.h"

/* The creation date stamped into a lone chart's PDF: fixed, so output is reproducible. */
#define CHART_PDF_DATE "2000-01-01T00:00:00"

static const char *extension(const char *path) {
    const char *dot = strrchr(path, '.');
    return dot && !strchr(dot, '/') ? dot + 1 : "";
}

/* cairo's PDF font subsetter reads the whole CFF table of each face it embeds (Noto CJK
 * SC: 16 to 23 MB) into a fresh buffer, twice per document (once to see whether the font is
 * CID-keyed, once to subset it). glibc serves blocks that large with mmap and unmaps them
 * on free, so every read faults in its pages anew: 26,000 page faults in the 3,000-unit
 * briefing. With blocks up to 64 MB taken from the heap and up to 128 MB of free heap kept,
 * the next read reuses the pages of the last one: 17,000 faults, 0.03 s less system time
 * (peak RSS +18 MB). Process-wide, set once, before the first document or chart is saved. */
void chart_out_keep_heap(void) {
#ifdef __GLIBC__
    static int done;
    if (done) return;
    done = 1;
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

cairo_status_t chart_out_write(void *closure, const unsigned char *data, unsigned int len) {
    return out_write(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* {==== the PNG's resolution ==========================================
 * cairo writes no pHYs chunk; the stream is passed through here, and the chunk is put in
 * right after IHDR (the 8-byte signature and the 25-byte IHDR chunk come first). */

enum { PNG_HEAD = 8 + 25 };

typedef struct png_dpi_writer {
    out_file *f;
    double dpi;
    unsigned char head[PNG_HEAD];
    unsigned n;          /* bytes of head collected */
    int done;            /* the chunk is written; pass everything through */
} png_dpi_writer;

static unsigned long crc32_png(const unsigned char *p, size_t n) {
    unsigned long c = 0xFFFFFFFFUL;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320UL & (0UL - (c & 1UL)));
    }
    return c ^ 0xFFFFFFFFUL;
}

static void put32(unsigned char *p, unsigned long v) {
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);  p[3] = (unsigned char)v;
}

static cairo_status_t png_dpi_write(void *closure, const unsigned char *data, unsigned int len) {
    png_dpi_writer *w = closure;
    if (!w->done) {
        unsigned take = PNG_HEAD - w->n < len ? PNG_HEAD - w->n : len;
        memcpy(w->head + w->n, data, take);
        w->n += take;
        data += take;
        len -= take;
        if (w->n < PNG_HEAD) return CAIRO_STATUS_SUCCESS;
        unsigned char chunk[4 + 4 + 9 + 4];
        unsigned long ppm = (unsigned long)(w->dpi / 0.0254 + 0.5);   /* pixels per metre */
        put32(chunk, 9);
        memcpy(chunk + 4, "pHYs", 4);
        put32(chunk + 8, ppm);
        put32(chunk + 12, ppm);
        chunk[16] = 1;                                               /* unit: the metre */
        put32(chunk + 17, crc32_png(chunk + 4, 4 + 9));
        w->done = 1;
        if (out_write(w->f, w->head, PNG_HEAD) != 0 || out_write(w->f, chunk, sizeof chunk) != 0)
            return CAIRO_STATUS_WRITE_ERROR;
    }
    return len == 0 || out_write(w->f, data, len) == 0 ? CAIRO_STATUS_SUCCESS
                                                      : CAIRO_STATUS_WRITE_ERROR;
}

/* }==== */

int chart_out_finish(cairo_surface_t *surf, out_file *f, int rc, const char *path,
                     char *err, size_t errlen) {
    cairo_surface_finish(surf);
    if (rc == 0 && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(cairo_surface_status(surf)));
        rc = -1;
    }
    cairo_surface_destroy(surf);
    if (rc != 0) out_abort(f);
    else rc = out_commit(f, 0, err, errlen);
    return rc;
}

int chart_save(const chart_spec *s, const char *path, double dpi, char *err, size_t errlen) {
    if (chart_spec_check(s, err, errlen) != 0) return -1;
    double w = s->width_mm * CHART_MM, h = s->height_mm * CHART_MM;
    const char *ext = extension(path);
    int png = strcasecmp(ext, "png") == 0;
    int pdf = strcasecmp(ext, "pdf") == 0, svg = strcasecmp(ext, "svg") == 0;
    if (!png && !pdf && !svg) {
        snprintf(err, errlen, "%s: unknown chart format '%s' (use .pdf, .svg or .png)", path, ext);
        return -1;
    }
    if (png) {
        if (dpi <= 0) dpi = 300;
        if (dpi < 30 || dpi > 600) {
            snprintf(err, errlen, "dpi %g is outside 30..600", dpi);
            return -1;
        }
        if (w * dpi / 72 * (h * dpi / 72) > 40e6) {
            snprintf(err, errlen, "%s: a %gx%g mm PNG at %g dpi would exceed 40 megapixels",
                     path, s->width_mm, s->height_mm, dpi);
            return -1;
        }
    }
    out_file f;   /* written to a temp beside path, renamed over it when complete */
    if (out_open(&f, path, err, errlen) != 0) return -1;
    cairo_surface_t *surf;
    if (pdf) {
        chart_out_keep_heap();
        surf = cairo_pdf_surface_create_for_stream(chart_out_write, &f, w, h);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "yingji");
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, CHART_PDF_DATE);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, CHART_PDF_DATE);
        if (s->title)
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, s->title);
    } else if (svg) {
        surf = cairo_svg_surface_create_for_stream(chart_out_write, &f, w, h);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
    } else {
        surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * dpi / 72 + 0.5),
                                          (int)(h * dpi / 72 + 0.5));
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        out_abort(&f);
        return -1;
    }
    cairo_t *cr = cairo_create(surf);
    if (png) cairo_scale(cr, dpi / 72, dpi / 72);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    chart_text t;
    int rc = -1;
    if (chart_text_begin(&t, cr, err, errlen) == 0) {
        double m = 6;   /* a small white margin around the chart */
        rc = chart_draw(&t, s, m, m, w - 2 * m, h - 2 * m);
        if (rc != 0) snprintf(err, errlen, "%s: drawing failed: %s", path,
                              cairo_status_to_string(cairo_status(cr)));
    }
    chart_text_end(&t);
    cairo_destroy(cr);
    png_dpi_writer pw = { .f = &f, .dpi = dpi };
    if (rc == 0 && png && (cairo_surface_write_to_png_stream(surf, png_dpi_write, &pw) !=
                           CAIRO_STATUS_SUCCESS || !pw.done)) {
        snprintf(err, errlen, "%s: cannot write the PNG", path);
        rc = -1;
    }
    rc = chart_out_finish(surf, &f, rc, path, err, errlen);
    return rc;
}
