/* imp_rejects.c — the rejects file of --on-error skip, one the office can fix where it
 * works and import again: for a CSV, FILE.rejects.csv in the input's own encoding
 * (GB18030 stays GB18030; UTF-8 starts with a BOM so Excel opens it); for a workbook
 * (.xlsx or .xls), FILE.rejects.xlsx written with libxlsxwriter. Either holds the header
 * as in the input, each rejected record as it appeared, and an error column with its
 * reasons. Written through a temp beside it (util/out_file.h); renamed into place when
 * rows were rejected, else dropped.
 *
 * The header is written by the parsing thread, the rows by the storing thread after it
 * (imp_pipe.c hands the header over first), never both at once. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "i18n.h"
#include "imp_int.h"
#include "out_file.h"
#include "strbuf.h"

/* Excel's longest cell, in characters (a longer one is cut between two characters). */
enum { REJ_MAX_CELL = 32767 };

struct imp_rejects {
    out_file out;          /* the temp beside the rejects file */
    FILE *f;               /* CSV: the temp's stream; NULL for a workbook */
    iconv_t cd;            /* CSV: UTF-8 to GB18030, or (iconv_t)-1 to write UTF-8 as is */
    strbuf line;           /* CSV: the record being written, in UTF-8 */
    strbuf conv;           /* CSV: the record in GB18030 */
    lxw_workbook *wb;      /* a workbook's rejects; NULL for a CSV */
    lxw_worksheet *ws;
    lxw_row_t row;         /* the next row of ws */
    int bad;               /* a write failed */
};

static int is_workbook(const imp_ctx *c) { return c->book || c->xls; }

static void rejects_path(const imp_ctx *c, char *out, size_t cap) {
    const char *path = c->path;
    size_t n = strlen(path);
    if (n > 4 && !strcasecmp(path + n - 4, ".csv")) n -= 4;
    else if (n > 5 && !strcasecmp(path + n - 5, ".xlsx")) n -= 5;
    else if (n > 4 && !strcasecmp(path + n - 4, ".xls")) n -= 4;
    snprintf(out, cap, "%.*s.rejects.%s", (int)n, path, is_workbook(c) ? "xlsx" : "csv");
}

static void rejects_free(imp_rejects *r) {
    if (r->f) fclose(r->f);
    if (r->cd != (iconv_t)-1) iconv_close(r->cd);
    strbuf_free(&r->line);
    strbuf_free(&r->conv);
    if (r->wb) lxw_workbook_free(r->wb);
    out_abort(&r->out);
    free(r);
}

/* Opens the writer on r->out's temp: a workbook, or a stream (in GB18030, or UTF-8
 * after a BOM). 0, or -1 with errno or *what set. */
static int rejects_open(imp_ctx *c, imp_rejects *r, const char **what) {
    if (is_workbook(c)) {
        lxw_workbook_options wo = {LXW_TRUE, NULL, 0};   /* constant memory: rows stream out */
        if (!(r->wb = workbook_new_opt(r->out.tmp, &wo))) { *what = "libxlsxwriter cannot start"; return -1; }
        if (!(r->ws = workbook_add_worksheet(r->wb, NULL))) { *what = "libxlsxwriter cannot add a sheet"; return -1; }
        worksheet_freeze_panes(r->ws, 1, 0);
        return 0;
    }
    int fd = dup(r->out.fd);
    if (fd < 0 || !(r->f = fdopen(fd, "w"))) {
        if (fd >= 0) close(fd);
        return -1;
    }
    if (!strcmp(c->res->encoding, "gb18030")) {
        if ((r->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1) { *what = "iconv cannot write GB18030"; return -1; }
    } else if (fputs("\xEF\xBB\xBF", r->f) == EOF) {
        return -1;
    }
    return 0;
}

int imp_rejects_begin(imp_ctx *c) {
    rejects_path(c, c->res->rejects, sizeof c->res->rejects);
    const char *name = c->res->rejects;
    struct stat st;
    char err[512] = "";
    if (lstat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
        imp_error(c, 0, 0, "%s: %s; refusing to write the rejects file there", name,
                  S_ISLNK(st.st_mode) ? _("is a symbolic link") : _("is not a regular file"));
        return -1;
    }
    if (out_is_db_file(name, sqlite3_db_filename(c->db, "main"))) {
        imp_error(c, 0, 0, "%s: is the database; refusing to write the rejects file there", name);
        return -1;
    }
    imp_rejects *r = calloc(1, sizeof *r);
    if (!r) {
        imp_error(c, 0, 0, "out of memory");
        return -1;
    }
    r->cd = (iconv_t)-1;
    r->out.fd = -1;
    const char *what = NULL;
    errno = 0;
    if (out_open(&r->out, name, err, sizeof err) != 0 || rejects_open(c, r, &what) != 0) {
        if (err[0]) imp_error(c, 0, 0, "cannot write the rejects file %s", err);
        else imp_error(c, 0, 0, "cannot write the rejects file %s: %s", name, what ? what : strerror(errno));
        rejects_free(r);
        return -1;
    }
    c->rej = r;
    return 0;
}

/* Finishes the file: 0, or -1 with the reason in err. */
static int rejects_finish(imp_rejects *r, char *err, size_t cap) {
    if (r->wb) {
        lxw_error e = workbook_close(r->wb);     /* frees the workbook */
        r->wb = NULL;
        if (e != LXW_NO_ERROR || r->bad) {
            snprintf(err, cap, "%s: %s", r->out.path, e != LXW_NO_ERROR ? lxw_strerror(e) : _("a cell was refused"));
            return -1;
        }
    } else {
        int bad = r->bad || fclose(r->f) != 0;
        r->f = NULL;
        if (bad) {
            snprintf(err, cap, "%s: %s", r->out.path, strerror(errno ? errno : EIO));
            return -1;
        }
    }
    return out_commit(&r->out, 0, err, cap);
}

void imp_rejects_end(imp_ctx *c, int keep) {
    imp_rejects *r = c->rej;
    char err[512];
    c->rej = NULL;
    if (keep) {
        int rc = rejects_finish(r, err, sizeof err);
        rejects_free(r);                         /* out_commit released the temp's name */
        if (rc == 0) return;
        fprintf(c->opt->err, _("%s: cannot write the rejects file %s\n"), c->path, err);
    } else {
        rejects_free(r);
        struct stat st;
        if (lstat(c->res->rejects, &st) == 0 && S_ISREG(st.st_mode)) unlink(c->res->rejects);
    }
    c->res->rejects[0] = '\0';
}

void imp_rejects_discard(imp_ctx *c) {
    rejects_free(c->rej);
    c->rej = NULL;
    c->res->rejects[0] = '\0';
}

/* ===== CSV ===== */

/* Appends one CSV field, quoted only when it must be. */
static void put_field(strbuf *b, const char *s) {
    if (!s[strcspn(s, ",\"\r\n")] && *s != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        strbuf_puts(b, s);
        return;
    }
    strbuf_put(b, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        strbuf_put(b, s, (size_t)(q - s) + 1);
        strbuf_put(b, "\"", 1);
    }
    strbuf_puts(b, s);
    strbuf_put(b, "\"", 1);
}

/* The record in r->line to the file, converted to GB18030 when the input was. */
static void emit(imp_rejects *r) {
    strbuf *b = &r->line;
    if (b->err) { r->bad = 1; errno = ENOMEM; return; }
    if (r->cd == (iconv_t)-1) {
        if (fwrite(b->p, 1, b->len, r->f) != b->len) r->bad = 1;
        return;
    }
    strbuf *o = &r->conv;
    o->len = 0;
    char *in = b->p;
    size_t il = b->len;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    while (il > 0) {
        if (strbuf_reserve(o, il * 2 + 16) != 0) { r->bad = 1; errno = ENOMEM; return; }
        char *out = o->p + o->len;
        size_t ol = o->cap - o->len - 1;
        size_t rc = iconv(r->cd, &in, &il, &out, &ol);
        o->len = (size_t)(out - o->p);
        if (rc == (size_t)-1 && errno != E2BIG) {    /* not UTF-8 (cannot happen: decoded): kept */
            o->p[o->len++] = *in++;
            il--;
        }
    }
    if (o->len && fwrite(o->p, 1, o->len, r->f) != o->len) r->bad = 1;
}

/* ===== workbook ===== */

/* A cell that reads as a plain number ("-1", "2.5"; not "007", "1e5", "+3") is written
 * as one, as it was in the input; anything else as text. */
static int plain_number(const char *s, double *out) {
    const char *p = s + (*s == '-');
    size_t digits = strspn(p, "0123456789");
    if (!digits || digits > 15 || (p[0] == '0' && digits > 1)) return 0;
    p += digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        if (!frac || digits + frac > 15 || p[frac] == '0') return 0;
        p += 1 + frac;
    }
    if (*p) return 0;
    *out = strtod(s, NULL);
    return 1;
}

/* The bytes of s's first REJ_MAX_CELL characters (a cut between two characters), or 0
 * when s has no more characters than that. */
static size_t cell_cut(const char *s) {
    size_t chars = 0;
    for (size_t k = 0; s[k]; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80 && ++chars > REJ_MAX_CELL) return k;
    return 0;
}

static void put_cell(imp_rejects *r, lxw_col_t col, const char *s) {
    double d;
    size_t len;
    lxw_error e;
    if (!*s) return;
    if (plain_number(s, &d)) {
        e = worksheet_write_number(r->ws, r->row, col, d, NULL);
    } else if (strlen(s) > REJ_MAX_CELL && (len = cell_cut(s)) != 0) {
        char *cut = strndup(s, len);
        if (!cut) { r->bad = 1; return; }
        e = worksheet_write_string(r->ws, r->row, col, cut, NULL);
        free(cut);
    } else {
        e = worksheet_write_string(r->ws, r->row, col, s, NULL);
    }
    if (e != LXW_NO_ERROR) r->bad = 1;
}

void imp_reject_write(imp_ctx *c, imp_rejects *r, const char *last) {
    if (r->wb) {
        if (r->row >= 1048575) { r->bad = 1; return; }   /* Excel's last row */
        for (int k = 0; k < c->nf; k++) put_cell(r, (lxw_col_t)k, c->fbuf + c->foff[k]);
        lxw_error e = worksheet_write_string(r->ws, r->row, (lxw_col_t)c->nf, last, NULL);
        if (e != LXW_NO_ERROR) r->bad = 1;
        r->row++;
        return;
    }
    r->line.len = 0;
    for (int k = 0; k < c->nf; k++) {
        put_field(&r->line, c->fbuf + c->foff[k]);
        strbuf_put(&r->line, ",", 1);
    }
    put_field(&r->line, last);
    strbuf_put(&r->line, "\r\n", 2);
    emit(r);
}
