/* utf8.h — the one strict UTF-8 validator of the code base (Unicode Table 3-7: no
 * overlong forms, no surrogates, nothing past U+10FFFF). The importer checks cells and
 * scans files with it, the results writer replaces what it refuses by U+FFFD. Pure
 * functions, no allocation, no errors beyond their return values. */
#ifndef YJ_UTF8_H
#define YJ_UTF8_H

#include <stddef.h>

/* For a lead byte c >= 0x80: the number of continuation bytes that must follow
 * (1..3), and in *lo..*hi the range allowed for the first of them (the others are
 * always 0x80..0xBF). 0 when c cannot start a sequence. */
static inline int yj_utf8_lead(unsigned c, unsigned *lo, unsigned *hi) {
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) return 1;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0) *lo = 0xA0;
        if (c == 0xED) *hi = 0x9F;     /* no surrogates */
        return 2;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0) *lo = 0x90;
        if (c == 0xF4) *hi = 0x8F;     /* nothing past U+10FFFF */
        return 3;
    }
    return 0;
}

/* Validates s[0..n): 1 when valid, 0 when not (*bad, when not NULL, the offset where
 * the invalid sequence starts). *tail is the length of an incomplete but so far valid
 * sequence at the end (0 when s ends on a boundary): a streaming caller keeps it for
 * the next buffer. */
int yj_utf8_check(const char *s, size_t n, size_t *tail, size_t *bad);

/* 1 when s[0..n) is strict UTF-8 (a NUL byte is valid: callers that refuse it say so). */
int yj_utf8_valid(const char *s, size_t n);

/* Offset of the first invalid (or truncated) sequence in s[0..n), or -1 when valid. */
long yj_utf8_bad(const char *s, size_t n);

/* The length (2..4) of the well-formed multi-byte sequence at s (avail bytes there),
 * or 0 when s does not start one (ASCII included). */
size_t yj_utf8_seq_len(const char *s, size_t avail);

/* The columns s (NUL-terminated UTF-8) takes on a terminal: 2 for each East Asian wide
 * or fullwidth character (汉字, fullwidth forms), 1 for others, 0 for controls; for
 * aligning text tables that mix Chinese and ASCII. */
size_t yj_utf8_width(const char *s);

#endif
