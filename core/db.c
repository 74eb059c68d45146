/* db.c — open the database with the settings every command relies on, and migrate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "db.h"

static char *dupmsg(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 3;
    char *m = malloc(n);
    if (m) snprintf(m, n, "%s: %s", a, b);
    return m;
}

int db_busy_timeout_ms(void) {
    const char *v = getenv("YINGJI_BUSY_TIMEOUT");
    if (v && *v) {
        char *end;
        long secs = strtol(v, &end, 10);
        if (*end == '\0' && secs >= 0 && secs <= 3600) return (int)secs * 1000;
    }
    return 10000;
}

int db_schema_latest(void) {
    int n = 0;
    while (db_schema_migration(n + 1)) n++;
    return n;
}

int db_schema_version(sqlite3 *db) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int db_migrate(sqlite3 *db, char **errmsg) {
    int have = db_schema_version(db), want = db_schema_latest();
    if (have < 0) { *errmsg = dupmsg("cannot read schema version", sqlite3_errmsg(db)); return -1; }
    if (have > want) {
        char buf[160];
        snprintf(buf, sizeof buf, _("database schema version %d is newer than this yingji (%d)"), have, want);
        *errmsg = strdup(buf);
        return -1;
    }
    if (have == want) return 0;
    char *e = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &e) != SQLITE_OK) goto fail;
    for (int n = have + 1; n <= want; n++) {
        if (sqlite3_exec(db, db_schema_migration(n), NULL, NULL, &e) != SQLITE_OK) goto rollback;
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", n);
        if (sqlite3_exec(db, pragma, NULL, NULL, &e) != SQLITE_OK) goto rollback;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &e) != SQLITE_OK) goto rollback;
    return 0;
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
fail:
    *errmsg = dupmsg("schema migration failed", e ? e : sqlite3_errmsg(db));
    sqlite3_free(e);
    return -1;
}

int db_open(const char *path, int flags, sqlite3 **out, char **errmsg) {
    sqlite3 *db = NULL;
    int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY
               : SQLITE_OPEN_READWRITE | ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
    *out = NULL;
    *errmsg = NULL;
    if (sqlite3_open_v2(path, &db, oflags, NULL) != SQLITE_OK) {
        const char *why = db ? sqlite3_errmsg(db) : _("cannot open");
        *errmsg = (flags & DB_CREATE) ? dupmsg(path, why)
                                      : dupmsg(path, "cannot open (run 'yingji init' first?)");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, db_busy_timeout_ms());
    /* Nothing in yingji uses these; scripts must never reach them (issue 10). */
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (!(flags & DB_READONLY)) {
        /* WAL: readers see the state before or after an import, never between. */
        char *e = NULL;
        if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, &e) != SQLITE_OK) {
            *errmsg = dupmsg(path, e ? e : sqlite3_errmsg(db));
            sqlite3_free(e);
            sqlite3_close(db);
            return -1;
        }
        if (db_migrate(db, errmsg) != 0) {
            sqlite3_close(db);
            return -1;
        }
    } else {
        int have = db_schema_version(db);
        int older_ok = (flags & DB_READ_OLDER) && have >= DB_SCHEMA_READABLE && have < db_schema_latest();
        if (have != db_schema_latest() && !older_ok) {
            char buf[200];
            if (have < 0)
                snprintf(buf, sizeof buf, _("not a yingji database (%s)"), sqlite3_errmsg(db));
            else
                snprintf(buf, sizeof buf, _("schema version %d, this yingji needs %d (run 'yingji init')"),
                         have, db_schema_latest());
            *errmsg = dupmsg(path, buf);
            sqlite3_close(db);
            return -1;
        }
    }
    *out = db;
    return 0;
}
