/* script_fixture.c — fixture databases for `yingji test`: fixture{...} builds an
 * in-memory database with the current schema from inline rows, stored by the importer
 * itself (imp_writer.h) for every dataset of the registry (dataset.h): each value read
 * as the cell of its column, units by code, name or alias, defaults and the level of
 * Decree 493 filled in, side tables written, batch 1. A row the importer would refuse
 * is an error naming the dataset, the row and the importer's reasons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "dataset.h"
#include "db.h"
#include "imp_writer.h"
#include "script_int.h"

#define FIXTURE_MT "yj.fixture"

enum { IMP_FIXTURE_COLS = 32 };   /* more than the widest dataset */

typedef struct {
    sqlite3 *db;
} fixture;

sqlite3 *yj_fixture_db(lua_State *L, int idx) {
    fixture *f = luaL_checkudata(L, idx, FIXTURE_MT);
    if (!f->db) luaL_error(L, "the fixture database is closed");
    return f->db;
}

static int f_close(lua_State *L) {
    fixture *f = luaL_checkudata(L, 1, FIXTURE_MT);
    sqlite3_close(f->db);
    f->db = NULL;
    return 0;
}

/* The text of the cell a fixture value stands for (pushed): strings as they are,
 * integers and floats in full, booleans 1/0, a list of units joined by '、'. */
static void push_cell(lua_State *L, const char *ds, int r, const char *k, int v) {
    switch (lua_type(L, v)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, v, &len);
        if (strlen(s) != len) luaL_error(L, "fixture: %s row %d: %s has a NUL byte", ds, r, k);
        lua_pushvalue(L, v);
        return;
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, v)) lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, v));
        else {
            char num[40];
            snprintf(num, sizeof num, "%.17g", (double)lua_tonumber(L, v));
            lua_pushstring(L, num);
        }
        return;
    case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, v) ? "1" : "0");
        return;
    case LUA_TTABLE: {
        luaL_Buffer b;
        lua_Integer n = luaL_len(L, v);
        luaL_buffinit(L, &b);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, v, i);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "fixture: %s row %d: %s: item %d is not a string", ds, r, k, (int)i);
            if (i > 1) luaL_addstring(&b, "、");
            luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        return;
    }
    default:
        luaL_error(L, "fixture: %s row %d: %s: a %s is not a value", ds, r, k, luaL_typename(L, v));
    }
}

/* Stores the row table at index row (the r-th of dataset ds) with the writer w: each
 * key a column name of the dataset registry, each value a cell (push_cell). */
static void store_row(lua_State *L, imp_writer *w, const imp_dataset *ds, int row, int r) {
    int base = lua_gettop(L), has_id = 0;
    lua_createtable(L, ds->ncols, 0);        /* dataset column index + 1 -> cell text */
    int cells = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, row)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "fixture: %s row %d: keys must be column names", ds->name, r);
        const char *k = lua_tostring(L, -2);
        /* letters, digits and '_' only, as ever (the key was once SQL) */
        if (!(*k == '_' || ((*k | 32) >= 'a' && (*k | 32) <= 'z')) || k[strspn(k,
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] != '\0')
            luaL_error(L, "fixture: %s row %d: '%s' is not a column name", ds->name, r, k);
        if (!strcmp(k, "received")) {          /* the row's knowledge date: l_fixture's */
            lua_pop(L, 1);
            continue;
        }
        int i = imp_dataset_column(ds, k);
        if (i < 0) luaL_error(L, "fixture: %s row %d: '%s' is not a column of %s", ds->name, r, k, ds->name);
        has_id |= !strcmp(k, "id");
        push_cell(L, ds->name, r, k, lua_gettop(L));
        lua_rawseti(L, cells, i + 1);
        lua_pop(L, 1);
    }
    int id = imp_dataset_column(ds, "id");
    if (ds->fixture_id && id >= 0 && !has_id) {          /* A1, A2, ... I1, I2, ... */
        lua_pushfstring(L, "%c%d", ds->fixture_id, r);
        lua_rawseti(L, cells, id + 1);
    }
    const char *text[IMP_FIXTURE_COLS];
    for (int i = 0; i < ds->ncols && i < IMP_FIXTURE_COLS; i++) {
        lua_rawgeti(L, cells, i + 1);
        text[i] = lua_tostring(L, -1);       /* anchored in cells */
        lua_pop(L, 1);
    }
    char err[1024];
    if (imp_writer_row(w, text, err, sizeof err) != 0)
        luaL_error(L, "fixture: %s row %d: %s", ds->name, r, err);
    lua_settop(L, base);
}

/* The knowledge date of the row table at index row (the r-th of dataset ds): its
 * `received` (a date or an ISO date text) into iso, or "" when it has none. */
static void row_received(lua_State *L, const char *ds, int row, int r, char iso[11]) {
    iso[0] = '\0';
    if (lua_getfield(L, row, "received") != LUA_TNIL) {
        yj_ymd d;
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!yj_isdate(L, -1, &d) && !(s && strlen(s) == lua_rawlen(L, -1) && yj_parse_iso(s, &d) == 0))
            luaL_error(L, "fixture: %s row %d: received: '%s' is not a date (YYYY-MM-DD)", ds, r,
                       luaL_tolstring(L, -1, NULL));
        snprintf(iso, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
    }
    lua_pop(L, 1);
}

/* The writer of the dataset being stored, freed by __gc/__close when an error unwinds. */
#define WRITER_MT "yj.fixture.writer"

static int writer_gc(lua_State *L) {
    imp_writer **w = luaL_checkudata(L, 1, WRITER_MT);
    imp_writer_free(*w);
    *w = NULL;
    return 0;
}

/* fixture{units = {...}, accidents = {...}, ...} → a fixture database. */
static int l_fixture(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    fixture *f = lua_newuserdatauv(L, sizeof *f, 0);
    f->db = NULL;
    luaL_setmetatable(L, FIXTURE_MT);
    char *err = NULL;
    if (db_open(":memory:", DB_READWRITE | DB_CREATE, &f->db, &err) != 0) {
        lua_pushfstring(L, "fixture: %s", err ? err : "cannot create the database");
        free(err);
        return lua_error(L);
    }
    /* An in-memory database that can reach no file: no ATTACH (the authorizer of
     * db:value and of the scripts refuses it as well). */
    sqlite3_limit(f->db, SQLITE_LIMIT_ATTACHED, 0);
    if (sqlite3_exec(f->db, "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)"
                     " VALUES (1, 'fixture', 'fixture', '', 'utf-8', '2000-01-01 00:00:00')",
                     NULL, NULL, NULL) != SQLITE_OK)
        return luaL_error(L, "fixture: %s", sqlite3_errmsg(f->db));
    lua_pushnil(L);
    while (lua_next(L, 1)) {               /* reject unknown datasets first */
        if (lua_type(L, -2) != LUA_TSTRING || !imp_dataset_find(lua_tostring(L, -2)))
            return luaL_error(L, "fixture: unknown dataset '%s'", luaL_tolstring(L, -2, NULL));
        lua_pop(L, 1);
    }
    /* Knowledge dates (issue 13): the rows without `received` are import 1 (received
     * '': known on any day); each distinct `received` date is an import of its own,
     * received that day, stored in date order, so that a row of the same key received
     * later is a correction (the earlier values become a revision). */
    enum { MAX_DATES = 32 };
    char dates[MAX_DATES][11];
    int ndates = 0;
    for (int d = 0; d < imp_dataset_count(); d++) {
        const imp_dataset *ds = imp_dataset_at(d);
        if (lua_getfield(L, 1, ds->name) == LUA_TTABLE) {
            lua_Integer n = luaL_len(L, -1);
            for (lua_Integer i = 1; i <= n; i++) {
                char iso[11];
                if (lua_geti(L, -1, i) == LUA_TTABLE) row_received(L, ds->name, lua_gettop(L), (int)i, iso);
                else iso[0] = '\0';
                lua_pop(L, 1);
                int k = 0;
                while (iso[0] && k < ndates && strcmp(dates[k], iso) < 0) k++;
                if (!iso[0] || (k < ndates && !strcmp(dates[k], iso))) continue;
                if (ndates == MAX_DATES)
                    return luaL_error(L, "fixture: more than %d received dates", MAX_DATES);
                memmove(dates[k + 1], dates[k], (size_t)(ndates - k) * sizeof dates[0]);
                memcpy(dates[k], iso, 11);
                ndates++;
            }
        }
        lua_pop(L, 1);
    }
    /* The rows go through the importer (imp_writer.h), one transaction for all, in the
     * registry's load order: units first, the others refer to them. */
    if (sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return luaL_error(L, "fixture: %s", sqlite3_errmsg(f->db));
    for (int g = 0; g < ndates; g++) {
        char sql[256];
        snprintf(sql, sizeof sql, "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at, received)"
                 " VALUES (%d, 'fixture', 'fixture', '', 'utf-8', '2000-01-01 00:00:00', '%.10s')", g + 2, dates[g]);
        if (sqlite3_exec(f->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return luaL_error(L, "fixture: %s", sqlite3_errmsg(f->db));
    }
    imp_writer **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, WRITER_MT);
    int boxi = lua_gettop(L);
    for (int g = -1; g < ndates; g++)            /* -1: the rows without a date */
        for (int d = 0; d < imp_dataset_count(); d++) {
            const imp_dataset *ds = imp_dataset_at(d);
            if (lua_getfield(L, 1, ds->name) == LUA_TNIL) { lua_pop(L, 1); continue; }
            int rows = lua_gettop(L);
            lua_Integer n = luaL_len(L, rows);
            char why[512];
            if (!(*box = imp_writer_new(f->db, ds, g + 2, why, sizeof why)))
                return luaL_error(L, "fixture: %s: %s", ds->name, why);
            for (lua_Integer i = 1; i <= n; i++) {
                if (lua_geti(L, rows, i) != LUA_TTABLE)
                    return luaL_error(L, "fixture: %s row %d is not a table", ds->name, (int)i);
                char iso[11];
                row_received(L, ds->name, lua_gettop(L), (int)i, iso);
                if (g < 0 ? !iso[0] : !strcmp(iso, dates[g])) store_row(L, *box, ds, lua_gettop(L), (int)i);
                lua_pop(L, 1);
            }
            imp_writer_free(*box);
            *box = NULL;
            lua_pop(L, 1);
        }
    lua_remove(L, boxi);
    if (sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return luaL_error(L, "fixture: %s", sqlite3_errmsg(f->db));
    lua_settop(L, 2);
    return 1;
}

/* db:value(sql, ...) for tests that look into their fixture: read-only, through the same
 * authorizer and limits as a script's sql.value. */
static int f_value(lua_State *L) {
    sqlite3 *db = yj_fixture_db(L, 1);
    lua_remove(L, 1);
    return yj_sql_value_on(L, db);
}

static const luaL_Reg fixture_methods[] = {
    {"close", f_close},
    {"value", f_value},
    {NULL, NULL}
};

void yj_fixture_open(lua_State *L) {
    luaL_newmetatable(L, WRITER_MT);
    lua_pushcfunction(L, writer_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newmetatable(L, FIXTURE_MT);
    lua_pushcfunction(L, f_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, f_close);
    lua_setfield(L, -2, "__close");
    luaL_newlib(L, fixture_methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_pushcfunction(L, l_fixture);
    lua_setglobal(L, "fixture");
}
