/* cmd_info.c — `yingji info`: what is in the database — each dataset of the registry
 * (dataset.h) with its row count and date range (accidents by occurred_at, inspections
 * by inspected_on, the years of assessments, targets and tasks), the revision count,
 * and the import log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cli.h"
#include "dataset.h"
#include "db.h"
#include "db_check.h"

static const char *text(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

/* A column title padded with spaces to w display columns (a CJK character takes two),
 * left-aligned or right-aligned, into buf: the headers line up in every language. */
static const char *head(char *buf, size_t cap, const char *s, int w, int right) {
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) cols += *p >= 0xE0 ? 2 : 1;
    int pad = w > cols ? w - cols : 0;
    snprintf(buf, cap, "%*s%s%*s", right ? pad : 0, "", s, right ? 0 : pad, "");
    return buf;
}

/* Prints one line: name, rows and the date range (count, first, last of sql). */
static int info_line(sqlite3 *db, const char *name, const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return -1;
    }
    if (*text(st, 1))
        printf("%-12s %10lld  %-10s  %s\n", name, sqlite3_column_int64(st, 0), text(st, 1), text(st, 2));
    else
        printf("%-12s %10lld\n", name, sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return 0;
}

int cmd_info(int argc, char **argv, const char *db_path) {
    int limit = 20, check = 0;
    for (int i = 1; i < argc;) {
        const char *v;
        int r;
        if ((r = cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            db_path = v;
        } else if ((r = cli_option(argc, argv, &i, "imports", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            limit = atoi(v);
            if (limit < 0 || (limit == 0 && strcmp(v, "0")))
                return cli_usage_error("info", "--imports needs a number, not '%s'", v);
        } else if (!strcmp(argv[i], "--check")) {
            check = 1;
            i++;
        } else if (!strcmp(argv[i], "--all")) {
            limit = -1;
            i++;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(_("usage: yingji info [--imports N | --all | --check]\n"
                   "Shows each dataset with its row count and date range, then the import log\n"
                   "(the last N imports, 20 unless --imports N or --all).\n"
                   "--check: integrity, schema version and orphaned records; exit 5 on a problem.\n"));
            return YJ_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"imports", "check", "all", "help", NULL};
            return cli_unknown_option("info", argv[i], options);
        } else {
            return cli_usage_error("info", "unexpected argument '%s'", argv[i]);
        }
    }
    if (check) return db_check_path(db_path, stdout) == 0 ? YJ_EXIT_OK : YJ_EXIT_VERIFY;
    sqlite3 *db;
    char *err;
    if (db_open(db_path, DB_READONLY, &db, &err) != 0) {
        fprintf(stderr, "yingji info: %s\n", err);
        free(err);
        return YJ_EXIT_REJECTED;
    }
    int status = YJ_EXIT_OK;
    sqlite3_stmt *st = NULL;
    /* One read transaction: the counts and the log come from the same snapshot, even
     * while an import commits (tests/e2e/concurrent_read.sh). */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    printf(_("database %s (schema version %d)\n\n"), db_path, db_schema_version(db));
    char h[11][64];
    printf("%s %s  %s  %s\n", head(h[0], 64, _("dataset"), 12, 0), head(h[1], 64, _("rows"), 10, 1),
           head(h[2], 64, _("from"), 10, 0), _("to"));
    for (int k = 0; k < imp_dataset_count(); k++) {      /* the registry, dataset.h */
        const imp_dataset *ds = imp_dataset_at(k);
        char sql[256];
        if (ds->date_expr)
            snprintf(sql, sizeof sql, "SELECT count(*), min(%s), max(%s) FROM %s", ds->date_expr,
                     ds->date_expr, ds->table);
        else
            snprintf(sql, sizeof sql, "SELECT count(*), NULL, NULL FROM %s", ds->table);
        if (info_line(db, ds->name, sql) < 0) goto fail;
    }
    if (info_line(db, "revisions", "SELECT count(*), NULL, NULL FROM revisions") < 0) goto fail;
    const char *log_sql =
        "SELECT id, imported_at, received, dataset, rows_new, rows_updated, rows_unchanged, rows_rejected,"
        " encoding, substr(sha256, 1, 12), file, (SELECT count(*) FROM imports)"
        " FROM (SELECT * FROM imports ORDER BY id DESC LIMIT ?1) ORDER BY id";
    if (sqlite3_prepare_v2(db, log_sql, -1, &st, NULL) != SQLITE_OK) goto fail;
    sqlite3_bind_int(st, 1, limit);
    printf(_("\nimports\n"));
    printf("%s  %s  %s  %s %s %s %s %s  %s %s  %s\n", head(h[0], 64, _("id"), 4, 1),
           head(h[1], 64, _("time (UTC)"), 19, 0), head(h[2], 64, _("received"), 10, 0),
           head(h[3], 64, _("dataset"), 11, 0), head(h[4], 64, _("new"), 8, 1),
           head(h[5], 64, _("updated"), 8, 1), head(h[6], 64, _("unchanged"), 9, 1),
           head(h[7], 64, _("rejected"), 8, 1), head(h[8], 64, _("encoding"), 8, 0),
           head(h[9], 64, "sha256", 12, 0), _("file"));
    int shown = 0, total = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        printf("%4lld  %-19s  %-10s  %-11s %8lld %8lld %9lld %8lld  %-8s %-12s  %s\n",
               sqlite3_column_int64(st, 0), text(st, 1), text(st, 2), text(st, 3),
               sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
               sqlite3_column_int64(st, 7), text(st, 8), text(st, 9), text(st, 10));
        shown++;
        total = sqlite3_column_int(st, 11);
    }
    if (rc != SQLITE_DONE) goto fail;
    if (shown == 0) printf(_("  (none)\n"));
    else if (total > shown) printf(_("  (%d earlier imports not shown; --all shows them)\n"), total - shown);
    goto done;
fail:
    fprintf(stderr, "yingji info: %s\n", sqlite3_errmsg(db));
    status = YJ_EXIT_REJECTED;
done:
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return status;
}
