/* chart.h — the chart model shared by every chart kind: what a chart shows (categories,
 * series, labels) and the two ways to render it (onto a cairo context, or to a file).
 *
 * A chart_spec owns every string and array it points to; chart_spec_free releases them.
 * Sizes are in millimetres at the API and in PDF points (1/72 inch) inside. */
#ifndef YJ_CHART_H
#define YJ_CHART_H

#include <stddef.h>

/* Limits that turn absurd input into an error instead of a hang or a huge file. */
enum {
    CHART_MAX_CATEGORIES = 1000,
    CHART_MAX_SERIES = 12,
    CHART_MAX_LABEL = 4096        /* bytes in one title or label */
};
#define CHART_MIN_MM 20.0
#define CHART_MAX_WIDTH_MM 420.0
#define CHART_MAX_HEIGHT_MM 297.0
#define CHART_MM 2.834645669      /* points per millimetre */

typedef enum {
    CHART_BAR, CHART_HBAR, CHART_GROUPED, CHART_STACKED, CHART_LINE, CHART_COMBO
} chart_kind;

typedef struct chart_series {
    char *name;        /* owned; legend text */
    double *values;    /* owned; n_cat entries, NAN where there is no value */
    int line;          /* combo only: 1 = a line on the right axis, 0 = bars on the left */
} chart_series;

typedef struct chart_legend_item {
    char *name;        /* owned; the legend text */
    unsigned rgb;      /* swatch colour */
    int hatched;       /* 1 = the swatch is hatched like a hatched bar */
} chart_legend_item;

enum { CHART_MAX_LEGEND = 12 };

typedef struct chart_spec {
    chart_kind kind;
    char *title;              /* owned, may be NULL */
    char *y_label, *y2_label; /* owned, may be NULL: value-axis captions (left, right) */
    char *note;               /* owned, may be NULL: small text under the chart */
    int n_cat;
    char **categories;        /* owned, n_cat strings */
    int n_series;
    chart_series *series;     /* owned, n_series entries */
    unsigned *bar_colors;     /* owned, NULL or n_cat 0xRRGGBB colours of single-series bars */
    char **marks;             /* owned, NULL or n_cat short texts (NULL = none) shown by each
                                 category, such as "双降" */
    unsigned mark_rgb;        /* colour of the marks (chart_spec_new: green) */
    unsigned char *hatched;   /* owned, NULL or n_cat flags: bar drawn hatched and outlined
                                 (a vetoed unit), so it reads differently in grey too */
    int n_legend;             /* an explicit legend (colours of single-series bars) … */
    chart_legend_item *legend;/* owned, n_legend items; replaces the series legend */
    double ref_value;         /* a dashed reference line at this value (NAN = none) */
    double axis_from;         /* hbar: the value axis starts here instead of at zero (NAN =
                                 zero), so that rates of 84 and 99 look apart; say so in
                                 the note */
    char *ref_label;          /* owned, may be NULL: its caption, e.g. "时间进度 49.7%" */
    int values_on_bars;       /* print each value at its bar (where it fits) */
    int decimals;             /* digits after the point in printed values; -1 = automatic */
    double width_mm, height_mm;
} chart_spec;

/* A spec with n_cat empty category slots and n_series series whose values are all NAN;
 * NULL when out of memory. Caller frees with chart_spec_free. */
chart_spec *chart_spec_new(chart_kind kind, int n_cat, int n_series);
void chart_spec_free(chart_spec *s);   /* accepts NULL */

/* 0 when the spec can be drawn; otherwise -1 with the reason in err. */
int chart_spec_check(const chart_spec *s, char *err, size_t errlen);

/* "bar", "hbar", ... and back; chart_kind_parse returns -1 for an unknown name. */
const char *chart_kind_name(chart_kind k);
int chart_kind_parse(const char *name, chart_kind *out);

/* Writes the chart alone to path; the format follows the extension (.pdf, .svg, .png).
 * dpi applies to PNG only (0 = 300) and is recorded in the PNG (pHYs). The file is written beside path and renamed over it
 * (util/out_file.h): a failure leaves what was at path untouched. Returns 0, or -1 with
 * the reason in err. */
int chart_save(const chart_spec *s, const char *path, double dpi, char *err, size_t errlen);

#endif
