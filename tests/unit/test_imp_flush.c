/* test_imp_flush.c — the importer's early WAL writes (core/imp_flush.c): the descriptor
 * it opens is of the WAL file (on Linux), starting its writes changes nothing a reader
 * sees, and none is opened for a database without a file. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "imp_int.h"

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL); }

static long long count(sqlite3 *db) {
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int main(void) {
    char dir[] = "/tmp/yj_test_flush_XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char path[64], wal[80], shm[80];
    snprintf(path, sizeof path, "%s/db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    sqlite3 *db, *other;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK && exec(db, "PRAGMA journal_mode = WAL") == SQLITE_OK &&
          exec(db, "CREATE TABLE t(v BLOB)") == SQLITE_OK, "a WAL database");
    sqlite3_open(path, &other);

    int w = imp_flush_wal_open(db);
    struct stat a, b;
    int same = w >= 0 && fstat(w, &a) == 0 && stat(wal, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
#ifdef __linux__
    CHECK(same, "the descriptor is of the WAL file");
#else
    CHECK(w == -1 || same, "no descriptor where writes are not started early");
#endif
    /* writes started in the middle of a transaction, as the parsing thread does */
    CHECK(exec(db, "BEGIN IMMEDIATE") == SQLITE_OK, "a write transaction");
    for (int i = 0; i < 4; i++) {
        CHECK(exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                       "INSERT INTO t(v) SELECT randomblob(200) FROM n") == SQLITE_OK, "2000 rows");
        imp_flush_start(w);
    }
    CHECK(count(other) == 0, "another connection sees nothing before the COMMIT");
    CHECK(exec(db, "COMMIT") == SQLITE_OK, "committed");
    CHECK(count(db) == 8000 && count(other) == 8000, "every row, seen by another connection too");
    imp_flush_start(-1);       /* no descriptor: nothing */
    if (w >= 0) close(w);
    /* closing our descriptor of the WAL dropped none of SQLite's locks: another
     * connection still cannot write while this one holds the write lock */
    CHECK(exec(db, "BEGIN IMMEDIATE") == SQLITE_OK, "the write lock again");
    sqlite3_busy_timeout(other, 0);
    CHECK(exec(other, "BEGIN IMMEDIATE") == SQLITE_BUSY, "another connection is still kept out");
    exec(db, "COMMIT");

    sqlite3 *mem;
    sqlite3_open(":memory:", &mem);
    CHECK(imp_flush_wal_open(mem) == -1, "an in-memory database: no WAL descriptor");
    sqlite3_close(mem);

    sqlite3_close(other);
    sqlite3_close(db);
    unlink(wal);
    unlink(shm);
    unlink(path);
    rmdir(dir);
    return check_failures() != 0;
}
