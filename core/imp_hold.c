/* imp_hold.c — the import's messages held back until the verdict on a read-ahead sheet
 * (see imp_hold.h). The state is shared under a mutex; the buffer is the reporting
 * thread's own, so printing it needs no lock. */
#include <stdlib.h>
#include <string.h>

#include "imp_hold.h"

void imp_hold_init(imp_hold *h) {
    memset(h, 0, sizeof *h);
    g_mutex_init(&h->m);
    g_cond_init(&h->cv);
    h->state = IMP_HOLD_PENDING;
}

void imp_hold_clear(imp_hold *h) {
    g_mutex_clear(&h->m);
    g_cond_clear(&h->cv);
    free(h->buf);
    h->buf = NULL;
    h->len = h->cap = 0;
}

void imp_hold_verdict(void *arg, int restart) {
    imp_hold *h = arg;
    g_mutex_lock(&h->m);
    if (h->state == IMP_HOLD_PENDING) h->state = restart ? IMP_HOLD_RESTART : IMP_HOLD_GO;
    g_cond_broadcast(&h->cv);
    g_mutex_unlock(&h->m);
}

static int state(imp_hold *h, int wait) {
    g_mutex_lock(&h->m);
    if (wait && h->state == IMP_HOLD_PENDING && h->need && !h->need(h->need_arg)) h->state = IMP_HOLD_RESTART;
    while (wait && h->state == IMP_HOLD_PENDING) g_cond_wait(&h->cv, &h->m);
    int s = h->state;
    g_mutex_unlock(&h->m);
    return s;
}

/* Prints what is kept (the verdict: go). */
static void release(imp_hold *h, FILE *out) {
    if (h->len) fwrite(h->buf, 1, h->len, out);
    h->len = 0;
}

void imp_hold_print(imp_hold *h, FILE *out, const char *text) {
    size_t n = strlen(text);
    int s = state(h, h->len + n > IMP_HOLD_MAX);
    if (s == IMP_HOLD_RESTART) return;
    if (s == IMP_HOLD_GO) {
        release(h, out);
        fputs(text, out);
        return;
    }
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 4096;
        while (cap < h->len + n) cap *= 2;
        char *p = realloc(h->buf, cap);
        if (!p) {                       /* no room to keep it: the verdict first */
            if (state(h, 1) == IMP_HOLD_GO) { release(h, out); fputs(text, out); }
            return;
        }
        h->buf = p;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, text, n);
    h->len += n;
}

int imp_hold_flush(imp_hold *h, FILE *out) {
    imp_hold_verdict(h, 0);             /* no-op when a verdict came */
    if (state(h, 0) == IMP_HOLD_RESTART) { h->len = 0; return 1; }
    release(h, out);
    return 0;
}
