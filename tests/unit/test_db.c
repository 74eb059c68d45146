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
    CHECK(db_schema_version(db) == db_schema_latest(), "schema is current after open");
    CHECK(db_schema_latest() >= 1, "at least one migration");
    CHECK(db_migrate(db, &err) == 0, "migrating again is a no-op");
    sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
    CHECK(db_migrate(db, &err) != 0 && err && strstr(err, "newer"), "a newer schema is refused");
    free(err);
    sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(db_open(path, DB_READONLY, &db, &err) == 0 || db_schema_latest() != 1,
          "read-only open of a current database");
    sqlite3_close(db);

    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path); unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path); unlink(wal);
    return check_failures() != 0;
}
