/* fuzz_writers.c — libFuzzer harness for the result writers of `yingji run` (text, CSV,
 * JSON: yj_results_write / yj_results_to_string in core/script_results.c).
 *
 * The input is decoded into result tables built directly (as publish() would leave
 * them): up to 4 tables, 1-6 columns, 0-7 rows, cells of every type with raw bytes
 * (invalid UTF-8, control characters, quotes, commas, NUL inside text), any double
 * (NaN, infinities, subnormals) and any integer. Names follow publish(): non-empty C
 * strings. Properties checked beyond the sanitizers (any violation aborts):
 * - every writer succeeds, to a string and to a FILE, with the same bytes, twice alike;
 * - the JSON is valid JSON and valid UTF-8 (this harness found surrogates, overlong
 *   forms and code points past U+10FFFF passing through: fixed on main in d7507da);
 * - the CSV has at least two lines (the "# NAME" line and the header) per table.
 *
 * The bytes left after the tables drive the chart module's entry points (docs/charts.md:
 * chart.document, chart.save and every document method) in a fresh Lua state, with
 * argument tables built from the bytes — right and wrong field names, types and sizes —
 * carrying metatables whose __index, __len, __pairs, __tostring, __eq, __lt, __le,
 * __close, __concat, __call, __newindex or __gc close the document, call the module
 * again, raise an error or collect garbage. Any Lua error is fine; a crash, a sanitizer
 * report or a metamethod running inside the module (it reads tables raw) is a finding.
 * A __gc never creates a document: one created by a finalizer while lua_close runs is
 * never finalized (Lua does not register finalizers then) and LSan reports it; scripts
 * cannot set __gc (sb_setmetatable), so that is no path a script has. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "chart_lua.h"
#include "imp_encoding.h"
#include "script_int.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_writers: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

typedef struct { const uint8_t *p; size_t n; } input;

static unsigned byte(input *in) {
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

static void bytes(input *in, void *out, size_t n) {
    memset(out, 0, n);
    size_t k = n < in->n ? n : in->n;
    memcpy(out, in->p, k);
    in->p += k;
    in->n -= k;
}

/* A malloc'd string of up to 15 raw bytes (len out), NUL-terminated. */
static char *text(input *in, size_t *len, int nonempty_cstr) {
    size_t n = byte(in) % 16;
    char *s = malloc(n + 2);
    REQUIRE(s != NULL);
    bytes(in, s, n);
    s[n] = '\0';
    if (nonempty_cstr) {
        n = strlen(s);
        if (!n) { s[0] = 'x'; s[1] = '\0'; n = 1; }
    }
    if (len) *len = n;
    return s;
}

static yj_results *decode(input *in) {
    yj_results *r = yj_results_new();
    REQUIRE(r != NULL);
    size_t nt = 1 + byte(in) % 4;
    r->t = calloc(nt, sizeof *r->t);
    REQUIRE(r->t != NULL);
    r->cap = nt;
    for (size_t ti = 0; ti < nt; ti++) {
        yj_table *t = &r->t[r->n++];
        t->name = text(in, NULL, 1);
        t->ncols = 1 + byte(in) % 6;
        t->cols = calloc(t->ncols, sizeof *t->cols);
        REQUIRE(t->cols != NULL);
        for (size_t c = 0; c < t->ncols; c++) t->cols[c] = text(in, NULL, 1);
        t->nrows = t->cap = byte(in) % 8;
        t->cells = calloc(t->nrows * t->ncols + 1, sizeof *t->cells);
        REQUIRE(t->cells != NULL);
        for (size_t i = 0; i < t->nrows * t->ncols; i++) {
            yj_value *v = &t->cells[i];
            switch (byte(in) % 5) {
            case 0: v->type = YJ_VAL_NULL; break;
            case 1: v->type = YJ_VAL_BOOL; v->u.b = (int)(byte(in) & 1); break;
            case 2: v->type = YJ_VAL_INT; bytes(in, &v->u.i, sizeof v->u.i); break;
            case 3: v->type = YJ_VAL_REAL; bytes(in, &v->u.r, sizeof v->u.r); break;
            default: v->type = YJ_VAL_TEXT; v->u.t.s = text(in, &v->u.t.len, 0); break;
            }
        }
    }
    return r;
}

/* ---- a strict JSON validator (RFC 8259), enough to prove the writer's output parses ---- */

typedef struct { const char *s, *e; int depth; } json;

static void ws(json *j) { while (j->s < j->e && strchr(" \t\r\n", *j->s) && *j->s) j->s++; }
static int value(json *j);

static int jstring(json *j) {
    if (j->s >= j->e || *j->s != '"') return -1;
    for (j->s++; j->s < j->e; j->s++) {
        unsigned char c = (unsigned char)*j->s;
        if (c == '"') { j->s++; return 0; }
        if (c < 0x20) return -1;
        if (c == '\\') {
            if (++j->s >= j->e) return -1;
            if (*j->s == 'u') {
                for (int k = 0; k < 4; k++) if (++j->s >= j->e || !strchr("0123456789abcdefABCDEF", *j->s) || !*j->s) return -1;
            } else if (!strchr("\"\\/bfnrt", *j->s) || !*j->s) return -1;
        }
    }
    return -1;
}

static int jnumber(json *j) {
    const char *p = j->s;
    if (p < j->e && *p == '-') p++;
    if (p >= j->e || *p < '0' || *p > '9') return -1;
    if (*p == '0') p++; else while (p < j->e && *p >= '0' && *p <= '9') p++;
    if (p < j->e && *p == '.') { p++; if (p >= j->e || *p < '0' || *p > '9') return -1; while (p < j->e && *p >= '0' && *p <= '9') p++; }
    if (p < j->e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < j->e && (*p == '+' || *p == '-')) p++;
        if (p >= j->e || *p < '0' || *p > '9') return -1;
        while (p < j->e && *p >= '0' && *p <= '9') p++;
    }
    j->s = p;
    return 0;
}

static int word(json *j, const char *w) {
    size_t n = strlen(w);
    if ((size_t)(j->e - j->s) < n || memcmp(j->s, w, n)) return -1;
    j->s += n;
    return 0;
}

static int container(json *j, char open, char close, int object) {
    if (++j->depth > 64) return -1;
    j->s++;                               /* open */
    ws(j);
    if (j->s < j->e && *j->s == close) { j->s++; j->depth--; return 0; }
    for (;;) {
        ws(j);
        if (object) {
            if (jstring(j) < 0) return -1;
            ws(j);
            if (j->s >= j->e || *j->s++ != ':') return -1;
        }
        if (value(j) < 0) return -1;
        ws(j);
        if (j->s < j->e && *j->s == ',') { j->s++; continue; }
        if (j->s < j->e && *j->s == close) { j->s++; j->depth--; return 0; }
        return -1;
    }
    (void)open;
}

static int value(json *j) {
    ws(j);
    if (j->s >= j->e) return -1;
    switch (*j->s) {
    case '{': return container(j, '{', '}', 1);
    case '[': return container(j, '[', ']', 0);
    case '"': return jstring(j);
    case 't': return word(j, "true");
    case 'f': return word(j, "false");
    case 'n': return word(j, "null");
    default: return jnumber(j);
    }
}

static void check_json(const char *s, size_t n) {
    REQUIRE(yj_utf8_valid(s, n));
    json j = {s, s + n, 0};
    REQUIRE(value(&j) == 0);
    ws(&j);
    REQUIRE(j.s == j.e);
}

/* ---- the chart module under metamethod-carrying arguments ---- */

static const char chart_driver[] =
    "local chart = require 'chart'\n"
    "local s = ...\n"
    "local pos, inside = 0, 0\n"
    "local function b() pos = pos + 1 return s:byte(pos) or 0 end\n"
    "local d = chart.document()\n"
    "local mms = { '__index', '__len', '__pairs', '__tostring', '__eq', '__lt', '__le',\n"
    "              '__close', '__concat', '__call', '__newindex', '__gc' }\n"
    "local keys = { 'kind', 'categories', 'series', 'name', 'values', 'line', 'title',\n"
    "  'y_label', 'y2_label', 'note', 'values_on_bars', 'ref_value', 'ref_label', 'decimals',\n"
    "  'width_mm', 'height_mm', 'colors', 'marks', 'mark_color', 'columns', 'rows', 'widths',\n"
    "  'align', 'bold_rows', 'caption', 'label', 'value', 'unit', 'basis', 'change', 'changes',\n"
    "  'better', 'per_row', 'style', 'city', 'period', 'issuer', 'cutoff', 'subject', 'author',\n"
    "  'date', 'dpi' }\n"
    "local kinds = { 'bar', 'hbar', 'grouped', 'stacked', 'line', 'combo', 'pie' }\n"
    "local words = { 'left', 'right', 'center', 'up', 'down', 'note', 'body', 'caption',\n"
    "  '#2E7D32', 'red', '2020-06-30', '城关区', '\\xff\\xfe', '' }\n"
    "local function act(k, gc)\n"
    "  k = k % 6\n"
    "  if k == 0 then d:close()\n"
    "  elseif k == 1 then d:chart{ kind='bar', categories={'a'}, series={{values={1}}} }:paragraph('x')\n"
    "  elseif k == 2 then error('from a metamethod')\n"
    "  elseif k == 3 then collectgarbage()\n"
    "  elseif k == 4 and not gc then d = chart.document() end\n"
    "end\n"
    "local function mt()\n"
    "  local m, mask = {}, b() | (b() << 8)\n"
    "  for i, n in ipairs(mms) do\n"
    "    if mask & (1 << (i - 1)) ~= 0 then\n"
    "      local a = b()\n"
    "      m[n] = function() inside = inside + 1 act(a, n == '__gc')\n"
    "        if n == '__len' then return ({ 1, 0, -1, 1 << 62, 64, 1000001 })[a % 6 + 1] end\n"
    "        if n == '__index' and a & 8 ~= 0 then return kinds[a % #kinds + 1] end\n"
    "        return 'x' end\n"
    "    end\n"
    "  end\n"
    "  return m\n"
    "end\n"
    "local value\n"
    "local function tbl(depth)\n"
    "  local t, n = {}, b() % 6\n"
    "  for i = 1, n do t[i] = value(depth + 1) end\n"
    "  for i = 1, b() % 5 do t[keys[b() % #keys + 1]] = value(depth + 1) end\n"
    "  if b() % 3 ~= 0 then setmetatable(t, mt()) end\n"
    "  return t\n"
    "end\n"
    "value = function(depth)\n"
    "  local k = b() % 10\n"
    "  if k == 0 then return nil\n"
    "  elseif k == 1 then return b() - 100\n"
    "  elseif k == 2 then return words[b() % #words + 1]\n"
    "  elseif k == 3 then return kinds[b() % #kinds + 1]\n"
    "  elseif k == 4 then return b() % 2 == 0\n"
    "  elseif k == 5 then return ({ 1/0, -1/0, 0/0, math.maxinteger, math.mininteger, 2^53, 1e308 })[b() % 7 + 1]\n"
    "  elseif k == 6 then return ('字'):rep(b())\n"
    "  elseif depth < 3 then return tbl(depth)\n"
    "  else return b() end\n"
    "end\n"
    "local function spec()\n"
    "  local cats, vals = {}, {}\n"
    "  for i = 1, b() % 4 + 1 do cats[i] = 'c' .. i vals[i] = b() end\n"
    "  local t = { kind = kinds[b() % #kinds + 1], categories = cats,\n"
    "              series = { { name = 's', values = vals, line = b() % 2 == 0 } } }\n"
    "  for i = 1, b() % 4 do t[keys[b() % #keys + 1]] = value(1) end\n"
    "  if b() % 2 == 0 then setmetatable(t, mt()) end\n"
    "  if b() % 2 == 0 then setmetatable(t.series[1], mt()) end\n"
    "  if b() % 2 == 0 then setmetatable(cats, mt()) end\n"
    "  return t\n"
    "end\n"
    "local function arg()\n"
    "  local k = b() % 4\n"
    "  if k == 0 then return spec() elseif k == 1 then return tbl(0)\n"
    "  elseif k == 2 then return value(0) else return { tbl(1), tbl(1) } end\n"
    "end\n"
    "local methods = { 'title_block', 'section', 'subsection', 'paragraph', 'tiles', 'chart',\n"
    "                  'table', 'page_break', 'save', 'close' }\n"
    "if b() % 2 == 0 then collectgarbage('generational', 1, 100) end\n"
    "for _ = 1, b() % 12 + 1 do\n"
    "  local m = b() % (#methods + 3)\n"
    "  local before = inside\n"
    "  if m == #methods then pcall(chart.document, arg())\n"
    "  elseif m == #methods + 1 then pcall(chart.save, arg(), '/nonexistent/x.png', arg())\n"
    "  elseif m == #methods + 2 then pcall(tostring, d)\n"
    "  else\n"
    "    local f = d[methods[m + 1]]\n"
    "    local x, y = arg(), arg()\n"
    "    local ok, e = pcall(f, d, x, y)\n"
    "    if not ok and type(e) == 'string' and e:find('from a metamethod') then\n"
    "      error('FINDING: a metamethod ran inside ' .. methods[m + 1], 0) end\n"
    "  end\n"
    "end\n"
    "d:close()\n"
    "collectgarbage('incremental')\n";

/* Runs the chart driver on the bytes; aborts on a finding (a crash aborts by itself). */
static void fuzz_chart(const uint8_t *p, size_t n) {
    if (n == 0) return;
    lua_State *L = luaL_newstate();
    REQUIRE(L != NULL);
    luaL_openlibs(L);
    luaL_requiref(L, "chart", luaopen_yj_chart, 0);
    lua_pop(L, 1);
    REQUIRE(luaL_loadbuffer(L, chart_driver, sizeof chart_driver - 1, "=chart_driver") == LUA_OK);
    lua_pushlstring(L, (const char *)p, n);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        const char *e = lua_tostring(L, -1);
        if (e && strstr(e, "FINDING")) {
            fprintf(stderr, "fuzz_writers: %s\n", e);
            abort();
        }
    }
    lua_close(L);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    input in = {data, size};
    yj_results *r = decode(&in);
    for (int f = YJ_FORMAT_TEXT; f <= YJ_FORMAT_JSON; f++) {
        char *a = NULL, *b = NULL, *c = NULL;
        size_t na = 0, nb = 0, nc = 0;
        REQUIRE(yj_results_to_string(r, (yj_format)f, &a, &na) == 0);
        REQUIRE(yj_results_to_string(r, (yj_format)f, &b, &nb) == 0);
        REQUIRE(na == nb && !memcmp(a, b, na));           /* same results, same bytes */
        FILE *mem = open_memstream(&c, &nc);
        REQUIRE(mem != NULL);
        REQUIRE(yj_results_write(r, (yj_format)f, mem) == 0);
        fclose(mem);
        REQUIRE(nc == na && !memcmp(a, c, na));           /* the FILE writer agrees */
        if (f == YJ_FORMAT_JSON) check_json(a, na);
        if (f == YJ_FORMAT_CSV) {
            size_t lines = 0;
            for (size_t i = 0; i < na; i++) lines += a[i] == '\n';
            REQUIRE(lines >= 2 * r->n);
        }
        free(a); free(b); free(c);
    }
    yj_results_free(r);
    fuzz_chart(in.p, in.n);
    return 0;
}
