/* cmd_init.c — `yingji init`: create the database or bring its schema up to date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cli.h"
#include "db.h"

int cmd_init(int argc, char **argv, const char *db_path) {
    for (int i = 1; i < argc;) {
        const char *v;
        int r = cli_option(argc, argv, &i, "db", &v);
        if (r < 0) return YJ_EXIT_USAGE;
        if (r > 0) { db_path = v; continue; }
        if (!strcmp(argv[i], "--help")) {
            printf(_("usage: yingji init [--db FILE]\n"
                   "Creates the database, or applies the schema migrations it lacks.\n"));
            return YJ_EXIT_OK;
        }
        return cli_usage_error("init", "unexpected argument '%s'", argv[i]);
    }
    sqlite3 *db;
    char *err;
    if (db_open(db_path, DB_READWRITE | DB_CREATE, &db, &err) != 0) {
        fprintf(stderr, "yingji init: %s\n", err);
        free(err);
        return YJ_EXIT_REJECTED;
    }
    printf(_("%s: schema version %d\n"), db_path, db_schema_version(db));
    sqlite3_close(db);
    return YJ_EXIT_OK;
}
