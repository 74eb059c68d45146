/* chart_palette.c — the series palette and colour helpers (see chart_palette.h). */
#include <ctype.h>
#include <stdlib.h>

#include "chart_palette.h"

/* Dark, light, mid-dark, mid-light, … so that the first four series stay apart in grey
 * (luma about 69, 203, 119, 165; tests/unit/test_chart_axis.c checks the spacing). */
static const unsigned series_colours[] = {
    0x1F4E79,   /* navy */
    0xB8D0E6,   /* light steel blue */
    0x3F8F8A,   /* teal */
    0xD0A050,   /* ochre */
    0x404040,   /* dark grey */
    0xC8C8C8,   /* light grey */
    0x8B4A5A,   /* plum */
    0xE6D7A8    /* sand */
};
#define N_COLOURS (sizeof series_colours / sizeof series_colours[0])

unsigned chart_palette_series(int i) {
    if (i < 0) i = -i;
    return series_colours[(unsigned)i % N_COLOURS];
}

double chart_luma(unsigned rgb) {
    return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
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
