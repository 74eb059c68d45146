/* imp_int.h — the importer's private state, shared by imp_import.c (one file, start to
 * end), imp_parse.c (decoding, CSV, header, records), imp_row.c (cells to values,
 * validation), imp_pipe.c (the two threads and the rows handed between them),
 * imp_store.c (SQL), imp_report.c (messages), imp_rejects.c and imp_log.c.
 * A file is imported by two threads, each with its own imp_ctx: the parsing thread
 * (decode, libcsv, header, imp_row_convert) and the storing thread (imp_store_row,
 * counts, the rejects file), joined by an imp_ring of batches.
 * Errors: functions that report (imp_error and friends) return nothing or -1 after
 * reporting; the caller only stops. See imp_import.h for the layer's convention. */
#ifndef YJ_IMP_INT_H
#define YJ_IMP_INT_H

#include <csv.h>
#include <sqlite3.h>
#include <stdio.h>

#include "imp_cells.h"
#include "imp_columns.h"
#include "imp_encoding.h"
#include "sha256.h"
#include "imp_import.h"
#include "imp_resolve.h"
#include "imp_ring.h"

enum {
    IMP_MAX_COLS = 16,            /* columns of the widest dataset */
    IMP_MAX_CHECKS = 4,           /* checks of one dataset */
    IMP_MAX_FILE_COLS = 256,      /* columns a file may have */
    IMP_MAX_FIELD = 64 * 1024,    /* a longer field is a row error */
    IMP_MAX_RECORD = 4 << 20,     /* a longer record stops the file (unterminated quote?) */
    IMP_STORE_ROWS = 16,          /* rows per multi-row INSERT (imp_store_rows) */
    IMP_SINGLE_AFTER_CONFLICT = 256  /* rows stored one by one after a multi-row INSERT failed */
};

/* One value ready to bind: type is SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT or SQLITE_TEXT. */
typedef struct {
    int type;
    int n;               /* bytes of s */
    union {
        long long i;     /* SQLITE_INTEGER */
        double d;        /* SQLITE_FLOAT */
    };
    const char *s;       /* into the record's field buffer, buf, or a static string */
    char buf[24];
} imp_val;               /* 48 bytes: rows cross between the threads as arrays of these */

/* A list of unit ids (tasks' lead and cooperating units), sorted, without repeats. */
typedef struct {
    long long *ids;
    int n, cap;
    char *text;          /* "id,id,..." (the form the stored list is compared in) */
    size_t text_cap;
} imp_list;

/* Messages of the parsing thread, kept in order until the storing thread reports them
 * (imp_pipe.c): records of an imp_msg header and its text. */
typedef struct {
    char *buf;
    size_t len, cap;
    int lost;            /* memory ran out: messages were dropped */
} imp_msgs;

/* How many messages of each kind were listed, and how many were not (--max-errors N
 * of each kind: row errors, file errors, and each kind of warning, told apart by its
 * text with the quoted values left out). Shared by the two contexts of a file; used by
 * the thread that reports (imp_report), never by the parsing thread. */
enum { IMP_WARN_KINDS = 8 };
typedef struct {
    long shown_rows, shown_file, hidden_errors;
    int nwarn;
    struct { char kind[160]; long shown, hidden; } warn[IMP_WARN_KINDS];
} imp_caps;

typedef struct imp_ctx {
    sqlite3 *db;
    const imp_dataset *ds;
    const imp_options *opt;
    const char *path;
    imp_result *res;
    imp_caps *caps;        /* the file's message counts (both contexts: the same) */
    struct imp_hold *hold; /* messages held back until a verdict (both contexts), or NULL */
    imp_resolver *rs;
    long long batch;

    /* CSV parsing */
    struct csv_parser csv;
    char *fbuf;            /* the current record's fields, each NUL-terminated */
    size_t flen, fcap;
    size_t foff[IMP_MAX_FILE_COLS];
    size_t fsize[IMP_MAX_FILE_COLS];   /* original length (a too-long field is not kept) */
    int nf, too_many;
    long nf_all;           /* fields of the record, including those past IMP_MAX_FILE_COLS */
    long line;             /* the physical line being fed (1-based) */
    long rec_line;         /* the line the current record started on */
    long long rec_bytes;   /* bytes fed since the current record started */
    int header_done;
    int fatal;             /* stop reading: the file is rejected as a whole */
    int check_utf8;        /* validate each field (forced UTF-8 on a non-UTF-8 file) */
    int check_fffd;        /* look for U+FFFD (GB18030 decoding replaced bytes) */

    /* a workbook (imp_book.c): rec_line is the sheet's row, field k its column k+1 */
    struct imp_xlsx *book;          /* an .xlsx; NULL for a CSV file */
    struct imp_xls *xls;            /* an .xls */
    int sheet_no;
    int ahead;                      /* read the sheet ahead of its merged areas (imp_xlsx.h) */
    int restart;                    /* the read-ahead failed: import again, merged areas first */
    const char *sheet;              /* its name (messages read FILE:SHEET!CELL) */
    long header_row;
    int header_two;                 /* the header is rows header_row - 1 and header_row */
    char *upper[IMP_MAX_FILE_COLS]; /* the upper row of a two-row header (malloc'd) */
    int nupper;
    const int *kinds;               /* the record's cell kinds (IMP_XCELL_*), or NULL */
    int nkinds;

    /* rows skipped with one warning each kind: titles above a workbook's header, totals
     * and notes (合计, 填表人...) in the data */
    long ntitles, ntrailers;
    char titles[512], trailers[512];

    /* header */
    int nfile;                      /* fields in the header */
    int col_of[IMP_MAX_COLS];       /* dataset column -> file field, or -1 */
    double scale[IMP_MAX_COLS];

    /* the columns of each of the dataset's checks (imp_row_setup): a, b, more[0..2] */
    int chk[IMP_MAX_CHECKS][5];

    /* the row being processed: vals is own_vals (parsing), or the row handed over */
    imp_val *vals;
    imp_val own_vals[IMP_MAX_COLS];
    imp_list lists[IMP_MAX_COLS];
    int row_errors;
    char reasons[1024];             /* the row's reasons, for the rejects file */

    /* storage */
    int nstored;                    /* columns of the table (db != NULL) */
    int stored[IMP_MAX_COLS];       /* their dataset column indexes */
    int nkey, key[4];               /* key columns (dataset indexes) */
    sqlite3_stmt *ins, *sel, *upd, *rev, *seen, *side_del, *side_ins;
    sqlite3_stmt *ins_rows;         /* IMP_STORE_ROWS rows at once; NULL with side tables */
    /* UPDATEs of only the columns a correction changes (imp_store.c: an index whose
     * columns are all unchanged is not rewritten), by the mask of changed columns */
    struct { unsigned long long mask; sqlite3_stmt *st; } upd_by[8];
    int nupd_by;
    int ncmp;
    int cmp[IMP_MAX_COLS];          /* dataset indexes compared, in sel order */
    char *bulk_indexes;             /* imp_store_bulk_begin: the CREATE INDEX statements
                                       of the indexes dropped for the load (owned), or NULL */

    struct imp_rejects *rej;        /* the rejects file (skip mode), opened on first need */

    /* the two threads (imp_pipe.c) */
    imp_ring *ring;                 /* parsing thread: where rows go; NULL: report at once */
    yj_sha256 *hasher;              /* parsing thread: the SHA-256 of the bytes read */
    imp_msgs msgs;                  /* parsing thread: messages not yet handed over */
    long long handed;               /* parsing thread: rows handed over */
    int wal_fd;                     /* parsing thread: the WAL, read-only (imp_pipe_run), or -1 */
    const struct imp_ctx *parser;   /* storing thread: the parsing context (its header) */
    void *pend[IMP_STORE_ROWS];     /* storing thread: rows waiting for ins_rows (entries) */
    int npend;
    int single;                     /* rows still to store one by one (after a conflict) */
    struct imp_sanity *sanity;      /* parsing thread: the sanity warnings' state
                                       (imp_sanity.h; owned by imp_import.c), or NULL */
} imp_ctx;

/* imp_import.c: reports "path:line:col: reason" (col 0: "path:line: reason"); counts. */
void imp_error(imp_ctx *c, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void imp_warning(imp_ctx *c, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A row error: imp_error plus bookkeeping for the rejects file. */
void imp_row_error(imp_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a message in full (the storing thread, or when nothing is deferred). */
void imp_report(imp_ctx *c, int kind, long line, int col, const char *msg);
enum { IMP_MSG_ERROR, IMP_MSG_WARNING, IMP_MSG_ROW };
/* Prints the counts of the messages not listed (at the end of a file). */
void imp_report_hidden(imp_ctx *c);

/* imp_rejects.c: the rejects file FILE.rejects.csv, or FILE.rejects.xlsx for a
 * workbook (its name into c->res->rejects; owned by the parsing context, borrowed by
 * the storing one).
 * Begin: 0, or -1 with the error reported. End: renamed into place when keep (rows
 * were rejected), else dropped, and a rejects file of an earlier import removed. */
int imp_rejects_begin(imp_ctx *c);
void imp_rejects_end(imp_ctx *c, int keep);
/* Drops the rejects file being written, and nothing else (an import done again). */
void imp_rejects_discard(imp_ctx *c);
/* Writes the current record's fields and one more (the reason, or "error") to r. */
typedef struct imp_rejects imp_rejects;
void imp_reject_write(imp_ctx *c, imp_rejects *r, const char *last);

/* imp_parse.c: a field added to the current record; the record complete (the header,
 * or a row checked, converted and handed over). Used by the CSV parser and imp_book.c. */
void imp_parse_field(imp_ctx *c, const char *s, size_t len);
void imp_parse_record(imp_ctx *c);
/* The warning listing the rows of totals and notes skipped (at the end of a file). */
void imp_parse_skipped_warning(imp_ctx *c);

/* imp_book.c: a workbook. Prepare (before the transaction; c->path open as fd): opens
 * it, picks the sheet and its header row; 0, or -1 reported. Parse (the parsing
 * thread): its rows as records; 0, or -1 reported (c->fatal set). Note: a skipped row
 * (title 1: above the header; 0: a total or note) for the warning listing them. */
int imp_book_prepare(imp_ctx *c, int fd, int xls);
int imp_book_parse(imp_ctx *c);
void imp_note_skipped(imp_ctx *c, int title, long row, const char *text);
/* Frees the workbook's reader and what imp_book_* kept (c itself stays). */
void imp_book_close(imp_ctx *c);

/* imp_parse.c: the parsing thread's pass over f (already scanned): decode, parse,
 * convert, hand over. Returns 0, or -1 on a read error (reported; c->fatal set). */
int imp_parse_file(imp_ctx *c, FILE *f, int encoding, long long size);

/* imp_log.c: the file's row of the import log. Start: the next id and the time (no
 * row yet); write: inserts the row, or updates it once written (counts and hash when
 * final). 0, or -1 (the caller reports sqlite3_errmsg). */
typedef struct {
    long long id;
    char at[20];         /* imported_at: when the import started */
    char received[11];   /* received: the day the file was received (opt->received or today) */
    int written;         /* the row exists (units) */
} imp_log_row;
int imp_log_start(imp_ctx *c, imp_log_row *l);
int imp_log_write(imp_ctx *c, imp_log_row *l, const char *sha256, int final);

/* imp_pipe.c: the parsing thread's side */
/* Keeps a message (kind IMP_MSG_*) for the storing thread. */
void imp_pipe_defer(imp_ctx *c, int kind, long line, int col, const char *msg);
/* Hands over the messages kept so far (header: the header is done, too). */
void imp_pipe_flush(imp_ctx *c, int header);
/* Hands over the current record (c->row_errors: errors already found) with its messages. */
void imp_pipe_row(imp_ctx *c);
/* imp_pipe.c: the storing thread's side: stores every row handed over through
 * ring (reporting the messages in order) until the parsing thread closes it. */
void imp_pipe_store(imp_ctx *s, imp_ring *ring);
/* Parses f on a new thread (c, the parsing context) while this one stores (s). Returns
 * 0, or -1 when the threads cannot start or the file cannot be read (reported). */
int imp_pipe_run(imp_ctx *c, imp_ctx *s, FILE *f, int encoding, long long size);

/* imp_row.c: fills c->vals/c->lists from the current record; row errors reported.
 * Returns the number of errors in the row. */
int imp_row_convert(imp_ctx *c);
/* Looks up the column indexes the checks need, once per file. */
void imp_row_setup(imp_ctx *c);
void imp_lists_free(imp_ctx *c);

/* imp_store.c */
int imp_store_prepare(imp_ctx *c);          /* 0 or -1 (message printed) */
void imp_store_finalize(imp_ctx *c);
/* Stores the converted row: new, update (with revision), unchanged, or a row error. */
void imp_store_row(imp_ctx *c);
/* Inserts IMP_STORE_ROWS new rows (values rows[k]) with one statement: 0, or -1 when
 * any of them cannot be inserted as new (nothing changed, nothing reported: the caller
 * stores them one by one with imp_store_row). */
int imp_store_rows(imp_ctx *c, imp_val *const rows[IMP_STORE_ROWS]);
/* The bulk path, inside the file's transaction, before imp_store_prepare: when the
 * dataset's table is empty or has fewer rows than the file of bytes brings (guessed at
 * 128 bytes a line; a workbook: bytes 0), drops its secondary indexes (those created by CREATE INDEX;
 * the UNIQUE and PRIMARY KEY ones stay, so keys and duplicates are checked as ever) and
 * keeps their SQL; imp_store_bulk_end creates them again, each built from the loaded
 * rows at once instead of row by row. A rollback restores them either way. 0 or -1
 * (message printed). */
int imp_store_bulk_begin(imp_ctx *c, long long bytes);
int imp_store_bulk_end(imp_ctx *c);

/* imp_flush.c: the WAL's disk writes started early (Linux; elsewhere nothing is done).
 * wal_open: a read-only descriptor of db's WAL (the caller closes it), or -1; start:
 * asks the kernel to start writing fd's dirty pages, without waiting. */
int imp_flush_wal_open(sqlite3 *db);
void imp_flush_start(int fd);

#endif
