/* table_diff.c — the keyed cell-by-cell diff of two versions of a published table,
 * shared by `yingji compare` and `yingji verify` (table_diff.h says what is compared
 * and how). Keys are hashed (util/strmap) so a diff is linear in the rows: 3,000 units
 * with 20 items each are 60,000 lookups. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strmap.h"
#include "table_diff.h"

void tdiff_value_text(strbuf *b, yj_value v) {
    char buf[32];
    switch (v.type) {
    case YJ_VAL_NULL: strbuf_puts(b, "null"); break;
    case YJ_VAL_BOOL: strbuf_puts(b, v.u.b ? "true" : "false"); break;
    case YJ_VAL_INT: strbuf_printf(b, "%lld", v.u.i); break;
    case YJ_VAL_REAL: strbuf_puts(b, yj_format_number(v.u.r, buf)); break;
    case YJ_VAL_TEXT: strbuf_put(b, v.u.t.s, v.u.t.len); break;
    }
}

static int number(yj_value v, double *out) {
    if (v.type == YJ_VAL_INT) { *out = (double)v.u.i; return 1; }
    if (v.type == YJ_VAL_REAL) { *out = v.u.r; return 1; }
    return 0;
}

/* The difference y − x rounded to decimals (< 0: as is); never -0. */
static double delta(double x, double y, int decimals) {
    double d = y - x;
    if (decimals >= 0) {
        double k = pow(10, decimals);
        d = round(d * k) / k;
    }
    return d == 0 ? 0 : d;
}

/* Whether a and b are the same cell; *has and *dl get the delta when both are numbers. */
static int same_cell(yj_value a, yj_value b, int decimals, int *has, double *dl) {
    double x, y;
    *has = 0;
    if (number(a, &x) && number(b, &y)) {
        *has = 1;
        if (a.type == YJ_VAL_INT && b.type == YJ_VAL_INT) {
            if (a.u.i == b.u.i) return 1;
            long long di;          /* exact, unless it overflows (then as doubles) */
            *dl = decimals >= 0 ? delta(x, y, decimals)
                : __builtin_sub_overflow(b.u.i, a.u.i, &di) ? (double)b.u.i - (double)a.u.i : (double)di;
            return 0;
        }
        if (isnan(x) || isnan(y)) { *dl = NAN; return isnan(x) && isnan(y); }
        if (x == y) return 1;
        *dl = delta(x, y, decimals);
        return decimals >= 0 && *dl == 0;
    }
    if (a.type != b.type) return 0;
    switch (a.type) {
    case YJ_VAL_NULL: return 1;
    case YJ_VAL_BOOL: return !a.u.b == !b.u.b;
    case YJ_VAL_TEXT: return a.u.t.len == b.u.t.len && !memcmp(a.u.t.s, b.u.t.s, a.u.t.len);
    default: return 0;
    }
}

static long col_index(const yj_results *r, size_t t, const char *name) {
    for (size_t c = 0; c < yj_results_ncols(r, t); c++)
        if (!strcmp(yj_results_column(r, t, c), name)) return (long)c;
    return -1;
}

/* The key text of row of table t (cells of key[0..n-1] joined by \x1f) into b. */
static void row_key(strbuf *b, const yj_results *r, size_t t, size_t row, const size_t *key,
                    size_t n) {
    strbuf cell = STRBUF_INIT;              /* one cell's text; freed below */
    b->len = 0;
    if (b->p) b->p[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        if (k) strbuf_puts(b, "\x1f");
        cell.len = 0;
        tdiff_value_text(&cell, yj_results_cell(r, t, row, key[k]));
        if (cell.err) b->err = 1;
        /* 0x1e escapes itself, the separator and NUL: distinct cell lists give distinct
         * keys, and the key stays one C string (the maps below take C strings) */
        for (size_t i = 0, from = 0; i <= cell.len; i++) {
            unsigned char ch = i < cell.len ? (unsigned char)cell.p[i] : 0;
            if (i < cell.len && ch != 0x1e && ch != 0x1f && ch != 0) continue;
            if (i > from) strbuf_put(b, cell.p + from, i - from);
            if (i < cell.len) strbuf_put(b, ch == 0x1e ? "\x1e\x1e" : ch == 0x1f ? "\x1e\x1f" : "\x1e" "0", 2);
            from = i + 1;
        }
    }
    strbuf_free(&cell);
    if (!b->p) strbuf_puts(b, "");
}

size_t tdiff_guess_key(const yj_results *r, size_t t, size_t max) {
    size_t nc = yj_results_ncols(r, t), nr = yj_results_nrows(r, t);
    if (max > nc) max = nc;
    if (max == 0) return 0;
    size_t *key = malloc(max * sizeof *key);
    if (!key) return max;
    for (size_t k = 0; k < max; k++) key[k] = k;
    size_t k = 1;
    strbuf b = STRBUF_INIT;
    for (; k < max; k++) {
        yj_strmap m = {0};
        int dup = 0;
        for (size_t row = 0; row < nr && !dup; row++) {
            row_key(&b, r, t, row, key, k);
            if (b.err) { dup = 1; break; }
            if (yj_strmap_get(&m, b.p)) dup = 1;
            else if (yj_strmap_put(&m, b.p, (void *)1) != 0) dup = 1;
        }
        yj_strmap_free(&m);
        if (!dup) break;
    }
    strbuf_free(&b);
    free(key);
    return k;
}

void tdiff_free(tdiff *d) {
    if (!d) return;
    for (size_t i = 0; i < d->nrows; i++) free(d->rows[i].cells);
    free(d->rows);
    for (size_t i = 0; i < d->ncols; i++) free(d->cols[i]);
    free(d->cols);
    free(d->col_old);
    free(d->col_new);
    for (size_t i = 0; i < d->nonly_old_cols; i++) free(d->only_old_cols[i]);
    for (size_t i = 0; i < d->nonly_new_cols; i++) free(d->only_new_cols[i]);
    free(d->only_old_cols);
    free(d->only_new_cols);
    memset(d, 0, sizeof *d);
}

/* Adds column name with its index on each side. 0 or -1. */
static int add_col(tdiff *d, const char *name, size_t co, size_t cn) {
    char *s = strdup(name);
    if (!s) return -1;
    d->cols[d->ncols] = s;
    d->col_old[d->ncols] = co;
    d->col_new[d->ncols++] = cn;
    return 0;
}

/* The columns of one table the other lacks, into *out. 0 or -1. */
static int lone_cols(const yj_results *r, size_t t, const yj_results *other, size_t to,
                     char ***out, size_t *n) {
    size_t nc = yj_results_ncols(r, t);
    *out = calloc(nc + 1, sizeof **out);
    if (!*out) return -1;
    for (size_t c = 0; c < nc; c++) {
        const char *name = yj_results_column(r, t, c);
        if (col_index(other, to, name) >= 0) continue;
        if (!((*out)[(*n)++] = strdup(name))) return -1;
    }
    return 0;
}

static int columns(const yj_results *a, size_t ta, const yj_results *b, size_t tb,
                   const tdiff_opts *o, tdiff *d, char *err, size_t errlen) {
    size_t na = yj_results_ncols(a, ta), nb = yj_results_ncols(b, tb);
    size_t cap = o->nkey + (o->cols ? o->ncols : na) + 1;
    d->cols = calloc(cap, sizeof *d->cols);
    d->col_old = calloc(cap, sizeof *d->col_old);
    d->col_new = calloc(cap, sizeof *d->col_new);
    if (!d->cols || !d->col_old || !d->col_new) goto oom;
    for (size_t k = 0; k < o->nkey; k++) {
        long co = col_index(a, ta, o->key[k]), cn = col_index(b, tb, o->key[k]);
        if (co < 0 || cn < 0) {
            snprintf(err, errlen, co < 0 ? _("table '%s': no key column '%s' in the old table")
                                         : _("table '%s': no key column '%s' in the new table"),
                     yj_results_name(co < 0 ? a : b, co < 0 ? ta : tb), o->key[k]);
            return -1;
        }
        if (add_col(d, o->key[k], (size_t)co, (size_t)cn) != 0) goto oom;
    }
    d->nkey = o->nkey;
    size_t n = o->cols ? o->ncols : na;
    for (size_t i = 0; i < n; i++) {
        const char *name = o->cols ? o->cols[i] : yj_results_column(a, ta, i);
        long co = col_index(a, ta, name), cn = col_index(b, tb, name);
        int is_key = 0;
        for (size_t k = 0; k < o->nkey; k++) is_key |= !strcmp(o->key[k], name);
        if (co < 0 || cn < 0 || is_key) continue;
        if (add_col(d, name, (size_t)co, (size_t)cn) != 0) goto oom;
    }
    (void)nb;
    if (lone_cols(a, ta, b, tb, &d->only_old_cols, &d->nonly_old_cols) != 0 ||
        lone_cols(b, tb, a, ta, &d->only_new_cols, &d->nonly_new_cols) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "%s", _("out of memory"));
    return -1;
}

/* Compares the paired rows ro/rn over the compared columns into row. 0 or -1. */
static int compare_row(const yj_results *a, size_t ta, const yj_results *b, size_t tb,
                       const tdiff_opts *o, tdiff *d, tdiff_row *row) {
    for (size_t c = d->nkey; c < d->ncols; c++) {
        int has = 0;
        double dl = 0;
        if (same_cell(yj_results_cell(a, ta, (size_t)row->old_row, d->col_old[c]),
                      yj_results_cell(b, tb, (size_t)row->new_row, d->col_new[c]), o->decimals,
                      &has, &dl))
            continue;
        if (!row->cells && !(row->cells = malloc((d->ncols - d->nkey) * sizeof *row->cells)))
            return -1;
        row->cells[row->ncells++] = (tdiff_cell){c, has, has ? dl : 0};
    }
    row->kind = row->ncells ? TDIFF_CHANGED : TDIFF_SAME;
    return 0;
}

/* The id of row's key (its text into k): the map ids holds id + 1; a key seen for the
 * first time gets the next id, its chain (head, tail) empty. The id, or -1 when out of
 * memory. */
static long key_id(yj_strmap *ids, size_t *nids, strbuf *k, const yj_results *r, size_t t,
                   size_t row, const size_t *key, size_t nkey, long *head, long *tail) {
    row_key(k, r, t, row, key, nkey);
    if (k->err) return -1;
    size_t id = (size_t)(uintptr_t)yj_strmap_get(ids, k->p);
    if (!id) {
        if (yj_strmap_put(ids, k->p, (void *)(uintptr_t)(*nids + 1)) != 0) return -1;
        id = ++*nids;
        head[id - 1] = tail[id - 1] = -1;
    }
    return (long)id - 1;
}

int tdiff_tables(const yj_results *a, size_t ta, const yj_results *b, size_t tb,
                 const tdiff_opts *o, tdiff *d, char *err, size_t errlen) {
    memset(d, 0, sizeof *d);
    if (!o || o->nkey == 0) {
        snprintf(err, errlen, "%s", _("no key column"));
        return -1;
    }
    if (columns(a, ta, b, tb, o, d, err, errlen) != 0) { tdiff_free(d); return -1; }
    size_t na = yj_results_nrows(a, ta), nb = yj_results_nrows(b, tb);
    /* Every key gets an id (the map holds id + 1); the new table's rows of each key are
     * chained in order (head[id] → next[row]) and popped by the old rows in order. */
    yj_strmap ids = {0};
    size_t nids = 0;
    long *head = malloc((na + nb + 1) * sizeof *head), *tail = malloc((na + nb + 1) * sizeof *tail);
    long *next = malloc((nb + 1) * sizeof *next);
    size_t *occ_old = calloc(na + nb + 1, sizeof *occ_old), *occ_new = calloc(na + nb + 1, sizeof *occ_new);
    size_t *new_occ = malloc((nb + 1) * sizeof *new_occ);
    char *paired = calloc(nb + 1, 1);
    d->rows = calloc(na + nb + 1, sizeof *d->rows);
    strbuf k = STRBUF_INIT;
    size_t *key_old = d->col_old, *key_new = d->col_new;
    long last_new = -1;
    int rc = -1;
    if (!head || !tail || !next || !occ_old || !occ_new || !new_occ || !paired || !d->rows) goto done;
    for (size_t j = 0; j < nb; j++) {
        long idl = key_id(&ids, &nids, &k, b, tb, j, key_new, d->nkey, head, tail);
        if (idl < 0) goto done;
        size_t id = (size_t)idl;
        next[j] = -1;
        new_occ[j] = occ_new[id]++;
        if (tail[id] < 0) head[id] = (long)j; else next[tail[id]] = (long)j;
        tail[id] = (long)j;
    }
    for (size_t i = 0; i < na; i++) {
        long idl = key_id(&ids, &nids, &k, a, ta, i, key_old, d->nkey, head, tail);
        if (idl < 0) goto done;
        size_t id = (size_t)idl;
        tdiff_row *row = &d->rows[d->nrows++];
        row->old_row = (long)i;
        row->occurrence = occ_old[id]++;
        row->new_row = head[id];
        if (row->new_row < 0) {
            row->kind = TDIFF_ONLY_OLD;
            d->only_old++;
            continue;
        }
        head[id] = next[row->new_row];
        paired[row->new_row] = 1;
        if (row->new_row < last_new) d->reordered = 1;
        last_new = row->new_row;
        if (compare_row(a, ta, b, tb, o, d, row) != 0) goto done;
        if (row->kind == TDIFF_SAME) d->same++; else d->changed++;
    }
    for (size_t j = 0; j < nb; j++) {
        if (paired[j]) continue;
        tdiff_row *row = &d->rows[d->nrows++];
        *row = (tdiff_row){TDIFF_ONLY_NEW, -1, (long)j, new_occ[j], NULL, 0};
        d->only_new++;
    }
    rc = 0;
done:
    if (rc != 0) {
        snprintf(err, errlen, "%s", _("out of memory"));
        tdiff_free(d);
    }
    yj_strmap_free(&ids);
    strbuf_free(&k);
    free(head); free(tail); free(next); free(occ_old); free(occ_new); free(new_occ); free(paired);
    return rc;
}

const tdiff_cell *tdiff_change(const tdiff *d, const tdiff_row *row, const char *col) {
    for (size_t i = 0; i < row->ncells; i++)
        if (!strcmp(d->cols[row->cells[i].col], col)) return &row->cells[i];
    return NULL;
}

void tdiff_key_text(strbuf *b, const tdiff *d, const tdiff_row *row, const yj_results *a,
                    size_t ta, const yj_results *bb, size_t tb) {
    int old = row->old_row >= 0;
    for (size_t k = 0; k < d->nkey; k++) {
        if (k) strbuf_puts(b, " ");
        tdiff_value_text(b, old ? yj_results_cell(a, ta, (size_t)row->old_row, d->col_old[k])
                                : yj_results_cell(bb, tb, (size_t)row->new_row, d->col_new[k]));
    }
}

void tdiff_cell_text(strbuf *b, const tdiff *d, const tdiff_row *row, const tdiff_cell *c,
                     const yj_results *a, size_t ta, const yj_results *bb, size_t tb) {
    strbuf_puts(b, d->cols[c->col]);
    strbuf_puts(b, " ");
    tdiff_value_text(b, yj_results_cell(a, ta, (size_t)row->old_row, d->col_old[c->col]));
    strbuf_puts(b, " \xE2\x86\x92 ");
    tdiff_value_text(b, yj_results_cell(bb, tb, (size_t)row->new_row, d->col_new[c->col]));
}

void tdiff_changes_text(strbuf *b, const tdiff *d, const tdiff_row *row, const yj_results *a,
                        size_t ta, const yj_results *bb, size_t tb) {
    for (size_t i = 0; i < row->ncells; i++) {
        if (i) strbuf_puts(b, "; ");
        tdiff_cell_text(b, d, row, &row->cells[i], a, ta, bb, tb);
    }
}

void tdiff_row_text(strbuf *b, const char *name, const tdiff *d, const tdiff_row *row,
                    const yj_results *a, size_t ta, const yj_results *bb, size_t tb,
                    const char *old_side, const char *new_side) {
    strbuf_puts(b, name);
    strbuf_puts(b, " ");
    tdiff_key_text(b, d, row, a, ta, bb, tb);
    if (row->occurrence) strbuf_printf(b, " (#%zu)", row->occurrence + 1);
    strbuf_puts(b, ":");
    switch (row->kind) {
    case TDIFF_SAME: strbuf_printf(b, " %s", _("the same")); break;
    case TDIFF_CHANGED: strbuf_puts(b, " "); tdiff_changes_text(b, d, row, a, ta, bb, tb); break;
    /* TRANSLATORS: %s is the side, "the archive" or "the re-run" */
    case TDIFF_ONLY_OLD: strbuf_puts(b, " "); strbuf_printf(b, _("only in %s"), old_side); break;
    case TDIFF_ONLY_NEW: strbuf_puts(b, " "); strbuf_printf(b, _("only in %s"), new_side); break;
    }
}
