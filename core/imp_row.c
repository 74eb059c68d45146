/* imp_row.c — one record of an imported file to the values of a row: each cell parsed
 * by its column's type (imp_cells.c), references resolved (imp_resolve.c), defaults
 * applied, then the checks between columns (reported after occurred, rectified <= found,
 * the Decree 493 level). Every problem is a row error naming line and column. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "imp_int.h"
#include "imp_sanity.h"

/* The current record's field for dataset column i, or NULL when the file lacks it. */
static char *field(imp_ctx *c, int i) {
    int f = c->col_of[i];
    if (f < 0 || f >= c->nf) return NULL;
    return c->fbuf + c->foff[f];
}

static int fcol(const imp_ctx *c, int i) { return c->col_of[i] >= 0 ? c->col_of[i] + 1 : 0; }

static void set_text(imp_val *v, const char *s) {
    v->type = SQLITE_TEXT;
    v->s = s;
    v->n = (int)strlen(s);
}

static void set_default(imp_val *v, const imp_column *col) {
    if (!col->def || (col->type == IMP_UNITS)) { v->type = SQLITE_NULL; return; }
    switch (col->type) {
    case IMP_INT: case IMP_BOOL: case IMP_YEAR:
        v->type = SQLITE_INTEGER; v->i = atoll(col->def); break;
    case IMP_DEC:
        v->type = SQLITE_FLOAT; v->d = atof(col->def); break;
    default:
        set_text(v, col->def);
    }
}

/* Splits a list cell at 、 ; ； , ， in place; calls fn for each trimmed non-empty item. */
static void split_list(char *s, void (*fn)(imp_ctx *, int, char *, void *), imp_ctx *c,
                       int i, void *arg) {
    static const char *const seps[] = {"、", "；", "，", ";", ",", NULL};
    char *p = s;
    while (p) {
        char *cut = NULL;
        size_t cutlen = 0;
        for (int k = 0; seps[k]; k++) {
            char *q = strstr(p, seps[k]);
            if (q && (!cut || q < cut)) { cut = q; cutlen = strlen(seps[k]); }
        }
        if (cut) *cut = '\0';
        char *item = imp_trim(p);
        if (*item) fn(c, i, item, arg);
        p = cut ? cut + cutlen : NULL;
    }
}

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static void add_unit(imp_ctx *c, int i, char *item, void *arg) {
    (void)arg;
    imp_list *l = &c->lists[i];
    long long id = imp_resolve_unit(c->rs, item, NULL, NULL);
    if (!id) { imp_row_error(c, fcol(c, i), "%s: unknown unit '%s'", c->ds->cols[i].name, item); return; }
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        long long *p = realloc(l->ids, (size_t)cap * sizeof *p);
        if (!p) return;
        l->ids = p;
        l->cap = cap;
    }
    l->ids[l->n++] = id;
}

/* Builds the sorted, unique id list and its text form. */
static void list_finish(imp_list *l, imp_val *v) {
    if (l->n > 1) qsort(l->ids, (size_t)l->n, sizeof *l->ids, cmp_ll);
    int m = 0;
    for (int k = 0; k < l->n; k++)
        if (m == 0 || l->ids[m - 1] != l->ids[k]) l->ids[m++] = l->ids[k];
    l->n = m;
    size_t need = (size_t)m * 21 + 1;
    if (need > l->text_cap) {
        char *p = realloc(l->text, need);
        if (!p) { v->type = SQLITE_NULL; return; }
        l->text = p;
        l->text_cap = need;
    }
    size_t o = 0;
    l->text[0] = '\0';
    for (int k = 0; k < m; k++)
        o += (size_t)snprintf(l->text + o, l->text_cap - o, k ? ",%lld" : "%lld", l->ids[k]);
    if (m == 0) v->type = SQLITE_NULL;
    else { v->type = SQLITE_TEXT; v->s = l->text; v->n = (int)o; }
}

/* Aliases of a unit: the separators become ';', items trimmed. The items are copied
 * left, in place, to the write cursor (never past the item being read). */
typedef struct { char *out; size_t n; } cursor;

static void join_alias(imp_ctx *c, int i, char *item, void *arg) {
    (void)c; (void)i;
    cursor *w = arg;
    size_t len = strlen(item);
    if (w->n) w->out[w->n++] = ';';
    memmove(w->out + w->n, item, len);
    w->n += len;
}

const char *const imp_period_words[][2] = {
    {"annual", "annual"}, {"年度", "annual"}, {"全年", "annual"},
    {"Q1", "Q1"}, {"Q2", "Q2"}, {"Q3", "Q3"}, {"Q4", "Q4"},
    {"一季度", "Q1"}, {"二季度", "Q2"}, {"三季度", "Q3"}, {"四季度", "Q4"},
    {"H1", "H1"}, {"H2", "H2"}, {"上半年", "H1"}, {"下半年", "H2"}, {NULL, NULL}};

static int parse_period(const char *s, imp_val *v) {
    const char *const (*words)[2] = imp_period_words;
    char f[IMP_CELL_MAX];
    if (imp_fold(s, f, sizeof f) < 0) return -1;
    for (size_t k = 0; words[k][0]; k++)
        if (!strcasecmp(f, words[k][0])) { set_text(v, words[k][1]); return 0; }
    int y, m;
    char tail;
    if ((sscanf(f, "%4d-%2d%c", &y, &m, &tail) == 2 || sscanf(f, "%4d/%2d%c", &y, &m, &tail) == 2)
        && imp_ymd_ok(y, m, 1)) {
        snprintf(v->buf, sizeof v->buf, "%04d-%02d", y % 10000, m % 100);
        set_text(v, v->buf);
        return 0;
    }
    return -1;
}

static void convert_cell(imp_ctx *c, int i) {
    const imp_column *col = &c->ds->cols[i];
    imp_val *v = &c->vals[i];
    char *raw = field(c, i);
    const char *why = NULL;
    int fc = fcol(c, i);
    if (col->type == IMP_UNITS) c->lists[i].n = 0;
    if (raw && c->fsize[c->col_of[i]] > IMP_MAX_FIELD) {
        imp_row_error(c, fc, "%s: field is %zu bytes, longer than the %d-byte limit", col->name,
                      c->fsize[c->col_of[i]], IMP_MAX_FIELD);
        v->type = SQLITE_NULL;
        return;
    }
    if (!raw || imp_cell_empty(raw)) {
        if (col->flags & IMP_REQ) imp_row_error(c, fc, "%s: required value is empty", col->name);
        set_default(v, col);
        return;
    }
    char *s = imp_trim(raw);
    switch (col->type) {
    case IMP_TEXT:
        if (col->flags & IMP_WORDS) {
            cursor w = {s, 0};
            split_list(s, join_alias, c, i, &w);
            s[w.n] = '\0';
        }
        set_text(v, s);
        return;
    case IMP_INT: case IMP_YEAR:
        v->type = SQLITE_INTEGER;
        if (imp_parse_int(s, &v->i, &why) < 0) break;
        if (col->type == IMP_YEAR && (v->i < IMP_YEAR_MIN || v->i > IMP_YEAR_MAX)) { why = _("year out of range 1900-2100"); break; }
        if ((col->flags & IMP_NONNEG) && v->i < 0) { why = _("must not be negative"); break; }
        return;
    case IMP_DEC:
        v->type = SQLITE_FLOAT;
        if (imp_parse_decimal(s, &v->d, &why) < 0) break;
        v->d *= c->scale[i];
        if ((col->flags & IMP_NONNEG) && v->d < 0) { why = _("must not be negative"); break; }
        return;
    case IMP_DATE: case IMP_DATETIME: {
        imp_date d;
        if (imp_parse_date(s, col->type == IMP_DATETIME, &d, &why) < 0) break;
        memcpy(v->buf, d.text, sizeof d.text);
        set_text(v, v->buf);
        return;
    }
    case IMP_BOOL:
        v->type = SQLITE_INTEGER;
        { int b; if (imp_parse_bool(s, &b, &why) < 0) break; v->i = b; }
        return;
    case IMP_UNIT: {
        const char *kind;
        v->type = SQLITE_INTEGER;
        v->i = imp_resolve_unit(c->rs, s, &kind, NULL);
        if (!v->i) { why = _("unknown unit"); break; }
        if ((col->flags & IMP_DEPT) && strcmp(kind, "department")) { why = _("not a department"); break; }
        return;
    }
    case IMP_UNITS:
        split_list(s, add_unit, c, i, NULL);
        list_finish(&c->lists[i], v);
        if ((col->flags & IMP_REQ) && c->lists[i].n == 0 && !c->row_errors)
            imp_row_error(c, fc, "%s: required value is empty", col->name);
        return;
    case IMP_SECTOR: {
        const char *code = imp_resolve_sector(c->rs, s);
        if (!code) {
            imp_row_error(c, fc, "%s: unknown sector (got '%s'); valid sectors: %s", col->name, s,
                          imp_sector_list(c->rs));
            v->type = SQLITE_NULL;
            return;
        }
        set_text(v, code);
        return;
    }
    case IMP_ENUM:
        if (imp_enum_code(col, s, v->buf, (int)sizeof v->buf) < 0) { why = _("not one of the accepted values"); break; }
        set_text(v, v->buf);
        return;
    case IMP_PERIOD:
        if (parse_period(s, v) < 0) { why = _("not a period (annual, Q1-Q4, H1, H2 or YYYY-MM)"); break; }
        return;
    }
    imp_row_error(c, fc, "%s: %s (got '%s')", col->name, why, s);
    v->type = SQLITE_NULL;
}

void imp_row_setup(imp_ctx *c) {
    const imp_dataset *ds = c->ds;
    for (int k = 0; k < ds->nchecks && k < IMP_MAX_CHECKS; k++) {
        const imp_check *ck = &ds->checks[k];
        const char *names[5] = {ck->a, ck->b, ck->more[0], ck->more[1], ck->more[2]};
        for (int j = 0; j < 5; j++) c->chk[k][j] = names[j] ? imp_dataset_column(ds, names[j]) : -1;
    }
}

/* The level of Decree 493 from the row's figures: derived into an empty level cell, a
 * given level that differs kept with a warning. */
static void check_level(imp_ctx *c, const int *ix) {
    int lv = ix[0], de = ix[1], mi = ix[2], se = ix[3], lo = ix[4];
    if (c->vals[de].type != SQLITE_INTEGER || c->vals[mi].type != SQLITE_INTEGER ||
        c->vals[se].type != SQLITE_INTEGER || c->vals[lo].type != SQLITE_FLOAT) return;
    const char *derived = imp_accident_level(c->vals[de].i + c->vals[mi].i, c->vals[se].i,
                                             c->vals[lo].d);
    imp_val *l = &c->vals[lv];
    if (l->type != SQLITE_TEXT) {
        if (c->col_of[lv] < 0 || imp_cell_empty(field(c, lv))) set_text(l, derived);
    } else if (strcmp(l->s, derived)) {
        imp_warning(c, c->rec_line, fcol(c, lv),
                    "level: given '%s' but the figures make it '%s' (Decree 493); '%s' kept",
                    l->s, derived, l->s);
    }
}

/* The checks between columns of the dataset (dataset.h), in the registry's order. */
static void cross_checks(imp_ctx *c) {
    char lb[64];    /* the second column's name in the message (imp_column_label) */
    for (int k = 0; k < c->ds->nchecks && k < IMP_MAX_CHECKS; k++) {
        const int *ix = c->chk[k];
        const imp_val *a = &c->vals[ix[0]], *b = &c->vals[ix[1]];
        switch (c->ds->checks[k].kind) {
        case IMP_CHECK_NOT_BEFORE:
            if (a->type == SQLITE_TEXT && b->type == SQLITE_TEXT) {
                int n = a->n < b->n ? a->n : b->n;
                if (memcmp(a->s, b->s, (size_t)n) < 0)
                    imp_row_error(c, fcol(c, ix[0]), "%s: %s is before %s %s", c->ds->cols[ix[0]].name,
                                  a->s, imp_column_label(&c->ds->cols[ix[1]], lb, sizeof lb), b->s);
            }
            break;
        case IMP_CHECK_AT_MOST:
            if (a->type == SQLITE_INTEGER && b->type == SQLITE_INTEGER && a->i > b->i)
                imp_row_error(c, fcol(c, ix[0]), "%s: %lld is more than %s %lld",
                              c->ds->cols[ix[0]].name, a->i, imp_column_label(&c->ds->cols[ix[1]], lb, sizeof lb), b->i);
            break;
        case IMP_CHECK_LEVEL:
            check_level(c, ix);
            break;
        }
    }
}

int imp_row_convert(imp_ctx *c) {
    c->row_errors = 0;
    c->reasons[0] = '\0';
    for (int i = 0; i < c->ds->ncols; i++) convert_cell(c, i);
    cross_checks(c);
    if (c->sanity && !c->row_errors) imp_sanity_row(c, c->sanity);
    return c->row_errors;
}

void imp_lists_free(imp_ctx *c) {
    for (int i = 0; i < IMP_MAX_COLS; i++) {
        free(c->lists[i].ids);
        free(c->lists[i].text);
    }
}
