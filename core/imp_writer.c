/* imp_writer.c — rows from elsewhere than a CSV file stored through the importer's
 * convert and store path (see imp_writer.h). One context does both jobs: no second
 * thread, no messages printed (they go to a sink; the row's errors are its reasons). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "imp_int.h"
#include "imp_writer.h"

struct imp_writer {
    imp_ctx c;
    imp_options opt;
    imp_result res;
    FILE *sink;          /* the messages nobody reads */
    int prepared;        /* the store's statements exist */
};

void imp_writer_free(imp_writer *w) {
    if (!w) return;
    if (w->prepared) imp_store_finalize(&w->c);
    imp_resolver_free(w->c.rs);
    imp_lists_free(&w->c);
    free(w->c.fbuf);
    if (w->sink) fclose(w->sink);
    free(w);
}

imp_writer *imp_writer_new(sqlite3 *db, const imp_dataset *ds, long long batch, char *err,
                           size_t cap) {
    imp_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->sink = fopen("/dev/null", "w"))) {
        snprintf(err, cap, "%s", w ? "cannot open /dev/null" : "out of memory");
        free(w);
        return NULL;
    }
    w->opt.encoding = IMP_ENC_UTF8;
    w->opt.skip = 1;
    w->opt.max_errors = INT_MAX;
    w->opt.out = w->opt.err = w->sink;
    imp_ctx *c = &w->c;
    c->db = db; c->ds = ds; c->opt = &w->opt; c->path = ds->name; c->res = &w->res;
    c->batch = batch; c->vals = c->own_vals;
    c->nfile = ds->ncols;
    if (!(c->rs = imp_resolver_load(db, err, cap))) goto fail;
    imp_row_setup(c);
    if (imp_store_prepare(c) < 0) {
        snprintf(err, cap, "%s", sqlite3_errmsg(db));
        goto fail;
    }
    w->prepared = 1;
    return w;
fail:
    imp_writer_free(w);
    return NULL;
}

int imp_writer_row(imp_writer *w, const char *const *cells, char *err, size_t cap) {
    imp_ctx *c = &w->c;
    const imp_dataset *ds = c->ds;
    size_t need = 0;
    for (int i = 0; i < ds->ncols; i++) need += cells[i] ? strlen(cells[i]) + 1 : 0;
    if (need > c->fcap) {
        char *p = realloc(c->fbuf, need);
        if (!p) { snprintf(err, cap, _("out of memory")); return -1; }
        c->fbuf = p;
        c->fcap = need;
    }
    c->nf = 0;
    c->flen = 0;
    for (int i = 0; i < ds->ncols; i++) {     /* the fields, as the header would map them */
        c->scale[i] = 1.0;
        c->col_of[i] = -1;
        if (!cells[i]) continue;
        size_t len = strlen(cells[i]);
        memcpy(c->fbuf + c->flen, cells[i], len + 1);
        c->col_of[i] = c->nf;
        c->foff[c->nf] = c->flen;
        c->fsize[c->nf] = len;
        c->flen += len + 1;
        c->nf++;
    }
    c->rec_line = ++c->line;
    if (imp_row_convert(c) == 0) imp_store_row(c);
    if (!c->row_errors && sqlite3_get_autocommit(c->db)) {
        snprintf(err, cap, _("no transaction is open: nothing stored"));
        return -1;
    }
    if (!c->row_errors) return 0;
    snprintf(err, cap, "%s", c->reasons);
    return -1;
}
