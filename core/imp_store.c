/* imp_store.c — writing converted rows: insert, or compare with the stored record and
 * update it (keeping the old values in `revisions`), or leave it unchanged. The SQL is
 * built from the dataset's column table once per file and the statements are reused
 * for every row. Side tables: unit_aliases (units) and task_units (tasks). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "imp_int.h"

/* The dataset's side table (dataset.h), or NULL; by_rowid: rows hang on units.id. */
static const imp_side *side(const imp_ctx *c) { return c->ds->side; }
static int by_rowid(const imp_ctx *c) { return c->ds->side && c->ds->side->by_rowid; }

/* SQL text built in a fixed buffer (the registry's statements need a few KB): a longer
 * one is an error, never cut. No allocation: nothing to run out of. */
typedef struct {
    char s[8192];
    size_t n;
    int over;
} sqltext;

static void add(sqltext *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(sqltext *t, const char *fmt, ...) {
    if (t->over) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(t->s + t->n, sizeof t->s - t->n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof t->s - t->n) t->over = 1;
    else t->n += (size_t)k;
}

/* The SQL expression of a list column of tasks (unit ids, sorted, comma-joined). */
static void list_expr(sqltext *s, const char *role) {
    add(s, "(SELECT group_concat(unit_id) FROM (SELECT unit_id FROM task_units x"
           " WHERE x.year = t.year AND x.no = t.no AND x.role = '%s'"
           " ORDER BY unit_id))", role);
}

static int prep(imp_ctx *c, const sqltext *t, sqlite3_stmt **st) {
    if (t->over) {
        imp_error(c, 0, 0, "database: a statement for %s is longer than %zu bytes", c->ds->name,
                  sizeof t->s);
        return -1;
    }
    if (sqlite3_prepare_v2(c->db, t->s, -1, st, NULL) == SQLITE_OK) return 0;
    imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(c->db));
    return -1;
}

static int prep_text(imp_ctx *c, const char *sql, sqlite3_stmt **st) {
    if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) == SQLITE_OK) return 0;
    imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(c->db));
    return -1;
}

/* The parts of the statements of one file (56 KB: on the heap, not the stack). */
typedef struct {
    sqltext ins, vals, sel, json, upd, where, stmt;
} sqlparts;

int imp_store_prepare(imp_ctx *c) {
    const imp_dataset *ds = c->ds;
    sqlparts *q = calloc(1, sizeof *q);
    if (!q) { imp_error(c, 0, 0, "out of memory"); return -1; }
    add(&q->sel, "SELECT ");
    c->nstored = c->nkey = c->ncmp = 0;
    for (int i = 0; i < ds->ncols; i++) {
        const imp_column *col = &ds->cols[i];
        if (col->flags & IMP_KEY) c->key[c->nkey++] = i;
        if (!col->db) continue;
        c->stored[c->nstored++] = i;
        c->cmp[c->ncmp++] = i;
        add(&q->ins, "%s%s", c->nstored > 1 ? ", " : "", col->db);
        add(&q->vals, "%s?%d", c->nstored > 1 ? ", " : "", c->nstored);
        add(&q->sel, "%s%s", c->ncmp > 1 ? ", " : "", col->db);
        add(&q->upd, "%s%s = ?%d", c->nstored > 1 ? ", " : "", col->db, c->nstored);
    }
    for (int i = 0; i < ds->ncols; i++) {          /* task unit lists: compared, not stored */
        if (ds->cols[i].db) continue;
        c->cmp[c->ncmp++] = i;
        add(&q->sel, ", ");
        list_expr(&q->sel, ds->cols[i].name);
    }
    for (int k = 0; k < c->nkey; k++)
        add(&q->where, "%s%s = ?%d", k ? " AND " : "", ds->cols[c->key[k]].db, c->nstored + 2 + k);
    /* the record's values as JSON (revisions.old_values): the registry's expression */
    if (imp_dataset_values_sql(ds, q->json.s, sizeof q->json.s) != 0) q->json.over = 1;
    else q->json.n = strlen(q->json.s);
    int over = q->ins.over || q->vals.over || q->sel.over || q->json.over || q->upd.over || q->where.over;
    add(&q->stmt, "INSERT INTO %s(%s, batch) VALUES(%s, ?%d)", ds->table, q->ins.s, q->vals.s,
        c->nstored + 1);
    q->stmt.over |= over;
    int rc = prep(c, &q->stmt, &c->ins);
    if (!rc) {
        q->stmt.n = 0;
        add(&q->stmt, "%s, batch, %s%s FROM %s AS t WHERE %s", q->sel.s, q->json.s,
            by_rowid(c) ? ", id" : "", ds->table, q->where.s);
        rc = prep(c, &q->stmt, &c->sel);
    }
    if (!rc) {
        q->stmt.n = 0;
        add(&q->stmt, "UPDATE %s SET %s, batch = ?%d WHERE %s", ds->table, q->upd.s, c->nstored + 1,
            q->where.s);
        rc = prep(c, &q->stmt, &c->upd);
    }
    /* sel numbers its key parameters like upd does: ?(nstored+2).. */
    rc = rc || prep_text(c, "INSERT INTO revisions(dataset, record_key, old_values, old_batch, new_batch)"
                            " VALUES(?1, ?2, ?3, ?4, ?5)", &c->rev) ||
         sqlite3_exec(c->db, "CREATE TEMP TABLE IF NOT EXISTS imp_seen(k TEXT PRIMARY KEY);"
                             "DELETE FROM temp.imp_seen", NULL, NULL, NULL) ||
         prep_text(c, "INSERT INTO temp.imp_seen(k) VALUES(?1)", &c->seen);
    if (!rc && !side(c)) {                          /* no side table: many rows at once */
        q->stmt.n = 0;
        add(&q->stmt, "INSERT INTO %s(%s, batch) VALUES", ds->table, q->ins.s);
        for (int r = 0, p = 1; r < IMP_STORE_ROWS; r++) {
            add(&q->stmt, r ? ", (" : " (");
            for (int k = 0; k < c->nstored; k++, p++) add(&q->stmt, "%s?%d", k ? ", " : "", p);
            add(&q->stmt, ", %lld)", c->batch);     /* the batch: not bound per row */
        }
        rc = prep(c, &q->stmt, &c->ins_rows);
    }
    if (!rc && side(c))
        rc = prep_text(c, side(c)->del_sql, &c->side_del) || prep_text(c, side(c)->ins_sql, &c->side_ins);
    free(q);
    return rc ? -1 : 0;
}

/* Rows a file of bytes holds at least, guessed from the longest usual line. */
enum { BULK_LINE_BYTES = 128 };

int imp_store_bulk_begin(imp_ctx *c, long long bytes) {
    sqlite3_stmt *st = NULL;
    char *all = NULL, *drop = NULL;
    int rc;
    /* the engine's own secondary indexes (db_schema_index_is_ours), in creation order:
     * created again in the same order */
    if (sqlite3_prepare_v2(c->db, "SELECT name, sql FROM main.sqlite_master WHERE type = 'index'"
                           " AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, c->ds->table, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0), *text = (const char *)sqlite3_column_text(st, 1);
        if (!db_schema_index_is_ours(text)) continue;   /* another's index stays, row by row */
        char *a = sqlite3_mprintf("%z%s;", all, text);
        char *d = sqlite3_mprintf("%zDROP INDEX main.\"%w\";", drop, name);
        all = a;
        drop = d;
        if (!a || !d) { rc = SQLITE_NOMEM; break; }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) goto fail;
    if (!drop) return 0;                            /* no secondary index */
    /* the rows the table has, counted up to the rows the file brings: fewer, and one
     * sort of all of them costs less than a B-tree insert per new row */
    long long brings = bytes / BULK_LINE_BYTES > 1 ? bytes / BULK_LINE_BYTES : 1;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM (SELECT 1 FROM main.\"%w\" LIMIT %lld)",
                                c->ds->table, brings);
    if (!sql || sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_free(sql);
        goto fail;
    }
    sqlite3_free(sql);
    long long has = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (has >= brings) {                            /* the indexes are kept */
        sqlite3_free(all);
        sqlite3_free(drop);
        return 0;
    }
    if (sqlite3_exec(c->db, drop, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    sqlite3_free(drop);
    c->bulk_indexes = all;
    return 0;
fail:
    imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(c->db));
    sqlite3_finalize(st);
    sqlite3_free(all);
    sqlite3_free(drop);
    return -1;
}

int imp_store_bulk_end(imp_ctx *c) {
    char *all = c->bulk_indexes;
    c->bulk_indexes = NULL;
    int rc = all && sqlite3_exec(c->db, all, NULL, NULL, NULL) != SQLITE_OK;
    sqlite3_free(all);
    if (!rc) return 0;
    imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(c->db));
    return -1;
}

void imp_store_finalize(imp_ctx *c) {
    sqlite3_stmt **all[] = {&c->ins, &c->sel, &c->upd, &c->rev, &c->seen, &c->side_del, &c->side_ins,
                            &c->ins_rows};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
        sqlite3_finalize(*all[k]);
        *all[k] = NULL;
    }
    for (int k = 0; k < c->nupd_by; k++) sqlite3_finalize(c->upd_by[k].st);
    c->nupd_by = 0;
    sqlite3_free(c->bulk_indexes);   /* not built: the transaction is rolled back */
    c->bulk_indexes = NULL;
}

static void bind_val(sqlite3_stmt *st, int idx, const imp_val *v) {
    switch (v->type) {
    case SQLITE_INTEGER: sqlite3_bind_int64(st, idx, v->i); break;
    case SQLITE_FLOAT: sqlite3_bind_double(st, idx, v->d); break;
    case SQLITE_TEXT: sqlite3_bind_text(st, idx, v->s, v->n, SQLITE_STATIC); break;
    default: sqlite3_bind_null(st, idx);
    }
}

/* Binds the stored columns (1..nstored), the batch and the key (nstored+2..). */
static void bind_row(imp_ctx *c, sqlite3_stmt *st, int with_values) {
    if (with_values) {
        for (int k = 0; k < c->nstored; k++) bind_val(st, k + 1, &c->vals[c->stored[k]]);
        sqlite3_bind_int64(st, c->nstored + 1, c->batch);
    }
    if (st != c->ins)
        for (int k = 0; k < c->nkey; k++) bind_val(st, c->nstored + 2 + k, &c->vals[c->key[k]]);
}

/* Nothing is ever written outside the file's transaction: when SQLite has rolled it back
 * by itself (a full disk, an I/O error), every statement would commit on its own. The
 * caller reports the lost transaction; these only refuse to store. */
static int transaction_lost(const imp_ctx *c) { return sqlite3_get_autocommit(c->db); }

int imp_store_rows(imp_ctx *c, imp_val *const rows[IMP_STORE_ROWS]) {
    if (transaction_lost(c)) return -1;
    sqlite3_stmt *st = c->ins_rows;
    for (int r = 0, p = 1; r < IMP_STORE_ROWS; r++) {
        for (int k = 0; k < c->nstored; k++) bind_val(st, p++, &rows[r][c->stored[k]]);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return -1;
    c->res->added += IMP_STORE_ROWS;
    return 0;
}

/* "key" text of the row for revisions and duplicate detection ("k1|k2", units by
 * code); caller frees. NULL when memory runs out. */
static char *key_text(imp_ctx *c) {
    size_t cap = 1;
    for (int k = 0; k < c->nkey; k++) {
        const imp_val *v = &c->vals[c->key[k]];
        const char *code = c->ds->cols[c->key[k]].type == IMP_UNIT ? imp_unit_code(c->rs, v->i) : NULL;
        cap += 1 + (code ? strlen(code) : v->type == SQLITE_TEXT ? (size_t)v->n : 24);
    }
    char *s = malloc(cap);
    if (!s) return NULL;
    size_t n = 0;
    for (int k = 0; k < c->nkey; k++) {
        const imp_val *v = &c->vals[c->key[k]];
        if (k) s[n++] = '|';
        if (c->ds->cols[c->key[k]].type == IMP_UNIT) {
            const char *code = imp_unit_code(c->rs, v->i);
            n += (size_t)snprintf(s + n, cap - n, "%s", code ? code : "?");
        } else if (v->type == SQLITE_INTEGER) {
            n += (size_t)snprintf(s + n, cap - n, "%lld", v->i);
        } else if (v->type == SQLITE_TEXT) {
            memcpy(s + n, v->s, (size_t)v->n);
            n += (size_t)v->n;
        }
    }
    s[n] = '\0';
    return s;
}

/* 1 when compared column k (sel's k-th) of the stored record equals the converted row's. */
static int same_column(imp_ctx *c, int k) {
    const imp_val *v = &c->vals[c->cmp[k]];
    int t = sqlite3_column_type(c->sel, k);
    if (v->type == SQLITE_NULL || t == SQLITE_NULL) return v->type == t;
    switch (v->type) {
    case SQLITE_INTEGER:
        return t == SQLITE_INTEGER && sqlite3_column_int64(c->sel, k) == v->i;
    case SQLITE_FLOAT:
        return sqlite3_column_double(c->sel, k) == v->d;
    default:
        return t == SQLITE_TEXT && sqlite3_column_bytes(c->sel, k) == v->n &&
               !memcmp(sqlite3_column_text(c->sel, k), v->s, (size_t)v->n);
    }
}

/* 1 when the stored record (the current row of sel) equals the converted row. */
static int same_as_stored(imp_ctx *c) {
    for (int k = 0; k < c->ncmp; k++)
        if (!same_column(c, k)) return 0;
    return 1;
}

/* The UPDATE of the stored columns that differ from the current row of sel (numbered
 * like upd: values ?1.., batch, key), prepared once per set of columns; c->upd when
 * there are too many columns for a mask. NULL after a database error (reported). A
 * correction of the figures then leaves the indexes of the dates and units alone: half
 * the pages written for 10,000 corrected accidents. */
static sqlite3_stmt *update_for(imp_ctx *c) {
    if (c->nstored > 64) return c->upd;
    unsigned long long mask = 0;
    for (int k = 0; k < c->nstored; k++)
        if (!same_column(c, k)) mask |= 1ULL << k;
    for (int i = 0; i < c->nupd_by; i++)
        if (c->upd_by[i].mask == mask) return c->upd_by[i].st;
    sqltext *t = malloc(sizeof *t);
    if (!t) { imp_row_error(c, 0, "out of memory"); return NULL; }
    t->n = 0;
    t->over = 0;
    add(t, "UPDATE %s SET ", c->ds->table);
    for (int k = 0; k < c->nstored; k++)
        if (mask & (1ULL << k)) add(t, "%s = ?%d, ", c->ds->cols[c->stored[k]].db, k + 1);
    add(t, "batch = ?%d WHERE ", c->nstored + 1);
    for (int k = 0; k < c->nkey; k++)
        add(t, "%s%s = ?%d", k ? " AND " : "", c->ds->cols[c->key[k]].db, c->nstored + 2 + k);
    sqlite3_stmt *st = NULL;
    int rc = prep(c, t, &st);
    free(t);
    if (rc) return NULL;
    if (c->nupd_by == (int)(sizeof c->upd_by / sizeof c->upd_by[0])) {   /* full: the oldest goes */
        sqlite3_finalize(c->upd_by[0].st);
        memmove(&c->upd_by[0], &c->upd_by[1], (size_t)(c->nupd_by - 1) * sizeof c->upd_by[0]);
        c->nupd_by--;
    }
    c->upd_by[c->nupd_by].mask = mask;
    c->upd_by[c->nupd_by++].st = st;
    return st;
}

/* The dataset column with flag, or -1. */
static int column_with(const imp_dataset *ds, unsigned flag) {
    for (int i = 0; i < ds->ncols; i++)
        if (ds->cols[i].flags & flag) return i;
    return -1;
}

/* Rewrites the side table rows of the record (dataset.h): the words of the IMP_WORDS
 * column against the record's rowid (unit aliases), or the unit lists of the IMP_UNITS
 * columns, each with its column's name as the role, against the key (task units).
 * 0 or -1 (row error reported). */
static int write_side(imp_ctx *c, long long rowid) {
    if (!side(c)) return 0;
    if (by_rowid(c)) {
        sqlite3_bind_int64(c->side_del, 1, rowid);
        sqlite3_step(c->side_del);
        sqlite3_reset(c->side_del);
        int wi = column_with(c->ds, IMP_WORDS);
        const imp_val *a = &c->vals[wi];           /* ';'-joined */
        if (a->type != SQLITE_TEXT || a->n == 0) return 0;
        int rc = 0;
        for (const char *p = a->s, *end = a->s + a->n; p && !rc;) {   /* the ';'-separated words */
            const char *e = memchr(p, ';', (size_t)(end - p));
            int len = (int)((e ? e : end) - p);
            sqlite3_bind_text(c->side_ins, 1, p, len, SQLITE_STATIC);
            sqlite3_bind_int64(c->side_ins, 2, rowid);
            if (sqlite3_step(c->side_ins) != SQLITE_DONE) {
                imp_row_error(c, c->col_of[wi] + 1, "%s: '%.*s' is already an alias of another unit",
                              c->ds->cols[wi].name, len, p);
                rc = -1;
            }
            sqlite3_reset(c->side_ins);
            p = e ? e + 1 : NULL;
        }
        return rc;
    }
    for (int k = 0; k < c->nkey; k++) bind_val(c->side_del, k + 1, &c->vals[c->key[k]]);
    sqlite3_step(c->side_del);
    sqlite3_reset(c->side_del);
    for (int i = 0; i < c->ds->ncols; i++) {
        if (c->ds->cols[i].type != IMP_UNITS) continue;
        for (int k = 0; k < c->lists[i].n; k++) {
            for (int j = 0; j < c->nkey; j++) bind_val(c->side_ins, j + 1, &c->vals[c->key[j]]);
            sqlite3_bind_int64(c->side_ins, c->nkey + 1, c->lists[i].ids[k]);
            sqlite3_bind_text(c->side_ins, c->nkey + 2, c->ds->cols[i].name, -1, SQLITE_STATIC);
            int rc = sqlite3_step(c->side_ins);
            sqlite3_reset(c->side_ins);
            if (rc != SQLITE_DONE) {
                imp_row_error(c, 0, "database: %s", sqlite3_errmsg(c->db));
                return -1;
            }
        }
    }
    return 0;
}

/* A row that collides with another record on the dataset's other UNIQUE column. */
static void unique_error(imp_ctx *c) {
    int u = imp_dataset_column(c->ds, c->ds->unique);
    imp_row_error(c, c->col_of[u] + 1, "%s: '%.*s' is already the %s of another unit",
                  c->ds->cols[u].name, c->vals[u].n, c->vals[u].s, c->ds->cols[u].name);
}

static void store(imp_ctx *c) {
    int key_col = c->col_of[c->key[0]] + 1;
    bind_row(c, c->ins, 1);
    int rc = sqlite3_step(c->ins);
    sqlite3_reset(c->ins);
    if (rc == SQLITE_DONE) {
        if (write_side(c, sqlite3_last_insert_rowid(c->db)) == 0) c->res->added++;
        return;
    }
    int ext = sqlite3_extended_errcode(c->db);
    if (ext != SQLITE_CONSTRAINT_PRIMARYKEY && ext != SQLITE_CONSTRAINT_UNIQUE) {
        imp_row_error(c, 0, "database: %s", sqlite3_errmsg(c->db));
        return;
    }
    bind_row(c, c->sel, 0);
    if (sqlite3_step(c->sel) != SQLITE_ROW) {
        sqlite3_reset(c->sel);
        if (c->ds->unique) unique_error(c);
        else imp_row_error(c, key_col, "conflicts with an existing record");
        return;
    }
    long long old_batch = sqlite3_column_int64(c->sel, c->ncmp);
    char *key = key_text(c);
    if (!key) {
        sqlite3_reset(c->sel);
        imp_row_error(c, key_col, "out of memory");
        return;
    }
    if (old_batch == c->batch) {
        sqlite3_reset(c->sel);
        imp_row_error(c, key_col, "%s: duplicate '%s' (an earlier row of this file has it)",
                      c->ds->cols[c->key[0]].name, key);
    } else if (same_as_stored(c)) {
        sqlite3_reset(c->sel);
        sqlite3_bind_text(c->seen, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(c->seen);
        sqlite3_reset(c->seen);
        if (rc == SQLITE_DONE) c->res->unchanged++;
        else imp_row_error(c, key_col, "%s: duplicate '%s' (an earlier row of this file has it)",
                           c->ds->cols[c->key[0]].name, key);
    } else {
        long long rowid = by_rowid(c) ? sqlite3_column_int64(c->sel, c->ncmp + 2) : 0;
        sqlite3_stmt *upd = update_for(c);      /* before sel is reset: it compares with it */
        if (!upd) {
            sqlite3_reset(c->sel);
            free(key);
            return;
        }
        sqlite3_bind_text(c->rev, 1, c->ds->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(c->rev, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(c->rev, 3, (const char *)sqlite3_column_text(c->sel, c->ncmp + 1), -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_int64(c->rev, 4, old_batch);
        sqlite3_bind_int64(c->rev, 5, c->batch);
        sqlite3_reset(c->sel);
        rc = sqlite3_step(c->rev);
        sqlite3_reset(c->rev);
        if (rc == SQLITE_DONE) {
            bind_row(c, upd, 1);
            rc = sqlite3_step(upd);
            sqlite3_reset(upd);
        }
        if (rc != SQLITE_DONE) {
            if (c->ds->unique) unique_error(c);
            else imp_row_error(c, 0, "database: %s", sqlite3_errmsg(c->db));
        } else if (write_side(c, rowid) == 0) {
            c->res->updated++;
        }
    }
    free(key);
}

void imp_store_row(imp_ctx *c) {
    if (transaction_lost(c)) return;
    int guarded = side(c) != NULL;   /* several statements per row */
    if (guarded) sqlite3_exec(c->db, "SAVEPOINT imp_row", NULL, NULL, NULL);
    int before = c->row_errors;
    store(c);
    if (guarded) {
        if (c->row_errors > before) sqlite3_exec(c->db, "ROLLBACK TO imp_row", NULL, NULL, NULL);
        sqlite3_exec(c->db, "RELEASE imp_row", NULL, NULL, NULL);
    }
}
