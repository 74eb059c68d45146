/* script_modules.c — the built-in modules of the script runtime, in one table (what
 * linit.c is to Lua). A module is either a global every script has (date, period, sql)
 * or one a script asks for with require (chart). Adding a module is one row here; no
 * other runtime file names a module.
 *
 * This is the only core/ file that includes a charts/ header (chart_lua.h): the chart
 * module gets the run's output policy (script_outputs.c) before it is opened, so charts/
 * never calls back into core/.
 *
 * The chart library is loaded lazily: the yingji binary is linked without it (and without
 * cairo, pango and fontconfig), and the first require "chart" loads yingji-chart.so
 * from beside the executable or from ../lib/yingji/ (make install), so a run that draws
 * nothing never maps those libraries (issue 18: the double decline paid for them at
 * every start). Programs linking libyingji.a with -u chart_lua_linked (the Makefile's
 * ALL_LIBS: tests, tools, fuzz harnesses) have the library linked in and use it as is. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chart_lua.h"
#include "script_int.h"
#include "version.h"

/* Defined (in charts/chart_lua.c) only when the chart library is linked in. */
extern const chart_lua_api chart_lua_linked __attribute__((weak));

#define CHART_SO "yingji-chart.so"

/* The chart library's entry points: linked in, or loaded once from CHART_SO (the handle
 * stays open for the life of the process). Raises a Lua error naming the files tried. */
static const chart_lua_api *chart_api(lua_State *L) {
    static const chart_lua_api *api;
    if (api) return api;
    if (&chart_lua_linked) return api = &chart_lua_linked;
    char exe[PATH_MAX], path[PATH_MAX + 64], tried[2 * (PATH_MAX + 64)] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return luaL_error(L, "chart: cannot find the chart library (" CHART_SO
                                  "): where the yingji program is cannot be read"), NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    static const char *const where[] = { "/" CHART_SO, "/../lib/yingji/" CHART_SO };
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        snprintf(path, sizeof path, "%s%s", exe, where[i]);
        if (access(path, F_OK) != 0) {
            snprintf(tried + strlen(tried), sizeof tried - strlen(tried), "%s%s",
                     i ? ", " : "", path);
            continue;
        }
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        const chart_lua_api *a = h ? dlsym(h, "chart_lua_linked") : NULL;
        if (!a) {
            const char *why = dlerror();
            return luaL_error(L, "chart: cannot load the chart library %s: %s", path,
                              why ? why : "no chart_lua_linked in it"), NULL;
        }
        if (a->abi != CHART_LUA_ABI || !a->version || strcmp(a->version, YJ_VERSION) != 0)
            return luaL_error(L, "chart: %s is from another build of yingji (install yingji and "
                              CHART_SO " from one build)", path), NULL;
        return api = a;
    }
    return luaL_error(L, "chart: the chart library is not installed (looked for %s; "
                      "make install puts it in PREFIX/lib/yingji/)", tried), NULL;
}

/* sql: the module's functions carry the run's database (may be NULL). */
static int open_sql(lua_State *L) {
    yj_run *run = yj_run_of(L);
    lua_settop(L, 0);
    lua_pushlightuserdata(L, run ? run->s->db : NULL);
    return luaopen_yj_sql(L);
}

/* chart: opened with the run's output policy. The policy object is a userdata anchored
 * in the registry, so it lives exactly as long as the state; scripts cannot reach it. */
static int open_chart(lua_State *L) {
    static const char anchor = 0;
    const chart_lua_api *api = chart_api(L);
    chart_output_policy *p = lua_newuserdatauv(L, sizeof *p, 0);
    p->allowed = yj_output_policy;
    p->ud = yj_run_of(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &anchor);
    api->set_policy(L, p);
    return api->open(L);
}

typedef struct {
    const char *name;
    lua_CFunction open;
    int global;          /* 1: a global of every script; 0: through require */
} yj_module;

static const yj_module modules[] = {
    { "date",   luaopen_yj_date,   1 },   /* script_date.c */
    { "period", luaopen_yj_period, 1 },   /* script_period.c */
    { "sql",    open_sql,          1 },   /* script_sql.c */
    { "chart",  open_chart,        0 },   /* charts/chart_lua.c */
    { NULL, NULL, 0 }
};

void yj_modules_open_globals(lua_State *L) {
    for (const yj_module *m = modules; m->name; m++) {
        if (!m->global) continue;
        luaL_requiref(L, m->name, m->open, 1);
        lua_pop(L, 1);
    }
}

int yj_modules_require(lua_State *L, const char *name) {
    for (const yj_module *m = modules; m->name; m++) {
        if (m->global || strcmp(m->name, name)) continue;
        lua_pushcfunction(L, m->open);
        lua_pushstring(L, name);
        lua_call(L, 1, 1);
        return 1;
    }
    return 0;
}
