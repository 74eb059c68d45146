/* script_watchdog.c — the wall-clock watchdog of the command line (yingji run, yingji
 * test): stops what neither the count hook nor the SQL time limit can see, C code that
 * never returns (a backtracking string pattern). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "script_watchdog.h"

/* A signal handler has no context but globals: the one message it writes. */
static char watchdog_msg[600];
static size_t watchdog_len;
static int watchdog_status = 4;

static void watchdog_fire(int sig) {
    (void)sig;
    ssize_t w = write(STDERR_FILENO, watchdog_msg, watchdog_len);
    (void)w;
    _exit(watchdog_status);
}

void yj_watchdog_start(const char *what, unsigned seconds) {
    char msg[600];
    snprintf(msg, sizeof msg, _("%s: script exceeded its time limit (%u s); stopped inside a C function "
             "(a string pattern that backtracks?)\n"), what, seconds);
    yj_watchdog_arm(msg, seconds, 4);
}

void yj_watchdog_arm(const char *message, unsigned seconds, int status) {
    if (seconds == 0) return;
    snprintf(watchdog_msg, sizeof watchdog_msg, "%s", message);
    watchdog_len = strlen(watchdog_msg);
    watchdog_status = status;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = watchdog_fire;
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

void yj_watchdog_stop(void) {
    alarm(0);
}
