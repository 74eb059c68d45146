/* db.h — opening the yingji database and keeping its schema current.
 *
 * The schema is a list of numbered migrations (db_schema.c); PRAGMA user_version holds
 * the number of the last one applied. Opening read-write applies what is missing inside
 * one transaction; opening read-only refuses a database whose schema is not current. */
#ifndef YJ_DB_H
#define YJ_DB_H

#include <sqlite3.h>

enum { DB_READWRITE = 0, DB_READONLY = 1, DB_CREATE = 2, DB_READ_OLDER = 4 };

/* Opens path. flags: DB_READONLY, or DB_READWRITE optionally | DB_CREATE.
 * DB_READONLY | DB_READ_OLDER also opens an older schema from DB_SCHEMA_READABLE on
 * (scripts read it as it is: archives made by earlier releases keep schema 1).
 * A DB_READONLY handle has no mutex (SQLITE_OPEN_NOMUTEX): one thread at a time uses it.
 * On success *out is the handle (caller closes with sqlite3_close) and 0 is returned.
 * On failure returns -1 and *errmsg is a malloc'd message (caller frees; NULL when even
 * that could not be allocated). The one exception to the storage layer's caller-buffer
 * convention (imp_import.h), kept until its callers outside this layer move. */
int db_open(const char *path, int flags, sqlite3 **out, char **errmsg);

/* sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY) that also opens a database on
 * read-only media (no schema check, no settings: `info --check`). 0, or -1 with *db
 * set as sqlite3_open_v2 sets it (the caller closes it either way). */
int db_open_readonly_file(const char *path, sqlite3 **db);

/* The oldest schema whose datasets scripts can read (schema 2 adds imports.received). */
#define DB_SCHEMA_READABLE 1

/* How long a connection waits for another process's write lock: $YINGJI_BUSY_TIMEOUT
 * seconds (0..3600), else 10 s. */
int db_busy_timeout_ms(void);

/* The schema version this build writes, and the one stored in db. */
int db_schema_latest(void);
int db_schema_version(sqlite3 *db);

/* What db's schema (version have, from db_schema_version) is: DB_CURRENT; DB_OLDER (an
 * older yingji schema, or an empty database: migrating brings it up to date); or
 * DB_UNUSABLE (not SQLite, an SQLite database that is not yingji's, a negative or
 * foreign user_version, one made by a newer yingji, unreadable). Unless DB_CURRENT, buf
 * (cap bytes) says why in a sentence for the user, naming this yingji's own schema
 * version (db_schema_latest) and never advising 'yingji init' when init cannot help. */
enum { DB_CURRENT = 0, DB_OLDER = 1, DB_UNUSABLE = 2 };
int db_schema_problem(sqlite3 *db, int have, char *buf, size_t cap);

/* Applies every missing migration in one transaction. Returns 0 or -1 with *errmsg. */
int db_migrate(sqlite3 *db, char **errmsg);

/* The SQL of migration n (1-based), or NULL past the last one. */
const char *db_schema_migration(int n);

/* 1 when sql (an index's text in sqlite_master) is one of the plain, non-UNIQUE CREATE
 * INDEX statements the migrations write, word for word; 0 for anything else (an index
 * someone added, or an edited one). */
int db_schema_index_is_ours(const char *sql);

/* db_known.c: shows db as it was known at the end of date ('YYYY-MM-DD', checked by the
 * caller): TEMP views named like the datasets' tables, imports, revisions and the *_v
 * views, which unqualified names resolve to first. Call inside the read transaction
 * the script will run in (BEGIN first): the views depend on the data (a dataset without
 * revisions gets a simpler one). 0, or -1 with the reason in err. */
int db_known_on(sqlite3 *db, const char *date, char *err, size_t cap);
/* The old versions a view of db_known_on shows come from TEMP tables yj_known_<table>,
 * filled on first need: db_known_fill fills the one named table (a no-op when it is
 * filled already or not one of them); script_sql.c calls it for the tables a script's
 * statement reads, before the statement runs. Any other reader of the views calls
 * db_known_fill_all first. 0, or -1 with the reason in err. */
int db_known_fill(sqlite3 *db, const char *table, char *err, size_t cap);
int db_known_fill_all(sqlite3 *db, char *err, size_t cap);
/* Drops every TEMP view and table of db_known_on: the connection reads today's data
 * again (a test fixture runs several scripts). 0 or -1. */
int db_known_off(sqlite3 *db);

#endif
