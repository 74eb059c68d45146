/* test_db.c — the database opens, migrates once, and refuses what it should. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "db.h"

int main(void) {
    char path[] = "/tmp/yj_test_db_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);

    sqlite3 *db;
    char *err = NULL;
    CHECK(db_open(path, DB_READONLY, &db, &err) != 0, "read-only open of a missing file fails");
    free(err);
    CHECK(db_open(path, DB_READWRITE | DB_CREATE, &db, &err) == 0, "create and migrate");
    CHECK(sqlite3_db_mutex(db) != NULL, "a writing connection keeps its mutex (the import's threads)");
    CHECK(db_schema_version(db) == db_schema_latest(), "schema is current after open");
    CHECK(db_schema_latest() >= 1, "at least one migration");
    CHECK(db_migrate(db, &err) == 0, "migrating again is a no-op");
    sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
    CHECK(db_migrate(db, &err) != 0 && err && strstr(err, "newer"), "a newer schema is refused");
    free(err);
    {   /* what is wrong, in words: this yingji's own schema version, no 'yingji init' loop */
        char why[300], want[64];
        CHECK(db_schema_problem(db, 999, why, sizeof why) == DB_UNUSABLE, "schema 999: unusable");
        snprintf(want, sizeof want, "with schema %d", db_schema_latest());
        CHECK(strstr(why, "made by a newer yingji (schema 999)") && strstr(why, want) && !strstr(why, "init"),
              "schema 999: made by a newer yingji, names this one's schema, no init advice");
        CHECK(db_schema_problem(db, -1, why, sizeof why) == DB_UNUSABLE && strstr(why, "not a yingji database") &&
              !strstr(why, "not an error"), "user_version -1: not a yingji database");
        CHECK(db_schema_problem(db, db_schema_latest(), why, sizeof why) == DB_CURRENT && !why[0], "current");
        CHECK(db_schema_problem(db, 1, why, sizeof why) == (db_schema_latest() > 1 ? DB_OLDER : DB_CURRENT),
              "schema 1: older (migrating helps)");
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_latest());
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(db_open(path, DB_READONLY, &db, &err) == 0, "read-only open of a current database");
    CHECK(db_schema_version(db) == db_schema_latest(), "… which reads its schema version");
    /* one thread uses a read-only connection: SQLite's per-call mutex (every
     * sqlite3_column_* call takes it) is not needed there */
    CHECK(sqlite3_db_mutex(db) == NULL, "… without a mutex of its own (SQLITE_OPEN_NOMUTEX)");
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_latest() - 1);
    sqlite3_exec(db, sql, NULL, NULL, NULL);   /* refused: the connection is read-only */
    sqlite3_close(db);
    sqlite3_open(path, &db);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    err = NULL;
    CHECK(db_open(path, DB_READONLY, &db, &err) != 0 && err && strstr(err, "yingji init"),
          "read-only open of an older schema is refused and says to run init");
    free(err);

    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path); unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path); unlink(wal);
    return check_failures() != 0;
}
