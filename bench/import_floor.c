/* import_floor.c — the storage floor of the inspections table (issue 18's import target):
 * what SQLite alone needs to store the rows `yingji import` stores, in a candidate layout.
 * The rows are read from SOURCE (a database `yingji import` filled) into memory first,
 * untimed; then TARGET is made afresh and they are inserted under the importer's settings
 * (WAL, synchronous NORMAL, 8 MB of page cache, one transaction, 16 rows per INSERT, as
 * core/imp_store.c does), and the phases are timed: the load, the indexes built after it,
 * the COMMIT, the close. Then the scoring's scan of the inspections (scripts/lib/
 * scoring_data.lua) is timed on the result. bench/import_floor.sh runs it.
 *
 * usage: import_floor SOURCE TARGET LAYOUT
 * LAYOUT: comma-separated words, the first `current` (the schema's table, WITHOUT ROWID
 * keyed by id) or `rowid` (the same columns in a rowid table, UNIQUE(id) built after the
 * load by one sort); then any of `indexes` (date and unit indexes built after the load),
 * `covering` (an index of the scoring's columns by date, built after the load, which the
 * scan then reads instead of the table), `nocheck` (no CHECK on kind), `intday` (inspected_on as a day number), `page16k`,
 * `rows64` (64 rows per INSERT), `journaloff` (no WAL: not safe, for scale only).
 * Prints: layout, total wall s, total CPU s, load, indexes, commit, close (wall s), the
 * file's MB, the scan's s. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char id[32], day[12], sector[24], enterprise[64], kind[12];
    long long unit, inspector, batch;
    int has_inspector, found, major, rectified, penalties, suspended, daynum;
    double fine;
} row;

static row *rows;
static int nrows;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "import_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) die(db, sql);
}

/* 1 when word is one of the comma-separated words of list. */
static int has(const char *list, const char *word) {
    size_t n = strlen(word);
    for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0')) return 1;
    return 0;
}

static void text(char *dst, size_t cap, sqlite3_stmt *st, int k) {
    const char *s = (const char *)sqlite3_column_text(st, k);
    if (!s || strlen(s) >= cap) { fprintf(stderr, "import_floor: column %d too long or NULL\n", k); exit(1); }
    strcpy(dst, s);
}

/* Days since 1970-01-01 of 'YYYY-MM-DD'. */
static int day_number(const char *d) {
    int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8), a = (14 - m) / 12, yy = y + 4800 - a, mm = m + 12 * a - 3;
    return dd + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045 - 2440588;
}

/* Reads SOURCE's inspections into rows; returns its CREATE TABLE text (malloc'd). */
static char *read_source(const char *path) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(db, path);
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'inspections'", -1, &st, NULL) ||
        sqlite3_step(st) != SQLITE_ROW)
        die(db, "the inspections table");
    char *ddl = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT id, inspected_on, unit_id, sector, enterprise, kind, hazards_found,"
                           " major_hazards, hazards_rectified, penalty_cases, fine, suspended, inspector_id,"
                           " batch FROM inspections", -1, &st, NULL))
        die(db, "reading");
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nrows == cap) {
            cap = cap ? cap * 2 : 65536;
            if (!(rows = realloc(rows, (size_t)cap * sizeof *rows))) die(NULL, "memory");
        }
        row *r = &rows[nrows++];
        text(r->id, sizeof r->id, st, 0);
        text(r->day, sizeof r->day, st, 1);
        r->daynum = day_number(r->day);
        r->unit = sqlite3_column_int64(st, 2);
        text(r->sector, sizeof r->sector, st, 3);
        text(r->enterprise, sizeof r->enterprise, st, 4);
        text(r->kind, sizeof r->kind, st, 5);
        r->found = sqlite3_column_int(st, 6);
        r->major = sqlite3_column_int(st, 7);
        r->rectified = sqlite3_column_int(st, 8);
        r->penalties = sqlite3_column_int(st, 9);
        r->fine = sqlite3_column_double(st, 10);
        r->suspended = sqlite3_column_int(st, 11);
        r->has_inspector = sqlite3_column_type(st, 12) != SQLITE_NULL;
        r->inspector = sqlite3_column_int64(st, 12);
        r->batch = sqlite3_column_int64(st, 13);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ddl;
}

/* Replaces the first `from` of s by `to` (in place, s has room); exits when absent. */
static void replace(char *s, const char *from, const char *to) {
    char *p = strstr(s, from);
    if (!p) { fprintf(stderr, "import_floor: '%s' not in the table's SQL\n", from); exit(1); }
    memmove(p + strlen(to), p + strlen(from), strlen(p + strlen(from)) + 1);
    memcpy(p, to, strlen(to));
}

/* The CREATE TABLE of the layout, from the schema's own. */
static void layout_ddl(char *s, const char *layout) {
    if (has(layout, "rowid")) {
        replace(s, "id TEXT NOT NULL PRIMARY KEY", "id TEXT NOT NULL");
        replace(s, " WITHOUT ROWID", "");
    }
    if (has(layout, "intday")) replace(s, "inspected_on TEXT", "inspected_on INTEGER");
    if (has(layout, "nocheck")) {
        char *p = strstr(s, " CHECK (");
        if (!p) die(NULL, "no CHECK");
        int depth = 0;
        char *q = p + 7;
        do { depth += (*q == '(') - (*q == ')'); q++; } while (depth > 0 && *q);
        memmove(p, q, strlen(q) + 1);
    }
}

static double scan(const char *path, int intday, int covering) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(db, path);
    exec(db, "PRAGMA mmap_size = 2147418112");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT unit_id, count(*), sum(hazards_found), sum(hazards_rectified),"
             " group_concat(CASE WHEN hazards_rectified < hazards_found THEN id END, ';')"
             " FROM inspections %s WHERE inspected_on >= %s AND inspected_on < %s GROUP BY unit_id",
             covering ? "INDEXED BY inspections_scoring" : "NOT INDEXED", intday ? "18262" : "'2020-01-01'", intday ? "18628" : "'2021-01-01'");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL)) die(db, "scan");
    double best = 1e9;
    for (int k = 0; k < 3; k++) {
        double t0 = now();
        while (sqlite3_step(st) == SQLITE_ROW) {}
        sqlite3_reset(st);
        if (now() - t0 < best) best = now() - t0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return best;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: import_floor SOURCE TARGET LAYOUT\n"); return 2; }
    const char *target = argv[2], *layout = argv[3];
    if (!has(layout, "current") && !has(layout, "rowid")) { fprintf(stderr, "import_floor: current or rowid\n"); return 2; }
    char *src = read_source(argv[1]), ddl[4096];
    if (strlen(src) >= sizeof ddl) die(NULL, "long SQL");
    strcpy(ddl, src);
    free(src);
    layout_ddl(ddl, layout);
    int intday = has(layout, "intday"), per = has(layout, "rows64") ? 64 : 16;
    char post[512] = "";
    if (has(layout, "rowid")) strcat(post, "CREATE UNIQUE INDEX inspections_id ON inspections(id);");
    if (has(layout, "indexes"))
        strcat(post, "CREATE INDEX inspections_by_date ON inspections(inspected_on);"
                     "CREATE INDEX inspections_by_unit ON inspections(unit_id, inspected_on);");
    if (has(layout, "covering"))
        strcat(post, "CREATE INDEX inspections_scoring ON inspections(inspected_on, unit_id, hazards_found,"
                     " hazards_rectified, id);");
    char side[1100];
    snprintf(side, sizeof side, "%s-wal", target);
    unlink(target);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", target);
    unlink(side);

    sqlite3 *db;
    if (sqlite3_open(target, &db) != SQLITE_OK) die(db, target);
    if (has(layout, "page16k")) exec(db, "PRAGMA page_size = 16384");
    exec(db, has(layout, "journaloff") ? "PRAGMA journal_mode = OFF" : "PRAGMA journal_mode = WAL");
    exec(db, ddl);
    exec(db, "PRAGMA synchronous = NORMAL");
    exec(db, "PRAGMA cache_size = -8000");
    char ins[8192];
    int n = snprintf(ins, sizeof ins, "INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, kind,"
                     " hazards_found, major_hazards, hazards_rectified, penalty_cases, fine, suspended,"
                     " inspector_id, batch) VALUES");
    for (int r = 0; r < per; r++) n += snprintf(ins + n, sizeof ins - (size_t)n, "%s(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", r ? "," : "");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, ins, -1, &st, NULL)) die(db, "INSERT");

    double t0 = now(), c0 = cpu();
    exec(db, "BEGIN IMMEDIATE");
    for (int i = 0; i + per <= nrows; i += per) {
        int p = 1;
        for (const row *x = &rows[i]; x < &rows[i + per]; x++) {
            sqlite3_bind_text(st, p++, x->id, -1, SQLITE_STATIC);
            if (intday) sqlite3_bind_int(st, p++, x->daynum);
            else sqlite3_bind_text(st, p++, x->day, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, p++, x->unit);
            sqlite3_bind_text(st, p++, x->sector, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, p++, x->enterprise, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, p++, x->kind, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, p++, x->found);
            sqlite3_bind_int(st, p++, x->major);
            sqlite3_bind_int(st, p++, x->rectified);
            sqlite3_bind_int(st, p++, x->penalties);
            sqlite3_bind_double(st, p++, x->fine);
            sqlite3_bind_int(st, p++, x->suspended);
            if (x->has_inspector) sqlite3_bind_int64(st, p++, x->inspector);
            else sqlite3_bind_null(st, p++);
            sqlite3_bind_int64(st, p++, x->batch);
        }
        if (sqlite3_step(st) != SQLITE_DONE) die(db, "insert");
        sqlite3_reset(st);
    }
    double t1 = now();
    exec(db, post);
    double t2 = now();
    exec(db, "COMMIT");
    double t3 = now();
    sqlite3_finalize(st);
    sqlite3_close(db);
    double t4 = now(), c4 = cpu();
    struct stat sb;
    double mb = stat(target, &sb) == 0 ? (double)sb.st_size / 1048576.0 : 0;
    printf("%s %.3f %.3f %.3f %.3f %.3f %.3f %.0f %.3f\n", layout, t4 - t0, c4 - c0, t1 - t0, t2 - t1, t3 - t2,
           t4 - t3, mb, scan(target, intday, has(layout, "covering")));
    free(rows);
    return 0;
}
