/* cli.h — the subcommands of the yingji binary and the helpers they share.
 *
 * Each subcommand lives in core/cmd_NAME.c and has the signature
 *   int cmd_NAME(int argc, char **argv, const char *db_path);
 * argv[0] is the subcommand name; the return value is the process exit status.
 *
 * Errors: the commands are the one layer that prints ("yingji CMD: message" on stderr)
 * and maps the libraries' statuses to exit statuses (YJ_EXIT_*); the libraries below
 * (core/, charts/, util/) return statuses and messages and never print on their own. */
#ifndef YJ_CLI_H
#define YJ_CLI_H

/* Exit statuses (shared/spec/cli.md). */
enum {
    YJ_EXIT_OK = 0,
    YJ_EXIT_USAGE = 1,
    YJ_EXIT_REJECTED = 2,   /* input rejected, nothing changed */
    YJ_EXIT_PARTIAL = 3,    /* partial import, rows written to a rejects file */
    YJ_EXIT_SCRIPT = 4,     /* script error */
    YJ_EXIT_VERIFY = 5      /* verification failed */
};

#include <stddef.h>

#include "version.h"   /* YJ_VERSION */

int cmd_init(int argc, char **argv, const char *db_path);
int cmd_import(int argc, char **argv, const char *db_path);
int cmd_info(int argc, char **argv, const char *db_path);
int cmd_run(int argc, char **argv, const char *db_path);
int cmd_test(int argc, char **argv, const char *db_path);
int cmd_archive(int argc, char **argv, const char *db_path);
int cmd_verify(int argc, char **argv, const char *db_path);
int cmd_compare(int argc, char **argv, const char *db_path);
int cmd_show(int argc, char **argv, const char *db_path);
int cmd_history(int argc, char **argv, const char *db_path);
int cmd_list(int argc, char **argv, const char *db_path);
int cmd_keygen(int argc, char **argv, const char *db_path);

/* Prints "yingji CMD: " and the formatted message to stderr; returns YJ_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The name among names[0..n) nearest to word by edit distance, if that distance is at
 * most 2; NULL otherwise. The result points into names (borrowed). */
const char *cli_suggest(const char *word, const char *const *names, size_t n);

/* Usage error "unknown option 'ARG'" for command cmd, with "(did you mean --NAME?)" when
 * one of names (a NULL-terminated list of option names without the dashes) is near;
 * returns YJ_EXIT_USAGE. */
int cli_unknown_option(const char *cmd, const char *arg, const char *const *names);

/* True when argv[i] is "--NAME VALUE" or "--NAME=VALUE"; stores the value in *out and
 * advances *i past what was consumed. A missing value is reported and returns -1. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **out);

/* The value v of the date option --name (--received, --known-on): any date form the
 * importer accepts (2020-07-03, 2020/7/3, 2020年7月3日, ...), not after today (local
 * date). Writes 'YYYY-MM-DD' into out; 0, or -1 after a usage error naming the option. */
int cli_date_option(const char *cmd, const char *name, const char *v, char out[11]);

/* Today, local date, 'YYYY-MM-DD'. */
void cli_today(char out[11]);

#endif
