/* db.c — open the database with the settings every command relies on, and migrate;
 * and say plainly what is wrong when the database cannot be one (issue 17): a folder,
 * a file that is not SQLite, a SQLite file that is not yingji's, one made by a newer
 * yingji, read-only media, a folder where the WAL files cannot be made. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "db.h"
#include "version.h"

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
    if (have < 0 || have > want) {
        char buf[300];
        db_schema_problem(db, have, buf, sizeof buf);
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

/* 1 when db has a table named name. */
static int has_table(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &st,
                           NULL) != SQLITE_OK) return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* The number of objects in db's schema, or -1 when it cannot be read (then the reason
 * is sqlite3_errmsg(db): "file is not a database" for a file that is not SQLite). */
static int schema_objects(sqlite3 *db) {
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

int db_schema_problem(sqlite3 *db, int have, char *buf, size_t cap) {
    int latest = db_schema_latest();
    int objects = schema_objects(db);
    buf[0] = '\0';
    if (objects < 0) {
        if (sqlite3_errcode(db) == SQLITE_NOTADB)
            snprintf(buf, cap, _("not a yingji database: not an SQLite database at all (%s)"), sqlite3_errmsg(db));
        else
            snprintf(buf, cap, _("cannot read the database: %s"), sqlite3_errmsg(db));
        return DB_UNUSABLE;
    }
    int ours = has_table(db, "imports") && has_table(db, "units");
    if (objects > 0 && !ours) {
        snprintf(buf, cap, _("not a yingji database: an SQLite database with other tables"
                 " (user_version %d); yingji leaves it alone"), have);
        return DB_UNUSABLE;
    }
    if (have < 0 || (have == 0 && ours)) {
        snprintf(buf, cap, _("not a yingji database: its schema version (user_version %d) is not one"
                 " yingji writes (1 to %d)"), have, latest);
        return DB_UNUSABLE;
    }
    if (have > latest) {
        snprintf(buf, cap, _("made by a newer yingji (schema %d); this is yingji %s with schema %d:"
                 " use that newer yingji with this database"), have, YJ_VERSION, latest);
        return DB_UNUSABLE;
    }
    if (have == 0) {
        snprintf(buf, cap, "%s", _("an empty database (run 'yingji init' to make it a yingji database)"));
        return DB_OLDER;
    }
    if (have < latest) {
        snprintf(buf, cap, _("schema version %d, this yingji needs %d (run 'yingji init')"), have, latest);
        return DB_OLDER;
    }
    return DB_CURRENT;
}

/* The folder of path (into dir). */
static void folder_of(const char *path, char *dir, size_t cap) {
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(dir, cap, ".");
    else if (slash == path) snprintf(dir, cap, "/");
    else snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

/* 1 when the file path+suffix exists. */
static int exists(const char *path, const char *suffix) {
    char name[4200];
    struct stat sb;
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &sb) == 0;
}

/* The URI that opens path read-only as immutable (SQLite then needs no -shm file: a
 * database on read-only media, checkpointed, without a WAL file). NULL when too long. */
static char *immutable_uri(const char *path) {
    size_t n = strlen(path);
    char *uri = malloc(n * 3 + 32);
    if (!uri) return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    strcpy(o, "?mode=ro&immutable=1");
    return uri;
}

/* sqlite3_open_v2 of path with oflags, except on read-only media (*ro_media set: the
 * folder cannot be written), where SQLite cannot make the WAL index (-shm) beside the
 * file: a read-only open of a database without WAL files is made immutable instead. */
static int open_file(const char *path, int oflags, sqlite3 **db, int *ro_media) {
    char dir[4096];
    int plain = strcmp(path, ":memory:") && strncmp(path, "file:", 5) && *path, why = 0;
    if (plain) {
        folder_of(path, dir, sizeof dir);
        why = access(dir, W_OK) != 0 ? errno : 0;
    }
    *ro_media = why == EROFS || why == EACCES;
    /* immutable only on a read-only file system, where no one can be writing it; a
     * folder merely not writable by this user may be written by another */
    int erofs = why == EROFS;
    char *uri = NULL;
    if (!(oflags & SQLITE_OPEN_READWRITE) && erofs && !exists(path, "-wal") && !exists(path, "-shm") &&
        (uri = immutable_uri(path)) != NULL)
        oflags |= SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(uri ? uri : path, db, oflags, NULL);
    free(uri);
    return rc;
}

int db_open_readonly_file(const char *path, sqlite3 **db) {
    int ro_media;
    return open_file(path, SQLITE_OPEN_READONLY, db, &ro_media) == SQLITE_OK ? 0 : -1;
}

int db_open(const char *path, int flags, sqlite3 **out, char **errmsg) {
    sqlite3 *db = NULL;
    /* A reading connection serves one thread (a script run, a report): without SQLite's
     * per-connection mutex, which every sqlite3_column_* call took (10 % of what a row
     * costs a script's sql.rows). The import's writing connection keeps it. */
    int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
               : SQLITE_OPEN_READWRITE | ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
    int plain = strcmp(path, ":memory:") && strncmp(path, "file:", 5) && *path;
    struct stat sb;
    *out = NULL;
    *errmsg = NULL;
    if (plain && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        *errmsg = dupmsg(path, _("is a folder, not a database file (--db names the file, e.g. --db FOLDER/yingji.db)"));
        return -1;
    }
    int ro_media = 0;
    if (open_file(path, oflags, &db, &ro_media) != SQLITE_OK) {
        const char *why = db ? sqlite3_errmsg(db) : _("cannot open");
        *errmsg = ro_media && !(flags & DB_READONLY)
                    ? dupmsg(path, _("its folder cannot be written (read-only media or permissions): nothing can be written"))
                : (flags & DB_CREATE) ? dupmsg(path, why)
                : plain && stat(path, &sb) != 0 ? dupmsg(path, _("cannot open (run 'yingji init' first?)"))
                : dupmsg(path, why);
        sqlite3_close(db);
        return -1;
    }
    if (!(flags & DB_READONLY) && plain) {
        const char *why = NULL;
        if (sqlite3_db_readonly(db, "main") == 1)
            why = _("the database file is read-only (read-only media or permissions): nothing can be written to it");
        else if (ro_media && !(exists(path, "-wal") && exists(path, "-shm")))
            why = _("its folder cannot be written (read-only media or permissions), and SQLite must"
                  " make its journal files (FILE-wal, FILE-shm) there: nothing can be written");
        if (why) {
            *errmsg = dupmsg(path, why);
            sqlite3_close(db);
            return -1;
        }
    }
    sqlite3_busy_timeout(db, db_busy_timeout_ms());
    /* Nothing in yingji uses these; scripts must never reach them (issue 10). */
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (!(flags & DB_READONLY)) {
        /* not a database, not yingji's, from a newer yingji: say so and touch nothing */
        char why[300];
        if (db_schema_problem(db, db_schema_version(db), why, sizeof why) == DB_UNUSABLE) {
            *errmsg = dupmsg(path, why);
            sqlite3_close(db);
            return -1;
        }
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
        char buf[300];
        int problem = db_schema_problem(db, have, buf, sizeof buf);
        int older_ok = (flags & DB_READ_OLDER) && problem == DB_OLDER && have >= DB_SCHEMA_READABLE;
        if (problem != DB_CURRENT && !older_ok) {
            *errmsg = dupmsg(path, buf);
            sqlite3_close(db);
            return -1;
        }
    }
    *out = db;
    return 0;
}
