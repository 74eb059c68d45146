/* strbuf.c — the growable string buffer (strbuf.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

int strbuf_reserve(strbuf *b, size_t n) {
    if (b->err) return -1;
    if (n > (size_t)-1 / 2 - b->len) { b->err = 1; return -1; }
    if (b->len + n + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (b->len + n + 1 > cap) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) { b->err = 1; return -1; }
    b->p = p;
    b->cap = cap;
    return 0;
}

void strbuf_put(strbuf *b, const char *s, size_t n) {
    /* the common case first: a piece that fits (the writers put ~100,000 a table) */
    if (!b->out && !b->err && n < b->cap - b->len) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
        return;
    }
    if (b->err) return;
    if (b->out) {
        if (n && fwrite(s, 1, n, b->out) != n) b->err = 1;
        return;
    }
    if (strbuf_reserve(b, n) != 0) return;
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void strbuf_puts(strbuf *b, const char *s) {
    strbuf_put(b, s, strlen(s));
}

void strbuf_printf(strbuf *b, const char *fmt, ...) {
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) { b->err = 1; return; }
    if ((size_t)n < sizeof small) { strbuf_put(b, small, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) { b->err = 1; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    strbuf_put(b, big, (size_t)n);
    free(big);
}

char *strbuf_take(strbuf *b, size_t *len) {
    strbuf_put(b, "", 0);            /* "" rather than NULL when nothing was added */
    if (b->err || !b->p) {
        strbuf_free(b);
        return NULL;
    }
    char *p = b->p;
    if (len) *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void strbuf_free(strbuf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
