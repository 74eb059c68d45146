/* script_coroutine.c — Lua's coroutine library for scripts, with every limit in force
 * inside coroutines.
 *
 * Lua keeps hooks per thread, and a coroutine runs only through resume (coroutine.resume,
 * a function from coroutine.wrap) or, for its pending __close methods, coroutine.close.
 * Those three are replaced here; create, yield, status, running and isyieldable are
 * Lua's own. Around each run of a coroutine (script_limits.c):
 * - before: a tripped limit is raised at once (a coroutine stopped by the hook has its
 *   hooks off in Lua, so its __close methods must never run), else the coroutine's count
 *   hook is restarted with its first step charged up front;
 * - after: a limit that tripped inside is raised in the caller, so `false, message` from
 *   resume, a pcall around it, or wrap's error path cannot let the script go on.
 * The memory cap needs nothing here: the allocator is shared by all threads. */
#include "script_int.h"

/* Calls Lua's function (upvalue 1) with the arguments on the stack, the coroutine being
 * argument 1 (checked here, so that the message names the function the script called). */
static int around(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTHREAD);
    yj_limits_enter_thread(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    yj_limits_check(L);
    return lua_gettop(L);
}

/* The function coroutine.wrap returns: Lua's auxwrap (lcorolib.c) over the resume above.
 * Upvalue 1: the coroutine; 2: Lua's coroutine.resume. */
static int wrapped(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int n = lua_gettop(L);
    yj_limits_enter_thread(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_rotate(L, 1, 2);                      /* resume, co, args... */
    lua_call(L, n + 1, LUA_MULTRET);
    yj_limits_check(L);
    if (lua_toboolean(L, 1)) {
        lua_remove(L, 1);
        return lua_gettop(L);
    }
    int st = lua_status(co);
    if (st != LUA_OK && st != LUA_YIELD) {    /* an error inside: close its tbc variables */
        yj_limits_enter_thread(L, lua_upvalueindex(1));
        lua_resetthread(co);
        yj_limits_check(L);
        lua_xmove(co, L, 1);                  /* the error after closing */
    }
    if (lua_type(L, -1) == LUA_TSTRING) {     /* with the caller's position, as Lua does */
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

/* coroutine.wrap(f). Upvalue 1: Lua's coroutine.create; 2: Lua's coroutine.resume. */
static int wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushcclosure(L, wrapped, 2);
    return 1;
}

void yj_coroutine_sandbox(lua_State *L) {
    int co = lua_gettop(L);
    lua_getfield(L, co, "resume");
    lua_pushcclosure(L, around, 1);
    lua_getfield(L, co, "close");
    lua_pushcclosure(L, around, 1);
    lua_getfield(L, co, "create");
    lua_getfield(L, co, "resume");
    lua_pushcclosure(L, wrap, 2);
    lua_setfield(L, co, "wrap");
    lua_setfield(L, co, "close");
    lua_setfield(L, co, "resume");
}
