/* script_limits.c — stopping runaway scripts: the instruction budget (a count hook),
 * the trip that pcall cannot swallow, the SQL time limit (a progress handler, since
 * the count hook does not fire while sqlite3_step runs: shared/spec/measured.md). The
 * wall-clock watchdog of the command line is script_watchdog.c. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <sqlite3.h>

#include "i18n.h"
#include "script_int.h"

/* The hook fires every HOOK_STEP instructions while the budget lasts (fewer near its
 * end, so that a budget below the step is exact too); in coroutines every CO_STEP, the
 * amount charged up front at each resume (yj_limits_enter_thread). */
#define HOOK_STEP 1000
#define CO_STEP 200

double yj_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The progress handler runs every SQL_PROGRESS_STEPS virtual machine steps, some 67,000
 * times in the double decline's 0.3 s of SQL, and reading CLOCK_MONOTONIC there cost 1 % of it
 * (40 ns a read in this VM). CLOCK_MONOTONIC_COARSE costs 6 ns, but it moves only at the
 * kernel's tick (its resolution, 4 ms here): it serves as a gate that says "far from the
 * deadline", and the precise clock decides as before. */
#ifdef CLOCK_MONOTONIC_COARSE
static double coarse_ms(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) != 0) return 0;
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Two ticks of the coarse clock in ms, read once (a race of two first calls writes the
 * same value); -1 when the system has no coarse clock. */
static double coarse_margin_ms(void) {
    static double margin;
    if (margin == 0) {
        struct timespec res;
        margin = clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0 && res.tv_sec == 0 && coarse_ms() > 0
                   ? 2 * (res.tv_nsec / 1e6) : -1;
    }
    return margin;
}
#endif

/* The next count of the hook: at most max, at most what is left of the budget (and at
 * least 1, so that the next instruction past the budget trips). */
static int next_step(const yj_run *run, int max) {
    long long left = run->max_instructions - run->instructions;
    if (left < 1) return 1;
    return left < max ? (int)left : max;
}

/* Raises the trip message in L, with the position of the Lua code that called the C
 * function running (level 1), like the hook's own error. */
static int raise_trip(lua_State *L, int level) {
    yj_run *run = yj_run_of(L);
    luaL_where(L, level);
    lua_pushstring(L, run->trip_msg);
    lua_concat(L, 2);
    return lua_error(L);
}

/* The count hook of every thread. Each firing charges the count the thread's hook was set
 * to (lua_gethookcount): threads have their own countdowns. */
static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    yj_run *run = yj_run_of(L);
    run->running = L;                    /* L runs: see yj_limits_enter_thread */
    if (run->refused) yj_limits_trip(run, YJ_TRIP_MEMORY);   /* Lua did not retry it */
    if (!run->tripped) {
        yj_gc_wake_if_due(L, run, 0);
        run->instructions += lua_gethookcount(L);
        if (run->instructions <= run->max_instructions) {
            int step = next_step(run, L == run->L ? HOOK_STEP : CO_STEP);
            if (step != lua_gethookcount(L)) lua_sethook(L, count_hook, LUA_MASKCOUNT, step);
            return;
        }
        yj_limits_trip(run, YJ_TRIP_INSTRUCTIONS);
    }
    /* Tripped: raise again at every instruction until the script is gone. */
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    raise_trip(L, 0);
}

void yj_limits_install(yj_run *run) {
    run->running = run->L;
    lua_sethook(run->L, count_hook, LUA_MASKCOUNT, next_step(run, HOOK_STEP));
}

/* The coroutine being resumed is kept in the registry (slot run->running_ref) so that
 * run->running never points at a collected thread: a resume can raise before the
 * coroutine runs (a stack that cannot grow, coroutine.close of a running one), and
 * run->running then names it until the caller's next hook or resume. Released when the
 * resume returns (yj_limits_check). An integer slot: a light userdata key cost 1.7 times
 * as much (callgrind). */

/* Lua reports nothing of a thread's countdown, so what a coroutine runs after its last
 * hook before it yields or ends would go uncounted, and a million short coroutines would
 * run a billion instructions free. Instead each resume charges one step up front and
 * restarts the coroutine's countdown at that step: the charge covers the tail, the hook
 * the rest. Restarting a thread's countdown loses at most one step of its own, which the
 * charge covers too (the main thread's step is HOOK_STEP: a coroutine may try to resume
 * it, which fails, but only after this). */
void yj_limits_enter_thread(lua_State *L, int idx) {
    yj_run *run = yj_run_of(L);
    lua_State *co = lua_tothread(L, idx);
    if (run->refused) yj_limits_trip(run, YJ_TRIP_MEMORY);   /* no retry across a resume */
    if (!run->tripped) {
        int step = next_step(run, co == run->L ? HOOK_STEP : CO_STEP);
        run->instructions += step;
        if (run->instructions > run->max_instructions) yj_limits_trip(run, YJ_TRIP_INSTRUCTIONS);
        else {
            lua_sethook(co, count_hook, LUA_MASKCOUNT, step);
            if (!run->running_ref) {
                lua_pushboolean(L, 0);
                run->running_ref = luaL_ref(L, LUA_REGISTRYINDEX);
            }
            lua_pushvalue(L, idx);
            lua_rawseti(L, LUA_REGISTRYINDEX, run->running_ref);
            run->running_kept = co;
            run->running = co;
            return;
        }
    }
    lua_sethook(co, count_hook, LUA_MASKCOUNT, 1);
    raise_trip(L, 1);
}

void yj_limits_check(lua_State *L) {
    yj_run *run = yj_run_of(L);
    run->running = L;
    if (run->running_kept && lua_checkstack(L, 1)) {
        /* no longer needed: a suspended coroutine the script drops must be collectable */
        lua_pushboolean(L, 0);
        lua_rawseti(L, LUA_REGISTRYINDEX, run->running_ref);
        run->running_kept = NULL;
    }
    if (run->refused) yj_limits_trip(run, YJ_TRIP_MEMORY);   /* the coroutine did not retry */
    if (run->tripped) raise_trip(L, 1);
}

void yj_limits_trip(yj_run *run, int what) {
    run->refused = 0;
    if (run->tripped) return;
    run->tripped = what;
    switch (what) {
    case YJ_TRIP_INSTRUCTIONS:
        snprintf(run->trip_msg, sizeof run->trip_msg,
                 _("script exceeded its instruction budget (%lld)"), run->max_instructions);
        break;
    case YJ_TRIP_MEMORY:
        snprintf(run->trip_msg, sizeof run->trip_msg,
                 _("script exceeded its memory limit (%zu MB)"), run->mem_max >> 20);
        break;
    default:
        snprintf(run->trip_msg, sizeof run->trip_msg,
                 _("script exceeded its SQL time limit (%.0f ms)"), run->sql_max_ms);
        break;
    }
    /* lua_sethook is safe to call at any time, even from inside the allocator. */
    if (run->L) lua_sethook(run->L, count_hook, LUA_MASKCOUNT, 1);
}

/* Makes T's hook fire at T's next instruction. Setting a hook restarts the thread's
 * countdown, and Lua reports nothing of what was left of it: the instructions T ran since
 * its hook last fired are charged now as if its whole step had run (at most step - 1 too
 * many; the firing charges the last one). Without the charge, a loop whose every
 * iteration is refused once (and granted on Lua's retry) would run its iterations unpaid. */
static void hook_next_instruction(yj_run *run, lua_State *T) {
    int count = lua_gethookcount(T);
    if (count > 1) run->instructions += count - 1;
    lua_sethook(T, count_hook, LUA_MASKCOUNT, 1);
}

void yj_limits_refused(yj_run *run) {
    if (!run->L) return;
    /* The thread running Lua code (not only the main thread: a coroutine's hook would
     * otherwise let up to CO_STEP instructions run, enough to free memory and ask for
     * the refused size again) */
    if (run->running && run->running != run->L) hook_next_instruction(run, run->running);
    hook_next_instruction(run, run->L);
}

/* The SQL deadline is checked before every prepare and step as well as in the progress
 * handler, so that the run's total time in SQLite is bounded however it is split (many
 * tiny statements never reach the progress handler). */
int yj_sql_enter(yj_run *run) {
    if (!run->tripped && run->sql_used_ms > run->sql_max_ms) yj_limits_trip(run, YJ_TRIP_SQL);
    if (run->tripped) return -1;
    run->sql_step_start = yj_now_ms();
#ifdef CLOCK_MONOTONIC_COARSE
    run->sql_coarse_start = coarse_ms();
#endif
    return 0;
}

int yj_sql_leave(yj_run *run) {
    run->sql_used_ms += yj_now_ms() - run->sql_step_start;
    run->sql_step_start = 0;
    if (!run->tripped && run->sql_used_ms > run->sql_max_ms) yj_limits_trip(run, YJ_TRIP_SQL);
    return run->tripped ? -1 : 0;
}

/* sqlite3_progress_handler callback: non-zero interrupts the statement. */
int yj_sql_progress(void *ud) {
    yj_run *run = ud;
    if (run->tripped) return 1;
    if (run->sql_step_start == 0) return 0;
#ifdef CLOCK_MONOTONIC_COARSE
    /* Each clock is read at most a tick behind the true time, so the coarse elapsed time
     * is within a tick of the precise one: while it leaves more than two ticks of the SQL
     * time, the deadline is not reached. Every 64th call reads the precise clock anyway
     * (a coarse clock that stopped would otherwise hide the deadline). */
    double margin = coarse_margin_ms();
    if (margin > 0 && (++run->sql_progress_calls & 63) != 0 &&
        coarse_ms() - run->sql_coarse_start < run->sql_max_ms - run->sql_used_ms - margin)
        return 0;
#endif
    if (run->sql_used_ms + (yj_now_ms() - run->sql_step_start) <= run->sql_max_ms) return 0;
    yj_limits_trip(run, YJ_TRIP_SQL);
    return 1;
}
