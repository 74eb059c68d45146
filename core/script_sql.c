/* script_sql.c — read-only SQL for scripts: the `sql` module.
 *
 * sql.query / sql.rows / sql.one / sql.value prepare one statement, bind `?` from the
 * extra arguments or `:name` from a single table argument, and give rows as tables keyed
 * by column name. The connection is opened read-only by the caller; on top of that the
 * authorizer below allows reading only (no writes, ATTACH, state-changing PRAGMA,
 * load_extension), and the progress handler enforces the SQL time limit. The database
 * handle is the first upvalue of every function (a light userdata). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "script_int.h"

#define STMT_MT "yj.sql.statement"

/* {==================================================================
 * Authorizer
 * =================================================================== */

/* PRAGMAs a script may run: reading the schema and the version, nothing that sets. */
static const char *const read_pragmas[] = {
    "collation_list", "foreign_key_list", "function_list", "index_info", "index_list",
    "index_xinfo", "schema_version", "table_info", "table_list", "table_xinfo",
    "user_version", NULL
};

static int deny(yj_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int deny(yj_run *run, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(run->auth_reason, sizeof run->auth_reason, fmt, ap);
    va_end(ap);
    return SQLITE_DENY;
}

static int authorize(void *ud, int action, const char *a3, const char *a4,
                     const char *db, const char *trigger) {
    yj_run *run = ud;
    (void)db; (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        if (a4 && !sqlite3_stricmp(a4, "load_extension"))
            return deny(run, "loading extensions is not allowed");
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        for (int i = 0; read_pragmas[i]; i++)
            if (!sqlite3_stricmp(a3, read_pragmas[i])) {
                int takes_table = strstr(a3, "_info") || strstr(a3, "_list") || strstr(a3, "_xinfo");
                if (a4 == NULL || takes_table) return SQLITE_OK;
            }
        return deny(run, "PRAGMA %s%s is not allowed: scripts may only read", a3 ? a3 : "?",
                    a4 ? " with a value" : "");
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        return deny(run, "ATTACH/DETACH is not allowed");
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        return deny(run, "writing is not allowed (table %s): scripts may only read",
                    a3 ? a3 : "?");
    default:
        return deny(run, "this statement is not allowed: scripts may only read (SELECT)");
    }
}

/* SQLite's heap during a run may exceed the script's cap by this much (page cache,
 * schema, sorter buffers). */
#define SQL_HEAP_HEADROOM (64LL << 20)

void yj_sql_attach(yj_run *run, sqlite3 *db) {
    /* One read transaction around the whole run: every query of the script sees the
     * same state of the database (in WAL mode an import committing meanwhile is either
     * wholly visible or not at all). */
    run->began_read = sqlite3_get_autocommit(db) && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_set_authorizer(db, authorize, run);
    sqlite3_progress_handler(db, 10000, yj_sql_progress, run);
    /* SQLite's memory is not the Lua heap: cap the size of one string or blob (so
     * randomblob(1e9) fails) at the script's memory limit. */
    run->saved_length_limit = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1);
    long long cap = (long long)run->mem_max;
    if (cap < run->saved_length_limit)
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)(cap < 1024 ? 1024 : cap));
    /* And all of SQLite's heap (process-wide) at the cap plus room for its caches. */
    run->saved_heap_limit = sqlite3_hard_heap_limit64(-1);
    sqlite3_int64 heap = (sqlite3_int64)run->mem_max + SQL_HEAP_HEADROOM;
    if (run->saved_heap_limit == 0 || heap < run->saved_heap_limit) sqlite3_hard_heap_limit64(heap);
}

void yj_sql_detach(yj_run *run, sqlite3 *db) {
    sqlite3_set_authorizer(db, NULL, NULL);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, run->saved_length_limit);
    sqlite3_hard_heap_limit64(run->saved_heap_limit);
    if (run->began_read && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    run->began_read = 0;
}

/* }================================================================== */

/* {==================================================================
 * Statements
 * =================================================================== */

typedef struct {
    sqlite3_stmt *st;
    int ncols;
} statement;

static sqlite3 *getdb(lua_State *L) {
    sqlite3 *db = lua_touserdata(L, lua_upvalueindex(1));
    if (!db) luaL_error(L, "sql: this run has no database");
    return db;
}

static int sql_fail(lua_State *L, sqlite3 *db, int rc) {
    yj_run *run = yj_run_of(L);
    int code = sqlite3_errcode(db);
    if (rc == SQLITE_NOMEM || rc == SQLITE_TOOBIG || code == SQLITE_NOMEM || code == SQLITE_TOOBIG)
        yj_limits_trip(run, YJ_TRIP_MEMORY);
    if (run->tripped) {
        luaL_where(L, 1);
        lua_pushstring(L, run->trip_msg);
        lua_concat(L, 2);
        return lua_error(L);
    }
    (void)rc;
    if (run->auth_reason[0])
        return luaL_error(L, "sql: %s", run->auth_reason);
    return luaL_error(L, "sql: %s", sqlite3_errmsg(db));
}

int yj_sql_bind(lua_State *L, sqlite3_stmt *st, int i, int idx) {
    yj_ymd d;
    char iso[16];
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return sqlite3_bind_null(st, i);
    case LUA_TBOOLEAN:
        return sqlite3_bind_int(st, i, lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return sqlite3_bind_int64(st, i, lua_tointeger(L, idx));
        return sqlite3_bind_double(st, i, lua_tonumber(L, idx));
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return sqlite3_bind_text64(st, i, s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    default:
        if (yj_isdate(L, idx, &d)) {
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.y, d.m, d.d);
            return sqlite3_bind_text(st, i, iso, -1, SQLITE_TRANSIENT);
        }
        return luaL_error(L, "sql: cannot bind a %s to parameter %d", luaL_typename(L, idx), i);
    }
}

/* Binds the arguments from stack index first on: one table binds by name, otherwise
 * positionally. */
static void bind_args(lua_State *L, sqlite3_stmt *st, int first) {
    int top = lua_gettop(L), nparams = sqlite3_bind_parameter_count(st);
    if (top == first && lua_type(L, first) == LUA_TTABLE) {
        for (int i = 1; i <= nparams; i++) {
            const char *name = sqlite3_bind_parameter_name(st, i);
            if (!name || name[0] == '?')
                luaL_error(L, "sql: parameter %d is positional but a table of names was given", i);
            if (lua_getfield(L, first, name + 1) == LUA_TNIL)
                luaL_error(L, "sql: no value for parameter %s", name);
            yj_sql_bind(L, st, i, -1);
            lua_pop(L, 1);
        }
        return;
    }
    int nargs = top - first + 1;
    if (nargs != nparams)
        luaL_error(L, "sql: the query has %d parameter%s, %d value%s given", nparams,
                   nparams == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s");
    for (int i = 1; i <= nparams; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        if (name && name[0] != '?')
            luaL_error(L, "sql: parameter %s is named: pass a table, e.g. {%s = value}", name, name + 1);
        yj_sql_bind(L, st, i, first + i - 1);
    }
}

/* Prepares the statement of argument 1 with the remaining arguments bound and pushes
 * it as a userdata (finalized by __gc/__close). */
static statement *prepare(lua_State *L) {
    sqlite3 *db = getdb(L);
    size_t len;
    const char *q = luaL_checklstring(L, 1, &len);
    yj_run *run = yj_run_of(L);
    statement *s = lua_newuserdatauv(L, sizeof *s, 0);
    s->st = NULL;
    s->ncols = 0;
    luaL_setmetatable(L, STMT_MT);
    lua_insert(L, 2);                      /* keep it below the arguments */
    const char *tail = NULL;
    run->auth_reason[0] = '\0';
    int rc = sqlite3_prepare_v3(db, q, (int)len, 0, &s->st, &tail);
    if (rc != SQLITE_OK) sql_fail(L, db, rc);
    if (!s->st) luaL_error(L, "sql: the query is empty");
    while (tail && *tail && strchr(" \t\r\n;", *tail)) tail++;
    if (tail && *tail) {
        lua_pushlstring(L, tail, strnlen(tail, 20));
        luaL_error(L, "sql: one statement at a time (extra text: '%s')", lua_tostring(L, -1));
    }
    if (!sqlite3_stmt_readonly(s->st)) luaL_error(L, "sql: this statement would change the database: scripts may only read");
    bind_args(L, s->st, 3);
    lua_settop(L, 2);
    s->ncols = sqlite3_column_count(s->st);
    return s;
}

/* Steps once: 1 with a row, 0 at the end (statement finalized), raises on error. */
static int step(lua_State *L, statement *s) {
    yj_run *run = yj_run_of(L);
    yj_sql_enter(run);
    int rc = sqlite3_step(s->st);
    yj_sql_leave(run);
    if (rc == SQLITE_ROW) return 1;
    sqlite3 *db = sqlite3_db_handle(s->st);
    sqlite3_finalize(s->st);
    s->st = NULL;
    if (rc == SQLITE_DONE) return 0;
    return sql_fail(L, db, rc);
}

static void push_column(lua_State *L, sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, i)); break;
    case SQLITE_NULL: lua_pushnil(L); break;
    default: {
        const char *p = (const char *)sqlite3_column_blob(st, i);
        lua_pushlstring(L, p ? p : "", (size_t)sqlite3_column_bytes(st, i));
    }
    }
}

/* Pushes the column names as a table at the top (index → name). */
static void push_names(lua_State *L, statement *s) {
    lua_createtable(L, s->ncols, 0);
    for (int i = 0; i < s->ncols; i++) {
        lua_pushstring(L, sqlite3_column_name(s->st, i));
        lua_rawseti(L, -2, i + 1);
    }
}

/* Pushes the current row as a table; names is the stack index of the name table. */
static void push_row(lua_State *L, statement *s, int names) {
    lua_createtable(L, 0, s->ncols);
    for (int i = 0; i < s->ncols; i++) {
        if (sqlite3_column_type(s->st, i) == SQLITE_NULL) continue;
        lua_rawgeti(L, names, i + 1);
        push_column(L, s->st, i);
        lua_rawset(L, -3);
    }
}

static int st_close(lua_State *L) {
    statement *s = luaL_checkudata(L, 1, STMT_MT);
    if (s->st) {
        sqlite3_finalize(s->st);
        s->st = NULL;
    }
    return 0;
}

/* }================================================================== */

/* {==================================================================
 * The module
 * =================================================================== */

static int q_query(lua_State *L) {
    statement *s = prepare(L);             /* stack: query, statement */
    push_names(L, s);                      /* 3 */
    lua_newtable(L);                       /* 4: result */
    lua_Integer n = 0;
    while (step(L, s)) {
        push_row(L, s, 3);
        lua_rawseti(L, 4, ++n);
    }
    return 1;
}

static int q_one(lua_State *L) {
    statement *s = prepare(L);
    push_names(L, s);
    if (!step(L, s)) return 0;
    push_row(L, s, 3);
    sqlite3_finalize(s->st);
    s->st = NULL;
    return 1;
}

static int q_value(lua_State *L) {
    statement *s = prepare(L);
    if (!step(L, s)) return 0;
    if (s->ncols == 0) return 0;
    push_column(L, s->st, 0);
    sqlite3_finalize(s->st);
    s->st = NULL;
    return 1;
}

static int rows_next(lua_State *L) {
    statement *s = luaL_checkudata(L, lua_upvalueindex(1), STMT_MT);
    if (!s->st || !step(L, s)) return 0;
    push_row(L, s, lua_upvalueindex(2));
    return 1;
}

static int q_rows(lua_State *L) {
    statement *s = prepare(L);             /* 2 */
    lua_pushvalue(L, 2);                   /* 3 */
    push_names(L, s);                      /* 4 */
    lua_pushcclosure(L, rows_next, 2);     /* 3: iterator with statement and names */
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushvalue(L, 2);                   /* to-be-closed value of the generic for */
    return 4;
}

static const luaL_Reg sql_funcs[] = {
    {"one", q_one},
    {"query", q_query},
    {"rows", q_rows},
    {"value", q_value},
    {NULL, NULL}
};

int luaopen_yj_sql(lua_State *L) {
    sqlite3 *db = lua_touserdata(L, 1);    /* passed by the runtime; may be NULL */
    luaL_newmetatable(L, STMT_MT);
    lua_pushcfunction(L, st_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, st_close);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
    luaL_newlibtable(L, sql_funcs);
    lua_pushlightuserdata(L, db);
    luaL_setfuncs(L, sql_funcs, 1);
    return 1;
}

/* }================================================================== */
