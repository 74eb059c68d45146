/* cmd_import.c — `yingji import DATASET FILE...`: options, then imp_import_file per file.
 * Each file is its own transaction; the exit status is the worst of the files:
 * 2 when any file was rejected, else 3 when any was partial, else 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "cli.h"
#include "db.h"
#include "imp_encoding.h"
#include "imp_import.h"

static void usage(FILE *out) {
    fprintf(out,
        _("usage: yingji import [--encoding auto|utf-8|gb18030] [--on-error abort|skip]\n"
        "                     [--max-errors N] [--sheet NAME|N] [--received DATE]\n"
        "                     DATASET FILE...\n"
        "Loads CSV files and .xlsx workbooks into DATASET (%s).\n"
        "Headers by canonical name or Chinese alias. Encoding detected unless --encoding\n"
        "says: UTF-8 when most lines with non-ASCII bytes are UTF-8 (the others are row\n"
        "errors), GB18030 when nearly none are, else refused. Each file is one transaction.\n"
        "  --on-error abort   any row error rejects the file, nothing changes (default)\n"
        "  --on-error skip    good rows land; bad rows go to FILE.rejects.csv\n"
        "                     (FILE.rejects.xlsx for a workbook)\n"
        "  --sheet NAME|N     a workbook's sheet (default: the one whose header, found in\n"
        "                     its first 20 rows, names the dataset's columns)\n"
        "  --max-errors N     messages of each kind listed per file (row errors, file errors,\n"
        "                     each kind of warning) before '... and N more' (100)\n"
        "  --received DATE    the day the bureau received the files (default today, local\n"
        "                     date): the knowledge date of what they bring (--known-on)\n"
        "Errors read FILE:LINE:COLUMN: reason (LINE where the record starts, COLUMN the\n"
        "1-based field number; FILE:SHEET!E12 in a workbook). Rows of totals and notes\n"
        "(合计, 总计, 小计, 填表人, 制表, 审核, 注, 说明) are skipped with a warning.\n"
        "Exit status: 0 imported, 1 usage, 2 rejected (nothing changed), 3 partial.\n"), imp_dataset_names());
}

int cmd_import(int argc, char **argv, const char *db_path) {
    imp_options opt = {IMP_ENC_AUTO, 0, 100, 1, stdout, stderr, NULL, NULL};
    char received[11];
    const char *dataset = NULL;
    int nfiles = 0;
    char **files = calloc((size_t)argc, sizeof *files);
    if (!files) return YJ_EXIT_USAGE;
    for (int i = 1; i < argc;) {
        const char *v;
        int r;
        if ((r = cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (r < 0) goto usage_fail;
            db_path = v;
        } else if ((r = cli_option(argc, argv, &i, "encoding", &v)) != 0) {
            if (r < 0) goto usage_fail;
            if (!strcmp(v, "auto")) opt.encoding = IMP_ENC_AUTO;
            else if (!strcasecmp(v, "utf-8") || !strcasecmp(v, "utf8")) opt.encoding = IMP_ENC_UTF8;
            else if (!strcasecmp(v, "gb18030") || !strcasecmp(v, "gbk")) opt.encoding = IMP_ENC_GB18030;
            else { cli_usage_error("import", "unknown encoding '%s' (auto, utf-8, gb18030)", v); goto usage_fail; }
        } else if ((r = cli_option(argc, argv, &i, "on-error", &v)) != 0) {
            if (r < 0) goto usage_fail;
            if (!strcmp(v, "abort")) opt.skip = 0;
            else if (!strcmp(v, "skip")) opt.skip = 1;
            else { cli_usage_error("import", "--on-error takes abort or skip, not '%s'", v); goto usage_fail; }
        } else if ((r = cli_option(argc, argv, &i, "sheet", &v)) != 0) {
            if (r < 0) goto usage_fail;
            opt.sheet = v;
        } else if ((r = cli_option(argc, argv, &i, "max-errors", &v)) != 0) {
            if (r < 0) goto usage_fail;
            opt.max_errors = atoi(v);
            if (opt.max_errors < 1) { cli_usage_error("import", "--max-errors needs a positive number"); goto usage_fail; }
        } else if ((r = cli_option(argc, argv, &i, "received", &v)) != 0) {
            if (r < 0 || cli_date_option("import", "received", v, received) != 0) goto usage_fail;
            opt.received = received;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            free(files);
            return YJ_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"db", "encoding", "on-error", "sheet",
                "max-errors", "received", "help", NULL};
            cli_unknown_option("import", argv[i], options);
            goto usage_fail;
        } else {
            if (!dataset) dataset = argv[i];
            else files[nfiles++] = argv[i];
            i++;
        }
    }
    if (!dataset || !nfiles) {
        usage(stderr);
        goto usage_fail;
    }
    const imp_dataset *ds = imp_dataset_find(dataset);
    if (!ds) {
        cli_usage_error("import", "unknown dataset '%s' (one of: %s)", dataset, imp_dataset_names());
        goto usage_fail;
    }
    /* One thread: spare SQLite its mutexes (a few % of a large import). Refused, and
     * harmless, when SQLite is already initialised. */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    sqlite3 *db;
    char *err;
    if (db_open(db_path, DB_READWRITE | DB_CREATE, &db, &err) != 0) {
        fprintf(stderr, "yingji import: %s\n", err);
        free(err);
        free(files);
        return YJ_EXIT_REJECTED;
    }
    int status = YJ_EXIT_OK;
    for (int k = 0; k < nfiles; k++) {
        imp_result res;
        imp_status s = imp_import_file(db, ds, files[k], &opt, &res);
        if (s == IMP_REJECTED) status = YJ_EXIT_REJECTED;
        else if (s == IMP_PARTIAL && status == YJ_EXIT_OK) status = YJ_EXIT_PARTIAL;
    }
    sqlite3_close(db);
    free(files);
    return status;
usage_fail:
    free(files);
    return YJ_EXIT_USAGE;
}
