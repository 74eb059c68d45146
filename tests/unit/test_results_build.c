/* test_results_build.c — building a result set in C (yj_results_add_table/add_row, used
 * by `yingji compare` and `show`): the cells are copies (the caller's text may go away),
 * rows grow past their first allocation, every writer prints what was built, and a row
 * without a table is refused. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "script.h"

static yj_value text(const char *s) {
    yj_value v;
    memset(&v, 0, sizeof v);
    v.type = YJ_VAL_TEXT;
    v.u.t.s = s;
    v.u.t.len = strlen(s);
    return v;
}

static yj_value num(double d) {
    yj_value v;
    memset(&v, 0, sizeof v);
    v.type = YJ_VAL_REAL;
    v.u.r = d;
    return v;
}

int main(void) {
    yj_results *r = yj_results_new();
    CHECK(r != NULL, "an empty set");
    yj_value row[2] = {text("x"), num(1)};
    CHECK(yj_results_add_row(r, row) != 0, "a row before any table is refused");
    const char *cols[] = {"unit", "diff"};
    CHECK(yj_results_add_table(r, "scores", cols, 0) != 0, "a table needs a column");
    CHECK(yj_results_add_table(r, "scores", cols, 2) == 0, "a table of two columns");
    char buf[16];
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        snprintf(buf, sizeof buf, "U%03d", i);
        yj_value rr[2] = {text(buf), num(i / 4.0)};
        ok &= yj_results_add_row(r, rr) == 0;
        memset(buf, 'z', sizeof buf - 1);        /* the caller's text changes: not the cell */
    }
    CHECK(ok, "100 rows added");
    CHECK(yj_results_nrows(r, 0) == 100, "100 rows held");
    yj_value c = yj_results_cell(r, 0, 42, 0);
    CHECK(c.type == YJ_VAL_TEXT && c.u.t.len == 4 && !memcmp(c.u.t.s, "U042", 4),
          "a text cell is a copy of the caller's text");
    CHECK(yj_results_cell(r, 0, 99, 1).u.r == 24.75, "a number cell");
    const char *one[] = {"a"};
    CHECK(yj_results_add_table(r, "second", one, 1) == 0, "a second table");
    yj_value n;
    memset(&n, 0, sizeof n);
    n.type = YJ_VAL_NULL;
    CHECK(yj_results_add_row(r, &n) == 0, "a row of the second table");
    CHECK(yj_results_nrows(r, 0) == 100 && yj_results_nrows(r, 1) == 1,
          "rows go to the last table only");
    char *s = NULL;
    CHECK(yj_results_to_string(r, YJ_FORMAT_CSV, &s, NULL) == 0, "CSV written");
    CHECK(s && strstr(s, "# scores\nunit,diff\nU000,0\nU001,0.25\n") && strstr(s, "# second\na\n\n"),
          "CSV of the built tables");
    free(s);
    CHECK(yj_results_to_string(r, YJ_FORMAT_JSON, &s, NULL) == 0, "JSON written");
    CHECK(s && strstr(s, "{\"unit\": \"U099\", \"diff\": 24.75}") && strstr(s, "\"second\": [\n  {\"a\": null}"),
          "JSON of the built tables");
    free(s);
    CHECK_STR(yj_results_name(r, 1), "second", "tables in the order added");
    yj_results_free(r);
    yj_results_free(NULL);
    return check_failures() != 0;
}
