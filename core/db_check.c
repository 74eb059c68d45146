/* db_check.c — the consistency check behind `yingji info --check` (see db_check.h).
 * Read-only: it never repairs, it names what is wrong and where. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "dataset.h"
#include "db.h"
#include "db_check.h"

typedef struct {
    sqlite3 *db;
    const char *label;
    FILE *out;
    long problems;
} checker;

static void say(checker *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(checker *k, const char *fmt, ...) {
    va_list ap;
    fprintf(k->out, _("%s: "), k->label);
    va_start(ap, fmt);
    vfprintf(k->out, gettext(fmt), ap);     /* fmt: in po/yingji.pot (po/extract.sh) */
    va_end(ap);
    fputc('\n', k->out);
}

/* A check that cannot run (the file is not readable as a database) is a problem. */
static void cannot(checker *k, const char *what) {
    say(k, "%s: cannot check: %s", what, sqlite3_errmsg(k->db));
    k->problems++;
}

static const char *text(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "?";
}

/* Runs a PRAGMA whose healthy answer is the single row "ok" (integrity_check) or no
 * rows at all (foreign_key_check); every other row is printed as a problem. */
static void pragma_rows(checker *k, const char *what, const char *sql, int ok_row) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(k->db, sql, -1, &st, NULL) != SQLITE_OK) { cannot(k, what); return; }
    int rc, bad = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *first = (const char *)sqlite3_column_text(st, 0);
        if (ok_row && first && !strcmp(first, "ok")) continue;
        if (ok_row) say(k, "%s: %s", what, first ? first : "NULL");
        else if (sqlite3_column_type(st, 1) == SQLITE_NULL)   /* a WITHOUT ROWID table */
            say(k, "%s: a %s row refers to a missing %s row", what, first ? first : "?", text(st, 2));
        else
            say(k, "%s: %s rowid %lld refers to a missing %s row", what, first ? first : "?",
                sqlite3_column_int64(st, 1), text(st, 2));
        bad++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { cannot(k, what); return; }
    if (!bad) say(k, "%s: ok", what);
    k->problems += bad;
}

/* Runs one orphan query (it counts the bad rows; ?1 bound to bind when not NULL): a
 * count names what is wrong, or when sum is given, is added to *sum. 0, or -1 when the
 * query cannot run (reported as a problem). */
static int orphan(checker *k, const char *what, const char *sql, const char *bind, long long *sum) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(k->db, sql, -1, &st, NULL) != SQLITE_OK ||
        (bind && sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC) != SQLITE_OK) ||
        sqlite3_step(st) != SQLITE_ROW) {
        cannot(k, what);
        sqlite3_finalize(st);
        return -1;
    }
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (sum) *sum += n;
    else if (n) { say(k, "orphans: %lld %s", n, what); k->problems++; }
    return 0;
}

/* The orphans the schema does not forbid (inspections carry no foreign keys for speed;
 * batches are never declared as foreign keys), from the dataset registry (dataset.h):
 * records whose required unit is missing, side table rows without their unit or their
 * record, unknown sectors, batches that name no import, revisions pointing nowhere. */
static void orphan_checks(checker *k) {
    char what[128], sql[512];
    int nds = imp_dataset_count();
    for (int d = 0; d < nds; d++) {                 /* records without their unit */
        const imp_dataset *ds = imp_dataset_at(d);
        for (int i = 0; i < ds->ncols; i++) {
            const imp_column *c = &ds->cols[i];
            if (c->type != IMP_UNIT || !(c->flags & IMP_REQ) || !c->db) continue;
            snprintf(what, sizeof what, _("%s without their unit"), ds->table);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s NOT IN (SELECT id FROM units)",
                     ds->table, c->db);
            orphan(k, what, sql, NULL, NULL);
        }
    }
    /* side tables: their unit, then their record; the last dataset first (task_units
     * before unit_aliases: the order this report has always had) */
    for (int pass = 0; pass < 2; pass++)
        for (int d = nds - 1; d >= 0; d--) {
            const imp_side *side = imp_dataset_at(d)->side;
            if (!side) continue;
            if (pass == 1) {
                if (side->orphan_sql) orphan(k, side->orphan_what, side->orphan_sql, NULL, NULL);
                continue;
            }
            snprintf(what, sizeof what, _("%s without their unit"), side->table);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE unit_id NOT IN (SELECT id FROM units)",
                     side->table);
            orphan(k, what, sql, NULL, NULL);
        }
    for (int d = 0; d < nds; d++) {                 /* unknown sectors */
        const imp_dataset *ds = imp_dataset_at(d);
        for (int i = 0; i < ds->ncols; i++) {
            const imp_column *c = &ds->cols[i];
            if (c->type != IMP_SECTOR || !c->db) continue;
            snprintf(what, sizeof what, _("%s with an unknown sector"), ds->table);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s NOT IN (SELECT code FROM sectors)",
                     ds->table, c->db);
            orphan(k, what, sql, NULL, NULL);
        }
    }
    long long batches = 0;                          /* batches: one count over the datasets */
    int ok = 1;
    for (int d = 0; d < nds && ok; d++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE batch NOT IN (SELECT id FROM imports)",
                 imp_dataset_at(d)->table);
        ok = orphan(k, "records whose batch names no import", sql, NULL, &batches) == 0;
    }
    if (ok && batches) { say(k, "orphans: %lld records whose batch names no import", batches); k->problems++; }
    orphan(k, "revisions pointing nowhere",
           "SELECT count(*) FROM revisions WHERE old_batch NOT IN (SELECT id FROM imports)"
           " OR new_batch NOT IN (SELECT id FROM imports)"
           " OR instr(' ' || ?1 || ' ', ' ' || dataset || ' ') = 0", imp_dataset_names(), NULL);
}

long db_check(sqlite3 *db, const char *path, FILE *out) {
    checker k = {db, path ? path : "check", out, 0};
    /* Reading the schema first: a file that is not a database fails here, by name. */
    int have = db_schema_version(db), want = db_schema_latest();
    if (have < 0) {
        char why[300];
        /* a file that is not SQLite at all: SQLite's own words (by its error code: the
         * message is translated) */
        if (db_schema_problem(db, have, why, sizeof why) == DB_UNUSABLE && sqlite3_errcode(db) != SQLITE_NOTADB)
            say(&k, "%s", why);
        else
            say(&k, "cannot read the database: %s", sqlite3_errmsg(db));
        return k.problems + 1;
    }
    pragma_rows(&k, _("integrity"), "PRAGMA integrity_check(100)", 1);
    if (k.problems) return k.problems;     /* the rest would read damaged pages */
    pragma_rows(&k, _("foreign keys"), "PRAGMA foreign_key_check", 0);
    char why[300];
    if (have != want && db_schema_problem(db, have, why, sizeof why) != DB_CURRENT) {
        say(&k, "%s", why);
        k.problems++;
        return k.problems;                 /* the orphan queries assume the current tables */
    }
    say(&k, "schema version %d: current", have);
    long before = k.problems;
    orphan_checks(&k);
    if (k.problems == before) say(&k, "orphans: none");
    return k.problems;
}

int db_check_path(const char *path, FILE *out) {
    sqlite3 *db = NULL;
    long problems;
    if (db_open_readonly_file(path, &db) != 0) {
        fprintf(out, _("%s: cannot open: %s\n"), path, db ? sqlite3_errmsg(db) : "out of memory");
        problems = 1;
    } else {
        sqlite3_busy_timeout(db, 10000);
        problems = db_check(db, path, out);
    }
    sqlite3_close(db);
    if (problems) fprintf(out, _("%s: %ld problem%s\n"), path, problems, problems == 1 ? "" : "s");
    else fprintf(out, _("%s: ok\n"), path);
    return problems ? -1 : 0;
}
