/* sign_time.c — the cost of an archive's signature alone (issue 12: signing adds under
 * 10 ms): loads the record of ARCHIVE, then times N rounds of sign_archive (read the key
 * file, check its mode and halves, sign the manifest message) and of sign_valid (check
 * the signature), and prints the median of each in microseconds. bench/bench_archive.sh
 * runs it. usage: sign_time ARCHIVE KEY [N] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "archive.h"
#include "archive_sign.h"

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: sign_time ARCHIVE KEY [N]\n"); return 2; }
    int n = argc > 3 ? atoi(argv[3]) : 200;
    if (n < 1) n = 1;
    sqlite3 *db = NULL;
    archive_record *rec = NULL;
    char *err = NULL, fp[65];
    if (archive_open(argv[1], &db, &err) != 0 || archive_load(db, &rec, &err) != 0) {
        fprintf(stderr, "sign_time: %s: %s\n", argv[1], err ? err : "?");
        return 1;
    }
    double *ts = malloc((size_t)n * sizeof *ts), *tv = malloc((size_t)n * sizeof *tv);
    if (!ts || !tv) return 1;
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        if (sign_archive(rec, argv[2], fp, &err) != 0) { fprintf(stderr, "sign_time: %s\n", err); return 1; }
        double t1 = now_us();
        int ok = sign_valid(rec);
        double t2 = now_us();
        if (!ok) { fprintf(stderr, "sign_time: a signature does not verify\n"); return 1; }
        ts[i] = t1 - t0;
        tv[i] = t2 - t1;
    }
    qsort(ts, (size_t)n, sizeof *ts, cmp);
    qsort(tv, (size_t)n, sizeof *tv, cmp);
    printf("%.1f %.1f\n", ts[n / 2], tv[n / 2]);
    free(ts);
    free(tv);
    archive_record_free(rec);
    sqlite3_close(db);
    return 0;
}
