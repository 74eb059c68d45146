/* imp_flush.c — the import's WAL writes started early (Linux): SQLite writes a loaded
 * page into the WAL during the load and syncs the WAL once before the checkpoint that
 * follows the COMMIT; that sync used to find every page still to be written (80 MB for
 * 1 M inspections). Here the parsing thread asks the kernel to start writing the WAL
 * (sync_file_range SYNC_FILE_RANGE_WRITE, which does not wait and changes no file
 * content) while the load goes on (imp_pipe.c). What is written, when SQLite syncs, and
 * what a crash leaves are all unchanged. The database file's own writes at the
 * checkpoint are not started early: SQLite offers no descriptor of it, and an fd of
 * ours on it could not be closed without dropping SQLite's POSIX locks. Elsewhere:
 * nothing. */
#define _GNU_SOURCE          /* sync_file_range */
#include <fcntl.h>
#include <unistd.h>

#include "imp_int.h"

#ifdef SYNC_FILE_RANGE_WRITE

int imp_flush_wal_open(sqlite3 *db) {
    /* the WAL holds no POSIX lock of SQLite's (those are on the database and -shm):
     * an fd of ours on it may be closed without dropping any */
    const char *name = sqlite3_db_filename(db, "main");
    return name && *name ? open(sqlite3_filename_wal(name), O_RDONLY | O_CLOEXEC) : -1;
}

void imp_flush_start(int fd) {
    if (fd >= 0) (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

#else

int imp_flush_wal_open(sqlite3 *db) { (void)db; return -1; }
void imp_flush_start(int fd) { (void)fd; }

#endif
