/* strbuf.h — the growable string buffer of every layer: text grown piece by piece (JSON,
 * CSV and text results, the archive's canonical texts, SQL built from parts, a file read
 * whole). It can also write straight through to a FILE, so one writer serves both a
 * string and a stream.
 *
 *     strbuf b = STRBUF_INIT;
 *     strbuf_puts(&b, "{"); strbuf_printf(&b, "%d", n); ...
 *     if (b.err) { strbuf_free(&b); fail(); }      (out of memory, or a write error)
 *     char *s = strbuf_take(&b, &len);             (malloc'd, NUL-terminated; caller frees)
 *
 * Errors (this layer's convention): the first failure sets err and every later write is
 * ignored, so a writer checks once at the end; nothing aborts, nothing prints. */
#ifndef YJ_STRBUF_H
#define YJ_STRBUF_H

#include <stddef.h>
#include <stdio.h>

typedef struct strbuf {
    char *p;       /* the text, NUL-terminated once anything was added (NULL before) */
    size_t len, cap;
    int err;       /* 1 after out of memory or a failed write: later writes are ignored */
    FILE *out;     /* non-NULL: bytes are written to out instead of kept (borrowed) */
} strbuf;

#define STRBUF_INIT { NULL, 0, 0, 0, NULL }

/* Appends n bytes (to out when set). */
void strbuf_put(strbuf *b, const char *s, size_t n);
void strbuf_puts(strbuf *b, const char *s);
void strbuf_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reserves room for n more bytes (and the NUL); 0, or -1 with err set. */
int strbuf_reserve(strbuf *b, size_t n);
/* The text (malloc'd, NUL-terminated, "" when empty; *len may be NULL), leaving b empty;
 * NULL when b.err is set (b is then freed). Caller frees the text. */
char *strbuf_take(strbuf *b, size_t *len);
/* Frees the text and resets b (out is kept). */
void strbuf_free(strbuf *b);

#endif
