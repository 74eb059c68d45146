/* db_known.c — the database as it was known at the end of a day (`--known-on`, issue 13
 * item 3): TEMP views named like every table a script can read — the datasets' tables,
 * their side tables (unit_aliases, task_units), `imports`, `revisions` — and the
 * schema's *_v views over them. SQLite resolves an unqualified name in the temp schema
 * first, so `SELECT ... FROM accidents` reads the as-known state and scripts need no
 * change.
 *
 * A record's versions are its table row (the current one, written by import `batch`)
 * and its revisions (each earlier one: old_values, written by old_batch, superseded by
 * new_batch; the last revision's new_batch is the current row's batch). A version is
 * known on D when the import that wrote it was received on or before D — for the first
 * version of an accident, when its reported_at is on or before D, else its import's
 * received date. The view shows the latest version known on D and leaves out records
 * of which none is.
 *
 * Cheap by construction (the double decline reads 300,000 accidents per query):
 * - a table row is shown or not from its own columns: its batch against the known
 *   imports, written as a few BETWEENs (no per-row look-up), and for accidents its
 *   reported_at; revisions are consulted per row only for an accident whose two dates
 *   disagree (its batch known but reported after D, or the reverse);
 * - a row whose current version is not known but an earlier one is comes from a TEMP
 *   table, temp.yj_known_<table>, made empty here and filled by db_known_fill when a
 *   statement first reads it (script_sql.c notes the tables a script's statement reads,
 *   by the authorizer, and fills them before it runs): a dataset the script does not
 *   read costs nothing. The fill is one pass over the dataset's revisions in their
 *   index's order, the old values read by a small JSON reader of our own (SQLite's
 *   json_extract costs ~4 us a record). A plain table, not a virtual one: SQLite does
 *   not flatten a UNION ALL view with a virtual table in it;
 * - a dataset without revisions has no such arm: one SELECT that SQLite flattens into
 *   the script's query (a UNION ALL view is run as a co-routine, every row copied).
 * The side tables follow their records: the rows of a record shown at its current
 * version, else the words and unit lists of the old version shown.
 *
 * The views are made inside the run's read transaction (the caller's BEGIN), so they
 * match the data the script reads. Without --known-on none of this exists. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "dataset.h"
#include "db.h"
#include "strbuf.h"
#include "strmap.h"

static int fail(char *err, size_t cap, const char *what, sqlite3 *db) {
    snprintf(err, cap, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
    return -1;
}

/* Runs the statement built in b (out of memory: an error) and frees b. 0 or -1. */
static int run(sqlite3 *db, strbuf *b, const char *what, char *err, size_t cap) {
    int rc = b->err ? fail(err, cap, what, NULL)
           : sqlite3_exec(db, b->p, NULL, NULL, NULL) != SQLITE_OK ? fail(err, cap, what, db) : 0;
    strbuf_free(b);
    return rc;
}

/* {==================================================================
 * The imports known on D
 * =================================================================== */

/* The ids of the imports received on or before date, ascending (malloc'd into *ids,
 * caller frees), and the SQL test of a batch column against them when pred is not NULL:
 * "1" (all), "0" (none), a few BETWEENs over the runs of consecutive known imports, or
 * an IN over imports when there are many runs. 0 or -1 (database or memory). */
enum { MAX_RUNS = 16 };
typedef struct {
    long long *ids;
    int n;
    long long lo[MAX_RUNS], hi[MAX_RUNS];
    int runs;          /* > MAX_RUNS: too many for BETWEENs */
    int all;           /* every import is known */
} known_set;

static int known_load(sqlite3 *db, const char *date, known_set *k) {
    memset(k, 0, sizeof *k);
    k->all = 1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, received <= ?1 FROM main.imports ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
    int cap = 0, prev = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int known = sqlite3_column_int(st, 1);
        if (!known) { k->all = 0; prev = 0; continue; }
        if (k->n == cap) {
            cap = cap ? cap * 2 : 64;
            long long *p = realloc(k->ids, (size_t)cap * sizeof *p);
            if (!p) { sqlite3_finalize(st); return -1; }
            k->ids = p;
        }
        k->ids[k->n++] = id;
        if (prev && k->runs <= MAX_RUNS) k->hi[k->runs - 1] = id;
        else if (!prev && ++k->runs <= MAX_RUNS) k->lo[k->runs - 1] = k->hi[k->runs - 1] = id;
        prev = 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int known_has(const known_set *k, long long id) {
    int lo = 0, hi = k->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (k->ids[mid] == id) return 1;
        if (k->ids[mid] < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}

/* Appends the SQL test "col is a known import" to b. */
static void known_sql(strbuf *b, const known_set *k, const char *col, const char *date) {
    if (k->all) strbuf_puts(b, "1");
    else if (!k->n) strbuf_puts(b, "0");
    else if (k->runs > MAX_RUNS)
        strbuf_printf(b, "%s IN (SELECT id FROM main.imports WHERE received <= '%s')", col, date);
    else {
        strbuf_puts(b, "(");
        for (int i = 0; i < k->runs; i++)
            strbuf_printf(b, "%s%s BETWEEN %lld AND %lld", i ? " OR " : "", col, k->lo[i], k->hi[i]);
        strbuf_puts(b, ")");
    }
}

/* {==================================================================
 * The old versions: temp.yj_known_<table>
 * =================================================================== */

typedef struct {
    int type;          /* 0 (not set: NULL), SQLITE_INTEGER, _FLOAT, _TEXT, _NULL */
    long long i;
    double d;
    char *s;           /* owned */
    int n;
} kcell;

enum { MAX_COLS = 48 };

/* The old versions of one dataset being written into its temp table. */
typedef struct {
    sqlite3 *db;
    const imp_dataset *ds;
    const char *date;
    const known_set *k;
    int ncol;          /* the table's columns, then the dataset's unit lists (tasks) */
    char *names[MAX_COLS];
    size_t lens[MAX_COLS];
    int batch_col, id_col, reported_col;   /* -1: none */
    kcell row[MAX_COLS];
    char bad[80];        /* the record whose old values could not be read, "" */
    sqlite3_stmt *unit;  /* units.id by code (units: the revisions' key) */
    sqlite3_stmt *ins;   /* one row into the temp table */
} kbuild;

static void row_clear(kbuild *t) {
    for (int i = 0; i < t->ncol; i++) free(t->row[i].s);
    memset(t->row, 0, sizeof t->row);
}

/* One value of a flat JSON object as SQLite's json_object writes it (strings, numbers,
 * null, true/false) at *p, into c (text malloc'd and unescaped). 0, or -1 when the text
 * is not such a value (the caller then asks SQLite). */
static int json_value(const char **pp, kcell *c) {
    const char *p = *pp;
    memset(c, 0, sizeof *c);
    if (*p == '"') {
        const char *e = ++p;
        size_t n = 0;
        while (*e && *e != '"') { if (*e == '\\' && e[1]) e++; e++; n++; }
        if (*e != '"') return -1;
        char *s = malloc(n * 3 + 1), *o = s;     /* \uXXXX: at most 3 bytes per 6 */
        if (!s) return -1;
        while (*p != '"') {
            if (*p != '\\') { *o++ = *p++; continue; }
            p++;
            switch (*p) {
            case 'n': *o++ = '\n'; p++; break;
            case 't': *o++ = '\t'; p++; break;
            case 'r': *o++ = '\r'; p++; break;
            case 'b': *o++ = '\b'; p++; break;
            case 'f': *o++ = '\f'; p++; break;
            case 'u': {
                /* four hex digits, or not ours: a digit short would step over the
                 * closing quote (and the text's end) */
                unsigned u = 0;
                for (int k = 1; k <= 4; k++) {
                    char h = p[k];
                    int x = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (x < 0) { free(s); return -1; }
                    u = u * 16 + (unsigned)x;
                }
                if (u >= 0xD800 && u <= 0xDFFF) { free(s); return -1; }   /* SQLite's */
                p += 5;
                if (u < 0x80) *o++ = (char)u;
                else if (u < 0x800) { *o++ = (char)(0xC0 | (u >> 6)); *o++ = (char)(0x80 | (u & 0x3F)); }
                else {
                    *o++ = (char)(0xE0 | (u >> 12));
                    *o++ = (char)(0x80 | ((u >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (u & 0x3F));
                }
                break;
            }
            default: *o++ = *p++;     /* \" \\ \/ */
            }
        }
        *o = '\0';
        c->type = SQLITE_TEXT;
        c->s = s;
        c->n = (int)(o - s);
        *pp = p + 1;
        return 0;
    }
    if (!strncmp(p, "null", 4)) { c->type = SQLITE_NULL; *pp = p + 4; return 0; }
    if (!strncmp(p, "true", 4)) { c->type = SQLITE_INTEGER; c->i = 1; *pp = p + 4; return 0; }
    if (!strncmp(p, "false", 5)) { c->type = SQLITE_INTEGER; *pp = p + 5; return 0; }
    const char *e = p + (*p == '-');
    if (*e < '0' || *e > '9') return -1;
    int real = 0;
    while ((*e >= '0' && *e <= '9') || *e == '.' || *e == 'e' || *e == 'E' || *e == '+' || *e == '-') {
        real |= *e == '.' || *e == 'e' || *e == 'E';
        e++;
    }
    char num[64];
    if (e - p >= (long)sizeof num) return -1;
    memcpy(num, p, (size_t)(e - p));
    num[e - p] = '\0';
    char *end;
    if (!real) {
        c->type = SQLITE_INTEGER;
        c->i = strtoll(num, &end, 10);
    } else {
        c->type = SQLITE_FLOAT;
        c->d = strtod(num, &end);
    }
    if (*end) return -1;
    *pp = e;
    return 0;
}

/* Fills t->row from the flat JSON object js: each column's value by its name, NULL
 * when absent. 0, or -1 when js is not what json_object writes. */
static int json_row(kbuild *t, const char *js) {
    const char *p = js;
    if (*p++ != '{') return -1;
    while (*p && *p != '}') {
        if (*p == ',') p++;
        if (*p != '"') return -1;
        const char *k = ++p;
        while (*p && *p != '"' && *p != '\\') p++;
        if (*p != '"') return -1;
        size_t klen = (size_t)(p - k);
        if (*++p != ':') return -1;
        p++;
        kcell c;
        if (json_value(&p, &c) != 0) return -1;
        int col = -1;
        for (int i = 0; i < t->ncol && col < 0; i++)
            if (t->lens[i] == klen && !memcmp(t->names[i], k, klen)) col = i;
        if (col < 0 || t->row[col].type) free(c.s);      /* unknown key, or twice: the first */
        else t->row[col] = c;
    }
    return *p == '}' ? 0 : -1;
}

/* The same from SQLite's own JSON functions (for a text json_row does not read). */
static int json_row_sqlite(kbuild *t, const char *js) {
    sqlite3_stmt *st;
    row_clear(t);
    if (sqlite3_prepare_v2(t->db, "SELECT json_extract(?1, '$.' || json_quote(?2))", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = 0;
    for (int i = 0; i < t->ncol && !rc; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, js, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, t->names[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) { rc = -1; break; }
        kcell *c = &t->row[i];
        c->type = sqlite3_column_type(st, 0);
        if (c->type == SQLITE_INTEGER) c->i = sqlite3_column_int64(st, 0);
        else if (c->type == SQLITE_FLOAT) c->d = sqlite3_column_double(st, 0);
        else if (c->type != SQLITE_NULL) {
            c->type = SQLITE_TEXT;
            c->n = sqlite3_column_bytes(st, 0);
            if (!(c->s = malloc((size_t)c->n + 1))) rc = -1;
            else memcpy(c->s, sqlite3_column_text(st, 0), (size_t)c->n + 1);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Reads a version (its old_values js, written by import batch) into t->row. 0 or -1. */
static int load_version(kbuild *t, const char *js, long long batch) {
    row_clear(t);
    if (!js || (json_row(t, js) != 0 && json_row_sqlite(t, js) != 0)) return -1;
    if (t->batch_col >= 0) {
        free(t->row[t->batch_col].s);
        t->row[t->batch_col] = (kcell){SQLITE_INTEGER, batch, 0, NULL, 0};
    }
    return 0;
}

/* Writes t->row (the version of the record key) into the temp table. 0 or -1. */
static int emit(kbuild *t, const char *key) {
    if (t->unit && t->id_col >= 0) {            /* units: rows keyed by id, revisions by code */
        sqlite3_reset(t->unit);
        sqlite3_bind_text(t->unit, 1, key, -1, SQLITE_STATIC);
        free(t->row[t->id_col].s);
        t->row[t->id_col] = (kcell){SQLITE_NULL, 0, 0, NULL, 0};
        if (sqlite3_step(t->unit) == SQLITE_ROW)
            t->row[t->id_col] = (kcell){SQLITE_INTEGER, sqlite3_column_int64(t->unit, 0), 0, NULL, 0};
    }
    sqlite3_reset(t->ins);
    for (int i = 0; i < t->ncol; i++) {
        const kcell *c = &t->row[i];
        if (c->type == SQLITE_INTEGER) sqlite3_bind_int64(t->ins, i + 1, c->i);
        else if (c->type == SQLITE_FLOAT) sqlite3_bind_double(t->ins, i + 1, c->d);
        else if (c->type == SQLITE_TEXT) sqlite3_bind_text(t->ins, i + 1, c->s, c->n, SQLITE_STATIC);
        else sqlite3_bind_null(t->ins, i + 1);
    }
    return sqlite3_step(t->ins) == SQLITE_DONE ? 0 : -1;
}

/* The reported_at of an accident's old values js (a flat JSON object as json_object
 * writes it) into out: 1, or 0 when it is null or absent. The key is searched as text:
 * inside a string value a quote is escaped (\\"), so "reported_at": is the key. */
static int reported_at(const char *js, char *out, size_t cap) {
    const char *p = strstr(js, "\"reported_at\":\"");
    if (!p) return 0;
    p += 15;
    size_t n = strcspn(p, "\"\\");
    if (p[n] != '"' || n >= cap) return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

/* One record met in the revisions: the import of its current version (the newest
 * revision's new_batch) and its newest old version known on the day, if any. */
typedef struct {
    char *key;
    long long last_new, best_old;
    char *best;        /* that version's old_values (malloc'd), NULL: none known */
} krec;

/* The dataset's revisions in the table's order (a sequential read: ~3x faster than
 * the index's order, which looks up every row), grouped by record in a hash map: of
 * each record whose current version is not known, the newest version known on the day
 * goes into the temp table (see the top). Only a version whose successor is not known
 * can be that one, so only such old values are kept. An accident's first version is
 * the first met (ids grow with imports). 0 or -1. */
static int fill(kbuild *t) {
    sqlite3_stmt *st = NULL;
    yj_strmap map = {NULL, 0, 0};
    krec *recs = NULL;
    size_t nrec = 0, cap = 0;
    int rc = -1, accidents = t->reported_col >= 0;
    char day[12];
    snprintf(day, sizeof day, "%s~", t->date);   /* as the table's: reported_at < 'D~' */
    if (sqlite3_prepare_v2(t->db, "SELECT record_key, old_batch, new_batch, old_values FROM main.revisions"
                                  " NOT INDEXED WHERE dataset = ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_text(st, 1, t->ds->name, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        if (!k) continue;
        long long old = sqlite3_column_int64(st, 1), nb = sqlite3_column_int64(st, 2);
        void *v = yj_strmap_get(&map, k);
        krec *r;
        int first = !v;
        if (first) {
            if (nrec == cap) {
                size_t c2 = cap ? cap * 2 : 256;
                krec *p = realloc(recs, c2 * sizeof *p);
                if (!p) goto done;
                recs = p;
                cap = c2;
            }
            r = &recs[nrec];
            *r = (krec){strdup(k), 0, 0, NULL};
            if (!r->key || yj_strmap_put(&map, k, (void *)(uintptr_t)(nrec + 1)) != 0) { free(r->key); goto done; }
            nrec++;
        } else {
            r = &recs[(uintptr_t)v - 1];
        }
        r->last_new = nb;
        if (known_has(t->k, nb)) continue;          /* a newer version is known */
        int known = -1;
        char rep[40];
        const char *js = NULL;          /* read only when needed: most old values are not */
        if (first && accidents) {
            js = (const char *)sqlite3_column_text(st, 3);
            if (js && reported_at(js, rep, sizeof rep)) known = strcmp(rep, day) < 0;
        }
        if (known < 0) known = known_has(t->k, old);
        if (!known) continue;
        if (!js) js = (const char *)sqlite3_column_text(st, 3);
        free(r->best);
        r->best_old = old;
        if (!(r->best = strdup(js ? js : "{}"))) goto done;
    }
    if (step != SQLITE_DONE) goto done;
    for (size_t i = 0; i < nrec; i++) {
        krec *r = &recs[i];
        if (!r->best || known_has(t->k, r->last_new)) continue;
        if (load_version(t, r->best, r->best_old) != 0) {
            snprintf(t->bad, sizeof t->bad, "%s", r->key);
            goto done;
        }
        if (emit(t, r->key) != 0) goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    for (size_t i = 0; i < nrec; i++) {
        free(recs[i].key);
        free(recs[i].best);
    }
    free(recs);
    yj_strmap_free(&map);
    return rc;
}

/* The table's columns (and the dataset's unit lists) into t, with their declaration
 * "name TYPE, ..." in decl when decl is not NULL. 0, or -1 with the reason in err. */
static int build_columns(kbuild *t, strbuf *decl, char *err, size_t cap) {
    sqlite3_stmt *st;
    char q[160];
    /* the table's column types too: a UNION ALL whose arms differ in affinity is not
     * flattened (SQLite's rule 17h), which costs the double decline ~50 % */
    snprintf(q, sizeof q, "SELECT name, type FROM pragma_table_info('%s', 'main') ORDER BY cid", t->ds->table);
    if (sqlite3_prepare_v2(t->db, q, -1, &st, NULL) != SQLITE_OK) return fail(err, cap, t->ds->table, t->db);
    for (int pass = 0, i = 0; pass < 2 && t->ncol < MAX_COLS;) {
        const char *name, *type = "TEXT";           /* a unit list: "3,5" */
        if (pass == 0) {
            if (sqlite3_step(st) != SQLITE_ROW) { pass++; continue; }
            name = (const char *)sqlite3_column_text(st, 0);
            type = (const char *)sqlite3_column_text(st, 1);
        } else {
            if (i >= t->ds->ncols) break;
            if (t->ds->cols[i++].db) continue;
            name = t->ds->cols[i - 1].name;
        }
        if (!name || !(t->names[t->ncol] = strdup(name))) {
            sqlite3_finalize(st);
            return fail(err, cap, t->ds->table, NULL);
        }
        t->lens[t->ncol] = strlen(name);
        if (!strcmp(name, "batch")) t->batch_col = t->ncol;
        if (!strcmp(name, "id")) t->id_col = t->ncol;
        if (!strcmp(name, "reported_at") && !strcmp(t->ds->name, "accidents")) t->reported_col = t->ncol;
        if (decl) strbuf_printf(decl, "%s\"%s\" %s", t->ncol ? ", " : "", name, type ? type : "");
        t->ncol++;
    }
    sqlite3_finalize(st);
    return decl && decl->err ? fail(err, cap, t->ds->table, NULL) : 0;
}

static void build_free(kbuild *t) {
    row_clear(t);
    for (int i = 0; i < t->ncol; i++) free(t->names[i]);
    sqlite3_finalize(t->ins);
    sqlite3_finalize(t->unit);
}

/* Creates temp.yj_known_<table>, empty, for the old versions shown on the day (the
 * table's columns and the dataset's unit lists), and notes it in temp.yj_known_pending:
 * db_known_fill fills it when a statement first reads it. 0, or -1 with err. */
static int old_versions(sqlite3 *db, const imp_dataset *ds, const char *date, char *err, size_t cap) {
    kbuild t;
    memset(&t, 0, sizeof t);
    t.db = db;
    t.ds = ds;
    t.batch_col = t.id_col = t.reported_col = -1;
    strbuf decl = STRBUF_INIT, v = STRBUF_INIT;
    int rc = build_columns(&t, &decl, err, cap);
    if (!rc) {
        strbuf_printf(&v, "CREATE TEMP TABLE \"yj_known_%s\"(%s);"
                      "INSERT INTO temp.yj_known_pending(tbl, dataset, day) VALUES ('yj_known_%s', '%s', '%s')",
                      ds->table, decl.p, ds->table, ds->name, date);
        rc = run(db, &v, ds->table, err, cap);
    }
    build_free(&t);
    strbuf_free(&decl);
    strbuf_free(&v);
    return rc;
}

int db_known_fill(sqlite3 *db, const char *table, char *err, size_t cap) {
    sqlite3_stmt *st;
    char dataset[64] = "", day[11] = "";
    if (sqlite3_prepare_v2(db, "SELECT dataset, day FROM temp.yj_known_pending WHERE tbl = ?1", -1, &st, NULL)
        != SQLITE_OK) return fail(err, cap, "as known", db);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(dataset, sizeof dataset, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(day, sizeof day, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    const imp_dataset *ds = imp_dataset_find(dataset);
    if (!ds) return 0;                           /* filled already, or not ours */
    kbuild t;
    memset(&t, 0, sizeof t);
    t.db = db;
    t.ds = ds;
    t.date = day;
    t.batch_col = t.id_col = t.reported_col = -1;
    known_set k;
    int rc = -1;
    if (known_load(db, day, &k) != 0) { fail(err, cap, "imports", db); goto done; }
    t.k = &k;
    if (build_columns(&t, NULL, err, cap) != 0) goto done;
    strbuf v = STRBUF_INIT;
    strbuf_printf(&v, "INSERT INTO temp.\"yj_known_%s\" VALUES(", ds->table);
    for (int i = 0; i < t.ncol; i++) strbuf_printf(&v, "%s?", i ? ", " : "");
    strbuf_puts(&v, ")");
    int bad = v.err || sqlite3_prepare_v2(db, v.p, -1, &t.ins, NULL) != SQLITE_OK;
    strbuf_free(&v);
    char q[160];
    snprintf(q, sizeof q, "SELECT id FROM main.\"%s\" WHERE code = ?1", ds->table);
    if (bad || (ds->side && ds->side->by_rowid && sqlite3_prepare_v2(db, q, -1, &t.unit, NULL) != SQLITE_OK) ||
        fill(&t) != 0 ||
        sqlite3_prepare_v2(db, "DELETE FROM temp.yj_known_pending WHERE tbl = ?1", -1, &st, NULL) != SQLITE_OK) {
        if (t.bad[0])
            snprintf(err, cap, _("%s: the old values of record %s (table revisions) are not readable JSON"),
                     ds->table, t.bad);
        else
            fail(err, cap, ds->table, db);
        goto done;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fail(err, cap, ds->table, db);
    sqlite3_finalize(st);
done:
    free(k.ids);
    build_free(&t);
    return rc;
}

int db_known_fill_all(sqlite3 *db, char *err, size_t cap) {
    for (int i = 0; i < imp_dataset_count(); i++) {
        char table[80];
        snprintf(table, sizeof table, "yj_known_%s", imp_dataset_at(i)->table);
        if (db_known_fill(db, table, err, cap) != 0) return -1;
    }
    return 0;
}

/* {==================================================================
 * The views
 * =================================================================== */

/* The table's columns, quoted and comma-separated, into cols (prefixed by alias. when
 * alias is not NULL). 0, or -1 (no such table, database error). */
static int columns(sqlite3 *db, const char *table, const char *alias, strbuf *cols, char *err, size_t cap) {
    sqlite3_stmt *st;
    char q[160];
    snprintf(q, sizeof q, "SELECT name FROM pragma_table_info('%s', 'main') ORDER BY cid", table);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) return fail(err, cap, table, db);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        strbuf_printf(cols, "%s%s%s\"%s\"", n++ ? ", " : "", alias ? alias : "", alias ? "." : "",
                      (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (!n) {
        snprintf(err, cap, _("%s: no such table"), table);
        return -1;
    }
    return 0;
}

/* The view of one dataset table (and the temp table of its old versions when it has
 * revisions); *revised tells which. date is checked ISO text (no quote in it). */
static int dataset_view(sqlite3 *db, const imp_dataset *ds, const char *date, const known_set *k,
                        int *revised, char *err, size_t cap) {
    int accidents = !strcmp(ds->name, "accidents");
    strbuf cols = STRBUF_INIT, v = STRBUF_INIT;   /* freed below */
    sqlite3_stmt *st;
    int rc = -1;
    if (columns(db, ds->table, NULL, &cols, err, cap) != 0) goto done;
    char q[160];
    snprintf(q, sizeof q, "SELECT EXISTS (SELECT 1 FROM main.revisions WHERE dataset = '%s')", ds->name);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
        fail(err, cap, "revisions", db);
        goto done;
    }
    *revised = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (*revised && old_versions(db, ds, date, err, cap) != 0) goto done;
    strbuf_printf(&v, "CREATE TEMP VIEW \"%s\" AS SELECT %s FROM main.\"%s\" AS t WHERE ", ds->table,
                  cols.p, ds->table);
    if (accidents) {
        /* The current version: known by its batch; an accident never corrected, by its
         * reported_at when given (ISO text: "on or before D" is "< 'D~'"). Revisions
         * are looked up only when the two disagree. */
        char rev[160];
        snprintf(rev, sizeof rev, "EXISTS (SELECT 1 FROM main.revisions x WHERE x.dataset = 'accidents'"
                                  " AND x.record_key = t.id)");
        strbuf_puts(&v, "CASE WHEN ");
        known_sql(&v, k, "t.batch", date);
        /* nested CASEs: an OR computed as a value evaluates all its terms (the EXISTS
         * for every row); a WHEN stops at the first true one */
        if (*revised)
            strbuf_printf(&v, " THEN CASE WHEN t.reported_at IS NULL OR t.reported_at < '%s~' THEN 1 ELSE %s END"
                              " ELSE CASE WHEN t.reported_at < '%s~' THEN NOT %s ELSE 0 END END", date, rev, date, rev);
        else
            strbuf_printf(&v, " THEN CASE WHEN t.reported_at IS NULL OR t.reported_at < '%s~' THEN 1 ELSE 0 END"
                              " ELSE t.reported_at < '%s~' END", date, date);
    } else {
        known_sql(&v, k, "t.batch", date);
    }
    if (*revised) strbuf_printf(&v, " UNION ALL SELECT %s FROM temp.\"yj_known_%s\"", cols.p, ds->table);
    v.err |= cols.err;
    rc = run(db, &v, ds->table, err, cap);
done:
    strbuf_free(&cols);
    strbuf_free(&v);
    return rc;
}

/* The side table of ds (dataset.h): its rows for the records shown at their current
 * version (batch known), and for those shown at an old version (the temp table's
 * rows) the words of its IMP_WORDS column (unit aliases, against units.id) or the unit
 * ids of its IMP_UNITS columns (task units, role = the column's name), split in SQL. */
static int side_view(sqlite3 *db, const imp_dataset *ds, const char *date, const known_set *k, int revised,
                     char *err, size_t cap) {
    const imp_side *sd = ds->side;
    strbuf cols = STRBUF_INIT, v = STRBUF_INIT;
    int rc = -1;
    if (columns(db, sd->table, "x", &cols, err, cap) != 0) goto done;
    strbuf_printf(&v, "CREATE TEMP VIEW \"%s\" AS SELECT %s FROM main.\"%s\" AS x WHERE EXISTS (SELECT 1 FROM"
                  " main.\"%s\" AS t WHERE ", sd->table, cols.p, sd->table, ds->table);
    if (sd->by_rowid) {
        strbuf_puts(&v, "t.id = x.unit_id");
    } else {
        int first = 1;
        for (int i = 0; i < ds->ncols; i++)
            if (ds->cols[i].flags & IMP_KEY) {
                strbuf_printf(&v, "%st.\"%s\" = x.\"%s\"", first ? "" : " AND ", ds->cols[i].db, ds->cols[i].db);
                first = 0;
            }
    }
    strbuf_puts(&v, " AND ");
    known_sql(&v, k, "t.batch", date);
    strbuf_puts(&v, ")");
    if (revised) {
        /* the lists of the old versions: "a;b" (words) or "3,5" (unit ids) */
        strbuf_printf(&v, " UNION ALL SELECT * FROM (WITH RECURSIVE l(");
        if (sd->by_rowid) {
            int w = -1;
            for (int i = 0; i < ds->ncols && w < 0; i++)
                if (ds->cols[i].flags & IMP_WORDS) w = i;
            if (w < 0) { snprintf(err, cap, _("%s: no word column"), ds->name); goto done; }
            strbuf_printf(&v, "unit_id, rest, item) AS (SELECT id, \"%s\" || ';', NULL FROM temp.\"yj_known_%s\""
                          " WHERE \"%s\" <> ''"
                          " UNION ALL SELECT unit_id, substr(rest, instr(rest, ';') + 1),"
                          " substr(rest, 1, instr(rest, ';') - 1) FROM l WHERE rest <> '')"
                          " SELECT item AS alias, unit_id FROM l WHERE item IS NOT NULL)",
                          ds->cols[w].db, ds->table, ds->cols[w].db);
        } else {
            strbuf keys = STRBUF_INIT, lists = STRBUF_INIT;
            for (int i = 0; i < ds->ncols; i++)
                if (ds->cols[i].flags & IMP_KEY) strbuf_printf(&keys, "\"%s\", ", ds->cols[i].db);
            int first = 1;
            for (int i = 0; i < ds->ncols; i++)
                if (ds->cols[i].type == IMP_UNITS) {
                    strbuf_printf(&lists, "%sSELECT %s'%s', \"%s\" || ',', NULL FROM temp.\"yj_known_%s\""
                                  " WHERE \"%s\" <> ''", first ? "" : " UNION ALL ", keys.p ? keys.p : "",
                                  ds->cols[i].name, ds->cols[i].name, ds->table, ds->cols[i].name);
                    first = 0;
                }
            strbuf_printf(&v, "%srole, rest, item) AS (%s UNION ALL SELECT %srole, substr(rest, instr(rest, ',') + 1),"
                          " substr(rest, 1, instr(rest, ',') - 1) FROM l WHERE rest <> '')"
                          " SELECT %sCAST(item AS INTEGER) AS unit_id, role FROM l WHERE item IS NOT NULL)",
                          keys.p ? keys.p : "", lists.p ? lists.p : "", keys.p ? keys.p : "", keys.p ? keys.p : "");
            v.err |= keys.err | lists.err;
            strbuf_free(&keys);
            strbuf_free(&lists);
        }
    }
    v.err |= cols.err;
    rc = run(db, &v, sd->table, err, cap);
done:
    strbuf_free(&cols);
    strbuf_free(&v);
    return rc;
}

int db_known_on(sqlite3 *db, const char *date, char *err, size_t cap) {
    if (strlen(date) != 10 || strspn(date, "0123456789-") != 10) {
        snprintf(err, cap, _("known-on: '%s' is not a date (YYYY-MM-DD)"), date);
        return -1;
    }
    sqlite3_stmt *st;
    known_set k;
    if (known_load(db, date, &k) != 0) return fail(err, cap, "imports", db);
    if (sqlite3_exec(db, "CREATE TEMP TABLE yj_known_pending(tbl TEXT PRIMARY KEY, dataset TEXT, day TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        free(k.ids);
        return fail(err, cap, "as known", db);
    }
    int rc = 0;
    for (int i = 0; i < imp_dataset_count() && !rc; i++) {
        const imp_dataset *ds = imp_dataset_at(i);
        int revised = 0;
        rc = dataset_view(db, ds, date, &k, &revised, err, cap);
        if (!rc && ds->side) rc = side_view(db, ds, date, &k, revised, err, cap);
    }
    free(k.ids);
    if (rc) return -1;
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE TEMP VIEW imports AS SELECT * FROM main.imports WHERE received <= '%s';"
             "CREATE TEMP VIEW revisions AS SELECT * FROM main.revisions WHERE new_batch IN"
             " (SELECT id FROM main.imports WHERE received <= '%s');", date, date);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) return fail(err, cap, "imports", db);
    /* The schema's views (accidents_v ...) name their tables unqualified, which inside
     * main means main's: the same views in temp read the as-known ones. */
    if (sqlite3_prepare_v2(db, "SELECT name, substr(sql, 12) FROM main.sqlite_schema WHERE type = 'view'"
                               " AND sql LIKE 'CREATE VIEW %' ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        return fail(err, cap, "views", db);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        strbuf v = STRBUF_INIT;
        strbuf_printf(&v, "CREATE TEMP VIEW %s", (const char *)sqlite3_column_text(st, 1));
        rc = run(db, &v, (const char *)sqlite3_column_text(st, 0), err, cap);
    }
    sqlite3_finalize(st);
    return rc;
}

int db_known_off(sqlite3 *db) {
    /* what db_known_on made, dropped newest first (views use the temp tables and each
     * other) */
    for (;;) {
        sqlite3_stmt *st;
        char sql[200];
        if (sqlite3_prepare_v2(db, "SELECT type, name FROM temp.sqlite_schema WHERE type = 'view'"
                                   " OR (type = 'table' AND name LIKE 'yj\\_known\\_%' ESCAPE '\\')"
                                   " ORDER BY rowid DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK) return -1;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            snprintf(sql, sizeof sql, "DROP %s temp.\"%s\"", !strcmp((const char *)sqlite3_column_text(st, 0), "view")
                     ? "VIEW" : "TABLE", (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) return 0;
        if (rc != SQLITE_ROW || sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) return -1;
    }
}
