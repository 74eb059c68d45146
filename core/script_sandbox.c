/* script_sandbox.c — the sandboxed Lua state of a run: the allow-list of libraries and
 * functions (everything not named here does not exist), the replaced base functions
 * (load, print, collectgarbage, xpcall, getmetatable, setmetatable, math.randomseed),
 * trimmed os and debug, locked metatables and the strict global table; then ctx, the
 * built-in modules (script_modules.c) and require (script_require.c). See
 * docs/scripting.md for what scripts see. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "script_int.h"
#include "version.h"

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
    yj_limits_check(L);                  /* a refusal pending here was not retried */
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

/* Pops the trimmed table of library name and makes it that global, with a locked
 * metatable whose __index names what the sandbox leaves out. */
static void set_trimmed_lib(lua_State *L, const char *name) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name);
    lua_pushcclosure(L, lib_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, YJ_LOCKED_METATABLE);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, name);
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
void yj_lock_metatables(lua_State *L) {
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
    if (s->known_on[0] && yj_parse_iso(s->known_on, &d) == 0) {
        yj_pushdate(L, d);
        lua_setfield(L, -2, "known_on");
    }
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
    set_trimmed_lib(L, "os");
    lua_pop(L, 1);

    /* debug: traceback only. */
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, sb_traceback);
    lua_setfield(L, -2, "traceback");
    set_trimmed_lib(L, "debug");

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
    lua_pushcclosure(L, yj_require, 1);
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
    yj_lock_metatables(L);
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
    yj_gc_sleep(run);
    yj_limits_install(run);
    return L;
}

/* }================================================================== */
