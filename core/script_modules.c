/* script_modules.c — the built-in modules of the script runtime, in one table (what
 * linit.c is to Lua). A module is either a global every script has (date, period, sql)
 * or one a script asks for with require (chart). Adding a module is one row here; no
 * other runtime file names a module.
 *
 * This is the only core/ file that includes a charts/ header (chart_lua.h): the chart
 * module gets the run's output policy (script_outputs.c) before it is opened, so charts/
 * never calls back into core/. */
#include <string.h>

#include "chart_lua.h"
#include "script_int.h"

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
    chart_output_policy *p = lua_newuserdatauv(L, sizeof *p, 0);
    p->allowed = yj_output_policy;
    p->ud = yj_run_of(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &anchor);
    chart_lua_set_policy(L, p);
    return luaopen_yj_chart(L);
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
