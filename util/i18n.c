/* i18n.c — binds the gettext catalog of yingji (see i18n.h and po/README). */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#ifndef YJ_LOCALEDIR
#define YJ_LOCALEDIR "/usr/local/share/locale"
#endif

static int zh = -1;

/* 1 when dir holds a compiled catalog of yingji (any language). */
static int has_catalog(const char *dir) {
    static const char *const langs[] = {"zh_CN"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        char p[PATH_MAX];
        struct stat st;
        int n = snprintf(p, sizeof p, "%s/%s/LC_MESSAGES/yingji.mo", dir, langs[i]);
        if (n > 0 && (size_t)n < sizeof p && stat(p, &st) == 0 && S_ISREG(st.st_mode)) return 1;
    }
    return 0;
}

void yj_i18n_init(void) {
    setlocale(LC_MESSAGES, "");
    static char dir[PATH_MAX];
    const char *env = getenv("YINGJI_LOCALEDIR");
    const char *found = NULL;
    if (env && *env) {
        found = env;
    } else {
        char exe[PATH_MAX];
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = k > 0 ? (exe[k] = '\0', strrchr(exe, '/')) : NULL;
        if (slash) {
            *slash = '\0';
            /* the build folder (build/rel/yingji), the ./yingji copy, an installed binary */
            static const char *const rel[] = {"locale", "build/rel/locale", "../share/locale"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0] && !found; i++) {
                int n = snprintf(dir, sizeof dir, "%s/%s", exe, rel[i]);
                if (n > 0 && (size_t)n < sizeof dir && has_catalog(dir)) found = dir;
            }
        }
    }
    bindtextdomain("yingji", found ? found : YJ_LOCALEDIR);
    bind_textdomain_codeset("yingji", "UTF-8");
    bind_textdomain_codeset("libc", "UTF-8");   /* strerror() in the language too, in UTF-8 */
    textdomain("yingji");
    zh = -1;
}

int yj_i18n_zh(void) {
    if (zh < 0) {
        /* the catalog's header (the translation of ""), empty when no catalog is in use */
        const char *h = gettext("");
        zh = h && *h && strstr(h, "Language: zh") != NULL;
    }
    return zh;
}
