/* script_int.h — private to the script runtime (core/script*.c): the handle's body, the
 * per-run context every Lua C function reaches through lua_getallocf, and the helpers
 * the runtime's files share. Nothing outside core/script*.c includes this (the unit
 * tests and fuzz harnesses of the runtime's internals aside). The commands use the
 * public headers: script.h, script_watchdog.h, script_test.h.
 *
 * Errors in the runtime (this layer's convention): public functions return a status
 * (YJ_SCRIPT_*, or 0/-1) and keep the message in the handle (yj_script_error); Lua C
 * functions raise Lua errors; out of memory is a status (-1 or "out of memory" in the
 * handle) outside Lua and a Lua memory error inside it, never an abort. */
#ifndef YJ_SCRIPT_INT_H
#define YJ_SCRIPT_INT_H

#include <lua.h>
#include <lauxlib.h>

#include "calendar.h"
#include "script.h"
#include "script_pool.h"

/* ---- result tables (script_results.c) ---- */

typedef struct yj_text_block yj_text_block;   /* script_results.c */
typedef struct yj_text_seen yj_text_seen;     /* script_results.c */

typedef struct {
    char *name;
    char **cols;
    char **titles;            /* ncols titles (publish's titles option), NULL when none */
    unsigned char *kinds;     /* ncols yj_col_kind (publish's formats option), NULL: auto */
    size_t ncols;
    yj_value *cells;          /* nrows * ncols, row-major; text cells own their bytes, or
                                 with text_in_blocks their bytes are in text */
    size_t nrows, cap;
    int text_in_blocks;       /* a published table: its text cells' bytes are in text */
    yj_text_block *text;      /* owned: the blocks those bytes are packed into */
    yj_text_seen *seen;       /* while publish reads the rows: the strings copied so far */
} yj_table;

struct yj_results {
    yj_table *t;
    size_t n, cap;
};

/* yj_results_new, yj_results_free: script.h (the commands build result sets too). */

/* Display width of UTF-8 text: East Asian wide and fullwidth characters count 2 (the
 * text writer's columns, the xlsx writer's column widths). */
size_t yj_text_width(const char *s, size_t len);

/* ---- the handle ---- */

typedef struct {
    char *key;
    char *value;
} yj_param;

/* Called after the sandbox is built and before the script is loaded, to add globals
 * (the test harness adds its functions this way). May raise a Lua error. */
typedef void (*yj_extend_fn)(lua_State *L, void *ud);

/* script_outputs.c: forgets the files of yj_script_written. */
void yj_script_written_clear(yj_script *s);

struct yj_script {
    sqlite3 *db;                     /* borrowed */
    int as_of[3];                    /* y, m, d; as_of[0] == 0 means today */
    char known_on[11];               /* ctx.known_on 'YYYY-MM-DD', "" when not set */
    yj_param *params;
    size_t nparams;
    char *output;
    int output_used;                 /* the last run was allowed to write its -o file */
    char *output_dir;                /* yj_script_set_output_dir: the folder, or NULL */
    char *output_dir_param;          /* ... and the --set parameter naming it, or NULL */
    char **written;                  /* owned: files the last run was allowed to write in
                                      * output_dir, relative to it, each once (archive) */
    size_t nwritten;
    yj_format format;
    long long max_instructions, max_memory, sql_timeout_ms;
    yj_source_fn src_fn;
    void *src_ud;
    yj_source *mem;                  /* owned copies for yj_script_set_sources */
    size_t nmem;
    yj_source *loaded;               /* owned: every Lua file the last run loaded */
    size_t nloaded, caploaded;
    yj_results *results;             /* owned */
    char *error;                     /* owned */
    long long stat_instructions, stat_peak;
    int exit_after;                  /* yj_script_set_exit_after */
    yj_extend_fn extend;
    void *extend_ud;
};

/* Sets s->error to the formatted message (replacing the old one). Returns YJ_SCRIPT_EUSAGE. */
int yj_script_fail(yj_script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the run context ---- */

enum { YJ_TRIP_NONE, YJ_TRIP_INSTRUCTIONS, YJ_TRIP_MEMORY, YJ_TRIP_SQL };

typedef struct yj_run {
    yj_script *s;
    lua_State *L;
    const char *script_path;         /* borrowed from the yj_script_run caller */
    /* limits (script_alloc.c, script_limits.c) */
    size_t mem_used, mem_peak, mem_max;
    yj_pool pool;                    /* Lua's small blocks; yj_alloc_release after lua_close */
    long long instructions, max_instructions;
    double sql_used_ms, sql_max_ms, sql_step_start;   /* step_start 0: not in SQLite */
    double sql_coarse_start;         /* step_start on the coarse clock (yj_sql_progress) */
    unsigned sql_progress_calls;     /* progress handler calls (a precise read every 64th) */
    int tripped;                     /* YJ_TRIP_*: once set, the count hook fires always */
    char trip_msg[160];
    /* a growth the cap refused, which Lua retries once after its emergency collection
     * (script_alloc.c): the limit trips only if the retry is refused too */
    int refused;
    const void *refused_ptr;
    size_t refused_osize, refused_size;
    /* the thread running Lua code (script_limits.c): whose hook a refusal sets to fire at
     * the next instruction; a coroutine is kept alive in the registry while named here */
    lua_State *running;
    int running_ref;                 /* its registry slot (luaL_ref), 0 until the first */
    lua_State *running_kept;         /* the coroutine the registry keeps alive for it
                                        while it is being resumed, or NULL */
    /* the collector (script_gc.c): asleep until the heap reaches gc_wake_at */
    int gc_asleep;
    size_t gc_wake_at;
    /* SQL (script_sql.c) */
    char auth_reason[200];
    int saved_length_limit;          /* SQLITE_LIMIT_LENGTH before the run */
    long long saved_heap_limit;      /* sqlite3_hard_heap_limit64 before the run */
    int began_read;                 /* yj_sql_attach opened the read transaction */
    int saved_sql_limits[3];         /* SQLITE_LIMIT_SQL_LENGTH, _ATTACHED, _LIKE_PATTERN_LENGTH */
    char sql_modules[512];           /* " name name ... ": virtual table modules of the db */
    char known_todo[256];            /* " yj_known_<table> ...": as-known tables a statement
                                        being prepared reads (db_known.c fills them) */
    /* results being published (script_results.c) */
    yj_results *results;
    size_t published_bytes;          /* counted against mem_max too */
} yj_run;

/* The run of L (the allocator's user data). */
yj_run *yj_run_of(lua_State *L);

/* script_alloc.c: the capped allocator; ud is the yj_run. */
void *yj_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Returns the heap's memory to malloc once the state is closed (lua_close). */
void yj_alloc_release(yj_run *run);

/* script_gc.c: when the collector runs. yj_gc_sleep stops it for a new state (L built);
 * yj_gc_wake_if_due restarts it once the Lua heap, plus sqlite_bytes of SQLite's (0
 * where not counted), has reached the wake point (called by the count hook and before
 * SQL is prepared). */
void yj_gc_sleep(yj_run *run);
void yj_gc_wake_if_due(lua_State *L, yj_run *run, size_t sqlite_bytes);
/* A full collection where memory outside the Lua heap is short (SQLite's heap, sql.group's
 * totals), as Lua's own before its retry; called from C functions, where a refusal still
 * pending was not retried: that trips the limit instead (the caller checks run->tripped). */
void yj_gc_collect_for_room(lua_State *L, yj_run *run);

/* script_limits.c: install the count hook on L; mark a limit as tripped (the hook then
 * fires on every instruction, so pcall cannot swallow it); the SQL progress handler;
 * bracket each sqlite3_prepare and sqlite3_step with yj_sql_enter/yj_sql_leave so SQL
 * time is counted and the deadline checked between statements too. */
void yj_limits_install(yj_run *run);
void yj_limits_trip(yj_run *run, int what);
/* The cap refused a growth (run->refused set): the hook looks at the next instruction
 * of the running thread (and of the main thread) whether Lua's retry took it, and trips
 * the memory limit if not. The countdowns this restarts are charged as if run out (at
 * most one hook step of the budget too many a refusal). */
void yj_limits_refused(yj_run *run);
/* Before L runs the coroutine at idx (resume, or close with pending __close): raises the
 * trip message in L when a limit has tripped or a refusal is pending (a thread stopped by
 * the hook must not run again: Lua leaves its hooks off), else charges the coroutine's
 * first step, restarts its hook and makes it the running thread. After: yj_limits_check
 * makes L the running thread again and raises the trip message in L if a limit tripped
 * meanwhile or a refusal inside was not retried, so neither resume's false nor a pcall
 * around it lets the script go on. */
void yj_limits_enter_thread(lua_State *L, int idx);
void yj_limits_check(lua_State *L);
int yj_sql_progress(void *ud);
int yj_sql_enter(yj_run *run);   /* -1 (run tripped) when the SQL time is used up */
int yj_sql_leave(yj_run *run);   /* -1 when the run is tripped (this step used it up) */
double yj_now_ms(void);

/* script.c: the handle's source lists. yj_source_push appends a deep copy of f to *v
 * (0, or -1 when out of memory); yj_sources_free frees n entries and the array. */
int yj_source_push(yj_source **v, size_t *n, size_t *cap, const yj_source *f);
void yj_sources_free(yj_source *v, size_t n);
/* Calls the function below nargs arguments on L's stack in protected mode with the
 * message handler; returns the lua status, leaving the results or the error message
 * (with traceback, or the limit message) on the stack. */
int yj_pcall(lua_State *L, int nargs, int nresults);

/* script_sandbox.c: builds a sandboxed state for run (allocator, libraries, ctx, the
 * built-in modules, publish, require, print). Returns NULL with the handle's error set
 * when it cannot. */
lua_State *yj_state_new(yj_run *run);
/* Loads source text as a chunk named "@path" (text mode only) with _ENV = globals. */
int yj_load_source(lua_State *L, const char *path, const char *text, size_t len);
/* Gives every metatable registered so far (a __name in the registry) a __metatable field,
 * so scripts can neither read nor replace it. */
void yj_lock_metatables(lua_State *L);

/* script_require.c: require; upvalue 1 is the table of loaded modules. yj_load_file
 * loads the main script (name NULL) or module name through the source provider, records
 * it among the loaded files and pushes the compiled chunk; raises on failure. */
int yj_require(lua_State *L);
void yj_load_file(lua_State *L, yj_run *run, const char *name);

/* script_date.c (dates themselves: calendar.h) */
void yj_pushdate(lua_State *L, yj_ymd d);
/* A date value, or an ISO string, at idx (raises an error otherwise). */
yj_ymd yj_checkdate(lua_State *L, int idx);
/* 1 and *out when the value at idx is a date value. */
int yj_isdate(lua_State *L, int idx, yj_ymd *out);
int luaopen_yj_date(lua_State *L);
/* The __metatable field of every engine metatable: getmetatable gives scripts this string,
 * so they cannot add a __gc (finalizers run with hooks off) or change engine methods. */
#define YJ_LOCKED_METATABLE "locked"
/* Registers metatable mt for a value class: the meta functions, __name = display, an
 * __index function index whose first upvalue is the table of methods, and __metatable. */
void yj_newclass(lua_State *L, const char *mt, const char *display, const luaL_Reg *meta,
                 const luaL_Reg *methods, lua_CFunction index);

/* script_outputs.c: the output policy of a run. yj_output_allowed: 1 when the script
 * running in L may create or overwrite path, else 0 with the reason in why.
 * yj_output_policy: the same as the chart module's callback (ud: the yj_run). */
int yj_output_allowed(lua_State *L, const char *path, char *why, size_t whylen);
int yj_output_policy(void *ud, const char *path, char *why, size_t whylen);

/* script_modules.c: the runtime's built-in modules (its linit.c). yj_modules_open_globals
 * opens those that are globals (date, period, sql) into L; yj_modules_require pushes the
 * module name when it is a built-in one for require (chart: opened with the run's output
 * policy) and returns 1, else pushes nothing and returns 0. */
void yj_modules_open_globals(lua_State *L);
int yj_modules_require(lua_State *L, const char *name);

/* script_period.c */
int luaopen_yj_period(lua_State *L);

/* script_sql.c */
int luaopen_yj_sql(lua_State *L);
/* Installs/removes the authorizer and the progress handler of run on db. */
void yj_sql_attach(yj_run *run, sqlite3 *db);
void yj_sql_detach(yj_run *run, sqlite3 *db);
/* The part of yj_sql_attach that stays until replaced: fts3_tokenizer and
 * load_extension off, the authorizer and the progress handler of run (the test harness
 * puts it on its fixture databases). */
void yj_sql_guard(yj_run *run, sqlite3 *db);
/* sql.value(query, ...) on db, through the same checks as the sql module: for the
 * fixture databases of `yingji test` (db:value). Arguments from stack index 1. */
int yj_sql_value_on(lua_State *L, sqlite3 *db);
/* Binds the Lua value at idx to parameter i: nil, boolean (0/1), integer, float,
 * string, or a date value (ISO text); raises for anything else. */
int yj_sql_bind(lua_State *L, sqlite3_stmt *st, int i, int idx);
/* For the module's functions in other files. yj_sql_prepare prepares the query at stack
 * index 1 with the arguments after it bound, as sql.rows does (or raises), leaving at
 * index 2 the userdata that owns the statement (finalized by its __gc, or now by
 * yj_sql_done on that index). yj_sql_fail raises the error of db after rc as the
 * module's functions report it. */
sqlite3_stmt *yj_sql_prepare(lua_State *L);
void yj_sql_done(lua_State *L, int idx);
int yj_sql_fail(lua_State *L, sqlite3 *db, int rc);
/* script_sql_group.c: sql.group(query, ...). */
int yj_sql_group(lua_State *L);

/* script_coroutine.c: replaces resume, wrap and close of the coroutine table on the top
 * of L with versions that keep every limit in force inside coroutines. */
void yj_coroutine_sandbox(lua_State *L);

/* script_results.c: the publish() global. */
int yj_publish(lua_State *L);
/* Pushes the value of a result cell onto L (nil for null). */
void yj_push_value(lua_State *L, yj_value v);

/* script_fixture.c: the fixture{...} global and its database values (yj.fixture). */
void yj_fixture_open(lua_State *L);
sqlite3 *yj_fixture_db(lua_State *L, int idx);


#endif
