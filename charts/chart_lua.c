/* chart_lua.c — the chart/PDF library as the Lua module "chart" (luaopen_yj_chart).
 *
 * Lua describes, C draws. The module has two functions — chart.document{...} returning a
 * document object, and chart.save(spec, path [, opts]) writing one chart alone — and the
 * document's methods add blocks and save. Every table is checked field by field and turned
 * into the C model (chart.h, chart_doc.h); mistakes raise Lua errors naming the argument
 * and field. Before any file is created the embedder's output policy is asked
 * (chart_lua_set_policy; none set: nothing is written).
 *
 * C objects under construction live in a "holder" userdata whose __gc frees them, so a
 * Lua error in the middle of parsing leaks nothing; documents are userdata with the
 * metatable "yj.chart.document" and an idempotent __gc/__close shared with doc:close().
 *
 * Script code must not run inside these functions behind their back: argument tables
 * are read raw (lua_rawget, lua_rawgeti, lua_rawlen), so no __index, __len or other
 * metamethod of theirs runs. A finalizer (__gc) may still run at any allocation and
 * close the document, so a method looks at its document again (todoc) after reading its
 * arguments, right before it hands them to the C layer, and holds no pointer into the
 * document across a call that may run Lua. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>

#include "chart_doc.h"
#include "chart_lua.h"
#include "chart_palette.h"
#include "utf8.h"
#include "version.h"

#define DOC_META "yj.chart.document"
#define HOLDER_META "yj.chart.holder"

/* Text a chart may draw: strict UTF-8 (util/utf8.c) without NUL bytes, which would cut
 * it short in cairo and pango. */
static int chart_utf8_text(const char *s, size_t len) {
    return yj_utf8_valid(s, len) && !memchr(s, '\0', len);
}

/* {==== holders: C objects freed by __gc unless taken ====================== */

typedef struct holder {
    void *p;
    void (*free)(void *);
} holder;

static int holder_gc(lua_State *L) {
    holder *h = luaL_checkudata(L, 1, HOLDER_META);
    if (h->p && h->free) h->free(h->p);
    h->p = NULL;
    return 0;
}

/* Pushes a holder owning p (freed with fr unless taken with take()). */
static holder *hold(lua_State *L, void *p, void (*fr)(void *)) {
    holder *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->p = NULL;
    h->free = fr;
    if (luaL_newmetatable(L, HOLDER_META)) {
        lua_pushcfunction(L, holder_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "locked");          /* no script may reach or change it */
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    if (!p) luaL_error(L, "chart: out of memory");
    h->p = p;
    return h;
}

static void *take(holder *h) {
    void *p = h->p;
    h->p = NULL;
    return p;
}

static void free_spec(void *p) { chart_spec_free(p); }
static void free_table(void *p) { chart_table_free(p); }

typedef struct tile_list { chart_tile *tiles; int n; } tile_list;
static void free_tiles(void *p) {
    tile_list *tl = p;
    for (int i = 0; i < tl->n; i++) chart_tile_clear(&tl->tiles[i]);
    free(tl->tiles);
    free(tl);
}

/* }==== */

/* {==== reading fields ====================================================== */

/* Raises "bad argument #arg to 'fn' (field 'name': message)". */
static int field_error(lua_State *L, int arg, const char *field, const char *msg) {
    return luaL_argerror(L, arg, lua_pushfstring(L, "field '%s': %s", field, msg));
}

/* Pushes t[field] without metamethods; returns its type. */
static int rawfield(lua_State *L, int t, const char *field) {
    t = lua_absindex(L, t);
    lua_pushstring(L, field);
    return lua_rawget(L, t);
}

/* Text of the value on top of the stack for field: strings (valid UTF-8, at most max
 * bytes) or numbers (whole numbers without ".0"). Pops it; returns a malloc'd copy. */
static char *text_of_top(lua_State *L, int arg, const char *field, size_t max) {
    char buf[64];
    const char *s;
    size_t len;
    if (lua_type(L, -1) == LUA_TNUMBER) {
        if (lua_isinteger(L, -1)) snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, -1));
        else {
            double v = lua_tonumber(L, -1);
            if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, sizeof buf, "%.0f", v);
            else snprintf(buf, sizeof buf, "%.10g", v);
        }
        s = buf;
        len = strlen(buf);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &len);
        if (len > max)
            field_error(L, arg, field, lua_pushfstring(L, "text too long (%d bytes; at most %d)",
                                                       (int)len, (int)max));
        if (!chart_utf8_text(s, len))
            field_error(L, arg, field, "text is not valid UTF-8");
    } else {
        field_error(L, arg, field, lua_pushfstring(L, "string expected, got %s",
                                                   luaL_typename(L, -1)));
        return NULL;
    }
    char *copy = malloc(len + 1);
    if (!copy) luaL_error(L, "chart: out of memory");
    memcpy(copy, s, len + 1);
    lua_pop(L, 1);
    return copy;
}

/* Optional text field of the table at index t; NULL when absent. */
static char *opt_text(lua_State *L, int t, int arg, const char *field, size_t max) {
    if (rawfield(L, t, field) == LUA_TNIL) { lua_pop(L, 1); return NULL; }
    return text_of_top(L, arg, field, max);
}

static char *req_text(lua_State *L, int t, int arg, const char *field, size_t max) {
    char *s = opt_text(L, t, arg, field, max);
    if (!s) field_error(L, arg, field, "required");
    return s;
}

static int opt_bool(lua_State *L, int t, const char *field) {
    rawfield(L, t, field);
    int b = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return b;
}

static double opt_number(lua_State *L, int t, int arg, const char *field, double dflt) {
    int ty = rawfield(L, t, field);
    double v = dflt;
    if (ty == LUA_TNUMBER) v = lua_tonumber(L, -1);
    else if (ty != LUA_TNIL) field_error(L, arg, field, "number expected");
    lua_pop(L, 1);
    return v;
}

/* Optional whole-number field: the number truncated to int, dflt when absent. A number
 * outside lo..hi (NaN, 2^53...) is an error naming the field, never converted (a double
 * outside int's range has no defined conversion). */
static int opt_int(lua_State *L, int t, int arg, const char *field, int dflt, int lo, int hi) {
    double v = opt_number(L, t, arg, field, dflt);
    if (!(v >= lo && v < (double)hi + 1))
        field_error(L, arg, field, lua_pushfstring(L, "must be %d..%d", lo, hi));
    return (int)v;
}

/* Length of the array in field (pushed on the stack, left there), at most max; 0 when
 * absent unless required. */
static int array_field(lua_State *L, int t, int arg, const char *field, int max, int required) {
    int ty = rawfield(L, t, field);
    if (ty == LUA_TNIL && !required) return 0;
    if (ty != LUA_TTABLE) field_error(L, arg, field, "table expected");
    lua_Unsigned n = lua_rawlen(L, -1);
    if (n > (lua_Unsigned)max)
        field_error(L, arg, field, lua_pushfstring(L, "too many entries (%I; at most %d)",
                                                   (lua_Integer)n, max));
    return (int)n;
}

/* }==== */

/* {==== chart specs ========================================================= */

/* Reads the chart table at index t (argument arg) into a spec left in a holder on the
 * stack; returns the spec (still owned by the holder). */
static chart_spec *check_spec(lua_State *L, int t, int arg) {
    luaL_checktype(L, t, LUA_TTABLE);
    t = lua_absindex(L, t);
    chart_kind kind;
    char *kname = req_text(L, t, arg, "kind", 32);
    int bad = chart_kind_parse(kname, &kind);
    if (bad) {
        lua_pushfstring(L, "unknown chart kind '%s' (bar, hbar, grouped, stacked, line, combo)",
                        kname);
        free(kname);
        field_error(L, arg, "kind", lua_tostring(L, -1));
    }
    free(kname);
    int n_cat = array_field(L, t, arg, "categories", CHART_MAX_CATEGORIES, 1);
    int cats = lua_gettop(L);
    int n_ser = array_field(L, t, arg, "series", CHART_MAX_SERIES, 1);
    int sers = lua_gettop(L);
    holder *h = hold(L, chart_spec_new(kind, n_cat, n_ser), free_spec);
    chart_spec *s = h->p;
    for (int j = 0; j < n_cat; j++) {
        lua_rawgeti(L, cats, j + 1);
        s->categories[j] = text_of_top(L, arg, "categories", CHART_MAX_LABEL);
    }
    for (int i = 0; i < n_ser; i++) {
        if (lua_rawgeti(L, sers, i + 1) != LUA_TTABLE) field_error(L, arg, "series", "tables expected");
        int st = lua_gettop(L);
        s->series[i].name = opt_text(L, st, arg, "name", CHART_MAX_LABEL);
        s->series[i].line = opt_bool(L, st, "line");
        int nv = array_field(L, st, arg, "values", CHART_MAX_CATEGORIES + 1, 1);
        if (nv > n_cat)
            field_error(L, arg, "series", lua_pushfstring(L, "series %d has %d values for %d "
                                                          "categories", i + 1, nv, n_cat));
        for (int j = 0; j < n_cat; j++) {
            int ty = lua_rawgeti(L, -1, j + 1);
            if (ty == LUA_TNUMBER) s->series[i].values[j] = lua_tonumber(L, -1);
            else if (ty != LUA_TNIL && !(ty == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
                field_error(L, arg, "series", lua_pushfstring(L, "series %d value %d: number "
                                                              "expected, got %s", i + 1, j + 1,
                                                              luaL_typename(L, -1)));
            lua_pop(L, 1);
        }
        lua_pop(L, 2);   /* values, series[i] */
    }
    s->title = opt_text(L, t, arg, "title", CHART_MAX_LABEL);
    s->y_label = opt_text(L, t, arg, "y_label", CHART_MAX_LABEL);
    s->y2_label = opt_text(L, t, arg, "y2_label", CHART_MAX_LABEL);
    s->note = opt_text(L, t, arg, "note", CHART_MAX_LABEL);
    s->values_on_bars = opt_bool(L, t, "values_on_bars");
    s->ref_value = opt_number(L, t, arg, "ref_value", NAN);
    s->axis_from = opt_number(L, t, arg, "axis_from", NAN);
    s->ref_label = opt_text(L, t, arg, "ref_label", CHART_MAX_LABEL);
    s->decimals = opt_int(L, t, arg, "decimals", -1, -1, 6);
    s->width_mm = opt_number(L, t, arg, "width_mm", 160);
    s->height_mm = opt_number(L, t, arg, "height_mm", 80);
    int nc = array_field(L, t, arg, "colors", CHART_MAX_CATEGORIES + 1, 0);
    if (nc > 0) {
        if (nc != n_cat) field_error(L, arg, "colors", "one colour per category expected");
        s->bar_colors = malloc((size_t)nc * sizeof *s->bar_colors);
        if (!s->bar_colors) luaL_error(L, "chart: out of memory");
        for (int j = 0; j < nc; j++) {
            lua_rawgeti(L, -1, j + 1);
            if (chart_parse_rgb(lua_tostring(L, -1), &s->bar_colors[j]) != 0)
                field_error(L, arg, "colors", "colours are \"#RRGGBB\"");
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);   /* colors (or nil) */
    int nm = array_field(L, t, arg, "marks", CHART_MAX_CATEGORIES + 1, 0);
    if (nm > 0) {
        if (nm > n_cat) field_error(L, arg, "marks", "more marks than categories");
        s->marks = calloc((size_t)n_cat, sizeof *s->marks);
        if (!s->marks) luaL_error(L, "chart: out of memory");
        for (int j = 0; j < n_cat; j++) {
            if (lua_rawgeti(L, -1, j + 1) == LUA_TNIL || (lua_isboolean(L, -1) && !lua_toboolean(L, -1)))
                lua_pop(L, 1);
            else s->marks[j] = text_of_top(L, arg, "marks", 64);
        }
    }
    lua_pop(L, 1);   /* marks (or nil) */
    int nh = array_field(L, t, arg, "hatched", CHART_MAX_CATEGORIES + 1, 0);
    if (nh > 0) {
        if (nh > n_cat) field_error(L, arg, "hatched", "more flags than categories");
        s->hatched = calloc((size_t)n_cat, 1);
        if (!s->hatched) luaL_error(L, "chart: out of memory");
        for (int j = 0; j < nh; j++) {
            lua_rawgeti(L, -1, j + 1);
            s->hatched[j] = (unsigned char)lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);   /* hatched (or nil) */
    int nl = array_field(L, t, arg, "legend", CHART_MAX_LEGEND, 0);
    if (nl > 0) {
        s->legend = calloc((size_t)nl, sizeof *s->legend);
        if (!s->legend) luaL_error(L, "chart: out of memory");
        int lt = lua_gettop(L);
        for (int j = 0; j < nl; j++) {
            if (lua_rawgeti(L, lt, j + 1) != LUA_TTABLE)
                field_error(L, arg, "legend", "{name=, color=[, hatched=]} tables expected");
            int it = lua_gettop(L);
            chart_legend_item *li = &s->legend[s->n_legend++];
            li->name = opt_text(L, it, arg, "name", 256);
            if (!li->name) field_error(L, arg, "legend", "every item needs a name");
            if (rawfield(L, it, "color") != LUA_TSTRING || chart_parse_rgb(lua_tostring(L, -1), &li->rgb) != 0)
                field_error(L, arg, "legend", "colours are \"#RRGGBB\"");
            lua_pop(L, 1);
            li->hatched = opt_bool(L, it, "hatched");
            lua_pop(L, 1);   /* the item */
        }
    }
    lua_pop(L, 1);   /* legend (or nil) */
    if (rawfield(L, t, "mark_color") != LUA_TNIL &&
        chart_parse_rgb(lua_tostring(L, -1), &s->mark_rgb) != 0)
        field_error(L, arg, "mark_color", "colours are \"#RRGGBB\"");
    lua_pop(L, 1);
    char err[256];
    if (chart_spec_check(s, err, sizeof err) != 0) luaL_argerror(L, arg, err);
    lua_replace(L, cats);   /* keep the holder, drop the arrays */
    lua_settop(L, cats);
    return s;
}

/* }==== */

/* {==== documents =========================================================== */

typedef struct ldoc { chart_doc *d; } ldoc;

/* The open document at argument 1, or an error. Called on entry and again right before
 * the C layer gets the document: reading the arguments may have run a finalizer that
 * closed it. Between that second call and the C layer nothing may touch Lua. */
static chart_doc *todoc(lua_State *L) {
    ldoc *ld = luaL_checkudata(L, 1, DOC_META);
    if (!ld->d) luaL_error(L, "chart: the document is closed");
    return ld->d;
}

static int doc_close(lua_State *L) {
    ldoc *ld = luaL_checkudata(L, 1, DOC_META);
    chart_doc_free(ld->d);
    ld->d = NULL;
    return 0;
}

/* Raises the C layer's error message, if rc says there is one. */
static void check_rc(lua_State *L, int rc, const char *err) {
    if (rc != 0) luaL_error(L, "chart: %s", err);
}

/* Optional text field of the table at t, validated but not copied: the string stays on the
 * stack (one slot pushed, nil when absent) until the caller returns. */
static const char *peek_text(lua_State *L, int t, int arg, const char *field, size_t max) {
    int ty = rawfield(L, t, field);
    if (ty == LUA_TNIL) return NULL;
    if (ty != LUA_TSTRING && ty != LUA_TNUMBER)
        field_error(L, arg, field, lua_pushfstring(L, "string expected, got %s",
                                                   luaL_typename(L, -1)));
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (len > max) field_error(L, arg, field, "text too long");
    if (!chart_utf8_text(s, len)) field_error(L, arg, field, "text is not valid UTF-8");
    return s;
}

static int doc_title_block(lua_State *L) {
    todoc(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    static const char *const keys[5] = { "city", "title", "period", "issuer", "cutoff" };
    const char *v[5];
    for (int i = 0; i < 5; i++) v[i] = peek_text(L, 2, 2, keys[i], CHART_MAX_LABEL);
    char err[256];
    chart_doc *d = todoc(L);
    check_rc(L, chart_doc_title_block(d, v[0], v[1], v[2], v[3], v[4], err, sizeof err), err);
    lua_settop(L, 1);
    return 1;
}

/* A checked text argument (UTF-8, at most max bytes). */
static const char *check_text(lua_State *L, int arg, size_t max) {
    size_t len;
    const char *s = luaL_checklstring(L, arg, &len);
    if (len > max)
        luaL_argerror(L, arg, lua_pushfstring(L, "text too long (%d bytes; at most %d)", (int)len,
                                              (int)max));
    if (!chart_utf8_text(s, len)) luaL_argerror(L, arg, "text is not valid UTF-8");
    return s;
}

static int add_section(lua_State *L, int level) {
    todoc(L);
    const char *text = check_text(L, 2, CHART_MAX_LABEL);
    char err[256];
    chart_doc *d = todoc(L);
    check_rc(L, chart_doc_section(d, text, level, err, sizeof err), err);
    lua_settop(L, 1);
    return 1;
}

static int doc_section(lua_State *L) {
    lua_Integer level = luaL_optinteger(L, 3, 1);   /* compared before any narrowing */
    luaL_argcheck(L, level == 1 || level == 2, 3, "level is 1 or 2");
    return add_section(L, (int)level);
}

static int doc_subsection(lua_State *L) { return add_section(L, 2); }

static int doc_paragraph(lua_State *L) {
    todoc(L);
    const char *text = check_text(L, 2, CHART_MAX_PARAGRAPH);
    static const char *const styles[] = { "body", "note", "caption", "signature", NULL };
    int style = 0;
    if (lua_type(L, 3) == LUA_TTABLE) {
        rawfield(L, 3, "style");
        style = luaL_checkoption(L, lua_gettop(L), "body", styles);
        lua_pop(L, 1);
    } else if (!lua_isnoneornil(L, 3)) {
        style = luaL_checkoption(L, 3, "body", styles);
    }
    char err[256];
    chart_doc *d = todoc(L);
    check_rc(L, chart_doc_paragraph(d, text, (chart_para_style)style, err, sizeof err), err);
    lua_settop(L, 1);
    return 1;
}

/* One change line from the table at index t (fields basis, change; or change_text and
 * trend for words instead of a percentage). */
static void read_change(lua_State *L, int t, int arg, chart_change *c) {
    c->basis = opt_text(L, t, arg, "basis", 64);
    c->text = opt_text(L, t, arg, "change_text", 64);
    c->trend = opt_int(L, t, arg, "trend", 0, -1, 1);
    int ty = rawfield(L, t, "change");
    if (ty == LUA_TNUMBER) c->pct = lua_tonumber(L, -1);
    else if (ty == LUA_TNIL || (ty == LUA_TBOOLEAN && !lua_toboolean(L, -1))) c->pct = NAN;
    else field_error(L, arg, "change", "number expected (nil = no baseline)");
    if (isinf(c->pct)) field_error(L, arg, "change", "must be finite (nil = no baseline)");
    lua_pop(L, 1);
}

static int doc_tiles(lua_State *L) {
    todoc(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Unsigned n = lua_rawlen(L, 2);
    luaL_argcheck(L, n >= 1 && n <= CHART_MAX_TILES, 2, "1 to 64 tiles expected");
    tile_list *tl = calloc(1, sizeof *tl);
    if (tl) tl->tiles = calloc((size_t)n, sizeof *tl->tiles);
    if (tl && !tl->tiles) { free(tl); tl = NULL; }
    holder *h = hold(L, tl, free_tiles);
    for (int i = 0; i < (int)n; i++) {
        if (lua_rawgeti(L, 2, i + 1) != LUA_TTABLE) luaL_argerror(L, 2, "tiles are tables");
        int t = lua_gettop(L);
        chart_tile *tile = &tl->tiles[tl->n++];
        tile->label = req_text(L, t, 2, "label", CHART_MAX_LABEL);
        tile->value = req_text(L, t, 2, "value", 64);
        tile->unit = opt_text(L, t, 2, "unit", 64);
        tile->note = opt_text(L, t, 2, "note", CHART_MAX_LABEL);
        rawfield(L, t, "better");
        tile->up_is_good = lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "up") == 0;
        lua_pop(L, 1);
        int nch = array_field(L, t, 2, "changes", CHART_TILE_CHANGES, 0);
        for (int c = 0; c < nch; c++) {
            if (lua_rawgeti(L, -1, c + 1) != LUA_TTABLE) field_error(L, 2, "changes", "tables expected");
            read_change(L, lua_gettop(L), 2, &tile->changes[tile->n_changes++]);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);   /* changes (or nil) */
        rawfield(L, t, "basis");
        int has_basis = !lua_isnil(L, -1);
        lua_pop(L, 1);
        rawfield(L, t, "change");
        int has_change = !lua_isnil(L, -1);
        lua_pop(L, 1);
        rawfield(L, t, "change_text");
        has_change |= !lua_isnil(L, -1);
        lua_pop(L, 1);
        if ((has_basis || has_change) && tile->n_changes < CHART_TILE_CHANGES)
            read_change(L, t, 2, &tile->changes[tile->n_changes++]);
        lua_pop(L, 1);   /* the tile */
    }
    int per_row = 4;
    if (lua_type(L, 3) == LUA_TTABLE) per_row = opt_int(L, 3, 3, "per_row", 4, 1, 6);
    luaL_argcheck(L, per_row >= 1 && per_row <= 6, 3, "per_row is 1..6");
    chart_doc *d = todoc(L);
    tile_list *taken = take(h);
    char err[256];
    int rc = chart_doc_tiles(d, taken->tiles, taken->n, per_row, err, sizeof err);
    free(taken);
    check_rc(L, rc, err);
    lua_settop(L, 1);
    return 1;
}

static int doc_chart(lua_State *L) {
    todoc(L);
    check_spec(L, 2, 2);
    holder *h = luaL_checkudata(L, -1, HOLDER_META);
    chart_doc *d = todoc(L);
    chart_spec *s = take(h);
    char err[256];
    check_rc(L, chart_doc_chart(d, s, err, sizeof err), err);
    lua_settop(L, 1);
    return 1;
}

static chart_align check_align(lua_State *L, int arg, const char *field) {
    const char *a = lua_tostring(L, -1);
    if (a && !strcmp(a, "left")) return CHART_LEFT;
    if (a && !strcmp(a, "right")) return CHART_RIGHT;
    if (a && !strcmp(a, "center")) return CHART_CENTER;
    field_error(L, arg, field, "align is \"left\", \"center\" or \"right\"");
    return CHART_LEFT;
}

static int doc_table(lua_State *L) {
    todoc(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    int nc = array_field(L, 2, 2, "columns", CHART_MAX_COLUMNS, 1);
    int cols = lua_gettop(L);
    int nr = array_field(L, 2, 2, "rows", CHART_MAX_ROWS, 1);
    int rows = lua_gettop(L);
    if (nc < 1) field_error(L, 2, "columns", "at least one column");
    holder *h = hold(L, chart_table_new(nc, nr), free_table);
    chart_table *tb = h->p;
    for (int c = 0; c < nc; c++) {
        int ty = lua_rawgeti(L, cols, c + 1);
        if (ty == LUA_TTABLE) {        /* {title=, width=, align=} */
            int ct = lua_gettop(L);
            tb->head[c] = req_text(L, ct, 2, "title", CHART_MAX_LABEL);
            tb->widths[c] = opt_number(L, ct, 2, "width", 0);
            if (rawfield(L, ct, "align") != LUA_TNIL) tb->align[c] = check_align(L, 2, "align");
            lua_pop(L, 2);
        } else {
            tb->head[c] = text_of_top(L, 2, "columns", CHART_MAX_LABEL);
        }
    }
    if (array_field(L, 2, 2, "widths", CHART_MAX_COLUMNS, 0) > 0)
        for (int c = 0; c < nc; c++) {
            lua_rawgeti(L, -1, c + 1);
            tb->widths[c] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    if (array_field(L, 2, 2, "align", CHART_MAX_COLUMNS, 0) > 0)
        for (int c = 0; c < nc; c++) {
            if (lua_rawgeti(L, -1, c + 1) != LUA_TNIL) tb->align[c] = check_align(L, 2, "align");
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    for (int c = 0; c < nc; c++)
        if (!(tb->widths[c] >= 0 && tb->widths[c] < 1e6)) field_error(L, 2, "widths", "bad width");
    for (int r = 0; r < nr; r++) {
        if (lua_rawgeti(L, rows, r + 1) != LUA_TTABLE) field_error(L, 2, "rows", "tables expected");
        for (int c = 0; c < nc; c++) {
            if (lua_rawgeti(L, -1, c + 1) == LUA_TNIL) lua_pop(L, 1);
            else tb->cells[(long)r * nc + c] = text_of_top(L, 2, "rows", CHART_MAX_LABEL);
        }
        lua_pop(L, 1);
    }
    int nb = array_field(L, 2, 2, "bold_rows", CHART_MAX_ROWS, 0);
    for (int i = 0; i < nb; i++) {
        lua_rawgeti(L, -1, i + 1);
        lua_Integer r = lua_tointeger(L, -1);
        if (r < 1 || r > nr) field_error(L, 2, "bold_rows", "row numbers 1..#rows expected");
        tb->bold[r - 1] = 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    int nh = array_field(L, 2, 2, "highlight", CHART_MAX_ROWS * 4, 0);
    if (nh > 0) {
        tb->hl = calloc((size_t)nr * (size_t)nc, 1);
        if (!tb->hl) luaL_error(L, "chart: out of memory");
    }
    for (int i = 0; i < nh; i++) {
        if (lua_rawgeti(L, -1, i + 1) != LUA_TTABLE)
            field_error(L, 2, "highlight", "{row, column} pairs expected");
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        lua_Integer r = lua_tointeger(L, -2), c = lua_tointeger(L, -1);
        if (r < 1 || r > nr || c < 1 || c > nc)
            field_error(L, 2, "highlight", "{row, column} within the table expected");
        tb->hl[(r - 1) * nc + (c - 1)] = 1;
        lua_pop(L, 3);
    }
    lua_pop(L, 1);
    const char *caption = peek_text(L, 2, 2, "caption", CHART_MAX_LABEL);
    chart_doc *d = todoc(L);
    char err[256];
    check_rc(L, chart_doc_table(d, take(h), caption, err, sizeof err), err);
    lua_settop(L, 1);
    return 1;
}

static int doc_page_break(lua_State *L) {
    chart_doc *d = todoc(L);
    char err[256];
    check_rc(L, chart_doc_page_break(d, err, sizeof err), err);
    lua_settop(L, 1);
    return 1;
}

/* The registry key of the output policy (a light userdata, see chart_lua_set_policy). */
static const char policy_key = 0;

void chart_lua_set_policy(lua_State *L, const chart_output_policy *p) {
    lua_pushlightuserdata(L, (void *)p);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &policy_key);
}

/* Raises an error unless the output policy lets the module write path. */
static void check_allowed(lua_State *L, const char *path) {
    char why[512] = "";
    lua_rawgetp(L, LUA_REGISTRYINDEX, &policy_key);
    const chart_output_policy *p = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!p || !p->allowed)
        luaL_error(L, "chart: %s: cannot write there (no output policy)", path);
    if (!p->allowed(p->ud, path, why, sizeof why))
        luaL_error(L, "chart: %s", why[0] ? why : "writing this file is not allowed");
}

static int doc_save(lua_State *L) {
    todoc(L);
    const char *path = luaL_checkstring(L, 2);
    check_allowed(L, path);
    chart_doc *d = todoc(L);
    char err[512];
    int pages = 0;
    check_rc(L, chart_doc_save(d, path, &pages, err, sizeof err), err);
    lua_pushinteger(L, pages);
    return 1;
}

static int doc_tostring(lua_State *L) {
    ldoc *ld = luaL_checkudata(L, 1, DOC_META);
    lua_pushstring(L, ld->d ? "chart document" : "chart document (closed)");
    return 1;
}

static int chart_document(lua_State *L) {
    int t = lua_istable(L, 1);
    if (!t) luaL_argcheck(L, lua_isnoneornil(L, 1), 1, "table expected");
    ldoc *ld = lua_newuserdatauv(L, sizeof *ld, 0);
    ld->d = NULL;
    luaL_setmetatable(L, DOC_META);
    ld->d = chart_doc_new();
    if (!ld->d) return luaL_error(L, "chart: out of memory");
    if (t) {
        const char *title = peek_text(L, 1, 1, "title", CHART_MAX_LABEL);
        const char *subject = peek_text(L, 1, 1, "subject", CHART_MAX_LABEL);
        const char *author = peek_text(L, 1, 1, "author", CHART_MAX_LABEL);
        const char *date = peek_text(L, 1, 1, "date", 32);
        char err[256];
        if (chart_doc_meta(ld->d, title, subject, author, date, err, sizeof err) != 0)
            luaL_argerror(L, 1, lua_pushfstring(L, "field 'date': %s", err));
        lua_settop(L, 2);   /* the document */
    }
    return 1;
}

/* }==== */

static int chart_save_lua(lua_State *L) {
    check_spec(L, 1, 1);
    chart_spec *s = ((holder *)luaL_checkudata(L, -1, HOLDER_META))->p;
    const char *path = luaL_checkstring(L, 2);
    double dpi = 300;
    if (lua_type(L, 3) == LUA_TTABLE) dpi = opt_number(L, 3, 3, "dpi", 300);
    luaL_argcheck(L, dpi >= 30 && dpi <= 600, 3, "dpi is 30..600");
    check_allowed(L, path);
    char err[512];
    check_rc(L, chart_save(s, path, dpi, err, sizeof err), err);
    lua_pushboolean(L, 1);
    return 1;
}

static const luaL_Reg doc_methods[] = {
    { "chart", doc_chart },
    { "close", doc_close },
    { "page_break", doc_page_break },
    { "paragraph", doc_paragraph },
    { "save", doc_save },
    { "section", doc_section },
    { "subsection", doc_subsection },
    { "table", doc_table },
    { "tiles", doc_tiles },
    { "title_block", doc_title_block },
    { NULL, NULL }
};

static const luaL_Reg doc_meta[] = {
    { "__close", doc_close },
    { "__gc", doc_close },
    { "__index", NULL },
    { "__tostring", doc_tostring },
    { NULL, NULL }
};

static const luaL_Reg chart_funcs[] = {
    { "document", chart_document },
    { "save", chart_save_lua },
    { NULL, NULL }
};

int luaopen_yj_chart(lua_State *L) {
    if (luaL_newmetatable(L, DOC_META)) {
        luaL_setfuncs(L, doc_meta, 0);
        luaL_newlib(L, doc_methods);
        lua_setfield(L, -2, "__index");
        /* getmetatable gives scripts a string: no __gc can be added (finalizers run
         * with hooks off, outside the instruction budget), no method replaced. */
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    luaL_newlib(L, chart_funcs);
    return 1;
}

const chart_lua_api chart_lua_linked = { CHART_LUA_ABI, YJ_VERSION, chart_lua_set_policy, luaopen_yj_chart };
