/* script_alloc.c — the capped lua_Alloc of the script runtime.
 *
 * Every byte of a script's Lua heap passes through yj_alloc, which keeps the total and
 * the peak and refuses (returns NULL, so Lua raises "not enough memory") any growth past
 * the cap. In Lua 5.4, when ptr is NULL, osize is the *type* of the new object (LUA_TSTRING,
 * ...), not a size: it must be counted as 0. Lua answers a refusal with an emergency full
 * collection and asks once more (lmem.c, tryagain): a refusal of that retry trips the
 * memory limit, so the count hook re-raises it on the next instruction and a pcall cannot
 * swallow it; garbage never counts against the cap. A refusal Lua does not retry (the
 * string buffers of its auxiliary library, a growth while the collector itself runs) is
 * followed by some other growth or by the next instruction's hook or the run's end
 * (yj_pcall) instead: each of those trips it too. The retry is told by the block and
 * both sizes it asks for again; the hook fires at the next instruction of the thread
 * running (a coroutine too, script_limits.c), so no Lua code can run between a refusal
 * and a request of the same size that would pass for its retry (a buffer's refusal
 * forgiven by a table's hash part of its size, after a collectgarbage, in a coroutine
 * whose own hook was not due: tests/e2e/sandbox_gc.sh). The blocks come from the run's pool (script_pool.c: size
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
    int retry = run->refused && run->refused_ptr == ptr && run->refused_osize == osize &&
                run->refused_size == nsize;
    if (add > sub && (add - sub > run->mem_max || run->mem_used + (add - sub) > run->mem_max)) {
        /* Only trip once the state exists and is running the script; a failure while
         * the state is being built is plain out-of-memory. */
        if (run->L) {
            if (run->refused) {
                yj_limits_trip(run, YJ_TRIP_MEMORY);
            } else {
                run->refused = 1;
                run->refused_ptr = ptr;
                run->refused_osize = osize;
                run->refused_size = nsize;
                yj_limits_refused(run);
            }
        }
        return NULL;
    }
    if (run->refused && nsize > old) {     /* granted: the retry, or Lua raised instead */
        if (retry) run->refused = 0;
        else yj_limits_trip(run, YJ_TRIP_MEMORY);
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
