/* imp_pipe.c — the two threads of an import (imp_pipe_run) and the rows and messages
 * handed from the parsing thread to the storing thread
 * through an imp_ring, so that parsing and validating one part of a file overlaps
 * with SQLite storing the part before.
 *
 * An entry is: a header; the messages reported while the entry was made (in order:
 * the storing thread reports them, so the output reads as if one thread did it all);
 * for a row, its values (when the parsing thread found no error), the field offsets,
 * the unit lists of list columns and the field bytes. Text values that pointed into the
 * parsing thread's buffers point into the entry instead. */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imp_int.h"

enum { ENT_MSGS, ENT_HEADER, ENT_ROW };

typedef struct {
    size_t size;        /* the whole entry, bytes (a multiple of 8) */
    size_t msgs;        /* bytes of messages after this header (a multiple of 8) */
    size_t flen;        /* ROW: bytes of the fields */
    long line;          /* ROW: the line the record starts on */
    int kind;
    int nf;             /* ROW: fields */
    int errors;         /* ROW: row errors the parsing thread found (values omitted) */
    int nvals;          /* ROW: values included (0 or the dataset's columns) */
} entry;

typedef struct {
    size_t len;         /* text bytes, without the NUL */
    long line;
    int col, kind;
} msg;

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

void imp_pipe_defer(imp_ctx *c, int kind, long line, int col, const char *text) {
    imp_msgs *m = &c->msgs;
    size_t len = strlen(text), need = sizeof(msg) + align8(len + 1);
    if (m->len + need > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + need) cap *= 2;
        char *p = realloc(m->buf, cap);
        if (!p) { m->lost = 1; c->fatal = 1; return; }
        m->buf = p;
        m->cap = cap;
    }
    msg *h = (msg *)(void *)(m->buf + m->len);
    h->len = len;
    h->line = line;
    h->col = col;
    h->kind = kind;
    memcpy(h + 1, text, len + 1);
    m->len += need;
}

/* Reserves an entry of size bytes with the kept messages copied in; NULL (and the
 * file stopped) when memory runs out. */
static entry *start(imp_ctx *c, int kind, size_t size) {
    entry *e = imp_ring_reserve(c->ring, size);
    if (!e) { c->msgs.lost = 1; c->fatal = 1; return NULL; }
    memset(e, 0, sizeof *e);
    e->size = size;
    e->kind = kind;
    e->msgs = c->msgs.len;
    if (c->msgs.len) memcpy(e + 1, c->msgs.buf, c->msgs.len);
    c->msgs.len = 0;
    return e;
}

void imp_pipe_flush(imp_ctx *c, int header) {
    if (!header && !c->msgs.len) return;
    size_t size = sizeof(entry) + c->msgs.len;
    if (start(c, header ? ENT_HEADER : ENT_MSGS, size)) imp_ring_commit(c->ring, size);
}

/* Bytes a list column takes in an entry: count, ids, text and its NUL. */
static size_t list_size(const imp_ctx *c, int i) {
    const imp_val *v = &c->vals[i];
    return sizeof(size_t) + (size_t)c->lists[i].n * sizeof(long long) +
           align8((v->type == SQLITE_TEXT ? (size_t)v->n : 0) + 1);
}

static int within(const char *p, const char *base, size_t n) {
    return (uintptr_t)p >= (uintptr_t)base && (uintptr_t)p < (uintptr_t)base + n;
}

/* Every this many rows handed over, the parsing thread asks the kernel to start writing
 * what the storing thread wrote to the WAL so far (imp_flush.c). */
enum { WRITEBACK_ROWS = 32768 };

void imp_pipe_row(imp_ctx *c) {
    const imp_dataset *ds = c->ds;
    if (++c->handed % WRITEBACK_ROWS == 0) imp_flush_start(c->wal_fd);
    int nvals = c->row_errors ? 0 : ds->ncols;
    size_t size = sizeof(entry) + c->msgs.len + (size_t)nvals * sizeof(imp_val) +
                  (size_t)c->nf * sizeof(size_t) + align8(c->flen);
    for (int i = 0; i < nvals; i++)
        if (ds->cols[i].type == IMP_UNITS) size += list_size(c, i);
    entry *e = start(c, ENT_ROW, size);
    if (!e) return;
    e->line = c->rec_line;
    e->nf = c->nf;
    e->errors = c->row_errors;
    e->nvals = nvals;
    e->flen = c->flen;
    char *q = (char *)(e + 1) + e->msgs;
    imp_val *vals = (imp_val *)(void *)q;
    q += (size_t)nvals * sizeof(imp_val);
    memcpy(q, c->foff, (size_t)c->nf * sizeof(size_t));
    q += (size_t)c->nf * sizeof(size_t);
    char *fields = (char *)e + size - align8(c->flen);
    memcpy(fields, c->fbuf, c->flen);
    for (int i = 0; i < nvals; i++) {
        const imp_val *v = &c->vals[i];
        imp_val *w = &vals[i];
        *w = *v;
        if (ds->cols[i].type == IMP_UNITS) {
            size_t n = (size_t)c->lists[i].n;
            memcpy(q, &n, sizeof n);
            q += sizeof n;
            if (n) memcpy(q, c->lists[i].ids, n * sizeof(long long));
            q += n * sizeof(long long);
            size_t tlen = v->type == SQLITE_TEXT ? (size_t)v->n : 0;
            if (tlen) memcpy(q, v->s, tlen);
            q[tlen] = '\0';
            if (v->type == SQLITE_TEXT) w->s = q;
            q += align8(tlen + 1);
        } else if (v->type == SQLITE_TEXT) {
            if (within(v->s, c->fbuf, c->flen)) w->s = fields + (v->s - c->fbuf);
            else if (within(v->s, v->buf, sizeof v->buf)) w->s = w->buf + (v->s - v->buf);
            /* else a static string or the resolver's, which outlive the import */
        }
    }
    imp_ring_commit(c->ring, size);
}

/* ===== the storing thread ===== */

static void replay(imp_ctx *s, const entry *e) {
    const char *p = (const char *)(e + 1), *end = p + e->msgs;
    while (p < end) {
        const msg *m = (const msg *)(const void *)p;
        imp_report(s, m->kind, m->line, m->col, (const char *)(m + 1));
        p += sizeof(msg) + align8(m->len + 1);
    }
}

static void take_header(imp_ctx *s) {
    const imp_ctx *p = s->parser;
    memcpy(s->col_of, p->col_of, sizeof s->col_of);
    memcpy(s->scale, p->scale, sizeof s->scale);
    s->nfile = p->nfile;
    s->rej = p->rej;
    s->sheet = p->sheet;
}

/* Points s at the row of e (its fields, and its values when it has them). */
static void setup(imp_ctx *s, entry *e) {
    const imp_dataset *ds = s->ds;
    char *q = (char *)(e + 1) + e->msgs;
    imp_val *vals = (imp_val *)(void *)q;
    q += (size_t)e->nvals * sizeof(imp_val);
    s->rec_line = e->line;
    s->nf = e->nf;
    memcpy(s->foff, q, (size_t)e->nf * sizeof(size_t));
    q += (size_t)e->nf * sizeof(size_t);
    s->fbuf = (char *)e + e->size - align8(e->flen);
    s->flen = e->flen;
    if (e->nvals != ds->ncols) return;
    for (int i = 0; i < ds->ncols; i++) {
        if (ds->cols[i].type != IMP_UNITS) continue;
        size_t n;
        memcpy(&n, q, sizeof n);
        q += sizeof n;
        s->lists[i].ids = (long long *)(void *)q;
        s->lists[i].n = (int)n;
        q += n * sizeof(long long);
        q += align8((vals[i].type == SQLITE_TEXT ? (size_t)vals[i].n : 0) + 1);
    }
    s->vals = vals;
}

static int clean(const imp_ctx *s, const entry *e) {
    return !e->errors && e->nvals == s->ds->ncols;
}

/* A failed statement may have rolled the whole transaction back (a full disk): then
 * nothing more may be stored, since each statement would commit on its own. */
static void lost_transaction(imp_ctx *s) {
    if (s->fatal || !sqlite3_get_autocommit(s->db)) return;
    imp_error(s, 0, 0, "database: the transaction was rolled back (%s)", sqlite3_errmsg(s->db));
    s->fatal = 1;
}

/* One row, alone: stored when the parsing thread found it clean; counted rejected
 * (and written to the rejects file) when anything is wrong with it. */
static void row(imp_ctx *s, entry *e) {
    setup(s, e);
    if (clean(s, e)) imp_store_row(s);
    lost_transaction(s);
    if (s->row_errors || e->errors) {
        s->res->rejected++;
        if (s->rej) imp_reject_write(s, s->rej, s->reasons);
    }
}

/* Stores the rows waiting for a multi-row INSERT: all at once when there are enough
 * and all are new; otherwise one by one (in file order, reporting as they go). */
static void flush(imp_ctx *s) {
    if (!s->npend) return;
    int done = 0;
    if (s->npend == IMP_STORE_ROWS) {
        imp_val *rows[IMP_STORE_ROWS];
        for (int k = 0; k < IMP_STORE_ROWS; k++) {      /* clean rows: values first */
            entry *e = s->pend[k];
            rows[k] = (imp_val *)(void *)((char *)(e + 1) + e->msgs);
        }
        done = imp_store_rows(s, rows) == 0;
        if (!done) s->single = IMP_SINGLE_AFTER_CONFLICT;
        lost_transaction(s);
    }
    for (int k = 0; !done && !s->fatal && k < s->npend; k++) {
        s->row_errors = 0;
        s->reasons[0] = '\0';
        row(s, s->pend[k]);
    }
    s->npend = 0;
}

void imp_pipe_store(imp_ctx *s, imp_ring *ring) {
    char *b;
    size_t len;
    while ((b = imp_ring_take(ring, &len))) {
        for (size_t off = 0; off < len;) {
            entry *e = (entry *)(void *)(b + off);
            off += e->size;
            if (s->fatal) continue;        /* drained, not stored */
            if (e->kind == ENT_ROW) {
                s->res->rows++;
                if (s->ins_rows && !s->single && !e->msgs && clean(s, e)) {
                    s->pend[s->npend++] = e;
                    if (s->npend == IMP_STORE_ROWS) flush(s);
                    continue;
                }
                if (s->single) s->single--;
            }
            flush(s);
            s->row_errors = 0;
            s->reasons[0] = '\0';
            replay(s, e);
            if (e->kind == ENT_HEADER) take_header(s);
            else if (e->kind == ENT_ROW) row(s, e);
        }
        flush(s);              /* the rows point into the batch */
        imp_ring_release(ring);
    }
}

/* ===== the two threads ===== */

typedef struct {
    imp_ctx *c;
    FILE *f;
    int encoding;
    long long size;
    int rc;
} parse_job;

static gpointer parse_main(gpointer data) {
    parse_job *j = data;
    j->rc = j->c->book || j->c->xls ? imp_book_parse(j->c) : imp_parse_file(j->c, j->f, j->encoding, j->size);
    if (!j->c->fatal) imp_parse_skipped_warning(j->c);
    imp_pipe_flush(j->c, 0);
    imp_ring_close(j->c->ring);
    return NULL;
}

/* Parses on a new thread while this one stores (s: the storing context). Returns 0, or
 * -1 when the threads cannot start or the file cannot be read (reported). */
int imp_pipe_run(imp_ctx *c, imp_ctx *s, FILE *f, int encoding, long long size) {
    parse_job job = {c, f, encoding, size, 0};
    if (!(c->ring = imp_ring_new())) { imp_error(c, 0, 0, "out of memory"); return -1; }
    c->wal_fd = imp_flush_wal_open(s->db);      /* the parsing thread's (imp_flush.c) */
    GThread *t = g_thread_try_new("yingji-parse", parse_main, &job, NULL);
    if (!t) {
        if (c->wal_fd >= 0) close(c->wal_fd);
        c->wal_fd = -1;
        imp_ring_free(c->ring);
        c->ring = NULL;
        imp_error(c, 0, 0, "cannot start the parsing thread");
        return -1;
    }
    imp_pipe_store(s, c->ring);
    g_thread_join(t);
    if (c->wal_fd >= 0) close(c->wal_fd);
    c->wal_fd = -1;
    imp_ring_free(c->ring);
    c->ring = NULL;
    if (c->msgs.lost) imp_error(c, 0, 0, "out of memory");
    return job.rc;
}
