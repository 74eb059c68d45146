/* test_script_reentry.c — hostile scripts against the runtime's own C functions (issue 10):
 * script code run from inside a C call through metamethods (__len, __index, __tostring...)
 * that re-enters the API or fails half-way, sizes and integers out of range, engine
 * metatables a script could reach, budgets below the hook's step, and coroutines with
 * every limit in force. Each case names the defect it pins. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "script_int.h"

/* Runs src as main.lua; returns the status. */
static int run(yj_script *s, const char *src) {
    yj_source f = {NULL, "main.lua", src, strlen(src)};
    yj_script_set_sources(s, &f, 1);
    return yj_script_run(s, "main.lua");
}

/* The run succeeds (else prints its error). */
static int run_ok(yj_script *s, const char *src) {
    int rc = run(s, src);
    if (rc != YJ_SCRIPT_OK) printf("# %s\n", yj_script_error(s) ? yj_script_error(s) : "?");
    return rc == YJ_SCRIPT_OK;
}

/* The run fails with msg in its error. */
static int run_fails(yj_script *s, const char *src, const char *msg) {
    int rc = run(s, src);
    const char *e = yj_script_error(s);
    if (rc == YJ_SCRIPT_OK) { printf("# ran to the end\n"); return 0; }
    if (!e || !strstr(e, msg)) { printf("# error: %s\n", e ? e : "(none)"); return 0; }
    return 1;
}

static long long ncount(yj_script *s) { return (long long)yj_results_count(yj_script_results(s)); }

/* The table published under name, or -1. */
static long long table_of(yj_script *s, const char *name) {
    const yj_results *r = yj_script_results(s);
    for (size_t i = 0; i < yj_results_count(r); i++)
        if (!strcmp(yj_results_name(r, i), name)) return (long long)i;
    return -1;
}

static long long nrows(yj_script *s, const char *name) {
    long long t = table_of(s, name);
    return t < 0 ? -1 : (long long)yj_results_nrows(yj_script_results(s), (size_t)t);
}

/* ---- publish reads the script's tables raw: no script code runs inside it ---- */

static void test_publish_sizes(void) {
    yj_script *s = yj_script_new();
    /* issue 10 #1: __len of 1 << 62 made rows x columns overflow (heap overflow). */
    CHECK(run_ok(s, "publish('A', {'x'}, setmetatable({}, {__len = function() return 1 << 62 end}))")
          && nrows(s, "A") == 0, "#1 rows whose __len says 2^62: the raw rows count (none)");
    CHECK(run_ok(s, "publish('A', {'x', 'y', 'z', 'w'}, setmetatable({{x = 1}, {y = 2}, {z = 3}},"
                    " {__len = function() return 1 << 62 end}))")
          && nrows(s, "A") == 3, "#1 three rows and a lying __len: three rows");
    CHECK(run_ok(s, "publish('A', {'x'}, setmetatable({}, {__len = function() return -1 end,"
                    " __index = function(t, i) return {x = i} end}))")
          && nrows(s, "A") == 0, "#1 a negative __len and an __index inventing rows: none");
    CHECK(run_fails(s, "publish('A', setmetatable({}, {__len = function() return 1 << 62 end,"
                       " __index = function(t, i) return 'c' .. i end}), {})",
                    "needs at least one column"),
          "#1 columns only an __index invents: no columns");
    CHECK(run_fails(s, "publish('A', {'x'}, setmetatable({}, {__len = function() return 2^63 end}))"
                       " error('after')", "main.lua:1: after"),
          "#1 a float __len beyond the integers is not even asked");
    yj_script_free(s);
}

static void test_publish_reentry(void) {
    yj_script *s = yj_script_new();
    /* issue 10 #2: a row's __index publishing 20 tables moved the results array under the
     * outer publish (use after free). */
    static const char uaf[] =
        "local n = 0\n"
        "local row = setmetatable({}, {__index = function(t, k)\n"
        "  for i = 1, 20 do n = n + 1; publish('T' .. n, {'x'}, {}) end\n"
        "  return 1 end})\n"
        "publish('A', {'x'}, {row, row})\n"
        "assert(n == 0, 'publish ran the row __index ' .. n .. ' times')\n";
    CHECK(run_ok(s, uaf) && ncount(s) == 1 && nrows(s, "A") == 2,
          "#2 a row's __index that publishes is not run; A has its two rows");
    yj_value v = yj_results_cell(yj_script_results(s), 0, 0, 0);
    CHECK(v.type == YJ_VAL_NULL, "#2 the cell is the row's raw value (nil)");
    CHECK(run_ok(s, "local hit = false\n"
                    "local rows = setmetatable({}, {__index = function() hit = true; publish('B', {'y'}, {}) end})\n"
                    "publish('A', {'x'}, rows)\nassert(not hit and #rows == 0)")
          && ncount(s) == 1, "#2 the rows table's __index is not run");
    CHECK(run_ok(s, "local cols = setmetatable({'x'}, {__len = function() publish('B', {'y'}, {}) return 1 end})\n"
                    "publish('A', cols, {{x = 1}})")
          && ncount(s) == 1 && table_of(s, "B") < 0, "#2 the columns' __len is not run");
    CHECK(run_ok(s, "local row = setmetatable({x = 1}, {__index = function() error('boom') end,"
                    " __pairs = function() error('boom') end, __len = function() error('boom') end})\n"
                    "publish('A', {'x', 'y'}, {row})")
          && nrows(s, "A") == 1, "#2 a row whose metamethods all fail publishes its raw values");
    CHECK(run_fails(s, "local cell = setmetatable({}, {__tostring = function() publish('B', {'y'}, {}) return 'x' end})\n"
                       "publish('A', {'x'}, {{x = cell}})", "a table cannot be published"),
          "#2 a cell with __tostring is refused, not converted");
    CHECK(run_ok(s, "local cell = setmetatable({}, {__tostring = function() publish('B', {'y'}, {}) return 'x' end})\n"
                    "assert(not pcall(publish, 'A', {'x'}, {{x = cell}}))")
          && ncount(s) == 0, "#2 ... and its __tostring never ran");
    /* A column name's own metamethods: names are strings, read raw. */
    CHECK(run_fails(s, "publish('A', {setmetatable({}, {__tostring = function() return 'x' end})}, {})",
                    "column 1 is not a string"), "#2 a column that is a table with __tostring is refused");
    CHECK(run_ok(s, "publish('A', {'d'}, {{d = date.ymd(2020, 2, 29)}})") &&
          yj_results_cell(yj_script_results(s), 0, 0, 0).type == YJ_VAL_TEXT &&
          !strcmp(yj_results_cell(yj_script_results(s), 0, 0, 0).u.t.s, "2020-02-29"),
          "dates still publish as ISO text");
    yj_script_free(s);
}

static void test_publish_atomic(void) {
    yj_script *s = yj_script_new();
    /* issue 10 #3: a caught error left the first two rows published. */
    CHECK(run_ok(s, "local ok, e = pcall(publish, 'A', {'x'}, {{x = 1}, {x = 2}, 'bad', {x = 4}})\n"
                    "assert(not ok and e:find('row 3 is a string'), e)")
          && ncount(s) == 0, "#3 a publish that fails at row 3 publishes nothing");
    CHECK(run_ok(s, "pcall(publish, 'A', {'x'}, {{x = 1}, {x = 2}, 'bad', {x = 4}})\n"
                    "publish('A', {'x'}, {{x = 5}})")
          && ncount(s) == 1 && nrows(s, "A") == 1, "#3 ... and the name stays free");
    CHECK(run_ok(s, "assert(not pcall(publish, 'A', {'x', 'y'}, {{x = 1}, {x = 2, y = {}}}))")
          && ncount(s) == 0, "#3 a bad cell in row 2: nothing");
    CHECK(run_ok(s, "publish('A', {'x'}, {{x = 1}})\n"
                    "assert(not pcall(publish, 'B', {'x'}, {{x = 'a'}, {x = print}}))\n"
                    "publish('C', {'x'}, {})")
          && ncount(s) == 2 && table_of(s, "B") < 0 && table_of(s, "C") == 1,
          "#3 tables before and after a failed one keep their order");
    CHECK(run_ok(s, "assert(not pcall(publish, 'A', {'x', 'x'}, {{x = 1}}))") && ncount(s) == 0,
          "#3 a duplicate column: nothing");
    yj_script_free(s);
}

/* ---- integers from scripts: out of range is an error, never truncated ---- */

static void test_integer_ranges(void) {
    yj_script *s = yj_script_new();
    static const struct { const char *src, *msg, *what; } bad[] = {
        {"date.ymd(2020, 2^32 + 2, 1)", "not a valid date", "#5 date.ymd month 2^32+2 (was 2020-02-01)"},
        {"date.ymd(2^32 + 2020, 1, 1)", "not a valid date", "#5 date.ymd year 2^32+2020"},
        {"date.ymd(2020, 1, 2^32 + 1)", "not a valid date", "#5 date.ymd day 2^32+1"},
        {"date.ymd(2020, math.mininteger, 1)", "not a valid date", "#5 date.ymd month mininteger"},
        {"date.is_leap(2^32 + 2020)", "year out of range", "#5 date.is_leap(2^32+2020)"},
        {"date.is_leap(-2^40)", "year out of range", "#5 date.is_leap(-2^40)"},
        {"date.days_in_month(2^32 + 2020, 2)", "year out of range", "#5 date.days_in_month year 2^32+2020"},
        {"date.days_in_month(2020, 2^32 + 2)", "month must be 1..12", "#5 date.days_in_month month 2^32+2"},
        {"date.ymd(2020, 1, 1):add_days(2^53)", "too many days", "#5 add_days 2^53"},
        {"date.ymd(2020, 1, 1):add_months(2^32 + 1)", "too many months", "#5 add_months 2^32+1"},
        {"period.year(2^32 + 2020)", "year out of range", "#5 period.year 2^32+2020"},
        {"date.ymd(2020, 1.5, 1)", "number has no integer representation", "#5 a fraction is not truncated"},
        {"debug.traceback('x', 2^32 + 1)", "level out of range", "#5 debug.traceback level 2^32+1"},
        {"date.parse('2020-01-01\\0junk')", "not a valid date", "a NUL byte does not end a date string"},
        {"local _ = date.ymd(2020, 1, 1) < '2020-01-02\\0'", "not a valid date", "... nor a date compared with"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(run_fails(s, bad[i].src, bad[i].msg), "%s: '%s'", bad[i].what, bad[i].msg);
    CHECK(run_fails(s, "local k = setmetatable({}, {__tostring = function() publish('B', {'x'}, {}) return 'k' end})\n"
                       "return _G[k]", "unknown global '(a table)'"),
          "an unknown global's key is named without running its __tostring");
    CHECK(run_fails(s, "date.ymd(2020, 2^32 + 2, 1)", "2020-4294967298-1"),
          "#5 the message shows the number given, not a truncated one");
    CHECK(run_ok(s, "assert(date.is_leap(2000) and not date.is_leap(1900) and date.days_in_month(2020, 2) == 29)"),
          "in-range years still work");
    yj_script_free(s);
}

/* ---- engine metatables cannot be reached ---- */

static void test_metatables(void) {
    yj_script *s = yj_script_new();
    /* issue 10 #6: a __gc added to the date metatable ran for every later date, hooks off. */
    static const struct { const char *expr, *what; } objs[] = {
        {"date.ymd(2020, 1, 1)", "a date"},
        {"ctx.as_of", "ctx.as_of"},
        {"period.month(ctx.as_of)", "a period"},
        {"select(4, sql.rows('SELECT 1'))", "an SQL statement"},
        {"require('chart').document{}", "a chart document"},
        {"os", "the os table"},
        {"debug", "the debug table"},
        {"_G", "the global table"},
        {"''", "a string"},
    };
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "a database for sql.rows");
    yj_script_set_db(s, db);
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) {
        char src[512];
        snprintf(src, sizeof src, "local mt = getmetatable(%s)\n"
                 "assert(type(mt) == 'string', 'the metatable is a ' .. type(mt))\n", objs[i].expr);
        CHECK(run_ok(s, src), "#6 getmetatable of %s gives no table", objs[i].what);
    }
    CHECK(run_fails(s, "getmetatable(date.ymd(2020, 1, 1)).__gc = function() end", "attempt to index"),
          "#6 the reproducer fails at once");
    CHECK(run_ok(s, "assert(not pcall(function() getmetatable('').__tostring = function() return 'x' end end))\n"
                    "assert(('%d'):format(7) == '7' and tostring('s') == 's')"),
          "#6 the strings' metatable cannot take a __tostring; string methods still work");
    CHECK(run_fails(s, "local d = date.ymd(2020, 1, 1); setmetatable(d, {})", "table expected"),
          "#6 setmetatable on a date is refused");
    CHECK(run_fails(s, "setmetatable(os, {})", "cannot change a protected metatable"),
          "#6 setmetatable on os is refused");
    CHECK(run_fails(s, "setmetatable({}, {__gc = function() while true do end end})", "__gc metamethods are not allowed"),
          "#6 a script's own __gc is refused");
    CHECK(run_fails(s, "local mt = {}; setmetatable({}, mt); mt.__gc = function() while true do end end\n"
                       "setmetatable({}, mt)", "__gc metamethods are not allowed"),
          "#6 ... also added to a metatable in use, then reused");
    /* A __gc added after setmetatable is never called (Lua marks objects at setmetatable). */
    yj_script_set_limits(s, 1000000, 0, 0);
    CHECK(run_ok(s, "local mt = {}\nfor i = 1, 100 do setmetatable({}, mt) end\n"
                    "mt.__gc = function() local x = 0; for i = 1, 3e8 do x = x + i end end\n"
                    "collectgarbage(); collectgarbage()"),
          "#6 a __gc added after setmetatable does not run");
    sqlite3_close(db);
    yj_script_free(s);
}

/* ---- the instruction budget: exact below the hook's step ---- */

static void test_small_budgets(void) {
    yj_script *s = yj_script_new();
    static const long long budgets[] = {1, 10, 100, 500};
    for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
        yj_script_set_limits(s, budgets[i], 0, 0);
        char want[80];
        snprintf(want, sizeof want, "script exceeded its instruction budget (%lld)", budgets[i]);
        /* about 2 instructions an iteration: it never reached the first hook */
        CHECK(run_fails(s, "local x = 0; for i = 1, 300 do x = x + i end", want),
              "#8 --max-instructions %lld stops a 600-instruction loop", budgets[i]);
    }
    yj_script_set_limits(s, 100, 0, 0);
    CHECK(run_ok(s, "local x = 0; for i = 1, 20 do x = x + i end"), "#8 40 instructions fit in 100");
    CHECK(run_fails(s, "local x = 0; for i = 1, 60 do x = x + i end", "budget (100)"),
          "#8 120 instructions do not");
    yj_script_set_limits(s, 100000, 0, 0);
    CHECK(run_fails(s, "local x = 0; for i = 1, 60000 do x = x + i end", "budget (100000)"),
          "a larger budget is exact too (120,000 instructions)");
    CHECK(run_ok(s, "local x = 0; for i = 1, 45000 do x = x + i end"), "90,000 instructions fit in 100,000");
    yj_script_free(s);
}

/* ---- coroutines ---- */

static void test_coroutines(void) {
    yj_script *s = yj_script_new();
    CHECK(run_ok(s, "local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)\n"
                    "local t = {}\nfor v in gen do t[#t + 1] = {v = v} end\npublish('t', {'v'}, t)")
          && nrows(s, "t") == 3, "#11 coroutine.wrap as a generator");
    /* Lua tells nothing of a thread's countdown: what a coroutine ran since its last hook
     * went uncounted, 800 instructions a coroutine here (160 million in all), while the
     * loop around them counts some 1.4 million. */
    yj_script_set_limits(s, 20000000, 0, 0);
    CHECK(run_fails(s, "for i = 1, 2e5 do coroutine.wrap(function() local x = 0; for j = 1, 400 do x = x + j end end)() end",
                    "script exceeded its instruction budget (20000000)"),
          "#11 200,000 short coroutines, each under the hook's step, are counted");
    CHECK(run_fails(s, "for i = 1, 2e5 do local co = coroutine.create(function() for j = 1, 400 do end end)\n"
                       "  coroutine.resume(co) end", "script exceeded its instruction budget (20000000)"),
          "#11 the same with coroutine.resume");
    /* A coroutine resuming the main thread (which fails) restarted the main thread's
     * countdown, charging a coroutine's step for a main thread's: some 83 million
     * instructions ran (about 830 a round), 60 million were charged. */
    yj_script_set_limits(s, 70000000, 0, 0);
    CHECK(run_fails(s, "local main = coroutine.running()\n"
                       "local co = coroutine.wrap(function() while true do coroutine.resume(main); coroutine.yield() end end)\n"
                       "for i = 1, 1e5 do for j = 1, 400 do end; co() end", "script exceeded its instruction budget (70000000)"),
          "#11 resetting the main thread's countdown from a coroutine loses nothing");
    yj_script_set_limits(s, 20000000, 0, 0);
    CHECK(run_ok(s, "local n = 0\nfor i = 1, 2e4 do n = n + coroutine.wrap(function() return 1 end)() end\n"
                    "assert(n == 2e4)"), "20,000 tiny coroutines fit in that budget");
    yj_script_set_limits(s, 1000000, 0, 0);
    static const struct { const char *src, *what; } runaway[] = {
        {"coroutine.wrap(function() while true do end end)()", "a loop inside coroutine.wrap"},
        {"local co = coroutine.create(function() while true do coroutine.yield() end end)\n"
         "while true do coroutine.resume(co) end", "a resume loop"},
        {"print(pcall(coroutine.wrap(function() while true do end end)))\npublish('escaped', {'x'}, {})",
         "pcall around coroutine.wrap"},
        {"local co = coroutine.create(function() while true do end end)\n"
         "local ok, e = coroutine.resume(co)\npublish('escaped', {'x'}, {{x = e}})",
         "coroutine.resume returning false"},
        {"local co = coroutine.create(function() pcall(function() while true do end end) while true do end end)\n"
         "coroutine.resume(co)\nwhile true do end", "pcall inside the coroutine"},
        {"local function deep(n) if n == 0 then while true do end end\n"
         "  return coroutine.wrap(function() return deep(n - 1) end)() end\npcall(deep, 50)",
         "fifty nested coroutines"},
        {"local co = coroutine.wrap(function() while true do for j = 1, 400 do end; coroutine.yield() end end)\n"
         "for i = 1, 1e6 do co() end", "one coroutine yielding after short bursts"},
        {"local co = coroutine.create(function()\n"
         "  local c <close> = setmetatable({}, {__close = function() while true do end end})\n"
         "  while true do end end)\n"
         "pcall(coroutine.resume, co)\nprint(pcall(coroutine.close, co))", "coroutine.close after the budget"},
        {"local co = coroutine.wrap(function()\n"
         "  local c <close> = setmetatable({}, {__close = function() while true do end end})\n"
         "  while true do end end)\nprint(pcall(co))", "a wrapped coroutine's __close after the budget"},
    };
    for (size_t i = 0; i < sizeof runaway / sizeof runaway[0]; i++)
        CHECK(run_fails(s, runaway[i].src, "script exceeded its instruction budget (1000000)"),
              "#11 %s is stopped with the budget message", runaway[i].what);
    yj_script_set_limits(s, YJ_DEFAULT_MAX_INSTRUCTIONS, 8 << 20, 0);
    CHECK(run_fails(s, "local co = coroutine.wrap(function() local t = {} for i = 1, 1e8 do t[i] = i end end)\n"
                       "print(pcall(co))\npublish('escaped', {'x'}, {})", "script exceeded its memory limit (8 MB)"),
          "#11 the memory cap inside a coroutine, not caught by pcall");
    yj_script_free(s);
}

int main(void) {
    test_publish_sizes();
    test_publish_reentry();
    test_publish_atomic();
    test_integer_ranges();
    test_metatables();
    test_small_budgets();
    test_coroutines();
    return check_failures() != 0;
}
