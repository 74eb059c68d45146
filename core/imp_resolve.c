/* imp_resolve.c — in-memory lookup tables for units and sectors, loaded once per
 * imported file (a few thousand units at most), and the Decree 493 level. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "imp_resolve.h"

typedef struct {
    long long id;
    char *code;
    char *kind;
} unit;

struct imp_resolver {
    GHashTable *units;     /* code/name/alias -> unit* (not owned) */
    GHashTable *by_id;     /* id -> unit* (owns the units) */
    GHashTable *sectors;   /* code/name/alias -> code (owned keys and values) */
};

static void unit_free(gpointer p) {
    unit *u = p;
    g_free(u->code);
    g_free(u->kind);
    g_free(u);
}

void imp_resolver_free(imp_resolver *r) {
    if (!r) return;
    if (r->units) g_hash_table_destroy(r->units);
    if (r->by_id) g_hash_table_destroy(r->by_id);
    if (r->sectors) g_hash_table_destroy(r->sectors);
    free(r);
}

/* Adds each ';'-separated word of list as a key for value. */
static void add_words(GHashTable *t, const char *list, gpointer value, int dup_value) {
    gchar **w = g_strsplit(list, ";", -1);
    for (int i = 0; w[i]; i++) {
        g_strstrip(w[i]);
        if (*w[i] && !g_hash_table_contains(t, w[i]))
            g_hash_table_insert(t, g_strdup(w[i]), dup_value ? g_strdup(value) : value);
    }
    g_strfreev(w);
}

imp_resolver *imp_resolver_load(sqlite3 *db, char **err) {
    imp_resolver *r = calloc(1, sizeof *r);
    sqlite3_stmt *st = NULL;
    if (!r) { *err = strdup("out of memory"); return NULL; }
    r->units = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->by_id = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, unit_free);
    r->sectors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (sqlite3_prepare_v2(db, "SELECT id, code, name, kind FROM units", -1, &st, NULL)) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        unit *u = g_new0(unit, 1);
        u->id = sqlite3_column_int64(st, 0);
        u->code = g_strdup((const char *)sqlite3_column_text(st, 1));
        u->kind = g_strdup((const char *)sqlite3_column_text(st, 3));
        g_hash_table_insert(r->by_id, &u->id, u);
        g_hash_table_insert(r->units, g_strdup(u->code), u);
        g_hash_table_insert(r->units, g_strdup((const char *)sqlite3_column_text(st, 2)), u);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT alias, unit_id FROM unit_aliases", -1, &st, NULL)) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        gint64 id = sqlite3_column_int64(st, 1);
        unit *u = g_hash_table_lookup(r->by_id, &id);
        const char *a = (const char *)sqlite3_column_text(st, 0);
        if (u && !g_hash_table_contains(r->units, a)) g_hash_table_insert(r->units, g_strdup(a), u);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT code, name, aliases FROM sectors", -1, &st, NULL)) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        add_words(r->sectors, code, (gpointer)code, 1);
        add_words(r->sectors, (const char *)sqlite3_column_text(st, 1), (gpointer)code, 1);
        add_words(r->sectors, (const char *)sqlite3_column_text(st, 2), (gpointer)code, 1);
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
    unit *u = g_hash_table_lookup(r->units, s);
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
    return g_hash_table_lookup(r->sectors, s);
}

const char *imp_level_derive(long long deaths, long long serious, double loss) {
    if (deaths >= 30 || serious >= 100 || loss >= 10000) return "特别重大";
    if (deaths >= 10 || serious >= 50 || loss >= 5000) return "重大";
    if (deaths >= 3 || serious >= 10 || loss >= 1000) return "较大";
    return "一般";
}
