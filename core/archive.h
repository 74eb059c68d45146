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

/* The format archive writes (2: known_on, as_known, the outputs table, an optional
 * signature) and the older one verify still reads (1). docs/archive.md. */
#define ARCHIVE_FORMAT "yingji-archive 2"
#define ARCHIVE_FORMAT_1 "yingji-archive 1"

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

/* A file the archived run wrote (format 2): its name relative to the folder it was
 * allowed to write in (--set charts_dir), and the SHA-256 of its bytes. */
typedef struct {
    char *name;
    char sha256[65];
} archive_output;

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
    int version;         /* 1 or 2: the format (archive_load sets it from `format`) */
    /* format 2 only (NULL / 0 in format 1): */
    char *known_on;      /* the knowledge date, YYYY-MM-DD */
    char *as_known;      /* "1": the run saw the data as known on known_on; "0": as it was */
    archive_output *outputs;
    size_t noutputs;
    char *signer;        /* the Ed25519 public key (64 hex), or NULL when unsigned */
    char *signature;     /* the signature of the manifest (128 hex), or NULL */
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

/* Computes rec->manifest_sha256 from every other field (hashes included; not the
 * signature, which signs it). */
void archive_manifest(archive_record *rec);

/* Adds the yj_archive* tables holding rec to the snapshot db (read-write handle), in one
 * transaction. 0, or -1 with *err. */
int archive_store(sqlite3 *db, const archive_record *rec, char **err);

/* The bytes a signature signs: "yingji-archive 2 manifest " and the manifest's SHA-256
 * (archive_sign.c). Into out (at least 96 bytes); returns the length. */
size_t archive_signed_message(const archive_record *rec, char *out, size_t cap);

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

/* The outputs of a run: each of names (relative to dir; yj_script_written) that is a
 * regular file in dir, with its SHA-256, into *out (malloc'd array of *nout, caller frees
 * with archive_outputs_free, also after an error). 0, or -1 with *err. */
int archive_outputs_collect(const char *dir, const char *const *names, size_t n,
                            archive_output **out, size_t *nout, char **err);
void archive_outputs_free(archive_output *o, size_t n);

/* Compares rec's recorded outputs with a re-run's (archive_outputs_collect) by name and
 * prints each difference ("output NAME: changed ..."). Returns their number. */
int archive_outputs_diff(const archive_record *rec, const archive_output *now, size_t nnow, FILE *out);

/* archive_known.c: prints the records of db (today's data) whose version differs from
 * the one known at the end of date (the archive's knowledge date), keyed by record id
 * with the fields that changed, the records new since (one by one those dated on or
 * before as_of, the others counted) and those gone. Returns their number, or -1. */
int archive_known_changes(sqlite3 *db, const char *date, const char *as_of, FILE *out, char **err);

/* A frozen JSON text (a table's or the results') as today's JSON writer writes it: old
 * archives escaped tab/CR as \u0009/\u000d and wrote nan/inf (archive_diff.c). Malloc'd;
 * NULL when out of memory. */
char *archive_canonical_json(const char *json);

/* A message for a char **err: fmt translated (gettext; po/extract.sh lists this funnel),
 * then formatted, at most 639 bytes. Returns a malloc'd string (the caller frees), or NULL
 * when out of memory. */
char *archive_msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
