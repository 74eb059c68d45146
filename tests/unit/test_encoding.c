/* test_encoding.c — the importer's encoding scan and rule (imp_encoding.c): each line
 * classified the same whether it is read whole or crosses a read boundary (the byte
 * loop), the bad bytes named, and imp_scan_decide's rule (issue 10, item 17). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "imp_encoding.h"
#include "utf8.h"

/* Scans the n bytes of s as a file. */
static imp_scan scan_bytes(const char *s, size_t n) {
    imp_scan sc;
    FILE *f = tmpfile();
    fwrite(s, 1, n, f);
    rewind(f);
    if (imp_scan_file(f, &sc) < 0) memset(&sc, 0xff, sizeof sc);
    fclose(f);
    return sc;
}

/* A file whose line k (1-based) holds a GBK pair at byte offset `at` of the file,
 * every other line Chinese UTF-8; lines of 40 bytes. Returns its length. */
static size_t build(char *buf, size_t cap, size_t at, long *bad_line) {
    const char *utf = "1234567890,2020-01-01,测试事故,abcdefg\n";    /* 44 bytes */
    size_t n = 0, len = strlen(utf);
    long line = 1;
    while (n + len < at) { memcpy(buf + n, utf, len); n += len; line++; }
    memset(buf + n, 'x', at - n);          /* the bad line: ASCII up to `at`, then B2 E2 */
    n = at;
    memcpy(buf + n, "\xB2\xE2\xCA\xD4 end\n", 9);
    n += 9;
    *bad_line = line;
    while (n + len < cap) { memcpy(buf + n, utf, len); n += len; }
    return n;
}

int main(void) {
    /* yj_utf8_bad */
    CHECK(yj_utf8_bad("abc", 3) == -1, "utf8_bad: valid is -1");
    CHECK(yj_utf8_bad("ab\xB2\xE2", 4) == 2, "utf8_bad: a GBK pair at its offset");
    CHECK(yj_utf8_bad("\xE6\xB5\x8B\xE6\xB5", 5) == 3, "utf8_bad: a truncated sequence at its start");
    CHECK(yj_utf8_bad("a\xE9 b", 4) == 1, "utf8_bad: a lead byte followed by ASCII");

    /* the same file, its bad line placed across the read boundary and around it */
    size_t cap = 3 * IMP_CHUNK;
    char *buf = malloc(cap);
    int same = 1;
    for (long d = -12; d <= 12; d++) {
        long bad_line;
        size_t n = build(buf, cap, (size_t)(IMP_CHUNK + d), &bad_line);
        imp_scan sc = scan_bytes(buf, n);
        long lines = 0;
        for (size_t i = 0; i < n; i++) lines += buf[i] == '\n';
        if (sc.lines_bad != 1 || sc.first_bad != bad_line || sc.lines_utf8 != lines - 1 ||
            sc.lines_neither != 0 || sc.nbad_bytes != 2 || sc.bad_bytes[0] != 0xB2 ||
            sc.bad_bytes[1] != 0xE2 || sc.utf8 || sc.size != (long long)n) {
            same = 0;
            printf("# at %ld: bad %ld (line %ld, want %ld), utf8 lines %ld of %ld, bytes %02X %02X\n",
                   d, sc.lines_bad, sc.first_bad, bad_line, sc.lines_utf8, lines,
                   sc.bad_bytes[0], sc.bad_bytes[1]);
        }
    }
    CHECK(same, "a bad line read whole or across a read boundary: the same counts, line and bytes");

    /* a valid multi-byte character split by the read boundary is not an error */
    memset(buf, 'a', IMP_CHUNK + 8);
    memcpy(buf + IMP_CHUNK - 1, "\xE6\xB5\x8B\n", 4);
    imp_scan sc = scan_bytes(buf, IMP_CHUNK + 8);
    CHECK(sc.utf8 && sc.lines_bad == 0 && sc.size == IMP_CHUNK + 8, "a character across the boundary is valid");
    /* the whole-file pass (scan_utf8): characters of 2, 3 and 4 bytes cut by the read
     * boundary at each of their bytes are valid; cut, or at the file's end, without
     * their last byte they are not (the line-by-line scan then names line and bytes) */
    static const char *const chars[] = {"\xC3\xA9", "\xE6\xB5\x8B", "\xF0\x9F\x98\x80"};
    int cut_ok = 1, cut_bad = 1, end_bad = 1;
    for (int k = 0; k < 3; k++) {
        size_t len = strlen(chars[k]);
        for (size_t at = IMP_CHUNK - len + 1; at < IMP_CHUNK; at++) {
            memset(buf, 'a', IMP_CHUNK + 8);
            buf[5] = '\n';
            memcpy(buf + at, chars[k], len);
            sc = scan_bytes(buf, IMP_CHUNK + 8);
            if (!sc.utf8 || sc.lines_bad || sc.size != IMP_CHUNK + 8) cut_ok = 0;
            buf[at + len - 1] = 'a';                  /* the last byte missing */
            sc = scan_bytes(buf, IMP_CHUNK + 8);
            if (sc.utf8 || sc.lines_bad != 1 || sc.first_bad != 2 || sc.lines_utf8 != 0 ||
                sc.bad_bytes[0] != (unsigned char)chars[k][0]) {
                cut_bad = 0;
                printf("# %d at %zu: utf8 %d bad %ld line %ld utf8 lines %ld byte %02X\n", k, at, sc.utf8,
                       sc.lines_bad, sc.first_bad, sc.lines_utf8, sc.bad_bytes[0]);
            }
        }
        memset(buf, 'a', IMP_CHUNK + 8);
        buf[5] = '\n';
        buf[9] = (char)0xC3, buf[10] = (char)0xA9;    /* line 2 has a valid character */
        memcpy(buf + IMP_CHUNK + 8 - (len - 1), chars[k], len - 1);
        sc = scan_bytes(buf, IMP_CHUNK + 8);
        if (sc.utf8 || sc.lines_bad != 1 || sc.lines_utf8 != 0 || sc.first_bad != 2) end_bad = 0;
    }
    CHECK(cut_ok, "2-, 3- and 4-byte characters cut by the read boundary: valid UTF-8");
    CHECK(cut_bad, "the same characters without their last byte: line 2 bad, named by its first byte");
    CHECK(end_bad, "a file ending inside a character: its last line bad");
    /* an invalid line in a later read: the line-by-line scan's counts, valid lines included */
    memset(buf, 'a', 2 * IMP_CHUNK);
    for (int k = 0; k < 4; k++) buf[100 + k * 1000] = '\n';     /* lines 1-5 */
    memcpy(buf + 2000, "\xE6\xB5\x8B", 3);                     /* line 3: valid */
    memcpy(buf + IMP_CHUNK + 20, "\xB2\xE2", 2);                /* line 5: GBK */
    sc = scan_bytes(buf, 2 * IMP_CHUNK);
    CHECK(!sc.utf8 && sc.lines_utf8 == 1 && sc.first_utf8 == 3 && sc.lines_bad == 1 && sc.first_bad == 5 &&
          sc.bad_bytes[0] == 0xB2 && sc.bad_bytes[1] == 0xE2 && sc.size == 2 * IMP_CHUNK,
          "a GBK pair in the second read: the valid line before it counted too");
    /* a UTF-8 BOM; UTF-16 marks (the whole-file pass leaves them to the line-by-line scan) */
    sc = scan_bytes("\xEF\xBB\xBFid,x\n\xE6\xB5\x8B,1\n", 15);
    CHECK(sc.bom && sc.utf8 && !sc.utf16 && sc.size == 15, "a BOM and valid UTF-8");
    sc = scan_bytes("\xFF\xFEi\0d\0", 6);
    CHECK(sc.utf16 == 0xFFFE && sc.nul_line == 1, "UTF-16LE: its mark and NUL bytes");
    sc = scan_bytes("\xFE\xFF\0i\0d", 6);
    CHECK(sc.utf16 == 0xFEFF, "UTF-16BE: its mark");
    memset(buf, 'a', IMP_CHUNK + 8);
    memcpy(buf + IMP_CHUNK - 1, "\xE6\xB5\x8B\n", 4);
    /* ... and a line that ends inside a sequence, at the boundary, is not */
    memcpy(buf + IMP_CHUNK - 1, "\xE6\xB5\n", 3);
    sc = scan_bytes(buf, IMP_CHUNK + 8);
    CHECK(!sc.utf8 && sc.lines_bad == 1 && sc.first_bad == 1 && sc.bad_bytes[0] == 0xE6,
          "a line ending inside a sequence is bad");
    /* the last line without a newline, crossing the boundary: counted */
    memset(buf, 'a', IMP_CHUNK + 8);
    memcpy(buf + IMP_CHUNK - 2, "\xFF\xFE", 2);
    sc = scan_bytes(buf, IMP_CHUNK + 8);
    CHECK(sc.lines_bad == 1 && sc.lines_neither == 1 && sc.first_neither == 1 &&
          sc.neither_bytes[0] == 0xFF && sc.neither_bytes[1] == 0xFE, "FF FE in an unterminated last line");
    /* a NUL's line, across reads */
    memset(buf, 'a', 2 * IMP_CHUNK);
    buf[10] = '\n';
    buf[IMP_CHUNK + 3] = '\n';
    buf[IMP_CHUNK + 5] = '\0';
    sc = scan_bytes(buf, 2 * IMP_CHUNK);
    CHECK(sc.nul_line == 3, "NUL on line 3 (got %ld)", sc.nul_line);
    free(buf);

    /* random lines: each classified the same by the whole-line checks (the line with
     * its newline) and by the byte loop (the line alone, unterminated), and UTF-8 as
     * yj_utf8_valid says */
    static const unsigned char alphabet[] = {'a', ',', '0', ' ', 0x30, 0x39, 0x40, 0x7E, 0x80, 0x81,
                                             0xA1, 0xB2, 0xBF, 0xC2, 0xE2, 0xE6, 0xED, 0xF0, 0xF4,
                                             0xFE, 0xFF, 0x8B, 0x9F, 0xA0};
    unsigned seed = 12345;
    int agree = 1, utf8_right = 1;
    char rnd[40];
    for (int t = 0; t < 20000; t++) {
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
        for (int i = 0; i < n; i++)
            rnd[i] = (char)alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % sizeof alphabet];
        imp_scan byte_loop = scan_bytes(rnd, (size_t)n);
        rnd[n] = '\n';
        imp_scan whole = scan_bytes(rnd, (size_t)n + 1);
        if (byte_loop.lines_utf8 != whole.lines_utf8 || byte_loop.lines_bad != whole.lines_bad ||
            byte_loop.lines_neither != whole.lines_neither || byte_loop.nbad_bytes != whole.nbad_bytes ||
            memcmp(byte_loop.bad_bytes, whole.bad_bytes, (size_t)whole.nbad_bytes)) agree = 0;
        if ((whole.lines_bad == 0) != yj_utf8_valid(rnd, (size_t)n)) utf8_right = 0;
    }
    CHECK(agree, "20000 random lines: the byte loop and the whole-line checks agree (and name the same bytes)");
    CHECK(utf8_right, "20000 random lines: UTF-8 as yj_utf8_valid says");

    /* GB18030 structure: valid two- and four-byte codes, invalid leads and trails */
    const char *gb = "\xB2\xE2\x81\x30\x81\x30,ok\n";
    sc = scan_bytes(gb, strlen(gb));
    CHECK(sc.lines_bad == 1 && sc.lines_neither == 0, "GB18030 two- and four-byte codes decode");
    const char *gbx = "\xB2\xE2\x81\x30\x81,x\n";
    sc = scan_bytes(gbx, strlen(gbx));
    CHECK(sc.lines_neither == 1, "a broken four-byte code is not GB18030");

    /* the rule */
    long line;
    char why[256];
    imp_scan r;
    memset(&r, 0, sizeof r);
    r.utf8 = 1;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) == IMP_ENC_UTF8, "all valid: UTF-8");
    r.utf8 = 0, r.lines_utf8 = 1000, r.lines_bad = 1, r.lines_neither = 1, r.first_bad = 7;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) == IMP_ENC_UTF8, "1000 UTF-8 lines, 1 bad: UTF-8");
    r.lines_utf8 = 5, r.lines_bad = 5;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) == IMP_ENC_UTF8, "as many UTF-8 as not: UTF-8");
    r.lines_utf8 = 1, r.lines_bad = 10, r.lines_neither = 1;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) == IMP_ENC_GB18030, "1 in 10 UTF-8, the rest GB18030: GB18030");
    r.lines_utf8 = 0, r.lines_bad = 10, r.lines_neither = 5, r.first_neither = 4;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) < 0 && line == 4, "half not GB18030 either: refused at its first line");
    r.lines_utf8 = 3, r.lines_bad = 10, r.lines_neither = 0, r.first_utf8 = 2;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) < 0 && line == 7 && strstr(why, "mixed"),
          "3 UTF-8 lines, 10 GB18030: mixed, refused at the first bad line");
    r.bom = 1;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) == IMP_ENC_UTF8, "a UTF-8 BOM decides");
    r.bom = 0, r.utf16 = 0xFFFE;
    CHECK(imp_scan_decide(&r, &line, why, sizeof why) < 0 && strstr(why, "UTF-16") && line == 1, "UTF-16 refused");
    return check_failures() != 0;
}
