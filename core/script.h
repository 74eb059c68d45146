/* script.h — the Lua 5.4 script runtime: run a sandboxed script over a read-only
 * database and get its published result tables back.
 *
 * One yj_script handle describes one run: the database, the run context (as_of,
 * --set parameters, output path, format), the limits, and where Lua sources come from.
 * yj_script_run loads and runs the script in a fresh lua_State; afterwards the handle
 * holds the published tables (yj_script_results), the error message if it failed
 * (yj_script_error) and every Lua file the run loaded (yj_script_loaded_files), which is
 * what `yingji archive` freezes and `yingji verify` feeds back through
 * yj_script_set_sources. A handle may be run again; each run starts from scratch.
 *
 * Typical use:
 *   yj_script *s = yj_script_new();
 *   yj_script_set_db(s, db);                      // borrowed, read-only handle
 *   yj_script_set_as_of(s, "2020-06-30");
 *   yj_script_set_param(s, "period", "month");    // typed like --set
 *   if (yj_script_run(s, "scripts/double_decline.lua") != 0)
 *       fprintf(stderr, "%s\n", yj_script_error(s));
 *   else
 *       yj_results_write(yj_script_results(s), YJ_FORMAT_JSON, stdout);
 *   yj_script_free(s);
 *
 * Strings passed in are copied unless a comment says "borrowed". Everything returned
 * as const is owned by the handle and stays valid until the next yj_script_run or
 * yj_script_free.
 *
 * Errors (the runtime's convention): a function returns a status (YJ_SCRIPT_* for the
 * handle's functions, 0/-1 for the result writers) and the message is held by the handle
 * (yj_script_error). The runtime prints nothing of its own (a script's print() goes to
 * stderr; the `yingji test` harness prints its report) and never exits (the watchdog of
 * script_watchdog.h is the one exception, by design). Out of memory is such an error
 * ("out of memory"), never an abort. */
#ifndef YJ_SCRIPT_H
#define YJ_SCRIPT_H

#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

typedef struct yj_script yj_script;
typedef struct yj_results yj_results;

/* Output formats of the result tables (shared/spec/cli.md "Output formats"). */
typedef enum { YJ_FORMAT_TEXT = 0, YJ_FORMAT_CSV = 1, YJ_FORMAT_JSON = 2, YJ_FORMAT_XLSX = 3 } yj_format;

/* Parses "text", "csv", "json" or "xlsx"; returns 0 and sets *out, or -1. (xlsx is a
 * file, written by yj_results_write_xlsx; the stream writers refuse it.) */
int yj_format_parse(const char *name, yj_format *out);
const char *yj_format_name(yj_format f);

/* Status of yj_script_run and of the setters. */
enum {
    YJ_SCRIPT_OK = 0,
    YJ_SCRIPT_EUSAGE = 1,   /* bad argument to a setter (message in yj_script_error) */
    YJ_SCRIPT_ERROR = 4     /* the script failed or hit a limit: exit status 4 */
};

/* Default limits (each can be changed with yj_script_set_limits). */
#define YJ_DEFAULT_MAX_INSTRUCTIONS 2000000000LL   /* Lua VM instructions per run */
#define YJ_DEFAULT_MAX_MEMORY       (512LL << 20)  /* bytes of Lua heap */
#define YJ_DEFAULT_SQL_TIMEOUT_MS   60000LL        /* total time inside SQLite per run */

/* ---- lifetime ---- */

/* A new handle with defaults: no database, as_of = today, no params, no output, format
 * text, default limits, sources from the filesystem. Returns NULL only when out of
 * memory. Free with yj_script_free (NULL is a no-op). */
yj_script *yj_script_new(void);
void yj_script_free(yj_script *s);

/* ---- configuration (each returns 0, or YJ_SCRIPT_EUSAGE with yj_script_error set) ---- */

/* The database the script queries. Borrowed: the caller keeps ownership and must keep
 * it open until the handle is freed. Open it read-only (db_open(..., DB_READONLY)); the
 * runtime additionally installs, for the duration of each run only, an authorizer (no
 * writes, ATTACH, state-changing PRAGMA; SQL functions from an allow-list), a progress
 * handler (the SQL time limit), SQLITE_LIMIT_LENGTH at 32 MB or the memory cap,
 * SQLITE_LIMIT_SQL_LENGTH 1 MB, no attached databases, and sqlite3_hard_heap_limit64 at
 * the memory cap + 64 MB (process-wide: other connections used during a run share it);
 * all are restored afterwards. What stays on the connection: fts3_tokenizer() and
 * load_extension() are switched off, and printf()/format() are replaced by a version
 * that refuses a width or precision above the length limit (same results otherwise).
 * NULL: scripts calling sql.* get an error. */
int yj_script_set_db(yj_script *s, sqlite3 *db);

/* ctx.as_of, an ISO date "YYYY-MM-DD" (validated: 2020-02-30 is refused).
 * NULL means today (local time). */
int yj_script_set_as_of(yj_script *s, const char *iso);

/* ctx.known_on, an ISO date "YYYY-MM-DD" (validated), or NULL for none (ctx.known_on
 * nil). Only tells the script: the caller shows it the database as known then
 * (db_known_on). */
int yj_script_set_known_on(yj_script *s, const char *iso);

/* Adds ctx.params[key] from its text, typed like `--set`: an integer or decimal number
 * becomes a number (not with a leading zero: "007" stays text), "true"/"false" a
 * boolean, anything else stays a string. A key set twice keeps the last value. Keys
 * must be identifiers ([A-Za-z_][A-Za-z0-9_]*). */
int yj_script_set_param(yj_script *s, const char *key, const char *value);
/* The same from one "KEY=VALUE" argument. */
int yj_script_set_param_arg(yj_script *s, const char *key_eq_value);

/* ctx.output: the -o path (NULL for none). The script may create this file, files
 * inside the folder of yj_script_set_output_dir, and nothing else. */
int yj_script_set_output(yj_script *s, const char *path);

/* Lets the script create files inside dir too (NULL: no folder). The command decides:
 * `yingji run`, `archive` and `verify` pass the briefing's --set charts_dir, `yingji
 * test` a run_script's params.charts_dir inside test_dir; the runtime itself reads no
 * parameter for this. param names that parameter in refusals ("charts_dir"; NULL: none).
 * Both copied. The folder is resolved (realpath) each time a file is asked for. */
int yj_script_set_output_dir(yj_script *s, const char *param, const char *dir);

/* The text of the parameter key as set (yj_script_set_param), or NULL. Owned by the
 * handle; valid until the parameter is set again or the handle is freed. */
const char *yj_script_param(const yj_script *s, const char *key);

/* ctx.format ("text" | "csv" | "json"); only informs the script. */
int yj_script_set_format(yj_script *s, yj_format f);

/* Limits; a value <= 0 keeps the current one. max_memory is in bytes and caps the Lua
 * heap plus the published tables. (The wall-clock --timeout of `yingji run` is a
 * command-line watchdog, not part of the handle.) */
int yj_script_set_limits(yj_script *s, long long max_instructions, long long max_memory,
                         long long sql_timeout_ms);

/* on != 0: the process ends soon after this handle's runs (`yingji run`), so a run may
 * leave its Lua state to the process's exit instead of freeing it object by object, when
 * nothing but memory would be lost (yj_script_run says when). Off by default. */
void yj_script_set_exit_after(yj_script *s, int on);

/* ---- where Lua sources come from ---- */

/* One Lua source file: the main script (name == NULL) or a module (name is what was
 * passed to require, e.g. "periods"). path is the file as found (the chunk name without
 * '@', so errors read "path:LINE: ..."); text/len its exact bytes. */
typedef struct {
    const char *name;
    const char *path;
    const char *text;
    size_t len;
} yj_source;

/* A source provider. Called with name == NULL for the main script (then script_path is
 * the path given to yj_script_run) and with the module name for each require (the
 * module name has been checked: letters, digits, '_' and '.' only; a '.' means a
 * folder). script_path is always the main script's path.
 * On success returns 0 and sets *path and *text (both malloc'd; the runtime frees them)
 * and *len. When the source does not exist returns 1 and may set *errmsg (malloc'd) to
 * say where it looked. Other failures return -1 with *errmsg. */
typedef int (*yj_source_fn)(void *ud, const char *script_path, const char *name,
                            char **path, char **text, size_t *len, char **errmsg);

/* Replaces the provider (fn == NULL restores the filesystem default). ud is borrowed. */
void yj_script_set_source_fn(yj_script *s, yj_source_fn fn, void *ud);

/* Sources from memory, e.g. a frozen archive: the main script is the entry with
 * name == NULL, each module the entry whose name matches the require. The array is
 * copied (deep), so the caller may free it right after. */
int yj_script_set_sources(yj_script *s, const yj_source *files, size_t n);

/* The default filesystem provider (exposed for tests and wrappers). The main script is
 * read from script_path. require "a.b" tries, in order:
 *   1. DIR/a/b.lua where DIR is the folder of the main script;
 *   2. LIB/a/b.lua for the first LIB of: $YINGJI_SCRIPTS/lib (if set); BINDIR/scripts/lib,
 *      BINDIR/../../scripts/lib (the source tree, build/rel/yingji),
 *      BINDIR/../share/yingji/scripts/lib (`make install`), where BINDIR is the folder
 *      of the running binary; YJ_SCRIPTS_DIR/lib if that macro is defined at compile time. */
int yj_source_fs(void *ud, const char *script_path, const char *name,
                 char **path, char **text, size_t *len, char **errmsg);

/* ---- running ---- */

/* Runs the script (path as given on the command line; it becomes the chunk name).
 * Returns YJ_SCRIPT_OK, or YJ_SCRIPT_ERROR with yj_script_error set to
 * "path:LINE: message" plus a traceback, or to a limit message such as
 * "script exceeded its instruction budget (N)". Results published before an error
 * are discarded. */
int yj_script_run(yj_script *s, const char *script_path);

/* The last error message, or NULL. Owned by the handle. */
const char *yj_script_error(const yj_script *s);

/* The published tables of the last successful run (never NULL after a successful run;
 * NULL before any run or after a failed one). Owned by the handle. */
const yj_results *yj_script_results(const yj_script *s);

/* Every Lua file the last run loaded, in load order: the main script first (name NULL),
 * then each required module once (the built-in modules of core/script_modules.c, such
 * as "chart", are not listed).
 * Owned by the handle; *n gets the count. Valid also after a failed run. */
const yj_source *yj_script_loaded_files(const yj_script *s, size_t *n);

/* 1 when the last run's script was allowed to write its -o file (ctx.output) — it tried
 * to, by the chart module; 0 when it never did (`yingji run` warns: -o went unused). */
int yj_script_output_used(const yj_script *s);

/* The files the last run was allowed to write inside the folder of
 * yj_script_set_output_dir, as names relative to it ("a.png", "sub/b.svg"), in the order
 * first written, each once (`yingji archive` records them with their SHA-256 and
 * `verify` compares a re-run's). Owned by the handle; *n gets the count. */
const char *const *yj_script_written(const yj_script *s, size_t *n);

/* Statistics of the last run: VM instructions counted (to the hook granularity of 1000)
 * and the peak Lua heap in bytes. Either pointer may be NULL. */
void yj_script_stats(const yj_script *s, long long *instructions, long long *peak_memory);

/* ---- result tables ---- */

typedef enum { YJ_VAL_NULL, YJ_VAL_BOOL, YJ_VAL_INT, YJ_VAL_REAL, YJ_VAL_TEXT } yj_val_type;

typedef struct {
    yj_val_type type;
    union { int b; long long i; double r; struct { const char *s; size_t len; } t; } u;
} yj_value;

size_t yj_results_count(const yj_results *r);                     /* number of tables */
const char *yj_results_name(const yj_results *r, size_t table);   /* in publication order */
size_t yj_results_ncols(const yj_results *r, size_t table);
const char *yj_results_column(const yj_results *r, size_t table, size_t col);
size_t yj_results_nrows(const yj_results *r, size_t table);
/* The cell; out-of-range indices give a NULL-typed value. Pointers are owned by r. */
yj_value yj_results_cell(const yj_results *r, size_t table, size_t row, size_t col);

/* Building a result set in C (`yingji compare` and `show` print through the same
 * writers as `run`). yj_results_new returns an empty set, or NULL when out of memory;
 * the caller owns it and frees it with yj_results_free (NULL is a no-op). */
yj_results *yj_results_new(void);
void yj_results_free(yj_results *r);
/* Appends an empty table; name and the ncols (>= 1) column names are copied.
 * Returns 0, or -1 when out of memory. */
int yj_results_add_table(yj_results *r, const char *name, const char *const *cols,
                         size_t ncols);
/* Appends a row of ncols values (the last table's count) to the last table; text is
 * copied. Returns 0, or -1 when out of memory or there is no table. */
int yj_results_add_row(yj_results *r, const yj_value *cells);

/* A column's title (publish's titles option: 得分 for score), or NULL when it has none. */
const char *yj_results_title(const yj_results *r, size_t table, size_t col);

/* A column's kind (publish's formats option; YJ_COL_AUTO when not given: the xlsx writer
 * then judges by the values). pct values are percentages (12.5 means 12.5%). */
typedef enum {
    YJ_COL_AUTO, YJ_COL_TEXT, YJ_COL_INTEGER, YJ_COL_SCORE, YJ_COL_PCT, YJ_COL_DATE
} yj_col_kind;
yj_col_kind yj_results_kind(const yj_results *r, size_t table, size_t col);

/* Gives column col of the last table (yj_results_add_table) its title (copied; NULL:
 * none) and kind (YJ_COL_AUTO: judged by the values), as publish's titles and formats
 * options do. Returns 0, or -1 when out of memory or there is no such column. */
int yj_results_set_column(yj_results *r, size_t col, const char *title, yj_col_kind kind);

/* How the writers write (yj_results_write_opts, yj_results_write_xlsx); all zero: as
 * yj_results_write. */
typedef struct {
    int titles;                    /* text and CSV headers: the titles where given */
    int excel;                     /* CSV for Excel: a UTF-8 BOM and CRLF line ends */
    const char *const *tables;     /* only these tables (by name; borrowed), NULL: all */
    size_t ntables;
    const char *split_col;         /* xlsx split: only rows whose split_col cell is */
                                   /* split_val (tables without split_col: whole) */
    const char *split_val;
} yj_write_opts;

/* 1 when o selects the table named name (no o, or no table list: every table). */
int yj_write_opts_selects(const yj_write_opts *o, const char *name);

/* yj_results_write with options (o may be NULL). Returns 0, or -1 (write error, or f is
 * YJ_FORMAT_XLSX: errno EINVAL). */
int yj_results_write_opts(const yj_results *r, yj_format f, const yj_write_opts *o, FILE *out);

/* Writes the published tables of s's last run as an Excel workbook at path (through
 * util/out_file: a temp beside it, renamed when complete): one sheet per selected table
 * in publication order, headed by the columns' titles, and a sheet 说明 with the run's
 * provenance (as-of, parameters, the script's SHA-256, the engine version, the data
 * files of the database's import log). The same results and as-of give the same bytes:
 * the document's dates are the as-of date. Returns 0, or -1 with the reason in err. */
int yj_results_write_xlsx(const yj_script *s, const yj_write_opts *o, const char *path,
                          char *err, size_t errlen);

/* The same for a result set built by a command from several runs (`yingji compare`:
 * the comparison of two schemes): the tables of r, then 说明 with each run's scripts
 * (labelled with labels[k] when labels is not NULL), and the first run's as-of,
 * parameters and data files. runs[0] must have run. Returns 0, or -1 with err. */
int yj_results_write_xlsx_runs(const yj_results *r, const yj_script *const *runs,
                               const char *const *labels, size_t nruns, const yj_write_opts *o,
                               const char *path, char *err, size_t errlen);

/* Writes all tables in the given format (the format `yingji run` prints). The JSON
 * form is canonical: same results, same bytes. Returns 0, or -1 on a write error. */
int yj_results_write(const yj_results *r, yj_format f, FILE *out);

/* The same into a malloc'd, NUL-terminated buffer (caller frees); *len may be NULL.
 * Returns 0, or -1 when out of memory. */
int yj_results_to_string(const yj_results *r, yj_format f, char **buf, size_t *len);

/* Formats a double the way the writers do: the shortest text that reads back to the
 * same value (0.1 → "0.1"; integral values without ".0", e.g. 3.0 → "3").
 * buf must hold at least 32 bytes; returns buf. */
char *yj_format_number(double v, char *buf);

#endif
