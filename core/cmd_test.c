/* cmd_test.c — `yingji test` (placeholder until its issue lands). */
#include "cli.h"

int cmd_test(int argc, char **argv, const char *db_path) {
    (void)argc; (void)argv; (void)db_path;
    return cli_usage_error("test", "not implemented yet");
}
