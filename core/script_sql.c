/* script_sql.c — read-only SQL for scripts: the `sql` module.
 *
 * sql.query / sql.rows / sql.one / sql.value prepare one statement, bind `?` from the
 * extra arguments or `:name` from a single table argument, and give rows as tables keyed
 * by column name. The connection is opened read-only by the caller; on top of that the
 * authorizer below allows reading only (no writes, ATTACH, state-changing PRAGMA), SQL
 * functions from an allow-list, and of the table-valued functions json_each, json_tree
 * and the schema pragma_*(); length limits cap strings, printf widths and the SQL text.
 * The SQL time limit is checked before every prepare and step and, inside a statement,
 * by the progress handler. The database handle is the first upvalue of every function
 * (a light userdata). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "script_int.h"

#define STMT_MT "yj.sql.statement"

/* {==================================================================
 * Authorizer
 * =================================================================== */

/* PRAGMAs a script may run, as a statement or as a table-valued function pragma_NAME():
 * reading the schema and the version, nothing that sets or shows where files are. */
static const char *const read_pragmas[] = {
    "collation_list", "foreign_key_list", "function_list", "index_info", "index_list",
    "index_xinfo", "schema_version", "table_info", "table_list", "table_xinfo",
    "user_version", NULL
};

/* The SQL functions a script may call: SQLite's core scalar, aggregate, window, date,
 * JSON and math functions (some only exist in newer SQLite versions). Everything else is
 * refused by name: fts3_tokenizer (reads and writes function pointers), load_extension,
 * sqlite_log, the FTS/R-tree internals, the compile options, changes() and the like. */
static const char *const allowed_functions[] = {
    /* scalar */
    "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "if",
    "ifnull", "iif", "instr", "length", "like", "likelihood", "likely", "lower", "ltrim",
    "max", "min", "nullif", "octet_length", "printf", "quote", "random", "randomblob",
    "replace", "round", "rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof",
    "unhex", "unicode", "unlikely", "upper", "zeroblob",
    /* aggregate and window */
    "avg", "count", "group_concat", "string_agg", "sum", "total", "median", "percentile",
    "percentile_cont", "percentile_disc", "row_number", "rank", "dense_rank",
    "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
    "nth_value",
    /* date and time */
    "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
    "current_date", "current_time", "current_timestamp",
    /* JSON */
    "->", "->>", "json", "json_array", "json_array_length", "json_error_position",
    "json_extract", "json_insert", "json_object", "json_patch", "json_pretty", "json_quote",
    "json_remove", "json_replace", "json_set", "json_type", "json_valid",
    "json_group_array", "json_group_object", "jsonb", "jsonb_array", "jsonb_extract",
    "jsonb_insert", "jsonb_object", "jsonb_patch", "jsonb_remove", "jsonb_replace",
    "jsonb_set", "jsonb_group_array", "jsonb_group_object",
    /* math */
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos",
    "cosh", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow",
    "power", "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
    NULL
};

/* Table-valued functions (eponymous virtual tables) a script may read from. */
static const char *const allowed_table_functions[] = {"json_each", "json_tree", NULL};

static int in_list(const char *const *list, const char *name) {
    for (int i = 0; name && list[i]; i++)
        if (!sqlite3_stricmp(name, list[i])) return 1;
    return 0;
}

/* The statements the authorizer refuses, by action code, for the message. */
static const char *action_name(int action) {
    switch (action) {
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX";
    case SQLITE_CREATE_TABLE: return "CREATE TABLE";
    case SQLITE_CREATE_TEMP_TABLE: return "CREATE TEMP TABLE";
    case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER";
    case SQLITE_CREATE_VIEW: return "CREATE VIEW";
    case SQLITE_CREATE_TEMP_VIEW: return "CREATE TEMP VIEW";
    case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE";
    case SQLITE_DROP_INDEX: case SQLITE_DROP_TEMP_INDEX: case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE: case SQLITE_DROP_TRIGGER: case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_DROP_VIEW: case SQLITE_DROP_TEMP_VIEW: case SQLITE_DROP_VTABLE: return "DROP";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_TRANSACTION: return "BEGIN/COMMIT";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    default: return "this statement";
    }
}

static int deny(yj_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int deny(yj_run *run, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(run->auth_reason, sizeof run->auth_reason, fmt, ap);
    va_end(ap);
    return SQLITE_DENY;
}

/* 1 when table names a virtual table module of the connection (an eponymous virtual
 * table such as dbstat, used as a table-valued function). */
static int is_module(const yj_run *run, const char *table) {
    char key[80];
    if (!table || snprintf(key, sizeof key, " %s ", table) >= (int)sizeof key) return 0;
    for (const char *p = run->sql_modules; (p = strstr(p, " ")) != NULL; p++)
        if (!sqlite3_strnicmp(p, key, (int)strlen(key))) return 1;
    return 0;
}

static int authorize(void *ud, int action, const char *a3, const char *a4,
                     const char *db, const char *trigger) {
    yj_run *run = ud;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_READ:
        /* the old versions of --known-on (db_known.c): filled before the statement runs */
        if (a3 && db && !strcmp(db, "temp") && !strncmp(a3, "yj_known_", 9) && strlen(a3) < 64) {
            char key[72];
            snprintf(key, sizeof key, " %s ", a3);
            size_t n = strlen(run->known_todo);
            if (!strstr(run->known_todo, key) && n + strlen(key) < sizeof run->known_todo)
                snprintf(run->known_todo + n, sizeof run->known_todo - n, "%s", n ? key + 1 : key);
        }
        if (a3 && !sqlite3_strnicmp(a3, "pragma_", 7)) {
            if (in_list(read_pragmas, a3 + 7)) return SQLITE_OK;
            return deny(run, "%s() is not allowed: scripts may read only the schema pragmas "
                        "(pragma_table_info(), pragma_index_list()...)", a3);
        }
        if (is_module(run, a3) && !in_list(allowed_table_functions, a3))
            return deny(run, "%s is not allowed: of the table-valued functions, scripts may use "
                        "json_each() and json_tree()", a3);
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        if (in_list(allowed_functions, a4)) return SQLITE_OK;
        return deny(run, "function %s() is not allowed: scripts may call SQLite's core, date, "
                    "JSON and math functions only", a4 ? a4 : "?");
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
        return deny(run, "ATTACH/DETACH is not allowed: scripts read only their database");
    case SQLITE_UPDATE:
        /* Using a virtual table for the first time declares its columns, which SQLite
         * reports as an UPDATE of the schema table from top-level SQL (json_each,
         * pragma_table_info...). That is no write: a statement that really updates the
         * schema table fails to prepare ("may not be modified"), and any statement that
         * would write is refused after prepare (sqlite3_stmt_readonly). */
        if (!trigger && a3 && (!sqlite3_stricmp(a3, "sqlite_master") || !sqlite3_stricmp(a3, "sqlite_schema")))
            return SQLITE_OK;
        /* fall through */
    case SQLITE_INSERT:
    case SQLITE_DELETE:
        if (a3 && (!sqlite3_strnicmp(a3, "sqlite_master", 13) || !sqlite3_strnicmp(a3, "sqlite_temp_master", 18) ||
                   !sqlite3_strnicmp(a3, "sqlite_schema", 13) || !sqlite3_strnicmp(a3, "sqlite_temp_schema", 18)))
            return deny(run, "changing the schema (CREATE, DROP...) is not allowed: scripts may only read (SELECT)");
        return deny(run, "writing is not allowed (table %s): scripts may only read",
                    a3 ? a3 : "?");
    default:
        return deny(run, "%s is not allowed: scripts may only read (SELECT)", action_name(action));
    }
}

/* SQLite's heap during a run may exceed the script's cap by this much (page cache,
 * schema, sorter buffers). */
#define SQL_HEAP_HEADROOM (64LL << 20)
/* The longest string or blob a query may make (SQLITE_LIMIT_LENGTH), at most the memory
 * cap: one SQL function call costs time in proportion to the value it builds, and the
 * SQL time limit is checked only between such calls. */
#define SQL_MAX_LENGTH (32 << 20)
/* The longest SQL text (SQLITE_LIMIT_SQL_LENGTH) and LIKE/GLOB pattern. */
#define SQL_MAX_TEXT (1 << 20)
#define SQL_MAX_PATTERN 1000
/* The progress handler (the SQL deadline inside one statement) runs every this many
 * virtual machine steps: some 30 µs of a statement's work apart (the double decline runs
 * 6.7 M steps in 200 ms), far below the millisecond a time limit is given in. Every 100
 * steps it ran 66,647 times in that run, 0.3 % of its instructions. */
#define SQL_PROGRESS_STEPS 1000

static const int sql_limit_ids[3] = {
    SQLITE_LIMIT_SQL_LENGTH, SQLITE_LIMIT_ATTACHED, SQLITE_LIMIT_LIKE_PATTERN_LENGTH
};

/* Remembers the virtual table modules of db in run->sql_modules (" a b c "); without
 * PRAGMA module_list, the eponymous ones SQLite may have. */
static void list_modules(yj_run *run, sqlite3 *db) {
    sqlite3_stmt *st;
    size_t n = 1;
    strcpy(run->sql_modules, " ");
    if (sqlite3_prepare_v2(db, "PRAGMA module_list", -1, &st, NULL) != SQLITE_OK) {
        snprintf(run->sql_modules, sizeof run->sql_modules, " %s ",
                 "dbstat sqlite_dbpage sqlite_stmt fts3tokenize fts4aux fts5vocab generate_series carray");
        return;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        size_t k = m ? strlen(m) : 0;
        if (k == 0 || n + k + 2 > sizeof run->sql_modules) continue;
        memcpy(run->sql_modules + n, m, k);
        n += k;
        run->sql_modules[n++] = ' ';
        run->sql_modules[n] = '\0';
    }
    sqlite3_finalize(st);
}

/* {==================================================================
 * printf() and format() with their widths and precisions checked
 * =================================================================== */

/* SQLite's printf is the one built-in whose cost is not bounded by the length of its
 * result: '%.*c' with a precision of 2^31 - 1 spends 20 s in one call (one virtual machine
 * step, which no progress handler interrupts) before it gives NULL. The override below
 * refuses a width or precision above the length limit, then has SQLite's own printf
 * compute the value on a private in-memory connection, so the results stay exactly
 * SQLite's. */
#define PRINTF_MAX_ARGS 127                  /* SQLite's default SQLITE_MAX_FUNCTION_ARG */
typedef struct {
    sqlite3 *helper;                         /* opened at the first call */
    sqlite3_stmt *st[PRINTF_MAX_ARGS + 1];   /* "SELECT printf(?1, ..., ?N)" by N */
} checked_printf;

static void checked_printf_free(void *p) {
    checked_printf *cp = p;
    for (size_t i = 0; i < sizeof cp->st / sizeof cp->st[0]; i++) sqlite3_finalize(cp->st[i]);
    sqlite3_close(cp->helper);
    sqlite3_free(cp);
}

/* A width or precision as SQLite's printf reads it: from the next argument ('*', as an
 * int, negative meaning its absolute value) or from digits (modulo 2^31). */
static long long printf_number(const char **pp, int argc, sqlite3_value **argv, int *next) {
    const char *p = *pp;
    long long v = 0;
    if (*p == '*') {
        int i = *next < argc ? (int)sqlite3_value_int64(argv[*next]) : 0;
        (*next)++;
        v = i < 0 ? (i == -2147483647 - 1 ? 0 : -(long long)i) : i;
        p++;
    } else {
        unsigned x = 0;
        while (*p >= '0' && *p <= '9') x = x * 10 + (unsigned)(*p++ - '0');
        v = x & 0x7fffffff;
    }
    *pp = p;
    return v;
}

static void printf_checked(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    checked_printf *cp = sqlite3_user_data(ctx);
    sqlite3 *db = sqlite3_context_db_handle(ctx);
    int cap = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1);
    const char *fmt = argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
    if (!fmt) return;                        /* NULL, as SQLite's printf gives */
    int next = 1;
    for (const char *p = fmt; *p; ) {
        if (*p++ != '%') continue;
        while (*p && strchr("-+ #0,!", *p)) p++;
        long long width = printf_number(&p, argc, argv, &next), precision = 0;
        if (*p == '.') {
            p++;
            precision = printf_number(&p, argc, argv, &next);
        }
        while (*p == 'l') p++;
        if (!*p) break;
        if (*p != '%' && *p != 'n') next++;  /* the conversion's own argument */
        p++;
        if (width > cap || precision > cap) {
            char msg[160];
            snprintf(msg, sizeof msg, "printf: a width or precision of %lld is more than the SQL "
                     "length limit (%d bytes)", width > precision ? width : precision, cap);
            sqlite3_result_error(ctx, msg, -1);
            return;
        }
    }
    if (argc > PRINTF_MAX_ARGS) {
        sqlite3_result_error(ctx, "printf: too many arguments", -1);
        return;
    }
    if (!cp->helper && sqlite3_open_v2(":memory:", &cp->helper, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_limit(cp->helper, SQLITE_LIMIT_LENGTH, cap);
    sqlite3_stmt **st = &cp->st[argc];
    if (!*st) {
        char sql[16 + 6 * (PRINTF_MAX_ARGS + 1)];
        size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT printf(");
        for (int i = 1; i <= argc; i++)
            n += (size_t)snprintf(sql + n, sizeof sql - n, i > 1 ? ", ?%d" : "?%d", i);
        snprintf(sql + n, sizeof sql - n, ")");
        if (sqlite3_prepare_v2(cp->helper, sql, -1, st, NULL) != SQLITE_OK) {
            sqlite3_result_error(ctx, sqlite3_errmsg(cp->helper), -1);
            return;
        }
    }
    for (int i = 0; i < argc; i++) sqlite3_bind_value(*st, i + 1, argv[i]);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) sqlite3_result_value(ctx, sqlite3_column_value(*st, 0));
    else sqlite3_result_error_code(ctx, sqlite3_errcode(cp->helper));
    sqlite3_reset(*st);
    sqlite3_clear_bindings(*st);
}

/* Puts printf_checked in place of printf and format on db (kept after the run: same
 * results as SQLite's own). */
static void check_printf(sqlite3 *db) {
    static const char *const names[] = {"printf", "format"};
    for (int i = 0; i < 2; i++) {
        checked_printf *cp = sqlite3_malloc(sizeof *cp);
        if (!cp) return;
        memset(cp, 0, sizeof *cp);
        sqlite3_create_function_v2(db, names[i], -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   cp, printf_checked, NULL, NULL, checked_printf_free);
    }
}

/* }================================================================== */

void yj_sql_guard(yj_run *run, sqlite3 *db) {
    /* fts3_tokenizer() and load_extension() stay off on the connection for good: nothing
     * in yingji uses them (the authorizer refuses them too, as the one-argument form of
     * fts3_tokenizer works with a bound argument whatever this setting says). */
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
    check_printf(db);
    sqlite3_set_authorizer(db, NULL, NULL);          /* a guard from before */
    sqlite3_progress_handler(db, 0, NULL, NULL);
    list_modules(run, db);
    sqlite3_set_authorizer(db, authorize, run);
    sqlite3_progress_handler(db, SQL_PROGRESS_STEPS, yj_sql_progress, run);
}

void yj_sql_attach(yj_run *run, sqlite3 *db) {
    /* One read transaction around the whole run: every query of the script sees the
     * same state of the database (in WAL mode an import committing meanwhile is either
     * wholly visible or not at all). */
    run->began_read = sqlite3_get_autocommit(db) && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    yj_sql_guard(run, db);
    /* SQLite's memory is not the Lua heap: cap the size of one string or blob (so
     * randomblob(1e9) fails) at SQL_MAX_LENGTH or the script's memory limit. */
    run->saved_length_limit = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1);
    long long cap = (long long)run->mem_max < SQL_MAX_LENGTH ? (long long)run->mem_max : SQL_MAX_LENGTH;
    if (cap < run->saved_length_limit)
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)(cap < 1024 ? 1024 : cap));
    static const int new_limits[3] = {SQL_MAX_TEXT, 0, SQL_MAX_PATTERN};
    for (int i = 0; i < 3; i++) {
        run->saved_sql_limits[i] = sqlite3_limit(db, sql_limit_ids[i], -1);
        if (new_limits[i] < run->saved_sql_limits[i]) sqlite3_limit(db, sql_limit_ids[i], new_limits[i]);
    }
    /* And all of SQLite's heap (process-wide) at the cap plus room for its caches. */
    run->saved_heap_limit = sqlite3_hard_heap_limit64(-1);
    sqlite3_int64 heap = (sqlite3_int64)run->mem_max + SQL_HEAP_HEADROOM;
    if (run->saved_heap_limit == 0 || heap < run->saved_heap_limit) sqlite3_hard_heap_limit64(heap);
}

void yj_sql_detach(yj_run *run, sqlite3 *db) {
    sqlite3_set_authorizer(db, NULL, NULL);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, run->saved_length_limit);
    for (int i = 0; i < 3; i++) sqlite3_limit(db, sql_limit_ids[i], run->saved_sql_limits[i]);
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

/* Raises the error of db after rc: the limit a run tripped, the length caps by name, what
 * the authorizer refused, or SQLite's message. */
static int sql_fail(lua_State *L, sqlite3 *db, int rc) {
    yj_run *run = yj_run_of(L);
    int code = sqlite3_errcode(db);
    if (rc == SQLITE_NOMEM || code == SQLITE_NOMEM) yj_limits_trip(run, YJ_TRIP_MEMORY);
    if (run->tripped) {
        luaL_where(L, 1);
        lua_pushstring(L, run->trip_msg);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (run->auth_reason[0])
        return luaL_error(L, "sql: %s", run->auth_reason);
    if (rc == SQLITE_TOOBIG || code == SQLITE_TOOBIG) {
        int cap = sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1);
        return luaL_error(L, "sql: a string or blob longer than the SQL length limit (%d bytes, %d MB)",
                          cap, cap >> 20);
    }
    return luaL_error(L, "sql: %s", sqlite3_errmsg(db));
}

/* Past whitespace, ';' and comments (an unterminated block comment runs to the end, as
 * SQLite reads it). */
static const char *skip_blank(const char *p, const char *end) {
    while (p < end) {
        if (strchr(" \t\r\n\f\v;", *p)) p++;
        else if (*p == '-' && p + 1 < end && p[1] == '-') {
            while (p < end && *p != '\n') p++;
        } else if (*p == '/' && p + 1 < end && p[1] == '*') {
            p += 2;
            while (p < end && !(*p == '*' && p + 1 < end && p[1] == '/')) p++;
            p = p < end ? p + 2 : end;
        } else break;
    }
    return p;
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
            if (yj_sql_bind(L, st, i, -1) != SQLITE_OK) sql_fail(L, sqlite3_db_handle(st), SQLITE_ERROR);
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
        if (yj_sql_bind(L, st, i, first + i - 1) != SQLITE_OK)
            sql_fail(L, sqlite3_db_handle(st), SQLITE_ERROR);
    }
}

/* Prepares the statement of argument 1 on db with the remaining arguments bound and
 * pushes it as a userdata (finalized by __gc/__close). */
static statement *prepare_on(lua_State *L, sqlite3 *db) {
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
    if (len > (size_t)sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, -1))
        luaL_error(L, "sql: the query is longer than the SQL text limit (%d bytes)",
                   sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, -1));
    if (yj_sql_enter(run) != 0) sql_fail(L, db, SQLITE_INTERRUPT);
    yj_gc_wake_if_due(L, run, (size_t)sqlite3_memory_used());   /* statements left open */
    run->known_todo[0] = '\0';
    int rc = sqlite3_prepare_v3(db, q, (int)len, 0, &s->st, &tail);
    if (rc == SQLITE_NOMEM && !run->tripped) {
        /* SQLite's heap is full (yj_sql_attach caps it): statements left open by
         * iterators the script abandoned are garbage only the collector finalizes, so
         * collect (outside the SQL time) and try once more before the limit trips. */
        yj_sql_leave(run);
        yj_gc_collect_for_room(L, run);
        if (yj_sql_enter(run) != 0) sql_fail(L, db, SQLITE_INTERRUPT);
        run->known_todo[0] = '\0';
        rc = sqlite3_prepare_v3(db, q, (int)len, 0, &s->st, &tail);
    }
    if (rc == SQLITE_OK && run->known_todo[0]) {
        /* as known (db_known.c): fill the old versions the statement reads, by our own
         * fixed SQL, which the script's authorizer would refuse (it writes temp tables) */
        char err[256], table[64];
        sqlite3_set_authorizer(db, NULL, NULL);
        for (const char *p = run->known_todo; rc == SQLITE_OK && *p;) {
            p += strspn(p, " ");
            size_t n = strcspn(p, " ");
            if (!n) break;
            snprintf(table, sizeof table, "%.*s", (int)(n < sizeof table ? n : sizeof table - 1), p);
            if (db_known_fill(db, table, err, sizeof err) != 0) rc = SQLITE_ERROR;
            p += n;
        }
        sqlite3_set_authorizer(db, authorize, run);
        run->known_todo[0] = '\0';
        if (rc != SQLITE_OK) {
            yj_sql_leave(run);
            luaL_error(L, "sql: %s", err);
        }
    }
    int late = yj_sql_leave(run);
    if (rc != SQLITE_OK || late) sql_fail(L, db, rc);
    if (!s->st) luaL_error(L, "sql: the query is empty");
    const char *rest = tail ? skip_blank(tail, q + len) : q + len;
    if (rest < q + len) {
        size_t n = (size_t)(q + len - rest);
        lua_pushlstring(L, rest, n < 20 ? n : 20);
        luaL_error(L, "sql: one statement at a time (extra text: '%s')", lua_tostring(L, -1));
    }
    if (!sqlite3_stmt_readonly(s->st)) luaL_error(L, "sql: this statement would change the database: scripts may only read");
    bind_args(L, s->st, 3);
    lua_settop(L, 2);
    s->ncols = sqlite3_column_count(s->st);
    return s;
}

static statement *prepare(lua_State *L) {
    return prepare_on(L, getdb(L));
}

/* For the module's functions in other files (script_sql_group.c). */
sqlite3_stmt *yj_sql_prepare(lua_State *L) {
    return prepare(L)->st;
}

int yj_sql_fail(lua_State *L, sqlite3 *db, int rc) {
    return sql_fail(L, db, rc);
}

/* Steps once: 1 with a row, 0 at the end (statement finalized), raises on error or when
 * the step used up the SQL time. */
static int step(lua_State *L, statement *s) {
    yj_run *run = yj_run_of(L);
    sqlite3 *db = sqlite3_db_handle(s->st);
    int rc = SQLITE_INTERRUPT, late = 1;
    if (yj_sql_enter(run) == 0) {
        rc = sqlite3_step(s->st);
        late = yj_sql_leave(run);
    }
    if (rc == SQLITE_ROW && !late) return 1;
    sqlite3_finalize(s->st);
    s->st = NULL;
    if (rc == SQLITE_DONE && !late) return 0;
    return sql_fail(L, db, rc);
}

/* Pushes column i of the current row, of SQLite type type (sqlite3_column_type). */
static void push_typed(lua_State *L, sqlite3_stmt *st, int i, int type) {
    switch (type) {
    case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, i)); break;
    case SQLITE_NULL: lua_pushnil(L); break;
    default: {
        const char *p = (const char *)sqlite3_column_blob(st, i);
        lua_pushlstring(L, p ? p : "", (size_t)sqlite3_column_bytes(st, i));
    }
    }
}

static void push_column(lua_State *L, sqlite3_stmt *st, int i) {
    push_typed(L, st, i, sqlite3_column_type(st, i));
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
        int type = sqlite3_column_type(s->st, i);
        if (type == SQLITE_NULL) continue;
        lua_rawgeti(L, names, i + 1);
        push_typed(L, s->st, i, type);
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

void yj_sql_done(lua_State *L, int idx) {
    lua_pushcfunction(L, st_close);
    lua_pushvalue(L, idx);
    lua_call(L, 1, 0);
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

static int q_value_on(lua_State *L, sqlite3 *db) {
    statement *s = prepare_on(L, db);
    if (!step(L, s)) return 0;
    if (s->ncols == 0) return 0;
    push_column(L, s->st, 0);
    sqlite3_finalize(s->st);
    s->st = NULL;
    return 1;
}

static int q_value(lua_State *L) {
    return q_value_on(L, getdb(L));
}

int yj_sql_value_on(lua_State *L, sqlite3 *db) {
    yj_sql_guard(yj_run_of(L), db);
    return q_value_on(L, db);
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
    {"group", yj_sql_group},              /* script_sql_group.c */
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
