/* archive.h — the archive file of a frozen evaluation (`yingji archive` / `yingji verify`).
 *
 * An archive is one SQLite file: a snapshot of the database the evaluation read (taken
 * with the sqlite3 backup API, so every data table is there as it was), plus tables
 *   yj_archive        key/value: format, engine version, created_at, script, as_of,
 *                     data_sha256, results_json, results_sha256, manifest_sha256
 *   yj_archive_params the --set parameters as "KEY=VALUE", in order
 *   yj_archive_files  the script and every Lua file it required: name (NULL for the
 *                     script), path, content, sha256
 *   yj_archive_tables each result table as canonical JSON (one row per line), sha256
 * The manifest hash covers every other hash and field, so editing any part — a data
 * row, a script line, a result row — is detected by archive_check.
 * Hashes are lower-case hex SHA-256.
 *
 * Errors (core's convention for functions without a handle): 0, or -1 with the message in
 * *err (malloc'd, the caller frees); out of memory is such an error, never an abort.
 * archive_check and archive_diff also print what they find to the FILE they are given. */
#ifndef YJ_ARCHIVE_H
#define YJ_ARCHIVE_H

#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

#include "script.h"

#define ARCHIVE_FORMAT "yingji-archive 1"

typedef struct {
    char *name;          /* the require name; NULL for the main script */
    char *path;          /* the path it was loaded from */
    char *text;          /* exact bytes (NUL-terminated for convenience) */
    size_t len;
    char sha256[65];
} archive_file;

typedef struct {
    char *name;
    char *json;          /* archive_table_json() */
    char sha256[65];
} archive_table;

/* Everything an archive holds besides the data snapshot. All strings malloc'd and
 * owned by the record; free with archive_record_free. */
typedef struct {
    char *format, *engine, *created_at, *script, *as_of;
    char **params;       /* "KEY=VALUE" */
    size_t nparams;
    archive_file *files;
    size_t nfiles;
    archive_table *tables;
    size_t ntables;
    char *results_json;  /* the engine's canonical JSON of all tables (yj_results_to_string) */
    char results_sha256[65];
    char data_sha256[65];
    char manifest_sha256[65];
} archive_record;

void archive_record_free(archive_record *rec);


/* Copies the database src into a new file at path (which must not exist, or be the empty
 * temp made by out_open; a symlink there is refused) with the
 * sqlite3 backup API, in one read transaction, and leaves it in rollback-journal mode
 * so the archive is one file. Returns 0, or -1 with *err (malloc'd, caller frees). */
int archive_snapshot(sqlite3 *src, const char *path, char **err);

/* The SHA-256 of the data in db: schema (sqlite_master, user_version) and every row of
 * every table except the yj_archive* tables, in a canonical order. 0 or -1 with *err. */
int archive_data_sha256(sqlite3 *db, char out[65], char **err);

/* Table t of r as canonical JSON: {"table":NAME,"columns":[...],"rows":[ then one row
 * array per line, separated by ",\n", then ]}. Malloc'd (caller frees); NULL when out
 * of memory. */
char *archive_table_json(const yj_results *r, size_t t);

/* Fills rec's tables and results_json from r and computes their hashes. 0 or -1. */
int archive_record_results(archive_record *rec, const yj_results *r);

/* Computes rec->manifest_sha256 from every other field (hashes included). */
void archive_manifest(archive_record *rec);

/* Adds the yj_archive* tables holding rec to the snapshot db (read-write handle), in one
 * transaction. 0, or -1 with *err. */
int archive_store(sqlite3 *db, const archive_record *rec, char **err);

/* Opens the archive at path read-only, strictly, before any SQL of its snapshot runs
 * (docs/archive.md): the file is an SQLite database in rollback-journal mode with not
 * one byte after the pages its header counts; sqlite_master is exactly what the engine
 * creates at the snapshot's schema version plus the yj_archive* tables (no trigger,
 * view, virtual table, generated column or table of its own); PRAGMA integrity_check
 * passes. Returns 0 with *db (caller closes); -1 with *err when path is unreadable or
 * not an archive at all; 1 with *err when the archive is refused. */
int archive_open(const char *path, sqlite3 **db, char **err);

/* Reads the record of an archive (db from archive_open), strictly: exactly the keys of
 * yj_archive above, text values with no NUL byte, hashes of 64 hex digits, rows numbered
 * 1, 2, ...; anything else is refused with *err. 0, or -1 with *err; on
 * success the caller frees *rec with archive_record_free. */
int archive_load(sqlite3 *db, archive_record **rec, char **err);

/* Recomputes every hash of the archive — files, data, tables, results, manifest — and
 * prints each mismatch to out. Returns the number of mismatches (0: intact), or -1
 * with *err when the data cannot be read. */
int archive_check(sqlite3 *db, const archive_record *rec, FILE *out, char **err);

/* Compares the frozen tables with the tables of a re-run (as archive_table_json) and
 * prints, per table, the rows only in the archive ("- ") and only in the re-run ("+ "),
 * then each pair of them sharing a key (the fewest leading cells, 1..3, distinct over the
 * table) by column name: "  scores T07: score 72.52 → 57.52; grade 合格 → 不合格".
 * Compares the stored results_json with the re-run's too ("results JSON: ..."). Returns
 * the number of tables that differ, plus one when the results JSON differs. */
int archive_diff(const archive_record *rec, const yj_results *now, FILE *out);

/* A frozen JSON text (a table's or the results') as today's JSON writer writes it: old
 * archives escaped tab/CR as \u0009/\u000d and wrote nan/inf (archive_diff.c). Malloc'd;
 * NULL when out of memory. */
char *archive_canonical_json(const char *json);

#endif
