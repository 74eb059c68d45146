/* script_sql_group.c — sql.group: a query's rows totalled by their first column, by
 * hashing in one pass instead of sorting.
 *
 * SQLite answers GROUP BY by sorting every row on the key unless an index gives that
 * order; for the scoring library's inspections (a million rows of a year into 3,000
 * units, no index by unit) the sort costs twice the scan (issue 18). sql.group steps the
 * plain query once and keeps the totals of each key in a C hash table:
 *
 *     local by = sql.group([[SELECT unit_id, 1 AS n, hazards_found AS found,
 *                                   CASE WHEN hazards_rectified < hazards_found THEN id END AS open
 *                              FROM inspections WHERE inspected_on >= ?]], from)
 *     -- by[7] = { n = 330, found = 512, open = "JC01;JC07" }
 *
 * The first column is the key (an integer, a float or text; NULL is an error). Every other
 * column is totalled per key: numbers are summed (an integer while every value is an
 * integer, as SQLite's sum(); integer overflow is an error), text is joined with ';' in
 * the order the rows came (as group_concat(x, ';'), whose order is unspecified too), NULL
 * is skipped; a column NULL in every row of a key is absent from its table, and a column
 * holding numbers and text in one key is an error. The statement is prepared and bound
 * as sql.rows prepares it (script_sql.c), under the same authorizer and SQL time limit;
 * the totals live outside the Lua heap while the rows are read and count against the
 * run's memory limit. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "script_int.h"

#define GROUP_MT "yj.sql.group"

/* The total of one column of one key. */
typedef struct {
    int type;                 /* 0 (nothing yet), SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT */
    sqlite3_int64 i;
    double r;
    char *s;                  /* text: malloc'd, owned by the group state */
    size_t len, cap;
} total;

typedef struct {
    int type;                 /* SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_TEXT */
    sqlite3_int64 i;
    double r;
    char *s;                  /* text key: malloc'd, owned; NUL-terminated */
    size_t len;
    uint64_t hash;
} key;

/* The state of one sql.group call: a full userdata whose __gc frees everything, so an
 * error anywhere (a Lua error is a longjmp) leaks nothing. */
typedef struct {
    key *keys;                /* nkeys, in the order first seen */
    total *totals;            /* nkeys * nvals */
    size_t nkeys, capkeys, nvals;
    size_t *slots;            /* nslots (a power of 2): index + 1 into keys, 0 empty */
    size_t nslots;
    size_t bytes;             /* allocated so far, against the run's memory limit */
} group_state;

static void state_free(group_state *g) {
    for (size_t k = 0; k < g->nkeys; k++) free(g->keys[k].s);
    for (size_t t = 0; t < g->nkeys * g->nvals; t++) free(g->totals[t].s);
    free(g->keys);
    free(g->totals);
    free(g->slots);
    memset(g, 0, sizeof *g);
}

static int group_gc(lua_State *L) {
    state_free(lua_touserdata(L, 1));
    return 0;
}

/* Raises the error on top of the stack. Within the loop of yj_sql_group, whose SQL-time
 * bracket is then open, the bracket is closed first: the time the rows took counts against
 * the SQL time limit even when the script catches the error (pcall, again and again). */
static int group_raise(lua_State *L) {
    yj_run *run = yj_run_of(L);
    if (run->sql_step_start != 0) yj_sql_leave(run);
    return lua_error(L);
}

/* luaL_error through group_raise. */
static int group_error(lua_State *L, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    luaL_where(L, 1);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    return group_raise(L);
}

static int over_limit(const yj_run *run, const group_state *g) {
    return g->bytes > run->mem_max || run->mem_used + run->published_bytes > run->mem_max - g->bytes;
}

/* Counts n more bytes against the run's memory limit; raises when that passes it. The Lua
 * heap's garbage does not count (its collector may be asleep, script_gc.c): past the
 * limit, a full collection first, as Lua's own emergency collection before a retry. */
static void charge(lua_State *L, group_state *g, size_t n) {
    yj_run *run = yj_run_of(L);
    g->bytes += n;
    if (over_limit(run, g)) yj_gc_collect_for_room(L, run);
    if (run->tripped || over_limit(run, g)) {
        yj_limits_trip(run, YJ_TRIP_MEMORY);
        luaL_where(L, 1);
        lua_pushstring(L, run->trip_msg);
        lua_concat(L, 2);
        group_raise(L);
    }
}

static void *grow(lua_State *L, group_state *g, void *p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return p;
    size_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    charge(L, g, (n - *cap) * size);
    void *q = realloc(p, n * size);
    if (!q) group_error(L, "not enough memory");
    *cap = n;
    return q;
}

static uint64_t hash_bytes(const unsigned char *s, size_t n) {
    uint64_t h = 1469598103934665603u;            /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211u;
    return h;
}

static uint64_t hash_int(uint64_t x) {
    x ^= x >> 33;                                 /* the finaliser of MurmurHash3 */
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    return x;
}

static char no_bytes[1];

/* Reads the key of the current row into *k (text borrowed from the statement). */
static void row_key(lua_State *L, sqlite3_stmt *st, key *k) {
    sqlite3_value *v = sqlite3_column_value(st, 0);   /* unprotected: see add() */
    memset(k, 0, sizeof *k);
    k->type = sqlite3_value_type(v);
    switch (k->type) {
    case SQLITE_INTEGER:
        k->i = sqlite3_value_int64(v);
        k->hash = hash_int((uint64_t)k->i);
        break;
    case SQLITE_FLOAT:
        k->r = sqlite3_value_double(v);
        /* A whole number is the integer key: 1.0 and 1 are one group (as in GROUP BY),
         * and one key of the Lua table, which would merge them anyway. */
        if (k->r >= -9223372036854775808.0 && k->r < 9223372036854775808.0 &&
            k->r == (double)(sqlite3_int64)k->r) {
            k->type = SQLITE_INTEGER;
            k->i = (sqlite3_int64)k->r;
            k->r = 0;
            k->hash = hash_int((uint64_t)k->i);
            break;
        }
        memcpy(&k->hash, &k->r, sizeof k->hash);
        k->hash = hash_int(k->hash);
        break;
    case SQLITE_NULL:
        group_error(L, "sql.group: the key (the first column, '%s') is NULL in a row",
                   sqlite3_column_name(st, 0));
        break;
    default:                                      /* text, and blobs as their bytes */
        k->type = SQLITE_TEXT;
        k->s = (char *)sqlite3_value_blob(v);
        k->len = (size_t)sqlite3_value_bytes(v);
        if (!k->s) k->s = no_bytes;
        k->hash = hash_bytes((const unsigned char *)k->s, k->len) ^ 1;
    }
}

static int same_key(const key *a, const key *b) {
    if (a->type != b->type || a->hash != b->hash) return 0;
    if (a->type == SQLITE_INTEGER) return a->i == b->i;
    if (a->type == SQLITE_FLOAT) return a->r == b->r;
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static void rehash(lua_State *L, group_state *g) {
    size_t n = g->nslots ? g->nslots * 2 : 1024;
    charge(L, g, n * sizeof *g->slots);
    size_t *s = calloc(n, sizeof *s);
    if (!s) group_error(L, "not enough memory");
    for (size_t k = 0; k < g->nkeys; k++) {
        size_t j = (size_t)g->keys[k].hash & (n - 1);
        while (s[j]) j = (j + 1) & (n - 1);
        s[j] = k + 1;
    }
    free(g->slots);
    g->slots = s;
    g->nslots = n;
}

/* The totals of the current row's key, the key added (copied) when new. */
static total *find(lua_State *L, group_state *g, sqlite3_stmt *st) {
    key k;
    row_key(L, st, &k);
    size_t j = (size_t)k.hash & (g->nslots - 1);
    for (; g->slots[j]; j = (j + 1) & (g->nslots - 1))
        if (same_key(&g->keys[g->slots[j] - 1], &k)) return &g->totals[(g->slots[j] - 1) * g->nvals];
    size_t capkeys = g->capkeys;
    g->keys = grow(L, g, g->keys, &g->capkeys, g->nkeys + 1, sizeof *g->keys);
    if (g->capkeys != capkeys) {
        size_t old = capkeys * g->nvals, now = g->capkeys * g->nvals;
        charge(L, g, (now - old) * sizeof *g->totals);
        total *t = realloc(g->totals, (now ? now : 1) * sizeof *t);
        if (!t) group_error(L, "not enough memory");
        memset(t + old, 0, (now - old) * sizeof *t);
        g->totals = t;
    }
    if (k.type == SQLITE_TEXT) {              /* last: nothing can fail before it is kept */
        charge(L, g, k.len + 1);
        char *s = malloc(k.len + 1);
        if (!s) group_error(L, "not enough memory");
        memcpy(s, k.s, k.len);
        s[k.len] = '\0';
        k.s = s;
    }
    g->keys[g->nkeys++] = k;
    if (g->nkeys * 2 > g->nslots) rehash(L, g);
    else g->slots[j] = g->nkeys;
    return &g->totals[(g->nkeys - 1) * g->nvals];
}

/* Adds column c of the current row to *t. The column's value is read through
 * sqlite3_column_value: one call (and one mutex) a column instead of two; the value is
 * "unprotected", which only matters when another thread uses the connection meanwhile,
 * and a run's connection is used by the run alone. */
static void add(lua_State *L, group_state *g, sqlite3_stmt *st, int c, total *t) {
    sqlite3_value *v = sqlite3_column_value(st, c);
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) return;
    if (type == SQLITE_BLOB) type = SQLITE_TEXT;
    if (t->type != 0 && (t->type == SQLITE_TEXT) != (type == SQLITE_TEXT))
        group_error(L, "sql.group: column '%s' holds both numbers and text for one key",
                   sqlite3_column_name(st, c));
    if (type == SQLITE_INTEGER) {
        sqlite3_int64 x = sqlite3_value_int64(v);
        if (t->type == SQLITE_FLOAT) t->r += (double)x;
        else if (__builtin_add_overflow(t->i, x, &t->i))
            group_error(L, "sql.group: column '%s': integer overflow", sqlite3_column_name(st, c));
        else t->type = SQLITE_INTEGER;
    } else if (type == SQLITE_FLOAT) {
        double x = sqlite3_value_double(v);
        if (t->type == SQLITE_INTEGER) t->r = (double)t->i;
        t->r = (t->type == 0 ? 0 : t->r) + x;
        t->type = SQLITE_FLOAT;
    } else {
        const char *s = sqlite3_value_blob(v);
        size_t n = (size_t)sqlite3_value_bytes(v), sep = t->type == SQLITE_TEXT;
        t->s = grow(L, g, t->s, &t->cap, t->len + sep + n + 1, 1);
        if (sep) t->s[t->len++] = ';';
        if (n) memcpy(t->s + t->len, s, n);
        t->len += n;
        t->s[t->len] = '\0';
        t->type = SQLITE_TEXT;
    }
}

int yj_sql_group(lua_State *L) {
    sqlite3_stmt *st = yj_sql_prepare(L);        /* the statement's userdata at 2 */
    int ncols = sqlite3_column_count(st);
    if (ncols < 1) return luaL_error(L, "sql.group: the query gives no columns");
    group_state *g = lua_newuserdatauv(L, sizeof *g, 0);   /* 3 */
    memset(g, 0, sizeof *g);
    if (luaL_newmetatable(L, GROUP_MT)) {
        lua_pushcfunction(L, group_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, YJ_LOCKED_METATABLE);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, 3);
    g->nvals = (size_t)ncols - 1;
    rehash(L, g);
    yj_run *run = yj_run_of(L);
    sqlite3 *db = sqlite3_db_handle(st);
    /* One bracket of SQL time around the whole loop: the progress handler checks the
     * deadline while a step runs, and the totalling counts as SQL time too. */
    if (yj_sql_enter(run) != 0) return yj_sql_fail(L, db, SQLITE_INTERRUPT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        total *t = find(L, g, st);
        for (int c = 1; c < ncols; c++) add(L, g, st, c, &t[c - 1]);
    }
    int late = yj_sql_leave(run);
    if (rc != SQLITE_DONE || late) return yj_sql_fail(L, db, rc == SQLITE_DONE ? SQLITE_INTERRUPT : rc);
    lua_checkstack(L, 4);
    lua_createtable(L, 0, g->nkeys > INT32_MAX ? INT32_MAX : (int)g->nkeys);   /* 4 */
    for (size_t k = 0; k < g->nkeys; k++) {
        const key *kk = &g->keys[k];
        if (kk->type == SQLITE_INTEGER) lua_pushinteger(L, kk->i);
        else if (kk->type == SQLITE_FLOAT) lua_pushnumber(L, kk->r);
        else lua_pushlstring(L, kk->s, kk->len);
        lua_createtable(L, 0, (int)g->nvals);
        for (size_t c = 0; c < g->nvals; c++) {
            const total *t = &g->totals[k * g->nvals + c];
            if (t->type == 0) continue;
            if (t->type == SQLITE_INTEGER) lua_pushinteger(L, t->i);
            else if (t->type == SQLITE_FLOAT) lua_pushnumber(L, t->r);
            else lua_pushlstring(L, t->s, t->len);
            const char *name = sqlite3_column_name(st, (int)c + 1);
            if (!name) return luaL_error(L, "not enough memory");
            lua_setfield(L, -2, name);
        }
        lua_rawset(L, 4);
    }
    yj_sql_done(L, 2);
    state_free(g);                                /* now rather than at the next collection */
    return 1;
}
