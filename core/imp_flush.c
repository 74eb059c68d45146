/* imp_flush.c — the import's disk writes started early (Linux): SQLite writes a loaded
 * page twice, into the WAL during the load and into the database at the checkpoint that
 * follows the COMMIT, and syncs each file once before going on (fdatasync of the WAL
 * before the checkpoint copies, of the database before the WAL is reset). Both syncs
 * used to find every page still to be written: 2 x 80 MB for 1 M inspections, 0.35 s
 * the importer only waited. Here the kernel is asked to start writing (sync_file_range
 * SYNC_FILE_RANGE_WRITE, which does not wait and changes no file content) while the
 * work goes on: the WAL from the parsing thread during the load (imp_pipe.c), the
 * database from a helper thread while the checkpoint copies. What is written, when
 * SQLite syncs, and what a crash leaves are all unchanged. Elsewhere: nothing. */
#define _GNU_SOURCE          /* sync_file_range */
#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <sys/stat.h>
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

/* SQLite's own descriptor of the database file, or -1. Not an fd of ours: closing any
 * descriptor of the database would drop SQLite's POSIX locks on it. The unix VFS's file
 * object starts {methods, vfs, inode, fd}; the fd is used only when it is the file of
 * that name (same device and inode), so another layout or VFS gives -1. */
static int db_fd(sqlite3 *db) {
    sqlite3_file *f = NULL;
    sqlite3_vfs *vfs = NULL;
    const char *name = sqlite3_db_filename(db, "main");
    struct stat a, b;
    if (!name || !*name || sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
        !vfs || strncmp(vfs->zName, "unix", 4) ||
        sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
        return -1;
    struct { const sqlite3_io_methods *m; sqlite3_vfs *vfs; void *inode; int h; } const *u = (const void *)f;
    if (u->vfs != vfs || u->h < 0 || fstat(u->h, &a) != 0 || stat(name, &b) != 0 ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return -1;
    return u->h;
}

/* The helper thread: starts the database's writeback every 5 ms until told to stop. */
typedef struct {
    int fd;
    int stop;
    GMutex mu;
    GCond cv;
} flusher;

static gpointer flush_main(gpointer data) {
    flusher *f = data;
    g_mutex_lock(&f->mu);
    while (!f->stop) {
        g_mutex_unlock(&f->mu);
        imp_flush_start(f->fd);
        g_mutex_lock(&f->mu);
        gint64 until = g_get_monotonic_time() + 5000;
        while (!f->stop && g_cond_wait_until(&f->cv, &f->mu, until)) {}
    }
    g_mutex_unlock(&f->mu);
    return NULL;
}

typedef struct {
    int every;          /* the connection's wal_autocheckpoint */
} hook_arg;

/* SQLite's auto-checkpoint, as sqlite3WalDefaultHook runs it after a commit (a PASSIVE
 * checkpoint once the WAL holds `every` frames), with the flusher running alongside. */
static int wal_hook(void *arg, sqlite3 *db, const char *schema, int frames) {
    const hook_arg *h = arg;
    if (h->every <= 0 || frames < h->every) return SQLITE_OK;
    flusher f = {db_fd(db), 0, {0}, {0}};
    GThread *t = NULL;
    if (f.fd >= 0) {
        g_mutex_init(&f.mu);
        g_cond_init(&f.cv);
        t = g_thread_try_new("yingji-flush", flush_main, &f, NULL);
    }
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (t) {
        g_mutex_lock(&f.mu);
        f.stop = 1;
        g_cond_signal(&f.cv);
        g_mutex_unlock(&f.mu);
        g_thread_join(t);
    }
    if (f.fd >= 0) {
        g_mutex_clear(&f.mu);
        g_cond_clear(&f.cv);
    }
    return SQLITE_OK;
}

int imp_flush_commit(sqlite3 *db) {
    sqlite3_stmt *st;
    hook_arg h = {0};
    if (sqlite3_prepare_v2(db, "PRAGMA wal_autocheckpoint", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) h.every = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_wal_hook(db, wal_hook, &h);
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_wal_autocheckpoint(db, h.every);        /* SQLite's own hook again */
    return rc;
}

#else

int imp_flush_wal_open(sqlite3 *db) { (void)db; return -1; }
void imp_flush_start(int fd) { (void)fd; }
int imp_flush_commit(sqlite3 *db) { return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL); }

#endif
