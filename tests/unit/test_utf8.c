/* test_utf8.c — util/utf8.c, the one UTF-8 validator: the boundaries of Unicode
 * Table 3-7 (overlongs, surrogates, past U+10FFFF), truncated sequences and the
 * streaming tail, and yj_utf8_seq_len agreeing with yj_utf8_valid byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "utf8.h"

static int valid(const char *s) { return yj_utf8_valid(s, strlen(s)); }

int main(void) {
    static const struct { const char *s; int ok; const char *what; } cases[] = {
        {"plain ASCII, longer than eight bytes", 1, "ASCII"},
        {"\xC2\x80", 1, "U+0080, the first two-byte"},
        {"\xC1\xBF", 0, "overlong two-byte (C1)"},
        {"\xC0\xAF", 0, "overlong '/' (C0 AF)"},
        {"\xE0\xA0\x80", 1, "U+0800, the first three-byte"},
        {"\xE0\x9F\xBF", 0, "overlong three-byte (E0 9F)"},
        {"\xED\x9F\xBF", 1, "U+D7FF, below the surrogates"},
        {"\xED\xA0\x80", 0, "surrogate U+D800"},
        {"\xEE\x80\x80", 1, "U+E000, above the surrogates"},
        {"\xF0\x90\x80\x80", 1, "U+10000, the first four-byte"},
        {"\xF0\x8F\xBF\xBF", 0, "overlong four-byte (F0 8F)"},
        {"\xF4\x8F\xBF\xBF", 1, "U+10FFFF, the last code point"},
        {"\xF4\x90\x80\x80", 0, "U+110000, past the last"},
        {"\xF5\x80\x80\x80", 0, "lead byte F5"},
        {"\xFF", 0, "byte FF"},
        {"\x80", 0, "a lone continuation byte"},
        {"\xE6\xB5\x8B", 1, "测"},
        {"\xE6\xB5", 0, "a truncated three-byte"},
        {"\xE6\x41\x8B", 0, "ASCII inside a sequence"},
        {"abcdefgh\xE6\xB5\x8Bxyz", 1, "after the eight-byte fast path"},
        {"abcdefgh\xB2\xE2", 0, "GBK after the fast path"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CHECK(valid(cases[k].s) == cases[k].ok, "valid: %s", cases[k].what);
        const char *s = cases[k].s;
        size_t n = strlen(s);
        int by_seq = 1;      /* the JSON writer's walk gives the same verdict */
        for (size_t i = 0; i < n;) {
            if ((unsigned char)s[i] < 0x80) { i++; continue; }
            size_t m = yj_utf8_seq_len(s + i, n - i);
            if (!m) { by_seq = 0; break; }
            i += m;
        }
        CHECK(by_seq == cases[k].ok, "seq_len walk: %s", cases[k].what);
    }
    CHECK(yj_utf8_seq_len("a", 1) == 0, "seq_len: ASCII is not a multi-byte sequence");
    CHECK(yj_utf8_seq_len("\xE6\xB5\x8B", 2) == 0, "seq_len: a sequence cut by avail");
    CHECK(yj_utf8_valid("a\0b", 3), "valid: a NUL byte is valid UTF-8");

    size_t tail = 9, bad = 99;
    CHECK(yj_utf8_check("ab\xE6\xB5", 4, &tail, &bad) == 1 && tail == 2,
          "check: a sequence cut at the end is a tail of 2, not an error");
    CHECK(yj_utf8_check("ab\xE6\x41", 4, &tail, &bad) == 0 && bad == 2, "check: the bad offset");
    CHECK(yj_utf8_bad("\xE6\xB5\x8B\xE6\xB5", 5) == 3, "bad: a truncated sequence at its start");

    /* random bytes: the streaming check over two halves agrees with the whole */
    srand(7);
    int agree = 1;
    for (int r = 0; r < 20000 && agree; r++) {
        char buf[16];
        size_t n = (size_t)(rand() % 16);
        for (size_t i = 0; i < n; i++) buf[i] = (char)(rand() % 3 ? 0x80 + rand() % 0x80 : rand() % 0x80);
        int whole = yj_utf8_valid(buf, n);
        int walk = 1;
        for (size_t i = 0; i < n;) {
            if ((unsigned char)buf[i] < 0x80) { i++; continue; }
            size_t m = yj_utf8_seq_len(buf + i, n - i);
            if (!m) { walk = 0; break; }
            i += m;
        }
        if (whole != walk || (whole != (yj_utf8_bad(buf, n) < 0))) agree = 0;
    }
    CHECK(agree, "20000 random strings: valid, seq_len walk and bad agree");

    /* display width (yingji list aligns Chinese text by it) */
    CHECK(yj_utf8_width("") == 0, "width: empty");
    CHECK(yj_utf8_width("road") == 4, "width: ASCII one column each");
    CHECK(yj_utf8_width("道路运输") == 8, "width: CJK ideographs two columns each");
    CHECK(yj_utf8_width("T01城关镇") == 9, "width: mixed");
    CHECK(yj_utf8_width("（１）") == 6, "width: fullwidth forms two columns");
    CHECK(yj_utf8_width("é") == 1, "width: a Latin letter with accent is one column");
    CHECK(yj_utf8_width("a\xFF" "b") == 2, "width: a stray byte takes none");
    CHECK(yj_utf8_width("a\tb") == 2, "width: a control takes none");
    return check_failures() != 0;
}
