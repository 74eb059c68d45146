/* imp_ring.h — a bounded ring of byte batches handed from one producer thread to one
 * consumer thread (the importer's parsing and storing threads). The producer appends
 * entries to the batch it is filling; a full batch goes to the consumer, which reads
 * it whole and gives it back. Memory stays flat: at most IMP_RING_BATCHES batches of
 * IMP_RING_BYTES each (a batch grows only for an entry larger than that). */
#ifndef YJ_IMP_RING_H
#define YJ_IMP_RING_H

#include <stddef.h>

enum { IMP_RING_BATCHES = 8, IMP_RING_BYTES = 256 * 1024 };

typedef struct imp_ring imp_ring;

/* NULL when memory runs out. Free with imp_ring_free once both threads are done. */
imp_ring *imp_ring_new(void);
void imp_ring_free(imp_ring *r);

/* Producer: n bytes to write an entry into (8-byte aligned), valid until the next
 * reserve; blocks while every batch is with the consumer. NULL when memory runs out.
 * imp_ring_commit(r, n) then appends what was written (n <= the reserved size). */
void *imp_ring_reserve(imp_ring *r, size_t n);
void imp_ring_commit(imp_ring *r, size_t n);
/* Producer: hands over the last batch and says no more follow. */
void imp_ring_close(imp_ring *r);

/* Consumer: the next full batch (*len bytes of entries), blocking until one is ready;
 * NULL once the producer has closed and every batch was taken. The batch is the
 * consumer's until imp_ring_release. */
void *imp_ring_take(imp_ring *r, size_t *len);
void imp_ring_release(imp_ring *r);

#endif
