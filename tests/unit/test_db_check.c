/* test_db_check.c — db_check on an in-memory database: clean after migration; each kind
 * of orphan found and counted once; no statement left open (sqlite3_close succeeds). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "db_check.h"

/* Runs db_check with its report in a memory buffer; returns the problem count. */
static long run(sqlite3 *db, char **report) {
    size_t n;
    FILE *f = open_memstream(report, &n);
    long problems = db_check(db, "m", f);
    fclose(f);
    return problems;
}

static void exec(sqlite3 *db, const char *sql) {
    char *e = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, e); abort(); }
}

int main(void) {
    sqlite3 *db;
    char *err = NULL, *report = NULL;
    CHECK(db_open(":memory:", DB_READWRITE | DB_CREATE, &db, &err) == 0, "an in-memory database");
    CHECK(run(db, &report) == 0, "a fresh database has no problems");
    CHECK(strstr(report, "m: integrity: ok\n") && strstr(report, "m: orphans: none\n"), "its report says so");
    free(report);

    exec(db, "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)"
             " VALUES (1, 'units', 'u.csv', '', 'utf-8', '2020-01-01');"
             "INSERT INTO units(id, code, name, kind, batch) VALUES (1, 'T01', '甲镇', 'township', 1);"
             "PRAGMA foreign_keys = OFF;"
             "INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, hazards_found, batch)"
             " VALUES ('a', '2020-01-01', 7, 'road', 'x', 0, 1), ('b', '2020-01-02', 8, 'nosuch', 'y', 0, 1);"
             "INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, level, batch)"
             " VALUES ('s', '2020-01-01', 1, 'road', 0, '一般', 9);");
    CHECK(run(db, &report) == 3, "three kinds of problem counted once each");
    CHECK(strstr(report, "m: orphans: 2 inspections without their unit\n") != NULL, "inspections without their unit");
    CHECK(strstr(report, "m: orphans: 1 inspections with an unknown sector\n") != NULL, "an unknown sector");
    CHECK(strstr(report, "m: orphans: 1 records whose batch names no import\n") != NULL, "a batch naming no import");
    free(report);
    CHECK(sqlite3_next_stmt(db, NULL) == NULL, "no statement left open");
    CHECK(sqlite3_close(db) == SQLITE_OK, "the connection closes");

    /* every kind of orphan at once: the registry-built queries, in the report's order */
    CHECK(db_open(":memory:", DB_READWRITE | DB_CREATE, &db, &err) == 0, "another in-memory database");
    exec(db, "PRAGMA foreign_keys = OFF;"
             "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)"
             " VALUES (1, 'units', 'u.csv', '', 'utf-8', '2020-01-01');"
             "INSERT INTO units(id, code, name, kind, batch) VALUES (1, 'T01', '甲镇', 'township', 1);"
             "INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, level, batch)"
             " VALUES ('s', '2020-01-01', 9, 'nosuch', 0, '一般', 1);"
             "INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, hazards_found, batch)"
             " VALUES ('a', '2020-01-01', 9, 'nosuch', 'x', 0, 1);"
             "INSERT INTO assessments(year, unit_id, indicator, value, batch) VALUES (2020, 9, 'x', 1, 1);"
             "INSERT INTO targets(year, unit_id, indicator, value, batch) VALUES (2020, 9, 'x', 1, 1);"
             "INSERT INTO tasks(year, no, title, batch) VALUES (2020, 1, 't', 7);"
             "INSERT INTO task_units(year, no, unit_id, role) VALUES (2020, 1, 9, 'lead'), (2020, 2, 1, 'lead');"
             "INSERT INTO unit_aliases(alias, unit_id) VALUES ('x', 9);"
             "INSERT INTO revisions(dataset, record_key, old_values, old_batch, new_batch)"
             " VALUES ('nosuch', 'k', '{}', 1, 1);");
    long found = run(db, &report);
    CHECK(found >= 11, "eleven kinds of orphan at least (%ld problems)", found);
    const char *want =
        "m: orphans: 1 accidents without their unit\n"
        "m: orphans: 1 inspections without their unit\n"
        "m: orphans: 1 assessments without their unit\n"
        "m: orphans: 1 targets without their unit\n"
        "m: orphans: 1 task_units without their unit\n"
        "m: orphans: 1 unit_aliases without their unit\n"
        "m: orphans: 1 task_units without their task\n"
        "m: orphans: 1 accidents with an unknown sector\n"
        "m: orphans: 1 inspections with an unknown sector\n"
        "m: orphans: 1 records whose batch names no import\n"
        "m: orphans: 1 revisions pointing nowhere\n";
    CHECK(report && strstr(report, want) != NULL, "each named, in the report's order");
    if (report && !strstr(report, want)) fputs(report, stdout);
    free(report);
    CHECK(sqlite3_close(db) == SQLITE_OK, "that connection closes too");
    return check_failures() != 0;
}
