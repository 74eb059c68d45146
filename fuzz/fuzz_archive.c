/* fuzz_archive.c — libFuzzer harness for the archive reader (issue 12): the input is an
 * archive file as `yingji verify` gets it. It goes through archive_open (the file, the
 * schema, integrity_check), archive_load (the strict record) and archive_check (every
 * hash), never the re-run. Properties checked beyond the sanitizers (any violation
 * aborts): archive_open returns -1, 0 or 1 and sets its message exactly when it fails;
 * archive_check of a loaded record returns a count or -1 with a message; a loaded
 * record is format 1 or 2, format 1 has none of format 2's fields, and the signature
 * check (sign_valid, sign_check_trust with no trusted key) answers without crashing and
 * never trusts a key nobody gave it.
 * Seed corpus: fuzz/corpus/fuzz_archive/ (small.yjar format 1, small2.yjar format 2
 * signed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "archive_sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_archive: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

static char file[64];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    snprintf(file, sizeof file, "/tmp/fuzz-archive-%ld.yjar", (long)getpid());
    devnull = fopen("/dev/null", "w");
    REQUIRE(devnull != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = fopen(file, "wb");
    REQUIRE(f != NULL);
    REQUIRE(fwrite(data, 1, size, f) == size);
    fclose(f);
    sqlite3 *db = NULL;
    char *err = NULL;
    int r = archive_open(file, &db, &err);
    REQUIRE(r >= -1 && r <= 1);
    REQUIRE((r == 0) == (db != NULL) && (r == 0) == (err == NULL));
    free(err);
    err = NULL;
    if (r == 0) {
        archive_record *rec = NULL;
        if (archive_load(db, &rec, &err) == 0) {
            REQUIRE(rec != NULL && err == NULL);
            REQUIRE(rec->version == 1 || rec->version == 2);
            REQUIRE(rec->version == 2 || (!rec->known_on && !rec->signer && !rec->noutputs));
            REQUIRE(!rec->signer == !rec->signature);
            int valid = sign_valid(rec);
            REQUIRE(valid == 0 || valid == 1);
            sign_trust none = {0};
            char *why = NULL;
            REQUIRE(sign_check_trust(rec, &none, &why) == -1 && why != NULL);
            free(why);
            int bad = archive_check(db, rec, devnull, &err);
            REQUIRE(bad >= 0 || err != NULL);
            archive_record_free(rec);
        } else {
            REQUIRE(err != NULL);
        }
        free(err);
        sqlite3_close(db);
    }
    unlink(file);
    return 0;
}
