/* cmd_run.c — `yingji run` (placeholder until its issue lands). */
#include "cli.h"

int cmd_run(int argc, char **argv, const char *db_path) {
    (void)argc; (void)argv; (void)db_path;
    return cli_usage_error("run", "not implemented yet");
}
