/* script_pool.h — size classes for the small blocks of a script's Lua heap (script_pool.c).
 * Lua tells the allocator the old size of every block it frees or resizes, so a block
 * needs no header: blocks of up to YJ_POOL_MAX bytes come from 64 KiB chunks, one free
 * list per 16-byte class; larger ones go to malloc. The chunks go back to malloc all at
 * once (yj_pool_release) after lua_close. Under AddressSanitizer every block is a plain
 * malloc, so ASan still sees each one of Lua's blocks. */
#ifndef YJ_SCRIPT_POOL_H
#define YJ_SCRIPT_POOL_H

#include <stddef.h>

#define YJ_POOL_MAX 256              /* the largest block a class holds */
#define YJ_POOL_CLASSES (YJ_POOL_MAX / 16)

typedef struct yj_pool {
    void *free[YJ_POOL_CLASSES];     /* freed blocks of each class, linked through their first bytes */
    char *cur, *end;                 /* the part of the newest chunk not handed out yet */
    void *chunks;                    /* every chunk, linked through its first 16 bytes */
    size_t reserved;                 /* bytes of blocks ever carved from the chunks */
} yj_pool;

/* A block of n > 0 bytes, or NULL (out of memory). */
void *yj_pool_get(yj_pool *p, size_t n);
/* Returns the block of n bytes at ptr (NULL: nothing). */
void yj_pool_put(yj_pool *p, void *ptr, size_t n);
/* The block at ptr (old bytes, ptr NULL: old 0) resized to n > 0 bytes, contents kept up
 * to the smaller size; NULL when out of memory (the old block is then left as it was). */
void *yj_pool_resize(yj_pool *p, void *ptr, size_t old, size_t n);
/* What the memory cap charges for a live block of n bytes apart from the classes: n for
 * a block from malloc, 0 for one from a class, whose blocks are charged once, when they
 * are carved from a chunk (reserved): a freed block stays in its class, so live bytes
 * alone would not bound what the heap holds. */
size_t yj_pool_cost(size_t n);
/* The bytes yj_pool_resize(p, ptr, old, n) would carve from a chunk: 0 (a block of the
 * class is free, or the block stays in its class) or the class's size. */
size_t yj_pool_need(const yj_pool *p, const void *ptr, size_t old, size_t n);
/* 1 when small blocks come from the classes, 0 in the AddressSanitizer build. */
int yj_pool_on(void);
/* Frees every chunk (after lua_close: no block of the pool is in use any more). */
void yj_pool_release(yj_pool *p);

#endif
