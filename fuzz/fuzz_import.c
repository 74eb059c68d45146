/* fuzz_import.c — libFuzzer harness for the whole import pipeline on one file: encoding
 * scan and GB18030 decoding, libcsv parsing, header matching, every cell parser,
 * unit/sector resolution, validation and storage (imp_import_file).
 *
 * Input: byte 0 picks the dataset (% 6, in the order units accidents inspections
 * assessments targets tasks), bit 3 the --on-error skip mode, bits 4-5 the --encoding
 * (auto, utf-8, gb18030); the rest is the file. Each input is imported into a fresh
 * in-memory copy of a template database that already holds units, so rows can resolve:
 * the seed city's units (seeds/units.csv, or $FUZZ_UNITS) when readable, else a few
 * built-in ones. Properties checked beyond the sanitizers (any violation aborts):
 * - the status is IMP_IMPORTED, IMP_REJECTED or IMP_PARTIAL;
 * - a rejected file (2) leaves the database as it was (the import log unchanged);
 * - an accepted file accounts for every row (new + updated + unchanged + rejected) and
 *   leaves a database that passes db_check (integrity, foreign keys, no orphans). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_check.h"
#include "imp_columns.h"
#include "imp_encoding.h"
#include "imp_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_import: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

static const char *const names[] = {"units", "accidents", "inspections", "assessments", "targets", "tasks"};

static const char units_csv[] =
    "code,name,kind,aliases\n"
    "S01,城东街道,街道,城东\n"
    "T01,青石镇,乡镇,\n"
    "Z01,高新区,开发区,高新技术产业开发区\n"
    "D01,市应急管理局,部门,应急局\n"
    "D02,市交通运输局,部门,\n";

static char dir[64], file[96];
static unsigned char *templ;        /* the serialised template database */
static sqlite3_int64 templ_size;
static FILE *devnull;

static void write_file(const uint8_t *p, size_t n) {
    FILE *f = fopen(file, "wb");
    REQUIRE(f != NULL);
    REQUIRE(fwrite(p, 1, n, f) == n);
    REQUIRE(fclose(f) == 0);
}

static long long scalar(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    long long v = -1;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The scratch folder goes when the run ends (libFuzzer leaves through exit()). */
static void remove_scratch(void) {
    unlink(file);
    rmdir(dir);
}

static sqlite3 *fresh_copy(void) {
    sqlite3 *db;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)templ_size);
    REQUIRE(copy != NULL);
    memcpy(copy, templ, (size_t)templ_size);
    REQUIRE(sqlite3_deserialize(db, "main", copy, templ_size, templ_size,
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return db;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fuzzimpXXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(file, sizeof file, "%s/in.csv", dir);
    atexit(remove_scratch);
    devnull = fopen("/dev/null", "w");
    REQUIRE(devnull != NULL);
    sqlite3 *db;
    char *err = NULL;
    REQUIRE(db_open(":memory:", DB_READWRITE | DB_CREATE, &db, &err) == 0);
    const char *seed_units = getenv("FUZZ_UNITS") ? getenv("FUZZ_UNITS") : "seeds/units.csv";
    imp_options opt = {IMP_ENC_AUTO, 0, 100, 0, devnull, devnull, NULL, NULL};
    imp_result res;
    if (access(seed_units, R_OK) != 0) {
        write_file((const uint8_t *)units_csv, sizeof units_csv - 1);
        seed_units = file;
    }
    opt.err = stderr;
    REQUIRE(imp_import_file(db, imp_dataset_find("units"), seed_units, &opt, &res) == IMP_IMPORTED);
    templ = sqlite3_serialize(db, "main", &templ_size, 0);
    REQUIRE(templ != NULL);
    sqlite3_close(db);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const imp_dataset *ds = imp_dataset_find(names[data[0] % 6]);
    REQUIRE(ds != NULL);
    static const int encs[] = {IMP_ENC_AUTO, IMP_ENC_UTF8, IMP_ENC_GB18030, IMP_ENC_AUTO};
    imp_options opt = {encs[(data[0] >> 4) & 3], (data[0] >> 3) & 1, 5, 0, devnull, devnull, NULL, NULL};
    write_file(data + 1, size - 1);
    sqlite3 *db = fresh_copy();
    long long imports_before = scalar(db, "SELECT count(*) FROM imports");
    imp_result res;
    imp_status status = imp_import_file(db, ds, file, &opt, &res);
    REQUIRE(status == IMP_IMPORTED || status == IMP_REJECTED || status == IMP_PARTIAL);
    if (status == IMP_REJECTED) {
        REQUIRE(scalar(db, "SELECT count(*) FROM imports") == imports_before);
        REQUIRE(res.batch == 0);
    } else {
        REQUIRE(res.rows == res.added + res.updated + res.unchanged + res.rejected);
        REQUIRE((status == IMP_PARTIAL) == (res.rejected > 0));
        REQUIRE(sqlite3_get_autocommit(db));      /* no transaction left open */
        REQUIRE(db_check(db, NULL, devnull) == 0);
    }
    if (res.rejects[0]) unlink(res.rejects);
    sqlite3_stmt *left = sqlite3_next_stmt(db, NULL);
    if (left) fprintf(stderr, "fuzz_import: statement left unfinalized: %s\n", sqlite3_sql(left));
    REQUIRE(left == NULL);                 /* every prepared statement finalized */
    REQUIRE(sqlite3_close(db) == SQLITE_OK);
    return 0;
}
