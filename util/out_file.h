/* out_file.h — how yingji writes a file: never in place. Every output (a script's -o
 * document, charts_dir files, chart.save, archives, rejects files) is written to a new
 * temp file beside its target and renamed over the target once complete.
 *
 *     out_file f;
 *     if (out_open(&f, "dir/report.pdf", err, sizeof err) != 0) fail(err);
 *     ... out_write(&f, buf, n) (or let a library write f.tmp / f.fd) ...
 *     if (ok) rc = out_commit(&f, 0, err, sizeof err);   (fsync, rename, fsync dir)
 *     else out_abort(&f);                                  (unlink the temp)
 *
 * The temp is created with O_CREAT|O_EXCL|O_NOFOLLOW, so nothing planted at its name is
 * followed or reused; the rename replaces the target's directory entry, so a symlink or a
 * hard link planted at the target is replaced, never written through, and a reader never
 * sees half a file. A failed or killed write leaves the old target untouched.
 *
 * Temp names say what they are: DIR/BASE.yingji-tmp-PID (BASE shortened to fit a file
 * name; -N appended when that name is taken). out_open first removes such temps in DIR
 * whose process is gone (out_sweep), so a killed run leaves nothing behind for long; a
 * temp of a live process is never touched.
 *
 * This module knows nothing of the layers that use it (core/ and charts/ both do): it
 * lives in util/, below both.
 *
 * Errors (util's convention): 0, or -1 with the reason in the caller's buffer (err,
 * errlen: "PATH: ...") or errno where no buffer is passed; out of memory is such an
 * error, never an abort; nothing prints. (strbuf keeps a sticky err flag instead: a
 * writer checks once at the end.) */
#ifndef YJ_OUT_FILE_H
#define YJ_OUT_FILE_H

#include <stddef.h>

typedef struct out_file {
    int fd;       /* the open temp (write only), -1 once closed */
    char *path;   /* the target, malloc'd copy */
    char *tmp;    /* the temp beside it, malloc'd */
} out_file;

/* out_commit flags. */
enum { OUT_NOREPLACE = 1 };   /* fail with EEXIST instead of replacing an existing target */

/* Creates the temp for path (after sweeping stale temps from its folder). Returns 0, or
 * -1 with the reason in err ("PATH: ..."), f left closed (out_abort is harmless). */
int out_open(out_file *f, const char *path, char *err, size_t errlen);

/* Writes all n bytes to the temp. 0, or -1 with errno set. */
int out_write(out_file *f, const void *p, size_t n);

/* fsyncs and closes the temp, renames it over the target (OUT_NOREPLACE: only if the
 * target does not exist), fsyncs the folder. Returns 0, or -1 with the reason in err and
 * the temp removed. Either way f's memory is released. */
int out_commit(out_file *f, int flags, char *err, size_t errlen);

/* Closes and removes the temp and releases f. Accepts a closed or zeroed f. */
void out_abort(out_file *f);

/* Removes temps of dead processes (and SQLite's -journal/-wal/-shm beside them) from the
 * folder dir. Returns how many were removed. */
int out_sweep(const char *dir);

/* 1 when writing path would hit the SQLite database db_path: path is the database or its
 * -wal, -shm or -journal file, by name (after resolving folders and links) or as the same
 * file (device and inode: hard links, symlinks, other spellings). 0 otherwise. */
int out_is_db_file(const char *path, const char *db_path);

/* 1 when path is a file this process holds open (any SQLite database, its -wal or -shm,
 * the file standard output goes to...), by device and inode, or names the -wal, -shm or
 * -journal companion of one (resolved names; needs /proc/self/fd). 0 otherwise. */
int out_is_open_file(const char *path);

#endif
