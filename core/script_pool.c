/* script_pool.c — size classes for the small blocks of a script's Lua heap (see
 * script_pool.h). A run allocates hundreds of thousands of small blocks (tables, strings,
 * closures of up to 256 bytes) and frees most of them again; taking them from per-class
 * free lists and a bump pointer costs a few instructions, where malloc and free also keep
 * headers, bins and consolidation. Memory goes back to malloc when the run ends. */
#include <stdlib.h>
#include <string.h>

#include "script_pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_OFF 1
#endif
#endif
#ifndef POOL_OFF
#define POOL_OFF 0
#endif

#define CHUNK (64 * 1024)
#define CHUNK_HEAD 16                /* the link to the previous chunk, keeping 16-byte alignment */

int yj_pool_on(void) { return !POOL_OFF; }

static int pooled(size_t n) { return !POOL_OFF && n <= YJ_POOL_MAX; }
static size_t class_of(size_t n) { return (n - 1) / 16; }

void *yj_pool_get(yj_pool *p, size_t n) {
    if (!pooled(n)) return malloc(n);
    size_t c = class_of(n), size = (c + 1) * 16;
    void *b = p->free[c];
    if (b) {
        memcpy(&p->free[c], b, sizeof b);
        return b;
    }
    if ((size_t)(p->end - p->cur) < size) {
        char *chunk = malloc(CHUNK);
        if (!chunk) return NULL;
        memcpy(chunk, &p->chunks, sizeof p->chunks);
        p->chunks = chunk;
        p->cur = chunk + CHUNK_HEAD;
        p->end = chunk + CHUNK;
    }
    b = p->cur;
    p->cur += size;
    p->reserved += size;
    return b;
}

void yj_pool_put(yj_pool *p, void *ptr, size_t n) {
    if (!ptr) return;
    if (!pooled(n)) { free(ptr); return; }
    size_t c = class_of(n);
    memcpy(ptr, &p->free[c], sizeof ptr);
    p->free[c] = ptr;
}

size_t yj_pool_cost(size_t n) { return pooled(n) ? 0 : n; }

size_t yj_pool_need(const yj_pool *p, const void *ptr, size_t old, size_t n) {
    if (!pooled(n)) return 0;
    size_t c = class_of(n);
    if ((ptr && pooled(old) && class_of(old) == c) || p->free[c]) return 0;
    return (c + 1) * 16;
}

void *yj_pool_resize(yj_pool *p, void *ptr, size_t old, size_t n) {
    if (!ptr) return yj_pool_get(p, n);
    if (!pooled(old) && !pooled(n)) return realloc(ptr, n);
    if (pooled(old) && pooled(n) && class_of(old) == class_of(n)) return ptr;
    void *q = yj_pool_get(p, n);
    if (!q) return NULL;
    memcpy(q, ptr, old < n ? old : n);
    yj_pool_put(p, ptr, old);
    return q;
}

void yj_pool_release(yj_pool *p) {
    void *chunk = p->chunks;
    while (chunk) {
        void *prev;
        memcpy(&prev, chunk, sizeof prev);
        free(chunk);
        chunk = prev;
    }
    memset(p, 0, sizeof *p);
}
