/* imp_sanity.h — the importer's sanity warnings (imp_sanity.c): dates after the day the
 * file was received, main dates years away from the file's other rows. Warnings only:
 * the rows are still imported. */
#ifndef YJ_IMP_SANITY_H
#define YJ_IMP_SANITY_H

#include "dataset.h"

struct imp_ctx;
typedef struct imp_sanity imp_sanity;

/* The checks of one file of ds received on received ('YYYY-MM-DD'; NULL: today, local
 * date). NULL when out of memory (then the file is imported without them). The caller
 * owns it: imp_sanity_free. */
imp_sanity *imp_sanity_new(const imp_dataset *ds, const char *received);
void imp_sanity_free(imp_sanity *s);

/* The parsing thread, after a row converted without errors (c->vals): warns about its
 * future dates, counts its main date's year. */
void imp_sanity_row(struct imp_ctx *c, imp_sanity *s);

/* Once the whole file was read: warns, through r (the context that reports), about
 * each row whose main date is years away from the file's others. */
void imp_sanity_end(struct imp_ctx *r, const imp_sanity *s);

#endif
