/* fuzz_lua.c — libFuzzer harness for the Lua sandbox: generated scripts run against the
 * runtime (yj_script_run) over a read-only in-memory copy of a small database.
 *
 * Input: when byte 0 has its top bit set, the rest is the Lua source as is (seeded from
 * scripts/ and tests/lua/); otherwise the bytes drive a generator that strings together
 * calls of the project's API (sql, date, period, publish, require, load, ctx, string and
 * table functions, metatables, pcall, coroutines, the chart library and a document's
 * methods) with hostile arguments: NUL bytes, huge and negative numbers, NaN, deep
 * nesting, functions where strings are expected, and tables whose metamethods (__index,
 * __newindex, __len, __pairs, __eq, __lt, __le, __close, __tostring, __concat, __call)
 * re-enter the API (publish, sql, the document's close, collectgarbage, yield), raise
 * errors, or return huge, negative, NaN or wrong-typed values (the prelude's H[1..12]).
 * Every script runs under small limits (10^6 instructions, 16 MB, 300 ms of SQL).
 * Properties checked beyond the sanitizers (any violation aborts):
 * - the run returns OK or ERROR (exit status 0 or 4), never anything else;
 * - an error has a message; a success has results, and every writer renders them;
 * - the database is never changed (sqlite3_total_changes stays 0). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "imp_columns.h"
#include "imp_encoding.h"
#include "imp_import.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_lua: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

static sqlite3 *db;

/* ---- the generator ---- */

typedef struct { const uint8_t *p; size_t n; char *out; size_t len, cap; } gen;

static unsigned pick(gen *g, unsigned n) {
    if (!g->n) return 0;
    g->n--;
    return *g->p++ % n;
}

static void emit(gen *g, const char *s) {
    size_t n = strlen(s);
    if (g->len + n + 1 > g->cap) {
        g->cap = (g->len + n + 1) * 2;
        g->out = realloc(g->out, g->cap);
        REQUIRE(g->out != NULL);
    }
    memcpy(g->out + g->len, s, n + 1);
    g->len += n;
}

static const char *const values[] = {
    "nil", "true", "false", "0", "-1", "1", "2^31", "-2^63", "math.maxinteger", "math.mininteger",
    "0/0", "math.huge", "-math.huge", "1e308", "3.5", "\"\"", "\"x\"", "\"\\0\"", "\"2020-02-29\"",
    "\"2020-02-30\"", "\"2019-02-29\"", "\"2020-12-31\"", "\"1900-01-01\"", "\"9999-99-99\"",
    "\"T01\"", "\"S01\"", "\"road\"", "\"一般\"", "\"\\xff\\xfe\"", "\"\\xED\\xA0\\x80\"",
    "string.rep(\"ab\", 1000)", "{}", "{1, 2, 3}", "{a = 1}", "{{}}", "print", "function() end",
    "ctx", "ctx.as_of", "ctx.params", "d", "p", "rows", "t", "setmetatable({}, {__index = function() return 1 end})",
    "setmetatable({}, {__len = function() return 1e9 end})", "coroutine.create(function() end)",
    "\"SELECT 1\"", "\"SELECT * FROM units\"", "\"SELECT count(*) AS n FROM accidents\"",
    "\"SELECT ?\"", "\"SELECT :a\"", "\"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c\"",
    "\"DELETE FROM units\"", "\"PRAGMA user_version = 2\"", "\"ATTACH ':memory:' AS m\"",
    "\"SELECT load_extension('x')\"", "\"a.b\"", "\"lib.periods\"", "\"../x\"",
    "H[1]", "H[2]", "H[3]", "H[4]", "H[5]", "H[6]", "H[7]", "H[8]", "H[9]", "H[10]", "H[11]",
    "H[12]", "{H[1], H[6]}", "{H[8], H[8]}", "{x = H[1], y = H[5]}", "doc", "chart",
    "{\"x\", \"y\"}", "{{x = 1, y = \"a\"}, {x = d, y = true}}", "coroutine.running()",
    "{kind = \"bar\", categories = H[7], series = {{name = \"s\", values = H[3]}}}",
    "{kind = \"line\", categories = {\"a\"}, series = H[6]}", "{columns = H[7], rows = H[6]}",
    "{title = H[5], date = H[1]}",
};
#define NVALUES (sizeof values / sizeof values[0])

static void value(gen *g, int depth);

static void args(gen *g, int depth) {
    unsigned n = pick(g, 4);
    emit(g, "(");
    for (unsigned i = 0; i < n; i++) { if (i) emit(g, ", "); value(g, depth + 1); }
    emit(g, ")");
}

static const char *const calls[] = {
    "sql.query", "sql.rows", "sql.one", "sql.value", "date.parse", "date.ymd", "date.is_leap",
    "date.days_in_month", "date.days_between", "period.ytd", "period.month", "period.quarter",
    "period.half", "period.year", "period.between", "period.elapsed_share", "publish", "require",
    "load", "tostring", "tonumber", "string.format", "string.rep", "string.sub", "string.byte",
    "string.char", "table.concat", "table.insert", "table.unpack", "table.sort", "select",
    "pcall", "error", "assert", "type", "next", "pairs", "ipairs", "rawget", "rawset", "rawlen",
    "setmetatable", "getmetatable", "coroutine.wrap", "math.floor", "utf8.char", "utf8.len",
    "coroutine.create", "coroutine.resume", "coroutine.close", "coroutine.status",
    "coroutine.isyieldable", "coroutine.running", "coroutine.yield", "collectgarbage", "print",
    "xpcall", "date.months_between", "date.is_date", "debug.traceback", "os.date", "os.time",
    "chart.document", "chart.save", "rawequal", "string.len", "table.remove", "math.type",
};
#define NCALLS (sizeof calls / sizeof calls[0])

static const char *const methods[] = {
    ":iso", ":add_days", ":add_months", ":day_of_year", ":last_year", ":previous", ":days",
    ":contains", ":label", ":months", ":title_block", ":chart", ":table", ":tiles",
    ":paragraph", ":section", ":subsection", ":page_break", ":save", ":close",
};

static void value(gen *g, int depth) {
    unsigned k = depth > 3 ? 0 : pick(g, 4);
    if (k == 0) { emit(g, values[pick(g, NVALUES)]); return; }
    if (k == 1) { emit(g, calls[pick(g, NCALLS)]); args(g, depth); return; }
    if (k == 2) {
        emit(g, "{");
        value(g, depth + 1);
        emit(g, ", k = ");
        value(g, depth + 1);
        emit(g, "}");
        return;
    }
    emit(g, "(");
    value(g, depth + 1);
    emit(g, pick(g, 2) ? ")" : ") .. \"\"");
}

static void statement(gen *g) {
    char n[16];
    switch (pick(g, 12)) {
    case 0: emit(g, "d = "); value(g, 0); break;
    case 1: emit(g, "p = "); value(g, 0); break;
    case 2: emit(g, "rows = "); value(g, 0); break;
    case 3: emit(g, "t = "); value(g, 0); break;
    case 4: emit(g, "pcall("); emit(g, calls[pick(g, NCALLS)]); emit(g, ", "); value(g, 0); emit(g, ")"); break;
    case 5: emit(g, "local _ = ("); value(g, 0); emit(g, ")"); emit(g, methods[pick(g, sizeof methods / sizeof methods[0])]); args(g, 0); break;
    case 6: emit(g, "for r in sql.rows("); value(g, 0); emit(g, ") do t = r end"); break;
    case 7: emit(g, "publish(\"r"); snprintf(n, sizeof n, "%u", pick(g, 4)); emit(g, n);
            emit(g, "\", {\"a\", \"b\"}, {{a = "); value(g, 0); emit(g, ", b = "); value(g, 0); emit(g, "}})"); break;
    case 8: /* any API function with a hostile table first */
        emit(g, calls[pick(g, NCALLS)]); emit(g, "(H["); snprintf(n, sizeof n, "%u", 1 + pick(g, 12));
        emit(g, n); emit(g, "], "); value(g, 1); emit(g, ")"); break;
    case 9: /* publish with hostile columns or rows */
        emit(g, "publish(\"h\" .. n, "); value(g, 1); emit(g, ", "); value(g, 1); emit(g, ")"); break;
    case 10: /* a hostile table used by the runtime's own operators */
        emit(g, "t = #H["); snprintf(n, sizeof n, "%u", 1 + pick(g, 12)); emit(g, n);
        emit(g, pick(g, 2) ? "] .. tostring(H[1]) == d" : "] < H[2]"); break;
    default: emit(g, calls[pick(g, NCALLS)]); args(g, 0); break;
    }
    emit(g, "\n");
}

/* Before every generated script: a document, and hostile tables H[1..12] whose
 * metamethods re-enter the API (again()), raise, or return odd values. */
static const char prelude[] =
    "local d, p, rows, t\n"
    "local chart = require 'chart'\n"
    "local doc = chart.document{title = 't', date = '2020-06-30'}\n"
    "local n = 0\n"
    "local function again()\n"
    "  n = n + 1\n"
    "  local k = n % 7\n"
    "  if k == 0 then pcall(publish, 're' .. n, {'x'}, {{x = n}})\n"
    "  elseif k == 1 then doc:close()\n"
    "  elseif k == 2 then pcall(sql.query, 'SELECT 1 AS x')\n"
    "  elseif k == 3 then collectgarbage()\n"
    "  elseif k == 4 then error('from a metamethod')\n"
    "  elseif k == 5 then pcall(coroutine.yield, n)\n"
    "  else doc = chart.document{} end\n"
    "end\n"
    "local function mm(r)\n"
    "  local m = {}\n"
    "  for _, e in ipairs{'__index', '__newindex', '__len', '__pairs', '__eq', '__lt', '__le',\n"
    "                     '__close', '__tostring', '__concat', '__call', '__unm', '__add'} do\n"
    "    m[e] = function() again(); return r end\n"
    "  end\n"
    "  return m\n"
    "end\n"
    "local H = {\n"
    "  setmetatable({}, mm(1)), setmetatable({}, mm(1 << 62)), setmetatable({}, mm(-1)),\n"
    "  setmetatable({}, mm(0/0)), setmetatable({}, mm('x')),\n"
    "  setmetatable({{x = 1}, {x = 2}, 'bad', {x = 4}}, mm(4)),\n"
    "  setmetatable({'x', 'y'}, mm(2)), setmetatable({x = 1, y = 2, title = 't', kind = 'bar'}, mm({})),\n"
    "  setmetatable({}, {__len = function() return 1 << 62 end}),\n"
    "  setmetatable({}, {__index = function(_, k) return setmetatable({}, mm(k)) end}),\n"
    "  setmetatable({}, {__len = function() return 2^63 end, __index = function() error('index') end}),\n"
    "  setmetatable({{x = 1}}, {__index = function(_, k) for i = 1, 20 do again() end return k end}),\n"
    "}\n";

static char *generate(const uint8_t *p, size_t n, size_t *len) {
    gen g = {p, n, NULL, 0, 0};
    emit(&g, prelude);
    while (g.n) {
        if (pick(&g, 3) != 0) { emit(&g, "pcall(function()\n"); statement(&g); emit(&g, "end)\n"); }
        else statement(&g);
    }
    *len = g.len;
    return g.out;
}

/* ---- sources: the script from memory, modules as yingji finds them (scripts/lib) ---- */

typedef struct { const char *text; size_t len; } main_source;

static int provider(void *ud, const char *script_path, const char *name,
                    char **path, char **text, size_t *len, char **errmsg) {
    const main_source *m = ud;
    if (name) return yj_source_fs(NULL, script_path, name, path, text, len, errmsg);
    *path = strdup(script_path);
    *text = malloc(m->len + 1);
    REQUIRE(*path && *text);
    memcpy(*text, m->text, m->len + 1);
    *len = m->len;
    return 0;
}

/* ---- the database: the seed city's units and 2020 accidents when readable ---- */

static void load(sqlite3 *mem, const char *dataset, const char *path) {
    FILE *devnull = fopen("/dev/null", "w");
    REQUIRE(devnull != NULL);
    imp_options opt = {IMP_ENC_AUTO, 1, 1, 0, devnull, devnull, NULL, NULL};
    imp_result res;
    if (access(path, R_OK) == 0) imp_import_file(mem, imp_dataset_find(dataset), path, &opt, &res);
    fclose(devnull);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    sqlite3 *mem;
    char *err = NULL;
    REQUIRE(db_open(":memory:", DB_READWRITE | DB_CREATE, &mem, &err) == 0);
    load(mem, "units", "seeds/units.csv");
    load(mem, "accidents", "seeds/accidents_2020.csv");
    sqlite3_int64 n;
    unsigned char *img = sqlite3_serialize(mem, "main", &n, 0);
    REQUIRE(img != NULL);
    sqlite3_close(mem);
    REQUIRE(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
    REQUIRE(sqlite3_deserialize(db, "main", img, n, n,
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) == SQLITE_OK);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t len;
    char *src;
    if (data[0] & 0x80) {
        len = size - 1;
        src = malloc(len + 1);
        REQUIRE(src != NULL);
        memcpy(src, data + 1, len);
        src[len] = '\0';
    } else {
        src = generate(data + 1, size - 1, &len);
    }
    yj_script *s = yj_script_new();
    REQUIRE(s != NULL);
    REQUIRE(yj_script_set_db(s, db) == 0);
    REQUIRE(yj_script_set_as_of(s, "2020-06-30") == 0);
    REQUIRE(yj_script_set_param(s, "period", "month") == 0);
    REQUIRE(yj_script_set_limits(s, 1000000, 16 << 20, 300) == 0);
    main_source m = {src, len};
    yj_script_set_source_fn(s, provider, &m);
    int rc = yj_script_run(s, "fuzz.lua");
    if (getenv("FUZZ_LUA_VERBOSE"))       /* to see what the generator writes */
        fprintf(stderr, "---- script\n%s\n---- %s\n", src, rc ? yj_script_error(s) : "ok");
    REQUIRE(rc == YJ_SCRIPT_OK || rc == YJ_SCRIPT_ERROR);
    if (rc == YJ_SCRIPT_ERROR) {
        const char *e = yj_script_error(s);
        REQUIRE(e != NULL && *e);
    } else {
        const yj_results *r = yj_script_results(s);
        REQUIRE(r != NULL);
        for (int f = YJ_FORMAT_TEXT; f <= YJ_FORMAT_JSON; f++) {
            char *out = NULL;
            REQUIRE(yj_results_to_string(r, (yj_format)f, &out, NULL) == 0);
            free(out);
        }
    }
    REQUIRE(sqlite3_total_changes(db) == 0);
    REQUIRE(sqlite3_get_autocommit(db));
    yj_script_free(s);
    free(src);
    return 0;
}
