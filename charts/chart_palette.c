/* chart_palette.c — the series palette and colour helpers (see chart_palette.h). */
#include <ctype.h>
#include <stdlib.h>

#include "chart_palette.h"

/* Dark, light, mid, … so that neighbouring series differ in grey as well as in hue. */
static const unsigned series_colours[] = {
    0x1F4E79,   /* navy */
    0x9DB9D3,   /* light steel blue */
    0xC08A2E,   /* ochre */
    0x4D4D4D,   /* dark grey */
    0x6FA287,   /* sage */
    0xB9B9B9,   /* light grey */
    0x7A3E48,   /* plum */
    0xD7C58F    /* sand */
};
#define N_COLOURS (sizeof series_colours / sizeof series_colours[0])

unsigned chart_palette_series(int i) {
    if (i < 0) i = -i;
    return series_colours[(unsigned)i % N_COLOURS];
}

void chart_set_rgb(cairo_t *cr, unsigned rgb) {
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

int chart_parse_rgb(const char *s, unsigned *rgb) {
    if (!s || s[0] != '#') return -1;
    for (int i = 1; i <= 6; i++)
        if (!isxdigit((unsigned char)s[i])) return -1;
    if (s[7] != '\0') return -1;
    *rgb = (unsigned)strtoul(s + 1, NULL, 16);
    return 0;
}
