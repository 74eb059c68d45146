/* script_outputs.c — which files a running script may create: its -o path, and files
 * inside the folder the command allowed (yj_script_set_output_dir: the briefing's
 * --set charts_dir). This is the output policy the chart module is given
 * (script_modules.c); the runtime reads no parameter for it. Paths are compared after resolving
 * their folder with realpath, and a symlink as the file itself to its target, so
 * "dir/../x", a symlinked folder or a planted link cannot escape. Never the database the
 * script reads, nor its -wal/-shm/-journal file, under any name (out_is_db_file), nor
 * any other file the process holds open (out_is_open_file). The
 * writing itself (temp file beside the target, then rename) is util/out_file.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "out_file.h"
#include "script_int.h"

/* The canonical form of a file path that may not exist yet: realpath of its folder plus
 * its last component. 0, or -1 when the folder does not exist. */
static int canonical(const char *path, char out[PATH_MAX]) {
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) return -1;
    if (slash) {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        if (n >= sizeof dir) return -1;
        memcpy(dir, path, n);
        dir[n] = '\0';
    } else {
        strcpy(dir, ".");
    }
    char real[PATH_MAX];
    if (!realpath(dir, real)) return -1;
    size_t rl = strlen(real), bl = strlen(base);
    if (rl + 1 + bl + 1 > PATH_MAX) return -1;
    memcpy(out, real, rl);
    out[rl] = '/';
    memcpy(out + rl + 1, base, bl + 1);
    /* A symlink as the last component: judge the file it points to (a dangling link
     * cannot be judged and is refused). */
    struct stat st;
    if (lstat(out, &st) == 0 && S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        if (!realpath(out, target)) return -1;
        memcpy(out, target, strlen(target) + 1);
    }
    return 0;
}

/* Remembers name (relative to the output folder) among the files written, once. Out of
 * memory loses the name: the archive and its re-run then list different outputs, which
 * verify reports (never a false pass). */
static void note_written(yj_script *s, const char *name) {
    for (size_t i = 0; i < s->nwritten; i++)
        if (!strcmp(s->written[i], name)) return;
    char **w = realloc(s->written, (s->nwritten + 1) * sizeof *w);
    if (!w) return;
    s->written = w;
    if ((w[s->nwritten] = strdup(name))) s->nwritten++;
}

void yj_script_written_clear(yj_script *s) {
    for (size_t i = 0; i < s->nwritten; i++) free(s->written[i]);
    free(s->written);
    s->written = NULL;
    s->nwritten = 0;
}

const char *const *yj_script_written(const yj_script *s, size_t *n) {
    *n = s->nwritten;
    return (const char *const *)s->written;
}

/* The policy of run (NULL: nothing may be written). */
static int allowed_in(const yj_run *run, const char *path, char *why, size_t whylen) {
    yj_script *s = run ? run->s : NULL;
    char want[PATH_MAX], got[PATH_MAX];
    if (!s || canonical(path, got) != 0) {
        snprintf(why, whylen, _("%s: cannot write there (the folder does not exist)"), path);
        return 0;
    }
    const char *db = s->db ? sqlite3_db_filename(s->db, "main") : NULL;
    if (out_is_db_file(path, db)) {
        snprintf(why, whylen, _("%s: is the database %s (or its -wal/-shm/-journal file): "
                 "a script never writes over it"), path, db);
        return 0;
    }
    /* any other database open here (archive: the live one beside the snapshot the script
     * reads; verify --db), or a file standard output goes to */
    if (out_is_open_file(path)) {
        snprintf(why, whylen, _("%s: is a file yingji holds open (a database, its -wal/-shm/"
                 "-journal file, or where its output goes): a script never writes over it"), path);
        return 0;
    }
    if (s->output && canonical(s->output, want) == 0 && !strcmp(want, got)) {
        s->output_used = 1;          /* `yingji run` warns when -o went unused */
        return 1;
    }
    const char *dir = s->output_dir;
    char real[PATH_MAX];
    if (dir && realpath(dir, real)) {
        size_t n = strlen(real);
        if (!strncmp(got, real, n) && got[n] == '/') {
            note_written(s, got + n + 1);
            return 1;
        }
    }
    const char *name = s->output_dir_param;
    if (dir && name)
        snprintf(why, whylen, _("%s: a script may write only its -o file and inside %s (%s)"),
                 path, name, dir);
    else if (dir)
        snprintf(why, whylen, _("%s: a script may write only its -o file and inside %s"), path, dir);
    else if (name)
        snprintf(why, whylen, _("%s: a script may write only its -o file (and inside --set %s=DIR)"),
                 path, name);
    else
        snprintf(why, whylen, _("%s: a script may write only its -o file"), path);
    return 0;
}

/* The chart module's policy callback (chart_output_policy.allowed); ud is the yj_run. */
int yj_output_policy(void *ud, const char *path, char *why, size_t whylen) {
    return allowed_in(ud, path, why, whylen);
}

int yj_output_allowed(lua_State *L, const char *path, char *why, size_t whylen) {
    return allowed_in(yj_run_of(L), path, why, whylen);
}
