/* cmd_test.c — `yingji test [--tap] [PATH...]`: run the *_test.lua files of scripts,
 * each test against its own fixture database; prints "N passed, N failed". */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "cli.h"
#include "script.h"
#include "script_test.h"
#include "script_watchdog.h"

/* Wall-clock limit of one test file, in seconds (see yj_watchdog_start). */
#define YJ_TEST_TIMEOUT_S 600

typedef struct {
    char **v;
    size_t n, cap;
} list;

static int push(list *l, const char *s) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    return (l->v[l->n++] = strdup(s)) ? 0 : -1;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* Adds path (a file) or every *_test.lua below path (a folder), sorted. */
static int collect(list *l, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) return push(l, path);
    DIR *d = opendir(path);
    if (!d) return -1;
    list here = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(n);
        if (!full) break;
        snprintf(full, n, ends_with(path, "/") ? "%s%s" : "%s/%s", path, e->d_name);
        struct stat sub;
        if (stat(full, &sub) == 0 && (S_ISDIR(sub.st_mode) || ends_with(e->d_name, "_test.lua")))
            push(&here, full);
        free(full);
    }
    closedir(d);
    qsort(here.v, here.n, sizeof *here.v, by_name);
    int rc = 0;
    for (size_t i = 0; i < here.n; i++) {
        struct stat sub;
        if (stat(here.v[i], &sub) == 0 && S_ISDIR(sub.st_mode)) collect(l, here.v[i]);
        else if (push(l, here.v[i]) != 0) rc = -1;
        free(here.v[i]);
    }
    free(here.v);
    return rc;
}

int cmd_test(int argc, char **argv, const char *db_path) {
    (void)db_path;   /* every test file builds its own fixture databases */
    int tap = 0, status = YJ_EXIT_USAGE;
    list files = {0};
    yj_script *limits = yj_script_new();
    if (!limits) return YJ_EXIT_SCRIPT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tap")) tap = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(_("usage: yingji test [--tap] [PATH...]\n"
                   "Runs the *_test.lua files given, or found below the folders given\n"
                   "(default: scripts). Each test builds its fixture database with fixture{...}.\n"
                   "Test files get the scripts' sandbox; the only place their scripts may write\n"
                   "is test_dir, each file's own temporary folder (removed afterwards).\n"
                   "--tap prints a line 'ok - FILE: TEST' for each passing test too.\n"
                   "The last line is 'N passed, N failed'; exit status 0 only when all pass.\n"));
            status = YJ_EXIT_OK;
            goto done;
        } else if (argv[i][0] == '-') {
            static const char *const options[] = {"tap", "help", NULL};
            cli_unknown_option("test", argv[i], options);
            goto done;
        } else if (collect(&files, argv[i]) != 0) {
            cli_usage_error("test", "%s: no such file or folder", argv[i]);
            goto done;
        }
    }
    if (files.n == 0 && argc > 1 + tap) {
        cli_usage_error("test", "no *_test.lua files found");
        goto done;
    }
    if (files.n == 0 && collect(&files, "scripts") != 0) {
        cli_usage_error("test", "no folder 'scripts' here: name the test files or folders");
        goto done;
    }
    int passed = 0, failed = 0;
    for (size_t i = 0; i < files.n; i++) {
        fflush(stdout);   /* the watchdog exits without flushing */
        yj_watchdog_start(files.v[i], YJ_TEST_TIMEOUT_S);
        if (yj_test_file(files.v[i], tap, limits, &passed, &failed) != 0) failed++;
        yj_watchdog_stop();
    }
    printf(_("%d passed, %d failed\n"), passed, failed);
    status = failed ? YJ_EXIT_SCRIPT : YJ_EXIT_OK;
done:
    for (size_t i = 0; i < files.n; i++) free(files.v[i]);
    free(files.v);
    yj_script_free(limits);
    return status;
}
