/* fixtures.h — the fixed data of the reference charts in tests/charts/ref/: one chart per
 * kind plus the edge cases (empty, zeros, long Chinese labels, 200 categories).
 * Included by tests/unit/test_chart_render.c; regenerate the PNGs with
 * `sh tests/charts/regen.sh` (deliberately, after checking them by eye). */
#ifndef YJ_CHART_FIXTURES_H
#define YJ_CHART_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

static char *fx_dup(const char *s) {
    char *d = malloc(strlen(s) + 1);
    if (d) strcpy(d, s);
    return d;
}

static const char *const fx_months[] = { "1月", "2月", "3月", "4月", "5月", "6月",
                                         "7月", "8月", "9月", "10月", "11月", "12月" };
static const double fx_acc_2020[] = { 3, 1, 2, 2, 3, 1, NAN, NAN, NAN, NAN, NAN, NAN };
static const double fx_acc_2019[] = { 4, 2, 3, 2, 1, 2, 3, 5, 2, 3, 2, 4 };
static const double fx_deaths_2020[] = { 3, 1, 2, 3, 3, 1, NAN, NAN, NAN, NAN, NAN, NAN };
static const char *const fx_units[] = { "城关区", "东湖区", "西山区", "南岭县", "北川县",
                                        "高新技术产业开发区", "经济技术开发区", "临港新区" };
static const double fx_unit_2020[] = { 3, 2, 1, 2, 0, 1, 2, 1 };
static const double fx_unit_2019[] = { 4, 1, 3, 2, 2, 0, 1, 1 };

/* A spec of kind with the given categories and nser series (values filled by caller). */
static chart_spec *fx_spec(chart_kind kind, const char *title, const char *const *cats, int n,
                           int nser) {
    chart_spec *s = chart_spec_new(kind, n, nser);
    if (!s) { perror("chart_spec_new"); exit(2); }
    s->title = title ? fx_dup(title) : NULL;
    for (int i = 0; i < n; i++) s->categories[i] = fx_dup(cats[i]);
    s->width_mm = 160;
    s->height_mm = 80;
    return s;
}

static void fx_series(chart_spec *s, int i, const char *name, const double *v) {
    s->series[i].name = fx_dup(name);
    for (int j = 0; j < s->n_cat; j++) s->series[i].values[j] = v[j];
}

/* 200 categories named prefix + 1..200 + suffix, and one series called series. */
static chart_spec *fx_numbered(chart_kind kind, const char *title, const char *prefix,
                               const char *suffix, const char *series) {
    chart_spec *s = chart_spec_new(kind, 200, 1);
    if (!s) { perror("chart_spec_new"); exit(2); }
    s->title = fx_dup(title);
    s->series[0].name = fx_dup(series);
    for (int i = 0; i < 200; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s%d%s", prefix, i + 1, suffix);
        s->categories[i] = fx_dup(buf);
    }
    return s;
}

/* The reference chart called name, or NULL when there is none. Caller frees. */
static chart_spec *fx_chart(const char *name) {
    chart_spec *s = NULL;
    if (strcmp(name, "bar") == 0) {
        s = fx_spec(CHART_BAR, "2020年1—6月各地区事故起数", fx_units, 8, 1);
        fx_series(s, 0, "2020年", fx_unit_2020);
        s->y_label = fx_dup("单位：起");
        s->values_on_bars = 1;
    } else if (strcmp(name, "hbar") == 0) {
        s = fx_spec(CHART_HBAR, "隐患整改率排名", fx_units, 8, 1);
        static const double rate[] = { 98.5, 96.2, 93.0, 91.7, 88.4, 85.0, 79.3, 66.7 };
        fx_series(s, 0, "整改率", rate);
        s->marks = calloc(8, sizeof *s->marks);
        s->marks[1] = fx_dup("超进度");
        s->mark_rgb = 0xC00000;
        s->ref_value = 90;
        s->ref_label = fx_dup("目标 90%");
        s->y_label = fx_dup("单位：%");
        s->values_on_bars = 1;
    } else if (strcmp(name, "grouped") == 0) {
        s = fx_spec(CHART_GROUPED, "各地区事故起数同比", fx_units, 8, 2);
        fx_series(s, 0, "2020年1—6月", fx_unit_2020);
        fx_series(s, 1, "2019年1—6月", fx_unit_2019);
        s->y_label = fx_dup("单位：起");
        s->values_on_bars = 1;
        s->marks = calloc(8, sizeof *s->marks);
        s->marks[0] = fx_dup("双降");
        s->marks[2] = fx_dup("双降");
    } else if (strcmp(name, "stacked") == 0) {
        s = fx_spec(CHART_STACKED, "各地区隐患整改情况", fx_units, 8, 2);
        static const double done[] = { 120, 85, 64, 90, 40, 150, 77, 30 };
        static const double open[] = { 10, 5, 12, 3, 8, 20, 6, 15 };
        fx_series(s, 0, "已整改", done);
        fx_series(s, 1, "未整改", open);
        s->y_label = fx_dup("单位：项");
        s->values_on_bars = 1;
    } else if (strcmp(name, "line") == 0) {
        s = fx_spec(CHART_LINE, "事故起数月度趋势", fx_months, 12, 2);
        fx_series(s, 0, "2020年", fx_acc_2020);
        fx_series(s, 1, "2019年", fx_acc_2019);
        s->y_label = fx_dup("单位：起");
        s->ref_value = 2.5;
        s->ref_label = fx_dup("月均 2.5");
    } else if (strcmp(name, "combo") == 0) {
        s = fx_spec(CHART_COMBO, "事故起数与死亡人数", fx_months, 12, 3);
        fx_series(s, 0, "2020年事故起数", fx_acc_2020);
        fx_series(s, 1, "2019年事故起数", fx_acc_2019);
        fx_series(s, 2, "2020年死亡人数", fx_deaths_2020);
        s->series[2].line = 1;
        s->y_label = fx_dup("事故（起）");
        s->y2_label = fx_dup("死亡（人）");
    } else if (strcmp(name, "empty") == 0) {
        s = fx_spec(CHART_BAR, "本月无数据", NULL, 0, 1);
        s->series[0].name = fx_dup("2020年");
    } else if (strcmp(name, "zeros") == 0) {
        static const double zero[8] = { 0 };
        s = fx_spec(CHART_GROUPED, "零值", fx_units, 8, 2);
        fx_series(s, 0, "2020年", zero);
        fx_series(s, 1, "2019年", zero);
        s->values_on_bars = 1;
    } else if (strcmp(name, "long") == 0) {
        static const char *const names[] = {
            "某某市高新技术产业开发区管理委员会安全生产监督管理局",
            "某某市经济技术开发区（综合保税区）应急管理办公室",
            "城关区", "东湖区人民政府应急管理局（含街道）", "临港新区" };
        static const double v[] = { 12, 7, 3, 9, 1 };
        s = fx_spec(CHART_BAR, "名称很长的单位：2020年1—6月各单位检查次数（含专项检查、联合执法检查和“回头看”复查）",
                    names, 5, 1);
        fx_series(s, 0, "检查次数", v);
        s->values_on_bars = 1;
    } else if (strcmp(name, "many") == 0) {
        s = fx_numbered(CHART_BAR, "200个单位", "第", "号生产经营单位", "检查次数");
        for (int i = 0; i < 200; i++) s->series[0].values[i] = (i * 37) % 23;
        s->values_on_bars = 1;
        s->marks = calloc(200, sizeof *s->marks);   /* too narrow for text: dots */
        for (int i = 0; i < 200; i += 3) s->marks[i] = fx_dup("双降");
    } else if (strcmp(name, "many_hbar") == 0) {
        s = fx_numbered(CHART_HBAR, "200个单位排名", "第", "号单位", "得分");
        for (int i = 0; i < 200; i++) s->series[0].values[i] = 100 - i * 0.4;
        s->height_mm = 200;
    }
    return s;
}

static const char *const fx_names[] = { "bar", "hbar", "grouped", "stacked", "line", "combo",
                                        "empty", "zeros", "long", "many", "many_hbar" };
#define FX_COUNT (int)(sizeof fx_names / sizeof fx_names[0])

#endif
