/* chart_spec.c — creating, checking and freeing the chart model (see chart.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

static const char *const kind_names[] = { "bar", "hbar", "grouped", "stacked", "line", "combo" };

const char *chart_kind_name(chart_kind k) {
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

int chart_kind_parse(const char *name, chart_kind *out) {
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(name, kind_names[i]) == 0) { *out = (chart_kind)i; return 0; }
    return -1;
}

chart_spec *chart_spec_new(chart_kind kind, int n_cat, int n_series) {
    if (n_cat < 0 || n_series < 0 || n_cat > CHART_MAX_CATEGORIES || n_series > CHART_MAX_SERIES)
        return NULL;
    chart_spec *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->kind = kind;
    s->decimals = -1;
    s->mark_rgb = 0x2E7D32;
    s->ref_value = NAN;
    s->axis_from = NAN;
    s->width_mm = 160;
    s->height_mm = 80;
    s->n_cat = n_cat;
    s->n_series = n_series;
    s->categories = calloc((size_t)n_cat + 1, sizeof *s->categories);
    s->series = calloc((size_t)n_series + 1, sizeof *s->series);
    if (!s->categories || !s->series) { chart_spec_free(s); return NULL; }
    for (int i = 0; i < n_series; i++) {
        s->series[i].values = malloc(((size_t)n_cat + 1) * sizeof(double));
        if (!s->series[i].values) { chart_spec_free(s); return NULL; }
        for (int j = 0; j < n_cat; j++) s->series[i].values[j] = NAN;
    }
    return s;
}

void chart_spec_free(chart_spec *s) {
    if (!s) return;
    free(s->title);
    free(s->y_label);
    free(s->y2_label);
    free(s->note);
    free(s->ref_label);
    if (s->categories)
        for (int i = 0; i < s->n_cat; i++) free(s->categories[i]);
    free(s->categories);
    if (s->series)
        for (int i = 0; i < s->n_series; i++) {
            free(s->series[i].name);
            free(s->series[i].values);
        }
    free(s->series);
    free(s->bar_colors);
    free(s->hatched);
    for (int i = 0; i < s->n_legend; i++) free(s->legend[i].name);
    free(s->legend);
    if (s->marks)
        for (int i = 0; i < s->n_cat; i++) free(s->marks[i]);
    free(s->marks);
    free(s);
}

int chart_spec_check(const chart_spec *s, char *err, size_t errlen) {
    if ((unsigned)s->kind > CHART_COMBO) {
        snprintf(err, errlen, "unknown chart kind %d", (int)s->kind);
        return -1;
    }
    if (s->n_cat > CHART_MAX_CATEGORIES) {
        snprintf(err, errlen, "too many categories (%d; at most %d)", s->n_cat,
                 CHART_MAX_CATEGORIES);
        return -1;
    }
    if (s->n_series > CHART_MAX_SERIES) {
        snprintf(err, errlen, "too many series (%d; at most %d)", s->n_series, CHART_MAX_SERIES);
        return -1;
    }
    if (!(s->width_mm >= CHART_MIN_MM && s->width_mm <= CHART_MAX_WIDTH_MM) ||
        !(s->height_mm >= CHART_MIN_MM && s->height_mm <= CHART_MAX_HEIGHT_MM)) {
        snprintf(err, errlen, "chart size %gx%g mm is outside %gx%g .. %gx%g mm", s->width_mm,
                 s->height_mm, CHART_MIN_MM, CHART_MIN_MM, CHART_MAX_WIDTH_MM,
                 CHART_MAX_HEIGHT_MM);
        return -1;
    }
    if (s->decimals < -1 || s->decimals > 6) {
        snprintf(err, errlen, "decimals must be 0..6 (got %d)", s->decimals);
        return -1;
    }
    for (int i = 0; i < s->n_series; i++)
        for (int j = 0; j < s->n_cat; j++) {
            double v = s->series[i].values[j];
            if (isinf(v) || fabs(v) > 1e15) {
                snprintf(err, errlen, "series %d value %d is out of range (%g)", i + 1, j + 1, v);
                return -1;
            }
        }
    if (isinf(s->axis_from) || fabs(s->axis_from) > 1e15) {
        snprintf(err, errlen, "axis_from is out of range");
        return -1;
    }
    if (isinf(s->ref_value) || fabs(s->ref_value) > 1e15) {
        snprintf(err, errlen, "the reference value is out of range");
        return -1;
    }
    if (s->kind == CHART_COMBO) {
        int lines = 0;
        for (int i = 0; i < s->n_series; i++) lines += s->series[i].line != 0;
        if (s->n_series > 0 && (lines == 0 || lines == s->n_series)) {
            snprintf(err, errlen, "a combo chart needs bar series and line series "
                     "(mark line series with line=true)");
            return -1;
        }
    }
    return 0;
}
