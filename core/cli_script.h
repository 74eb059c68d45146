/* cli_script.h — the command-line arguments shared by the commands that run a script
 * (`yingji run`, `yingji archive`): --db, --as-of, --set, --set-file and the one
 * SCRIPT.lua, and the folder of chart images (--set charts_dir). */
#ifndef YJ_CLI_SCRIPT_H
#define YJ_CLI_SCRIPT_H

#include <stdio.h>

#include "script.h"

typedef struct {
    const char *db_path;   /* --db FILE, else the caller's default (set it first) */
    const char *as_of;     /* --as-of as an ISO date (any form the importer reads), else NULL */
    const char *script;    /* the SCRIPT.lua argument, else NULL */
    const char *set_arg;   /* the KEY=VALUE of the --set just taken, else NULL */
    const char *const *options;   /* the caller's own option names (no dashes, NULL-
                                   * terminated) for "did you mean", else NULL */
} cli_script_args;

/* The names of the four limit options below, for an options list. */
#define CLI_SCRIPT_LIMIT_NAMES "max-instructions", "max-memory", "sql-timeout", "timeout"

/* Takes argv[*i] after the caller has tried its own options: --db, --as-of, --set and
 * --set-file KEY=FILE (the parameter is the file's text: a regular UTF-8 file of at most
 * 1 MiB, BOM and trailing line ends dropped) — all applied to s at once —, or the script
 * argument; advances *i. Anything else
 * starting with '-' is an unknown option. Returns 0, or -1 after printing a usage
 * error for cmd. The strings point into argv. */
int cli_script_arg(const char *cmd, int argc, char **argv, int *i, yj_script *s,
                   cli_script_args *a);

/* Checks, before any run, that the script file path exists and is not a folder:
 * 0, or -1 after the usage error "yingji CMD: PATH: no such file" (no traceback). */
int cli_script_file(const char *cmd, const char *path);

/* Lets the script write inside --set charts_dir (the folder of chart images), creating
 * the folder (one level) when it does not exist. Returns 0, or -1 after printing why. */
int cli_script_charts_dir(const char *cmd, yj_script *s);

/* Opens db_path for a script run: read-only with flags (db_open's, e.g. DB_READ_OLDER),
 * memory-mapped (scripts only read: a mapped page saves a read() per page — the double
 * decline's system time falls from ~150 ms to ~10 ms on 300,000 accidents), and refuses
 * an output path that names the database or its -wal/-shm/-journal file under any
 * spelling (output NULL: none). Returns 0 with *db (the caller closes it), or the exit
 * status after printing why (*db NULL, or open for the caller to close). */
int cli_script_open_db(const char *cmd, const char *db_path, int flags, const char *output,
                       sqlite3 **db);

/* The value v of --format for a command that writes results: text, csv, json or xlsx
 * into *fmt; 0, or -1 after a usage error naming the command. */
int cli_script_format(const char *cmd, const char *v, yj_format *fmt);

/* Shows db as known at the end of date (--known-on, db_known_on), inside a read
 * transaction begun here that the script runs in (the views and the script read one
 * state; closing db ends it). Returns 0, or -1 after printing "yingji CMD: reason". */
int cli_script_known_on(const char *cmd, sqlite3 *db, const char *date);

/* The limits of a script run, shared by run, archive and verify (same options, same
 * defaults): --max-instructions N, --max-memory MB, --sql-timeout MS (0: the runtime's
 * default, script.h) and --timeout S (the wall-clock watchdog, script_watchdog.h; 0 for
 * none). Initialise with CLI_SCRIPT_LIMITS_INIT. */
#define CLI_SCRIPT_TIMEOUT_S 600
typedef struct { long long instructions, memory_mb, sql_timeout_ms, timeout_s; } cli_script_limits;
#define CLI_SCRIPT_LIMITS_INIT { 0, 0, 0, CLI_SCRIPT_TIMEOUT_S }

/* Takes argv[*i] when it is one of the four limit options: returns 1 (and advances *i),
 * 0 when it is not one, -1 after printing a usage error for cmd. */
int cli_script_limit_arg(const char *cmd, int argc, char **argv, int *i, cli_script_limits *l);

/* The usage lines of the four options, with their defaults. */
void cli_script_limits_usage(FILE *out);

/* Applies the Lua and SQL limits of l to s (the watchdog is the caller's). */
void cli_script_set_limits(yj_script *s, const cli_script_limits *l);

#endif
