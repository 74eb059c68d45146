/* imp_hold.h — the messages of an import held back until a verdict (imp_hold.c): while
 * a large .xlsx sheet is read ahead of its merged areas (imp_xlsx.c), nothing the import
 * prints may reach the user before it is known whether the read stands or must be done
 * again with the merged areas known. The verdict comes from any thread; the messages are
 * printed, held and flushed by the thread that reports (imp_report), alone. */
#ifndef YJ_IMP_HOLD_H
#define YJ_IMP_HOLD_H

#include <glib.h>
#include <stdio.h>

enum { IMP_HOLD_PENDING, IMP_HOLD_GO, IMP_HOLD_RESTART };
enum { IMP_HOLD_MAX = 1 << 20 };        /* bytes held before the reporter waits */

typedef struct imp_hold {
    GMutex m;
    GCond cv;
    int state;          /* IMP_HOLD_*, under m */
    int (*need)(void *arg);   /* asked, under m, before a wait: 1 a verdict will come, 0 none
                               * will (then: read again); NULL: one comes anyway */
    void *need_arg;
    char *buf;          /* the reporting thread's alone */
    size_t len, cap;
} imp_hold;

/* Starts holding (the verdict pending); imp_hold_clear frees it. */
void imp_hold_init(imp_hold *h);
void imp_hold_clear(imp_hold *h);
/* The verdict (any thread, once): the read stands (restart 0) or is done again. */
void imp_hold_verdict(void *h, int restart);
/* Prints text to out; while the verdict is pending keeps it (waiting for the verdict
 * when IMP_HOLD_MAX bytes are kept), after a restart verdict drops it. */
void imp_hold_print(imp_hold *h, FILE *out, const char *text);
/* What is kept printed (the verdict taken as "stands" when none will come: the reading
 * is over); 1 when the verdict was restart. */
int imp_hold_flush(imp_hold *h, FILE *out);

#endif
