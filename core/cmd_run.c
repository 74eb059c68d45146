/* cmd_run.c — `yingji run SCRIPT.lua`: run a script over the database (read-only) and
 * print its published tables as text, CSV or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_script.h"
#include "db.h"
#include "out_file.h"
#include "script.h"
#include "script_watchdog.h"

/* The mmap window of `yingji run` (SQLite caps it at its compile-time maximum). */
#define YJ_RUN_MMAP_SIZE "2147418112"
/* The default wall-clock limit of `yingji run`, in seconds. */
#define YJ_RUN_TIMEOUT_S 600

static void usage(FILE *out) {
    fprintf(out,
        "usage: yingji run [options] SCRIPT.lua\n"
        "Runs a Lua script in the sandbox over the database (read-only) and prints the\n"
        "tables it publishes on stdout. print() in the script writes to stderr.\n\n"
        "options:\n"
        "  --as-of YYYY-MM-DD       ctx.as_of (default: today)\n"
        "  --known-on DATE          the data as known at the end of DATE (ctx.known_on):\n"
        "                           later imports and corrections left out\n"
        "  --set KEY=VALUE          ctx.params.KEY, typed: numbers, true/false, else text\n"
        "                           (repeatable)\n"
        "  --set-file KEY=FILE      ctx.params.KEY is the text of FILE (UTF-8, at most 1 MiB)\n"
        "  --format text|csv|json   output format (default text)\n"
        "  -o PATH                  ctx.output: the file the script may write (a PDF...)\n"
        "  --max-instructions N     instruction budget (default %lld)\n"
        "  --max-memory MB          Lua memory cap in MiB (default %lld)\n"
        "  --sql-timeout MS         total time the script may spend in SQL (default %lld)\n"
        "  --timeout S              wall-clock limit of the whole run in seconds, 0 for none\n"
        "                           (default %d): stops even C code that never returns\n"
        "  --db FILE                the database (default ./yingji.db or $YINGJI_DB)\n\n"
        "A script error, or a script hitting a limit, exits with status 4.\n",
        (long long)YJ_DEFAULT_MAX_INSTRUCTIONS, (long long)(YJ_DEFAULT_MAX_MEMORY >> 20),
        (long long)YJ_DEFAULT_SQL_TIMEOUT_MS, YJ_RUN_TIMEOUT_S);
}

/* A positive integer option value, or -1. */
static long long positive(const char *v) {
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n <= 0) return -1;
    return n;
}

int cmd_run(int argc, char **argv, const char *db_path) {
    yj_script *s = yj_script_new();
    if (!s) { fprintf(stderr, "yingji run: out of memory\n"); return YJ_EXIT_SCRIPT; }
    const char *v, *output = NULL;
    yj_format fmt = YJ_FORMAT_TEXT;
    long long instr = 0, mem = 0, sqlms = 0, timeout = YJ_RUN_TIMEOUT_S;
    int status = YJ_EXIT_USAGE;
    sqlite3 *db = NULL;
    cli_script_args a = {db_path, NULL, NULL, NULL};
    char known_on[11] = "";
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (r < 0) goto done;
            if (yj_format_parse(v, &fmt) != 0) {
                cli_usage_error("run", "--format must be text, csv or json, not '%s'", v);
                goto done;
            }
        } else if ((r = cli_option(argc, argv, &i, "max-instructions", &v)) != 0) {
            if (r < 0) goto done;
            if ((instr = positive(v)) < 0) {
                cli_usage_error("run", "--max-instructions wants a positive integer");
                goto done;
            }
        } else if ((r = cli_option(argc, argv, &i, "max-memory", &v)) != 0) {
            if (r < 0) goto done;
            if ((mem = positive(v)) < 0 || mem > (1LL << 20)) {
                cli_usage_error("run", "--max-memory wants a size in MB (1..1048576)");
                goto done;
            }
        } else if ((r = cli_option(argc, argv, &i, "sql-timeout", &v)) != 0) {
            if (r < 0) goto done;
            if ((sqlms = positive(v)) < 0) {
                cli_usage_error("run", "--sql-timeout wants milliseconds (a positive integer)");
                goto done;
            }
        } else if ((r = cli_option(argc, argv, &i, "timeout", &v)) != 0) {
            if (r < 0) goto done;
            if (!strcmp(v, "0")) timeout = 0;
            else if ((timeout = positive(v)) < 0 || timeout > 86400 * 7) {
                cli_usage_error("run", "--timeout wants seconds (0 for none)");
                goto done;
            }
        } else if ((r = cli_option(argc, argv, &i, "known-on", &v)) != 0) {
            if (r < 0 || cli_date_option("run", "known-on", v, known_on) != 0) goto done;
            yj_script_set_known_on(s, known_on);
        } else if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) { cli_usage_error("run", "-o needs a path"); goto done; }
            yj_script_set_output(s, argv[i + 1]);
            output = argv[i + 1];
            i += 2;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            status = YJ_EXIT_OK;
            goto done;
        } else if (cli_script_arg("run", argc, argv, &i, s, &a) != 0) {
            goto done;
        }
    }
    const char *script = a.script;
    db_path = a.db_path;
    if (!script) {
        usage(stderr);
        goto done;
    }
    yj_script_set_format(s, fmt);
    yj_script_set_limits(s, instr, mem << 20, sqlms);
    char *err = NULL;
    /* older schemas too (archives keep the schema they were made with), but not as known */
    if (db_open(db_path, DB_READONLY | (known_on[0] ? 0 : DB_READ_OLDER), &db, &err) != 0) {
        fprintf(stderr, "yingji run: %s\n", err);
        free(err);
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    /* Scripts only read: memory-mapped pages save a read() per page (measured: the
     * double decline's system time falls from ~150 ms to ~10 ms on 300,000 accidents). */
    sqlite3_exec(db, "PRAGMA mmap_size = " YJ_RUN_MMAP_SIZE, NULL, NULL, NULL);
    /* -o naming the database (any spelling, link or -wal/-shm) would turn it into a PDF */
    if (out_is_db_file(output, sqlite3_db_filename(db, "main"))) {
        cli_usage_error("run", "-o %s is the database %s (or its -wal/-shm/-journal file); "
                        "refusing to write over it", output, db_path);
        goto done;
    }
    /* What the script may write: its -o file and inside --set charts_dir (the briefing's
     * folder of chart images, created when missing). */
    if (cli_script_charts_dir("run", s) != 0) {
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    char kerr[256] = "cannot begin a read transaction";
    /* the views and the script read one state: the run keeps this transaction */
    if (known_on[0] && (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
                        db_known_on(db, known_on, kerr, sizeof kerr) != 0)) {
        fprintf(stderr, "yingji run: %s\n", kerr);
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    yj_script_set_db(s, db);
    yj_watchdog_start(script, (unsigned)timeout);
    int rc = yj_script_run(s, script);
    yj_watchdog_stop();
    if (rc != YJ_SCRIPT_OK) {
        fprintf(stderr, "%s\n", yj_script_error(s));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    if (yj_results_write(yj_script_results(s), fmt, stdout) != 0) {
        fprintf(stderr, "yingji run: cannot write the results: %s\n", strerror(errno));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    status = YJ_EXIT_OK;
done:
    yj_script_free(s);
    sqlite3_close(db);
    return status;
}
