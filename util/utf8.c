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
