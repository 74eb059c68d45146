/* script.c — the script runtime's handle (yj_script: configuration, sources, results
 * of the last run) and running a script: the one protected entry point (yj_pcall) and
 * yj_script_run. The sandboxed state is built in script_sandbox.c, require is
 * script_require.c, the built-in modules are listed in script_modules.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "script_int.h"
#include "sha256.h"

/* {==================================================================
 * The handle
 * =================================================================== */

yj_script *yj_script_new(void) {
    yj_script *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->max_instructions = YJ_DEFAULT_MAX_INSTRUCTIONS;
    s->max_memory = YJ_DEFAULT_MAX_MEMORY;
    s->sql_timeout_ms = YJ_DEFAULT_SQL_TIMEOUT_MS;
    s->format = YJ_FORMAT_TEXT;
    return s;
}

void yj_sources_free(yj_source *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].name);
        free((char *)v[i].path);
        free((char *)v[i].text);
    }
    free(v);
}

static void clear_run(yj_script *s) {
    yj_sources_free(s->loaded, s->nloaded);
    s->loaded = NULL;
    s->nloaded = s->caploaded = 0;
    yj_results_free(s->results);
    s->results = NULL;
    free(s->error);
    s->error = NULL;
}

void yj_script_free(yj_script *s) {
    if (!s) return;
    clear_run(s);
    for (size_t i = 0; i < s->nparams; i++) {
        free(s->params[i].key);
        free(s->params[i].value);
    }
    free(s->params);
    free(s->output);
    free(s->output_dir);
    free(s->output_dir_param);
    yj_script_written_clear(s);
    yj_sources_free(s->mem, s->nmem);
    free(s);
}

int yj_script_fail(yj_script *s, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, gettext(fmt), ap);   /* fmt: in po/yingji.pot (po/extract.sh) */
    va_end(ap);
    free(s->error);
    s->error = strdup(buf);
    return YJ_SCRIPT_EUSAGE;
}

int yj_format_parse(const char *name, yj_format *out) {
    static const char *const names[] = {"text", "csv", "json", "xlsx"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) { *out = (yj_format)i; return 0; }
    return -1;
}

const char *yj_format_name(yj_format f) {
    return f == YJ_FORMAT_CSV ? "csv" : f == YJ_FORMAT_JSON ? "json"
         : f == YJ_FORMAT_XLSX ? "xlsx" : "text";
}

int yj_script_set_db(yj_script *s, sqlite3 *db) {
    s->db = db;
    return 0;
}

int yj_script_set_as_of(yj_script *s, const char *iso) {
    yj_ymd d;
    if (!iso) { s->as_of[0] = 0; return 0; }
    if (yj_parse_iso(iso, &d) != 0 || strlen(iso) != 10)
        return yj_script_fail(s, "as-of: '%s' is not a valid date (YYYY-MM-DD)", iso);
    s->as_of[0] = d.y; s->as_of[1] = d.m; s->as_of[2] = d.d;
    return 0;
}

int yj_script_set_known_on(yj_script *s, const char *iso) {
    yj_ymd d;
    if (!iso) { s->known_on[0] = '\0'; return 0; }
    if (yj_parse_iso(iso, &d) != 0 || strlen(iso) != 10)
        return yj_script_fail(s, "known-on: '%s' is not a valid date (YYYY-MM-DD)", iso);
    memcpy(s->known_on, iso, 11);
    return 0;
}

int yj_script_set_param(yj_script *s, const char *key, const char *value) {
    if (!key || !(isalpha((unsigned char)key[0]) || key[0] == '_'))
        return yj_script_fail(s, "parameter name '%s' must start with a letter", key ? key : "");
    for (const char *p = key; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return yj_script_fail(s, "parameter name '%s': letters, digits and _ only", key);
    char *v = strdup(value ? value : "");
    if (!v) return yj_script_fail(s, "out of memory");
    for (size_t i = 0; i < s->nparams; i++)
        if (!strcmp(s->params[i].key, key)) {
            free(s->params[i].value);
            s->params[i].value = v;
            return 0;
        }
    yj_param *np = realloc(s->params, (s->nparams + 1) * sizeof *np);
    char *k = strdup(key);
    if (!np || !k) { free(v); free(k); if (np) s->params = np; return yj_script_fail(s, "out of memory"); }
    s->params = np;
    s->params[s->nparams].key = k;
    s->params[s->nparams].value = v;
    s->nparams++;
    return 0;
}

int yj_script_set_param_arg(yj_script *s, const char *kv) {
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) return yj_script_fail(s, "--set wants KEY=VALUE, got '%s'", kv);
    char key[128];
    size_t n = (size_t)(eq - kv);
    if (n >= sizeof key) return yj_script_fail(s, "--set: parameter name too long");
    memcpy(key, kv, n);
    key[n] = '\0';
    return yj_script_set_param(s, key, eq + 1);
}

int yj_script_set_output(yj_script *s, const char *path) {
    char *p = path ? strdup(path) : NULL;
    if (path && !p) return yj_script_fail(s, "out of memory");
    free(s->output);
    s->output = p;
    return 0;
}

int yj_script_set_output_dir(yj_script *s, const char *param, const char *dir) {
    char *d = dir ? strdup(dir) : NULL, *p = param ? strdup(param) : NULL;
    if ((dir && !d) || (param && !p)) {
        free(d);
        free(p);
        return yj_script_fail(s, "out of memory");
    }
    free(s->output_dir);
    free(s->output_dir_param);
    s->output_dir = d;
    s->output_dir_param = p;
    return 0;
}

const char *yj_script_param(const yj_script *s, const char *key) {
    for (size_t i = 0; i < s->nparams; i++)
        if (!strcmp(s->params[i].key, key)) return s->params[i].value;
    return NULL;
}

int yj_script_set_format(yj_script *s, yj_format f) {
    s->format = f;
    return 0;
}

int yj_script_set_limits(yj_script *s, long long max_instructions, long long max_memory,
                         long long sql_timeout_ms) {
    if (max_instructions > 0) s->max_instructions = max_instructions;
    if (max_memory > 0) s->max_memory = max_memory;
    if (sql_timeout_ms > 0) s->sql_timeout_ms = sql_timeout_ms;
    return 0;
}

void yj_script_set_exit_after(yj_script *s, int on) {
    s->exit_after = on != 0;
}

void yj_script_set_source_fn(yj_script *s, yj_source_fn fn, void *ud) {
    s->src_fn = fn;
    s->src_ud = ud;
}

static char *dupn(const char *p, size_t n) {
    char *d = malloc(n + 1);
    if (d) { if (n) memcpy(d, p, n); d[n] = '\0'; }
    return d;
}

/* Appends a deep copy of f to *v. Returns 0 or -1 when out of memory. */
int yj_source_push(yj_source **v, size_t *n, size_t *cap, const yj_source *f) {
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        yj_source *nv = realloc(*v, c * sizeof *nv);
        if (!nv) return -1;
        *v = nv;
        *cap = c;
    }
    yj_source *d = &(*v)[*n];
    d->name = f->name ? strdup(f->name) : NULL;
    d->path = strdup(f->path ? f->path : "");
    d->text = dupn(f->text, f->len);
    d->len = f->len;
    (*n)++;
    if ((f->name && !d->name) || !d->path || !d->text) return -1;
    return 0;
}

static int mem_provider(void *ud, const char *script_path, const char *name,
                        char **path, char **text, size_t *len, char **errmsg) {
    yj_script *s = ud;
    (void)script_path;
    for (size_t i = 0; i < s->nmem; i++) {
        const yj_source *f = &s->mem[i];
        if ((name == NULL) != (f->name == NULL)) continue;
        if (name && strcmp(name, f->name)) continue;
        *path = strdup(f->path);
        *text = dupn(f->text, f->len);
        *len = f->len;
        return *path && *text ? 0 : -1;
    }
    *errmsg = strdup(name ? _("not among the frozen sources") : _("no main script among the sources"));
    return 1;
}

int yj_script_set_sources(yj_script *s, const yj_source *files, size_t n) {
    /* Copy first: files may be this handle's own arrays. */
    yj_source *copy = NULL;
    size_t ncopy = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        if (yj_source_push(&copy, &ncopy, &cap, &files[i]) != 0) {
            yj_sources_free(copy, ncopy);
            return yj_script_fail(s, "out of memory");
        }
    yj_sources_free(s->mem, s->nmem);
    s->mem = copy;
    s->nmem = ncopy;
    yj_script_set_source_fn(s, mem_provider, s);
    return 0;
}

const char *yj_script_error(const yj_script *s) { return s->error; }
const yj_results *yj_script_results(const yj_script *s) { return s->results; }

int yj_script_output_used(const yj_script *s) { return s->output_used; }

const yj_source *yj_script_loaded_files(const yj_script *s, size_t *n) {
    *n = s->nloaded;
    return s->loaded;
}

void yj_script_stats(const yj_script *s, long long *instructions, long long *peak_memory) {
    if (instructions) *instructions = s->stat_instructions;
    if (peak_memory) *peak_memory = s->stat_peak;
}

/* }================================================================== */

/* {==================================================================
 * Running
 * =================================================================== */

/* lua.c's msghandler: the message plus a traceback. */
static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int yj_pcall(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    int st = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    yj_run *run = yj_run_of(L);
    if (run->refused) yj_limits_trip(run, YJ_TRIP_MEMORY);      /* not retried by Lua */
    if (run->tripped) {
        /* A limit: say so even if the script caught the error or rewrote it. */
        const char *m = st != LUA_OK ? lua_tostring(L, -1) : NULL;
        if (m && strstr(m, run->trip_msg)) return st;
        if (st != LUA_OK) lua_pop(L, 1);
        else lua_settop(L, base - 1);
        lua_pushfstring(L, "%s: %s", run->script_path ? run->script_path : "script", run->trip_msg);
        return st != LUA_OK ? st : LUA_ERRRUN;
    }
    if (st == LUA_ERRMEM) {
        lua_pop(L, 1);
        lua_pushliteral(L, "not enough memory");
    }
    return st;
}

/* Loads the main script through the provider and calls it with no arguments;
 * ctx.script_sha256 is the digest of its exact text. */
static int run_main(lua_State *L) {
    yj_run *run = lua_touserdata(L, 1);
    yj_load_file(L, run, NULL);
    size_t n;
    const yj_source *files = yj_script_loaded_files(run->s, &n);
    for (size_t i = 0; i < n; i++) {
        if (files[i].name != NULL) continue;
        char hex[65];
        yj_sha256_hex(files[i].text, files[i].len, hex);
        lua_getglobal(L, "ctx");
        lua_pushstring(L, hex);
        lua_setfield(L, -2, "script_sha256");
        lua_pop(L, 1);
    }
    lua_call(L, 0, 0);
    return 0;
}

/* Whether a finished run may leave its Lua state to the process's exit instead of
 * lua_close: walking and freeing the objects of a 3,000-unit scoring (700,000 of them)
 * costs 20-30 ms, 3-5 % of the run (docs/performance.md). Only when
 *  - the caller ends the process after the run (yj_script_set_exit_after: `yingji run`);
 *  - the Lua heap is the pool's (script_pool.c): under AddressSanitizer every block is
 *    malloc's own, and LeakSanitizer would rightly report the state;
 *  - no SQL statement is open on the handle: a coroutine suspended inside a sql.rows loop
 *    holds one, which lua_close finalizes before the handle's read transaction ends.
 * The finalizers lua_close would run are otherwise those of engine objects holding memory
 * only (scripts cannot set __gc: script_sandbox.c; Lua's own, a string buffer's box, free
 * memory too):
 *    "yj.sql.statement"      script_sql.c: a prepared statement (see above)
 *    "yj.sql.group"          script_sql_group.c: sql.group's keys and totals
 *    "yj.publish.builder"    script_results.c: a published table not yet handed over
 *    "yj.chart.holder"       charts/chart_lua.c: C objects under construction
 *    "yj.chart.document"     charts/chart_lua.c: a document (written only by doc:save)
 * and those of `yingji test`, whose runs always close their state:
 *    "yj.test.run"           script_test.c: the harness's run of a script
 *    "yj.fixture.writer"     script_fixture.c: a fixture being stored
 *    "yj.fixture"            script_fixture.c: a fixture database
 * tests/e2e/run_exit_state.sh fails when a __gc is set in core/ or charts/ without a line
 * here. */
static int state_left_to_exit(const yj_script *s) {
    return s->exit_after && yj_pool_on() && (!s->db || !sqlite3_next_stmt(s->db, NULL));
}

int yj_script_run(yj_script *s, const char *script_path) {
    clear_run(s);
    s->output_used = 0;
    yj_script_written_clear(s);
    yj_run run;
    memset(&run, 0, sizeof run);
    run.s = s;
    run.script_path = script_path;
    run.mem_max = (size_t)s->max_memory;
    run.max_instructions = s->max_instructions;
    run.sql_max_ms = (double)s->sql_timeout_ms;
    run.results = yj_results_new();
    if (!run.results) { yj_script_fail(s, "out of memory"); return YJ_SCRIPT_ERROR; }
    lua_State *L = yj_state_new(&run);
    if (!L) {
        yj_alloc_release(&run);
        yj_results_free(run.results);
        if (!s->error) yj_script_fail(s, "%s: cannot create the Lua state (out of memory)", script_path);
        return YJ_SCRIPT_ERROR;
    }
    if (s->db) yj_sql_attach(&run, s->db);
    lua_pushcfunction(L, run_main);
    lua_pushlightuserdata(L, &run);
    int st = yj_pcall(L, 1, 0);
    if (st != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        free(s->error);
        s->error = strdup(m ? m : "(error object is not a string)");
    }
    s->stat_instructions = run.instructions;
    s->stat_peak = (long long)run.mem_peak;
    if (!state_left_to_exit(s)) {
        lua_close(L);             /* finalizes open statements before the db is detached */
        yj_alloc_release(&run);
    }
    if (s->db) yj_sql_detach(&run, s->db);
    if (st != LUA_OK) {
        yj_results_free(run.results);
        return YJ_SCRIPT_ERROR;
    }
    s->results = run.results;
    return YJ_SCRIPT_OK;
}

/* }================================================================== */
