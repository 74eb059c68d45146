/* cmd_run.c — `yingji run SCRIPT.lua`: run a script over the database (read-only) and
 * print its published tables as text, CSV or JSON, or write them to a file (--results),
 * an Excel workbook among them (--format xlsx, --split-by: one workbook per unit). */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "cli.h"
#include "cli_script.h"
#include "db.h"
#include "out_file.h"
#include "script.h"
#include "script_watchdog.h"

static void usage(FILE *out) {
    fprintf(out,
        _("usage: yingji run [options] SCRIPT.lua\n"
        "Runs a Lua script in the sandbox over the database (read-only) and prints the\n"
        "tables it publishes on stdout. print() in the script writes to stderr.\n\n"
        "options:\n"
        "  --as-of YYYY-MM-DD       ctx.as_of (default: today)\n"
        "  --known-on DATE          the data as known at the end of DATE (ctx.known_on):\n"
        "                           later imports and corrections left out\n"
        "  --set KEY=VALUE          ctx.params.KEY, typed: numbers, true/false, else text\n"
        "                           (repeatable)\n"
        "  --set-file KEY=FILE      ctx.params.KEY is the text of FILE (UTF-8, at most 1 MiB)\n"
        "  --format text|csv|json|xlsx  output format (default text)\n"
        "  --results FILE           write the published tables to FILE, not stdout\n"
        "                           (through a temp file beside it, renamed when complete)\n"
        "  -o PATH                  ctx.output: the file the script may write (a PDF...);\n"
        "                           a warning when the script writes nothing there. With\n"
        "                           --format xlsx and no --results, -o names the workbook\n"
        "                           and the script gets no ctx.output\n"
        "  --table NAME             only the published table NAME (repeatable; any format)\n"
        "  --titles                 text and CSV headers: the columns' titles (得分...)\n"
        "                           where the script gives them (xlsx always uses them)\n"
        "  --excel                  CSV for Excel: a UTF-8 BOM and CRLF line ends\n"
        "  --split-by COLUMN        xlsx: one workbook per value of COLUMN (e.g. unit), named\n"
        "                           CODE_NAME.xlsx (NAME from the column 'name' where a\n"
        "                           table has one) in the folder --results DIR (or -o DIR);\n"
        "                           tables without COLUMN go whole into every workbook\n"));
    cli_script_limits_usage(out);
    fprintf(out,
        _("  --db FILE                the database (default ./yingji.db or $YINGJI_DB)\n\n"
        "xlsx is never written to standard output: it needs -o FILE or --results FILE.\n"
        "Each workbook has one sheet per table (headed by the titles) and a sheet 说明\n"
        "with the as-of date, parameters, the scripts' SHA-256 and the data files.\n"
        "A script error, or a script hitting a limit, exits with status 4.\n"));
}

/* A value of the --split-by column (malloc'd) and the 'name' of its first row that has
 * one (borrowed from the results, or NULL). */
typedef struct { char *val; const char *name; } split_key;

static void free_keys(split_key *k, size_t n) {
    for (size_t i = 0; i < n; i++) free(k[i].val);
    free(k);
}

/* The distinct values of column col over the selected tables, in order of appearance
 * (text and integer cells); *n gets the count. Returns a malloc'd array (free_keys), or
 * NULL when out of memory. */
static split_key *split_keys(const yj_results *r, const yj_write_opts *o, const char *col,
                             size_t *n) {
    size_t cap = 16;
    split_key *k = malloc(cap * sizeof *k);
    *n = 0;
    if (!k) return NULL;
    for (size_t t = 0; t < yj_results_count(r); t++) {
        if (!yj_write_opts_selects(o, yj_results_name(r, t))) continue;
        long kc = -1, nc = -1;
        for (size_t c = 0; c < yj_results_ncols(r, t); c++) {
            if (!strcmp(yj_results_column(r, t, c), col)) kc = (long)c;
            if (!strcmp(yj_results_column(r, t, c), "name")) nc = (long)c;
        }
        if (kc < 0) continue;
        for (size_t row = 0; row < yj_results_nrows(r, t); row++) {
            yj_value v = yj_results_cell(r, t, row, (size_t)kc);
            char buf[32];
            const char *s = buf;
            if (v.type == YJ_VAL_TEXT) s = v.u.t.s;
            else if (v.type == YJ_VAL_INT) snprintf(buf, sizeof buf, "%lld", v.u.i);
            else continue;
            yj_value nv = yj_results_cell(r, t, row, (size_t)(nc < 0 ? 0 : nc));
            const char *name = nc >= 0 && nv.type == YJ_VAL_TEXT ? nv.u.t.s : NULL;
            size_t i = 0;
            while (i < *n && strcmp(k[i].val, s)) i++;
            if (i < *n) {
                if (!k[i].name) k[i].name = name;
                continue;
            }
            if (*n == cap) {
                split_key *nk = realloc(k, 2 * cap * sizeof *nk);
                if (!nk) { free_keys(k, *n); return NULL; }
                k = nk;
                cap *= 2;
            }
            if (!(k[*n].val = strdup(s))) { free_keys(k, *n); return NULL; }
            k[(*n)++].name = name;
        }
    }
    return k;
}

/* Appends text to a file name, each '/', '\\', control character or leading '.' made '_'. */
static void name_part(char *out, size_t cap, const char *text) {
    size_t l = strlen(out);
    for (const char *p = text; *p && l + 1 < cap; p++, l++) {
        unsigned char c = (unsigned char)*p;
        out[l] = c < 0x20 || c == '/' || c == '\\' || c == 0x7f || (p == text && c == '.') ? '_' : (char)c;
    }
    out[l] = '\0';
}

/* --split-by: one workbook per value of col in folder dir. Returns an exit status. */
static int write_split(yj_script *s, yj_write_opts *o, const char *col, const char *dir) {
    struct stat st;
    if (stat(dir, &st) != 0 && errno == ENOENT && mkdir(dir, 0777) != 0) {
        fprintf(stderr, _("yingji run: cannot create the folder %s: %s\n"), dir, strerror(errno));
        return YJ_EXIT_SCRIPT;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, _("yingji run: --split-by writes into a folder; %s is not one\n"), dir);
        return YJ_EXIT_USAGE;
    }
    size_t n;
    split_key *k = split_keys(yj_script_results(s), o, col, &n);
    if (!k) { fprintf(stderr, _("yingji run: out of memory\n")); return YJ_EXIT_SCRIPT; }
    if (n == 0) {
        fprintf(stderr, _("yingji run: --split-by %s: no published table has a column %s with "
                "values\n"), col, col);
        free_keys(k, n);
        return YJ_EXIT_SCRIPT;
    }
    int status = YJ_EXIT_OK;
    for (size_t i = 0; i < n && status == YJ_EXIT_OK; i++) {
        char path[4096], base[256] = "";
        name_part(base, 200, k[i].val);
        if (k[i].name) {
            strcat(base, "_");
            name_part(base, 200, k[i].name);
        }
        snprintf(path, sizeof path, "%s/%s.xlsx", dir, base);
        o->split_col = col;
        o->split_val = k[i].val;
        char err[512];
        if (yj_results_write_xlsx(s, o, path, err, sizeof err) != 0) {
            fprintf(stderr, "yingji run: %s: %s\n", path, err);
            status = YJ_EXIT_SCRIPT;
        }
    }
    free_keys(k, n);
    return status;
}

int cmd_run(int argc, char **argv, const char *db_path) {
    yj_script *s = yj_script_new();
    if (!s) { fprintf(stderr, _("yingji run: out of memory\n")); return YJ_EXIT_SCRIPT; }
    const char **tables = calloc((size_t)argc + 1, sizeof *tables);
    if (!tables) { yj_script_free(s); fprintf(stderr, _("yingji run: out of memory\n")); return YJ_EXIT_SCRIPT; }
    yj_write_opts wopts;
    memset(&wopts, 0, sizeof wopts);
    const char *results = NULL, *split = NULL;
    const char *v, *output = NULL;
    yj_format fmt = YJ_FORMAT_TEXT;
    cli_script_limits lim = CLI_SCRIPT_LIMITS_INIT;
    int status = YJ_EXIT_USAGE;
    sqlite3 *db = NULL;
    static const char *const options[] = {"format", "results", "table", "split-by", "titles",
        "excel", "known-on", CLI_SCRIPT_LIMIT_NAMES, NULL};
    cli_script_args a = {db_path, NULL, NULL, NULL, options};
    char known_on[11] = "";
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (r < 0 || cli_script_format("run", v, &fmt) != 0) goto done;
        } else if ((r = cli_option(argc, argv, &i, "results", &v)) != 0) {
            if (r < 0) goto done;
            results = v;
        } else if ((r = cli_option(argc, argv, &i, "table", &v)) != 0) {
            if (r < 0) goto done;
            tables[wopts.ntables++] = v;
            wopts.tables = tables;
        } else if ((r = cli_option(argc, argv, &i, "split-by", &v)) != 0) {
            if (r < 0) goto done;
            split = v;
        } else if (!strcmp(argv[i], "--titles")) {
            wopts.titles = 1;
            i++;
        } else if (!strcmp(argv[i], "--excel")) {
            wopts.excel = 1;
            i++;
        } else if ((r = cli_script_limit_arg("run", argc, argv, &i, &lim)) != 0) {
            if (r < 0) goto done;
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
    if (cli_script_file("run", script) != 0) goto done;
    if (wopts.excel && fmt != YJ_FORMAT_CSV) {
        cli_usage_error("run", "--excel is for --format csv");
        goto done;
    }
    if (wopts.titles && fmt == YJ_FORMAT_JSON) {
        cli_usage_error("run", "--titles is for text and csv (JSON keys are the column names; "
                        "xlsx always uses the titles)");
        goto done;
    }
    if (results && output && !strcmp(results, output)) {
        cli_usage_error("run", "--results and -o name the same file %s", results);
        goto done;
    }
    if (split && fmt != YJ_FORMAT_XLSX) {
        cli_usage_error("run", "--split-by writes workbooks: it needs --format xlsx");
        goto done;
    }
    if (fmt == YJ_FORMAT_XLSX && !results) {
        /* A workbook is never written to a terminal or a pipe: it needs a file. */
        if (!output) {
            cli_usage_error("run", "--format xlsx writes a file: give it with -o FILE.xlsx "
                            "(or --results FILE)");
            goto done;
        }
        results = output;                     /* -o is the workbook, not the script's */
        output = NULL;
        yj_script_set_output(s, NULL);
    }
    yj_script_set_format(s, fmt);
    cli_script_set_limits(s, &lim);
    /* older schemas too (archives keep the schema they were made with), but not as known;
     * -o naming the database would turn it into a PDF */
    if ((status = cli_script_open_db("run", db_path, known_on[0] ? 0 : DB_READ_OLDER, output, &db)) != 0)
        goto done;
    status = YJ_EXIT_USAGE;
    if (!split && out_is_db_file(results, sqlite3_db_filename(db, "main"))) {
        cli_usage_error("run", "%s is the database %s (or its -wal/-shm/-journal file); "
                        "refusing to write the results over it", results, db_path);
        goto done;
    }
    /* What the script may write: its -o file and inside --set charts_dir (the briefing's
     * folder of chart images, created when missing). */
    if (cli_script_charts_dir("run", s) != 0) {
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    /* the views and the script read one state: the run keeps this transaction */
    if (known_on[0] && cli_script_known_on("run", db, known_on) != 0) {
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    yj_script_set_db(s, db);
    yj_script_set_exit_after(s, 1);    /* the state's memory may go with the process */
    yj_watchdog_start(script, (unsigned)lim.timeout_s);
    int rc = yj_script_run(s, script);
    yj_watchdog_stop();
    if (rc != YJ_SCRIPT_OK) {
        fprintf(stderr, "%s\n", yj_script_error(s));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    if (output && !yj_script_output_used(s))
        fprintf(stderr, _("yingji run: warning: -o %s: the script wrote no file there (its "
                "tables go to standard output; --results FILE writes them to a file)\n"), output);
    const yj_results *res = yj_script_results(s);
    for (size_t k = 0; k < wopts.ntables; k++) {
        size_t t = 0;
        while (t < yj_results_count(res) && strcmp(yj_results_name(res, t), tables[k])) t++;
        if (t == yj_results_count(res)) {
            fprintf(stderr, _("yingji run: --table %s: the script published no table %s (it "
                    "published:"), tables[k], tables[k]);
            for (t = 0; t < yj_results_count(res); t++)
                fprintf(stderr, " %s", yj_results_name(res, t));
            fprintf(stderr, ")\n");
            status = YJ_EXIT_USAGE;
            goto done;
        }
    }
    if (split) {
        status = write_split(s, &wopts, split, results ? results : ".");
        goto done;
    }
    char msg[512];
    if (fmt == YJ_FORMAT_XLSX) {
        if (yj_results_write_xlsx(s, &wopts, results, msg, sizeof msg) != 0) {
            fprintf(stderr, "yingji run: %s: %s\n", results, msg);
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
    } else if (results) {
        /* Text, CSV or JSON into a file: a temp beside it, renamed when complete. */
        out_file f;
        FILE *fp = NULL;
        if (out_open(&f, results, msg, sizeof msg) != 0) {
            fprintf(stderr, "yingji run: %s\n", msg);
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
        int fd = dup(f.fd);
        if (fd < 0 || !(fp = fdopen(fd, "w")) ||
            yj_results_write_opts(res, fmt, &wopts, fp) != 0) {
            fprintf(stderr, _("yingji run: %s: cannot write the results: %s\n"), results, strerror(errno));
            if (fp) fclose(fp); else if (fd >= 0) close(fd);
            out_abort(&f);
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
        if (fclose(fp) != 0) {
            fprintf(stderr, _("yingji run: %s: cannot write the results: %s\n"), results, strerror(errno));
            out_abort(&f);
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
        if (out_commit(&f, 0, msg, sizeof msg) != 0) {
            fprintf(stderr, "yingji run: %s\n", msg);
            status = YJ_EXIT_SCRIPT;
            goto done;
        }
    } else if (yj_results_write_opts(res, fmt, &wopts, stdout) != 0) {
        fprintf(stderr, _("yingji run: cannot write the results: %s\n"), strerror(errno));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    status = YJ_EXIT_OK;
done:
    free(tables);
    yj_script_free(s);
    sqlite3_close(db);
    return status;
}
