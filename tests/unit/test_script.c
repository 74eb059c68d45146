/* test_script.c — the C API of the script runtime (core/script.h): running from memory
 * sources, re-running what was loaded, result serialisation, errors, limits, the
 * allocator's accounting and the output policy. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "chart_lua.h"
#include "db.h"
#include "script_int.h"

static const char main_lua[] =
    "local h = require 'helper'\n"
    "publish('t', {'name', 'x', 'y', 'flag', 'day'}, {\n"
    "  {name = '甲镇', x = h.double(21), y = 0.1, flag = true, day = ctx.as_of},\n"
    "  {name = 'a,\"b\"', x = ctx.params.n, y = nil, flag = false},\n"
    "})\n";
static const char helper_lua[] = "return {double = function(v) return v * 2 end}\n";

static int run_mem(yj_script *s, const char *main_text) {
    yj_source src[] = {
        {NULL, "main.lua", main_text, strlen(main_text)},
        {"helper", "lib/helper.lua", helper_lua, sizeof helper_lua - 1},
    };
    yj_script_set_sources(s, src, 2);
    return yj_script_run(s, "main.lua");
}

static void test_numbers(void) {
    char b[32];
    CHECK_STR(yj_format_number(0.1, b), "0.1", "0.1 prints as 0.1");
    CHECK_STR(yj_format_number(1.0 / 3, b), "0.3333333333333333", "1/3 shortest round trip");
    CHECK_STR(yj_format_number(3.0, b), "3", "integral float without .0");
    CHECK_STR(yj_format_number(-66.7, b), "-66.7", "negative decimal");
    CHECK_STR(yj_format_number(-0.0, b), "0", "negative zero");
    CHECK_STR(yj_format_number(1e20, b), "1e+20", "large float");
    CHECK_STR(yj_format_number(0.1 + 0.2, b), "0.30000000000000004", "0.1 + 0.2 exactly");
}

static void test_alloc(void) {
    yj_run run;
    memset(&run, 0, sizeof run);
    run.mem_max = 10000;
    /* ptr == NULL: osize is a type tag (LUA_TTABLE = 5), not a size to subtract. Blocks
     * over 256 bytes: malloc's, counted by their sizes in every build. */
    void *p = yj_alloc(&run, NULL, LUA_TTABLE, 1000);
    CHECK(p && run.mem_used == 1000, "a new block counts its size only (used %zu)", run.mem_used);
    p = yj_alloc(&run, p, 1000, 3000);
    CHECK(p && run.mem_used == 3000, "growing counts the difference");
    void *q = yj_alloc(&run, NULL, LUA_TSTRING, 8000);
    CHECK(q == NULL && run.mem_used == 3000, "growth past the cap is refused");
    p = yj_alloc(&run, p, 3000, 500);
    CHECK(p && run.mem_used == 500, "shrinking is counted");
    CHECK(yj_alloc(&run, p, 500, 0) == NULL && run.mem_used == 0, "freeing returns to zero");
    CHECK(run.mem_peak == 3000, "the peak is kept");
    yj_alloc_release(&run);
}

/* The pool under yj_alloc (script_pool.c): contents survive every resize (within a class,
 * across classes, small to large and back), a freed small block is handed out again for
 * its class, the cap counts the small blocks carved (a freed one stays charged, so one
 * class after another cannot hold more than the cap) and the larger ones by Lua's
 * sizes, and the release returns every chunk. */
static void test_alloc_pool(void) {
    yj_run run;
    memset(&run, 0, sizeof run);
    run.mem_max = 1 << 24;
    unsigned char *p = yj_alloc(&run, NULL, LUA_TSTRING, 20);
    for (int i = 0; i < 20; i++) p[i] = (unsigned char)i;
    unsigned char *q = yj_alloc(&run, p, 20, 30);                 /* the same 32-byte class */
    CHECK(q && (!yj_pool_on() || q == p), "a resize within its class keeps the block");
    q = yj_alloc(&run, q, 30, 200);                               /* another class */
    q = yj_alloc(&run, q, 200, 5000);                             /* to malloc */
    q = yj_alloc(&run, q, 5000, 9000);                            /* malloc to malloc */
    q = yj_alloc(&run, q, 9000, 17);                              /* back into a class */
    int same = q != NULL;
    for (int i = 0; i < 17 && same; i++) same = q[i] == i;
    /* carved: a 32-byte block (20, 30, then 17 again after it was freed) and a 208-byte one */
    CHECK(same && run.mem_used == (yj_pool_on() ? 240u : 17u), "contents kept through every resize (used %zu)",
          run.mem_used);
    yj_alloc(&run, q, 17, 0);
    void *r = yj_alloc(&run, NULL, LUA_TTABLE, 25);
    CHECK(r && (!yj_pool_on() || r == (void *)q), "a freed block is handed out again for its class");
    yj_alloc(&run, r, 25, 0);
    enum { N = 20000 };
    static void *many[N];
    int all = 1;
    for (int i = 0; i < N; i++) all &= (many[i] = yj_alloc(&run, NULL, LUA_TTABLE, 1 + (size_t)i % 256)) != NULL;
    for (int i = 0; i < N; i++) memset(many[i], 0xA5, 1 + (size_t)i % 256);
    for (int i = 0; i < N; i++) yj_alloc(&run, many[i], 1 + (size_t)i % 256, 0);
    CHECK(all && run.mem_used == (yj_pool_on() ? run.pool.reserved : 0) && run.mem_peak >= (size_t)N * 128,
          "%d blocks over several chunks, all counted and freed (peak %zu)", N, run.mem_peak);
    size_t charged = run.mem_used, sizes = 0;
    for (int i = 0; i < N; i++) {
        many[i] = yj_alloc(&run, NULL, LUA_TTABLE, 1 + (size_t)i % 256);
        sizes += 1 + (size_t)i % 256;
    }
    CHECK(run.mem_used == (yj_pool_on() ? charged : sizes),
          "the same blocks again: taken from their classes, charged nothing more (without the pool: their sizes)");
    for (int i = 0; i < N; i++) yj_alloc(&run, many[i], 1 + (size_t)i % 256, 0);
    if (yj_pool_on()) {               /* fill the cap in one class, free it, then another */
        yj_run r2;
        memset(&r2, 0, sizeof r2);
        r2.mem_max = 1 << 20;
        int n48 = 0, n64 = 0;
        while (yj_alloc(&r2, NULL, LUA_TSTRING, 48) && n48 < 1 << 20) n48++;
        CHECK(n48 > 0 && r2.mem_used <= r2.mem_max, "one class fills the cap (%d blocks)", n48);
        /* (live or freed, the 48-byte blocks stay charged: freed, they stay in their class) */
        while (yj_alloc(&r2, NULL, LUA_TSTRING, 64) && n64 < 1 << 20) n64++;
        CHECK(n64 == 0, "a class of another size gets nothing past the cap (%d blocks)", n64);
        yj_alloc_release(&r2);
    }
    CHECK(!yj_pool_on() || run.pool.chunks != NULL, "the chunks are kept until the release");
    yj_alloc_release(&run);
    CHECK(run.pool.chunks == NULL && run.pool.cur == NULL, "the release returns every chunk");
    void *after = yj_alloc(&run, NULL, LUA_TTABLE, 40);
    CHECK(after != NULL, "and the allocator works on after it");
    yj_alloc(&run, after, 40, 0);
    yj_alloc_release(&run);
}

static void test_run_and_refreeze(void) {
    yj_script *s = yj_script_new();
    yj_script_set_as_of(s, "2020-06-30");
    yj_script_set_param(s, "n", "2020");
    CHECK(run_mem(s, main_lua) == YJ_SCRIPT_OK, "runs from memory sources: %s",
          yj_script_error(s) ? yj_script_error(s) : "ok");
    char *json = NULL;
    yj_results_to_string(yj_script_results(s), YJ_FORMAT_JSON, &json, NULL);
    CHECK_STR(json,
        "{\n\"t\": [\n"
        "  {\"name\": \"甲镇\", \"x\": 42, \"y\": 0.1, \"flag\": true, \"day\": \"2020-06-30\"},\n"
        "  {\"name\": \"a,\\\"b\\\"\", \"x\": 2020, \"y\": null, \"flag\": false, \"day\": null}\n"
        "]\n}\n", "JSON: one object, typed values, column order");
    char *csv = NULL;
    yj_results_to_string(yj_script_results(s), YJ_FORMAT_CSV, &csv, NULL);
    CHECK_STR(csv, "# t\nname,x,y,flag,day\n甲镇,42,0.1,true,2020-06-30\n\"a,\"\"b\"\"\",2020,,false,\n",
              "CSV: # NAME, header, quoting, empty null");
    char *text = NULL;
    yj_results_to_string(yj_script_results(s), YJ_FORMAT_TEXT, &text, NULL);
    CHECK_STR(text,
        "t\n"
        "name   x     y    flag   day\n"
        "-----  ----  ---  -----  ----------\n"
        "甲镇     42  0.1  true   2020-06-30\n"
        "a,\"b\"  2020       false\n",
        "text: aligned, CJK double width, numbers right");

    size_t n = 0;
    const yj_source *f = yj_script_loaded_files(s, &n);
    CHECK(n == 2, "two files loaded (got %zu)", n);
    CHECK(n == 2 && f[0].name == NULL && !strcmp(f[0].path, "main.lua") &&
          f[0].len == strlen(main_lua) && !memcmp(f[0].text, main_lua, f[0].len),
          "the main script first, with its exact text");
    CHECK(n == 2 && f[1].name && !strcmp(f[1].name, "helper") &&
          !strcmp(f[1].path, "lib/helper.lua"), "then the module, with its name and path");

    /* Freeze: a new handle fed with the loaded files gives the same bytes. */
    yj_script *again = yj_script_new();
    yj_script_set_as_of(again, "2020-06-30");
    yj_script_set_param(again, "n", "2020");
    yj_script_set_sources(again, f, n);
    CHECK(yj_script_run(again, "main.lua") == YJ_SCRIPT_OK, "re-runs from the loaded files");
    char *json2 = NULL;
    yj_results_to_string(yj_script_results(again), YJ_FORMAT_JSON, &json2, NULL);
    CHECK_STR(json2, json, "the re-run gives the same JSON");
    /* The same handle, fed its own loaded files (they are copied before the run frees them). */
    f = yj_script_loaded_files(s, &n);
    yj_script_set_sources(s, f, n);
    CHECK(yj_script_run(s, "main.lua") == YJ_SCRIPT_OK, "re-runs from its own loaded files");
    char *json3 = NULL;
    yj_results_to_string(yj_script_results(s), YJ_FORMAT_JSON, &json3, NULL);
    CHECK_STR(json3, json, "and gives the same JSON again");
    free(json3);
    free(json); free(json2); free(csv); free(text);
    yj_script_free(again);
    yj_script_free(s);
}

static void test_json_utf8(void) {
    yj_script *s = yj_script_new();
    CHECK(run_mem(s, "publish('t', {'a'}, {{a = '\\237\\160\\128'}, {a = '\\224\\128\\175'},"
                     " {a = '\\244\\144\\128\\128'}, {a = 'ok \\240\\159\\152\\128'}})") == YJ_SCRIPT_OK,
          "strings that are not UTF-8 can be published");
    char *json = NULL;
    yj_results_to_string(yj_script_results(s), YJ_FORMAT_JSON, &json, NULL);
    CHECK_STR(json, "{\n\"t\": [\n"
              "  {\"a\": \"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"},\n"
              "  {\"a\": \"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"},\n"
              "  {\"a\": \"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"},\n"
              "  {\"a\": \"ok \xF0\x9F\x98\x80\"}\n]\n}\n",
              "JSON: a surrogate, an overlong form and a code point past U+10FFFF become U+FFFD");
    free(json);
    yj_script_free(s);
}

static void test_errors_and_limits(void) {
    yj_script *s = yj_script_new();
    CHECK(yj_script_set_as_of(s, "2020-02-30") == YJ_SCRIPT_EUSAGE, "2020-02-30 is refused");
    CHECK(yj_script_set_param(s, "1x", "v") == YJ_SCRIPT_EUSAGE, "a bad parameter name is refused");
    CHECK(run_mem(s, "local a = 1\nerror('boom')\n") == YJ_SCRIPT_ERROR, "an error fails the run");
    const char *e = yj_script_error(s);
    CHECK(e && !strncmp(e, "main.lua:2: boom", 16), "the error names file and line (%s)", e ? e : "");
    CHECK(e && strstr(e, "stack traceback:"), "with a traceback");
    CHECK(yj_script_results(s) == NULL, "no results after a failure");
    yj_script_set_limits(s, 100000, 0, 0);
    CHECK(run_mem(s, "while true do end\n") == YJ_SCRIPT_ERROR, "a loop is stopped");
    e = yj_script_error(s);
    CHECK(e && strstr(e, "script exceeded its instruction budget (100000)"), "budget message (%s)", e ? e : "");
    yj_script_set_limits(s, YJ_DEFAULT_MAX_INSTRUCTIONS, 4 << 20, 0);
    CHECK(run_mem(s, "local t = {} for i = 1, 1e8 do t[i] = i end\n") == YJ_SCRIPT_ERROR, "a memory bomb is stopped");
    e = yj_script_error(s);
    CHECK(e && strstr(e, "script exceeded its memory limit (4 MB)"), "memory message (%s)", e ? e : "");
    yj_script_free(s);
}

static void test_db_hooks_removed(void) {
    sqlite3 *db;
    char *err = NULL;
    CHECK(db_open(":memory:", DB_READWRITE | DB_CREATE, &db, &err) == 0, "a database");
    yj_script *s = yj_script_new();
    yj_script_set_db(s, db);
    CHECK(run_mem(s, "sql.query('DELETE FROM sectors')") == YJ_SCRIPT_ERROR, "a write is refused during the run");
    CHECK(run_mem(s, "publish('n', {'n'}, {{n = sql.value('SELECT count(*) FROM sectors WHERE code = ?', 'road')}})")
          == YJ_SCRIPT_OK, "a read works");
    CHECK(yj_results_cell(yj_script_results(s), 0, 0, 0).u.i == 1, "and gives its value");
    CHECK(sqlite3_exec(db, "DELETE FROM sectors WHERE code = 'other'", NULL, NULL, NULL) == SQLITE_OK,
          "the authorizer is removed after the run");
    /* Issue 10 items 7, 9: the limits of a run are put back afterwards; fts3_tokenizer
     * stays off. */
    int before[4] = {sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1), sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, -1),
                     sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, -1), sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, -1)};
    CHECK(run_mem(s, "publish('n', {'n'}, {{n = #sql.value('SELECT printf(?, 3, ?)', '%.*c', 'x')}})") == YJ_SCRIPT_OK,
          "printf during the run");
    CHECK(yj_results_cell(yj_script_results(s), 0, 0, 0).u.i == 3, "gives SQLite's value");
    CHECK(run_mem(s, "sql.value('SELECT 1 WHERE 1 IN (' .. string.rep('1,', 6e5) .. '2)')") == YJ_SCRIPT_ERROR,
          "SQL text is capped during the run");
    CHECK(strstr(yj_script_error(s), "SQL text limit (1048576 bytes)") != NULL, "named (%s)", yj_script_error(s));
    int after[4] = {sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1), sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, -1),
                    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, -1), sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, -1)};
    CHECK(!memcmp(before, after, sizeof before), "the SQLite limits are restored after the run");
    CHECK(sqlite3_exec(db, "SELECT fts3_tokenizer('simple', x'0000000000000000')", NULL, NULL, NULL) != SQLITE_OK,
          "fts3_tokenizer's two-argument form stays off after the run");
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, "SELECT printf('%.*c', 2, 'y')", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW
          && !strcmp((const char *)sqlite3_column_text(st, 0), "yy"), "printf still works on the connection after the run");
    sqlite3_finalize(st);
    yj_script_free(s);
    sqlite3_close(db);
}

/* Regression (concurrent_run): a run reads one state of the database. poke() commits a
 * write through a second connection between two queries of the same script. */
static sqlite3 *writer;
static int poke(lua_State *L) {
    (void)L;
    sqlite3_exec(writer, "INSERT INTO imports(dataset, file, sha256, encoding, imported_at)"
                         " VALUES ('units', 'x.csv', '', 'utf-8', '2020-01-01')", NULL, NULL, NULL);
    return 0;
}
static void add_poke(lua_State *L, void *ud) {
    (void)ud;
    lua_register(L, "poke", poke);
}

static void test_one_snapshot(void) {
    char path[] = "/tmp/yj_test_snapshot_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    sqlite3 *db;
    char *err = NULL;
    CHECK(db_open(path, DB_READWRITE | DB_CREATE, &db, &err) == 0 &&
          db_open(path, DB_READWRITE, &writer, &err) == 0, "a WAL database and a second writer");
    yj_script *s = yj_script_new();
    yj_script_set_db(s, db);
    s->extend = add_poke;
    const char *q = "SELECT count(*) FROM imports";
    char text[400];
    snprintf(text, sizeof text, "local a = sql.value('%s'); poke(); local b = sql.value('%s')\n"
             "publish('n', {'a', 'b'}, {{a = a, b = b}})", q, q);
    CHECK(run_mem(s, text) == YJ_SCRIPT_OK, "the script runs (%s)", yj_script_error(s) ? yj_script_error(s) : "");
    const yj_results *r = yj_script_results(s);
    CHECK(r && yj_results_cell(r, 0, 0, 0).u.i == 0 && yj_results_cell(r, 0, 0, 1).u.i == 0,
          "a commit during the run is not seen by its later queries");
    CHECK(sqlite3_get_autocommit(db), "the read transaction ends with the run");
    yj_script_free(s);
    sqlite3_close(writer);
    sqlite3_close(db);
    char aux[300];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path); unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path); unlink(aux);
}

/* The output policy, asked from inside a run the way the chart library asks. */
static int allowed[6];
static void ask_policy(lua_State *L, void *ud) {
    char why[256];
    (void)ud;
    allowed[0] = yj_output_allowed(L, "out/brief.pdf", why, sizeof why);
    allowed[1] = yj_output_allowed(L, "charts/a.png", why, sizeof why);
    allowed[2] = yj_output_allowed(L, "charts/../evil.pdf", why, sizeof why);
    allowed[3] = yj_output_allowed(L, "elsewhere.pdf", why, sizeof why);
    allowed[4] = yj_output_allowed(L, "charts/planted.png", why, sizeof why);
    allowed[5] = yj_output_allowed(L, "charts/inside.png", why, sizeof why);
}

static void test_output_policy(void) {
    char dir[] = "/tmp/yj_test_script_XXXXXX";
    char cwd[4096];
    if (!mkdtemp(dir) || !getcwd(cwd, sizeof cwd) || chdir(dir) != 0) {
        CHECK(0, "temporary folder");
        return;
    }
    mkdir("out", 0700);
    mkdir("charts", 0700);
    FILE *touch = fopen("charts/a.png", "w");
    if (touch) fclose(touch);
    CHECK(symlink("../elsewhere.pdf", "charts/planted.png") == 0 &&
          symlink("a.png", "charts/inside.png") == 0, "symlinks planted");
    yj_script *s = yj_script_new();
    yj_script_set_output(s, "out/brief.pdf");
    yj_script_set_param(s, "charts_dir", "charts");
    s->extend = ask_policy;
    run_mem(s, "");
    /* issue 11.3: the command allows the folder; the runtime reads no parameter */
    CHECK(allowed[0] == 1 && allowed[1] == 0,
          "the parameter charts_dir alone allows nothing inside it (the command decides)");
    CHECK(yj_script_set_output_dir(s, "charts_dir", "charts") == 0, "output folder set");
    run_mem(s, "");
    CHECK(allowed[0] == 1, "the -o path may be written");
    CHECK(allowed[1] == 1, "a file inside charts_dir may be written");
    CHECK(allowed[2] == 0, "charts_dir/../x may not");
    CHECK(allowed[3] == 0, "another file may not");
    CHECK(allowed[4] == 0, "a symlink in charts_dir pointing outside may not");
    CHECK(allowed[5] == 1, "a symlink in charts_dir pointing inside may");
    unlink("charts/planted.png");
    unlink("charts/inside.png");
    unlink("charts/a.png");
    yj_script_free(s);
    rmdir("out");
    rmdir("charts");
    if (chdir(cwd) != 0) CHECK(0, "back to the old folder");
    rmdir(dir);
}

/* A script and the message its run must fail with. */
typedef struct { const char *lua, *msg; } script_error;

/* Each of the n scripts fails (YJ_SCRIPT_ERROR) with an error containing its message. */
static void expect_errors(yj_script *s, const script_error *bad, size_t n) {
    for (size_t i = 0; i < n; i++) {
        CHECK(run_mem(s, bad[i].lua) == YJ_SCRIPT_ERROR && yj_script_error(s) &&
              strstr(yj_script_error(s), bad[i].msg), "%s", bad[i].msg);
        if (yj_script_error(s) && !strstr(yj_script_error(s), bad[i].msg))
            fprintf(stderr, "  got: %s\n", yj_script_error(s));
    }
}

/* publish's 4th argument: titles and formats per column, checked; the writers use them
 * on request (issue 14). */
static void test_publish_titles(void) {
    yj_script *s = yj_script_new();
    CHECK(run_mem(s, "publish('t', {'unit', 'score', 'pct'}, {{unit = 'T01', score = 9.5, pct = 12.5}},\n"
                     "  {titles = {unit = '单位', score = '得分'}, formats = {pct = 'pct', score = 'score'}})\n"
                     "publish('u', {'a'}, {{a = 1}})") == YJ_SCRIPT_OK, "publish with titles and formats");
    const yj_results *r = yj_script_results(s);
    CHECK_STR(yj_results_title(r, 0, 0), "单位", "the title of unit");
    CHECK_STR(yj_results_title(r, 0, 1), "得分", "the title of score");
    CHECK(yj_results_title(r, 0, 2) == NULL, "a column without a title has none");
    CHECK(yj_results_title(r, 1, 0) == NULL, "a table published without options has no titles");
    CHECK(yj_results_kind(r, 0, 2) == YJ_COL_PCT && yj_results_kind(r, 0, 1) == YJ_COL_SCORE &&
          yj_results_kind(r, 0, 0) == YJ_COL_AUTO, "the formats as given, auto where not");
    char *csv = NULL;
    yj_results_to_string(r, YJ_FORMAT_CSV, &csv, NULL);
    CHECK_STR(csv, "# t\nunit,score,pct\nT01,9.5,12.5\n# u\na\n1\n", "CSV keeps the names by default");
    free(csv);
    const char *only[] = {"u"};
    yj_write_opts o = {1, 1, only, 1, NULL, NULL};
    CHECK(yj_write_opts_selects(&o, "u") && !yj_write_opts_selects(&o, "t"), "the table list selects");
    CHECK(yj_write_opts_selects(NULL, "t"), "no options select every table");
    static const script_error bad[] = {
        {"publish('t', {'a'}, {}, {titles = {b = 'B'}})", "options.titles names 'b', which is not one of its columns"},
        {"publish('t', {'a'}, {}, {titles = {a = 1}})", "options.titles.a must be a string"},
        {"publish('t', {'a'}, {}, {titles = {a = ''}})", "the title of 'a' is empty"},
        {"publish('t', {'a'}, {}, {titles = {'A'}})", "must be keyed by column name, not by a number"},
        {"publish('t', {'a'}, {}, {formats = {a = 'money'}})", "options.formats.a is 'money'"},
        {"publish('t', {'a'}, {}, {title = {a = 'A'}})", "unknown option title"},
        {"publish('t', {'a'}, {}, {titles = 'A'})", "options.titles must be a table"},
        {"publish('t', {'a'}, {}, 'x')", "bad argument #4"},
    };
    expect_errors(s, bad, sizeof bad / sizeof bad[0]);
    /* A failed publish leaves its name free: the same name publishes afterwards. */
    CHECK(run_mem(s, "pcall(publish, 't', {'a'}, {}, {titles = {b = 'B'}})\n"
                     "publish('t', {'a'}, {{a = 1}}, {titles = {a = 'A'}})") == YJ_SCRIPT_OK &&
          yj_results_count(yj_script_results(s)) == 1 &&
          !strcmp(yj_results_title(yj_script_results(s), 0, 0), "A"),
          "a publish failing on its options publishes nothing");
    yj_script_free(s);
}

/* publish's `arrays` option: rows as arrays in column order give the same table as rows
 * keyed by column (holes are nil; values past the columns are ignored), and it is checked. */
static void test_publish_arrays(void) {
    yj_script *s = yj_script_new();
    CHECK(run_mem(s, "publish('k', {'a', 'b', 'c'}, {{a = 1, b = 'x', c = true}, {a = 2, c = false}, {a = 3, b = 'z'}})\n"
                     "publish('p', {'a', 'b', 'c'}, {{1, 'x', true}, {2, nil, false}, {3, 'z', nil, 'extra'}},\n"
                     "  {arrays = true, titles = {a = 'A'}})\n"
                     "publish('f', {'a'}, {{a = 7}}, {arrays = false})") == YJ_SCRIPT_OK, "publish with arrays");
    const yj_results *r = yj_script_results(s);
    CHECK(yj_results_count(r) == 3, "three tables");
    char *csv = NULL;
    yj_results_to_string(r, YJ_FORMAT_CSV, &csv, NULL);
    CHECK_STR(csv, "# k\na,b,c\n1,x,true\n2,,false\n3,z,\n# p\na,b,c\n1,x,true\n2,,false\n3,z,\n# f\na\n7\n",
              "array rows print as the keyed rows do; arrays = false keys them");
    free(csv);
    CHECK_STR(yj_results_title(r, 1, 0), "A", "the other options still apply");
    static const script_error bad[] = {
        {"publish('t', {'a'}, {{1}}, {arrays = 1})", "options.arrays must be true or false"},
        {"publish('t', {'a'}, {{1}}, {arrays = 'yes'})", "options.arrays must be true or false"},
        {"publish('t', {'a'}, {{{}}}, {arrays = true})", "a table cannot be published"},
        {"publish('t', {'a'}, {1}, {arrays = true})", "row 1 is a number, not a table"},
        {"publish('t', {'a'}, {}, {array = true})", "unknown option array (titles, formats and arrays are known)"},
    };
    expect_errors(s, bad, sizeof bad / sizeof bad[0]);
    yj_script_free(s);
}

/* Busy-waits until the precise clock has moved on by ms. */
static void spin_ms(double ms) {
    double t0 = yj_now_ms();
    while (yj_now_ms() - t0 < ms) { }
}

/* The SQL deadline inside one statement (yj_sql_progress): the coarse clock only lets a
 * call skip the precise one while far from the deadline, so the handler stops a statement
 * as soon as the precise time is up, and never before. */
static void test_sql_progress(void) {
    yj_run run;
    memset(&run, 0, sizeof run);
    run.sql_max_ms = 1000;
    CHECK(yj_sql_progress(&run) == 0, "outside SQLite the handler stops nothing");
    CHECK(yj_sql_enter(&run) == 0, "entering with time left");
    int stopped = 0;
    for (int i = 0; i < 1000; i++) stopped |= yj_sql_progress(&run);
    CHECK(!stopped && !run.tripped, "far from the deadline: not stopped, in 1000 calls");
    yj_sql_leave(&run);

    /* 0.5 ms left: past it, the very next call stops the statement (no coarse tick awaited) */
    run.sql_used_ms = run.sql_max_ms - 0.5;
    CHECK(yj_sql_enter(&run) == 0, "entering with 0.5 ms left");
    CHECK(yj_sql_progress(&run) == 0, "not stopped before the time is up");
    spin_ms(1);
    CHECK(yj_sql_progress(&run) == 1 && run.tripped == YJ_TRIP_SQL, "stopped on the first call after the time is up");
    CHECK(yj_sql_progress(&run) == 1, "and stays stopped");

    /* 30 ms left, several coarse ticks: the coarse gate lets the precise clock decide in
     * time. The coarse clock may lag more than its tick where the machine's timekeeping
     * is late (a virtual machine's idle or preempted CPU: seen here, a call 31 ms after
     * the start let through), so what is promised is the precise clock's word within 64
     * calls, not on the first one. */
    memset(&run, 0, sizeof run);
    run.sql_max_ms = 30;
    CHECK(yj_sql_enter(&run) == 0, "entering with 30 ms left");
    spin_ms(31);
    int calls = 0;
    while (calls < 64 && !yj_sql_progress(&run)) calls++;
    CHECK(calls < 64 && run.tripped == YJ_TRIP_SQL,
          "stopped within 64 calls after 30 ms (after %d; used %.1f ms)", calls + 1,
          yj_now_ms() - run.sql_step_start);
}

int main(void) {
    test_numbers();
    test_publish_titles();
    test_publish_arrays();
    test_alloc();
    test_alloc_pool();
    test_run_and_refreeze();
    test_errors_and_limits();
    test_sql_progress();
    test_json_utf8();
    test_db_hooks_removed();
    test_output_policy();
    test_one_snapshot();
    return check_failures() != 0;
}
