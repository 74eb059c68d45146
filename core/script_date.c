/* script_date.c — calendar dates for scripts: the `date` module and date values.
 *
 * A date value is a full userdata (metatable "yj.date") holding year, month and day of
 * the proleptic Gregorian calendar. Values are immutable; arithmetic returns new ones.
 * The calendar itself (valid dates, months, ISO text, day numbers) is calendar.c. */
#include <stdio.h>
#include <string.h>

#include "script_int.h"

#define DATE_MT "yj.date"

/* {==================================================================
 * Date values
 * =================================================================== */

void yj_pushdate(lua_State *L, yj_ymd d) {
    if (!yj_date_valid(d.y, d.m, d.d))
        luaL_error(L, "date out of range (%d-%d-%d)", d.y, d.m, d.d);
    yj_ymd *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = d;
    luaL_setmetatable(L, DATE_MT);
}

int yj_isdate(lua_State *L, int idx, yj_ymd *out) {
    yj_ymd *u = luaL_testudata(L, idx, DATE_MT);
    if (u && out) *out = *u;
    return u != NULL;
}

yj_ymd yj_checkdate(lua_State *L, int idx) {
    yj_ymd d;
    if (yj_isdate(L, idx, &d)) return d;
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (strlen(s) == len && yj_parse_iso(s, &d) == 0) return d;   /* no NUL inside */
        luaL_argerror(L, idx, lua_pushfstring(L, "'%s' is not a valid date (YYYY-MM-DD)", s));
    }
    luaL_typeerror(L, idx, "date");
    return d;   /* not reached */
}

static void iso(yj_ymd d, char buf[16]) {
    snprintf(buf, 16, "%04d-%02d-%02d", d.y, d.m, d.d);
}

static int d_iso(lua_State *L) {
    char buf[16];
    iso(yj_checkdate(L, 1), buf);
    lua_pushstring(L, buf);
    return 1;
}

static int d_add_days(lua_State *L) {
    yj_ymd d = yj_checkdate(L, 1);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_argcheck(L, n > -4000000 && n < 4000000, 2, "too many days");
    yj_pushdate(L, yj_civil_from_days(yj_days_from_civil(d.y, d.m, d.d) + (long)n));
    return 1;
}

static int d_add_months(lua_State *L) {
    yj_ymd d = yj_checkdate(L, 1);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_argcheck(L, n > -120000 && n < 120000, 2, "too many months");
    yj_pushdate(L, yj_add_months(d, (int)n));
    return 1;
}

static int d_day_of_year(lua_State *L) {
    yj_ymd d = yj_checkdate(L, 1);
    lua_pushinteger(L, yj_days_from_civil(d.y, d.m, d.d) - yj_days_from_civil(d.y, 1, 1) + 1);
    return 1;
}

static const luaL_Reg date_methods[] = {
    {"add_days", d_add_days},
    {"add_months", d_add_months},
    {"day_of_year", d_day_of_year},
    {"iso", d_iso},
    {NULL, NULL}
};

static int d_index(lua_State *L) {
    yj_ymd d = yj_checkdate(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (!strcmp(k, "year")) lua_pushinteger(L, d.y);
    else if (!strcmp(k, "month")) lua_pushinteger(L, d.m);
    else if (!strcmp(k, "day")) lua_pushinteger(L, d.d);
    else {
        lua_getfield(L, lua_upvalueindex(1), k);
        if (lua_isnil(L, -1)) return luaL_error(L, "a date has no field '%s'", k);
    }
    return 1;
}

static int d_newindex(lua_State *L) {
    return luaL_error(L, "dates cannot be changed (use :add_days or date.ymd)");
}

static long serial(lua_State *L, int idx) {
    yj_ymd d = yj_checkdate(L, idx);
    return yj_days_from_civil(d.y, d.m, d.d);
}

static int d_eq(lua_State *L) { lua_pushboolean(L, serial(L, 1) == serial(L, 2)); return 1; }
static int d_lt(lua_State *L) { lua_pushboolean(L, serial(L, 1) < serial(L, 2)); return 1; }
static int d_le(lua_State *L) { lua_pushboolean(L, serial(L, 1) <= serial(L, 2)); return 1; }

static int d_concat(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    luaL_tolstring(L, 2, NULL);
    lua_concat(L, 2);
    return 1;
}

static const luaL_Reg date_meta[] = {
    {"__concat", d_concat},
    {"__eq", d_eq},
    {"__le", d_le},
    {"__lt", d_lt},
    {"__newindex", d_newindex},
    {"__tostring", d_iso},
    {NULL, NULL}
};

/* }================================================================== */

/* {==================================================================
 * The date module
 * =================================================================== */

static int m_parse(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    yj_ymd d;
    if (strlen(s) != len || yj_parse_iso(s, &d) != 0)
        return luaL_error(L, "date.parse: '%s' is not a valid date (YYYY-MM-DD)", s);
    yj_pushdate(L, d);
    return 1;
}

/* Integers from scripts are range-checked as lua_Integer before any cast to int: a
 * month of 2^32 + 2 is an error, never month 2. */
static int m_ymd(lua_State *L) {
    lua_Integer y = luaL_checkinteger(L, 1), m = luaL_checkinteger(L, 2),
                d = luaL_checkinteger(L, 3);
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 ||
        !yj_date_valid((int)y, (int)m, (int)d))
        return luaL_error(L, "date.ymd: %I-%I-%I is not a valid date", y, m, d);
    yj_ymd v = {(int)y, (int)m, (int)d};
    yj_pushdate(L, v);
    return 1;
}

/* A year argument: 1..9999, the range of dates. */
static int check_year(lua_State *L, int arg) {
    lua_Integer y = luaL_checkinteger(L, arg);
    luaL_argcheck(L, y >= 1 && y <= 9999, arg, "year out of range (1..9999)");
    return (int)y;
}

static int m_is_leap(lua_State *L) {
    lua_pushboolean(L, yj_is_leap(check_year(L, 1)));
    return 1;
}

static int m_days_in_month(lua_State *L) {
    int y = check_year(L, 1);
    lua_Integer m = luaL_checkinteger(L, 2);
    luaL_argcheck(L, m >= 1 && m <= 12, 2, "month must be 1..12");
    lua_pushinteger(L, yj_days_in_month(y, (int)m));
    return 1;
}

static int m_days_between(lua_State *L) {
    lua_pushinteger(L, serial(L, 2) - serial(L, 1));
    return 1;
}

/* Calendar months from a to b: (b.year - a.year) * 12 + b.month - a.month. */
static int m_months_between(lua_State *L) {
    yj_ymd a = yj_checkdate(L, 1), b = yj_checkdate(L, 2);
    lua_pushinteger(L, (lua_Integer)(b.y - a.y) * 12 + (b.m - a.m));
    return 1;
}

static int m_is_date(lua_State *L) {
    lua_pushboolean(L, yj_isdate(L, 1, NULL));
    return 1;
}

static const luaL_Reg date_funcs[] = {
    {"days_between", m_days_between},
    {"days_in_month", m_days_in_month},
    {"is_date", m_is_date},
    {"is_leap", m_is_leap},
    {"months_between", m_months_between},
    {"parse", m_parse},
    {"ymd", m_ymd},
    {NULL, NULL}
};

void yj_newclass(lua_State *L, const char *mt, const char *display, const luaL_Reg *meta,
                 const luaL_Reg *methods, lua_CFunction index) {
    luaL_newmetatable(L, mt);
    luaL_setfuncs(L, meta, 0);
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_pushcclosure(L, index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, display);
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, YJ_LOCKED_METATABLE);   /* what getmetatable gives scripts */
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}

int luaopen_yj_date(lua_State *L) {
    yj_newclass(L, DATE_MT, "date", date_meta, date_methods, d_index);
    luaL_newlib(L, date_funcs);
    return 1;
}

/* }================================================================== */
