/* out_file.c — outputs written to a temp file beside the target and renamed over it
 * (see out_file.h): temp naming, stale-temp sweeping, commit and abort, and the check
 * that an output is not the database SQLite holds open. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "out_file.h"

#define TMP_TAG ".yingji-tmp-"

/* {==== names ============================================================== */

/* Splits path into its folder (malloc'd, "." when none) and its last component. */
static char *folder_of(const char *path, const char **base) {
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!slash) return strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) { memcpy(d, path, n); d[n] = '\0'; }
    return d;
}

/* The temp name for target base in dir, try k (0: no -N), into a malloc'd string. The
 * base is cut (at a UTF-8 boundary) so that the name and SQLite's "-journal" fit. */
static char *tmp_name(const char *dir, const char *base, int k) {
    size_t bl = strlen(base), room = NAME_MAX - 48;
    if (bl > room) {
        bl = room;
        while (bl > 0 && ((unsigned char)base[bl] & 0xC0) == 0x80) bl--;
    }
    size_t cap = strlen(dir) + bl + 64;
    char *t = malloc(cap);
    if (!t) return NULL;
    if (k) snprintf(t, cap, "%s/%.*s" TMP_TAG "%ld-%d", dir, (int)bl, base, (long)getpid(), k);
    else snprintf(t, cap, "%s/%.*s" TMP_TAG "%ld", dir, (int)bl, base, (long)getpid());
    return t;
}

/* The process id in a temp's name, or 0 when name is not one of ours. Accepts
 * BASE.yingji-tmp-PID, then optionally -N and/or SQLite's -journal, -wal, -shm. */
static long tmp_owner(const char *name) {
    const char *tag = strstr(name, TMP_TAG);
    if (!tag || tag == name) return 0;
    const char *p = tag + strlen(TMP_TAG);
    char *end;
    long pid = strtol(p, &end, 10);
    if (end == p || pid <= 0) return 0;
    if (*end == '-' && end[1] >= '0' && end[1] <= '9') {
        strtol(end + 1, &end, 10);
    }
    if (*end && strcmp(end, "-journal") && strcmp(end, "-wal") && strcmp(end, "-shm")) return 0;
    return pid;
}

static int alive(long pid) {
    if (pid == (long)getpid()) return 1;
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int out_sweep(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = tmp_owner(e->d_name);
        if (!pid || alive(pid)) continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0) removed++;
    }
    closedir(d);
    return removed;
}

/* }==== */

/* {==== writing ============================================================ */

static void release(out_file *f) {
    free(f->path);
    free(f->tmp);
    f->path = f->tmp = NULL;
    f->fd = -1;
}

int out_open(out_file *f, const char *path, char *err, size_t errlen) {
    f->fd = -1;
    f->path = f->tmp = NULL;
    const char *base;
    char *dir = folder_of(path, &base);
    if (!dir || !(f->path = strdup(path))) {
        free(dir);
        release(f);
        snprintf(err, errlen, _("%s: out of memory"), path);
        return -1;
    }
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        free(dir);
        release(f);
        snprintf(err, errlen, _("%s: not a file name"), path);
        return -1;
    }
    out_sweep(dir);
    for (int k = 0; k < 100 && f->fd < 0; k++) {
        free(f->tmp);
        if (!(f->tmp = tmp_name(dir, base, k))) { errno = ENOMEM; break; }
        f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (f->fd < 0 && errno != EEXIST) break;
    }
    free(dir);
    if (f->fd < 0) {
        snprintf(err, errlen, _("%s: cannot create a file beside it: %s"), path, strerror(errno));
        release(f);
        return -1;
    }
    return 0;
}

int out_write(out_file *f, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(f->fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

void out_abort(out_file *f) {
    if (f->fd >= 0) close(f->fd);
    if (f->tmp) unlink(f->tmp);
    release(f);
}

/* fsync of the folder holding path, so that the rename itself survives a crash. */
static void sync_folder(const char *path) {
    const char *base;
    char *dir = folder_of(path, &base);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) { fsync(fd); close(fd); }
    free(dir);
}

int out_commit(out_file *f, int flags, char *err, size_t errlen) {
    int rc = -1;
    if (fsync(f->fd) != 0 && errno != EINVAL) {
        snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
        goto fail;
    }
    int c = close(f->fd);
    f->fd = -1;
    if (c != 0) { snprintf(err, errlen, "%s: %s", f->path, strerror(errno)); goto fail; }
    if (flags & OUT_NOREPLACE) {
        /* link() fails with EEXIST where rename() would replace; on a file system without
         * hard links (EPERM, ENOTSUP...), a rename after checking is the best there is */
        int e = link(f->tmp, f->path) == 0 ? 0 : errno;
        if (!e) {
            unlink(f->tmp);
        } else if (e == EEXIST || access(f->path, F_OK) == 0) {
            snprintf(err, errlen, _("%s: already exists"), f->path);
            goto fail;
        } else if (e != EPERM && e != ENOTSUP && e != ENOSYS) {
            snprintf(err, errlen, "%s: %s", f->path, strerror(e));
            goto fail;
        } else if (rename(f->tmp, f->path) != 0) {
            snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
            goto fail;
        }
    } else if (rename(f->tmp, f->path) != 0) {
        snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
        goto fail;
    }
    sync_folder(f->path);
    rc = 0;
    release(f);
    return rc;
fail:
    out_abort(f);
    return rc;
}

/* }==== */

/* {==== the database's own files =========================================== */

/* path with its folder resolved, and the last component too when it is a symlink
 * (realpath; a dangling link stays as it is). 0, or -1 when the folder does not exist. */
static int resolved(const char *path, char out[PATH_MAX]) {
    const char *base;
    char *dir = folder_of(path, &base);
    char real[PATH_MAX];
    int ok = dir && realpath(dir, real) && strlen(real) + strlen(base) + 2 <= PATH_MAX;
    free(dir);
    if (!ok) return -1;
    size_t rl = strcmp(real, "/") ? strlen(real) : 0, bl = strlen(base);   /* fits: checked */
    memcpy(out, real, rl);
    out[rl] = '/';
    memcpy(out + rl + 1, base, bl + 1);
    char target[PATH_MAX];
    struct stat st;
    if (lstat(out, &st) == 0 && S_ISLNK(st.st_mode) && realpath(out, target))
        memcpy(out, target, strlen(target) + 1);
    return 0;
}

static int same_inode(const struct stat *a, const struct stat *b) {
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int out_is_db_file(const char *path, const char *db_path) {
    if (!path || !db_path || !*db_path || !strcmp(db_path, ":memory:")) return 0;
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    char want[PATH_MAX], got[PATH_MAX], db[PATH_MAX];
    struct stat out_l, out_s, st;
    int have_l = lstat(path, &out_l) == 0, have_s = stat(path, &out_s) == 0;
    int have_name = resolved(path, got) == 0;
    /* the database as named, and as resolved when it is a symlink (SQLite puts its
     * -wal and -shm beside the file the link points to) */
    const char *dbs[2] = { db_path, realpath(db_path, db) ? db : NULL };
    for (int j = 0; j < 2; j++) {
        if (!dbs[j]) continue;
        for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
            char name[PATH_MAX + 16];
            snprintf(name, sizeof name, "%s%s", dbs[j], suffix[i]);
            if (stat(name, &st) == 0 &&
                ((have_l && same_inode(&out_l, &st)) || (have_s && same_inode(&out_s, &st))))
                return 1;
            if (have_name && strlen(name) < PATH_MAX && resolved(name, want) == 0 &&
                !strcmp(want, got))
                return 1;
        }
    }
    return 0;
}

/* Is the open file fd (a regular file) path itself, or does path name its -wal, -shm or
 * -journal companion? got: path resolved (NULL when its folder is missing). */
static int fd_hit(int fd, const struct stat *out_l, const struct stat *out_s, const char *got) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    if ((out_l && same_inode(out_l, &st)) || (out_s && same_inode(out_s, &st))) return 1;
    char link[64], name[PATH_MAX], want[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = got ? readlink(link, name, sizeof name - 16) : -1;
    if (n <= 0) return 0;
    name[n] = '\0';
    static const char *const suffix[] = { "-wal", "-shm", "-journal" };
    size_t k = (size_t)n;
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        memcpy(name + k, suffix[i], strlen(suffix[i]) + 1);
        if (resolved(name, want) == 0 && !strcmp(want, got)) return 1;
    }
    return 0;
}

int out_is_open_file(const char *path) {
    if (!path) return 0;
    struct stat out_l, out_s;
    char got[PATH_MAX];
    int have_l = lstat(path, &out_l) == 0, have_s = stat(path, &out_s) == 0;
    const char *g = resolved(path, got) == 0 ? got : NULL;
    const struct stat *l = have_l ? &out_l : NULL, *st = have_s ? &out_s : NULL;
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        struct dirent *e;
        int hit = 0;
        while (!hit && (e = readdir(d)))
            if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
                hit = fd_hit(atoi(e->d_name), l, st, g);
        closedir(d);
        return hit;
    }
    for (int fd = 0; fd < 1024; fd++)   /* no /proc: device and inode only */
        if (fd_hit(fd, l, st, NULL)) return 1;
    return 0;
}

/* }==== */
