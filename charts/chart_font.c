/* chart_font.c — finds the CJK typefaces through fontconfig before anything is drawn and
 * builds the pango font descriptions every other file uses (see chart_font.h). */
#include <stdio.h>
#include <string.h>
#include <fontconfig/fontconfig.h>

#include "chart_font.h"

#define SANS_FAMILY "Noto Sans CJK SC"
#define SERIF_FAMILY "Noto Serif CJK SC"

/* Families chosen by the check; fall back to whatever covers zh-cn. */
static char sans_family[128] = SANS_FAMILY;
static char serif_family[128] = SERIF_FAMILY;
static int check_state;            /* 0 unknown, 1 present, -1 missing */
static char check_message[256];

/* The family of the best font for pattern text when it covers zh-cn; otherwise "". */
static void match_zh(const char *pattern, char *family, size_t n) {
    family[0] = '\0';
    FcPattern *p = FcNameParse((const FcChar8 *)pattern);
    if (!p) return;
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult r;
    FcPattern *m = FcFontMatch(NULL, p, &r);
    FcPatternDestroy(p);
    if (!m) return;
    FcLangSet *ls = NULL;
    FcChar8 *fam = NULL;
    if (FcPatternGetLangSet(m, FC_LANG, 0, &ls) == FcResultMatch &&
        FcLangSetHasLang(ls, (const FcChar8 *)"zh-cn") == FcLangEqual &&
        FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch)
        snprintf(family, n, "%s", (const char *)fam);
    FcPatternDestroy(m);
}

int chart_font_check(char *err, size_t errlen) {
    if (check_state == 0) {
        char sans[128], serif[128];
        match_zh(SANS_FAMILY ":lang=zh-cn", sans, sizeof sans);
        if (!sans[0]) match_zh("sans-serif:lang=zh-cn", sans, sizeof sans);
        match_zh(SERIF_FAMILY ":lang=zh-cn", serif, sizeof serif);
        if (!serif[0]) match_zh("serif:lang=zh-cn", serif, sizeof serif);
        if (!sans[0] && !serif[0]) {
            check_state = -1;
            snprintf(check_message, sizeof check_message,
                     "no font with Simplified Chinese glyphs was found by fontconfig "
                     "(install fonts-noto-cjk); refusing to draw text as boxes");
        } else {
            check_state = 1;
            snprintf(sans_family, sizeof sans_family, "%s", sans[0] ? sans : serif);
            snprintf(serif_family, sizeof serif_family, "%s", serif[0] ? serif : sans);
        }
    }
    if (check_state < 0) {
        if (err && errlen) snprintf(err, errlen, "%s", check_message);
        return -1;
    }
    return 0;
}

PangoFontDescription *chart_font_desc(chart_face face, double pt, int bold) {
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, face == CHART_SERIF ? serif_family : sans_family);
    pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(d, pt * PANGO_SCALE);
    return d;
}
