/* cli_script.h — the command-line arguments shared by the commands that run a script
 * (`yingji run`, `yingji archive`): --db, --as-of, --set and the one SCRIPT.lua. */
#ifndef YJ_CLI_SCRIPT_H
#define YJ_CLI_SCRIPT_H

#include "script.h"

typedef struct {
    const char *db_path;   /* --db FILE, else the caller's default (set it first) */
    const char *as_of;     /* --as-of as given, else NULL */
    const char *script;    /* the SCRIPT.lua argument, else NULL */
    const char *set_arg;   /* the KEY=VALUE of the --set just taken, else NULL */
} cli_script_args;

/* Takes argv[*i] after the caller has tried its own options: --db, --as-of and --set
 * (both applied to s at once), or the script argument; advances *i. Anything else
 * starting with '-' is an unknown option. Returns 0, or -1 after printing a usage
 * error for cmd. The strings point into argv. */
int cli_script_arg(const char *cmd, int argc, char **argv, int *i, yj_script *s,
                   cli_script_args *a);

#endif
