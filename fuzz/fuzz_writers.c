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
 * - the CSV has at least two lines (the "# NAME" line and the header) per table. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_encoding.h"
#include "script_int.h"

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
    REQUIRE(imp_utf8_valid(s, n));
    json j = {s, s + n, 0};
    REQUIRE(value(&j) == 0);
    ws(&j);
    REQUIRE(j.s == j.e);
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
    return 0;
}
