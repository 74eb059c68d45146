/* script_results.c — result tables: publish() for scripts, and the text, CSV and JSON
 * writers of `yingji run` (shared/spec/cli.md "Output formats").
 *
 * publish copies the rows into C values at once (yj_results), so the results outlive the
 * Lua state and serialise the same way every time. Numbers print as the shortest text
 * that reads back to the same double (0.1 → "0.1"), integers as integers. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "script_int.h"
#include "strbuf.h"

/* {==================================================================
 * The result set
 * =================================================================== */

yj_results *yj_results_new(void) {
    return calloc(1, sizeof(yj_results));
}

/* {==================================================================
 * Text cells of a published table
 *
 * A published table's text is packed into blocks the table owns (one malloc per block
 * instead of one per cell), and publish copies each short string once however many of
 * its cells hold it: Lua keeps one copy of every short string, so the same address is the
 * same text. The scores of 3,000 units publish 48,000 item and deduction rows whose unit
 * codes, item ids and titles are a few thousand strings (issue 18: the run's memory).
 * =================================================================== */

#define TEXT_BLOCK 32768       /* bytes of a block; a longer text gets a block of its own */
#define TEXT_SHORT 40          /* LUAI_MAXSHORTLEN: a Lua string this short is unique */

struct yj_text_block {
    yj_text_block *next;
    size_t used, cap;
    char data[];
};

/* The short strings copied by one publish: an open-addressing set of their addresses in
 * Lua (valid while publish runs: every row is reachable from its arguments) and of their
 * copies. cap is 0 or a power of 2, at most half full. */
struct yj_text_seen {
    const char **lua;
    const char **copy;
    size_t n, cap;
};

static void seen_free(yj_table *t) {
    if (t->seen) {
        free(t->seen->lua);
        free(t->seen->copy);
        free(t->seen);
        t->seen = NULL;
    }
}

static void text_free(yj_table *t) {
    while (t->text) {
        yj_text_block *next = t->text->next;
        free(t->text);
        t->text = next;
    }
    seen_free(t);
}

/* A copy of s (len bytes, NUL added) in t's blocks, or NULL when out of memory. */
static char *text_put(yj_table *t, const char *s, size_t len) {
    yj_text_block *b = t->text;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > TEXT_BLOCK ? len + 1 : TEXT_BLOCK;
        yj_text_block *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (b && cap > TEXT_BLOCK) {          /* a long text: the current block stays first */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            t->text = nb;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, s, len);
    p[len] = '\0';
    b->used += len + 1;
    return p;
}

static size_t seen_slot(const yj_text_seen *w, const char *lua) {
    uint64_t h = (uint64_t)(uintptr_t)lua * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 32) & (w->cap - 1);
}

/* The copy of the Lua string s in t: the one made before for the same string, else a new
 * one. NULL when out of memory. */
static const char *text_of_lua(yj_table *t, const char *s, size_t len) {
    if (len > TEXT_SHORT) return text_put(t, s, len);
    yj_text_seen *w = t->seen;
    if (!w) {
        if (!(w = t->seen = calloc(1, sizeof *w))) return NULL;
    }
    if (2 * (w->n + 1) > w->cap) {           /* grow (and re-place) at half full */
        size_t cap = w->cap ? 2 * w->cap : 256;
        yj_text_seen nw = { calloc(cap, sizeof *nw.lua), calloc(cap, sizeof *nw.copy), w->n, cap };
        if (!nw.lua || !nw.copy) { free(nw.lua); free(nw.copy); return NULL; }
        for (size_t i = 0; i < w->cap; i++) {
            if (!w->lua[i]) continue;
            size_t k = seen_slot(&nw, w->lua[i]);
            while (nw.lua[k]) k = (k + 1) & (cap - 1);
            nw.lua[k] = w->lua[i];
            nw.copy[k] = w->copy[i];
        }
        free(w->lua);
        free(w->copy);
        *w = nw;
    }
    size_t k = seen_slot(w, s);
    while (w->lua[k]) {
        if (w->lua[k] == s) return w->copy[k];
        k = (k + 1) & (w->cap - 1);
    }
    char *p = text_put(t, s, len);
    if (!p) return NULL;
    w->lua[k] = s;
    w->copy[k] = p;
    w->n++;
    return p;
}

/* }================================================================== */

static void table_free(yj_table *t) {
    if (!t->text_in_blocks)
        for (size_t i = 0; i < t->nrows * t->ncols; i++)
            if (t->cells[i].type == YJ_VAL_TEXT) free((char *)t->cells[i].u.t.s);
    text_free(t);
    for (size_t c = 0; c < t->ncols; c++) {
        free(t->cols[c]);
        if (t->titles) free(t->titles[c]);
    }
    free(t->cols);
    free(t->titles);
    free(t->kinds);
    free(t->cells);
    free(t->name);
}

void yj_results_free(yj_results *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) table_free(&r->t[i]);
    free(r->t);
    free(r);
}

size_t yj_results_count(const yj_results *r) { return r ? r->n : 0; }

const char *yj_results_name(const yj_results *r, size_t t) {
    return r && t < r->n ? r->t[t].name : NULL;
}

size_t yj_results_ncols(const yj_results *r, size_t t) {
    return r && t < r->n ? r->t[t].ncols : 0;
}

const char *yj_results_column(const yj_results *r, size_t t, size_t c) {
    return r && t < r->n && c < r->t[t].ncols ? r->t[t].cols[c] : NULL;
}

size_t yj_results_nrows(const yj_results *r, size_t t) {
    return r && t < r->n ? r->t[t].nrows : 0;
}

const char *yj_results_title(const yj_results *r, size_t t, size_t c) {
    return r && t < r->n && c < r->t[t].ncols && r->t[t].titles ? r->t[t].titles[c] : NULL;
}

yj_col_kind yj_results_kind(const yj_results *r, size_t t, size_t c) {
    return r && t < r->n && c < r->t[t].ncols && r->t[t].kinds ? (yj_col_kind)r->t[t].kinds[c]
                                                                : YJ_COL_AUTO;
}

yj_value yj_results_cell(const yj_results *r, size_t t, size_t row, size_t c) {
    yj_value v;
    memset(&v, 0, sizeof v);
    v.type = YJ_VAL_NULL;
    if (r && t < r->n && row < r->t[t].nrows && c < r->t[t].ncols)
        v = r->t[t].cells[row * r->t[t].ncols + c];
    return v;
}

int yj_results_add_table(yj_results *r, const char *name, const char *const *cols,
                         size_t ncols) {
    if (!r || ncols == 0) return -1;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        yj_table *nt = realloc(r->t, cap * sizeof *nt);
        if (!nt) return -1;
        r->t = nt;
        r->cap = cap;
    }
    yj_table t;
    memset(&t, 0, sizeof t);
    if (!(t.name = strdup(name)) || !(t.cols = calloc(ncols, sizeof *t.cols))) {
        table_free(&t);
        return -1;
    }
    t.ncols = ncols;                          /* calloc'd: unset names free as NULL */
    for (size_t c = 0; c < ncols; c++)
        if (!(t.cols[c] = strdup(cols[c]))) { table_free(&t); return -1; }
    r->t[r->n++] = t;
    return 0;
}

int yj_results_set_column(yj_results *r, size_t col, const char *title, yj_col_kind kind) {
    if (!r || r->n == 0 || col >= r->t[r->n - 1].ncols) return -1;
    yj_table *t = &r->t[r->n - 1];
    if (title) {
        char *s = strdup(title);
        if (!s || (!t->titles && !(t->titles = calloc(t->ncols, sizeof *t->titles)))) {
            free(s);
            return -1;
        }
        free(t->titles[col]);
        t->titles[col] = s;
    }
    if (kind != YJ_COL_AUTO) {
        if (!t->kinds && !(t->kinds = calloc(t->ncols, 1))) return -1;
        t->kinds[col] = (unsigned char)kind;
    }
    return 0;
}

int yj_results_add_row(yj_results *r, const yj_value *cells) {
    if (!r || r->n == 0) return -1;
    yj_table *t = &r->t[r->n - 1];
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        yj_value *nc = realloc(t->cells, cap * t->ncols * sizeof *nc);
        if (!nc) return -1;
        t->cells = nc;
        t->cap = cap;
    }
    yj_value *row = &t->cells[t->nrows * t->ncols];
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = cells[c];
        if (cells[c].type == YJ_VAL_TEXT) {
            char *p = t->text_in_blocks ? text_put(t, cells[c].u.t.s, cells[c].u.t.len)
                                        : malloc(cells[c].u.t.len + 1);
            if (!p) {
                while (c-- > 0)
                    if (row[c].type == YJ_VAL_TEXT && !t->text_in_blocks) free((char *)row[c].u.t.s);
                return -1;
            }
            if (!t->text_in_blocks) {
                memcpy(p, cells[c].u.t.s, cells[c].u.t.len);
                p[cells[c].u.t.len] = '\0';
            }
            row[c].u.t.s = p;
        }
    }
    t->nrows++;
    return 0;
}

void yj_push_value(lua_State *L, yj_value v) {
    switch (v.type) {
    case YJ_VAL_BOOL: lua_pushboolean(L, v.u.b); break;
    case YJ_VAL_INT: lua_pushinteger(L, v.u.i); break;
    case YJ_VAL_REAL: lua_pushnumber(L, v.u.r); break;
    case YJ_VAL_TEXT: lua_pushlstring(L, v.u.t.s, v.u.t.len); break;
    default: lua_pushnil(L); break;
    }
}

/* }================================================================== */

/* {==================================================================
 * publish(name, columns, rows)
 *
 * publish reads the script's tables raw (lua_rawlen, lua_rawgeti, lua_rawget): __len,
 * __index and the other metamethods are not part of its contract (docs/scripting.md:
 * rows are plain tables keyed by column), so no script code runs while it works and
 * nothing can publish, fail or free things under it. The table is built aside in a
 * "builder" userdata and joins the results only when complete: a publish lands whole or
 * not at all. Errors it raises itself free the builder's contents first; an error from
 * Lua itself (out of memory) leaves them to the builder's __gc.
 * =================================================================== */

#define BUILDER_MT "yj.publish.builder"

static int builder_gc(lua_State *L) {
    yj_table *t = lua_touserdata(L, 1);
    table_free(t);
    memset(t, 0, sizeof *t);
    return 0;
}

/* Pushes an empty builder (a yj_table owned by the userdata until taken). */
static yj_table *new_builder(lua_State *L) {
    yj_table *t = lua_newuserdatauv(L, sizeof *t, 0);
    memset(t, 0, sizeof *t);
    if (luaL_newmetatable(L, BUILDER_MT)) {
        lua_pushcfunction(L, builder_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    return t;
}

/* Raises the message (lua_pushfstring's formats) after freeing what the builder holds. */
static int fail(lua_State *L, yj_table *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);             /* before the free: it may name a column */
    va_end(ap);
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
    table_free(t);
    memset(t, 0, sizeof *t);
    return lua_error(L);
}

/* Published tables live outside the Lua heap; they count against the same cap. bytes is
 * what this publish holds so far (charged to the run only when it lands). */
static void check_cap(lua_State *L, yj_run *run, yj_table *t, size_t bytes) {
    if (bytes > run->mem_max || run->published_bytes > run->mem_max - bytes) {
        yj_limits_trip(run, YJ_TRIP_MEMORY);
        fail(L, t, "%s", run->trip_msg);
    }
}

static char *dupn(const char *s, size_t len) {
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* Converts the value at the top of L (popped) into *v. Returns 0, 1 when out of memory,
 * or 2 when the value cannot be published. Runs no script code. */
static int read_cell(lua_State *L, yj_table *t, yj_value *v) {
    yj_ymd d;
    int rc = 0;
    memset(v, 0, sizeof *v);
    switch (lua_type(L, -1)) {
    case LUA_TNIL: v->type = YJ_VAL_NULL; break;
    case LUA_TBOOLEAN: v->type = YJ_VAL_BOOL; v->u.b = lua_toboolean(L, -1); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1)) { v->type = YJ_VAL_INT; v->u.i = lua_tointeger(L, -1); }
        else { v->type = YJ_VAL_REAL; v->u.r = lua_tonumber(L, -1); }
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (!(v->u.t.s = text_of_lua(t, s, len))) { rc = 1; break; }
        v->u.t.len = len;
        v->type = YJ_VAL_TEXT;
        break;
    }
    default:
        if (yj_isdate(L, -1, &d)) {          /* dates publish as ISO text */
            char iso[16];
            int n = snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.y, d.m, d.d);
            if (!(v->u.t.s = text_put(t, iso, (size_t)n))) { rc = 1; break; }
            v->u.t.len = (size_t)n;
            v->type = YJ_VAL_TEXT;
            break;
        }
        return 2;                             /* left on the stack for the message */
    }
    lua_pop(L, 1);
    return rc;
}

/* The column kinds a script may name in publish's formats option (yj_col_kind order). */
static const char *const kind_names[] = {"auto", "text", "integer", "score", "pct", "date", NULL};

/* Reads one map of the options table (at index 4: titles or formats, keyed by column
 * name; raw reads) into t->titles or t->kinds. Index 5 holds the column names seen, each
 * mapped to its 1-based position. Raises on a key that is no column, a value of the
 * wrong type or an unknown kind. Returns the bytes of the titles it copied. */
static size_t read_column_map(lua_State *L, yj_table *t, const char *tname, const char *field) {
    size_t bytes = 0;
    int titles = !strcmp(field, "titles");
    lua_pushstring(L, field);
    if (lua_rawget(L, 4) == LUA_TNIL) { lua_pop(L, 1); return 0; }
    if (!lua_istable(L, -1))
        fail(L, t, "publish: table '%s': options.%s must be a table keyed by column name", tname,
             field);
    if (titles && !(t->titles = calloc(t->ncols, sizeof *t->titles)))
        fail(L, t, "not enough memory");
    if (!titles && !(t->kinds = calloc(t->ncols, 1))) fail(L, t, "not enough memory");
    lua_pushnil(L);
    while (lua_next(L, -2)) {                 /* key -2, value -1 */
        if (lua_type(L, -2) != LUA_TSTRING)
            fail(L, t, "publish: table '%s': options.%s must be keyed by column name, not by "
                 "a %s", tname, field, luaL_typename(L, -2));
        lua_pushvalue(L, -2);
        if (lua_rawget(L, 5) != LUA_TNUMBER)
            fail(L, t, "publish: table '%s': options.%s names '%s', which is not one of its "
                 "columns", tname, field, lua_tostring(L, -3));
        size_t c = (size_t)lua_tointeger(L, -1) - 1;
        lua_pop(L, 1);
        size_t len;
        const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        if (!v)
            fail(L, t, "publish: table '%s': options.%s.%s must be a string", tname, field,
                 t->cols[c]);
        if (titles) {
            if (len == 0 || strlen(v) != len)
                fail(L, t, "publish: table '%s': the title of '%s' is empty or holds a NUL byte",
                     tname, t->cols[c]);
            if (!(t->titles[c] = dupn(v, len))) fail(L, t, "not enough memory");
            bytes += len + 1;
        } else {
            int k = 0;
            while (kind_names[k] && strcmp(kind_names[k], v)) k++;
            if (!kind_names[k])
                fail(L, t, "publish: table '%s': options.formats.%s is '%s', not one of auto, "
                     "text, integer, score, pct, date", tname, t->cols[c], v);
            t->kinds[c] = (unsigned char)k;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return bytes;
}

int yj_publish(lua_State *L) {
    yj_run *run = yj_run_of(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (!lua_isnoneornil(L, 4)) luaL_checktype(L, 4, LUA_TTABLE);
    luaL_argcheck(L, name[0], 1, "the table needs a name");
    lua_settop(L, 4);                         /* 4: the options, or nil */
    yj_results *r = run->results;
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->t[i].name, name))
            return luaL_error(L, "publish: table '%s' is already published", name);
    size_t ncols = (size_t)lua_rawlen(L, 2), nrows = (size_t)lua_rawlen(L, 3);
    if (ncols < 1) return luaL_error(L, "publish: table '%s' needs at least one column", name);
    luaL_checkstack(L, 8, "publish");
    lua_createtable(L, 0, ncols > 1000 ? 1000 : (int)ncols);   /* 5: column name → 1.. */
    yj_table *t = new_builder(L);                              /* 6 */
    t->text_in_blocks = 1;
    /* The sizes come from real tables, but say so in arithmetic that cannot wrap. */
    size_t ncells = nrows * ncols, bytes;
    if (nrows != 0 && ncells / nrows != ncols)
        ncells = SIZE_MAX;
    if (ncells > (SIZE_MAX - ncols * sizeof *t->cols) / sizeof *t->cells)
        bytes = SIZE_MAX;
    else
        bytes = ncells * sizeof *t->cells + ncols * sizeof *t->cols;
    check_cap(L, run, t, bytes);
    if (!(t->name = dupn(name, strlen(name))) || !(t->cols = calloc(ncols, sizeof *t->cols)))
        return fail(L, t, "not enough memory");
    for (size_t c = 0; c < ncols; c++) {
        if (lua_rawgeti(L, 2, (lua_Integer)c + 1) != LUA_TSTRING)
            return fail(L, t, "publish: table '%s': column %I is not a string", name,
                        (lua_Integer)c + 1);
        size_t len;
        const char *cn = lua_tolstring(L, -1, &len);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 5) != LUA_TNIL)
            return fail(L, t, "publish: table '%s': column '%s' appears twice", name, cn);
        lua_pop(L, 1);
        lua_pushinteger(L, (lua_Integer)c + 1);
        lua_rawset(L, 5);                     /* pops the name */
        if (!(t->cols[c] = dupn(cn, len))) return fail(L, t, "not enough memory");
        t->ncols = c + 1;
        bytes += len + 1;
    }
    int arrays = 0;                           /* rows in column order, not keyed */
    if (lua_istable(L, 4)) {                  /* options: titles, formats, arrays (raw reads) */
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING || (strcmp(lua_tostring(L, -1), "titles") &&
                                                   strcmp(lua_tostring(L, -1), "formats") &&
                                                   strcmp(lua_tostring(L, -1), "arrays")))
                return fail(L, t, "publish: table '%s': unknown option %s (titles, formats and "
                            "arrays are known)", name, lua_type(L, -1) == LUA_TSTRING ?
                            lua_tostring(L, -1) : luaL_typename(L, -1));
        }
        bytes += read_column_map(L, t, name, "titles");
        read_column_map(L, t, name, "formats");
        lua_pushliteral(L, "arrays");
        int k = lua_rawget(L, 4);
        if (k != LUA_TNIL && k != LUA_TBOOLEAN)
            return fail(L, t, "publish: table '%s': options.arrays must be true or false", name);
        arrays = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    check_cap(L, run, t, bytes);
    if (ncells > 0 && !(t->cells = calloc(ncells, sizeof *t->cells)))
        return fail(L, t, "not enough memory");
    t->nrows = nrows;                         /* cells not read yet are null: freeable */
    for (size_t i = 0; i < nrows; i++) {
        if (lua_rawgeti(L, 3, (lua_Integer)i + 1) != LUA_TTABLE)
            return fail(L, t, "publish: table '%s': row %I is a %s, not a table", name,
                        (lua_Integer)i + 1, luaL_typename(L, -1));
        for (size_t c = 0; c < ncols; c++) {
            if (arrays)
                lua_rawgeti(L, -1, (lua_Integer)c + 1);  /* the c-th value */
            else {
                lua_rawgeti(L, 2, (lua_Integer)c + 1);   /* the column's name */
                lua_rawget(L, -2);
            }
            yj_value *v = &t->cells[i * ncols + c];
            int rc = read_cell(L, t, v);
            if (rc == 1) return fail(L, t, "not enough memory");
            if (rc == 2)
                return fail(L, t, "publish: table '%s' row %I column '%s': a %s cannot be "
                            "published (use a number, string, boolean or nil)", name,
                            (lua_Integer)i + 1, t->cols[c], luaL_typename(L, -1));
            if (v->type == YJ_VAL_TEXT) {
                bytes += v->u.t.len + 1;
                check_cap(L, run, t, bytes);
            }
        }
        lua_pop(L, 1);
    }
    /* Complete: it joins the results. */
    seen_free(t);                             /* publish's own index of the strings copied */
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        yj_table *nt = realloc(r->t, cap * sizeof *nt);
        if (!nt) return fail(L, t, "not enough memory");
        r->t = nt;
        r->cap = cap;
    }
    r->t[r->n++] = *t;
    memset(t, 0, sizeof *t);                  /* taken: the builder's __gc frees nothing */
    run->published_bytes += bytes;
    return 0;
}

/* }================================================================== */

/* {==================================================================
 * Writers
 * =================================================================== */

char *yj_format_number(double v, char *buf) {
    return json_format_number(v, buf);
}

/* The decimal text of an integer, as "%lld" writes it, without printf's set-up (a third
 * of the cells of a typical table). buf holds at least 32 bytes. */
static void format_int(long long v, char *buf) {
    char tmp[24];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    size_t n = 0;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) *buf++ = '-';
    while (n) *buf++ = tmp[--n];
    *buf = '\0';
}

/* The plain text of a cell (text and CSV): "" for null. buf holds at least 32 bytes. */
static const char *cell_text(yj_value v, char *buf, size_t *len) {
    const char *s = buf;
    switch (v.type) {
    case YJ_VAL_NULL: buf[0] = '\0'; break;
    case YJ_VAL_BOOL: s = v.u.b ? "true" : "false"; break;
    case YJ_VAL_INT: format_int(v.u.i, buf); break;
    case YJ_VAL_REAL: yj_format_number(v.u.r, buf); break;
    case YJ_VAL_TEXT: *len = v.u.t.len; return v.u.t.s;
    }
    *len = strlen(s);
    return s;
}

/* Display width of UTF-8 text: East Asian wide and fullwidth characters count 2. */
size_t yj_text_width(const char *s, size_t len) {
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        int n;
        if (c < 0x80) { if (c >= 0x20) w++; i++; continue; }   /* ASCII: 1, controls 0 */
        if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; n = 2; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; n = 3; }
        else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; n = 4; }
        else { w++; i++; continue; }
        if (i + (size_t)n > len) { w++; break; }
        for (int k = 1; k < n; k++) cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
        i += (size_t)n;
        if (cp < 0x20 || (cp >= 0x300 && cp < 0x370) || cp == 0x200B) continue;
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
                   (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
                   (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
                   (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}

/* The header of column c: its title when o asks for titles and it has one. */
static const char *header(const yj_table *t, size_t c, const yj_write_opts *o) {
    return o && o->titles && t->titles && t->titles[c] ? t->titles[c] : t->cols[c];
}

int yj_write_opts_selects(const yj_write_opts *o, const char *name) {
    if (!o || !o->tables) return 1;
    for (size_t i = 0; i < o->ntables; i++)
        if (!strcmp(o->tables[i], name)) return 1;
    return 0;
}

/* The writers build their text in memory and hand it to the stream (sink, NULL for a
 * string) a chunk at a time: after each row, once SPILL_AT bytes are waiting (a JSON
 * document of 48,000 rows is a million small pieces: one fwrite each cost 4 % of a
 * scoring run). */
#define SPILL_AT (64 * 1024)

static void spill(strbuf *o, FILE *sink, int all) {
    if (!sink || o->err || o->len == 0 || (!all && o->len < SPILL_AT)) return;
    if (fwrite(o->p, 1, o->len, sink) != o->len) o->err = 1;
    o->len = 0;
    o->p[0] = '\0';
}

static void pad(strbuf *o, size_t n) {
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        strbuf_put(o, spaces, k);
        n -= k;
    }
}

/* The text writer measures every cell for its column's width, then writes it padded to
 * that width. What the first pass found is kept for the second, so a number is formatted
 * and a text measured once: for each of a table's first MEMO_CELLS cells its width, and
 * for a number its digits (ASCII: as many bytes as columns). That bounds the memory (8
 * bytes a cell plus the digits, about 4 MB at most); cells past it are formatted and
 * measured again when written, as every cell was before. */
#define MEMO_CELLS ((size_t)128 * 1024)

typedef struct {
    uint32_t w;    /* display width */
    uint32_t off;  /* a number's: where its digits start in the table's digit buffer */
} cell_memo;

static int is_number(yj_value v) { return v.type == YJ_VAL_INT || v.type == YJ_VAL_REAL; }

static void write_text(strbuf *o, const yj_results *r, const yj_write_opts *op, FILE *sink) {
    int first = 1;
    strbuf digits = STRBUF_INIT;   /* the memoised numbers' text, freed at the end */
    for (size_t ti = 0; ti < r->n; ti++) {
        const yj_table *t = &r->t[ti];
        if (!yj_write_opts_selects(op, t->name)) continue;
        size_t ncells = t->nrows * t->ncols, nmemo = ncells < MEMO_CELLS ? ncells : MEMO_CELLS;
        size_t *w = calloc(t->ncols, sizeof *w);
        cell_memo *memo = nmemo ? malloc(nmemo * sizeof *memo) : NULL;
        if (!w || (nmemo && !memo)) { free(w); free(memo); o->err = 1; break; }
        digits.len = 0;
        char buf[32];
        size_t len;
        for (size_t c = 0; c < t->ncols; c++) w[c] = yj_text_width(header(t, c, op), strlen(header(t, c, op)));
        for (size_t i = 0, c = 0; i < ncells; i++) {
            yj_value v = t->cells[i];
            const char *s = cell_text(v, buf, &len);
            size_t cw = is_number(v) ? len : yj_text_width(s, len);
            if (i < nmemo) {
                memo[i].w = (uint32_t)cw;
                if (is_number(v)) {
                    memo[i].off = (uint32_t)digits.len;
                    strbuf_put(&digits, s, len);
                }
            }
            if (cw > w[c]) w[c] = cw;
            if (++c == t->ncols) c = 0;
        }
        if (digits.err) { free(w); free(memo); o->err = 1; break; }
        if (!first) strbuf_puts(o, "\n");
        first = 0;
        strbuf_puts(o, t->name);
        strbuf_puts(o, "\n");
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) strbuf_puts(o, "  ");
            const char *h = header(t, c, op);
            strbuf_puts(o, h);
            if (c + 1 < t->ncols) pad(o, w[c] - yj_text_width(h, strlen(h)));
        }
        strbuf_puts(o, "\n");
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) strbuf_puts(o, "  ");
            for (size_t k = 0; k < w[c]; k++) strbuf_put(o, "-", 1);
        }
        strbuf_puts(o, "\n");
        for (size_t row = 0; row < t->nrows; row++) {
            const yj_value *cells = t->cells + row * t->ncols;
            /* Trailing blanks are not written: find the last non-empty cell. */
            size_t last = 0;
            for (size_t c = 0; c < t->ncols; c++) {
                yj_value v = cells[c];
                if (v.type != YJ_VAL_NULL && !(v.type == YJ_VAL_TEXT && v.u.t.len == 0)) last = c + 1;
            }
            for (size_t c = 0; c < last; c++) {
                yj_value v = cells[c];
                size_t i = row * t->ncols + c, cw;
                const char *s;
                int right = is_number(v);
                if (i < nmemo) {
                    cw = memo[i].w;
                    if (right) { s = digits.p + memo[i].off; len = cw; }
                    else s = cell_text(v, buf, &len);
                } else {
                    s = cell_text(v, buf, &len);
                    cw = right ? len : yj_text_width(s, len);
                }
                size_t fill = w[c] - cw;
                if (c) strbuf_put(o, "  ", 2);
                if (right) pad(o, fill);
                strbuf_put(o, s, len);
                if (!right && c + 1 < last) pad(o, fill);
            }
            strbuf_put(o, "\n", 1);
            spill(o, sink, 0);
        }
        free(w);
        free(memo);
    }
    strbuf_free(&digits);
}

static void csv_field(strbuf *o, const char *s, size_t len) {
    int quote = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
    if (len && (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '#')) quote = 1;
    if (!quote) { strbuf_put(o, s, len); return; }
    strbuf_puts(o, "\"");
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') strbuf_puts(o, "\"");
        strbuf_put(o, s + i, 1);
    }
    strbuf_puts(o, "\"");
}

static void write_csv(strbuf *o, const yj_results *r, const yj_write_opts *op, FILE *sink) {
    char buf[32];
    size_t len;
    const char *eol = op && op->excel ? "\r\n" : "\n";
    if (op && op->excel) strbuf_puts(o, "\xEF\xBB\xBF");   /* Excel reads UTF-8 by its BOM */
    for (size_t ti = 0; ti < r->n; ti++) {
        const yj_table *t = &r->t[ti];
        if (!yj_write_opts_selects(op, t->name)) continue;
        strbuf_puts(o, "# ");
        strbuf_puts(o, t->name);
        strbuf_puts(o, eol);
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) strbuf_puts(o, ",");
            csv_field(o, header(t, c, op), strlen(header(t, c, op)));
        }
        strbuf_puts(o, eol);
        for (size_t row = 0; row < t->nrows; row++) {
            for (size_t c = 0; c < t->ncols; c++) {
                if (c) strbuf_puts(o, ",");
                const char *s = cell_text(t->cells[row * t->ncols + c], buf, &len);
                csv_field(o, s, len);
            }
            strbuf_puts(o, eol);
            spill(o, sink, 0);
        }
    }
}

/* One cell as canonical JSON (util/json.c: the archive's tables use the same writer). */
static void json_value(strbuf *o, yj_value v) {
    switch (v.type) {
    case YJ_VAL_NULL: strbuf_puts(o, "null"); break;
    case YJ_VAL_BOOL: strbuf_puts(o, v.u.b ? "true" : "false"); break;
    case YJ_VAL_INT: json_integer(o, v.u.i); break;
    case YJ_VAL_REAL: json_number(o, v.u.r); break;
    case YJ_VAL_TEXT: json_string(o, v.u.t.s, v.u.t.len); break;
    }
}

static void write_json(strbuf *o, const yj_results *r, const yj_write_opts *op, FILE *sink) {
    int first = 1;
    strbuf_puts(o, "{");
    for (size_t ti = 0; ti < r->n; ti++) {
        const yj_table *t = &r->t[ti];
        if (!yj_write_opts_selects(op, t->name)) continue;
        strbuf_puts(o, first ? "\n" : ",\n");
        first = 0;
        json_string(o, t->name, strlen(t->name));
        strbuf_puts(o, ": [");
        for (size_t row = 0; row < t->nrows; row++) {
            strbuf_puts(o, row ? ",\n  {" : "\n  {");
            for (size_t c = 0; c < t->ncols; c++) {
                if (c) strbuf_puts(o, ", ");
                json_string(o, t->cols[c], strlen(t->cols[c]));
                strbuf_puts(o, ": ");
                json_value(o, t->cells[row * t->ncols + c]);
            }
            strbuf_puts(o, "}");
            spill(o, sink, 0);
        }
        strbuf_puts(o, t->nrows ? "\n]" : "]");
    }
    strbuf_puts(o, "\n}\n");
}

/* Writes r into o (in memory); with a sink, o's text goes there as it grows and at the
 * end, and o is left empty. */
static void write_any(strbuf *o, const yj_results *r, yj_format f, const yj_write_opts *op,
                      FILE *sink) {
    static const yj_results empty = {NULL, 0, 0};
    if (!r) r = &empty;
    if (f == YJ_FORMAT_CSV) write_csv(o, r, op, sink);
    else if (f == YJ_FORMAT_JSON) write_json(o, r, op, sink);
    else write_text(o, r, op, sink);
    spill(o, sink, 1);
}

int yj_results_write_opts(const yj_results *r, yj_format f, const yj_write_opts *op, FILE *out) {
    if (f == YJ_FORMAT_XLSX) {                /* a file, not a stream: yj_results_write_xlsx */
        errno = EINVAL;
        return -1;
    }
    strbuf o = STRBUF_INIT;
    write_any(&o, r, f, op, out);
    if (fflush(out) != 0) o.err = 1;
    int err = o.err;
    strbuf_free(&o);
    return err ? -1 : 0;
}

int yj_results_write(const yj_results *r, yj_format f, FILE *out) {
    return yj_results_write_opts(r, f, NULL, out);
}

int yj_results_to_string(const yj_results *r, yj_format f, char **buf, size_t *len) {
    if (f == YJ_FORMAT_XLSX) {
        errno = EINVAL;
        *buf = NULL;
        return -1;
    }
    strbuf o = STRBUF_INIT;
    write_any(&o, r, f, NULL, NULL);
    *buf = strbuf_take(&o, len);
    return *buf ? 0 : -1;
}

/* }================================================================== */
