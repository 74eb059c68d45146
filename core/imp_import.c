/* imp_import.c — the import of one file: scan (encoding, NUL), then a parsing thread
 * hashes (SHA-256), decodes, parses with libcsv line by line (so that each record
 * knows the physical line it starts on), matches the header and converts each row,
 * handing rows over (imp_pipe.c) to this thread, which stores them inside one
 * transaction; errors listed as FILE:LINE:COLUMN: reason up to a cap and in file
 * order; a rejects file in skip mode; the import log. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imp_encoding.h"
#include "db.h"
#include "imp_int.h"
#include "out_file.h"
#include "utf8.h"

/* ===== messages ===== */

/* The kind of a message: its text with each quoted value replaced by '...'. */
static void message_kind(const char *msg, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = msg; *p && n + 6 < cap; p++) {
        const char *close = *p == '\'' ? strchr(p + 1, '\'') : NULL;
        if (close) {
            memcpy(out + n, "'...'", 5);
            n += 5;
            p = close;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* 1 when a message of this kind is over the cap (then counted, not listed). */
static int over_cap(imp_ctx *c, int kind, const char *msg) {
    imp_caps *k = c->caps;
    long max = c->opt->max_errors;
    if (!k) return kind != IMP_MSG_WARNING && c->res->errors > max;
    if (kind != IMP_MSG_WARNING) {
        long *shown = kind == IMP_MSG_ROW ? &k->shown_rows : &k->shown_file;
        if (*shown >= max) { k->hidden_errors++; return 1; }
        (*shown)++;
        return 0;
    }
    char text[sizeof k->warn[0].kind];
    message_kind(msg, text, sizeof text);
    int i = 0;
    while (i < k->nwarn && strcmp(k->warn[i].kind, text)) i++;
    if (i == k->nwarn) {
        if (k->nwarn == IMP_WARN_KINDS) i = IMP_WARN_KINDS - 1;     /* the rest share the last */
        else snprintf(k->warn[k->nwarn++].kind, sizeof text, "%s", text);
    }
    if (k->warn[i].shown >= max) { k->warn[i].hidden++; return 1; }
    k->warn[i].shown++;
    return 0;
}

/* Prints the counts of the messages not listed (at the end of a file). */
static void report_hidden(imp_ctx *c) {
    imp_caps *k = c->caps;
    for (int i = 0; k && i < k->nwarn; i++)
        if (k->warn[i].hidden)
            fprintf(c->opt->err, "%s: ... and %ld more warnings \"%s\"\n", c->path, k->warn[i].hidden,
                    k->warn[i].kind);
    long hidden = k ? k->hidden_errors : c->res->errors - c->opt->max_errors;
    if (hidden > 0) fprintf(c->opt->err, "%s: ... and %ld more errors\n", c->path, hidden);
}

void imp_report(imp_ctx *c, int kind, long line, int col, const char *msg) {
    FILE *e = c->opt->err;
    if (kind != IMP_MSG_WARNING) {
        c->res->errors++;
        if (kind == IMP_MSG_ROW) {
            size_t n = strlen(c->reasons);
            if (n + 3 < sizeof c->reasons)
                snprintf(c->reasons + n, sizeof c->reasons - n, "%s%s", n ? "; " : "", msg);
            c->row_errors++;
        }
    }
    if (over_cap(c, kind, msg)) return;
    const char *what = kind == IMP_MSG_WARNING ? "warning: " : "";
    if (line <= 0) fprintf(e, "%s: %s%s\n", c->path, what, msg);
    else if (col <= 0) fprintf(e, "%s:%ld: %s%s\n", c->path, line, what, msg);
    else fprintf(e, "%s:%ld:%d: %s%s\n", c->path, line, col, what, msg);
}

/* Formats and reports a message, or keeps it for the storing thread. Row errors are
 * cut at 511 bytes (they are repeated in the rejects file). */
static void message(imp_ctx *c, int kind, long line, int col, const char *fmt, va_list ap) {
    char stack[512], *msg = stack;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(stack, sizeof stack, fmt, ap);
    if (n >= (int)sizeof stack && kind != IMP_MSG_ROW) {
        char *big = malloc((size_t)n + 1);
        if (big) { vsnprintf(big, (size_t)n + 1, fmt, again); msg = big; }
    }
    va_end(again);
    if (c->ring) {
        imp_pipe_defer(c, kind, line, col, msg);
        if (kind == IMP_MSG_ROW) c->row_errors++;
    } else {
        imp_report(c, kind, line, col, msg);
    }
    if (msg != stack) free(msg);
}

void imp_error(imp_ctx *c, long line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    message(c, IMP_MSG_ERROR, line, col, fmt, ap);
    va_end(ap);
}

void imp_warning(imp_ctx *c, long line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    message(c, IMP_MSG_WARNING, line, col, fmt, ap);
    va_end(ap);
}

void imp_row_error(imp_ctx *c, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    message(c, IMP_MSG_ROW, c->rec_line, col, fmt, ap);
    va_end(ap);
}

/* ===== the rejects file ===== */

static void rejects_path(const char *path, char *out, size_t cap) {
    size_t n = strlen(path);
    if (n > 4 && !strcasecmp(path + n - 4, ".csv")) n -= 4;
    snprintf(out, cap, "%.*s.rejects.csv", (int)n, path);
}

/* Starts the rejects file: a temp beside c->res->rejects (renamed over it by
 * rejects_end), never through a link planted at that name, never over the database.
 * 0, or -1 with the error reported. */
static int rejects_begin(imp_ctx *c) {
    const char *name = c->res->rejects;
    struct stat st;
    char err[512] = "";
    if (lstat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
        imp_error(c, 0, 0, "%s: %s; refusing to write the rejects file there", name,
                  S_ISLNK(st.st_mode) ? "is a symbolic link" : "is not a regular file");
        return -1;
    }
    if (out_is_db_file(name, sqlite3_db_filename(c->db, "main"))) {
        imp_error(c, 0, 0, "%s: is the database; refusing to write the rejects file there", name);
        return -1;
    }
    int fd = -1;
    if (!(c->rej_out = malloc(sizeof *c->rej_out))) {
        imp_error(c, 0, 0, "out of memory");
        return -1;
    }
    if (out_open(c->rej_out, name, err, sizeof err) != 0 || (fd = dup(c->rej_out->fd)) < 0 ||
        !(c->rej = fdopen(fd, "w"))) {
        if (fd >= 0) close(fd);
        if (err[0]) imp_error(c, 0, 0, "cannot write the rejects file %s", err);
        else imp_error(c, 0, 0, "cannot write the rejects file %s: %s", name, strerror(errno));
        out_abort(c->rej_out);
        free(c->rej_out);
        c->rej_out = NULL;
        return -1;
    }
    return 0;
}

/* Ends the rejects file: renamed into place when keep (rows were rejected), else
 * dropped, and a rejects file of an earlier import removed. */
static void rejects_end(imp_ctx *c, int keep) {
    char err[512];
    int bad = fclose(c->rej) != 0;
    c->rej = NULL;
    if (keep && !bad && out_commit(c->rej_out, 0, err, sizeof err) == 0) {
        free(c->rej_out);
        c->rej_out = NULL;
        return;
    }
    if (keep) {
        if (bad) {
            fprintf(c->opt->err, "%s: cannot write the rejects file %s: %s\n", c->path,
                    c->res->rejects, strerror(errno));
            out_abort(c->rej_out);
        } else {
            fprintf(c->opt->err, "%s: cannot write the rejects file %s\n", c->path, err);
        }
    } else {
        out_abort(c->rej_out);
        struct stat st;
        if (lstat(c->res->rejects, &st) == 0 && S_ISREG(st.st_mode)) unlink(c->res->rejects);
    }
    free(c->rej_out);
    c->rej_out = NULL;
    c->res->rejects[0] = '\0';
}

/* Writes one CSV field, quoted only when it must be. */
static void put_field(FILE *f, const char *s) {
    if (!s[strcspn(s, ",\"\r\n")] && *s != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void imp_reject_write(imp_ctx *c, FILE *f, const char *last) {
    for (int k = 0; k < c->nf; k++) {
        put_field(f, c->fbuf + c->foff[k]);
        fputc(',', f);
    }
    put_field(f, last);
    fputs("\r\n", f);
}

/* ===== records ===== */

/* Reports field s (column col) as invalid UTF-8, naming its first bad bytes: a row
 * error, or in the header a file error. The GB18030 hint only when the user forced
 * UTF-8 (detection already weighed GB18030 and chose UTF-8 for the file). */
static void bad_utf8(imp_ctx *c, const char *s, int col, int in_header) {
    size_t n = strlen(s);
    long at = yj_utf8_bad(s, n);
    const unsigned char *b = (const unsigned char *)s + (at < 0 ? 0 : at);
    char hex[24];
    snprintf(hex, sizeof hex, b[0] && b[1] ? "bytes %02X %02X" : "byte %02X", b[0], b[0] ? b[1] : 0);
    const char *hint = c->opt->encoding == IMP_ENC_UTF8 ? "; is the file GB18030? try --encoding gb18030" : "";
    if (in_header) imp_error(c, c->rec_line, col, "invalid UTF-8 byte sequence in the header (%s)%s", hex, hint);
    else imp_row_error(c, col, "invalid UTF-8 byte sequence (%s)%s", hex, hint);
}

static void header(imp_ctx *c) {
    const imp_dataset *ds = c->ds;
    for (int i = 0; i < ds->ncols; i++) c->col_of[i] = -1, c->scale[i] = 1.0;
    c->nfile = c->nf;
    if (c->too_many) {       /* rows could not be checked against it: refused, once */
        imp_error(c, c->rec_line, 0, "the header has %ld fields, more than the %d a file may have",
                  c->nf_all, IMP_MAX_FILE_COLS);
        c->fatal = 1;
        return;
    }
    for (int f = 0; f < c->nf; f++) {
        const char *h = c->fbuf + c->foff[f];
        double scale;
        /* an encoding problem in a column name is named as such (never reported as an
         * unknown column): the file cannot be read without its header */
        if (c->check_utf8 && !yj_utf8_valid(h, strlen(h))) {
            bad_utf8(c, h, f + 1, 1);
            c->fatal = 1;
            return;
        }
        if (c->check_fffd && strstr(h, "\xEF\xBF\xBD")) {
            imp_error(c, c->rec_line, f + 1, "invalid GB18030 byte sequence in the header");
            c->fatal = 1;
            return;
        }
        int i = imp_header_match(ds, h, &scale);
        if (i < 0) {
            if (!imp_cell_empty(h)) imp_warning(c, c->rec_line, f + 1, "unknown column '%s' ignored", h);
            continue;
        }
        if (c->col_of[i] >= 0) {
            imp_error(c, c->rec_line, f + 1, "column '%s' repeats column %d (both are %s)", h,
                      c->col_of[i] + 1, ds->cols[i].name);
            c->fatal = 1;
            continue;
        }
        c->col_of[i] = f;
        c->scale[i] = scale;
    }
    for (int i = 0; i < ds->ncols; i++) {
        if (!(ds->cols[i].flags & IMP_REQ) || c->col_of[i] >= 0) continue;
        const char *a = ds->cols[i].aliases;
        const char *bar = strchr(a, '|');
        imp_error(c, c->rec_line, 0, "missing required column '%s' (%.*s)", ds->cols[i].name,
                  bar ? (int)(bar - a) : (int)strlen(a), a);
        c->fatal = 1;
    }
    if (c->opt->skip && !c->fatal) {
        /* the rejects file starts with the header and an "error" column */
        if (!c->rej) {
            rejects_path(c->path, c->res->rejects, sizeof c->res->rejects);
            if (rejects_begin(c) != 0) {
                c->res->rejects[0] = '\0';
                c->fatal = 1;
                return;
            }
        }
        imp_reject_write(c, c->rej, "error");
    }
}

static int blank_record(const imp_ctx *c) {
    for (int k = 0; k < c->nf; k++)
        if (!imp_cell_empty(c->fbuf + c->foff[k]) || c->fsize[k] > IMP_MAX_FIELD) return 0;
    return 1;
}

/* A record of the parsing thread: the header, or a row checked, converted and handed
 * over (imp_pipe.c) with its errors; the storing thread counts and stores it. */
static void record(imp_ctx *c) {
    if (!c->header_done) {
        c->header_done = 1;
        header(c);
        imp_pipe_flush(c, 1);
        return;
    }
    if (blank_record(c)) return;       /* trailing blank rows from spreadsheets */
    c->row_errors = 0;
    if (c->nf != c->nfile) {
        imp_row_error(c, c->nf < c->nfile ? c->nf : c->nfile + 1, "expected %d fields, found %d%s",
                      c->nfile, c->nf, c->too_many ? " or more" : "");
    } else {
        for (int k = 0; k < c->nf; k++) {
            const char *f = c->fbuf + c->foff[k];
            if (c->check_utf8 && !yj_utf8_valid(f, strlen(f)))
                bad_utf8(c, f, k + 1, 0);
            else if (c->check_fffd && strstr(f, "\xEF\xBF\xBD"))
                imp_row_error(c, k + 1, "invalid GB18030 byte sequence");
        }
        if (!c->row_errors) imp_row_convert(c);
    }
    imp_pipe_row(c);
}

/* ===== libcsv callbacks ===== */

static void add_field(imp_ctx *c, const char *s, size_t len) {
    c->nf_all++;
    if (c->nf >= IMP_MAX_FILE_COLS) { c->too_many = 1; return; }
    size_t keep = len > IMP_MAX_FIELD ? 0 : len;
    if (c->flen + keep + 1 > c->fcap) {
        size_t cap = c->fcap ? c->fcap : 4096;
        while (cap < c->flen + keep + 1) cap *= 2;
        char *p = realloc(c->fbuf, cap);
        if (!p) { c->fatal = 1; return; }
        c->fbuf = p;
        c->fcap = cap;
    }
    c->foff[c->nf] = c->flen;
    c->fsize[c->nf] = len;
    if (keep) memcpy(c->fbuf + c->flen, s, keep);
    c->flen += keep;
    c->fbuf[c->flen++] = '\0';
    c->nf++;
}

static void on_field(void *s, size_t len, void *data) { add_field(data, s, len); }

static void on_record(int term, void *data) {
    (void)term;
    imp_ctx *c = data;
    if (!c->fatal) record(c);
    c->nf = 0;
    c->nf_all = 0;
    c->flen = 0;
    c->too_many = 0;
    c->rec_bytes = 0;
}

static int blank(char ch) { return ch == ' ' || ch == '\t'; }

/* A whole line without quotes, starting a record, split here as libcsv would split it
 * (fields trimmed of spaces and tabs, a blank line no record) but ~15x faster; 0 when
 * the line needs libcsv (quotes, a CR before the end, no newline yet). */
static int plain_line(imp_ctx *c, const char *p, size_t seg) {
    if (c->csv.pstate != 0 || p[seg - 1] != '\n' || memchr(p, '"', seg)) return 0;
    size_t n = seg - 1;
    const char *cr = memchr(p, '\r', n);
    if (cr && cr != p + n - 1) return 0;
    if (cr) n--;
    const char *q = p, *end = p + n;
    while (q < end && blank(*q)) q++;
    if (q == end) return 1;                     /* libcsv skips blank lines */
    for (q = p;;) {
        const char *comma = memchr(q, ',', (size_t)(end - q)), *fe = comma ? comma : end, *b = fe;
        while (q < fe && blank(*q)) q++;
        while (b > q && blank(b[-1])) b--;
        add_field(c, q, (size_t)(b - q));
        if (!comma) break;
        q = comma + 1;
    }
    on_record(cr ? '\r' : '\n', c);
    return 1;
}

/* Feeds UTF-8 text to libcsv a physical line at a time. Returns -1 when the file must
 * stop (a CSV syntax error or an overlong record). */
static int feed(imp_ctx *c, const char *p, size_t n) {
    while (n > 0 && !c->fatal) {
        const char *nl = memchr(p, '\n', n);
        size_t seg = nl ? (size_t)(nl - p) + 1 : n;
        if (c->csv.pstate == 0) { c->rec_line = c->line; c->rec_bytes = 0; }
        if (!plain_line(c, p, seg) && csv_parse(&c->csv, p, seg, on_field, on_record, c) != seg) {
            imp_error(c, c->line, c->nf + 1, "%s",
                      csv_error(&c->csv) == CSV_EPARSE
                          ? "malformed quoting (a '\"' inside an unquoted field, or text after a closing quote)"
                          : "out of memory");
            c->fatal = 1;
            return -1;
        }
        c->rec_bytes += (long long)seg;
        if (c->csv.pstate != 0 && c->rec_bytes > IMP_MAX_RECORD) {
            imp_error(c, c->rec_line, c->nf + 1,
                      "record longer than %d bytes (an unterminated quote?)", IMP_MAX_RECORD);
            c->fatal = 1;
            return -1;
        }
        if (nl) c->line++;
        p += seg;
        n -= seg;
    }
    return c->fatal ? -1 : 0;
}

/* ===== the file ===== */

static void progress(imp_ctx *c, long long done, long long total, int *shown) {
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    if (pct == *shown) return;
    *shown = pct;
    int bar = pct * 30 / 100;
    fprintf(c->opt->err, "\r%s [%.*s%*s] %3d%%", c->path, bar, "##############################",
            30 - bar, "", pct);
    fflush(c->opt->err);
}

/* The second pass: decode, parse, convert, store. Returns 0, or -1 on a read error. */
static int parse_file(imp_ctx *c, FILE *f, int encoding, long long size) {
    imp_decoder *dec = imp_decoder_new(encoding);
    char *buf = malloc(IMP_CHUNK);
    int rc = 0, first = 1, shown = -1;
    int bar = c->opt->progress && size > (32LL << 20) && isatty(fileno(c->opt->err));
    long long done = 0;
    if (!dec || !buf) { imp_error(c, 0, 0, "cannot start decoding (iconv or memory)"); rc = -1; goto done; }
    csv_init(&c->csv, CSV_STRICT | CSV_STRICT_FINI);
    c->line = 1;
    for (;;) {
        size_t n = fread(buf, 1, IMP_CHUNK, f);
        int last = n < IMP_CHUNK;
        yj_sha256_feed(c->hasher, buf, n);
        const char *out;
        size_t olen;
        long bad = imp_decoder_feed(dec, buf, n, last, &out, &olen);
        if (bad < 0) { imp_error(c, 0, 0, "out of memory"); c->fatal = 1; break; }
        if (bad > 0) c->check_fffd = 1;
        if (first && olen >= 3 && !memcmp(out, "\xEF\xBB\xBF", 3)) { out += 3; olen -= 3; }
        first = 0;
        if (feed(c, out, olen) < 0) break;
        done += (long long)n;
        if (bar) progress(c, done, size, &shown);
        if (last) break;
    }
    if (ferror(f)) { imp_error(c, 0, 0, "read error: %s", strerror(errno)); c->fatal = 1; rc = -1; }
    if (!c->fatal && csv_fini(&c->csv, on_field, on_record, c) != 0) {
        imp_error(c, c->rec_line, c->nf + 1, "unterminated quoted field (the file ends inside quotes)");
        c->fatal = 1;
    }
    csv_free(&c->csv);
    if (bar) fprintf(c->opt->err, "\r%*s\r", (int)strlen(c->path) + 40, "");
done:
    imp_decoder_free(dec);
    free(buf);
    return rc;
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
    j->rc = parse_file(j->c, j->f, j->encoding, j->size);
    imp_pipe_flush(j->c, 0);
    imp_ring_close(j->c->ring);
    return NULL;
}

/* Parses on a new thread while this one stores (s: the storing context). Returns 0, or
 * -1 when the threads cannot start or the file cannot be read (reported). */
static int parse_and_store(imp_ctx *c, imp_ctx *s, FILE *f, int encoding, long long size) {
    parse_job job = {c, f, encoding, size, 0};
    if (!(c->ring = imp_ring_new())) { imp_error(c, 0, 0, "out of memory"); return -1; }
    GThread *t = g_thread_try_new("yingji-parse", parse_main, &job, NULL);
    if (!t) {
        imp_ring_free(c->ring);
        c->ring = NULL;
        imp_error(c, 0, 0, "cannot start the parsing thread");
        return -1;
    }
    imp_pipe_store(s, c->ring);
    g_thread_join(t);
    imp_ring_free(c->ring);
    c->ring = NULL;
    if (c->msgs.lost) imp_error(c, 0, 0, "out of memory");
    return job.rc;
}

static int exec(imp_ctx *c, const char *sql) {
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK) return 0;
    if ((sqlite3_errcode(c->db) & 0xff) == SQLITE_BUSY)
        imp_error(c, 0, 0, "database: database is locked: another process is writing to it "
                  "(waited %d s; try again when it has finished)", db_busy_timeout_ms() / 1000);
    else
        imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(c->db));
    return -1;
}

/* The import log. Its row is written at the end, with the counts, unless the dataset's
 * rows reference it (units.batch REFERENCES imports(id)): then it is written first and
 * updated at the end. Writing a page at the start and again at the end of a big
 * transaction makes SQLite re-read the whole WAL at commit to redo its checksums (the
 * page's first frame is overwritten), so the big datasets write it once. */
typedef struct {
    long long id;
    char at[20];         /* imported_at: when the import started */
    int written;         /* the row exists (units) */
} log_row;

static int log_start(imp_ctx *c, log_row *l) {
    sqlite3_stmt *st;
    int rc = -1;
    if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(id), 0) + 1, strftime('%Y-%m-%d %H:%M:%S', 'now')"
                                  " FROM imports", -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        l->id = sqlite3_column_int64(st, 0);
        snprintf(l->at, sizeof l->at, "%s", (const char *)sqlite3_column_text(st, 1));
        rc = 0;
    }
    sqlite3_finalize(st);
    l->written = 0;
    return rc;
}

/* Inserts the log row (counts zero and no hash yet when !final). */
static int log_write(imp_ctx *c, log_row *l, const char *sha256, int final) {
    sqlite3_stmt *st;
    const char *sql = l->written
        ? "UPDATE imports SET rows_new = ?1, rows_updated = ?2, rows_unchanged = ?3,"
          " rows_rejected = ?4, sha256 = ?6 WHERE id = ?5"
        : "INSERT INTO imports(rows_new, rows_updated, rows_unchanged, rows_rejected, id, sha256,"
          " dataset, file, encoding, imported_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, final ? c->res->added : 0);
    sqlite3_bind_int64(st, 2, final ? c->res->updated : 0);
    sqlite3_bind_int64(st, 3, final ? c->res->unchanged : 0);
    sqlite3_bind_int64(st, 4, final ? c->res->rejected : 0);
    sqlite3_bind_int64(st, 5, l->id);
    sqlite3_bind_text(st, 6, final ? sha256 : "", -1, SQLITE_STATIC);
    if (!l->written) {
        sqlite3_bind_text(st, 7, c->ds->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, c->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, c->res->encoding, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, l->at, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    if (rc == 0) l->written = 1;
    return rc;
}

/* What a file that is not a regular file is, for the message. */
static const char *file_kind(mode_t m) {
    if (S_ISFIFO(m)) return "a named pipe";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISDIR(m)) return "a directory";
    if (S_ISSOCK(m)) return "a socket";
    return "not a file";
}

/* Opens c->path for reading, only when it is a regular file (reported and NULL
 * otherwise). The file is read twice, so pipes, terminals and devices are refused, and
 * the check must not block: open(2) of a FIFO without a writer waits forever, so the
 * open is O_NONBLOCK (O_NOCTTY: a terminal never becomes ours), the check is fstat on
 * the descriptor opened (no race with a rename), and O_NONBLOCK is cleared before the
 * first read. Symlinks are followed on purpose: a link to a regular file is ordinary
 * input (importing only reads it), and a link to anything else is refused by the same
 * fstat. */
static FILE *open_input(imp_ctx *c) {
    int fd = open(c->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) { imp_error(c, 0, 0, "cannot open: %s", strerror(errno)); return NULL; }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        imp_error(c, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        imp_error(c, 0, 0, "not a regular file (%s): the importer reads a file twice; save the data "
                  "to a file and import that", file_kind(st.st_mode));
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ? NULL : fdopen(fd, "rb");
    if (!f) {
        imp_error(c, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

imp_status imp_import_file(sqlite3 *db, const imp_dataset *ds, const char *path,
                    const imp_options *opt, imp_result *res) {
    imp_ctx *c = calloc(1, sizeof *c), *s = NULL;
    imp_status status = IMP_REJECTED;
    int in_tx = 0;
    char *err = NULL;
    memset(res, 0, sizeof *res);
    if (!c) { fprintf(opt->err, "%s: out of memory\n", path); return status; }
    imp_caps caps;
    memset(&caps, 0, sizeof caps);
    c->db = db; c->ds = ds; c->opt = opt; c->path = path; c->res = res; c->caps = &caps;
    c->vals = c->own_vals;
    imp_row_setup(c);
    FILE *f = open_input(c);
    if (!f) goto done;
    imp_scan sc;
    if (imp_scan_file(f, &sc) < 0) { imp_error(c, 0, 0, "read error: %s", strerror(errno)); goto done; }
    if (sc.size == 0 || (sc.bom && sc.size == 3)) { imp_error(c, 1, 0, "empty file (no header line)"); goto done; }
    char why[256];
    long why_line;
    if (sc.utf16) {          /* UTF-16 has NUL bytes: say what it is before "binary data" */
        imp_scan_decide(&sc, &why_line, why, sizeof why);
        imp_error(c, why_line, 0, "%s", why);
        goto done;
    }
    if (sc.nul_line) {
        imp_error(c, sc.nul_line, 0, "binary data (a NUL byte): not a CSV text file");
        goto done;
    }
    int enc = opt->encoding;
    if (enc == IMP_ENC_AUTO && (enc = imp_scan_decide(&sc, &why_line, why, sizeof why)) < 0) {
        imp_error(c, why_line, 0, "%s", why);
        goto done;
    }
    c->check_utf8 = enc == IMP_ENC_UTF8 && !sc.utf8;
    snprintf(res->encoding, sizeof res->encoding, "%s", enc == IMP_ENC_UTF8 ? "utf-8" : "gb18030");
    rewind(f);
    if (!(c->hasher = yj_sha256_new())) { imp_error(c, 0, 0, "cannot start SHA-256"); goto done; }
    if (!(c->rs = imp_resolver_load(db, &err))) { imp_error(c, 0, 0, "database: %s", err); goto done; }
    /* WAL + synchronous NORMAL keeps a transaction atomic across crashes (a commit may
     * be lost on power failure, never half-applied) and saves the fsync per commit. */
    sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    /* 8 MB of page cache (SQLite's default: 2 MB) keeps the B-tree's inner pages from
     * being spilled to the WAL and written again later in the transaction, which makes
     * SQLite re-read the WAL from that frame on at commit to redo its checksums (most
     * of an 80 MB WAL for 1M inspections); peak memory stays ~23 MB. */
    sqlite3_exec(db, "PRAGMA cache_size = -8000", NULL, NULL, NULL);
    if (exec(c, "BEGIN IMMEDIATE") < 0) goto done;
    in_tx = 1;
    log_row lr;
    if (log_start(c, &lr) < 0 || (!strcmp(ds->name, "units") && log_write(c, &lr, NULL, 0) < 0)) {
        imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    c->batch = lr.id;
    res->batch = c->batch;
    if (!(s = calloc(1, sizeof *s))) { imp_error(c, 0, 0, "out of memory"); goto done; }
    s->db = db; s->ds = ds; s->opt = opt; s->path = path; s->res = res; s->rs = c->rs;
    s->caps = &caps;
    s->batch = c->batch; s->vals = s->own_vals; s->parser = c;
    if (imp_store_prepare(s) < 0) goto done;
    if (parse_and_store(c, s, f, enc, sc.size) < 0) goto done;
    if (!c->header_done && !c->fatal) { imp_error(c, 1, 0, "empty file (no header line)"); goto done; }
    if (c->fatal || s->fatal || (res->errors && !opt->skip)) goto done;
    char sha[65];
    int hashed = yj_sha256_finish(c->hasher, sha);
    c->hasher = NULL;
    if (hashed < 0) { imp_error(c, 0, 0, "read error while hashing the file"); goto done; }
    if (log_write(c, &lr, sha, 1) < 0 || (imp_store_finalize(s), exec(c, "COMMIT")) < 0) goto done;
    in_tx = 0;
    status = res->rejected ? IMP_PARTIAL : IMP_IMPORTED;
done:
    if (c->hasher) { char unused[65]; yj_sha256_finish(c->hasher, unused); }
    if (s) imp_store_finalize(s);
    if (in_tx) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    report_hidden(c);
    if (c->rej) rejects_end(c, status == IMP_PARTIAL);
    if (status == IMP_REJECTED) {
        res->batch = 0;
        fprintf(opt->err, "%s: rejected (%ld error%s), nothing imported\n", path, res->errors,
                res->errors == 1 ? "" : "s");
    } else {
        fprintf(opt->out, "%s: %ld rows: %ld new, %ld updated, %ld unchanged, %ld rejected (encoding %s)",
                path, res->rows, res->added, res->updated, res->unchanged, res->rejected, res->encoding);
        if (res->added + res->updated == 0) fputs("; no changes", opt->out);
        if (status == IMP_PARTIAL) fprintf(opt->out, "; rejected rows in %s", res->rejects);
        fputc('\n', opt->out);
    }
    if (f) fclose(f);
    free(err);
    imp_resolver_free(c->rs);
    imp_lists_free(c);
    free(c->fbuf);
    free(c->msgs.buf);
    free(c);
    free(s);
    return status;
}
