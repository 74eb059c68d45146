/* cmd_archive.c — `yingji archive` (placeholder until its issue lands). */
#include "cli.h"

int cmd_archive(int argc, char **argv, const char *db_path) {
    (void)argc; (void)argv; (void)db_path;
    return cli_usage_error("archive", "not implemented yet");
}

int cmd_verify(int argc, char **argv, const char *db_path) {
    (void)argc; (void)argv; (void)db_path;
    return cli_usage_error("verify", "not implemented yet");
}
