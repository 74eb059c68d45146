/* test_out_file.c — util/out_file.c: outputs go to a temp beside the target and are
 * renamed over it; links planted at the target or at the temp's name are never written
 * through; stale temps of dead processes are swept, those of live ones kept; and an
 * output naming the database (any spelling, link, -wal/-shm/-journal) is recognised. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "out_file.h"

static char dir[] = "/tmp/yj_out_file_XXXXXX";

static const char *at(const char *name) {
    static char buf[4][PATH_MAX];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f) { fputs(text, f); fclose(f); }
}

static int holds(const char *path, const char *text) {
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return !strcmp(buf, text);
}

/* The number of names in dir containing "yingji-tmp". */
static int temps(void) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -c yingji-tmp", dir);
    FILE *p = popen(cmd, "r");
    int n = 0;
    if (p) { if (fscanf(p, "%d", &n) != 1) n = -1; pclose(p); }
    return n;
}

static int write_file(const char *path, const char *text, int flags) {
    out_file f;
    char err[512];
    if (out_open(&f, path, err, sizeof err) != 0) return -1;
    if (out_write(&f, text, strlen(text)) != 0) { out_abort(&f); return -1; }
    return out_commit(&f, flags, err, sizeof err);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!mkdtemp(dir)) return 1;
    char err[512];
    out_file f;

    CHECK(write_file(at("a.txt"), "one", 0) == 0 && holds(at("a.txt"), "one"),
          "a file is written and committed");
    CHECK(write_file(at("a.txt"), "two", 0) == 0 && holds(at("a.txt"), "two"),
          "and replaced by the next commit");
    CHECK(temps() == 0, "no temp is left after a commit");

    CHECK(out_open(&f, at("a.txt"), err, sizeof err) == 0 && temps() == 1,
          "while writing, one temp exists beside the target");
    char expect[PATH_MAX];
    snprintf(expect, sizeof expect, "%s/a.txt.yingji-tmp-%ld", dir, (long)getpid());
    CHECK_STR(f.tmp, expect, "the temp is named TARGET.yingji-tmp-PID");
    out_write(&f, "half", 4);
    out_abort(&f);
    CHECK(holds(at("a.txt"), "two") && temps() == 0, "an abort leaves the target and no temp");

    /* links planted at the target */
    put(at("victim"), "precious");
    CHECK(symlink(at("victim"), at("sym.txt")) == 0, "(a symlink planted at a target)");
    CHECK(write_file(at("sym.txt"), "new", 0) == 0 && holds(at("victim"), "precious"),
          "a symlink at the target is replaced, its target untouched");
    struct stat st;
    CHECK(lstat(at("sym.txt"), &st) == 0 && S_ISREG(st.st_mode), "the target is now a file");
    CHECK(link(at("victim"), at("hard.txt")) == 0, "(a hard link planted at a target)");
    CHECK(write_file(at("hard.txt"), "new", 0) == 0 && holds(at("victim"), "precious") &&
          holds(at("hard.txt"), "new"), "a hard link at the target is replaced, its target untouched");

    /* a symlink planted at the temp's own name is not followed: the next name is used */
    snprintf(expect, sizeof expect, "b.txt.yingji-tmp-%ld", (long)getpid());
    CHECK(symlink(at("victim"), at(expect)) == 0, "(a symlink planted at the temp's name)");
    CHECK(write_file(at("b.txt"), "bee", 0) == 0 && holds(at("b.txt"), "bee") &&
          holds(at("victim"), "precious"), "the planted temp name is not written through");
    unlink(at(expect));

    /* no replace */
    CHECK(write_file(at("b.txt"), "again", OUT_NOREPLACE) != 0 && holds(at("b.txt"), "bee"),
          "OUT_NOREPLACE keeps an existing target");
    CHECK(write_file(at("c.txt"), "sea", OUT_NOREPLACE) == 0 && holds(at("c.txt"), "sea"),
          "OUT_NOREPLACE writes a new one");
    CHECK(temps() == 0, "no temps left");

    /* a long name still gets a temp that fits */
    char longname[300];
    memset(longname, 'x', 250);
    strcpy(longname + 250, ".pdf");
    CHECK(write_file(at(longname), "long", 0) == 0 && holds(at(longname), "long"),
          "a 254-byte file name gets a temp that fits NAME_MAX");
    CHECK(out_open(&f, at("nodir/x.pdf"), err, sizeof err) != 0 && strstr(err, "nodir/x.pdf"),
          "a missing folder is an error naming the path");

    /* sweeping */
    put(at("s.pdf.yingji-tmp-999999999"), "stale");
    put(at("s.pdf.yingji-tmp-999999998-3"), "stale");
    put(at("s.yjar.yingji-tmp-999999997-journal"), "stale");
    put(at("mine.yingji-tmp-x"), "not ours");
    put(at(".yingji-tmp-999999996"), "not ours either (no base)");
    char live[64];
    snprintf(live, sizeof live, "s.pdf.yingji-tmp-%ld", (long)getppid());
    put(at(live), "live");
    mkdir(at("d.yingji-tmp-999999995"), 0700);
    CHECK(out_sweep(dir) == 3, "out_sweep removes the three temps of dead processes");
    CHECK(access(at(live), F_OK) == 0, "and keeps the temp of a live process");
    CHECK(access(at("mine.yingji-tmp-x"), F_OK) == 0 &&
          access(at(".yingji-tmp-999999996"), F_OK) == 0, "and names that only look alike");
    CHECK(access(at("d.yingji-tmp-999999995"), F_OK) == 0, "and folders");

    /* the database's files */
    put(at("t.db"), "db");
    CHECK(out_is_db_file(at("t.db"), at("t.db")), "the database itself");
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "%s/../%s/./t.db", dir, strrchr(dir, '/') + 1);
    CHECK(out_is_db_file(rel, at("t.db")), "the database spelled with .. and .");
    symlink(at("t.db"), at("link.db"));
    link(at("t.db"), at("hard.db"));
    CHECK(out_is_db_file(at("link.db"), at("t.db")), "a symlink to the database");
    CHECK(out_is_db_file(at("hard.db"), at("t.db")), "a hard link to the database");
    CHECK(out_is_db_file(at("t.db"), at("link.db")), "the database opened through a symlink");
    CHECK(out_is_db_file(at("t.db-wal"), at("t.db")) && out_is_db_file(at("t.db-shm"), at("t.db")) &&
          out_is_db_file(at("t.db-journal"), at("t.db")), "its -wal, -shm and -journal names");
    CHECK(out_is_db_file(at("t.db-wal"), at("link.db")),
          "the -wal beside the file a symlinked database points to");
    put(at("t.db-wal"), "wal");
    link(at("t.db-wal"), at("walink"));
    CHECK(out_is_db_file(at("walink"), at("t.db")), "a hard link to its -wal file");
    CHECK(!out_is_db_file(at("a.txt"), at("t.db")) && !out_is_db_file(at("t.db2"), at("t.db")),
          "other files are not the database");
    CHECK(!out_is_db_file(at("t.db"), ":memory:") && !out_is_db_file(at("t.db"), "") &&
          !out_is_db_file(NULL, at("t.db")), "an in-memory database has no files");

    /* files this process holds open */
    put(at("open.db"), "db");
    FILE *held = fopen(at("open.db"), "r");
    link(at("open.db"), at("open-hard.db"));
    symlink(at("open.db"), at("open-link.db"));
    CHECK(out_is_open_file(at("open.db")), "a file held open is recognised");
    CHECK(out_is_open_file(at("open-hard.db")) && out_is_open_file(at("open-link.db")),
          "through a hard link or a symlink too");
    CHECK(out_is_open_file(at("open.db-wal")) && out_is_open_file(at("open.db-journal")),
          "and its -wal/-journal names");
    CHECK(!out_is_open_file(at("a.txt")) && !out_is_open_file(at("nothing-here")),
          "files not held open are not");
    if (held) fclose(held);
    CHECK(!out_is_open_file(at("open.db")), "nor is one once closed");

    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return check_failures() != 0;
}
