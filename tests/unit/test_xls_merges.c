/* test_xls_merges.c — the MERGEDCELLS scan of an .xls Workbook stream (imp_xls.c's
 * imp_xls_stream_merges, issue 14) on BIFF streams built here: a sheet's substream may
 * hold nested substreams (an embedded chart: a BOF of type 0x0020 after an OBJ record,
 * with its own EOF) before its MERGEDCELLS records, and the sheet ends at its own EOF,
 * not at the chart's; merges split over several MERGEDCELLS records or continued in
 * CONTINUE records are all read; records the scan cannot follow give a reason (the
 * importer's warning), never an empty answer in silence. libfreexl 1.0.6 refuses a
 * workbook whose sheet goes on after an embedded chart (tests/e2e/import_xls_chart.sh),
 * so these streams are handed to the scan directly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "imp_xls.h"

enum { CAP = 1 << 20 };

/* A stream being built: records appended, BOUNDSHEET positions filled by finish(). */
typedef struct {
    unsigned char *b;
    size_t n;
    size_t sheet_pos[8];        /* where each BOUNDSHEET's position field is */
    size_t bof[8];              /* each sheet's BOF */
    int nsheets, nbof;
} stream;

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }

static void rec(stream *s, unsigned type, const void *data, size_t len) {
    put16(s->b + s->n, type);
    put16(s->b + s->n + 2, (unsigned)len);
    if (len) memcpy(s->b + s->n + 4, data, len);
    s->n += 4 + len;
}

/* A BOF of substream type dt (0x0005 globals, 0x0010 sheet, 0x0020 chart, 0x0040 macros). */
static void bof(stream *s, unsigned dt) {
    unsigned char d[16] = {0};
    put16(d, 0x0600);
    put16(d + 2, dt);
    rec(s, 0x0809, d, sizeof d);
}
static void eof(stream *s) { rec(s, 0x000A, NULL, 0); }

/* The globals with n BOUNDSHEET records. */
static void globals(stream *s, int n) {
    bof(s, 0x0005);
    for (int k = 0; k < n; k++) {
        unsigned char d[9] = {0, 0, 0, 0, 0, 0, 1, 0, (unsigned char)('A' + k)};
        s->sheet_pos[s->nsheets++] = s->n + 4;
        rec(s, 0x0085, d, sizeof d);
    }
    eof(s);
}

/* A sheet's BOF (remembered for its BOUNDSHEET) and a cell. */
static void sheet(stream *s) {
    s->bof[s->nbof++] = s->n;
    bof(s, 0x0010);
    unsigned char num[14] = {0};
    rec(s, 0x0203, num, sizeof num);
}

/* An embedded chart: its OBJ record, then its substream (BOF type 0x0020 .. EOF). */
static void chart(stream *s, int close) {
    unsigned char obj[26] = {0x15, 0, 0x12, 0, 5, 0, 1, 0, 0x11, 0x60};
    rec(s, 0x005D, obj, sizeof obj);
    bof(s, 0x0020);
    unsigned char ch[16] = {0};
    rec(s, 0x1002, ch, sizeof ch);
    rec(s, 0x1033, NULL, 0);
    rec(s, 0x1034, NULL, 0);
    if (close) eof(s);
}

/* A MERGEDCELLS record of count areas (r1, r2, c1, c2 each), of which the first `hold`
 * are in the record itself. */
static void merged(stream *s, unsigned count, const unsigned *a, unsigned hold) {
    unsigned char d[2 + 8 * 1100];
    put16(d, count);
    for (unsigned k = 0; k < 4 * hold; k++) put16(d + 2 + 2 * k, a[k]);
    rec(s, 0x00E5, d, 2 + 8 * (size_t)hold);
}

static void finish(stream *s) {
    for (int k = 0; k < s->nsheets && k < s->nbof; k++) {
        size_t p = s->sheet_pos[k], v = s->bof[k];
        s->b[p] = (unsigned char)v;
        s->b[p + 1] = (unsigned char)(v >> 8);
        s->b[p + 2] = (unsigned char)(v >> 16);
        s->b[p + 3] = (unsigned char)(v >> 24);
    }
}

static stream fresh(void) {
    stream s;
    memset(&s, 0, sizeof s);
    s.b = calloc(1, CAP);
    return s;
}

/* The scan of sheet i: the count of areas, or -1 after an error (its reason in err), or
 * -2 when an error handed out areas all the same; *why, and the areas in text. */
static int scan_err(stream *s, int i, const char **why, char *text, size_t cap, char *err, size_t errcap) {
    imp_xls_merge *m = NULL;
    size_t n = 0;
    err[0] = '\0';
    finish(s);
    int rc = imp_xls_stream_merges(s->b, s->n, i, s->nsheets, &m, &n, why, err, errcap);
    size_t o = 0;
    text[0] = 0;
    for (size_t k = 0; k < n && k < 4 && o + 40 < cap; k++)
        o += (size_t)snprintf(text + o, cap - o, "%s%u-%u/%u-%u", k ? " " : "", m[k].r1, m[k].r2, m[k].c1, m[k].c2);
    int leaked = rc < 0 && (m || n);
    free(m);
    return rc < 0 ? (leaked ? -2 : -1) : (int)n;
}

/* The same when no error is expected. */
static int scan(stream *s, int i, const char **why, char *text, size_t cap) {
    char err[256];
    return scan_err(s, i, why, text, cap, err, sizeof err);
}

static const unsigned AREAS[] = {1, 2, 5, 5, 3, 4, 5, 5, 1, 2, 2, 2, 3, 4, 2, 2};
static const char *WANT2 = "1-2/5-5 3-4/5-5";

int main(void) {
    char text[256];
    const char *why;

    {   /* the control: no embedded object */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 2, AREAS, 2);
        rec(&s, 0x023E, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18);
        eof(&s);
        CHECK(scan(&s, 0, &why, text, sizeof text) == 2 && !why, "plain sheet: its two areas, no reason (%s)",
              why ? why : "-");
        CHECK_STR(text, WANT2, "  the areas, by first row");
        free(s.b);
    }
    {   /* an embedded chart before the merges: the chart's EOF is not the sheet's */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        chart(&s, 1);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why, "a chart's substream before MERGEDCELLS: the sheet's areas read after the chart's "
              "EOF (got %d, %s)", n, why ? why : "no reason");
        CHECK_STR(text, WANT2, "  both areas");
        free(s.b);
    }
    {   /* two sheets, each with a chart before its merges: each sheet gets its own */
        stream s = fresh();
        globals(&s, 2);
        sheet(&s);
        chart(&s, 1);
        merged(&s, 1, AREAS, 1);
        chart(&s, 1);
        eof(&s);
        sheet(&s);
        chart(&s, 1);
        merged(&s, 1, AREAS + 4, 1);
        eof(&s);
        int n0 = scan(&s, 0, &why, text, sizeof text);
        CHECK(n0 == 1 && !why && !strcmp(text, "1-2/5-5"), "two sheets with charts: the first sheet's area only "
              "(%d: %s)", n0, text);
        int n1 = scan(&s, 1, &why, text, sizeof text);
        CHECK(n1 == 1 && !why && !strcmp(text, "3-4/5-5"), "  the second sheet's area only (%d: %s)", n1, text);
        free(s.b);
    }
    {   /* substreams of every type, nested three deep, before the merges */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        chart(&s, 0);
        bof(&s, 0x0040);
        bof(&s, 0x0005);
        eof(&s);
        bof(&s, 0x0010);
        eof(&s);
        eof(&s);
        eof(&s);                        /* the chart's */
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why, "substreams nested 3 deep (types 0x0040, 0x0005, 0x0010 in a chart): the areas "
              "after them read (%d, %s)", n, why ? why : "no reason");
        free(s.b);
    }
    {   /* nested as deep as the bound allows (the sheet and 7 more): read */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        for (int k = 0; k < 7; k++) bof(&s, 0x0020);
        for (int k = 0; k < 7; k++) eof(&s);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why, "substreams nested 8 deep with the sheet's: read (%d, %s)", n, why ? why : "no reason");
        free(s.b);
    }
    {   /* a MERGEDCELLS record too short for its count field: a reason, the rest read */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        rec(&s, 0x00E5, "\1", 1);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && why && strstr(why, "count"), "a 1-byte MERGEDCELLS record: a reason (%s), the next "
              "record's areas read (%d)", why ? why : "none", n);
        free(s.b);
    }
    {   /* nested deeper than the bound: a reason, the areas before it kept */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 1, AREAS, 1);
        for (int k = 0; k < 40; k++) bof(&s, 0x0020);
        for (int k = 0; k < 40; k++) eof(&s);
        merged(&s, 1, AREAS + 4, 1);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 1 && why && strstr(why, "more than 8 deep"), "substreams nested 40 deep: a reason (%s), %d area(s) kept",
              why ? why : "none", n);
        free(s.b);
    }
    {   /* a chart whose EOF is missing: the sheet's EOF closes the chart, the stream ends
         * inside the sheet: a reason, never an empty answer in silence */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        chart(&s, 0);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(why && strstr(why, "EOF"), "a chart without its EOF: a reason (%s; %d areas)", why ? why : "none", n);
        free(s.b);
    }
    {   /* a MERGEDCELLS record inside the chart's substream is not the sheet's: an area
         * overlapping the sheet's own would make the import fail */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        chart(&s, 0);
        static const unsigned wide[] = {1, 4, 0, 5};
        merged(&s, 1, wide, 1);
        eof(&s);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why && !strcmp(text, WANT2), "a MERGEDCELLS record inside a chart: not taken as the "
              "sheet's (%d: %s)", n, text);
        free(s.b);
    }
    {   /* the sheet's merges split over two MERGEDCELLS records, a chart between them */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 2, AREAS, 2);
        chart(&s, 1);
        merged(&s, 2, AREAS + 8, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 4 && !why, "two MERGEDCELLS records with a chart between: all four areas (%d, %s)", n,
              why ? why : "no reason");
        free(s.b);
    }
    {   /* Excel's split of a long list: 1027 areas (the most an 8224-byte record holds)
         * and then 5 more in a second record */
        static unsigned many[4 * 1032];
        for (unsigned k = 0; k < 1032; k++) {
            many[4 * k] = many[4 * k + 1] = k;
            many[4 * k + 2] = 0;
            many[4 * k + 3] = 1;
        }
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 1027, many, 1027);
        merged(&s, 5, many + 4 * 1027, 5);
        eof(&s);
        CHECK(s.n > 8224, "  (the stream holds a full 8224-byte record)");
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 1032 && !why, "1027 + 5 areas in two MERGEDCELLS records: 1032 read (%d, %s)", n,
              why ? why : "no reason");
        free(s.b);
    }
    {   /* a MERGEDCELLS record whose areas go on in CONTINUE records, one cut mid-area */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        unsigned char d[2 + 8 * 4];
        put16(d, 4);
        for (unsigned k = 0; k < 16; k++) put16(d + 2 + 2 * k, AREAS[k]);
        rec(&s, 0x00E5, d, 2 + 8);                  /* the count and the first area */
        rec(&s, 0x003C, d + 10, 12);                /* the second and half the third */
        rec(&s, 0x003C, d + 22, 12);                /* the rest */
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 4 && !why, "MERGEDCELLS continued in two CONTINUE records: all four areas (%d, %s)", n,
              why ? why : "no reason");
        CHECK_STR(text, "1-2/5-5 1-2/2-2 3-4/5-5 3-4/2-2", "  read right across the cuts");
        free(s.b);
    }
    {   /* a count beyond what the record and its CONTINUE hold: a reason, the rest kept */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        unsigned char d[2 + 8 * 2];
        put16(d, 3);
        for (unsigned k = 0; k < 8; k++) put16(d + 2 + 2 * k, AREAS[k]);
        rec(&s, 0x00E5, d, 2 + 8);
        rec(&s, 0x003C, d + 10, 8);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && why && strstr(why, "count"), "a count beyond the record and its CONTINUE: a reason (%s), "
              "the two areas held kept (%d)", why ? why : "none", n);
        free(s.b);
    }
    {   /* a CONTINUE after a MERGEDCELLS record that holds its count is not read as areas */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 2, AREAS, 2);
        static const unsigned char junk[8] = {0, 0, 9, 0, 0, 0, 3, 0};
        rec(&s, 0x003C, junk, sizeof junk);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why && !strcmp(text, WANT2), "a CONTINUE after a whole MERGEDCELLS record: not areas "
              "(%d: %s)", n, text);
        free(s.b);
    }
    {   /* a record running past the stream's end, after an embedded chart: the chart may
         * have lacked its EOF and taken the sheet's (libfreexl reads such a sheet whole),
         * so the scan cannot tell a cut sheet: a reason (the warning), the area kept */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 1, AREAS, 1);
        chart(&s, 1);
        put16(s.b + s.n, 0x00E5);
        put16(s.b + s.n + 2, 100);
        s.n += 4 + 10;
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 1 && why && strstr(why, "EOF"), "a record past the stream's end after a chart: a reason (%s), "
              "the area before it kept (%d)", why ? why : "none", n);
        free(s.b);
    }
    {   /* a record of the sheet's own running past the stream's end, nothing nested: the
         * sheet is cut short, the read fails */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        merged(&s, 1, AREAS, 1);
        put16(s.b + s.n, 0x00E5);
        put16(s.b + s.n + 2, 100);
        s.n += 4 + 10;
        char err[256];
        int rc = scan_err(&s, 0, &why, text, sizeof text, err, sizeof err);
        CHECK(rc == -1 && strstr(err, "EOF") && strstr(err, "rows may be missing"), "a record of the sheet's own "
              "running past the stream's end: the read fails, the sheet is cut short (%s)", err);
        free(s.b);
    }
    {   /* the globals: a BOUNDSHEET inside a substream nested in them is not a sheet of the
         * workbook, and the globals end at their own EOF */
        stream s = fresh();
        bof(&s, 0x0005);
        unsigned char d[9] = {0, 0, 0, 0, 0, 0, 1, 0, 'A'};
        s.sheet_pos[s.nsheets++] = s.n + 4;
        rec(&s, 0x0085, d, sizeof d);
        bof(&s, 0x0040);
        rec(&s, 0x0085, d, sizeof d);               /* not counted */
        eof(&s);
        eof(&s);
        sheet(&s);
        chart(&s, 1);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why, "a substream nested in the globals: its BOUNDSHEET not counted, the sheet's areas "
              "read (%d, %s)", n, why ? why : "no reason");
        free(s.b);
    }
    {   /* a sheet position holding a BOF in a stream cut short: no read past the end */
        stream s = fresh();
        globals(&s, 1);
        s.bof[s.nbof++] = s.n;
        put16(s.b + s.n, 0x0809);
        put16(s.b + s.n + 2, 16);
        s.n += 4;
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 0 && why, "a sheet's BOF running past the stream's end: a reason (%s)", why ? why : "none");
        free(s.b);
    }
    /* A record longer than BIFF8 allows (8224 bytes) in the sheet: libfreexl stops reading
     * the sheet there without an error and the rows after it would be lost in silence, so
     * the scan fails the read, naming the record's place — before or after the merges, in
     * the sheet or in a substream nested in it. */
    for (int where = 0; where < 3; where++) {
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        static unsigned char big[8225];
        size_t at = 0;
        if (where == 0) { at = s.n; rec(&s, 0x0203, big, sizeof big); }
        merged(&s, 2, AREAS, 2);
        if (where == 1) { at = s.n; rec(&s, 0x00FD, big, sizeof big); }
        if (where == 2) { chart(&s, 0); at = s.n; rec(&s, 0x1002, big, sizeof big); eof(&s); }
        eof(&s);
        char err[256], want[64];
        int rc = scan_err(&s, 0, &why, text, sizeof text, err, sizeof err);
        snprintf(want, sizeof want, "at byte %zu", at);
        CHECK(rc == -1 && strstr(err, "8224") && strstr(err, want), "a record of 8225 bytes (%s): the read fails "
              "naming the limit and its place, no areas handed out (%d: %s; %s)", where == 0 ? "before the merges"
              : where == 1 ? "after them" : "in an embedded chart", rc, want, err);
        free(s.b);
    }
    {   /* exactly 8224 bytes: allowed */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        static unsigned char full[8224];
        rec(&s, 0x0204, full, sizeof full);          /* LABEL: of any length */
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why, "a record of exactly 8224 bytes: read as usual (%d, %s)", n, why ? why : "no reason");
        free(s.b);
    }
    /* A cell record whose length is not its type's (a damaged length field): libfreexl
     * skips by the length, so the records it covers — whole rows — vanish without a word.
     * Each fixed-size cell record checked, at the sheet's own level. */
    {
        static const struct { unsigned type, good, bad; const char *name; } cases[] = {
            {0x00FD, 10, 1290, "LABELSST"}, {0x027E, 10, 12, "RK"}, {0x0203, 14, 10, "NUMBER"},
            {0x0205, 8, 9, "BOOLERR"}, {0x0201, 6, 60, "BLANK"}, {0x0208, 16, 20, "ROW"},
            {0x00BD, 18, 17, "MULRK"}, {0x00BE, 10, 9, "MULBLANK"},
        };
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            for (int bad = 0; bad < 2; bad++) {
                stream s = fresh();
                globals(&s, 1);
                sheet(&s);
                static unsigned char body[2000];
                size_t at = s.n;
                rec(&s, cases[k].type, body, bad ? cases[k].bad : cases[k].good);
                merged(&s, 2, AREAS, 2);
                eof(&s);
                char err[256], want[64];
                int rc = scan_err(&s, 0, &why, text, sizeof text, err, sizeof err);
                snprintf(want, sizeof want, "at byte %zu", at);
                if (bad)
                    CHECK(rc == -1 && strstr(err, want) && strstr(err, "damaged"), "a %s record of %u bytes: the "
                          "read fails naming its place (%s)", cases[k].name, cases[k].bad, err);
                else
                    CHECK(rc == 2 && !why, "a %s record of %u bytes: read as usual (%d areas, %s)",
                          cases[k].name, cases[k].good, rc, why ? why : err);
                free(s.b);
            }
        }
    }
    {   /* the same length inside an embedded chart is the chart's business: read */
        stream s = fresh();
        globals(&s, 1);
        sheet(&s);
        chart(&s, 0);
        static unsigned char body[40];
        rec(&s, 0x0203, body, 30);
        eof(&s);
        merged(&s, 2, AREAS, 2);
        eof(&s);
        int n = scan(&s, 0, &why, text, sizeof text);
        CHECK(n == 2 && !why, "a NUMBER-typed record of 30 bytes inside a chart: not checked (%d, %s)", n,
              why ? why : "no reason");
        free(s.b);
    }
    return check_failures() != 0;
}
