/* script_fixture.c — fixture databases for `yingji test`: fixture{...} builds an
 * in-memory database with the current schema from inline rows, filling defaults the way
 * the importer would (unit codes become unit_id, level derived from the figures per
 * shared/spec/data.md when absent, booleans as 0/1, batch 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "script_int.h"

#define FIXTURE_MT "yj.fixture"

typedef struct {
    sqlite3 *db;
} fixture;

/* Datasets in load order (units first: the others refer to them). */
static const char *const datasets[] = {
    "units", "accidents", "inspections", "assessments", "targets", "tasks", NULL
};

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

/* Runs one statement with the values on the stack from index first (count n). */
static void exec_bound(lua_State *L, sqlite3 *db, const char *sql, int first, int n) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        luaL_error(L, "fixture: %s", sqlite3_errmsg(db));
    for (int i = 0; i < n; i++) yj_sql_bind(L, st, i + 1, first + i);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) luaL_error(L, "fixture: %s (%s)", sqlite3_errmsg(db), sql);
}

static lua_Integer unit_id(lua_State *L, sqlite3 *db, const char *ds, int row, const char *ref) {
    sqlite3_stmt *st;
    lua_Integer id = -1;
    sqlite3_prepare_v2(db, "SELECT id FROM units WHERE code = ?1 OR name = ?1"
                       " UNION ALL SELECT unit_id FROM unit_aliases WHERE alias = ?1 LIMIT 1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (id < 0) luaL_error(L, "fixture: %s row %d: unknown unit '%s'", ds, row, ref);
    return id;
}

static lua_Number num(lua_State *L, int row, const char *k) {
    lua_getfield(L, row, k);
    lua_Number v = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 0;
    lua_pop(L, 1);
    return v;
}

/* The level of Decree No. 493, art. 3 (missing persons count with deaths). */
static const char *level_of(lua_State *L, int row) {
    lua_Number dead = num(L, row, "deaths") + num(L, row, "missing");
    lua_Number serious = num(L, row, "serious_injuries"), loss = num(L, row, "direct_loss");
    if (dead >= 30 || serious >= 100 || loss >= 10000) return "特别重大";
    if (dead >= 10 || serious >= 50 || loss >= 5000) return "重大";
    if (dead >= 3 || serious >= 10 || loss >= 1000) return "较大";
    return "一般";
}

/* Splits a unit list "T01、T02;T03" (or an alias list) into a table of names (pushed). */
static void split_units(lua_State *L, const char *s) {
    static const char *const seps[] = {";", ",", "、", "；", "，", NULL};
    int n = 0;
    lua_newtable(L);
    while (*s) {
        size_t k = strlen(s), seplen = 0;
        for (int i = 0; seps[i]; i++) {
            const char *p = strstr(s, seps[i]);
            if (p && (size_t)(p - s) < k) { k = (size_t)(p - s); seplen = strlen(seps[i]); }
        }
        size_t b = 0, e = k;
        while (b < e && s[b] == ' ') b++;
        while (e > b && s[e - 1] == ' ') e--;
        if (e > b) { lua_pushlstring(L, s + b, e - b); lua_rawseti(L, -2, ++n); }
        s += k + seplen;
    }
}

/* Inserts task_units rows for a lead/cooperating value (a list or a separated string). */
static void task_units(lua_State *L, sqlite3 *db, int row, int r, const char *role) {
    lua_getfield(L, row, role);
    int v = lua_gettop(L);
    if (lua_isnil(L, v)) { lua_pop(L, 1); return; }
    if (lua_type(L, v) == LUA_TSTRING) {
        split_units(L, lua_tostring(L, v));
        lua_replace(L, v);
    }
    lua_Integer n = luaL_len(L, v);
    for (lua_Integer i = 1; i <= n; i++) {
        int base = lua_gettop(L);
        lua_getfield(L, row, "year");
        lua_getfield(L, row, "no");
        lua_geti(L, v, i);
        lua_pushinteger(L, unit_id(L, db, "tasks", r, luaL_checkstring(L, -1)));
        lua_replace(L, -2);
        lua_pushstring(L, role);
        exec_bound(L, db, "INSERT INTO task_units(year, no, unit_id, role) VALUES (?, ?, ?, ?)",
                   base + 1, 4);
        lua_settop(L, base);
    }
    lua_pop(L, 1);
}

/* Appends column col with the value on top of the stack (popped) to the pending row. */
static void add(lua_State *L, int cols, int vals, int *n, const char *col) {
    (*n)++;
    lua_rawseti(L, vals, *n);
    lua_pushstring(L, col);
    lua_rawseti(L, cols, *n);
}

/* Inserts the row table at index row into dataset ds (its r-th row). */
static void insert_row(lua_State *L, sqlite3 *db, const char *ds, int row, int r) {
    int base = lua_gettop(L), n = 0, has_level = 0, has_id = 0;
    int is_acc = !strcmp(ds, "accidents"), is_task = !strcmp(ds, "tasks");
    lua_newtable(L);
    int cols = lua_gettop(L);
    lua_newtable(L);
    int vals = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, row)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "fixture: %s row %d: keys must be column names", ds, r);
        const char *k = lua_tostring(L, -2);
        /* The key becomes a quoted identifier in the INSERT: letters, digits, '_' only. */
        if (!(*k == '_' || ((*k | 32) >= 'a' && (*k | 32) <= 'z')) || k[strspn(k,
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] != '\0')
            luaL_error(L, "fixture: %s row %d: '%s' is not a column name", ds, r, k);
        if (is_task && (!strcmp(k, "lead") || !strcmp(k, "cooperating"))) {
            lua_pop(L, 1);
            continue;
        }
        const char *col = k;
        if (!strcmp(k, "unit") || !strcmp(k, "inspector")) {
            col = k[0] == 'u' ? "unit_id" : "inspector_id";
            lua_Integer id = unit_id(L, db, ds, r, luaL_checkstring(L, -1));
            lua_pop(L, 1);
            lua_pushinteger(L, id);
        }
        has_level |= !strcmp(k, "level");
        has_id |= !strcmp(k, "id");
        add(L, cols, vals, &n, col);
    }
    if (is_acc && !has_level) {
        lua_pushstring(L, level_of(L, row));
        add(L, cols, vals, &n, "level");
    }
    if ((is_acc || !strcmp(ds, "inspections")) && !has_id) {
        lua_pushfstring(L, "%c%d", is_acc ? 'A' : 'I', r);
        add(L, cols, vals, &n, "id");
    }
    lua_pushinteger(L, 1);
    add(L, cols, vals, &n, "batch");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "INSERT INTO ");
    luaL_addstring(&b, ds);
    luaL_addstring(&b, "(");
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addstring(&b, ", ");
        lua_rawgeti(L, cols, i);
        luaL_addstring(&b, "\"");
        luaL_addvalue(&b);
        luaL_addstring(&b, "\"");
    }
    luaL_addstring(&b, ") VALUES (");
    for (int i = 1; i <= n; i++) luaL_addstring(&b, i > 1 ? ", ?" : "?");
    luaL_addstring(&b, ")");
    luaL_pushresult(&b);
    int sql = lua_gettop(L);
    for (int i = 1; i <= n; i++) lua_rawgeti(L, vals, i);
    exec_bound(L, db, lua_tostring(L, sql), sql + 1, n);
    lua_settop(L, base);
    if (is_task) {
        task_units(L, db, row, r, "lead");
        task_units(L, db, row, r, "cooperating");
    }
    if (!strcmp(ds, "units") && lua_getfield(L, row, "aliases") == LUA_TSTRING) {
        split_units(L, lua_tostring(L, -1));      /* "A；B、C" → unit_aliases rows */
        lua_Integer id = sqlite3_last_insert_rowid(db);
        for (lua_Integer i = 1, k = luaL_len(L, -1); i <= k; i++) {
            lua_geti(L, -1, i);
            lua_pushinteger(L, id);
            exec_bound(L, db, "INSERT INTO unit_aliases(alias, unit_id) VALUES (?, ?)",
                       lua_gettop(L) - 1, 2);
            lua_pop(L, 2);
        }
    }
    lua_settop(L, base);
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
        int known = 0;
        if (lua_type(L, -2) == LUA_TSTRING)
            for (int i = 0; datasets[i]; i++) known |= !strcmp(lua_tostring(L, -2), datasets[i]);
        if (!known) return luaL_error(L, "fixture: unknown dataset '%s'", luaL_tolstring(L, -2, NULL));
        lua_pop(L, 1);
    }
    for (int d = 0; datasets[d]; d++) {
        if (lua_getfield(L, 1, datasets[d]) == LUA_TNIL) { lua_pop(L, 1); continue; }
        int rows = lua_gettop(L);
        lua_Integer n = luaL_len(L, rows);
        for (lua_Integer i = 1; i <= n; i++) {
            if (lua_geti(L, rows, i) != LUA_TTABLE)
                return luaL_error(L, "fixture: %s row %d is not a table", datasets[d], (int)i);
            insert_row(L, f->db, datasets[d], lua_gettop(L), (int)i);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
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
