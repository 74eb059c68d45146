/* script_outputs.c — which files a script may write (placeholder: none, until the
 * script runtime lands and replaces this with the -o / charts_dir policy). */
#include <stdio.h>

#include "chart_lua.h"

int yj_output_allowed(lua_State *L, const char *path, char *why, size_t whylen) {
    (void)L;
    snprintf(why, whylen, "%s: scripts may not write files yet", path);
    return 0;
}
