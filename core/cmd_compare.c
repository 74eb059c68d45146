/* cmd_compare.c — `yingji compare OLD.lua NEW.lua`: runs two scoring schemes over the
 * same database (same --as-of, same --set parameters) and prints, keyed by unit, what
 * changed: each unit's score old → new with the difference, grade and rank changes and
 * the items that moved; then a summary (units changing grade, the largest movers, the
 * distribution of the differences). The tables go through the writers of `yingji run`
 * (text, CSV, JSON).
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
#include "script.h"
#include "script_watchdog.h"
#include "strbuf.h"
#include "strmap.h"

/* The wall-clock limit of each of the two runs, in seconds (as `yingji run`). */
#define COMPARE_TIMEOUT_S 600
/* The mmap window, as `yingji run` (cmd_run.c): scripts only read. */
#define COMPARE_MMAP_SIZE "2147418112"
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
        "  --format text|csv|json   output format (default text)\n"
        "  --db FILE                the database (default ./yingji.db or $YINGJI_DB)\n\n"
        "Tables: comparison (the two runs), one per score table of the schemes (scores,\n"
        "department_scores: unit, old_score, new_score, diff, grades, ranks, items_moved),\n"
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

static int same_value(yj_value a, yj_value b) {
    if (a.type == YJ_VAL_NULL || b.type == YJ_VAL_NULL) return a.type == b.type;
    if (a.type == YJ_VAL_TEXT || b.type == YJ_VAL_TEXT)
        return a.type == b.type && a.u.t.len == b.u.t.len && !memcmp(a.u.t.s, b.u.t.s, a.u.t.len);
    double x, y;
    if (number(a, &x) && number(b, &y)) return x == y;
    return a.type == b.type && a.u.b == b.u.b;
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

/* Maps each row's key (the text of column c, or "unit\x1fitem" when c2 >= 0) to its
 * row + 1. The first row with a key wins. Returns 0 or -1 (out of memory). */
static int index_rows(yj_strmap *m, const yj_results *r, long t, long c, long c2) {
    char a[32], b[32];
    strbuf k = STRBUF_INIT;
    for (size_t row = 0; t >= 0 && row < yj_results_nrows(r, (size_t)t); row++) {
        reset(&k);
        strbuf_puts(&k, key_text(cell(r, t, (long)row, c), a));
        if (c2 >= 0) {
            strbuf_puts(&k, "\x1f");
            strbuf_puts(&k, key_text(cell(r, t, (long)row, c2), b));
        }
        if (k.err || yj_strmap_put(m, k.p ? k.p : "", (void *)(uintptr_t)(row + 1)) != 0) {
            strbuf_free(&k);
            return -1;
        }
    }
    strbuf_free(&k);
    return 0;
}

static long lookup(const yj_strmap *m, const char *key) {
    return (long)(uintptr_t)yj_strmap_get(m, key) - 1;
}

/* }================================================================== */

/* {==================================================================
 * The comparison
 * =================================================================== */

/* One side's items table, grouped by unit: head[unit] -> first row + 1, next[row]. */
typedef struct {
    const yj_results *r;
    long t, unit, item, title, points;
    yj_strmap by_key;       /* "unit\x1fitem" -> row + 1 */
    yj_strmap first;        /* unit -> first row + 1 */
    long *next;             /* row -> the unit's next row, or -1 */
} items_side;

static int items_open(items_side *s, const yj_results *r) {
    memset(s, 0, sizeof *s);
    s->r = r;
    s->t = table_index(r, "items");
    s->unit = col_index(r, s->t, "unit");
    s->item = col_index(r, s->t, "item");
    s->title = col_index(r, s->t, "title");
    s->points = col_index(r, s->t, "points");
    if (s->unit < 0 || s->item < 0 || s->points < 0) { s->t = -1; return 0; }
    size_t n = yj_results_nrows(r, (size_t)s->t);
    long *tail = malloc((n + 1) * sizeof *tail);       /* first row -> the unit's last */
    if (!tail || !(s->next = malloc((n + 1) * sizeof *s->next)) ||
        index_rows(&s->by_key, r, s->t, s->unit, s->item) != 0) {
        free(tail);
        return -1;
    }
    char buf[32];
    for (size_t row = 0; row < n; row++) {
        const char *u = key_text(cell(r, s->t, (long)row, s->unit), buf);
        long first = lookup(&s->first, u);
        s->next[row] = -1;
        if (first < 0) {
            if (yj_strmap_put(&s->first, u, (void *)(uintptr_t)(row + 1)) != 0) {
                free(tail);
                return -1;
            }
            tail[row] = (long)row;
        } else {
            s->next[tail[first]] = (long)row;
            tail[first] = (long)row;
        }
    }
    free(tail);
    return 0;
}

static void items_close(items_side *s) {
    yj_strmap_free(&s->by_key);
    yj_strmap_free(&s->first);
    free(s->next);
}

typedef struct {
    const char *file[2];
    const yj_results *r[2];
    yj_results *out;          /* owned by the caller */
    items_side items[2];
    int item_rows_done;       /* the items table gets its rows with the first score table */
} compare;

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

/* The item rows of one unit that moved: into the items table (stage) and the text b. */
static int unit_items(compare *cp, const char *unit, strbuf *b, yj_results *stage) {
    items_side *o = &cp->items[0], *n = &cp->items[1];
    char buf[32];
    strbuf key = STRBUF_INIT;
    int rc = 0;
    for (int side = 0; side < 2 && rc == 0; side++) {
        items_side *s = &cp->items[side], *other = &cp->items[1 - side];
        if (s->t < 0) continue;
        for (long row = lookup(&s->first, unit) ; row >= 0; row = s->next[row]) {
            const char *item = key_text(cell(s->r, s->t, row, s->item), buf);
            reset(&key);
            strbuf_puts(&key, unit);
            strbuf_puts(&key, "\x1f");
            strbuf_puts(&key, item);
            if (key.err) { rc = -1; break; }
            long orow = other->t >= 0 ? lookup(&other->by_key, key.p) : -1;
            if (side == 1 && orow >= 0) continue;          /* paired: seen from the old side */
            long rold = side == 0 ? row : -1, rnew = side == 0 ? orow : row;
            double po = 0, pn = 0;
            int ho = rold >= 0 && number(cell(o->r, o->t, rold, o->points), &po);
            int hn = rnew >= 0 && number(cell(n->r, n->t, rnew, n->points), &pn);
            if (ho && hn && rounded(pn - po) == 0) continue;
            if (!ho && !hn) continue;
            double d = rounded((hn ? pn : 0) - (ho ? po : 0));
            yj_value title = rnew >= 0 ? cell(n->r, n->t, rnew, n->title)
                                       : cell(o->r, o->t, rold, o->title);
            yj_value row_v[6] = {v_text(unit), v_text(item), title,
                                 ho ? cell(o->r, o->t, rold, o->points) : v_null(),
                                 hn ? cell(n->r, n->t, rnew, n->points) : v_null(), v_real(d)};
            if (stage && yj_results_add_row(stage, row_v) != 0) { rc = -1; break; }
            moved_text(b, item, ho, hn, d);
            if (b->err) { rc = -1; break; }
        }
    }
    strbuf_free(&key);
    return rc;
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

/* One score table (name) of either side: its comparison table into cp->out, the moved
 * items into items_stage, the figures into st. Returns 0 or -1 (out of memory). */
static int compare_table(compare *cp, const char *name, yj_results *items_stage,
                         table_stats *st) {
    const yj_results *ro = cp->r[0], *rn = cp->r[1];
    long to = table_index(ro, name), tn = table_index(rn, name);
    long uo = col_index(ro, to, "unit"), un = col_index(rn, tn, "unit");
    if (uo < 0) to = -1;
    if (un < 0) tn = -1;
    long so = col_index(ro, to, "score"), sn = col_index(rn, tn, "score");
    long nmo = col_index(ro, to, "name"), nmn = col_index(rn, tn, "name");
    long go = col_index(ro, to, "grade"), gn = col_index(rn, tn, "grade");
    long rko = col_index(ro, to, "rank"), rkn = col_index(rn, tn, "rank");
    static const char *const cols[] = {"unit", "name", "old_score", "new_score", "diff",
        "old_grade", "new_grade", "grade_change", "old_rank", "new_rank", "rank_change",
        "items_moved"};
    yj_strmap mo = {0}, mn = {0};
    strbuf moved = STRBUF_INIT, change = STRBUF_INIT;
    char kb[32];
    int rc = -1;
    size_t nro = to >= 0 ? yj_results_nrows(ro, (size_t)to) : 0;
    size_t nrn = tn >= 0 ? yj_results_nrows(rn, (size_t)tn) : 0;
    if (!(st->name = strdup(name))) goto done;
    if (!(st->diffs = malloc((nro + nrn + 1) * sizeof *st->diffs))) goto done;
    if (!(st->movers = malloc((nro + nrn + 1) * sizeof *st->movers))) goto done;
    if (index_rows(&mo, ro, to, uo, -1) != 0 || index_rows(&mn, rn, tn, un, -1) != 0) goto done;
    if (yj_results_add_table(cp->out, name, cols, sizeof cols / sizeof cols[0]) != 0) goto done;
    st->out_table = yj_results_count(cp->out) - 1;
    long out_row = 0;
    /* old's units in old's order, then the units only new scores */
    for (int side = 0; side < 2; side++) {
        const yj_results *r = side ? rn : ro;
        long t = side ? tn : to, uc = side ? un : uo;
        size_t nrows = side ? nrn : nro;
        for (size_t row = 0; row < nrows; row++) {
            const char *unit = key_text(cell(r, t, (long)row, uc), kb);
            long ro_row = side ? lookup(&mo, unit) : (long)row;
            long rn_row = side ? (long)row : lookup(&mn, unit);
            if (side == 1 && ro_row >= 0) continue;
            if (lookup(side ? &mn : &mo, unit) != (long)row) continue;   /* repeated key */
            double so_v = 0, sn_v = 0;
            int ho = ro_row >= 0 && number(cell(ro, to, ro_row, so), &so_v);
            int hn = rn_row >= 0 && number(cell(rn, tn, rn_row, sn), &sn_v);
            yj_value diff = v_null();
            st->units++;
            if (ro_row < 0) st->only_new++;
            if (rn_row < 0) st->only_old++;
            if (ho && hn) {
                double d = rounded(sn_v - so_v);
                diff = v_real(d);
                st->diffs[st->ndiffs++] = d;
                if (d != 0) {
                    st->changed++;
                    if (d > 0) st->up++; else st->down++;
                    st->movers[st->nmovers].d = d;
                    st->movers[st->nmovers++].unit_row = out_row;
                }
            }
            yj_value g_o = cell(ro, to, ro_row, go), g_n = cell(rn, tn, rn_row, gn);
            yj_value grade_change = v_null();
            reset(&change);
            if (ro_row >= 0 && rn_row >= 0 && (go >= 0 || gn >= 0) && !same_value(g_o, g_n)) {
                char *a = dup_value_text(g_o), *b = dup_value_text(g_n);
                strbuf_puts(&change, a ? a : "-");
                strbuf_puts(&change, " → ");
                strbuf_puts(&change, b ? b : "-");
                free(a);
                free(b);
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
            yj_value name_v = rn_row >= 0 ? cell(rn, tn, rn_row, nmn) : cell(ro, to, ro_row, nmo);
            yj_value row_v[12] = {v_text(unit), name_v,
                                  ro_row >= 0 ? cell(ro, to, ro_row, so) : v_null(),
                                  rn_row >= 0 ? cell(rn, tn, rn_row, sn) : v_null(), diff,
                                  g_o, g_n, grade_change, k_o, k_n, rank_change,
                                  moved.len ? v_text(moved.p) : v_null()};
            if (yj_results_add_row(cp->out, row_v) != 0) goto done;
            out_row++;
        }
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
    yj_strmap_free(&mo);
    yj_strmap_free(&mn);
    strbuf_free(&moved);
    strbuf_free(&change);
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
    if (yj_results_add_table(cp->out, "summary", scols, sizeof scols / sizeof scols[0]))
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
    if (yj_results_add_table(cp->out, "movers", mcols, sizeof mcols / sizeof mcols[0]))
        return -1;
    for (size_t i = 0; i < n; i++)
        for (long k = 0; k < st[i].nmovers; k++) {
            yj_value row[5] = {v_text(st[i].name), v_text(st[i].mover_text[k * 3]),
                               v_text(st[i].mover_text[k * 3 + 1]), v_real(st[i].movers[k].d),
                               v_text(st[i].mover_text[k * 3 + 2])};
            if (yj_results_add_row(cp->out, row) != 0) return -1;
        }
    if (yj_results_add_table(cp->out, "grade_changes", gcols, sizeof gcols / sizeof gcols[0]))
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
    if (yj_results_add_table(cp->out, "distribution", dcols, sizeof dcols / sizeof dcols[0]))
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
    if (yj_results_add_table(cp->out, "comparison", cols, 5) != 0) return -1;
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
    if (items_open(&cp->items[0], cp->r[0]) != 0 || items_open(&cp->items[1], cp->r[1]) != 0)
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
    if (yj_results_add_table(cp->out, "items", icols, sizeof icols / sizeof icols[0]) != 0 ||
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
    const char *file[2] = {NULL, NULL}, *v;
    int nfiles = 0, status = YJ_EXIT_USAGE;
    sqlite3 *db = NULL;
    yj_results *out = NULL;
    compare cp;
    memset(&cp, 0, sizeof cp);
    cp.items[0].t = cp.items[1].t = -1;
    static const char *const options[] = {"format", NULL};
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
            if (r < 0) goto done;
            if (yj_format_parse(v, &fmt) != 0 || fmt == YJ_FORMAT_XLSX) {
                cli_usage_error("compare", "--format must be text, csv or json, not '%s'", v);
                goto done;
            }
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
    if (cli_script_file("compare", file[0]) != 0 || cli_script_file("compare", file[1]) != 0)
        goto done;
    db_path = a[0].db_path;
    char *err = NULL;
    if (db_open(db_path, DB_READONLY, &db, &err) != 0) {
        fprintf(stderr, "yingji compare: %s\n", err);
        free(err);
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    sqlite3_exec(db, "PRAGMA mmap_size = " COMPARE_MMAP_SIZE, NULL, NULL, NULL);
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
    if (yj_results_write(out, fmt, stdout) != 0) {
        fprintf(stderr, _("yingji compare: cannot write the results: %s\n"), strerror(errno));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    status = YJ_EXIT_OK;
done:
    items_close(&cp.items[0]);
    items_close(&cp.items[1]);
    yj_results_free(out);
    yj_script_free(s[0]);
    yj_script_free(s[1]);
    sqlite3_close(db);
    return status;
}
