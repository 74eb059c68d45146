/* chart_lua.h — the chart/PDF library as a Lua module, and what it asks of the runtime.
 *
 * The script runtime (core/) makes `require "chart"` call luaopen_yj_chart. Before the
 * chart library creates any file it asks the runtime, through yj_output_allowed, whether
 * the running script may write there (the -o target, or inside --set charts_dir). */
#ifndef YJ_CHART_LUA_H
#define YJ_CHART_LUA_H

#include <stddef.h>
#include <lua.h>

/* Opens the module: pushes its table and returns 1 (luaopen convention). */
int luaopen_yj_chart(lua_State *L);

/* Defined by the runtime (core/). Returns 1 when the script running in L may create or
 * overwrite path; otherwise 0 with a reason in why (NUL-terminated, at most whylen). */
int yj_output_allowed(lua_State *L, const char *path, char *why, size_t whylen);

#endif
