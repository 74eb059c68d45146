/* cmd_history.c — `yingji history ID`: every version of a record, oldest first, with what
 * changed in each (field: old → new), the file, import id and received date (issue 13
 * item 2). Versions are not a table of their own: the dataset's table holds a record's
 * current version (written by import `batch`), `revisions` each earlier one (old_values,
 * written by old_batch, superseded by new_batch; see db_schema.c). ID is a record's
 * natural key as revisions spell it ("k1|k2", units by code): SG2020-004, S01,
 * 2020|3 (a task), 2020|S01|deaths (a target). Every dataset is searched. The text
 * form names units by code (unit_id: S01, lead: S01、S02); JSON keeps the stored ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cli.h"
#include "dataset.h"
#include "db.h"
#include "strbuf.h"

/* One version: its values (JSON text, malloc'd), the import that wrote it and the one
 * that replaced it (0: the current version). */
typedef struct {
    char *values;
    long long batch, superseded_by;
} version;

typedef struct {
    version *v;
    int n, cap;
} versions;

static int push(versions *vs, const char *values, long long batch, long long by) {
    if (vs->n == vs->cap) {
        int cap = vs->cap ? vs->cap * 2 : 8;
        version *v = realloc(vs->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        vs->v = v;
        vs->cap = cap;
    }
    char *copy = strdup(values ? values : "{}");
    if (!copy) return -1;
    vs->v[vs->n++] = (version){copy, batch, by};
    return 0;
}

static void versions_free(versions *vs) {
    for (int i = 0; i < vs->n; i++) free(vs->v[i].values);
    free(vs->v);
    vs->v = NULL;
    vs->n = vs->cap = 0;
}

/* The current version of the record of ds keyed by the '|'-separated parts of id, if
 * any: pushed. 0, or -1 on a database error or out of memory. */
static int current_version(sqlite3 *db, const imp_dataset *ds, const char *id, versions *vs) {
    char values[4096], sql[8192];
    int nkey = 0, parts = 1;
    for (int i = 0; i < ds->ncols; i++) nkey += (ds->cols[i].flags & IMP_KEY) != 0;
    for (const char *p = id; *p; p++) parts += *p == '|';
    if (parts != nkey) return 0;                   /* not a key of this dataset */
    if (imp_dataset_values_sql(ds, values, sizeof values) != 0) return -1;
    size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT %s, batch FROM %s AS t WHERE ", values, ds->table);
    for (int i = 0, k = 0; i < ds->ncols && n < sizeof sql; i++) {
        const imp_column *c = &ds->cols[i];
        if (!(c->flags & IMP_KEY)) continue;
        k++;
        n += (size_t)snprintf(sql + n, sizeof sql - n,
                              c->type == IMP_UNIT ? "%s%s = (SELECT id FROM units WHERE code = ?%d)"
                                                  : "%s%s = ?%d", k > 1 ? " AND " : "", c->db, k);
    }
    if (n >= sizeof sql) return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    const char *p = id;
    for (int k = 1; k <= nkey; k++) {
        const char *e = strchr(p, '|');
        int len = e ? (int)(e - p) : (int)strlen(p);
        sqlite3_bind_text(st, k, p, len, SQLITE_TRANSIENT);
        p = e ? e + 1 : p + len;
    }
    int rc = sqlite3_step(st), bad = 0;
    if (rc == SQLITE_ROW)
        bad = push(vs, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), 0);
    else if (rc != SQLITE_DONE) bad = 1;
    sqlite3_finalize(st);
    return bad ? -1 : 0;
}

/* Every version of the record of ds named id into vs, oldest first. 0 or -1. */
static int load_versions(sqlite3 *db, const imp_dataset *ds, const char *id, versions *vs) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT old_values, old_batch, new_batch FROM revisions"
                               " WHERE dataset = ?1 AND record_key = ?2 ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, ds->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    int rc, bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW)
        bad = push(vs, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                   sqlite3_column_int64(st, 2));
    if (!bad && rc != SQLITE_DONE) bad = 1;
    sqlite3_finalize(st);
    return bad ? -1 : current_version(db, ds, id, vs);
}

/* One version as a JSON object: number, import, file, received, imported_at,
 * superseded_by (null: current), values, changes [{field, old, new}] against prev. */
static const char *version_sql =
    "SELECT json_object('version', ?1, 'import', ?2, 'file', i.file, 'received', i.received,"
    " 'imported_at', i.imported_at, 'superseded_by', ?3, 'values', json(?4),"
    " 'changes', (SELECT json_group_array(json_object('field', a.key, 'old', a.value, 'new', b.value))"
    "   FROM json_each(?5) a JOIN json_each(?4) b ON b.key = a.key WHERE a.value IS NOT b.value)),"
    " i.file, i.received"
    " FROM (SELECT 1) LEFT JOIN imports i ON i.id = ?2";

/* The changed fields for the text form: field, old, new (as text; NULL: empty); against
 * '{}' (the first version), every field with a value. */
static const char *changes_sql =
    "SELECT b.key, a.value, b.value FROM json_each(?2) b LEFT JOIN json_each(?1) a ON a.key = b.key"
    " WHERE a.value IS NOT b.value ORDER BY b.id";

static const char *txt(sqlite3_stmt *st, int i) {
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "(empty)";
}

/* A stored field of ds (a column's db name, or a unit list's name) as people name it:
 * in Chinese its column's title (imp_column_label), else the field itself. */
static const char *field_label(const imp_dataset *ds, const char *field, char *buf, size_t cap) {
    if (!yj_i18n_zh()) return field;          /* English: the stored names, as in JSON */
    for (int c = 0; c < ds->ncols; c++) {
        const imp_column *col = &ds->cols[c];
        if ((col->db && !strcmp(col->db, field)) || (!col->db && !strcmp(col->name, field)))
            return imp_column_label(col, buf, cap);
    }
    return field;
}

/* The text of value i of st for the field of ds it belongs to, as people name it: a unit
 * (unit_id, inspector_id) or a unit list of tasks ("3,5") by unit code(s), "S01、S02";
 * anything else as txt(). unit looks up a code by id (?1). buf holds the codes. */
static const char *shown(const imp_dataset *ds, const char *field, sqlite3_stmt *st, int i, sqlite3_stmt *unit,
                         char *buf, size_t cap) {
    const char *v = txt(st, i);
    int units = 0;
    for (int c = 0; c < ds->ncols && !units; c++)
        units = (ds->cols[c].type == IMP_UNIT && ds->cols[c].db && !strcmp(ds->cols[c].db, field)) ||
                (ds->cols[c].type == IMP_UNITS && !strcmp(ds->cols[c].name, field));
    if (!units || !sqlite3_column_text(st, i) || !unit) return v;
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = v; *p;) {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p) return v;                     /* not a list of ids: as it is */
        sqlite3_reset(unit);
        sqlite3_bind_int64(unit, 1, id);
        const char *code = sqlite3_step(unit) == SQLITE_ROW ? (const char *)sqlite3_column_text(unit, 0) : NULL;
        int k = code ? snprintf(buf + n, cap - n, "%s%s", n ? "、" : "", code)
                     : snprintf(buf + n, cap - n, "%s%lld", n ? "、" : "", id);
        if (k < 0 || (size_t)k >= cap - n) return v;
        n += (size_t)k;
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') return v;
    }
    return buf;
}

/* Prints the versions of one record; appends its JSON object to js when json. */
static int print_record(sqlite3 *db, const imp_dataset *ds, const char *id, const versions *vs,
                        int json, strbuf *js) {
    sqlite3_stmt *vst = NULL, *cst = NULL, *ust = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, version_sql, -1, &vst, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, changes_sql, -1, &cst, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT code FROM units WHERE id = ?1", -1, &ust, NULL) != SQLITE_OK) goto done;
    if (json) {
        strbuf_printf(js, "%s{\"dataset\": \"%s\", \"id\": ", js->len > 1 ? ", " : "", ds->name);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, "SELECT json_quote(?1)", -1, &q, NULL) != SQLITE_OK) goto done;
        sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) strbuf_printf(js, "%s", (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        strbuf_printf(js, ", \"versions\": [");
    } else {
        printf(_("%s %s: %d version%s\n"), ds->name, id, vs->n, vs->n == 1 ? "" : "s");
    }
    for (int k = 0; k < vs->n; k++) {
        const version *v = &vs->v[k];
        sqlite3_reset(vst);
        sqlite3_bind_int(vst, 1, k + 1);
        sqlite3_bind_int64(vst, 2, v->batch);
        if (v->superseded_by) sqlite3_bind_int64(vst, 3, v->superseded_by);
        else sqlite3_bind_null(vst, 3);
        sqlite3_bind_text(vst, 4, v->values, -1, SQLITE_STATIC);
        sqlite3_bind_text(vst, 5, k ? vs->v[k - 1].values : "{}", -1, SQLITE_STATIC);
        if (sqlite3_step(vst) != SQLITE_ROW) goto done;
        if (json) {
            strbuf_printf(js, "%s%s", k ? ", " : "", (const char *)sqlite3_column_text(vst, 0));
            continue;
        }
        printf(_("  version %d  import %lld  received %s  %s%s\n"), k + 1, v->batch, txt(vst, 2),
               txt(vst, 1), v->superseded_by ? "" : _("  (current)"));
        sqlite3_reset(cst);
        sqlite3_bind_text(cst, 1, k ? vs->v[k - 1].values : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_text(cst, 2, v->values, -1, SQLITE_STATIC);
        int changed = 0;
        while (sqlite3_step(cst) == SQLITE_ROW) {
            char a[512], b[512];
            const char *f = txt(cst, 0);
            char title[64];
            const char *label = field_label(ds, f, title, sizeof title);
            if (k) printf("    %s: %s → %s\n", label, shown(ds, f, cst, 1, ust, a, sizeof a), shown(ds, f, cst, 2, ust, b, sizeof b));
            else printf("    %s: %s\n", label, shown(ds, f, cst, 2, ust, b, sizeof b));
            changed++;
        }
        if (!changed) printf(_("    (no field changed)\n"));
    }
    if (json) strbuf_printf(js, "]}");
    rc = 0;
done:
    sqlite3_finalize(vst);
    sqlite3_finalize(cst);
    sqlite3_finalize(ust);
    return rc;
}

int cmd_history(int argc, char **argv, const char *db_path) {
    const char *id = NULL, *v;
    int json = 0;
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            db_path = v;
        } else if ((r = cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            if (!strcmp(v, "json")) json = 1;
            else if (!strcmp(v, "text")) json = 0;
            else return cli_usage_error("history", "--format must be text or json, not '%s'", v);
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(_("usage: yingji history [--format text|json] ID\n"
                   "Every version of the record ID (its key: SG2020-004, a unit code, 2020|3 for a\n"
                   "task, 2020|S01|deaths for a target...), oldest first, in every dataset: what\n"
                   "changed (field: old → new), the file, import id and received date.\n"
                   "Exit status 2 when no dataset has the record.\n"));
            return YJ_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"db", "format", "help", NULL};
            return cli_unknown_option("history", argv[i], options);
        } else if (id) {
            return cli_usage_error("history", "one record at a time ('%s' and '%s')", id, argv[i]);
        } else {
            id = argv[i++];
        }
    }
    if (!id || !*id) return cli_usage_error("history", "which record? (yingji history ID)");
    sqlite3 *db;
    char *err;
    if (db_open(db_path, DB_READONLY, &db, &err) != 0) {
        fprintf(stderr, "yingji history: %s\n", err);
        free(err);
        return YJ_EXIT_REJECTED;
    }
    int status = YJ_EXIT_OK, found = 0;
    strbuf js = STRBUF_INIT;
    if (json) strbuf_printf(&js, "[");
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);   /* one consistent state */
    for (int d = 0; d < imp_dataset_count() && status == YJ_EXIT_OK; d++) {
        const imp_dataset *ds = imp_dataset_at(d);
        versions vs = {NULL, 0, 0};
        if (load_versions(db, ds, id, &vs) != 0 ||
            (vs.n && print_record(db, ds, id, &vs, json, &js) != 0)) {
            fprintf(stderr, "yingji history: %s\n", sqlite3_errmsg(db));
            status = YJ_EXIT_REJECTED;
        }
        found += vs.n > 0;
        versions_free(&vs);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (status == YJ_EXIT_OK && !found) {
        fprintf(stderr, _("yingji history: no record %s in any dataset\n"), id);
        status = YJ_EXIT_REJECTED;
    } else if (status == YJ_EXIT_OK && json) {
        strbuf_printf(&js, "]\n");
        if (js.err) {
            fprintf(stderr, _("yingji history: out of memory\n"));
            status = YJ_EXIT_REJECTED;
        } else {
            fputs(js.p, stdout);
        }
    }
    strbuf_free(&js);
    sqlite3_close(db);
    return status;
}
