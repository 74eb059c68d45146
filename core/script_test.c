/* script_test.c — the `yingji test` harness: runs one *_test.lua file in the sandbox
 * with the test functions added (fixture, run_script, test, expect_eq, expect_error,
 * test_dir) and reports "ok - FILE: NAME" / "not ok - FILE: NAME" per test.
 *
 * A test file gets the same sandbox as a script: its fixtures are in-memory databases
 * read through the scripts' authorizer (db:value), and the only files it can have
 * written are run_script's output and charts_dir, which must lie inside the file's own
 * temporary folder test_dir (created here, removed with everything in it afterwards). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "script_int.h"
#include "script_test.h"

typedef struct {
    const char *path;          /* the test file */
    int tap;
    int passed, failed;
    const yj_script *limits;   /* the limits every run_script inherits */
    char dir[PATH_MAX];        /* test_dir: the file's own temporary folder (canonical) */
} harness;

/* report(ok, name, message): one test result. */
static int l_report(lua_State *L) {
    harness *h = lua_touserdata(L, lua_upvalueindex(1));
    int ok = lua_toboolean(L, 1);
    const char *name = luaL_checkstring(L, 2);
    const char *msg = luaL_optstring(L, 3, NULL);
    if (ok) {
        h->passed++;
        if (h->tap) printf("ok - %s: %s\n", h->path, name);
    } else {
        h->failed++;
        printf("not ok - %s: %s\n", h->path, name);
        for (const char *p = msg; p && *p;) {
            size_t n = strcspn(p, "\n");
            printf("#   %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
    fflush(stdout);
    return 0;
}

static int l_traceback(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (!msg) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 2);
    return 1;
}

/* The script path: as given when it exists, else relative to the test file's folder. */
static void resolve(lua_State *L, const harness *h, const char *p) {
    if (p[0] != '/' && access(p, R_OK) != 0) {
        const char *slash = strrchr(h->path, '/');
        if (slash) {
            lua_pushlstring(L, h->path, (size_t)(slash - h->path + 1));
            lua_pushstring(L, p);
            lua_concat(L, 2);
            if (access(lua_tostring(L, -1), R_OK) == 0) return;
            lua_pop(L, 1);
        }
    }
    lua_pushstring(L, p);
}

/* Pushes the place inside the test's own folder h->dir that path names (what is
 * "output" or "charts_dir" for the message): a relative path is taken inside the folder,
 * a full path must lie inside it; no ".." component, no NUL byte, no symbolic link on
 * the way. Raises otherwise. */
static void push_inside(lua_State *L, const harness *h, int idx, const char *what) {
    size_t len;
    const char *p = luaL_checklstring(L, idx, &len);
    size_t dl = strlen(h->dir);
    int ok = h->dir[0] && len == strlen(p) && len > 0;
    for (const char *c = p; ok && *c;) {        /* no ".." component */
        size_t n = strcspn(c, "/");
        if (n == 2 && c[0] == '.' && c[1] == '.') ok = 0;
        c += n + (c[n] == '/');
    }
    if (ok && p[0] == '/') {
        ok = !strncmp(p, h->dir, dl) && (p[dl] == '/' || p[dl] == '\0');
        lua_pushstring(L, p);
    } else if (ok) {
        lua_pushfstring(L, "%s/%s", h->dir, p);
    }
    /* Every existing component below the folder must be what it says, not a link. */
    for (const char *full = ok ? lua_tostring(L, -1) : NULL, *c = full ? full + dl : NULL; c && *c; ) {
        c += strspn(c, "/");
        c += strcspn(c, "/");
        lua_pushlstring(L, full, (size_t)(c - full));
        struct stat st;
        if (lstat(lua_tostring(L, -1), &st) == 0 && S_ISLNK(st.st_mode)) ok = 0;
        lua_pop(L, 1);
        if (!ok) break;
    }
    if (!ok)
        luaL_error(L, "run_script: %s '%s' must be inside the test's own folder test_dir (%s): "
                   "a test writes nowhere else", what, p, h->dir);
}

/* Sets the run's fields from the options table at index 2; known_on[0] != 0 after it
 * when the run is to see its fixture as known on that day. */
static void set_options(lua_State *L, const harness *h, yj_script *s, char known_on[11]) {
    known_on[0] = '\0';
    if (lua_isnoneornil(L, 2)) return;
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_getfield(L, 2, "db") != LUA_TNIL) yj_script_set_db(s, yj_fixture_db(L, -1));
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "as_of") != LUA_TNIL) {
        yj_ymd d = yj_checkdate(L, -1);
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.y, d.m, d.d);
        yj_script_set_as_of(s, iso);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "known_on") != LUA_TNIL) {
        yj_ymd d = yj_checkdate(L, -1);
        snprintf(known_on, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
        yj_script_set_known_on(s, known_on);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "output") != LUA_TNIL) {
        push_inside(L, h, -1, "output");
        yj_script_set_output(s, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "format") != LUA_TNIL) {
        yj_format f;
        if (yj_format_parse(luaL_checkstring(L, -1), &f) != 0) luaL_error(L, "run_script: bad format");
        yj_script_set_format(s, f);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "params") == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            int charts = lua_type(L, -2) == LUA_TSTRING && !strcmp(lua_tostring(L, -2), "charts_dir");
            if (charts) push_inside(L, h, -1, "charts_dir");
            const char *v = luaL_tolstring(L, -1, NULL);
            if (yj_script_set_param(s, luaL_checkstring(L, charts ? -4 : -3), v) != 0)
                luaL_error(L, "run_script: %s", yj_script_error(s));
            lua_pop(L, charts ? 3 : 2);
        }
    }
    lua_pop(L, 1);
}

/* Pushes the results of s as {name = {row, ...}} and the columns as {name = {col...}}. */
static void push_results(lua_State *L, const yj_results *r) {
    lua_newtable(L);
    lua_newtable(L);
    for (size_t t = 0; t < yj_results_count(r); t++) {
        size_t nc = yj_results_ncols(r, t), nr = yj_results_nrows(r, t);
        lua_createtable(L, (int)nr, 0);
        for (size_t i = 0; i < nr; i++) {
            lua_createtable(L, 0, (int)nc);
            for (size_t c = 0; c < nc; c++) {
                yj_push_value(L, yj_results_cell(r, t, i, c));
                lua_setfield(L, -2, yj_results_column(r, t, c));
            }
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -3, yj_results_name(r, t));
        lua_createtable(L, (int)nc, 0);
        for (size_t c = 0; c < nc; c++) {
            lua_pushstring(L, yj_results_column(r, t, c));
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_setfield(L, -2, yj_results_name(r, t));
    }
}

/* run_script(path, {db=, as_of=, known_on=, params=, output=, format=}) → tables, columns.
 * The script's error is raised as this function's error. */
static int l_run_script(lua_State *L) {
    harness *h = lua_touserdata(L, lua_upvalueindex(1));
    const char *p = luaL_checkstring(L, 1);
    yj_script *s = yj_script_new();
    if (!s) return luaL_error(L, "not enough memory");
    /* s must be freed whatever happens: keep it in a to-be-closed slot. */
    yj_script **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = s;
    luaL_setmetatable(L, "yj.test.run");
    lua_toclose(L, -1);
    int boxidx = lua_gettop(L);
    yj_script_set_limits(s, h->limits->max_instructions, h->limits->max_memory,
                         h->limits->sql_timeout_ms);
    char known_on[11];
    set_options(L, h, s, known_on);
    /* What the script may write: its output and inside params.charts_dir, both checked
     * to lie inside test_dir (set_options). */
    if (yj_script_set_output_dir(s, "charts_dir", yj_script_param(s, "charts_dir")) != 0)
        return luaL_error(L, "run_script: %s", yj_script_error(s));
    resolve(L, h, p);
    sqlite3 *db = s->db;
    char kerr[256];
    if (known_on[0]) {
        if (!db) return luaL_error(L, "run_script: known_on needs a db (a fixture)");
        if (db_known_on(db, known_on, kerr, sizeof kerr) != 0) {
            db_known_off(db);
            return luaL_error(L, "run_script: %s", kerr);
        }
    }
    int ran = yj_script_run(s, lua_tostring(L, -1));
    if (known_on[0]) db_known_off(db);      /* the fixture's next run sees today's data */
    if (ran != YJ_SCRIPT_OK) {
        lua_pushstring(L, yj_script_error(s));
        return lua_error(L);
    }
    push_results(L, yj_script_results(s));
    lua_closeslot(L, boxidx);
    return 2;
}

static int run_gc(lua_State *L) {
    yj_script **box = luaL_checkudata(L, 1, "yj.test.run");
    yj_script_free(*box);
    *box = NULL;
    return 0;
}

/* The Lua half of the harness: test, expect_eq, expect_error. */
static const char harness_lua[] =
"local report, traceback = ...\n"
"local function show(v, depth)\n"
"  depth = depth or 0\n"
"  if type(v) == 'string' then return (string.format('%q', v):gsub('\\\\\\n', '\\\\n')) end\n"
"  if type(v) ~= 'table' then return tostring(v) end\n"
"  if depth > 2 then return '{...}' end\n"
"  local parts, n = {}, 0\n"
"  for i, x in ipairs(v) do parts[#parts + 1] = show(x, depth + 1); n = i end\n"
"  local keys = {}\n"
"  for k in pairs(v) do if not (math.type(k) == 'integer' and k >= 1 and k <= n) then keys[#keys + 1] = k end end\n"
"  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)\n"
"  for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. '=' .. show(v[k], depth + 1) end\n"
"  return '{' .. table.concat(parts, ', ') .. '}'\n"
"end\n"
"local function key(k)\n"
"  if type(k) == 'string' and k:match('^[%a_][%w_]*$') then return '.' .. k end\n"
"  return '[' .. show(k) .. ']'\n"
"end\n"
"local function diff(got, want, path)\n"
"  if rawequal(got, want) then return nil end\n"
"  if type(got) ~= 'table' or type(want) ~= 'table' then\n"
"    if type(got) == type(want) and got == want then return nil end\n"
"    return (path == '' and '' or path .. ': ') .. 'got ' .. show(got) .. ', want ' .. show(want)\n"
"  end\n"
"  for i = 1, math.max(#got, #want) do\n"
"    local d = diff(got[i], want[i], path .. '[' .. i .. ']')\n"
"    if d then return d end\n"
"  end\n"
"  local keys = {}\n"
"  for k in pairs(want) do keys[#keys + 1] = k end\n"
"  for k in pairs(got) do if want[k] == nil then keys[#keys + 1] = k end end\n"
"  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)\n"
"  for _, k in ipairs(keys) do\n"
"    if math.type(k) ~= 'integer' or k < 1 or k > math.max(#got, #want) then\n"
"      local d = diff(got[k], want[k], path .. key(k))\n"
"      if d then return d end\n"
"    end\n"
"  end\n"
"  return nil\n"
"end\n"
"function expect_eq(got, want, msg)\n"
"  local d = diff(got, want, '')\n"
"  if d then error((msg and msg .. ': ' or '') .. d, 2) end\n"
"end\n"
"function expect_error(fn, pattern, msg)\n"
"  local ok, err = pcall(fn)\n"
"  if ok then error((msg and msg .. ': ' or '') .. 'expected an error, got none', 2) end\n"
"  err = tostring(err)\n"
"  if pattern and not err:find(pattern) then\n"
"    error((msg and msg .. ': ' or '') .. 'error ' .. show(err) .. ' does not match ' .. show(pattern), 2)\n"
"  end\n"
"  return err\n"
"end\n"
"function test(name, fn)\n"
"  local ok, err = xpcall(fn, traceback)\n"
"  report(ok, name, err)\n"
"end\n";

static void extend(lua_State *L, void *ud) {
    harness *h = ud;
    luaL_newmetatable(L, "yj.test.run");
    lua_pushcfunction(L, run_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, run_gc);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
    yj_fixture_open(L);
    lua_pushlightuserdata(L, h);
    lua_pushcclosure(L, l_run_script, 1);
    lua_setglobal(L, "run_script");
    lua_pushstring(L, h->dir);
    lua_setglobal(L, "test_dir");
    if (luaL_loadbufferx(L, harness_lua, sizeof harness_lua - 1, "=harness", "t") != LUA_OK)
        lua_error(L);
    lua_pushlightuserdata(L, h);
    lua_pushcclosure(L, l_report, 1);
    lua_pushcfunction(L, l_traceback);
    lua_call(L, 2, 0);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st; (void)type; (void)ftw;
    remove(path);
    return 0;
}

/* Creates h->dir: a new private folder yingji-test-XXXXXX in $TMPDIR (or /tmp). */
static int make_test_dir(harness *h) {
    const char *tmp = getenv("TMPDIR");
    char templ[PATH_MAX];
    if (!tmp || !*tmp) tmp = "/tmp";
    if (snprintf(templ, sizeof templ, "%s/yingji-test-XXXXXX", tmp) >= (int)sizeof templ) return -1;
    if (!mkdtemp(templ)) return -1;
    if (!realpath(templ, h->dir)) {
        rmdir(templ);
        return -1;
    }
    return 0;
}

int yj_test_file(const char *path, int tap, const yj_script *limits, int *passed, int *failed) {
    harness h = {path, tap, 0, 0, limits, ""};
    if (make_test_dir(&h) != 0) {
        printf("not ok - %s: cannot create its temporary folder: %s\n", path, strerror(errno));
        (*failed)++;
        return 0;
    }
    yj_script *s = yj_script_new();
    if (!s) {
        rmdir(h.dir);
        return -1;
    }
    yj_script_set_limits(s, limits->max_instructions, limits->max_memory, limits->sql_timeout_ms);
    s->extend = extend;
    s->extend_ud = &h;
    /* The test file itself may write no file (its runs write inside test_dir). */
    yj_script_set_output_dir(s, "charts_dir", NULL);
    if (yj_script_run(s, path) != YJ_SCRIPT_OK) {
        h.failed++;
        printf("not ok - %s: the test file failed\n", path);
        for (const char *p = yj_script_error(s); p && *p;) {
            size_t n = strcspn(p, "\n");
            printf("#   %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    } else if (h.passed + h.failed == 0) {
        h.failed++;
        printf("not ok - %s: no test() in the file\n", path);
    }
    fflush(stdout);
    yj_script_free(s);
    nftw(h.dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    *passed += h.passed;
    *failed += h.failed;
    return 0;
}
