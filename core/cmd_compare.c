/* cmd_compare.c — `yingji compare OLD.lua NEW.lua`: runs two scoring schemes over the
 * same database (same --as-of, same --set parameters) and prints, keyed by unit, what
 * changed: each unit's score old → new with the difference, grade and rank changes and
 * the items that moved; then a summary (units changing grade, the largest movers, the
 * distribution of the differences). The tables go through the writers of `yingji run`
 * (text, CSV, JSON, and the xlsx workbook with -o: one sheet per table, Chinese titles).
 *
 * What a scheme must publish: one or more tables with `unit` and `score` columns (the
 * scoring library's `scores` and `department_scores`; `name`, `grade` and `rank` are
 * used when present), optionally `items` (unit, item, title, points) and `evaluation`
 * (scheme, year, as_of). Differences are rounded to 6 decimals (the scores themselves
 * carry 2) so that 52.03 − 50.76 prints as 1.27. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cli.h"
#include "cli_script.h"
#include "db.h"
#include "out_file.h"
#include "script.h"
#include "script_watchdog.h"
#include "strbuf.h"
#include "strmap.h"
#include "table_diff.h"

/* The wall-clock limit of each of the two runs, in seconds (as `yingji run`). */
#define COMPARE_TIMEOUT_S 600
/* The largest movers listed per score table. */
#define MOVERS_MAX 5

static void usage(FILE *out) {
    fprintf(out,
        _("usage: yingji compare [options] OLD.lua NEW.lua\n"
        "Runs two scoring schemes over the same data (read-only) and prints, per unit, the\n"
        "score old -> new and the difference, grade and rank changes and the items that\n"
        "moved, then a summary: units changing grade, the largest movers and the\n"
        "distribution of the differences.\n\n"
        "options (applied to both runs):\n"
        "  --as-of YYYY-MM-DD       ctx.as_of (default: today)\n"
        "  --set KEY=VALUE          ctx.params.KEY, e.g. --set year=2020 (repeatable)\n"
        "  --set-file KEY=FILE      ctx.params.KEY is the text of FILE\n"
        "  --known-on DATE          the data as known at the end of DATE (ctx.known_on),\n"
        "                           one state read by both runs\n"
        "  --format text|csv|json|xlsx  output format (default text)\n"
        "  -o FILE                  the workbook of --format xlsx (xlsx is never written to\n"
        "                           standard output): one sheet per table, then 说明\n"
        "  --db FILE                the database (default ./yingji.db or $YINGJI_DB)\n\n"
        "Tables: comparison (the two runs), one per score table of the schemes (scores,\n"
        "department_scores: unit, old_score, new_score, diff, grades, ranks, items_moved,\n"
        "changes: every differing column worded as verify words a changed row),\n"
        "items (every item whose points differ), summary, movers, grade_changes,\n"
        "distribution.\n"
        "rank_change is old rank - new rank: positive means the unit moved up.\n"
        "A script error, or a script publishing no table with unit and score columns,\n"
        "exits with status 4.\n"));
}

/* {==================================================================
 * Reading the two result sets
 * =================================================================== */

static long table_index(const yj_results *r, const char *name) {
    for (size_t t = 0; t < yj_results_count(r); t++)
        if (!strcmp(yj_results_name(r, t), name)) return (long)t;
    return -1;
}

static long col_index(const yj_results *r, long t, const char *name) {
    if (t < 0) return -1;
    for (size_t c = 0; c < yj_results_ncols(r, (size_t)t); c++)
        if (!strcmp(yj_results_column(r, (size_t)t, c), name)) return (long)c;
    return -1;
}

static yj_value cell(const yj_results *r, long t, long row, long c) {
    yj_value v;
    if (t < 0 || row < 0 || c < 0) {
        memset(&v, 0, sizeof v);
        v.type = YJ_VAL_NULL;
        return v;
    }
    return yj_results_cell(r, (size_t)t, (size_t)row, (size_t)c);
}

/* A key's text: text as is, an integer printed into buf (32 bytes), else "". */
static const char *key_text(yj_value v, char *buf) {
    if (v.type == YJ_VAL_TEXT) return v.u.t.s;
    if (v.type == YJ_VAL_INT) { snprintf(buf, 32, "%lld", v.u.i); return buf; }
    return "";
}

static int number(yj_value v, double *out) {
    if (v.type == YJ_VAL_INT) { *out = (double)v.u.i; return 1; }
    if (v.type == YJ_VAL_REAL) { *out = v.u.r; return 1; }
    return 0;
}

/* A difference rounded to 6 decimals (no 1.2700000000000031). */
static double rounded(double d) {
    double r = round(d * 1e6) / 1e6;
    return r == 0 ? 0 : r;                    /* no -0 */
}

static yj_value v_null(void) {
    yj_value v;
    memset(&v, 0, sizeof v);
    v.type = YJ_VAL_NULL;
    return v;
}

static yj_value v_real(double d) {
    yj_value v = v_null();
    v.type = YJ_VAL_REAL;
    v.u.r = d;
    return v;
}

static yj_value v_int(long long i) {
    yj_value v = v_null();
    v.type = YJ_VAL_INT;
    v.u.i = i;
    return v;
}

/* Borrowed text (yj_results_add_row copies it). */
static yj_value v_text(const char *s) {
    yj_value v = v_null();
    if (!s) return v;
    v.type = YJ_VAL_TEXT;
    v.u.t.s = s;
    v.u.t.len = strlen(s);
    return v;
}

/* Empties b for reuse (its text "" until the next write). */
static void reset(strbuf *b) {
    b->len = 0;
    if (b->p) b->p[0] = '\0';
}

static long lookup(const yj_strmap *m, const char *key) {
    return (long)(uintptr_t)yj_strmap_get(m, key) - 1;
}

/* }================================================================== */

/* {==================================================================
 * The comparison: each table pair through the keyed diff (table_diff.h), as verify
 * compares its tables, with differences to 6 decimals
 * =================================================================== */

#define DECIMALS 6

/* One side of a diff: a result set and its table. A side that lacks the table (or
 * its key columns) is an empty stand-in table with just those columns. */
typedef struct {
    const yj_results *r;
    size_t t;
} run_table;

/* The items of both runs diffed by unit and item (points only), and grouped by unit:
 * first[unit] -> the unit's first diff row + 1, next[row] -> its next, or -1. */
typedef struct {
    run_table s[2];
    tdiff d;
    yj_strmap first;
    long *next;
} items_diff;

typedef struct {
    const char *file[2];
    const yj_results *r[2];
    yj_results *out;          /* owned by the caller */
    yj_results *blank;        /* empty stand-ins: "items" (unit, item, points), "unit" */
    items_diff items;
    int item_rows_done;       /* the items table gets its rows with the first score table */
} compare;

/* Table name of r, or the blank stand-in when r lacks it or any of the columns. */
static run_table side_of(const compare *cp, const yj_results *r, const char *name,
                         const char *const *need, size_t nneed, size_t blank) {
    long t = table_index(r, name);
    for (size_t i = 0; i < nneed && t >= 0; i++)
        if (col_index(r, t, need[i]) < 0) t = -1;
    return t >= 0 ? (run_table){r, (size_t)t} : (run_table){cp->blank, blank};
}

static const char *const ITEM_KEY[] = {"unit", "item"};
static const char *const ITEM_COLS[] = {"points"};
static const char *const UNIT_KEY[] = {"unit"};

static int items_open(compare *cp) {
    items_diff *it = &cp->items;
    static const char *const need[] = {"unit", "item", "points"};
    char err[128];
    for (int k = 0; k < 2; k++) it->s[k] = side_of(cp, cp->r[k], "items", need, 3, 0);
    tdiff_opts o = {ITEM_KEY, 2, ITEM_COLS, 1, DECIMALS};
    if (tdiff_tables(it->s[0].r, it->s[0].t, it->s[1].r, it->s[1].t, &o, &it->d, err,
                     sizeof err) != 0)
        return -1;
    long *tail = malloc((it->d.nrows + 1) * sizeof *tail);
    if (!tail || !(it->next = malloc((it->d.nrows + 1) * sizeof *it->next))) {
        free(tail);
        return -1;
    }
    char buf[32];
    for (size_t i = 0; i < it->d.nrows; i++) {
        const tdiff_row *row = &it->d.rows[i];
        int k = row->old_row < 0;                     /* the side the row is on */
        const char *u = key_text(yj_results_cell(it->s[k].r, it->s[k].t,
                                                 (size_t)(k ? row->new_row : row->old_row),
                                                 k ? it->d.col_new[0] : it->d.col_old[0]),
                                 buf);
        long first = lookup(&it->first, u);
        it->next[i] = -1;
        if (first < 0) {
            if (yj_strmap_put(&it->first, u, (void *)(uintptr_t)(i + 1)) != 0) {
                free(tail);
                return -1;
            }
            tail[i] = (long)i;
        } else {
            it->next[tail[first]] = (long)i;
            tail[first] = (long)i;
        }
    }
    free(tail);
    return 0;
}

static void items_close(items_diff *it) {
    tdiff_free(&it->d);
    yj_strmap_free(&it->first);
    free(it->next);
}

/* Appends "ITEM +d" for one moved item to the unit's text. */
static void moved_text(strbuf *b, const char *item, int has_old, int has_new, double d) {
    char num[32];
    if (b->len) strbuf_puts(b, "; ");
    strbuf_puts(b, item);
    if (!has_old) strbuf_puts(b, " added");
    else if (!has_new) strbuf_puts(b, " removed");
    strbuf_puts(b, has_old && has_new ? " " : " (");
    if (d > 0) strbuf_puts(b, "+");
    strbuf_puts(b, yj_format_number(d, num));
    if (!(has_old && has_new)) strbuf_puts(b, ")");
}

/* The item rows of one unit that moved (points changed, or a side without the item):
 * into the items table (stage) and the text b. */
static int unit_items(compare *cp, const char *unit, strbuf *b, yj_results *stage) {
    items_diff *it = &cp->items;
    const yj_results *ro = it->s[0].r, *rn = it->s[1].r;
    long to = (long)it->s[0].t, tn = (long)it->s[1].t;
    long io = col_index(ro, to, "item"), in = col_index(rn, tn, "item");
    long po_c = col_index(ro, to, "points"), pn_c = col_index(rn, tn, "points");
    long tio = col_index(ro, to, "title"), tin = col_index(rn, tn, "title");
    char buf[32];
    for (long i = lookup(&it->first, unit); i >= 0; i = it->next[i]) {
        const tdiff_row *row = &it->d.rows[i];
        if (row->kind == TDIFF_SAME || row->occurrence) continue;
        long rold = row->old_row, rnew = row->new_row;
        double po = 0, pn = 0;
        int ho = rold >= 0 && number(cell(ro, to, rold, po_c), &po);
        int hn = rnew >= 0 && number(cell(rn, tn, rnew, pn_c), &pn);
        if (!ho && !hn) continue;
        const tdiff_cell *ch = tdiff_change(&it->d, row, "points");
        if (ho && hn && !(ch && ch->has_delta)) continue;
        double d = ho && hn ? ch->delta : rounded((hn ? pn : 0) - (ho ? po : 0));
        const char *item = rold >= 0 ? key_text(cell(ro, to, rold, io), buf)
                                     : key_text(cell(rn, tn, rnew, in), buf);
        yj_value title = rnew >= 0 ? cell(rn, tn, rnew, tin) : cell(ro, to, rold, tio);
        yj_value row_v[6] = {v_text(unit), v_text(item), title,
                             ho ? cell(ro, to, rold, po_c) : v_null(),
                             hn ? cell(rn, tn, rnew, pn_c) : v_null(), v_real(d)};
        if (stage && yj_results_add_row(stage, row_v) != 0) return -1;
        moved_text(b, item, ho, hn, d);
        if (b->err) return -1;
    }
    return 0;
}

typedef struct {
    double d;
    long unit_row;            /* row of the unit in the output table */
} mover;

static int by_size(const void *a, const void *b) {
    const mover *x = a, *y = b;
    double ax = fabs(x->d), ay = fabs(y->d);
    if (ax != ay) return ax < ay ? 1 : -1;
    return (x->unit_row > y->unit_row) - (x->unit_row < y->unit_row);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The per-table figures the summary, movers and distribution tables are built from. */
typedef struct {
    char *name;
    long units, changed, up, down, grades, ranks, only_old, only_new;
    double *diffs;            /* the units with both scores */
    long ndiffs;
    mover *movers;
    long nmovers;
    char **mover_text;        /* unit, name, grade change per mover (3 strings each) */
    size_t out_table;         /* its comparison table in the output */
} table_stats;

static void stats_free(table_stats *st) {
    free(st->name);
    free(st->diffs);
    free(st->movers);
    if (st->mover_text)
        for (long i = 0; i < st->nmovers * 3; i++) free(st->mover_text[i]);
    free(st->mover_text);
}

static char *dup_value_text(yj_value v) {
    char buf[32];
    if (v.type == YJ_VAL_NULL) return NULL;
    if (v.type == YJ_VAL_TEXT) return strndup(v.u.t.s, v.u.t.len);
    if (v.type == YJ_VAL_INT) snprintf(buf, sizeof buf, "%lld", v.u.i);
    else if (v.type == YJ_VAL_REAL) yj_format_number(v.u.r, buf);
    else snprintf(buf, sizeof buf, "%s", v.u.b ? "true" : "false");
    return strdup(buf);
}

/* The columns of a comparison table. */
static const char *const CMP_COLS[] = {"unit", "name", "old_score", "new_score", "diff",
    "old_grade", "new_grade", "grade_change", "old_rank", "new_rank", "rank_change",
    "items_moved", "changes"};
#define NCMP (sizeof CMP_COLS / sizeof CMP_COLS[0])

/* The Chinese title of every column compare writes (the xlsx headers; text and CSV keep
 * the names). */
static const char *const TITLES[][2] = {
    {"unit", "单位代码"}, {"name", "单位名称"}, {"old_score", "原方案得分"},
    {"new_score", "新方案得分"}, {"diff", "差值"}, {"old_grade", "原等级"},
    {"new_grade", "新等级"}, {"grade_change", "等级变化"}, {"old_rank", "原排名"},
    {"new_rank", "新排名"}, {"rank_change", "排名变化"}, {"items_moved", "变动项目"},
    {"changes", "变化明细"}, {"run", "方案"}, {"file", "文件"}, {"scheme", "方案名称"},
    {"year", "年度"}, {"as_of", "截至日期"}, {"item", "项目"}, {"title", "项目名称"},
    {"old_points", "原方案分值"}, {"new_points", "新方案分值"}, {"table", "表"},
    {"units", "单位数"}, {"changed", "得分变化单位数"}, {"up", "上升单位数"},
    {"down", "下降单位数"}, {"grade_changes", "等级变化单位数"},
    {"rank_changes", "排名变化单位数"}, {"only_old", "仅原方案单位数"},
    {"only_new", "仅新方案单位数"}, {"mean_diff", "平均差值"}, {"median_diff", "差值中位数"},
    {"min_diff", "最小差值"}, {"max_diff", "最大差值"}, {"range", "差值区间"}};

/* Appends a table to out, its columns titled (TITLES) and the scores formatted as
 * scores. 0 or -1. */
static int add_table(yj_results *out, const char *name, const char *const *cols, size_t n) {
    if (yj_results_add_table(out, name, cols, n) != 0) return -1;
    for (size_t c = 0; c < n; c++) {
        const char *title = NULL;
        for (size_t k = 0; k < sizeof TITLES / sizeof TITLES[0]; k++)
            if (!strcmp(TITLES[k][0], cols[c])) title = TITLES[k][1];
        int score = !strcmp(cols[c], "old_score") || !strcmp(cols[c], "new_score");
        if (yj_results_set_column(out, c, title, score ? YJ_COL_SCORE : YJ_COL_AUTO) != 0)
            return -1;
    }
    return 0;
}

/* One score table (name) of either side: its comparison table into cp->out, the moved
 * items into items_stage, the figures into st. Returns 0 or -1 (out of memory). */
static int compare_table(compare *cp, const char *name, yj_results *items_stage,
                         table_stats *st) {
    static const char *const need[] = {"unit"};
    run_table so_ = side_of(cp, cp->r[0], name, need, 1, 1), sn_ = side_of(cp, cp->r[1], name, need, 1, 1);
    const yj_results *ro = so_.r, *rn = sn_.r;
    long to = (long)so_.t, tn = (long)sn_.t;
    long so = col_index(ro, to, "score"), sn = col_index(rn, tn, "score");
    long nmo = col_index(ro, to, "name"), nmn = col_index(rn, tn, "name");
    long go = col_index(ro, to, "grade"), gn = col_index(rn, tn, "grade");
    long rko = col_index(ro, to, "rank"), rkn = col_index(rn, tn, "rank");
    tdiff d;
    tdiff_opts o = {UNIT_KEY, 1, NULL, 0, DECIMALS};
    strbuf moved = STRBUF_INIT, change = STRBUF_INIT, changes = STRBUF_INIT;
    char kb[32], err[128];
    int rc = -1;
    memset(&d, 0, sizeof d);
    size_t nrows = yj_results_nrows(ro, (size_t)to) + yj_results_nrows(rn, (size_t)tn);
    if (!(st->name = strdup(name))) goto done;
    if (!(st->diffs = malloc((nrows + 1) * sizeof *st->diffs))) goto done;
    if (!(st->movers = malloc((nrows + 1) * sizeof *st->movers))) goto done;
    if (tdiff_tables(ro, (size_t)to, rn, (size_t)tn, &o, &d, err, sizeof err) != 0) goto done;
    if (add_table(cp->out, name, CMP_COLS, NCMP) != 0) goto done;
    st->out_table = yj_results_count(cp->out) - 1;
    long out_row = 0;
    /* old's units in old's order, then the units only new scores (the diff's order); a
     * unit published twice is compared once, by its first row */
    for (size_t i = 0; i < d.nrows; i++) {
        const tdiff_row *row = &d.rows[i];
        if (row->occurrence) continue;
        long ro_row = row->old_row, rn_row = row->new_row;
        const char *unit = ro_row >= 0 ? key_text(cell(ro, to, ro_row, (long)d.col_old[0]), kb)
                                       : key_text(cell(rn, tn, rn_row, (long)d.col_new[0]), kb);
        double so_v = 0, sn_v = 0;
        int ho = ro_row >= 0 && number(cell(ro, to, ro_row, so), &so_v);
        int hn = rn_row >= 0 && number(cell(rn, tn, rn_row, sn), &sn_v);
        yj_value diff = v_null();
        st->units++;
        if (ro_row < 0) st->only_new++;
        if (rn_row < 0) st->only_old++;
        if (ho && hn) {
            const tdiff_cell *c = tdiff_change(&d, row, "score");
            double dd = c && c->has_delta ? c->delta : 0;
            diff = v_real(dd);
            st->diffs[st->ndiffs++] = dd;
            if (dd != 0) {
                st->changed++;
                if (dd > 0) st->up++; else st->down++;
                st->movers[st->nmovers].d = dd;
                st->movers[st->nmovers++].unit_row = out_row;
            }
        }
        yj_value g_o = cell(ro, to, ro_row, go), g_n = cell(rn, tn, rn_row, gn);
        yj_value grade_change = v_null();
        reset(&change);
        if (tdiff_change(&d, row, "grade")) {
            tdiff_value_text(&change, g_o);
            strbuf_puts(&change, " \xE2\x86\x92 ");
            tdiff_value_text(&change, g_n);
            if (change.err) goto done;
            grade_change = v_text(change.p);
            st->grades++;
        }
        yj_value k_o = cell(ro, to, ro_row, rko), k_n = cell(rn, tn, rn_row, rkn);
        yj_value rank_change = v_null();
        double ko, kn;
        if (number(k_o, &ko) && number(k_n, &kn)) {
            rank_change = v_int((long long)(ko - kn));
            if (ko != kn) st->ranks++;
        }
        reset(&moved);
        if (unit_items(cp, unit, &moved, cp->item_rows_done ? NULL : items_stage) != 0)
            goto done;
        reset(&changes);
        tdiff_changes_text(&changes, &d, row, ro, (size_t)to, rn, (size_t)tn);
        if (changes.err) goto done;
        yj_value name_v = rn_row >= 0 ? cell(rn, tn, rn_row, nmn) : cell(ro, to, ro_row, nmo);
        yj_value row_v[NCMP] = {v_text(unit), name_v,
                                ro_row >= 0 ? cell(ro, to, ro_row, so) : v_null(),
                                rn_row >= 0 ? cell(rn, tn, rn_row, sn) : v_null(), diff,
                                g_o, g_n, grade_change, k_o, k_n, rank_change,
                                moved.len ? v_text(moved.p) : v_null(),
                                changes.len ? v_text(changes.p) : v_null()};
        if (yj_results_add_row(cp->out, row_v) != 0) goto done;
        out_row++;
    }
    /* The largest movers, with their unit, name and grade change copied out. */
    qsort(st->movers, (size_t)st->nmovers, sizeof *st->movers, by_size);
    if (st->nmovers > MOVERS_MAX) st->nmovers = MOVERS_MAX;
    if (!(st->mover_text = calloc((size_t)st->nmovers * 3 + 1, sizeof *st->mover_text)))
        goto done;
    {
        yj_results *out = cp->out;
        size_t t = yj_results_count(out) - 1;
        for (long i = 0; i < st->nmovers; i++) {
            size_t row = (size_t)st->movers[i].unit_row;
            static const size_t src[3] = {0, 1, 7};     /* unit, name, grade_change */
            for (int k = 0; k < 3; k++) {
                yj_value v = yj_results_cell(out, t, row, src[k]);
                if (v.type != YJ_VAL_NULL && !(st->mover_text[i * 3 + k] = dup_value_text(v)))
                    goto done;
            }
        }
    }
    rc = 0;
done:
    tdiff_free(&d);
    strbuf_free(&moved);
    strbuf_free(&change);
    strbuf_free(&changes);
    return rc;
}

/* Appends the rows of table t of src to the last table of dst (same columns). */
static int copy_rows(yj_results *dst, const yj_results *src, size_t t) {
    size_t nc = yj_results_ncols(src, t);
    yj_value *row = malloc((nc + 1) * sizeof *row);
    if (!row) return -1;
    for (size_t i = 0; i < yj_results_nrows(src, t); i++) {
        for (size_t c = 0; c < nc; c++) row[c] = yj_results_cell(src, t, i, c);
        if (yj_results_add_row(dst, row) != 0) { free(row); return -1; }
    }
    free(row);
    return 0;
}

/* The distribution's ranges: a difference d falls in the first range whose test holds. */
static const char *const RANGES[] = {"< -10", "[-10, -5)", "[-5, -1)", "[-1, 0)", "0",
                                     "(0, 1]", "(1, 5]", "(5, 10]", "> 10"};

static int range_of(double d) {
    if (d < -10) return 0;
    if (d < -5) return 1;
    if (d < -1) return 2;
    if (d < 0) return 3;
    if (d == 0) return 4;
    if (d <= 1) return 5;
    if (d <= 5) return 6;
    if (d <= 10) return 7;
    return 8;
}

static int summary_tables(compare *cp, table_stats *st, size_t n) {
    static const char *const scols[] = {"table", "units", "changed", "up", "down",
        "grade_changes", "rank_changes", "only_old", "only_new", "mean_diff", "median_diff",
        "min_diff", "max_diff"};
    static const char *const mcols[] = {"table", "unit", "name", "diff", "grade_change"};
    static const char *const dcols[] = {"table", "range", "units"};
    static const char *const gcols[] = {"table", "unit", "name", "old_score", "new_score",
                                        "grade_change"};
    if (add_table(cp->out, "summary", scols, sizeof scols / sizeof scols[0]))
        return -1;
    for (size_t i = 0; i < n; i++) {
        table_stats *s = &st[i];
        yj_value mean = v_null(), median = v_null(), lo = v_null(), hi = v_null();
        if (s->ndiffs > 0) {
            double sum = 0;
            for (long k = 0; k < s->ndiffs; k++) sum += s->diffs[k];
            qsort(s->diffs, (size_t)s->ndiffs, sizeof *s->diffs, by_value);
            long h = s->ndiffs / 2;
            mean = v_real(round(sum / (double)s->ndiffs * 100) / 100 + 0.0);
            median = v_real(rounded(s->ndiffs % 2 ? s->diffs[h]
                                                  : (s->diffs[h - 1] + s->diffs[h]) / 2));
            lo = v_real(s->diffs[0]);
            hi = v_real(s->diffs[s->ndiffs - 1]);
        }
        yj_value row[13] = {v_text(s->name), v_int(s->units), v_int(s->changed), v_int(s->up),
                            v_int(s->down), v_int(s->grades), v_int(s->ranks),
                            v_int(s->only_old), v_int(s->only_new), mean, median, lo, hi};
        if (yj_results_add_row(cp->out, row) != 0) return -1;
    }
    if (add_table(cp->out, "movers", mcols, sizeof mcols / sizeof mcols[0]))
        return -1;
    for (size_t i = 0; i < n; i++)
        for (long k = 0; k < st[i].nmovers; k++) {
            yj_value row[5] = {v_text(st[i].name), v_text(st[i].mover_text[k * 3]),
                               v_text(st[i].mover_text[k * 3 + 1]), v_real(st[i].movers[k].d),
                               v_text(st[i].mover_text[k * 3 + 2])};
            if (yj_results_add_row(cp->out, row) != 0) return -1;
        }
    if (add_table(cp->out, "grade_changes", gcols, sizeof gcols / sizeof gcols[0]))
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t t = st[i].out_table;
        for (size_t row = 0; row < yj_results_nrows(cp->out, t); row++) {
            yj_value change = yj_results_cell(cp->out, t, row, 7);
            if (change.type == YJ_VAL_NULL) continue;
            /* the cells' text belongs to an earlier table: adding rows to the last one
             * does not move it */
            yj_value r[6] = {v_text(st[i].name), yj_results_cell(cp->out, t, row, 0),
                             yj_results_cell(cp->out, t, row, 1),
                             yj_results_cell(cp->out, t, row, 2),
                             yj_results_cell(cp->out, t, row, 3), change};
            if (yj_results_add_row(cp->out, r) != 0) return -1;
        }
    }
    if (add_table(cp->out, "distribution", dcols, sizeof dcols / sizeof dcols[0]))
        return -1;
    for (size_t i = 0; i < n; i++) {
        long count[sizeof RANGES / sizeof RANGES[0]] = {0};
        for (long k = 0; k < st[i].ndiffs; k++) count[range_of(st[i].diffs[k])]++;
        for (size_t b = 0; b < sizeof RANGES / sizeof RANGES[0]; b++) {
            yj_value row[3] = {v_text(st[i].name), v_text(RANGES[b]), v_int(count[b])};
            if (yj_results_add_row(cp->out, row) != 0) return -1;
        }
    }
    return 0;
}

/* The comparison table: file, scheme, year and as_of of each run. */
static int runs_table(compare *cp) {
    static const char *const cols[] = {"run", "file", "scheme", "year", "as_of"};
    if (add_table(cp->out, "comparison", cols, 5) != 0) return -1;
    for (int side = 0; side < 2; side++) {
        const yj_results *r = cp->r[side];
        long t = table_index(r, "evaluation");
        yj_value row[5] = {v_text(side ? "new" : "old"), v_text(cp->file[side]),
                           cell(r, t, 0, col_index(r, t, "scheme")),
                           cell(r, t, 0, col_index(r, t, "year")),
                           cell(r, t, 0, col_index(r, t, "as_of"))};
        if (yj_results_add_row(cp->out, row) != 0) return -1;
    }
    return 0;
}

static int is_score_table(const yj_results *r, size_t t) {
    long tt = (long)t;
    return col_index(r, tt, "unit") >= 0 && col_index(r, tt, "score") >= 0;
}

/* Builds every output table. Returns 0, -1 when out of memory, 1 when neither run
 * published a score table. */
static int build(compare *cp) {
    const char *names[64];
    size_t n = 0;
    for (int side = 0; side < 2; side++)
        for (size_t t = 0; t < yj_results_count(cp->r[side]) && n < 64; t++) {
            const char *nm = yj_results_name(cp->r[side], t);
            int seen = 0;
            for (size_t k = 0; k < n; k++) seen |= !strcmp(names[k], nm);
            if (!seen && is_score_table(cp->r[side], t)) names[n++] = nm;
        }
    if (n == 0) return 1;
    static const char *const blank_items[] = {"unit", "item", "points"};
    if (!(cp->blank = yj_results_new()) ||
        yj_results_add_table(cp->blank, "items", blank_items, 3) != 0 ||
        yj_results_add_table(cp->blank, "unit", blank_items, 1) != 0 || items_open(cp) != 0)
        return -1;
    table_stats *st = calloc(n, sizeof *st);
    yj_results *stage = yj_results_new();
    static const char *const icols[] = {"unit", "item", "title", "old_points", "new_points",
                                        "diff"};
    int rc = -1;
    if (!st || !stage || runs_table(cp) != 0) goto done;
    if (yj_results_add_table(stage, "items", icols, sizeof icols / sizeof icols[0]) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (compare_table(cp, names[i], stage, &st[i]) != 0) goto done;
        cp->item_rows_done = 1;   /* a unit's items are listed once, under its first table */
    }
    if (add_table(cp->out, "items", icols, sizeof icols / sizeof icols[0]) != 0 ||
        copy_rows(cp->out, stage, 0) != 0 || summary_tables(cp, st, n) != 0)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; st && i < n; i++) stats_free(&st[i]);
    free(st);
    yj_results_free(stage);
    return rc;
}

/* }================================================================== */

int cmd_compare(int argc, char **argv, const char *db_path) {
    yj_script *s[2] = {yj_script_new(), yj_script_new()};
    yj_format fmt = YJ_FORMAT_TEXT;
    const char *file[2] = {NULL, NULL}, *v, *output = NULL;
    int nfiles = 0, status = YJ_EXIT_USAGE;
    sqlite3 *db = NULL;
    yj_results *out = NULL;
    compare cp;
    memset(&cp, 0, sizeof cp);
    static const char *const options[] = {"format", "known-on", NULL};
    char known_on[11] = "";
    cli_script_args a[2] = {{db_path, NULL, NULL, NULL, options},
                            {db_path, NULL, NULL, NULL, options}};
    if (!s[0] || !s[1]) {
        fprintf(stderr, _("yingji compare: out of memory\n"));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (r < 0 || cli_script_format("compare", v, &fmt) != 0) goto done;
        } else if ((r = cli_option(argc, argv, &i, "known-on", &v)) != 0) {
            if (r < 0 || cli_date_option("compare", "known-on", v, known_on) != 0) goto done;
            yj_script_set_known_on(s[0], known_on);
            yj_script_set_known_on(s[1], known_on);
        } else if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) { cli_usage_error("compare", "-o needs a path"); goto done; }
            output = argv[i + 1];
            i += 2;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            status = YJ_EXIT_OK;
            goto done;
        } else if (argv[i][0] != '-' || !argv[i][1]) {
            if (nfiles == 2) {
                cli_usage_error("compare", "two schemes at a time ('%s', '%s' and '%s')",
                                file[0], file[1], argv[i]);
                goto done;
            }
            file[nfiles++] = argv[i++];
        } else {
            /* --db, --as-of, --set, --set-file: the same argument applied to both runs */
            int j = i;
            if (cli_script_arg("compare", argc, argv, &i, s[0], &a[0]) != 0) goto done;
            if (cli_script_arg("compare", argc, argv, &j, s[1], &a[1]) != 0) goto done;
        }
    }
    if (nfiles != 2) {
        usage(stderr);
        goto done;
    }
    if (fmt == YJ_FORMAT_XLSX && !output) {
        /* A workbook is never written to a terminal or a pipe: it needs a file. */
        cli_usage_error("compare", "--format xlsx writes a file: give it with -o FILE.xlsx");
        goto done;
    }
    if (output && fmt != YJ_FORMAT_XLSX) {
        cli_usage_error("compare", "-o names the workbook of --format xlsx; text, CSV and "
                        "JSON go to standard output");
        goto done;
    }
    if (cli_script_file("compare", file[0]) != 0 || cli_script_file("compare", file[1]) != 0)
        goto done;
    db_path = a[0].db_path;
    if ((status = cli_script_open_db("compare", db_path, 0, output, &db)) != 0) goto done;
    status = YJ_EXIT_USAGE;
    /* the views and both runs read one state: the comparison keeps this transaction */
    if (known_on[0] && cli_script_known_on("compare", db, known_on) != 0) {
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    for (int k = 0; k < 2; k++) {
        yj_script_set_format(s[k], fmt);
        yj_script_set_db(s[k], db);
        yj_watchdog_start(file[k], COMPARE_TIMEOUT_S);
        int rc = yj_script_run(s[k], file[k]);
        yj_watchdog_stop();
        if (rc != YJ_SCRIPT_OK) {
            fprintf(stderr, "%s\n", yj_script_error(s[k]));
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
        cp.file[k] = file[k];
        cp.r[k] = yj_script_results(s[k]);
    }
    if (!(out = yj_results_new())) {
        fprintf(stderr, _("yingji compare: out of memory\n"));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    cp.out = out;
    int rc = build(&cp);
    if (rc != 0) {
        if (rc > 0)
            fprintf(stderr, _("yingji compare: neither %s nor %s publishes a table with unit "
                    "and score columns\n"), file[0], file[1]);
        else
            fprintf(stderr, _("yingji compare: out of memory\n"));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    if (fmt == YJ_FORMAT_XLSX) {
        char msg[512];
        static const char *const labels[] = {"原方案", "新方案"};
        const yj_script *runs[2] = {s[0], s[1]};
        if (yj_results_write_xlsx_runs(out, runs, labels, 2, NULL, output, msg, sizeof msg) != 0) {
            fprintf(stderr, "yingji compare: %s\n", msg);
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
    } else if (yj_results_write(out, fmt, stdout) != 0) {
        fprintf(stderr, _("yingji compare: cannot write the results: %s\n"), strerror(errno));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    status = YJ_EXIT_OK;
done:
    items_close(&cp.items);
    yj_results_free(cp.blank);
    yj_results_free(out);
    yj_script_free(s[0]);
    yj_script_free(s[1]);
    sqlite3_close(db);
    return status;
}
