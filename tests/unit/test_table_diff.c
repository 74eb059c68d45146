/* test_table_diff.c — the keyed diff shared by `yingji compare` and `verify`
 * (core/table_diff.c): rows paired by key whatever their order, keys on one side only,
 * repeated keys paired in order, NULLs, numbers against text, integers against reals,
 * the tolerance (exact, or to N decimals with the delta rounded), columns matched by
 * name (reordered, added, removed, restricted), several key columns, a missing key
 * column, the key guess, and the report lines both commands print. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "table_diff.h"

static yj_value N(void) { yj_value v; memset(&v, 0, sizeof v); v.type = YJ_VAL_NULL; return v; }
static yj_value I(long long i) { yj_value v = N(); v.type = YJ_VAL_INT; v.u.i = i; return v; }
static yj_value R(double d) { yj_value v = N(); v.type = YJ_VAL_REAL; v.u.r = d; return v; }
static yj_value B(int b) { yj_value v = N(); v.type = YJ_VAL_BOOL; v.u.b = b; return v; }
static yj_value T(const char *s) {
    yj_value v = N();
    v.type = YJ_VAL_TEXT;
    v.u.t.s = s;
    v.u.t.len = strlen(s);
    return v;
}

/* A new set holding one table: its columns (a NULL-ended list), then nrows rows of
 * ncols values each. */
static yj_results *table(const char *const *cols, size_t nrows, ...) {
    size_t ncols = 0;
    while (cols[ncols]) ncols++;
    yj_results *r = yj_results_new();
    if (!r || yj_results_add_table(r, "t", cols, ncols) != 0) return r;
    va_list ap;
    va_start(ap, nrows);
    yj_value row[16];
    for (size_t i = 0; i < nrows; i++) {
        for (size_t c = 0; c < ncols; c++) row[c] = va_arg(ap, yj_value);
        yj_results_add_row(r, row);
    }
    va_end(ap);
    return r;
}

/* The report line of diff row i (verify's wording). Static buffer. */
static const char *line(const char *name, const tdiff *d, size_t i, const yj_results *a,
                        const yj_results *b) {
    static char buf[512];
    strbuf s = STRBUF_INIT;
    tdiff_row_text(&s, name, d, &d->rows[i], a, 0, b, 0, "old", "new");
    snprintf(buf, sizeof buf, "%s", s.p ? s.p : "");
    strbuf_free(&s);
    return buf;
}

static const char *const UNIT[] = {"unit"};

int main(void) {
    char err[256];
    tdiff d;

    /* Rows paired by key in any order; keys on one side only. */
    static const char *const sc[] = {"unit", "score", "grade", NULL};
    yj_results *a = table(sc, 3, T("T01"), I(80), T("合格"), T("T02"), R(70.5), T("合格"),
                          T("T03"), I(60), T("不合格"));
    yj_results *b = table(sc, 3, T("T02"), R(70.5), T("合格"), T("T01"), R(57.52), T("不合格"),
                          T("T04"), I(90), T("优秀"));
    tdiff_opts o = {UNIT, 1, NULL, 0, -1};
    CHECK(tdiff_tables(a, 0, b, 0, &o, &d, err, sizeof err) == 0, "two score tables diff");
    CHECK(d.nrows == 4 && d.same == 1 && d.changed == 1 && d.only_old == 1 && d.only_new == 1,
          "T02 same, T01 changed, T03 only old, T04 only new");
    CHECK(d.rows[0].kind == TDIFF_CHANGED && d.rows[0].old_row == 0 && d.rows[0].new_row == 1,
          "T01 pairs old row 0 with new row 1");
    CHECK(d.rows[2].kind == TDIFF_ONLY_OLD && d.rows[2].new_row == -1 &&
          d.rows[3].kind == TDIFF_ONLY_NEW && d.rows[3].old_row == -1 && d.rows[3].new_row == 2,
          "the old rows in order, then the rows only new");
    CHECK(d.reordered, "the pairs come in another order");
    CHECK_STR(line("scores", &d, 0, a, b), "scores T01: score 80 → 57.52; grade 合格 → 不合格",
              "the keyed line, by column name");
    CHECK_STR(line("scores", &d, 2, a, b), "scores T03: only in old", "a row only old");
    CHECK_STR(line("scores", &d, 3, a, b), "scores T04: only in new", "a row only new");
    const tdiff_cell *c = tdiff_change(&d, &d.rows[0], "score");
    CHECK(c && c->has_delta && fabs(c->delta - (57.52 - 80)) < 1e-12, "score's delta new − old");
    CHECK(tdiff_change(&d, &d.rows[0], "grade") && !tdiff_change(&d, &d.rows[0], "grade")->has_delta,
          "a text change has no delta");
    CHECK(tdiff_change(&d, &d.rows[1], "score") == NULL, "an unchanged row has no change");
    tdiff_free(&d);
    tdiff_free(&d);                           /* freeing twice is harmless */
    yj_results_free(a);
    yj_results_free(b);

    /* Both empty; one empty. */
    a = table(sc, 0);
    b = table(sc, 2, T("T01"), I(1), N(), T("T02"), I(2), N());
    CHECK(tdiff_tables(a, 0, a, 0, &o, &d, err, sizeof err) == 0 && d.nrows == 0 && !d.reordered,
          "two empty tables: no rows");
    tdiff_free(&d);
    CHECK(tdiff_tables(a, 0, b, 0, &o, &d, err, sizeof err) == 0 && d.only_new == 2 && d.nrows == 2,
          "an empty old table: every row only new");
    tdiff_free(&d);
    CHECK(tdiff_tables(b, 0, a, 0, &o, &d, err, sizeof err) == 0 && d.only_old == 2,
          "an empty new table: every row only old");
    tdiff_free(&d);
    yj_results_free(a);
    yj_results_free(b);

    /* Keys holding the separator byte or a NUL are keys like any other: ("a\x1fb", "c")
     * is not ("a", "b\x1fc"), and "x\0y" is not "x\0z". */
    {
        static const char *const kkv[] = {"k1", "k2", "v", NULL};
        static const char *const KK[] = {"k1", "k2"};
        a = table(kkv, 1, T("a\x1f" "b"), T("c"), I(1));
        b = table(kkv, 1, T("a"), T("b\x1f" "c"), I(1));
        tdiff_opts okk = {KK, 2, NULL, 0, -1};
        CHECK(tdiff_tables(a, 0, b, 0, &okk, &d, err, sizeof err) == 0 && d.only_old == 1 && d.only_new == 1,
              "keys with the separator byte in them do not pair");
        tdiff_free(&d);
        yj_results_free(a);
        yj_results_free(b);
        yj_value x = T("x"), y = T("x");
        x.u.t.s = "x\0y"; x.u.t.len = 3;
        y.u.t.s = "x\0z"; y.u.t.len = 3;
        static const char *const kv1[] = {"k", "v", NULL};
        static const char *const K1[] = {"k"};
        a = table(kv1, 1, x, I(1));
        b = table(kv1, 1, y, I(1));
        tdiff_opts o1 = {K1, 1, NULL, 0, -1};
        CHECK(tdiff_tables(a, 0, b, 0, &o1, &d, err, sizeof err) == 0 && d.only_old == 1 && d.only_new == 1,
              "keys that differ after a NUL do not pair");
        tdiff_free(&d);
        yj_results_free(a);
        yj_results_free(b);
    }

    /* A repeated key pairs in order: K#1 with K#1, K#2 with K#2, K#3 only new. */
    static const char *const kv[] = {"k", "v", NULL};
    static const char *const K[] = {"k"};
    a = table(kv, 3, T("K"), I(1), T("L"), I(0), T("K"), I(2));
    b = table(kv, 4, T("K"), I(1), T("K"), I(3), T("K"), I(4), T("L"), I(0));
    tdiff_opts ok = {K, 1, NULL, 0, -1};
    CHECK(tdiff_tables(a, 0, b, 0, &ok, &d, err, sizeof err) == 0 && d.nrows == 4,
          "a repeated key: 4 rows");
    CHECK(d.rows[0].kind == TDIFF_SAME && d.rows[0].occurrence == 0 && d.rows[0].new_row == 0,
          "the first K pairs the first K");
    CHECK(d.rows[2].kind == TDIFF_CHANGED && d.rows[2].occurrence == 1 && d.rows[2].new_row == 1,
          "the second K pairs the second K");
    CHECK(d.rows[3].kind == TDIFF_ONLY_NEW && d.rows[3].occurrence == 2 && d.rows[3].new_row == 2,
          "the third K is only new, its occurrence 2");
    CHECK_STR(line("t", &d, 2, a, b), "t K (#2): v 2 → 3", "a repeat's line names its occurrence");
    CHECK_STR(line("t", &d, 3, a, b), "t K (#3): only in new", "… and so does a repeat on one side");
    tdiff_free(&d);
    yj_results_free(a);
    yj_results_free(b);

    /* NULLs, numbers against text, integers against reals, booleans, NaN. */
    static const char *const mix[] = {"k", "n", "x", "y", "z", "w", "q", NULL};
    a = table(mix, 2, T("a"), N(), N(), I(1), I(1), B(1), R(NAN),
                      T("b"), N(), I(0), I(7), T("s"), B(0), R(1));
    b = table(mix, 2, T("a"), N(), I(0), R(1.0), T("1"), B(1), R(NAN),
                      T("b"), N(), N(), I(7), T("s"), B(1), I(1));
    CHECK(tdiff_tables(a, 0, b, 0, &ok, &d, err, sizeof err) == 0 && d.changed == 2, "mixed cells diff");
    CHECK_STR(line("t", &d, 0, a, b), "t a: x null → 0; z 1 → 1",
              "NULL = NULL, NULL ≠ 0, 1 = 1.0, the number 1 ≠ the text \"1\", NaN = NaN");
    CHECK_STR(line("t", &d, 1, a, b), "t b: x 0 → null; w false → true",
              "0 ≠ NULL, text = the same text, booleans compared, 1.0 = 1");
    CHECK(!tdiff_change(&d, &d.rows[0], "x")->has_delta && !tdiff_change(&d, &d.rows[0], "z")->has_delta,
          "no delta against NULL or text");
    tdiff_free(&d);
    yj_results_free(a);
    yj_results_free(b);

    /* Tolerance: exact (verify), or to 6 decimals with the delta rounded (compare). */
    static const char *const uv[] = {"unit", "v", NULL};
    a = table(uv, 3, T("U1"), R(0.1 + 0.2), T("U2"), R(50.76), T("U3"), R(1.0000004));
    b = table(uv, 3, T("U1"), R(0.3), T("U2"), R(52.03), T("U3"), R(1));
    CHECK(tdiff_tables(a, 0, b, 0, &o, &d, err, sizeof err) == 0 && d.changed == 3,
          "exactly: 0.1 + 0.2 ≠ 0.3 and 1.0000004 ≠ 1");
    c = tdiff_change(&d, &d.rows[1], "v");
    CHECK(c && c->delta == 52.03 - 50.76 && c->delta != 1.27, "exactly: the delta as computed");
    tdiff_free(&d);
    tdiff_opts o6 = {UNIT, 1, NULL, 0, 6};
    CHECK(tdiff_tables(a, 0, b, 0, &o6, &d, err, sizeof err) == 0 && d.changed == 1 && d.same == 2,
          "to 6 decimals: 0.1 + 0.2 = 0.3 and 1.0000004 = 1");
    c = tdiff_change(&d, &d.rows[1], "v");
    CHECK(c && c->delta == 1.27, "to 6 decimals: 52.03 − 50.76 is 1.27");
    CHECK_STR(line("t", &d, 1, a, b), "t U2: v 50.76 → 52.03", "the cells print as the writers do");
    tdiff_free(&d);
    yj_results_free(a);
    yj_results_free(b);

    /* Columns matched by name: reordered, one only old, one only new; or restricted. */
    static const char *const c1[] = {"unit", "a", "b", "gone", NULL};
    static const char *const c2[] = {"b", "unit", "extra", "a", NULL};
    a = table(c1, 1, T("U1"), I(1), T("x"), I(9));
    b = table(c2, 1, T("y"), T("U1"), I(5), I(2));
    CHECK(tdiff_tables(a, 0, b, 0, &o, &d, err, sizeof err) == 0, "reordered columns diff");
    CHECK(d.ncols == 3 && !strcmp(d.cols[0], "unit") && !strcmp(d.cols[1], "a") &&
          !strcmp(d.cols[2], "b") && d.col_new[1] == 3 && d.col_new[2] == 0,
          "the key, then the shared columns in the old table's order, each with its index");
    CHECK(d.nonly_old_cols == 1 && !strcmp(d.only_old_cols[0], "gone") &&
          d.nonly_new_cols == 1 && !strcmp(d.only_new_cols[0], "extra"),
          "a column only old and one only new are listed, not compared");
    CHECK_STR(line("t", &d, 0, a, b), "t U1: a 1 → 2; b x → y", "cells compared by column name");
    tdiff_free(&d);
    static const char *const only_b[] = {"b"};
    tdiff_opts ob = {UNIT, 1, only_b, 1, -1};
    CHECK(tdiff_tables(a, 0, b, 0, &ob, &d, err, sizeof err) == 0 && d.ncols == 2 &&
          !strcmp(line("t", &d, 0, a, b), "t U1: b x → y"), "opts.cols: only those columns");
    tdiff_free(&d);
    static const char *const missing[] = {"item"};
    tdiff_opts om = {missing, 1, NULL, 0, -1};
    err[0] = 0;
    CHECK(tdiff_tables(a, 0, b, 0, &om, &d, err, sizeof err) == -1 && d.nrows == 0 &&
          strstr(err, "no key column 'item' in the old table"), "a key column missing: an error (%s)", err);
    static const char *const gone_key[] = {"gone"};
    tdiff_opts og = {gone_key, 1, NULL, 0, -1};
    CHECK(tdiff_tables(a, 0, b, 0, &og, &d, err, sizeof err) == -1 &&
          strstr(err, "no key column 'gone' in the new table"), "… on the new side too (%s)", err);
    tdiff_opts o0 = {NULL, 0, NULL, 0, -1};
    CHECK(tdiff_tables(a, 0, b, 0, &o0, &d, err, sizeof err) == -1, "no key at all: an error");
    yj_results_free(a);
    yj_results_free(b);

    /* Two key columns; the integer 7 and the text "7" are one key; the key guess. */
    static const char *const it[] = {"unit", "item", "points", NULL};
    static const char *const UI[] = {"unit", "item"};
    a = table(it, 3, T("T06"), T("B4"), I(5), T("T06"), T("B5"), I(1), I(7), T("A"), I(2));
    b = table(it, 3, T("T06"), T("B5"), I(1), T("T06"), T("B4"), I(10), T("7"), T("A"), I(2));
    tdiff_opts oi = {UI, 2, NULL, 0, -1};
    CHECK(tdiff_tables(a, 0, b, 0, &oi, &d, err, sizeof err) == 0 && d.changed == 1 && d.same == 2,
          "keyed by unit and item: one change; 7 and \"7\" pair");
    CHECK_STR(line("items", &d, 0, a, b), "items T06 B4: points 5 → 10", "both key cells in the line");
    tdiff_free(&d);
    CHECK(tdiff_guess_key(a, 0, 3) == 2, "the guess: unit repeats, unit and item do not");
    static const char *const one[] = {"k", NULL};
    yj_results *u = table(sc, 2, T("T01"), I(1), N(), T("T02"), I(1), N());
    yj_results *dup = table(one, 2, T("x"), T("x"));
    CHECK(tdiff_guess_key(u, 0, 3) == 1, "the guess: a distinct first column");
    CHECK(tdiff_guess_key(dup, 0, 3) == 1, "the guess: no more columns than the table has");
    yj_results *all = table(it, 2, T("a"), T("b"), I(1), T("a"), T("b"), I(1));
    CHECK(tdiff_guess_key(all, 0, 3) == 3, "the guess: max when no prefix is distinct");
    /* Integers at the ends of their range: the exact delta overflowed long long (undefined;
     * in practice -1 for a change of 2^64 - 1) */
    static const char *const ends[] = {"unit", "v", NULL};
    yj_results *lo = table(ends, 1, T("T01"), I(-9223372036854775807LL - 1));
    yj_results *hi = table(ends, 1, T("T01"), I(9223372036854775807LL));
    CHECK(tdiff_tables(lo, 0, hi, 0, &o, &d, err, sizeof err) == 0 && d.changed == 1 &&
          d.rows[0].ncells == 1 && d.rows[0].cells[0].has_delta &&
          d.rows[0].cells[0].delta == 18446744073709551616.0,
          "integers at the ends of their range: the delta, without overflow");
    tdiff_free(&d);
    yj_results_free(lo);
    lo = table(ends, 1, T("T01"), I(1LL << 60));
    yj_results_free(hi);
    hi = table(ends, 1, T("T01"), I((1LL << 60) + 1));
    CHECK(tdiff_tables(lo, 0, hi, 0, &o, &d, err, sizeof err) == 0 && d.changed == 1 &&
          d.rows[0].cells[0].delta == 1, "large integers one apart: the delta is 1 (not 0 as doubles)");
    tdiff_free(&d);
    yj_results_free(lo);
    yj_results_free(hi);
    yj_results_free(a);
    yj_results_free(b);
    yj_results_free(u);
    yj_results_free(dup);
    yj_results_free(all);
    return check_failures() != 0;
}
