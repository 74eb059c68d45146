/* cmd_info.c — `yingji info` (placeholder until its issue lands). */
#include "cli.h"

int cmd_info(int argc, char **argv, const char *db_path) {
    (void)argc; (void)argv; (void)db_path;
    return cli_usage_error("info", "not implemented yet");
}
