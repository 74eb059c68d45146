/* script.c — the script runtime: the yj_script handle, the sandboxed Lua state, the one
 * protected entry point, and require through the source provider.
 *
 * The sandbox is an allow-list: only the libraries and functions named below exist in
 * the state; unknown globals raise an error on read and on write. See docs/scripting.md
 * for what scripts see. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "cli.h"
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

static void sources_free(yj_source *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].name);
        free((char *)v[i].path);
        free((char *)v[i].text);
    }
    free(v);
}

static void clear_run(yj_script *s) {
    sources_free(s->loaded, s->nloaded);
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
    sources_free(s->mem, s->nmem);
    free(s);
}

int yj_script_fail(yj_script *s, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(s->error);
    s->error = strdup(buf);
    return YJ_SCRIPT_EUSAGE;
}

int yj_format_parse(const char *name, yj_format *out) {
    static const char *const names[] = {"text", "csv", "json"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, names[i])) { *out = (yj_format)i; return 0; }
    return -1;
}

const char *yj_format_name(yj_format f) {
    return f == YJ_FORMAT_CSV ? "csv" : f == YJ_FORMAT_JSON ? "json" : "text";
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
    free(s->output);
    s->output = path ? strdup(path) : NULL;
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
static int source_push(yj_source **v, size_t *n, size_t *cap, const yj_source *f) {
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
    *errmsg = strdup(name ? "not among the frozen sources" : "no main script among the sources");
    return 1;
}

int yj_script_set_sources(yj_script *s, const yj_source *files, size_t n) {
    /* Copy first: files may be this handle's own arrays. */
    yj_source *copy = NULL;
    size_t ncopy = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        if (source_push(&copy, &ncopy, &cap, &files[i]) != 0) {
            sources_free(copy, ncopy);
            return yj_script_fail(s, "out of memory");
        }
    sources_free(s->mem, s->nmem);
    s->mem = copy;
    s->nmem = ncopy;
    yj_script_set_source_fn(s, mem_provider, s);
    return 0;
}

const char *yj_script_error(const yj_script *s) { return s->error; }
const yj_results *yj_script_results(const yj_script *s) { return s->results; }

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
 * The sandbox
 * =================================================================== */

/* Base functions that stay (load, print, require and collectgarbage are replaced). */
static const char *const base_allowed[] = {
    "_G", "_VERSION", "assert", "error", "getmetatable", "ipairs", "next", "pairs",
    "pcall", "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
    "tonumber", "tostring", "type", "xpcall", "string", "table", "math", "utf8", "os",
    "debug", "coroutine", NULL
};

static int sb_print(lua_State *L) {
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1) fputc('\t', stderr);
        fwrite(s, 1, len, stderr);
        lua_pop(L, 1);
    }
    fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

int yj_load_source(lua_State *L, const char *path, const char *text, size_t len) {
    lua_pushfstring(L, "@%s", path);
    int st = luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t");
    lua_remove(L, -2);
    return st;
}

/* load(chunk [, chunkname [, mode [, env]]]): text chunks only; env defaults to the
 * sandbox's globals. */
static int sb_load(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, s);
    int env = !lua_isnone(L, 4) ? 4 : 0;
    int st = luaL_loadbufferx(L, s, len, name, "t");
    if (st != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (env) {
        lua_pushvalue(L, env);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

static int sb_collectgarbage(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (!strcmp(opt, "count")) {
        int k = lua_gc(L, LUA_GCCOUNT, 0), b = lua_gc(L, LUA_GCCOUNTB, 0);
        lua_pushnumber(L, (lua_Number)k + (lua_Number)b / 1024);
        return 1;
    }
    if (!strcmp(opt, "collect")) {
        lua_gc(L, LUA_GCCOLLECT, 0);
        lua_pushinteger(L, 0);
        return 1;
    }
    return luaL_error(L, "collectgarbage: option '%s' is not allowed (only \"count\" and \"collect\")", opt);
}

/* math.randomseed(n): a script may choose its seed, but not "random" seeding. */
static int sb_randomseed(lua_State *L) {
    luaL_checkinteger(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

/* The key at idx for a message: strings and numbers as they are, anything else by its
 * type (not luaL_tolstring, which would run the key's __tostring inside the error path). */
static const char *key_name(lua_State *L, int idx) {
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_pushvalue(L, idx);
        return lua_tostring(L, -1);
    }
    return lua_pushfstring(L, "(a %s)", luaL_typename(L, idx));
}

/* __index of the trimmed os and debug tables: name what is missing. */
static int lib_index(lua_State *L) {
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    return luaL_error(L, "%s.%s is not available in scripts (the sandbox allows %s)", lib,
                      key_name(L, 2),
                      !strcmp(lib, "os") ? "os.time, os.date, os.clock and os.difftime"
                                         : "debug.traceback only");
}

/* debug.traceback([msg [, level]]) of the running script. */
static int sb_traceback(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL && !lua_isnoneornil(L, 1)) {
        lua_pushvalue(L, 1);
        return 1;
    }
    lua_Integer level = luaL_optinteger(L, 2, 1);
    luaL_argcheck(L, level >= 0 && level <= 1000000, 2, "level out of range");
    luaL_traceback(L, L, msg, (int)level);
    return 1;
}

/* The message handler given to xpcall, wrapped: once a limit has tripped the handler is
 * skipped, because Lua runs message handlers of errors raised by a hook with hooks off
 * (so a looping handler could not be stopped). Upvalue 1: the script's handler. */
static int xpcall_handler(lua_State *L) {
    if (yj_run_of(L)->tripped) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* xpcall(f, msgh, ...) with msgh wrapped as above. Upvalue 1: Lua's xpcall. */
static int sb_xpcall(lua_State *L) {
    luaL_checkany(L, 2);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* getmetatable(v): Lua's, except that a userdata's metatable is never given out. Every
 * userdata a script sees is an engine value (a script cannot make one), and each engine
 * metatable has a __metatable field anyway (lock_metatables); this covers one created
 * later without it. */
static int sb_getmetatable(lua_State *L) {
    luaL_checkany(L, 1);
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushliteral(L, "__metatable");
    if (lua_rawget(L, -2) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    if (lua_type(L, 1) == LUA_TUSERDATA) lua_pushliteral(L, YJ_LOCKED_METATABLE);
    return 1;
}

/* Every metatable registered with luaL_newmetatable (a table with a __name in the
 * registry) gets a __metatable field: getmetatable then gives a string and setmetatable
 * refuses, so a script can neither add a __gc to an engine class (Lua runs finalizers
 * with hooks off: no instruction budget) nor change its methods. Run after the state is
 * built and after each built-in module is opened. */
static void lock_metatables(lua_State *L) {
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE) {
            lua_pushliteral(L, "__name");
            int named = lua_rawget(L, -2) == LUA_TSTRING;
            lua_pop(L, 1);
            lua_pushliteral(L, "__metatable");
            int locked = lua_rawget(L, -2) != LUA_TNIL;
            lua_pop(L, 1);
            if (named && !locked) {
                lua_pushliteral(L, "__metatable");
                lua_pushliteral(L, YJ_LOCKED_METATABLE);
                lua_rawset(L, -3);
            }
        }
        lua_pop(L, 1);
    }
}

/* setmetatable(t, mt) refusing __gc: Lua runs finalizers with hooks off, so a looping
 * __gc could not be stopped. Upvalue 1: Lua's setmetatable. */
static int sb_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)       /* raw, as Lua itself looks it up */
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in scripts "
                              "(use a to-be-closed variable and __close)");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int strict_index(lua_State *L) {
    return luaL_error(L, "unknown global '%s'", key_name(L, 2));
}

/* Assigning a global that does not exist is an error too: `totl = total + x` is a typo
 * far more often than a wish for a new global. Scripts use locals. */
static int strict_newindex(lua_State *L) {
    const char *name = key_name(L, 2);
    return luaL_error(L, "assignment to undeclared global '%s' (use a local: local %s = ...)",
                      name, name);
}

/* }================================================================== */

/* {==================================================================
 * require
 * =================================================================== */

static int valid_module_name(const char *n) {
    if (!*n || *n == '.') return 0;
    for (const char *p = n; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.') return 0;
        if (*p == '.' && (p[1] == '.' || p[1] == '\0')) return 0;
    }
    return 1;
}

/* Loads the main script (name NULL) or module name through the source provider,
 * records it among the loaded files, and pushes the compiled chunk (or raises). */
static void load_file(lua_State *L, yj_run *run, const char *name) {
    yj_script *s = run->s;
    yj_source_fn fn = s->src_fn ? s->src_fn : yj_source_fs;
    char *path = NULL, *text = NULL, *err = NULL;
    size_t len = 0;
    int rc = fn(s->src_fn ? s->src_ud : NULL, run->script_path, name, &path, &text, &len, &err);
    if (rc != 0) {
        if (name) {
            luaL_where(L, 1);
            lua_pushfstring(L, "require '%s': %s", name,
                            err ? err : rc > 0 ? "module not found" : "cannot read the module");
            lua_concat(L, 2);
        }
        else
            lua_pushfstring(L, "%s: %s", run->script_path, err ? err : "cannot read the script");
        free(path); free(text); free(err);
        lua_error(L);
    }
    yj_source f = {name, path, text, len};
    int pushed = source_push(&s->loaded, &s->nloaded, &s->caploaded, &f);
    int st = yj_load_source(L, path, text, len);
    free(path); free(text); free(err);
    if (pushed != 0) luaL_error(L, "not enough memory");
    if (st != LUA_OK) lua_error(L);
}

/* Upvalue 1: the table of loaded modules (name → value). */
static int sb_require(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    if (lua_getfield(L, lua_upvalueindex(1), name) != LUA_TNIL) {
        if (lua_touserdata(L, -1) == (void *)sb_require)
            return luaL_error(L, "require '%s': circular require", name);
        return 1;
    }
    lua_pop(L, 1);
    if (yj_modules_require(L, name)) {
        lock_metatables(L);
    } else {
        if (!valid_module_name(name))
            return luaL_error(L, "require '%s': a module name has letters, digits, '_' and '.' only", name);
        load_file(L, yj_run_of(L), name);
        lua_pushlightuserdata(L, (void *)sb_require);   /* mark: being loaded */
        lua_setfield(L, lua_upvalueindex(1), name);
        lua_pushstring(L, name);
        lua_call(L, 1, 1);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(1), name);
    return 1;
}

/* }================================================================== */

/* {==================================================================
 * Building the state
 * =================================================================== */

static void push_param(lua_State *L, const char *v) {
    if (!strcmp(v, "true")) { lua_pushboolean(L, 1); return; }
    if (!strcmp(v, "false")) { lua_pushboolean(L, 0); return; }
    /* lua_stringtonumber accepts hex and surrounding blanks; numbers here are decimal,
     * and a leading zero (a code such as 007) keeps the text. */
    int plain = *v != '\0';
    for (const char *p = v; *p; p++)
        if (!strchr("0123456789+-.eE", *p)) plain = 0;
    const char *digits = (*v == '-' || *v == '+') ? v + 1 : v;
    if (digits[0] == '0' && digits[1] >= '0' && digits[1] <= '9') plain = 0;
    if (plain && lua_stringtonumber(L, v) != 0) return;
    lua_pushstring(L, v);
}

static void push_ctx(lua_State *L, yj_script *s) {
    lua_createtable(L, 0, 4);
    yj_ymd d;
    if (s->as_of[0]) {
        d.y = s->as_of[0]; d.m = s->as_of[1]; d.d = s->as_of[2];
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        d.y = tm.tm_year + 1900; d.m = tm.tm_mon + 1; d.d = tm.tm_mday;
    }
    yj_pushdate(L, d);
    lua_setfield(L, -2, "as_of");
    lua_createtable(L, 0, (int)s->nparams);
    for (size_t i = 0; i < s->nparams; i++) {
        push_param(L, s->params[i].value);
        lua_setfield(L, -2, s->params[i].key);
    }
    lua_setfield(L, -2, "params");
    if (s->output) lua_pushstring(L, s->output); else lua_pushnil(L);
    lua_setfield(L, -2, "output");
    lua_pushstring(L, yj_format_name(s->format));
    lua_setfield(L, -2, "format");
    lua_pushstring(L, YJ_VERSION);
    lua_setfield(L, -2, "version");
}

static void keep_only(lua_State *L, int t, const char *const *allowed) {
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        int keep = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (int i = 0; allowed[i] && !keep; i++) keep = !strcmp(lua_tostring(L, -1), allowed[i]);
        if (!keep) {
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, t);
        }
    }
}

static int build(lua_State *L) {
    yj_run *run = lua_touserdata(L, 1);
    yj_script *s = run->s;
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine}, {NULL, NULL}
    };
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    keep_only(L, g, base_allowed);

    /* string without dump (the string metatable's __index is this same table). */
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    /* The strings' metatable is locked too: a __tostring or __index planted there would
     * run script code inside every C function that converts or indexes a string. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, YJ_LOCKED_METATABLE);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    /* coroutine: resume, wrap and close keep the limits in force (script_coroutine.c). */
    lua_getglobal(L, "coroutine");
    yj_coroutine_sandbox(L);
    lua_pop(L, 1);

    /* math.random: fixed seed per run; randomseed needs an explicit seed. */
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushvalue(L, -1);
    lua_pushinteger(L, 20200630);
    lua_call(L, 1, 0);
    lua_pushcclosure(L, sb_randomseed, 1);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);

    /* os: time, date, clock, difftime only. */
    luaL_requiref(L, "os", luaopen_os, 0);
    lua_createtable(L, 0, 4);
    static const char *const os_allowed[] = {"clock", "date", "difftime", "time", NULL};
    for (int i = 0; os_allowed[i]; i++) {
        lua_getfield(L, -2, os_allowed[i]);
        lua_setfield(L, -2, os_allowed[i]);
    }
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "os");
    lua_pushcclosure(L, lib_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, YJ_LOCKED_METATABLE);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "os");
    lua_pop(L, 1);

    /* debug: traceback only. */
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, sb_traceback);
    lua_setfield(L, -2, "traceback");
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "debug");
    lua_pushcclosure(L, lib_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, YJ_LOCKED_METATABLE);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "debug");

    static const luaL_Reg funcs[] = {
        {"collectgarbage", sb_collectgarbage}, {"load", sb_load}, {"print", sb_print},
        {"publish", yj_publish}, {NULL, NULL}
    };
    lua_pushglobaltable(L);
    luaL_setfuncs(L, funcs, 0);
    lua_pop(L, 1);
    lua_getglobal(L, "xpcall");
    lua_pushcclosure(L, sb_xpcall, 1);
    lua_setglobal(L, "xpcall");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, sb_setmetatable, 1);
    lua_setglobal(L, "setmetatable");
    lua_pushcfunction(L, sb_getmetatable);
    lua_setglobal(L, "getmetatable");
    lua_newtable(L);                         /* loaded modules */
    lua_pushcclosure(L, sb_require, 1);
    lua_setglobal(L, "require");

    yj_modules_open_globals(L);
    push_ctx(L, s);
    lua_setglobal(L, "ctx");
    if (s->extend) s->extend(L, s->extend_ud);

    /* Unknown globals are errors; the metatable itself is hidden. */
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "the global table is locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, g);
    lock_metatables(L);
    return 0;
}

lua_State *yj_state_new(yj_run *run) {
    lua_State *L = lua_newstate(yj_alloc, run);
    if (!L) return NULL;
    lua_pushcfunction(L, build);
    lua_pushlightuserdata(L, run);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        yj_script_fail(run->s, "cannot set up the sandbox: %s", m ? m : "out of memory");
        lua_close(L);
        return NULL;
    }
    run->L = L;
    yj_limits_install(run);
    return L;
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
    load_file(L, run, NULL);
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

int yj_script_run(yj_script *s, const char *script_path) {
    clear_run(s);
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
    lua_close(L);                 /* finalizes open statements before the db is detached */
    if (s->db) yj_sql_detach(&run, s->db);
    if (st != LUA_OK) {
        yj_results_free(run.results);
        return YJ_SCRIPT_ERROR;
    }
    s->results = run.results;
    return YJ_SCRIPT_OK;
}

/* }================================================================== */
