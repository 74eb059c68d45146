/* chart_font.h — the typefaces: a fontconfig check that a Simplified Chinese font is
 * installed (so nothing is ever drawn as boxes), and pango font descriptions for the
 * document's two faces — sans (黑体-like headings, chart text) and serif (仿宋-like body). */
#ifndef YJ_CHART_FONT_H
#define YJ_CHART_FONT_H

#include <stddef.h>
#include <pango/pango.h>

typedef enum { CHART_SANS, CHART_SERIF } chart_face;

/* 0 when fontconfig finds a font covering zh-cn; otherwise -1 with a message that says
 * what to install. The first answer is remembered for the life of the process. */
int chart_font_check(char *err, size_t errlen);

/* A description of face at pt points (absolute size, so 1 user unit = 1 point), bold or
 * regular. Caller frees with pango_font_description_free. */
PangoFontDescription *chart_font_desc(chart_face face, double pt, int bold);

#endif
