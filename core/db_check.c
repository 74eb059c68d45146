/* db_check.c — the consistency check behind `yingji info --check` (see db_check.h).
 * Read-only: it never repairs, it names what is wrong and where. */
#include <stdarg.h>
#include <string.h>

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
    fprintf(k->out, "%s: ", k->label);
    va_start(ap, fmt);
    vfprintf(k->out, fmt, ap);
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

/* The orphans the schema does not forbid (inspections carry no foreign keys for speed;
 * batches are never declared as foreign keys). Each query counts the bad rows. */
static const struct { const char *what, *sql; } orphans[] = {
    {"accidents without their unit", "SELECT count(*) FROM accidents WHERE unit_id NOT IN (SELECT id FROM units)"},
    {"inspections without their unit", "SELECT count(*) FROM inspections WHERE unit_id NOT IN (SELECT id FROM units)"},
    {"assessments without their unit", "SELECT count(*) FROM assessments WHERE unit_id NOT IN (SELECT id FROM units)"},
    {"targets without their unit", "SELECT count(*) FROM targets WHERE unit_id NOT IN (SELECT id FROM units)"},
    {"task_units without their unit", "SELECT count(*) FROM task_units WHERE unit_id NOT IN (SELECT id FROM units)"},
    {"unit_aliases without their unit", "SELECT count(*) FROM unit_aliases WHERE unit_id NOT IN (SELECT id FROM units)"},
    {"task_units without their task", "SELECT count(*) FROM task_units x WHERE NOT EXISTS"
                                      " (SELECT 1 FROM tasks t WHERE t.year = x.year AND t.no = x.no)"},
    {"accidents with an unknown sector", "SELECT count(*) FROM accidents WHERE sector NOT IN (SELECT code FROM sectors)"},
    {"inspections with an unknown sector", "SELECT count(*) FROM inspections WHERE sector NOT IN (SELECT code FROM sectors)"},
    {"records whose batch names no import",
     "SELECT (SELECT count(*) FROM units WHERE batch NOT IN (SELECT id FROM imports))"
     " + (SELECT count(*) FROM accidents WHERE batch NOT IN (SELECT id FROM imports))"
     " + (SELECT count(*) FROM inspections WHERE batch NOT IN (SELECT id FROM imports))"
     " + (SELECT count(*) FROM assessments WHERE batch NOT IN (SELECT id FROM imports))"
     " + (SELECT count(*) FROM targets WHERE batch NOT IN (SELECT id FROM imports))"
     " + (SELECT count(*) FROM tasks WHERE batch NOT IN (SELECT id FROM imports))"},
    {"revisions pointing nowhere",
     "SELECT count(*) FROM revisions WHERE old_batch NOT IN (SELECT id FROM imports)"
     " OR new_batch NOT IN (SELECT id FROM imports)"
     " OR dataset NOT IN ('units','accidents','inspections','assessments','targets','tasks')"},
};

static void orphan_checks(checker *k) {
    for (size_t i = 0; i < sizeof orphans / sizeof orphans[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(k->db, orphans[i].sql, -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW) {
            cannot(k, orphans[i].what);
            sqlite3_finalize(st);
            continue;
        }
        long long n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (n) { say(k, "orphans: %lld %s", n, orphans[i].what); k->problems++; }
    }
}

long db_check(sqlite3 *db, const char *path, FILE *out) {
    checker k = {db, path ? path : "check", out, 0};
    /* Reading the schema first: a file that is not a database fails here, by name. */
    int have = db_schema_version(db), want = db_schema_latest();
    if (have < 0) {
        say(&k, "cannot read the database: %s", sqlite3_errmsg(db));
        return k.problems + 1;
    }
    pragma_rows(&k, "integrity", "PRAGMA integrity_check(100)", 1);
    if (k.problems) return k.problems;     /* the rest would read damaged pages */
    pragma_rows(&k, "foreign keys", "PRAGMA foreign_key_check", 0);
    if (have != want) {
        say(&k, "schema version %d, this yingji needs %d (run 'yingji init')", have, want);
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
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(out, "%s: cannot open: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
        problems = 1;
    } else {
        sqlite3_busy_timeout(db, 10000);
        problems = db_check(db, path, out);
    }
    sqlite3_close(db);
    if (problems) fprintf(out, "%s: %ld problem%s\n", path, problems, problems == 1 ? "" : "s");
    else fprintf(out, "%s: ok\n", path);
    return problems ? -1 : 0;
}
