/* script_period.c — reporting periods for scripts: the `period` module.
 *
 * A period value is a full userdata (metatable "yj.period"): a kind (ytd, month,
 * quarter, half, year, between) and two dates, from and to, both inclusive. Same period
 * last year keeps the kind (a month stays the whole month; 29 February becomes
 * 28 February); the previous period is the month/quarter/half/year before, or for ytd and
 * between the run of equally many days that ends the day before `from`. */
#include <stdio.h>
#include <string.h>

#include "script_int.h"

#define PERIOD_MT "yj.period"

enum { P_YTD, P_MONTH, P_QUARTER, P_HALF, P_YEAR, P_BETWEEN };
static const char *const kind_names[] = {"ytd", "month", "quarter", "half", "year", "between"};

typedef struct {
    int kind;
    yj_ymd from, to;
} period;

static long ser(yj_ymd d) { return yj_days_from_civil(d.y, d.m, d.d); }

static yj_ymd ymd(int y, int m, int d) {
    yj_ymd r = {y, m, d};
    return r;
}

static yj_ymd month_end(int y, int m) { return ymd(y, m, yj_days_in_month(y, m)); }

/* The period of kind k (not between) that contains d. */
static period containing(int k, yj_ymd d) {
    period p;
    p.kind = k;
    int m0;
    switch (k) {
    case P_YTD:     p.from = ymd(d.y, 1, 1); p.to = d; break;
    case P_MONTH:   p.from = ymd(d.y, d.m, 1); p.to = month_end(d.y, d.m); break;
    case P_QUARTER: m0 = (d.m - 1) / 3 * 3 + 1; p.from = ymd(d.y, m0, 1); p.to = month_end(d.y, m0 + 2); break;
    case P_HALF:    m0 = d.m <= 6 ? 1 : 7; p.from = ymd(d.y, m0, 1); p.to = month_end(d.y, m0 + 5); break;
    default:        p.from = ymd(d.y, 1, 1); p.to = ymd(d.y, 12, 31); break;
    }
    return p;
}

static int push_period(lua_State *L, period p) {
    if (!yj_date_valid(p.from.y, p.from.m, p.from.d) || !yj_date_valid(p.to.y, p.to.m, p.to.d))
        return luaL_error(L, "period out of range");
    period *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = p;
    luaL_setmetatable(L, PERIOD_MT);
    return 1;
}

static period *check(lua_State *L, int idx) {
    return luaL_checkudata(L, idx, PERIOD_MT);
}

/* {==================================================================
 * Methods
 * =================================================================== */

static int p_last_year(lua_State *L) {
    period *p = check(L, 1), r = *p;
    if (p->kind == P_YTD || p->kind == P_BETWEEN) {
        r.from = yj_add_months(p->from, -12);   /* 29 Feb -> 28 Feb */
        r.to = yj_add_months(p->to, -12);
    } else {
        r = containing(p->kind, yj_add_months(p->from, -12));
    }
    return push_period(L, r);
}

static int p_previous(lua_State *L) {
    period *p = check(L, 1), r = *p;
    long days = ser(p->to) - ser(p->from) + 1;
    switch (p->kind) {
    case P_MONTH:   r = containing(P_MONTH, yj_add_months(p->from, -1)); break;
    case P_QUARTER: r = containing(P_QUARTER, yj_add_months(p->from, -3)); break;
    case P_HALF:    r = containing(P_HALF, yj_add_months(p->from, -6)); break;
    case P_YEAR:    r = containing(P_YEAR, yj_add_months(p->from, -12)); break;
    default:
        r.kind = P_BETWEEN;
        r.to = yj_civil_from_days(ser(p->from) - 1);
        r.from = yj_civil_from_days(ser(p->from) - days);
        break;
    }
    return push_period(L, r);
}

static int p_days(lua_State *L) {
    period *p = check(L, 1);
    lua_pushinteger(L, ser(p->to) - ser(p->from) + 1);
    return 1;
}

static int p_contains(lua_State *L) {
    period *p = check(L, 1);
    long d = ser(yj_checkdate(L, 2));
    lua_pushboolean(L, d >= ser(p->from) && d <= ser(p->to));
    return 1;
}

/* The calendar months the period touches, in order, as month periods. */
static int p_months(lua_State *L) {
    period *p = check(L, 1);
    lua_newtable(L);
    yj_ymd m = ymd(p->from.y, p->from.m, 1);
    for (lua_Integer i = 1; ser(m) <= ser(p->to); i++) {
        push_period(L, containing(P_MONTH, m));
        lua_rawseti(L, -2, i);
        m = yj_add_months(m, 1);
    }
    return 1;
}

static int is_month_end(yj_ymd d) { return d.d == yj_days_in_month(d.y, d.m); }

static int p_label(lua_State *L) {
    period *p = check(L, 1);
    yj_ymd f = p->from, t = p->to;
    static const char *const q[] = {"一", "二", "三", "四"};
    switch (p->kind) {
    case P_YTD:
        if (!is_month_end(t)) lua_pushfstring(L, "1月1日—%d月%d日", t.m, t.d);
        else if (t.m == 1) lua_pushliteral(L, "1月");
        else lua_pushfstring(L, "1—%d月", t.m);
        break;
    case P_MONTH:   lua_pushfstring(L, "%d年%d月", f.y, f.m); break;
    case P_QUARTER: lua_pushfstring(L, "%d年第%s季度", f.y, q[(f.m - 1) / 3]); break;
    case P_HALF:    lua_pushfstring(L, "%d年%s半年", f.y, f.m == 1 ? "上" : "下"); break;
    case P_YEAR:    lua_pushfstring(L, "%d年", f.y); break;
    default:
        if (f.y == t.y)
            lua_pushfstring(L, "%d年%d月%d日—%d月%d日", f.y, f.m, f.d, t.m, t.d);
        else
            lua_pushfstring(L, "%d年%d月%d日—%d年%d月%d日", f.y, f.m, f.d, t.y, t.m, t.d);
        break;
    }
    return 1;
}

static int p_tostring(lua_State *L) {
    period *p = check(L, 1);
    char buf[64];
    snprintf(buf, sizeof buf, "%s %04d-%02d-%02d..%04d-%02d-%02d", kind_names[p->kind],
             p->from.y, p->from.m, p->from.d, p->to.y, p->to.m, p->to.d);
    lua_pushstring(L, buf);
    return 1;
}

static int p_eq(lua_State *L) {
    period *a = check(L, 1), *b = check(L, 2);
    lua_pushboolean(L, ser(a->from) == ser(b->from) && ser(a->to) == ser(b->to));
    return 1;
}

static const luaL_Reg period_methods[] = {
    {"contains", p_contains},
    {"days", p_days},
    {"label", p_label},
    {"last_year", p_last_year},
    {"months", p_months},
    {"previous", p_previous},
    {NULL, NULL}
};

static int p_index(lua_State *L) {
    period *p = check(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (!strcmp(k, "from")) yj_pushdate(L, p->from);
    else if (!strcmp(k, "to")) yj_pushdate(L, p->to);
    else if (!strcmp(k, "kind")) lua_pushstring(L, kind_names[p->kind]);
    else {
        lua_getfield(L, lua_upvalueindex(1), k);
        if (lua_isnil(L, -1)) return luaL_error(L, "a period has no field '%s'", k);
    }
    return 1;
}

static int p_newindex(lua_State *L) {
    return luaL_error(L, "periods cannot be changed (make a new one with period.between)");
}

static const luaL_Reg period_meta[] = {
    {"__eq", p_eq},
    {"__newindex", p_newindex},
    {"__tostring", p_tostring},
    {NULL, NULL}
};

/* }================================================================== */

/* {==================================================================
 * The period module
 * =================================================================== */

static int of_kind(lua_State *L, int k) { return push_period(L, containing(k, yj_checkdate(L, 1))); }
static int m_ytd(lua_State *L) { return of_kind(L, P_YTD); }
static int m_month(lua_State *L) { return of_kind(L, P_MONTH); }
static int m_quarter(lua_State *L) { return of_kind(L, P_QUARTER); }
static int m_half(lua_State *L) { return of_kind(L, P_HALF); }

static int m_year(lua_State *L) {
    lua_Integer y = luaL_checkinteger(L, 1);
    luaL_argcheck(L, y >= 1 && y <= 9999, 1, "year out of range");
    return push_period(L, containing(P_YEAR, ymd((int)y, 1, 1)));
}

static int m_between(lua_State *L) {
    period p;
    p.kind = P_BETWEEN;
    p.from = yj_checkdate(L, 1);
    p.to = yj_checkdate(L, 2);
    if (ser(p.to) < ser(p.from))
        return luaL_error(L, "period.between: the end comes before the start");
    return push_period(L, p);
}

static int m_elapsed_share(lua_State *L) {
    yj_ymd d = yj_checkdate(L, 1);
    long doy = ser(d) - yj_days_from_civil(d.y, 1, 1) + 1;
    lua_pushnumber(L, (lua_Number)doy / (yj_is_leap(d.y) ? 366 : 365));
    return 1;
}

static const luaL_Reg period_funcs[] = {
    {"between", m_between},
    {"elapsed_share", m_elapsed_share},
    {"half", m_half},
    {"month", m_month},
    {"quarter", m_quarter},
    {"year", m_year},
    {"ytd", m_ytd},
    {NULL, NULL}
};

int luaopen_yj_period(lua_State *L) {
    yj_newclass(L, PERIOD_MT, "period", period_meta, period_methods, p_index);
    luaL_newlib(L, period_funcs);
    return 1;
}

/* }================================================================== */
