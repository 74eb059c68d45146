/* chart_tile.h — headline-figure tiles: a label, a big value with its unit, and up to three
 * comparison lines such as "同比 ▼14.3%" (green when better), "▲" (red when worse),
 * "持平" when equal and "—" when there is no baseline. */
#ifndef YJ_CHART_TILE_H
#define YJ_CHART_TILE_H

#include "chart_text.h"

enum { CHART_TILE_CHANGES = 3, CHART_MAX_TILES = 64 };

typedef struct chart_change {
    char *basis;      /* owned, may be NULL: "同比", "环比", … */
    double pct;       /* change in percent; NAN = no baseline ("—") */
    char *text;       /* owned, may be NULL: words instead of the percentage ("增加3起") */
    int trend;        /* with text: 1 rose, -1 fell, 0 neither (colour only) */
} chart_change;

typedef struct chart_tile {
    char *label, *value, *unit, *note;      /* owned; value and label required */
    int n_changes;
    chart_change changes[CHART_TILE_CHANGES];
    int up_is_good;   /* 1 when a rise is better (a rectification rate), 0 for accidents */
} chart_tile;

/* Frees the strings of one tile (not the tile itself). */
void chart_tile_clear(chart_tile *t);

/* The text and colour of one change line ("同比 ▼14.3%" green, …) into buf. */
unsigned chart_change_text(const chart_change *c, int up_is_good, char *buf, size_t n);

/* Height of a row of n tiles sharing width w. */
double chart_tiles_row_height(chart_text *t, const chart_tile *tiles, int n, int per_row, double w);

/* Draws n tiles side by side in a row (x, y, w, h), per_row slots wide. */
void chart_tiles_draw_row(chart_text *t, const chart_tile *tiles, int n, int per_row, double x,
                          double y, double w, double h);

#endif
