/* test_archive.c — the archive's building blocks: SHA-256, the canonical data hash, the
 * canonical JSON of a result table, the manifest, and the row diff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "sha256.h"
#include "check.h"

static void data_hash(sqlite3 *db, char out[65]) {
    char *err = NULL;
    if (archive_data_sha256(db, out, &err) != 0) { printf("# %s\n", err); free(err); out[0] = 0; }
    CHECK(strlen(out) == 64, "the data hash is computed");   /* "" would make a difference */
}

/* Runs a script given as text (no file) and returns its handle. */
static yj_script *run_text(const char *text) {
    yj_script *s = yj_script_new();
    yj_source src = {NULL, "t.lua", text, strlen(text)};
    yj_script_set_sources(s, &src, 1);
    if (yj_script_run(s, "t.lua") != YJ_SCRIPT_OK) printf("# %s\n", yj_script_error(s));
    return s;
}

int main(void) {
    char h[65], h2[65];
    yj_sha256_hex("abc", 3, h);
    CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of abc");
    yj_sha256_hex("", 0, h);
    CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of nothing");
    {   /* short inputs go through libsodium, long ones and the incremental API through
         * OpenSSL (core/sha256.c): the same digests on either side of the switch */
        size_t n = (64 << 10) + 1000;
        unsigned char *buf = malloc(n);
        for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)(i * 131 + (i >> 8));
        size_t sizes[] = {1, 999, 64 << 10, (64 << 10) + 1, n};
        int agree = 1;
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            yj_sha256 *inc = yj_sha256_new();
            yj_sha256_feed(inc, buf, sizes[k]);
            yj_sha256_finish(inc, h2);
            yj_sha256_hex(buf, sizes[k], h);
            if (strcmp(h, h2)) { agree = 0; printf("# %zu bytes: %s, incremental %s\n", sizes[k], h, h2); }
        }
        CHECK(agree, "one-shot and incremental digests agree at 1, 999, 65536, 65537 and 66536 bytes");
        free(buf);
    }

    /* The data hash: canonical row order, every value, archive tables left out. */
    sqlite3 *a, *b;
    sqlite3_open(":memory:", &a);
    sqlite3_open(":memory:", &b);
    sqlite3_exec(a, "CREATE TABLE t(x, y); INSERT INTO t VALUES (1, '一'), (2, 2.5), (3, NULL);", NULL, NULL, NULL);
    sqlite3_exec(b, "CREATE TABLE t(x, y); INSERT INTO t VALUES (3, NULL), (1, '一'), (2, 2.5);", NULL, NULL, NULL);
    data_hash(a, h);
    data_hash(b, h2);
    CHECK(h[0] && strcmp(h, h2) == 0, "same rows inserted in another order: same data hash");
    sqlite3_exec(b, "CREATE TABLE yj_archive(key, value); INSERT INTO yj_archive VALUES ('k', 'v');", NULL, NULL, NULL);
    data_hash(b, h2);
    CHECK(strcmp(h, h2) == 0, "the archive's own tables are not data");
    sqlite3_exec(b, "UPDATE t SET y = 2.5000001 WHERE x = 2", NULL, NULL, NULL);
    data_hash(b, h2);
    CHECK(strcmp(h, h2) != 0, "one changed value changes the data hash");
    sqlite3_exec(b, "UPDATE t SET y = 2.5 WHERE x = 2; CREATE INDEX t_y ON t(y);", NULL, NULL, NULL);
    data_hash(b, h2);
    CHECK(strcmp(h, h2) != 0, "a schema change changes the data hash");
    sqlite3_close(a);
    sqlite3_close(b);

    /* Canonical JSON of a table, one row per line. */
    yj_script *s = run_text("publish('t', {'a', 'b', 'c'}, {{a = 1, b = 'x\"y', c = true}, {a = 2.5}})\n"
                            "publish('u', {'n'}, {})");
    const yj_results *r = yj_script_results(s);
    CHECK(r && yj_results_count(r) == 2, "the script published two tables");
    char *json = r ? archive_table_json(r, 0) : NULL;
    CHECK_STR(json, "{\"table\":\"t\",\"columns\":[\"a\",\"b\",\"c\"],\"rows\":[\n"
                    "[1,\"x\\\"y\",true],\n[2.5,null,null]\n]}\n", "canonical JSON of a table");
    char *empty = r ? archive_table_json(r, 1) : NULL;
    CHECK_STR(empty, "{\"table\":\"u\",\"columns\":[\"n\"],\"rows\":[\n]}\n", "canonical JSON of an empty table");

    /* The record, its manifest, and the diff against a re-run. */
    archive_record *rec = calloc(1, sizeof *rec);
    rec->format = strdup(ARCHIVE_FORMAT); rec->engine = strdup("x"); rec->created_at = strdup("t");
    rec->script = strdup("t.lua"); rec->as_of = strdup("2020-01-01");
    CHECK(archive_record_results(rec, r) == 0 && rec->ntables == 2, "results recorded");
    archive_manifest(rec);
    CHECK(strlen(rec->manifest_sha256) == 64, "the manifest hash is computed");
    snprintf(h, sizeof h, "%s", rec->manifest_sha256);
    free(rec->as_of); rec->as_of = strdup("2020-01-02");
    archive_manifest(rec);
    CHECK(strcmp(h, rec->manifest_sha256) != 0, "the manifest covers as_of");
    FILE *out = tmpfile();
    CHECK(archive_diff(rec, r, out) == 0, "a re-run with the same results: no difference");
    char *edited = strdup(rec->tables[0].json);
    char *p = strstr(edited, "2.5");
    p[0] = '3';
    free(rec->tables[0].json);
    rec->tables[0].json = edited;
    CHECK(archive_diff(rec, r, out) == 1, "one edited row: one table differs");
    char text[512] = {0};
    rewind(out);
    size_t n = fread(text, 1, sizeof text - 1, out);
    text[n] = 0;
    CHECK(strstr(text, "- row 2: [3.5,null,null]") && strstr(text, "+ row 2: [2.5,null,null]"),
          "the diff names the row both ways");
    CHECK(strstr(text, "  t 3.5: only in the archive\n") && strstr(text, "  t 2.5: only in the re-run\n"),
          "… and keyed, as compare's diff words a key on one side");
    /* Columns that differ: the two headers, then the keyed changes of the shared ones. */
    free(rec->tables[0].json);
    rec->tables[0].json = strdup("{\"table\":\"t\",\"columns\":[\"a\",\"c\",\"gone\"],\"rows\":[\n"
                                 "[1,false,7],\n[2.5,null,8]\n]}\n");
    fclose(out);
    out = tmpfile();
    CHECK(out && archive_diff(rec, r, out) == 1, "a table whose columns changed differs");
    memset(text, 0, sizeof text);
    rewind(out);
    n = fread(text, 1, sizeof text - 1, out);
    CHECK(strstr(text, "table t: columns differ\n") && strstr(text, "  t 1: c false → true\n") &&
          !strstr(text, "t 2.5"), "… its headers, then the keyed change of a shared column");
    fclose(out);
    archive_record_free(rec);
    archive_record_free(NULL);

    /* issue 11.2: one canonical JSON writer. A tab, a CR, NaN, an infinity and a byte of
     * invalid UTF-8 are written as the results writer writes them: valid JSON. */
    yj_script *odd = run_text("publish('o', {'s', 'x', 'y', 'z'}, "
                              "{{s = 'a\\tb\\rc', x = 0/0, y = -math.huge, z = 'k\\xffm'}})");
    const yj_results *ro = yj_script_results(odd);
    char *oj = ro ? archive_table_json(ro, 0) : NULL;
    CHECK_STR(oj, "{\"table\":\"o\",\"columns\":[\"s\",\"x\",\"y\",\"z\"],\"rows\":[\n"
                  "[\"a\\tb\\rc\",null,null,\"k\xEF\xBF\xBDm\"]\n]}\n",
              "the archive's table JSON: \\t, \\r, null for NaN and -inf, U+FFFD");
    char *rj = NULL;
    CHECK(ro && yj_results_to_string(ro, YJ_FORMAT_JSON, &rj, NULL) == 0 &&
          strstr(rj, "\"s\": \"a\\tb\\rc\", \"x\": null, \"y\": null, \"z\": \"k\xEF\xBF\xBDm\""),
          "the results JSON writes the same values the same way");
    free(rj);
    /* An archive frozen by the old writer (\u0009, \u000d, nan, -inf, the raw byte) still
     * matches a re-run giving the same values; a real change still shows. */
    archive_record *old = calloc(1, sizeof *old);
    old->tables = calloc(1, sizeof *old->tables);
    old->ntables = 1;
    old->tables[0].name = strdup("o");
    old->tables[0].json = strdup("{\"table\":\"o\",\"columns\":[\"s\",\"x\",\"y\",\"z\"],\"rows\":[\n"
                                 "[\"a\\u0009b\\u000dc\",nan,-inf,\"k\xffm\"]\n]}\n");
    out = tmpfile();
    CHECK(archive_diff(old, ro, out) == 0, "an old archive's nan/inf/\\u0009 rows equal today's re-run");
    free(old->tables[0].json);
    old->tables[0].json = strdup("{\"table\":\"o\",\"columns\":[\"s\",\"x\",\"y\",\"z\"],\"rows\":[\n"
                                 "[\"a\\u0009b\\u000dc\",nan,-inf,\"k\xffn\"]\n]}\n");
    CHECK(archive_diff(old, ro, out) == 1, "… and a changed value in such a row still differs");
    fclose(out);
    archive_record_free(old);
    free(oj);
    yj_script_free(odd);

    /* The hashed texts are frozen: an old archive's data hash is recomputed by verify. */
    sqlite3 *f;
    sqlite3_open(":memory:", &f);
    sqlite3_exec(f, "CREATE TABLE t(x, y); INSERT INTO t VALUES ('a'||char(9)||'b', 9e999), "
                 "(CAST(x'ff0a22' AS TEXT), -9e999), (x'00ff', 0.1);", NULL, NULL, NULL);
    data_hash(f, h);
    CHECK_STR(h, "7e052a5c5a9c4bc8984ab43b535fc5272d96254ec63cfb8a9e4f00662af1596c", "the data hash of tabs, infinities, invalid UTF-8 and blobs is unchanged");
    sqlite3_close(f);
    free(json);
    free(empty);
    yj_script_free(s);
    return check_failures() != 0;
}
