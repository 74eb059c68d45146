/* test_archive_read.c — reading an archive strictly (issue 12): the data hash reads every
 * column from the table itself, never through an index, so a row changed in the table
 * but not in its index (one flipped bit in the file) changes the hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "check.h"

/* Flips bit 2 of the first '-' of needle found inside page number page (1-based) of
 * the file at path. Returns 0, or -1 when needle is not on that page. */
static int flip_in_page(const char *path, int page, int page_size, const char *needle) {
    FILE *f = fopen(path, "r+b");
    if (!f) return -1;
    char *buf = malloc((size_t)page_size);
    int rc = -1;
    if (buf && fseek(f, (long)(page - 1) * page_size, SEEK_SET) == 0 &&
        fread(buf, 1, (size_t)page_size, f) == (size_t)page_size) {
        size_t n = strlen(needle);
        for (int i = 0; i + (int)n <= page_size; i++) {
            if (memcmp(buf + i, needle, n) != 0) continue;
            char *dash = memchr(buf + i, '-', n);
            *dash ^= 0x04;                                   /* '-' becomes ')' */
            fseek(f, (long)(page - 1) * page_size + (dash - buf), SEEK_SET);
            fputc(*dash, f);
            rc = 0;
            break;
        }
    }
    free(buf);
    fclose(f);
    return rc;
}

static int one_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int main(void) {
    char path[] = "/tmp/yj-test-archive-read-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "a temporary database");
    if (fd < 0) return 1;
    close(fd);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA page_size = 4096; CREATE TABLE t(id TEXT UNIQUE);"
                 "INSERT INTO t VALUES ('AAAA-0001'), ('AAAA-0002');", NULL, NULL, NULL);
    int root = one_int(db, "SELECT rootpage FROM sqlite_master WHERE name = 't'");
    char h1[65] = "", h2[65] = "", *err = NULL;
    CHECK(archive_data_sha256(db, h1, &err) == 0, "the data hash of the intact file");
    sqlite3_close(db);
    CHECK(root > 1 && flip_in_page(path, root, 4096, "AAAA-0001") == 0,
          "one bit flipped in the table's row, not in its index");
    sqlite3_open(path, &db);
    CHECK(archive_data_sha256(db, h2, &err) == 0, "the data hash after the flip");
    CHECK(h1[0] && strcmp(h1, h2) != 0, "a row changed only in the table changes the data hash");
    sqlite3_close(db);
    free(err);
    unlink(path);

    /* The keyed report: a key holding a comma and a quote; a key repeated in the table
     * (then the first two cells are the key). */
    yj_script *sc = yj_script_new();
    const char *text = "publish('t', {'k', 'j', 'v'}, {{k = 'a,\"b', j = 1, v = 1}, {k = 'c', j = 1, v = 2},"
                       " {k = 'c', j = 2, v = 3}})";
    yj_source src = {NULL, "t.lua", text, strlen(text)};
    yj_script_set_sources(sc, &src, 1);
    CHECK(yj_script_run(sc, "t.lua") == YJ_SCRIPT_OK, "the script publishes t");
    const yj_results *r = yj_script_results(sc);
    archive_record *rec = calloc(1, sizeof *rec);
    rec->tables = calloc(1, sizeof *rec->tables);
    rec->ntables = 1;
    rec->tables[0].name = strdup("t");
    rec->tables[0].json = archive_table_json(r, 0);
    char *p = strstr(rec->tables[0].json, ",1,1]");
    CHECK(p != NULL, "the row of a,\"b is in the table JSON");
    if (p) p[3] = '5';
    p = strstr(rec->tables[0].json, ",2,3]");
    if (p) p[3] = '7';
    FILE *out = tmpfile();
    archive_diff(rec, r, out);
    char buf[2048] = {0};
    rewind(out);
    buf[fread(buf, 1, sizeof buf - 1, out)] = 0;
    fclose(out);
    CHECK(strstr(buf, "  t a,\\\"b 1: v 5 \xE2\x86\x92 1\n") != NULL, "a key with a comma and a quote: %s", buf);
    CHECK(strstr(buf, "  t c 2: v 7 \xE2\x86\x92 3\n") != NULL, "a repeated first cell: two key cells");
    archive_record_free(rec);
    yj_script_free(sc);
    return check_failures() != 0;
}
