/* chart_palette.h — the colours of every chart and document: a restrained series palette
 * whose entries differ in lightness (so they stay apart when printed in grey), the text
 * and rule colours, and the red-worse / green-better pair. Colours are 0xRRGGBB. */
#ifndef YJ_CHART_PALETTE_H
#define YJ_CHART_PALETTE_H

#include <cairo.h>

enum {
    CHART_INK = 0x000000,      /* titles and body text */
    CHART_TEXT = 0x262626,     /* axis labels, table text */
    CHART_MUTED = 0x595959,    /* captions, notes, footer */
    CHART_AXIS = 0x808080,
    CHART_GRID = 0xDDDDDD,
    CHART_HEADER_BG = 0xE9EDF2,/* table header fill */
    CHART_TILE_BG = 0xF4F6F8,
    CHART_RULE = 0xB22222,     /* the rule under the document title block */
    CHART_WORSE = 0xC00000,    /* ▲ where a rise is bad */
    CHART_BETTER = 0x2E7D32    /* ▼ where a fall is good */
};

/* The colour of series i (wraps around after the palette's length). */
unsigned chart_palette_series(int i);

/* Luma (0..255, ITU-R BT.601) of a colour: how light it prints in grey. */
double chart_luma(unsigned rgb);

/* Sets cairo's source to rgb. */
void chart_set_rgb(cairo_t *cr, unsigned rgb);

/* Parses "#RRGGBB" into *rgb; returns 0, or -1 when the text is not such a colour. */
int chart_parse_rgb(const char *s, unsigned *rgb);

#endif
