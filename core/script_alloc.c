/* script_alloc.c — the capped lua_Alloc of the script runtime.
 *
 * Every byte of a script's Lua heap passes through yj_alloc, which keeps the total and
 * the peak and refuses (returns NULL, so Lua raises "not enough memory") any growth past
 * the cap. In Lua 5.4, when ptr is NULL, osize is the *type* of the new object (LUA_TSTRING,
 * ...), not a size: it must be counted as 0 (shared/spec/measured.md). A refusal also
 * trips the memory limit, so the count hook re-raises it on the next instruction and a
 * pcall cannot swallow it. The blocks come from the run's pool (script_pool.c: size
 * classes for the small ones, malloc for the rest); the cap counts what the heap takes
 * from malloc: the larger blocks by the sizes Lua asks for, the small ones by the
 * blocks ever carved for their classes (a freed small block stays in its class: with
 * live bytes alone counted, a script could fill the cap in one class, free it, fill it
 * again in the next and so hold one cap a class). Without the pool (the
 * AddressSanitizer build) the cap counts the sizes Lua asks for. */
#include <stdlib.h>

#include "script_int.h"

void *yj_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    yj_run *run = ud;
    size_t old = ptr ? osize : 0;      /* ptr == NULL: osize is a type tag */
    if (nsize == 0) {
        yj_pool_put(&run->pool, ptr, old);
        run->mem_used -= yj_pool_cost(old);
        return NULL;
    }
    /* what the cap is charged: the larger blocks, and the small blocks carved */
    size_t add = yj_pool_need(&run->pool, ptr, old, nsize) + yj_pool_cost(nsize), sub = yj_pool_cost(old);
    if (add > sub && (add - sub > run->mem_max || run->mem_used + (add - sub) > run->mem_max)) {
        /* Only trip once the state exists and is running the script; a failure while
         * the state is being built is plain out-of-memory. */
        if (run->L) yj_limits_trip(run, YJ_TRIP_MEMORY);
        return NULL;
    }
    size_t reserved = run->pool.reserved;
    void *p = yj_pool_resize(&run->pool, ptr, old, nsize);
    if (!p) return NULL;
    run->mem_used = run->mem_used - sub + yj_pool_cost(nsize) + (run->pool.reserved - reserved);
    if (run->mem_used > run->mem_peak) run->mem_peak = run->mem_used;
    return p;
}

void yj_alloc_release(yj_run *run) {
    yj_pool_release(&run->pool);
}

yj_run *yj_run_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}
