/* imp_resolve.c — in-memory lookup tables for units and sectors, loaded once per
 * imported file (a few thousand units at most): they are looked up two or three times
 * for every imported row (util/strmap.h, the code base's one hash map). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strmap.h"

#include "imp_resolve.h"

typedef struct {
    long long id;
    char *code;          /* owned */
    char *kind;          /* owned */
} unit;

/* Units are allocated side by side, UNIT_BLOCK at a time (never moved: the maps point
 * at them), so that a big file's random unit lookups stay within a small area. */
enum { UNIT_BLOCK = 256 };
typedef struct unit_block {
    struct unit_block *next;
    int n;
    unit u[UNIT_BLOCK];
} unit_block;

/* The sector codes, owned, in a list (the map points at them). */
typedef struct sector_code {
    struct sector_code *next;
    char code[];
} sector_code;

struct imp_resolver {
    yj_strmap units;       /* code/name/alias -> unit* */
    unit_block *blocks;    /* the units (owned) */
    yj_strmap by_id;       /* the id in decimal -> unit* */
    yj_strmap sectors;     /* code/name/alias -> code (of a sector_code) */
    sector_code *codes;    /* (owned) */
    char *sector_list;     /* "code 名称, ..." for messages (owned) */
};

static unit *unit_new(imp_resolver *r) {
    if (!r->blocks || r->blocks->n == UNIT_BLOCK) {
        unit_block *b = calloc(1, sizeof *b);
        if (!b) return NULL;
        b->next = r->blocks;
        r->blocks = b;
    }
    return &r->blocks->u[r->blocks->n++];
}

void imp_resolver_free(imp_resolver *r) {
    if (!r) return;
    yj_strmap_free(&r->units);
    yj_strmap_free(&r->sectors);
    yj_strmap_free(&r->by_id);
    for (unit_block *b = r->blocks, *next; b; b = next) {
        next = b->next;
        for (int k = 0; k < b->n; k++) {
            free(b->u[k].code);
            free(b->u[k].kind);
        }
        free(b);
    }
    for (sector_code *c = r->codes, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(r->sector_list);
    free(r);
}

/* Adds each ';'-separated word of list (trimmed of ASCII blanks) as a key for value.
 * 0, or -1 when memory runs out. */
static int add_words(yj_strmap *m, const char *list, void *value) {
    for (const char *p = list; p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (*p == ' ' || (*p >= '\t' && *p <= '\r'))) p++, n--;
        while (n && (p[n - 1] == ' ' || (p[n - 1] >= '\t' && p[n - 1] <= '\r'))) n--;
        if (n) {
            char *w = strndup(p, n);
            int rc = w ? yj_strmap_put(m, w, value) : -1;
            free(w);
            if (rc) return -1;
        }
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static const char *text_or_empty(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

imp_resolver *imp_resolver_load(sqlite3 *db, char *err, size_t cap) {
    imp_resolver *r = calloc(1, sizeof *r);
    sqlite3_stmt *st = NULL;
    int oom = 0;
    char idk[24];
    size_t len = 0;   /* of r->sector_list */
    if (!r) { snprintf(err, cap, _("out of memory")); return NULL; }
    if (sqlite3_prepare_v2(db, "SELECT id, code, name, kind FROM units", -1, &st, NULL)) goto fail;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        unit *u = unit_new(r);
        if (!u) { oom = 1; break; }
        u->id = sqlite3_column_int64(st, 0);
        u->code = strdup(text_or_empty(st, 1));
        u->kind = strdup(text_or_empty(st, 3));
        snprintf(idk, sizeof idk, "%lld", u->id);
        oom = !u->code || !u->kind || yj_strmap_put(&r->by_id, idk, u) ||
              yj_strmap_put(&r->units, u->code, u) ||
              yj_strmap_put(&r->units, text_or_empty(st, 2), u);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (oom) goto fail;
    if (sqlite3_prepare_v2(db, "SELECT alias, unit_id FROM unit_aliases", -1, &st, NULL)) goto fail;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(idk, sizeof idk, "%lld", (long long)sqlite3_column_int64(st, 1));
        unit *u = yj_strmap_get(&r->by_id, idk);
        if (u) oom = yj_strmap_put(&r->units, text_or_empty(st, 0), u);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (oom) goto fail;
    if (sqlite3_prepare_v2(db, "SELECT code, name, aliases FROM sectors", -1, &st, NULL)) goto fail;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        const char *text = text_or_empty(st, 0);
        sector_code *c = malloc(sizeof *c + strlen(text) + 1);
        if (!c) { oom = 1; break; }
        strcpy(c->code, text);
        c->next = r->codes;
        r->codes = c;
        oom = add_words(&r->sectors, c->code, c->code) ||
              add_words(&r->sectors, text_or_empty(st, 1), c->code) ||
              add_words(&r->sectors, text_or_empty(st, 2), c->code);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (oom) goto fail;
    /* the valid sectors, "code 名称" in code order, for the "unknown sector" message */
    if (sqlite3_prepare_v2(db, "SELECT code, name FROM sectors ORDER BY code", -1, &st, NULL))
        goto fail;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        const char *code = text_or_empty(st, 0), *name = text_or_empty(st, 1);
        size_t add = strlen(code) + strlen(name) + 3;
        char *grown = realloc(r->sector_list, len + add + 1);
        if (!grown) { oom = 1; break; }
        r->sector_list = grown;
        len += (size_t)snprintf(grown + len, add + 1, "%s%s %s", len ? ", " : "", code, name);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (oom) goto fail;
    return r;
fail:
    snprintf(err, cap, "%s", oom ? "out of memory" : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    imp_resolver_free(r);
    return NULL;
}

long long imp_resolve_unit(const imp_resolver *r, const char *s, const char **kind,
                           const char **code) {
    unit *u = yj_strmap_get(&r->units, s);
    if (!u && strlen(s) < 64) {                 /* codes are matched case-insensitively */
        char up[64];
        size_t k = 0;
        for (; s[k]; k++) up[k] = (s[k] >= 'a' && s[k] <= 'z') ? (char)(s[k] - 32) : s[k];
        up[k] = '\0';
        u = yj_strmap_get(&r->units, up);
    }
    if (!u) return 0;
    if (kind) *kind = u->kind;
    if (code) *code = u->code;
    return u->id;
}

const char *imp_unit_code(const imp_resolver *r, long long id) {
    char k[24];
    snprintf(k, sizeof k, "%lld", id);
    unit *u = yj_strmap_get(&r->by_id, k);
    return u ? u->code : NULL;
}

const char *imp_sector_list(const imp_resolver *r) {
    return r->sector_list ? r->sector_list : "";
}

const char *imp_resolve_sector(const imp_resolver *r, const char *s) {
    return yj_strmap_get(&r->sectors, s);
}
