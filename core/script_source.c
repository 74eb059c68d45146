/* script_source.c — the default source provider: the main script from its path, modules
 * from the script's own folder and from the shipped scripts/lib (see yj_source_fs in
 * script.h for the search order). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "script.h"
#include "strbuf.h"

/* Reads a whole file into a malloc'd buffer. 0, or 1 when absent, -1 on error. */
static int slurp(const char *path, char **text, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
    strbuf b = STRBUF_INIT;
    size_t got;
    do {
        if (strbuf_reserve(&b, 8192) != 0) break;
        got = fread(b.p + b.len, 1, b.cap - b.len - 1, f);
        b.len += got;
    } while (got > 0);
    int err = ferror(f) || b.err;
    fclose(f);
    if (err) { strbuf_free(&b); return -1; }
    *text = strbuf_take(&b, len);
    return *text ? 0 : -1;
}

/* out = a "/" b; -1 when it does not fit. */
static int join(char *out, size_t n, const char *a, const char *b) {
    int k = snprintf(out, n, "%s/%s", a, b);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static char *dirname_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    size_t n = (size_t)(slash - path);
    if (n == 0) n = 1;
    char *d = malloc(n + 1);
    if (d) { memcpy(d, path, n); d[n] = '\0'; }
    return d;
}

/* The candidate library folders, in order; returns how many were written to dirs. */
static int lib_dirs(char dirs[][PATH_MAX], int max) {
    int n = 0;
    const char *env = getenv("YINGJI_SCRIPTS");
    if (env && *env && n < max && join(dirs[n], PATH_MAX, env, "lib") == 0) n++;
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        static const char *const rel[] = {"scripts/lib", "../../scripts/lib",
                                          "../share/yingji/scripts/lib"};
        for (int i = 0; i < 3 && n < max; i++)
            if (join(dirs[n], PATH_MAX, exe, rel[i]) == 0) n++;
    }
#ifdef YJ_SCRIPTS_DIR
    if (n < max && join(dirs[n], PATH_MAX, YJ_SCRIPTS_DIR, "lib") == 0) n++;
#endif
    return n;
}

int yj_source_fs(void *ud, const char *script_path, const char *name,
                 char **path, char **text, size_t *len, char **errmsg) {
    (void)ud;
    *path = *text = *errmsg = NULL;
    if (name == NULL) {
        int rc = slurp(script_path, text, len);
        if (rc == 0) *path = strdup(script_path);
        else *errmsg = strdup(rc > 0 ? _("no such file") : strerror(errno));
        return rc;
    }
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "%s.lua", name);
    for (char *p = rel; *p && strcmp(p, ".lua"); p++)
        if (*p == '.') *p = '/';
    char dirs[6][PATH_MAX];
    char *own = dirname_of(script_path);
    if (!own) return -1;
    size_t ol = strlen(own);
    if (ol >= PATH_MAX) { free(own); return -1; }
    memcpy(dirs[0], own, ol + 1);
    free(own);
    int n = 1 + lib_dirs(dirs + 1, 5);
    char tried[2048] = "";
    for (int i = 0; i < n; i++) {
        char full[PATH_MAX];
        if (join(full, sizeof full, dirs[i], rel) != 0) continue;
        int rc = slurp(full, text, len);
        if (rc == 0) {
            *path = strdup(full[0] == '.' && full[1] == '/' ? full + 2 : full);
            return 0;
        }
        if (rc < 0) {
            *errmsg = strdup(strerror(errno));
            return -1;
        }
        static const char lead[] = "\n\tno file '";
        size_t used = strlen(tried), fl = strlen(full), ll = sizeof lead - 1;
        if (used + ll + fl + 2 < sizeof tried) {
            memcpy(tried + used, lead, ll);
            memcpy(tried + used + ll, full, fl);
            memcpy(tried + used + ll + fl, "'", 2);
        }
    }
    size_t need = strlen(tried) + 32;
    *errmsg = malloc(need);
    if (*errmsg) snprintf(*errmsg, need, "module not found:%s", tried);
    return 1;
}
