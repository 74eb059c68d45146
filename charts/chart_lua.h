/* chart_lua.h — the chart/PDF library as a Lua module, and the output policy it is given.
 *
 * The module knows nothing of who runs it. The embedder opens it with luaopen_yj_chart
 * (the script runtime lists it in its table of built-in modules, core/script_modules.c)
 * after giving the state an output policy with chart_lua_set_policy. Before the chart
 * library creates any file it asks that policy whether path may be written; a state
 * without a policy writes nothing.
 *
 * Errors (this layer's convention): functions called from Lua raise Lua errors
 * ("chart: ..." or luaL_argerror naming the field); out of memory is a Lua memory error
 * or "chart: out of memory". C functions below (chart.h, chart_doc.h) return 0 or -1 with
 * the reason in a caller's buffer. */
#ifndef YJ_CHART_LUA_H
#define YJ_CHART_LUA_H

#include <stddef.h>
#include <lua.h>

/* Which files the module may create. allowed returns 1 when path may be created or
 * overwritten; otherwise 0 with a reason in why (NUL-terminated, at most whylen bytes;
 * the module prefixes "chart: "). ud is the embedder's. */
typedef struct chart_output_policy {
    int (*allowed)(void *ud, const char *path, char *why, size_t whylen);
    void *ud;
} chart_output_policy;

/* Gives L the policy every chart.save and doc:save asks. p is borrowed: it must stay
 * valid as long as L may run chart code (NULL: nothing may be written). */
void chart_lua_set_policy(lua_State *L, const chart_output_policy *p);

/* Opens the module: pushes its table and returns 1 (luaopen convention). */
int luaopen_yj_chart(lua_State *L);

/* The two functions above as one object under one name, so an embedder reaches the module
 * through a single symbol: a link-time reference (which pulls chart_lua.o and the rest of
 * the library out of the archive) or dlsym on the shared build, yingji-chart.so, that
 * the yingji binary loads on the first require "chart" (core/script_modules.c). */
/* The layout of chart_lua_api and chart_output_policy: bump it when either changes. A
 * yingji-chart.so whose abi or version differs from the binary's is refused unopened. */
#define CHART_LUA_ABI 1u

typedef struct chart_lua_api {
    unsigned abi;            /* CHART_LUA_ABI of the build; first, so any build can read it */
    const char *version;     /* YJ_VERSION of the build */
    void (*set_policy)(lua_State *L, const chart_output_policy *p);
    int (*open)(lua_State *L);
} chart_lua_api;
extern const chart_lua_api chart_lua_linked;

#endif
