/* strmap.h — the one hash map of the code base: string -> pointer, open addressing
 * (FNV-1a, lengths compared first), 32-byte slots with keys shorter than 16 bytes kept
 * inside, so that a table of thousands of unit codes and names stays in the CPU's cache.
 * The map copies its keys (owned) and never owns the values.
 * Errors: yj_strmap_put returns -1 when memory runs out (the map is unchanged). */
#ifndef YJ_STRMAP_H
#define YJ_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct yj_strmap_slot yj_strmap_slot;

typedef struct {
    yj_strmap_slot *s;
    size_t cap, n;       /* cap: 0 or a power of two */
} yj_strmap;             /* zero-initialised: an empty map */

/* Adds k -> v (v not NULL) unless k is already there (the first entry wins).
 * 0, or -1 when memory runs out. */
int yj_strmap_put(yj_strmap *m, const char *k, void *v);

/* The value of k, or NULL. */
void *yj_strmap_get(const yj_strmap *m, const char *k);

/* Frees the keys and the table (not the values); the map is empty again. */
void yj_strmap_free(yj_strmap *m);

#endif
