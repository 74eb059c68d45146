/* cmd_import.c — `yingji import` (placeholder until its issue lands). */
#include "cli.h"

int cmd_import(int argc, char **argv, const char *db_path) {
    (void)argc; (void)argv; (void)db_path;
    return cli_usage_error("import", "not implemented yet");
}
