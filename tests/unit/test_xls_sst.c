/* test_xls_sst.c — the check of an .xls Workbook stream's texts (xls_sst.h) on BIFF8
 * streams built here: the shared string table's texts split across SST and CONTINUE
 * records in each way libfreexl (1.0.6) reads right, and in each way it misreads
 * (tests/e2e/import_xls_long_text.sh pins the real misread on workbooks of python3-xlwt,
 * which writes only some of these layouts), a table cut short, LABEL records. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xls_sst.h"

enum { CAP = 1 << 18 };

typedef struct {
    unsigned char *b;
    size_t n;
} stream;

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, unsigned v) { put16(p, v & 0xFFFF); put16(p + 2, v >> 16); }

static void rec(stream *s, unsigned type, const void *data, size_t len) {
    put16(s->b + s->n, type);
    put16(s->b + s->n + 2, (unsigned)len);
    if (len) memcpy(s->b + s->n + 4, data, len);
    s->n += 4 + len;
}

/* A stream: a BIFF8 BOF, then the caller's records. */
static stream start(void) {
    stream s = {calloc(1, CAP), 0};
    unsigned char bof[16] = {0};
    put16(bof, 0x0600);
    put16(bof + 2, 0x0005);
    rec(&s, 0x0809, bof, sizeof bof);
    return s;
}

/* An SST record's head: 8 bytes, count texts, then the caller's bytes. */
static size_t sst_head(unsigned char *d, unsigned count) {
    put32(d, count);
    put32(d + 4, count);
    return 8;
}

/* A text's header at d: cch, flags, cRun if rich, cbExtRst if ext. Its length. */
static size_t text_head(unsigned char *d, unsigned cch, unsigned flags, unsigned runs, unsigned ext) {
    size_t k = 3;
    put16(d, cch);
    d[2] = (unsigned char)flags;
    if (flags & 0x08) { put16(d + k, runs); k += 2; }
    if (flags & 0x04) { put32(d + k, ext); k += 4; }
    return k;
}

static int run(stream *s, unsigned *chars, size_t *at) {
    rec(s, 0x000A, NULL, 0);
    int rc = xls_sst_check(s->b, s->n, chars, at);
    free(s->b);
    return rc;
}

int main(void) {
    unsigned char d[9000];
    unsigned chars;
    size_t at, k;

    /* two texts in the SST record itself */
    stream s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 3, 0, 0, 0); memcpy(d + k, "abc", 3); k += 3;
    k += text_head(d + k, 2, 1, 0, 0); memcpy(d + k, "\x4E\x57\x4E\x57", 4); k += 4;
    rec(&s, 0x00FC, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_OK, "texts within the SST record: OK");

    /* a text split once: 8-bit in the SST, UTF-16 in the CONTINUE (its own flags byte) */
    s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 100, 0, 0, 0); memset(d + k, 'a', 60); k += 60;
    rec(&s, 0x00FC, d, k);
    k = 0; d[k++] = 1; memset(d + k, 0x41, 80); k += 80;
    k += text_head(d + k, 1, 0, 0, 0); d[k++] = 'z';
    rec(&s, 0x003C, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_OK, "a text over one boundary, 8-bit then UTF-16: OK");

    /* a text over two boundaries: libfreexl reads past the first CONTINUE */
    s = start();
    k = sst_head(d, 1);
    k += text_head(d + k, 5000, 1, 0, 0); memset(d + k, 0x41, 4000); k += 4000;
    rec(&s, 0x00FC, d, k);
    d[0] = 1; memset(d + 1, 0x41, 4000); rec(&s, 0x003C, d, 4001);
    d[0] = 1; memset(d + 1, 0x41, 2000); rec(&s, 0x003C, d, 2001);
    CHECK(run(&s, &chars, &at) == XLS_SST_LONG && chars == 5000, "a text over two boundaries: LONG, 5000 characters");

    /* the characters ending exactly at the first CONTINUE's end: one boundary, OK */
    s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 10, 0, 0, 0); memset(d + k, 'a', 4); k += 4;
    rec(&s, 0x00FC, d, k);
    d[0] = 0; memset(d + 1, 'b', 6); rec(&s, 0x003C, d, 7);
    k = text_head(d, 1, 0, 0, 0); d[k++] = 'c'; rec(&s, 0x003C, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_OK, "a split text ending at its CONTINUE's end, the next text after: OK");

    /* a text header split by a boundary */
    s = start();
    k = sst_head(d, 1);
    d[k++] = 3;
    rec(&s, 0x00FC, d, k);
    d[0] = 0; d[1] = 0; memcpy(d + 2, "abc", 3); rec(&s, 0x003C, d, 5);
    CHECK(run(&s, &chars, &at) == XLS_SST_MISREAD, "a header split by a boundary: MISREAD");

    /* UTF-16 characters split inside a character */
    s = start();
    k = sst_head(d, 1);
    k += text_head(d + k, 4, 1, 0, 0); memset(d + k, 0x41, 3); k += 3;
    rec(&s, 0x00FC, d, k);
    d[0] = 1; memset(d + 1, 0x41, 5); rec(&s, 0x003C, d, 6);
    CHECK(run(&s, &chars, &at) == XLS_SST_MISREAD, "UTF-16 split inside a character: MISREAD");

    /* formatting runs of a split text crossing the CONTINUE's end: libfreexl loses them */
    s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 10, 0x08, 3, 0); memset(d + k, 'a', 5); k += 5;
    rec(&s, 0x00FC, d, k);
    d[0] = 0; memset(d + 1, 'b', 5); memset(d + 6, 0, 4); rec(&s, 0x003C, d, 10);
    memset(d, 0, 8); k = 8 + text_head(d + 8, 1, 0, 0, 0); d[k++] = 'c'; rec(&s, 0x003C, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_MISREAD, "a split text's runs crossing a boundary: MISREAD");
    s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 10, 0x08, 3, 0); memset(d + k, 'a', 5); k += 5;
    rec(&s, 0x00FC, d, k);
    d[0] = 0; memset(d + 1, 'b', 5); memset(d + 6, 0, 12); k = 18;
    k += text_head(d + k, 1, 0, 0, 0); d[k++] = 'c';
    rec(&s, 0x003C, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_OK, "a split text's runs within its CONTINUE: OK");

    /* extended data of a whole text crossing into the next record: OK; past it: MISREAD */
    s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 2, 0x04, 0, 10); memcpy(d + k, "ab", 2); k += 2; memset(d + k, 0, 4); k += 4;
    rec(&s, 0x00FC, d, k);
    memset(d, 0, 6); k = 6 + text_head(d + 6, 1, 0, 0, 0); d[k++] = 'c'; rec(&s, 0x003C, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_OK, "extended data crossing into the next record: OK");
    s = start();
    k = sst_head(d, 2);
    k += text_head(d + k, 2, 0x04, 0, 30); memcpy(d + k, "ab", 2); k += 2; memset(d + k, 0, 4); k += 4;
    rec(&s, 0x00FC, d, k);
    memset(d, 0, 10); rec(&s, 0x003C, d, 10);
    memset(d, 0, 16); k = 16 + text_head(d + 16, 1, 0, 0, 0); d[k++] = 'c'; rec(&s, 0x003C, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_MISREAD, "extended data over a whole record: MISREAD");

    /* a table with fewer texts than its count: DAMAGED; a split text without its CONTINUE too */
    s = start();
    k = sst_head(d, 3);
    k += text_head(d + k, 1, 0, 0, 0); d[k++] = 'a';
    k += text_head(d + k, 1, 0, 0, 0); d[k++] = 'b';
    rec(&s, 0x00FC, d, k);
    rec(&s, 0x00FF, d, 10);                         /* EXTSST */
    CHECK(run(&s, &chars, &at) == XLS_SST_DAMAGED, "fewer texts than the table's count: DAMAGED");
    s = start();
    k = sst_head(d, 1);
    k += text_head(d + k, 9, 0, 0, 0); memset(d + k, 'a', 4); k += 4;
    rec(&s, 0x00FC, d, k);
    rec(&s, 0x00FF, d, 10);
    CHECK(run(&s, &chars, &at) == XLS_SST_DAMAGED, "a split text without its CONTINUE: DAMAGED");
    s = start();
    rec(&s, 0x00FC, d, 6);
    CHECK(run(&s, &chars, &at) == XLS_SST_DAMAGED, "an SST record shorter than its head: DAMAGED");

    /* a second SST record: libfreexl reads it as a continuation of the first */
    s = start();
    k = sst_head(d, 1);
    k += text_head(d + k, 1, 0, 0, 0); d[k++] = 'a';
    rec(&s, 0x00FC, d, k);
    size_t second = s.n;
    rec(&s, 0x00FC, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_MISREAD && at == second, "a second SST record: MISREAD, at it");

    /* LABEL records: the text within the record, or past its end */
    s = start();
    memset(d, 0, 6); k = 6 + text_head(d + 6, 3, 0, 0, 0); memcpy(d + k, "abc", 3); k += 3;
    rec(&s, 0x0204, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_OK, "a LABEL's text within its record: OK");
    s = start();
    memset(d, 0, 6); k = 6 + text_head(d + 6, 300, 1, 0, 0); memset(d + k, 0x41, 200); k += 200;
    rec(&s, 0x0204, d, k);
    CHECK(run(&s, &chars, &at) == XLS_SST_LONG && chars == 300, "a LABEL's text past its record: LONG, 300");

    /* cut streams: no read past them */
    s = start();
    k = sst_head(d, 1);
    k += text_head(d + k, 50, 0, 0, 0); memset(d + k, 'a', 50); k += 50;
    rec(&s, 0x00FC, d, k);
    for (size_t cut = 0; cut < s.n; cut++) {        /* each cut in a block of its size */
        unsigned char *c = malloc(cut ? cut : 1);
        if (!c) break;
        memcpy(c, s.b, cut);
        xls_sst_check(c, cut, &chars, &at);
        free(c);
    }
    CHECK(1, "every cut of a stream checked without a read past it (the sanitizer build says)");
    free(s.b);
    return check_failures() != 0;
}
