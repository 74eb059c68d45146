/* script_watchdog.c — the wall-clock watchdog of the command line (yingji run, yingji
 * test): stops what neither the count hook nor the SQL time limit can see, C code that
 * never returns (a backtracking string pattern). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "script_watchdog.h"

/* A signal handler has no context but globals: the one message it writes. */
static char watchdog_msg[600];
static size_t watchdog_len;

static void watchdog_fire(int sig) {
    (void)sig;
    ssize_t w = write(STDERR_FILENO, watchdog_msg, watchdog_len);
    (void)w;
    _exit(4);
}

void yj_watchdog_start(const char *what, unsigned seconds) {
    if (seconds == 0) return;
    int n = snprintf(watchdog_msg, sizeof watchdog_msg,
                     "%s: script exceeded its time limit (%u s); stopped inside a C function "
                     "(a string pattern that backtracks?)\n", what, seconds);
    watchdog_len = n < 0 ? 0 : (size_t)n < sizeof watchdog_msg ? (size_t)n : sizeof watchdog_msg - 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = watchdog_fire;
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

void yj_watchdog_stop(void) {
    alarm(0);
}
