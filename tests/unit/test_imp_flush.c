/* test_imp_flush.c — the importer's early disk writes (core/imp_flush.c): the COMMIT
 * it runs checkpoints exactly when SQLite's auto-checkpoint would (the WAL holds at
 * least wal_autocheckpoint frames; never when that is 0), leaves the connection's
 * setting and SQLite's own hook as they were, and keeps every row; the WAL descriptor
 * is of the WAL, and none is opened for a database without a file. */
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

static int pragma_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A transaction of rows rows of 200 bytes (about 20 rows a page), committed by
 * imp_flush_commit. Returns its result. */
static int load(sqlite3 *db, int rows) {
    exec(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES(randomblob(200))", -1, &st, NULL);
    for (int i = 0; i < rows; i++) { sqlite3_step(st); sqlite3_reset(st); }
    sqlite3_finalize(st);
    return imp_flush_commit(db);
}

int main(void) {
    char dir[] = "/tmp/yj_test_flush_XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char path[64], wal[80];
    snprintf(path, sizeof path, "%s/db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    sqlite3 *db, *other;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK && exec(db, "PRAGMA journal_mode = WAL") == SQLITE_OK &&
          exec(db, "CREATE TABLE t(v BLOB)") == SQLITE_OK, "a WAL database");
    /* a reader on another connection keeps the WAL file from being reset under us */
    sqlite3_open(path, &other);

    /* in WAL mode the database file grows only when a checkpoint copies pages into it */
    struct stat before, after;
    /* below the threshold: no checkpoint, as SQLite would not */
    exec(db, "PRAGMA wal_autocheckpoint = 1000");
    stat(path, &before);
    CHECK(load(db, 2000) == SQLITE_OK, "a commit of ~100 pages, threshold 1000");
    stat(path, &after);
    CHECK(after.st_size == before.st_size, "not checkpointed (the database file did not grow)");
    CHECK(pragma_int(db, "PRAGMA wal_autocheckpoint") == 1000, "the setting is kept (1000)");

    /* at the threshold: checkpointed by the commit itself */
    exec(db, "PRAGMA wal_autocheckpoint = 200");
    stat(path, &before);
    CHECK(load(db, 8000) == SQLITE_OK, "a commit of ~400 pages, threshold 200");
    stat(path, &after);
    CHECK(after.st_size >= before.st_size + 450 * 4096, "checkpointed: both commits' pages in the database "
          "file (%lld -> %lld bytes)", (long long)before.st_size, (long long)after.st_size);
    CHECK(pragma_int(db, "PRAGMA wal_autocheckpoint") == 200, "the setting is kept (200)");
    /* SQLite's own hook is back: a plain COMMIT over the threshold checkpoints too */
    stat(path, &before);
    exec(db, "BEGIN; INSERT INTO t(v) SELECT randomblob(200) FROM t LIMIT 8000; COMMIT");
    stat(path, &after);
    CHECK(after.st_size >= before.st_size + 350 * 4096, "SQLite's auto-checkpoint runs again after it");

    /* auto-checkpoint off: the commit leaves the WAL alone */
    exec(db, "PRAGMA wal_autocheckpoint = 0");
    stat(path, &before);
    CHECK(load(db, 8000) == SQLITE_OK, "a commit of ~400 pages, auto-checkpoint off");
    stat(path, &after);
    CHECK(after.st_size == before.st_size, "not checkpointed (the database file did not grow)");
    CHECK(pragma_int(db, "PRAGMA wal_autocheckpoint") == 0, "the setting is kept (0)");
    CHECK(count(db) == 2000 + 8000 + 8000 + 8000 && count(other) == 26000, "every row, seen by another connection too");

    /* a failed COMMIT (no transaction) is reported as SQLite reports it */
    CHECK(imp_flush_commit(db) == SQLITE_ERROR, "COMMIT without a transaction: SQLITE_ERROR");

    /* the WAL descriptor */
    int w = imp_flush_wal_open(db);
    struct stat a, b;
    int same = w >= 0 && fstat(w, &a) == 0 && stat(wal, &b) == 0 && a.st_ino == b.st_ino;
#ifdef __linux__
    CHECK(same, "the descriptor is of the WAL file");
#else
    CHECK(w == -1 || same, "no descriptor where writes are not started early");
#endif
    imp_flush_start(w);
    imp_flush_start(-1);
    if (w >= 0) close(w);
    sqlite3 *mem;
    sqlite3_open(":memory:", &mem);
    CHECK(imp_flush_wal_open(mem) == -1, "an in-memory database: no WAL descriptor");
    sqlite3_close(mem);

    sqlite3_close(other);
    sqlite3_close(db);
    unlink(wal);
    char shm[80];
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(shm);
    unlink(path);
    rmdir(dir);
    return check_failures() != 0;
}
