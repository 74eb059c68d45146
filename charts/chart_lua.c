/* chart_lua.c — placeholder for the chart module until the chart library lands. */
#include <lauxlib.h>

#include "chart_lua.h"

int luaopen_yj_chart(lua_State *L) {
    return luaL_error(L, "the chart library is not built yet");
}
