/* chart_tile.c — headline-figure tiles (see chart_tile.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart_palette.h"
#include "chart_tile.h"

#define LABEL_PT 9.0
#define VALUE_PT 20.0
#define UNIT_PT 9.0
#define CHANGE_PT 8.5
#define PAD 6.0
#define GAP 8.0

void chart_tile_clear(chart_tile *t) {
    free(t->label); free(t->value); free(t->unit); free(t->note);
    for (int i = 0; i < t->n_changes; i++) { free(t->changes[i].basis); free(t->changes[i].text); }
    t->label = t->value = t->unit = t->note = NULL;
    t->n_changes = 0;
}

unsigned chart_change_text(const chart_change *c, int up_is_good, char *buf, size_t n) {
    const char *basis = c->basis ? c->basis : "";
    const char *sp = c->basis && c->basis[0] ? " " : "";
    if (c->text) {
        snprintf(buf, n, "%s%s%s%s", basis, sp, c->trend > 0 ? "▲" : c->trend < 0 ? "▼" : "", c->text);
        if (c->trend == 0) return CHART_MUTED;
        return (c->trend > 0) == (up_is_good != 0) ? CHART_BETTER : CHART_WORSE;
    }
    if (isnan(c->pct)) { snprintf(buf, n, "%s%s—", basis, sp); return CHART_MUTED; }
    if (fabs(c->pct) < 0.05) { snprintf(buf, n, "%s%s持平", basis, sp); return CHART_MUTED; }
    int up = c->pct > 0;
    snprintf(buf, n, "%s%s%s%.1f%%", basis, sp, up ? "▲" : "▼", fabs(c->pct));
    return up == (up_is_good != 0) ? CHART_BETTER : CHART_WORSE;
}

/* Lines of one tile: the height it needs at width w. */
static double tile_height(chart_text *t, const chart_tile *tile, double w) {
    double lw, lh, vw, vh, h = PAD;
    chart_text_measure(t, tile->label, CHART_SANS, LABEL_PT, 0, w - 2 * PAD, &lw, &lh);
    chart_text_measure(t, tile->value, CHART_SANS, VALUE_PT, 1, 0, &vw, &vh);
    h += lh + 1 + vh + 1;
    double ch = CHANGE_PT * 1.45;
    h += tile->n_changes * ch;
    if (tile->note) {
        double nw, nh;
        chart_text_measure(t, tile->note, CHART_SANS, CHANGE_PT, 0, w - 2 * PAD, &nw, &nh);
        h += nh;
    }
    return h + PAD;
}

static double slot_width(int per_row, double w) {
    return (w - GAP * (per_row - 1)) / per_row;
}

double chart_tiles_row_height(chart_text *t, const chart_tile *tiles, int n, int per_row, double w) {
    double sw = slot_width(per_row, w), h = 0;
    for (int i = 0; i < n; i++) h = fmax(h, tile_height(t, &tiles[i], sw));
    return h;
}

void chart_tiles_draw_row(chart_text *t, const chart_tile *tiles, int n, int per_row, double x,
                          double y, double w, double h) {
    cairo_t *cr = t->cr;
    double sw = slot_width(per_row, w);
    for (int i = 0; i < n; i++) {
        const chart_tile *tile = &tiles[i];
        double tx = x + i * (sw + GAP);
        chart_set_rgb(cr, CHART_TILE_BG);
        cairo_rectangle(cr, tx, y, sw, h);
        cairo_fill(cr);
        chart_set_rgb(cr, 0x1F4E79);      /* a thin accent along the top edge */
        cairo_rectangle(cr, tx, y, sw, 1.5);
        cairo_fill(cr);
        double yy = y + PAD, inner = sw - 2 * PAD;
        yy += chart_text_put(t, tile->label, CHART_SANS, LABEL_PT, 0, tx + PAD, yy, inner,
                             CHART_LEFT, CHART_MUTED) + 1;
        PangoLayout *v = chart_text_layout(t, tile->value, CHART_SANS, VALUE_PT, 1, 0, CHART_LEFT);
        double vw, vh;
        chart_text_extent(v, &vw, &vh);
        chart_text_show(t, v, tx + PAD, yy, CHART_INK);
        g_object_unref(v);
        if (tile->unit) {
            PangoLayout *u = chart_text_layout(t, tile->unit, CHART_SANS, UNIT_PT, 0, 0, CHART_LEFT);
            double uw, uh;
            chart_text_extent(u, &uw, &uh);
            chart_text_show(t, u, tx + PAD + vw + 2, yy + vh * 0.78 - uh * 0.78, CHART_TEXT);
            g_object_unref(u);
        }
        yy += vh + 1;
        for (int c = 0; c < tile->n_changes; c++) {
            char buf[128];
            unsigned rgb = chart_change_text(&tile->changes[c], tile->up_is_good, buf, sizeof buf);
            yy += chart_text_put(t, buf, CHART_SANS, CHANGE_PT, 0, tx + PAD, yy, 0, CHART_LEFT, rgb);
        }
        if (tile->note)
            chart_text_put(t, tile->note, CHART_SANS, CHANGE_PT, 0, tx + PAD, yy, inner,
                           CHART_LEFT, CHART_TEXT);
    }
}
