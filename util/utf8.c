/* utf8.c — strict UTF-8 validation (see utf8.h). */
#include <string.h>

#include "utf8.h"

int yj_utf8_check(const char *str, size_t n, size_t *tail, size_t *bad) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    *tail = 0;
    while (i < n) {
        /* fast path: eight ASCII bytes at a time */
        while (i + 8 <= n) {
            unsigned long long w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = s[i], lo, hi;
        if (c < 0x80) { i++; continue; }
        int more = yj_utf8_lead(c, &lo, &hi);
        if (!more) {
            if (bad) *bad = i;
            return 0;
        }
        for (size_t k = 1; k <= (size_t)more; k++) {
            if (i + k >= n) { *tail = k; return 1; }
            unsigned b = s[i + k];
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
                if (bad) *bad = i;
                return 0;
            }
        }
        i += (size_t)more + 1;
    }
    return 1;
}

int yj_utf8_valid(const char *s, size_t n) {
    size_t tail;
    return yj_utf8_check(s, n, &tail, NULL) && tail == 0;
}

long yj_utf8_bad(const char *s, size_t n) {
    size_t tail, bad = 0;
    if (!yj_utf8_check(s, n, &tail, &bad)) return (long)bad;
    return tail ? (long)(n - tail) : -1;
}

size_t yj_utf8_seq_len(const char *str, size_t avail) {
    const unsigned char *s = (const unsigned char *)str;
    unsigned lo, hi;
    int more = s[0] >= 0x80 ? yj_utf8_lead(s[0], &lo, &hi) : 0;
    size_t n = (size_t)more + 1;
    if (!more || avail < n || s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return n;
}

/* East Asian Wide and Fullwidth ranges (UAX #11, the blocks CJK text uses). */
static int wide(unsigned long cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t yj_utf8_width(const char *s) {
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 0 : yj_utf8_seq_len((const char *)p, strlen((const char *)p));
        if (n < 2) { w += *p >= 0x20 && *p < 0x7F; p++; continue; }   /* ASCII; a stray byte: 0 */
        unsigned long cp = n == 2 ? (p[0] & 0x1Fu) : n == 3 ? (p[0] & 0x0Fu) : (p[0] & 0x07u);
        for (size_t k = 1; k < n; k++) cp = (cp << 6) | (p[k] & 0x3Fu);
        w += wide(cp) ? 2 : 1;
        p += n;
    }
    return w;
}
