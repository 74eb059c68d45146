/* script_watchdog.h — the command line's backstop for a script run (public: cmd_run.c,
 * cmd_test.c). Process-wide: it uses SIGALRM and alarm(), one watchdog at a time. */
#ifndef YJ_SCRIPT_WATCHDOG_H
#define YJ_SCRIPT_WATCHDOG_H

/* After seconds of wall-clock time, print "WHAT: script exceeded its time limit (N s)..."
 * to stderr and _exit(4), even from inside C code the count hook cannot interrupt (stdout
 * is not flushed: flush it first). 0 seconds: no watchdog. what is copied. */
void yj_watchdog_start(const char *what, unsigned seconds);
/* The same with the whole message (a line, copied) and the exit status given: `yingji
 * verify` exits 5 naming the limit. */
void yj_watchdog_arm(const char *message, unsigned seconds, int status);
/* Cancels the watchdog. */
void yj_watchdog_stop(void);

#endif
