/* imp_import.h — importing one CSV file into one dataset (shared/spec/data.md).
 *
 * The file is read twice, streaming, in IMP_CHUNK reads: once to detect its encoding,
 * once to hash, decode, parse (libcsv, strict), validate and store it. One file is
 * one transaction: it lands whole or, when rejected, the database is untouched.
 * Errors are printed as "FILE:LINE:COLUMN: reason" where LINE is the physical line on
 * which the record starts (1-based) and COLUMN the 1-based field index in the file;
 * errors about the file as a whole are "FILE:LINE: reason".
 *
 * The error convention of the importer and storage layer (imp_*, db_check, dataset):
 *   - a function returns 0 / a handle on success, -1 / NULL on failure, with the reason
 *     in a buffer the caller provides (char *err, size_t cap): never malloc'd, never
 *     printed by the callee (imp_resolver_load, imp_writer_*);
 *   - the import of a file is the exception by design: its messages are its output,
 *     printed as they are found (FILE:LINE:COL on opt->err, capped), and its outcome is
 *     an imp_status that the command maps to an exit code;
 *   - out of memory is a failure like any other, reported as "out of memory" (the file
 *     is rejected, the row refused): never an abort (no glib allocation in the
 *     importer: its SQL is built in fixed buffers), never ignored;
 *   - db_open and db_migrate (db.h) still hand back a malloc'd message: their callers
 *     include cmd_run.c and cmd_archive.c, to move to a caller buffer with them. */
#ifndef YJ_IMP_IMPORT_H
#define YJ_IMP_IMPORT_H

#include <sqlite3.h>
#include <stdio.h>

#include "imp_columns.h"

typedef struct {
    int encoding;       /* IMP_ENC_AUTO, IMP_ENC_UTF8, IMP_ENC_GB18030 */
    int skip;           /* --on-error skip: bad rows go to a rejects file */
    int max_errors;     /* errors listed before "... and N more errors" */
    int progress;       /* a progress bar on err when it is a terminal and the file large */
    FILE *out;          /* the summary line */
    FILE *err;          /* errors and warnings */
    const char *sheet;  /* a workbook's sheet by name or 1-based number; NULL: the one
                           whose header matches the dataset */
    const char *received; /* imports.received, ISO 'YYYY-MM-DD' (checked by the caller);
                             NULL: today, local date */
} imp_options;

typedef struct {
    long rows, added, updated, unchanged, rejected;
    long errors;
    long warnings;              /* warnings reported (listed or counted past the cap) */
    long long batch;            /* imports.id, 0 when nothing was recorded */
    char encoding[16];          /* "utf-8" or "gb18030" */
    char rejects[4096];         /* the rejects file written, or "" */
} imp_result;

/* The outcome of one file (the command maps it to its exit status). */
typedef enum {
    IMP_IMPORTED = 0,   /* every row stored (or unchanged) */
    IMP_REJECTED,       /* nothing stored: the database is unchanged */
    IMP_PARTIAL         /* good rows stored, bad rows skipped into the rejects file */
} imp_status;

/* Imports path into dataset ds of db (opened read-write by db_open). Prints the summary
 * line on opt->out and the errors on opt->err (messages are the importer's output, not
 * its status: see imp_int.h for the convention). */
imp_status imp_import_file(sqlite3 *db, const imp_dataset *ds, const char *path,
                    const imp_options *opt, imp_result *res);

#endif
