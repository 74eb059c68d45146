/* imp_resolve.c — in-memory lookup tables for units and sectors, loaded once per
 * imported file (a few thousand units at most), and the Decree 493 level.
 * The name tables are small open-addressing maps (FNV-1a, lengths compared first):
 * they are looked up two or three times for every imported row. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ===== string -> pointer map ===== */

/* 32 bytes, a key shorter than 16 bytes kept inside: the table of a city's units
 * (thousands of codes and names) stays small enough for the CPU's cache, and a lookup
 * of a code touches one line (the units of a big file come in random order). */
typedef struct {
    uint32_t check;      /* the hash's high half */
    uint32_t len;
    void *val;           /* not owned; NULL: the slot is empty */
    union {
        char inl[16];    /* the key, when len < 16 */
        char *key;       /* else a copy (owned) */
    } k;
} slot;

typedef struct {
    slot *s;
    size_t cap, n;       /* cap: a power of two */
} strmap;

static uint64_t fnv1a(const char *k, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 0x100000001b3ULL;
    return h;
}

static const char *key_of(const slot *e) { return e->len < sizeof e->k.inl ? e->k.inl : e->k.key; }

static slot *find(const strmap *m, const char *k, size_t n, uint64_t h) {
    uint32_t check = (uint32_t)(h >> 32);
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        slot *e = &m->s[i];
        if (!e->val || (e->check == check && e->len == n && !memcmp(key_of(e), k, n))) return e;
    }
}

/* Adds k -> v (v not NULL) unless k is already there (the first entry wins).
 * 0 or -1 (memory). */
static int map_put(strmap *m, const char *k, void *v) {
    if (4 * (m->n + 1) > 3 * m->cap) {       /* keep the load under 3/4 */
        size_t cap = m->cap ? m->cap * 2 : 64;
        strmap big = {calloc(cap, sizeof(slot)), cap, m->n};
        if (!big.s) return -1;
        for (size_t i = 0; i < m->cap; i++) {
            const slot *e = &m->s[i];
            if (e->val) *find(&big, key_of(e), e->len, fnv1a(key_of(e), e->len)) = *e;
        }
        free(m->s);
        *m = big;
    }
    size_t n = strlen(k);
    uint64_t h = fnv1a(k, n);
    slot *e = find(m, k, n, h);
    if (e->val) return 0;
    if (n >= sizeof e->k.inl) {
        if (!(e->k.key = strdup(k))) return -1;
    } else {
        memcpy(e->k.inl, k, n + 1);
    }
    e->len = (uint32_t)n;
    e->check = (uint32_t)(h >> 32);
    e->val = v;
    m->n++;
    return 0;
}

static void *map_get(const strmap *m, const char *k) {
    if (!m->cap) return NULL;
    size_t n = strlen(k);
    return find(m, k, n, fnv1a(k, n))->val;
}

static void map_free(strmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        if (m->s[i].val && m->s[i].len >= sizeof m->s[i].k.inl) free(m->s[i].k.key);
    free(m->s);
    m->s = NULL;
    m->cap = m->n = 0;
}

#include "imp_resolve.h"

typedef struct {
    long long id;
    char *code;
    char *kind;
} unit;

struct imp_resolver {
    strmap units;          /* code/name/alias -> unit* */
    GHashTable *by_id;     /* id -> unit* (owns the units) */
    strmap sectors;        /* code/name/alias -> code (an entry of codes) */
    GPtrArray *codes;      /* the sector codes (owned) */
};

static void unit_free(gpointer p) {
    unit *u = p;
    g_free(u->code);
    g_free(u->kind);
    g_free(u);
}

void imp_resolver_free(imp_resolver *r) {
    if (!r) return;
    map_free(&r->units);
    map_free(&r->sectors);
    if (r->by_id) g_hash_table_destroy(r->by_id);
    if (r->codes) g_ptr_array_free(r->codes, TRUE);
    free(r);
}

/* Adds each ';'-separated word of list as a key for value. */
static void add_words(strmap *m, const char *list, void *value) {
    gchar **w = g_strsplit(list, ";", -1);
    for (int i = 0; w[i]; i++) {
        g_strstrip(w[i]);
        if (*w[i]) map_put(m, w[i], value);
    }
    g_strfreev(w);
}

imp_resolver *imp_resolver_load(sqlite3 *db, char **err) {
    imp_resolver *r = calloc(1, sizeof *r);
    sqlite3_stmt *st = NULL;
    if (!r) { *err = strdup("out of memory"); return NULL; }
    r->by_id = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, unit_free);
    r->codes = g_ptr_array_new_with_free_func(g_free);
    if (sqlite3_prepare_v2(db, "SELECT id, code, name, kind FROM units", -1, &st, NULL)) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        unit *u = g_new0(unit, 1);
        u->id = sqlite3_column_int64(st, 0);
        u->code = g_strdup((const char *)sqlite3_column_text(st, 1));
        u->kind = g_strdup((const char *)sqlite3_column_text(st, 3));
        g_hash_table_insert(r->by_id, &u->id, u);
        map_put(&r->units, u->code, u);
        map_put(&r->units, (const char *)sqlite3_column_text(st, 2), u);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT alias, unit_id FROM unit_aliases", -1, &st, NULL)) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        gint64 id = sqlite3_column_int64(st, 1);
        unit *u = g_hash_table_lookup(r->by_id, &id);
        const char *a = (const char *)sqlite3_column_text(st, 0);
        if (u) map_put(&r->units, a, u);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT code, name, aliases FROM sectors", -1, &st, NULL)) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *code = g_strdup((const char *)sqlite3_column_text(st, 0));
        g_ptr_array_add(r->codes, code);
        add_words(&r->sectors, code, code);
        add_words(&r->sectors, (const char *)sqlite3_column_text(st, 1), code);
        add_words(&r->sectors, (const char *)sqlite3_column_text(st, 2), code);
    }
    sqlite3_finalize(st);
    return r;
fail:
    *err = strdup(sqlite3_errmsg(db));
    sqlite3_finalize(st);
    imp_resolver_free(r);
    return NULL;
}

long long imp_resolve_unit(const imp_resolver *r, const char *s, const char **kind,
                           const char **code) {
    unit *u = map_get(&r->units, s);
    if (!u && strlen(s) < 64) {                 /* codes are matched case-insensitively */
        char up[64];
        size_t k = 0;
        for (; s[k]; k++) up[k] = (s[k] >= 'a' && s[k] <= 'z') ? (char)(s[k] - 32) : s[k];
        up[k] = '\0';
        u = map_get(&r->units, up);
    }
    if (!u) return 0;
    if (kind) *kind = u->kind;
    if (code) *code = u->code;
    return u->id;
}

const char *imp_unit_code(const imp_resolver *r, long long id) {
    gint64 k = id;
    unit *u = g_hash_table_lookup(r->by_id, &k);
    return u ? u->code : NULL;
}

const char *imp_resolve_sector(const imp_resolver *r, const char *s) {
    return map_get(&r->sectors, s);
}

const char *imp_level_derive(long long deaths, long long serious, double loss) {
    if (deaths >= 30 || serious >= 100 || loss >= 10000) return "特别重大";
    if (deaths >= 10 || serious >= 50 || loss >= 5000) return "重大";
    if (deaths >= 3 || serious >= 10 || loss >= 1000) return "较大";
    return "一般";
}
