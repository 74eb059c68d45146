/* script_gc.c — when a script's garbage collector runs.
 *
 * A scoring run builds its data and results once and keeps nearly all of it to the end:
 * Lua's incremental collector, started at every doubling of the heap, marks the same
 * live tables again and again and finds little to free (a 3,000-unit scoring: ~80 MB
 * allocated, 45 MB of it live at the end; the collector was 10-15 % of the run's CPU).
 * So a new state's collector sleeps until the Lua heap reaches a quarter of the memory
 * limit (128 MB of the default 512), and from then on runs as Lua's default. The memory
 * limit itself is unchanged by this: a growth the limit refuses is retried by Lua after
 * an emergency full collection, and the limit trips only when the retry is refused too
 * (script_alloc.c), so garbage never counts against it. SQL statements a script left
 * open (an iterator abandoned without its loop's close) are finalized by the collector:
 * SQLite's heap counts towards the wake point where SQL is prepared. */
#include <lua.h>
#include <sqlite3.h>

#include "script_int.h"

void yj_gc_sleep(yj_run *run) {
    run->gc_wake_at = run->mem_max / 4;
    run->gc_asleep = 1;
    lua_gc(run->L, LUA_GCSTOP);
}

void yj_gc_wake_if_due(lua_State *L, yj_run *run, size_t sqlite_bytes) {
    if (run->gc_asleep && run->mem_used + sqlite_bytes >= run->gc_wake_at) {
        run->gc_asleep = 0;
        lua_gc(L, LUA_GCRESTART);          /* a cycle starts at the next allocation */
    }
}

void yj_gc_collect_for_room(lua_State *L, yj_run *run) {
    if (run->refused) yj_limits_trip(run, YJ_TRIP_MEMORY);   /* no retry is under way here */
    if (!run->tripped) lua_gc(L, LUA_GCCOLLECT, 0);
}
