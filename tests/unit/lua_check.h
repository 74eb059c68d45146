/* lua_check.h — check.h's helpers for tests that run Lua code on a bare state of their
 * own (the chart module's tests): the state L (the test creates it), run(code), and the
 * assertions OK (the code runs) and FAILS (it raises an error containing a text). */
#ifndef YJ_LUA_CHECK_H
#define YJ_LUA_CHECK_H

#include <string.h>
#include <lauxlib.h>

#include "check.h"

static lua_State *L;

/* Runs code on L; returns NULL when it succeeds, else the error message (owned by L,
 * valid until the next run). */
static const char *run(const char *code) {
    lua_settop(L, 0);
    if (luaL_dostring(L, code) == LUA_OK) return NULL;
    return lua_tostring(L, -1);
}

#define OK(code, what) do { const char *e_ = run(code); \
    CHECK(e_ == NULL, "%s%s%s", what, e_ ? ": " : "", e_ ? e_ : ""); } while (0)
#define FAILS(code, text, what) do { const char *e_ = run(code); \
    CHECK(e_ && strstr(e_, text), "%s (%s)", what, e_ ? e_ : "no error"); } while (0)

#endif
