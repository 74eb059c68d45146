/* test_strmap.c — util/strmap.c, the one hash map: keys inside the slot and copied
 * (16 bytes and longer), the first entry wins, growth keeps every entry, lookups of
 * absent keys and of an empty map; and imp_writer (the importer's path for rows that
 * are not a file): refused outside a transaction, rows converted and checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "imp_writer.h"
#include "strmap.h"

int main(void) {
    yj_strmap m = {0};
    CHECK(yj_strmap_get(&m, "x") == NULL, "an empty map has nothing");
    static int v[5000];
    char k[64];
    int ok = 1;
    for (int i = 0; i < 5000; i++) {
        snprintf(k, sizeof k, i % 2 ? "key-%d" : "a much longer key than sixteen bytes %d", i);
        if (yj_strmap_put(&m, k, &v[i]) != 0) ok = 0;
    }
    CHECK(ok && m.n == 5000, "5000 keys put (growing from 64 slots)");
    for (int i = 0; i < 5000 && ok; i++) {
        snprintf(k, sizeof k, i % 2 ? "key-%d" : "a much longer key than sixteen bytes %d", i);
        if (yj_strmap_get(&m, k) != &v[i]) ok = 0;
    }
    CHECK(ok, "each found after growth, short keys and long ones");
    CHECK(yj_strmap_put(&m, "key-1", &v[0]) == 0 && yj_strmap_get(&m, "key-1") == &v[1] && m.n == 5000,
          "the first entry wins");
    CHECK(yj_strmap_get(&m, "key-") == NULL && yj_strmap_get(&m, "") == NULL && yj_strmap_get(&m, "key-10000") == NULL,
          "absent keys are absent");
    CHECK(yj_strmap_put(&m, "", &v[2]) == 0 && yj_strmap_get(&m, "") == &v[2], "the empty key is a key");
    yj_strmap_free(&m);
    CHECK(m.n == 0 && m.cap == 0 && yj_strmap_get(&m, "key-1") == NULL, "freed: empty again");

    sqlite3 *db;
    char *dberr = NULL, err[512];
    CHECK(db_open(":memory:", DB_READWRITE | DB_CREATE, &db, &dberr) == 0, "an in-memory database");
    sqlite3_exec(db, "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)"
                     " VALUES (1, 'test', 'test', '', 'utf-8', '2020-01-01')", NULL, NULL, NULL);
    imp_writer *w = imp_writer_new(db, imp_dataset_find("units"), 1, err, sizeof err);
    const char *unit[] = {"T01", "甲镇", "乡镇", "甲、甲乡"};
    CHECK(w && imp_writer_row(w, unit, err, sizeof err) == -1 && strstr(err, "no transaction"),
          "a row outside a transaction is refused, said so");
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    CHECK(imp_writer_row(w, unit, err, sizeof err) == 0, "a unit stored in a transaction");
    const char *bad[] = {"T02", "乙镇", "village", NULL};
    CHECK(imp_writer_row(w, bad, err, sizeof err) == -1 && strstr(err, "kind: not one of the accepted values"),
          "a bad cell: the importer's reason (%s)", err);
    imp_writer_free(w);
    w = imp_writer_new(db, imp_dataset_find("accidents"), 1, err, sizeof err);
    const char *acc[16] = {"A1", "2020-01-05 8:00", NULL, "甲乡", "road", "3"};
    CHECK(w && imp_writer_row(w, acc, err, sizeof err) == 0, "an accident, its unit by alias");
    imp_writer_free(w);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT occurred_at || '|' || level || '|' || missing || '|' || report_status"
                           " FROM accidents", -1, &st, NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW &&
          !strcmp((const char *)sqlite3_column_text(st, 0), "2020-01-05 08:00:00|较大|0|normal"),
          "stored as an import stores it: time, derived level, defaults");
    sqlite3_finalize(st);
    CHECK(sqlite3_close(db) == SQLITE_OK, "nothing left open");
    return check_failures() != 0;
}
