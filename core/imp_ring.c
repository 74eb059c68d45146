/* imp_ring.c — the bounded ring of batches between the importer's two threads
 * (imp_ring.h). One mutex and one condition variable guard the counters; the bytes
 * of a batch belong to one thread at a time, so they are used without the lock.
 * POSIX threads' primitives (not GLib's) so that ThreadSanitizer sees the hand-over. */
#include <pthread.h>
#include <stdlib.h>

#include "imp_ring.h"

typedef struct {
    char *buf;
    size_t len, cap;
} batch;

struct imp_ring {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[IMP_RING_BATCHES];
    int fill;        /* batch the producer writes into */
    int take;        /* next batch the consumer reads */
    int full;        /* batches handed over, not yet released */
    int closed;
    int filling;     /* the producer owns b[fill] */
};

imp_ring *imp_ring_new(void) {
    imp_ring *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (pthread_mutex_init(&r->mu, NULL) != 0) { free(r); return NULL; }
    if (pthread_cond_init(&r->cv, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        free(r);
        return NULL;
    }
    return r;
}

void imp_ring_free(imp_ring *r) {
    if (!r) return;
    for (int k = 0; k < IMP_RING_BATCHES; k++) free(r->b[k].buf);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}

/* Hands b[fill] to the consumer (when it holds anything). */
static void hand_over(imp_ring *r) {
    if (!r->filling) return;
    r->filling = 0;
    if (r->b[r->fill].len == 0) return;
    pthread_mutex_lock(&r->mu);
    r->full++;
    r->fill = (r->fill + 1) % IMP_RING_BATCHES;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void *imp_ring_reserve(imp_ring *r, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (r->filling && r->b[r->fill].len + n > r->b[r->fill].cap) hand_over(r);
    if (!r->filling) {
        pthread_mutex_lock(&r->mu);
        while (r->full == IMP_RING_BATCHES) pthread_cond_wait(&r->cv, &r->mu);
        pthread_mutex_unlock(&r->mu);
        r->filling = 1;
        r->b[r->fill].len = 0;
    }
    batch *b = &r->b[r->fill];
    if (b->len + n > b->cap) {         /* an empty batch, smaller than the entry */
        size_t cap = n > IMP_RING_BYTES ? n : IMP_RING_BYTES;
        char *p = realloc(b->buf, cap);
        if (!p) return NULL;
        b->buf = p;
        b->cap = cap;
    }
    return b->buf + b->len;
}

void imp_ring_commit(imp_ring *r, size_t n) {
    r->b[r->fill].len += (n + 7) & ~(size_t)7;
}

void imp_ring_close(imp_ring *r) {
    hand_over(r);
    pthread_mutex_lock(&r->mu);
    r->closed = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void *imp_ring_take(imp_ring *r, size_t *len) {
    pthread_mutex_lock(&r->mu);
    while (r->full == 0 && !r->closed) pthread_cond_wait(&r->cv, &r->mu);
    int have = r->full > 0;
    pthread_mutex_unlock(&r->mu);
    if (!have) return NULL;
    *len = r->b[r->take].len;
    return r->b[r->take].buf;
}

void imp_ring_release(imp_ring *r) {
    pthread_mutex_lock(&r->mu);
    r->take = (r->take + 1) % IMP_RING_BATCHES;
    r->full--;
    /* A producer waiting for room is woken once half the ring is free, to fill it in
     * one go, not at every batch (a wake-up costs a system call and a switch). */
    if (r->full == IMP_RING_BATCHES / 2) pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}
