/* imp_import.c — the import of one file, start to end: open (regular files only),
 * scan (encoding, NUL), then one transaction in which a parsing thread (imp_parse.c)
 * hashes, decodes, parses and converts while this thread stores (imp_pipe.c,
 * imp_store.c); the import log row (imp_log.c), the rejects file (imp_rejects.c), the
 * messages (imp_report.c) and the summary line. A large .xlsx sheet is read ahead of its
 * merged areas (imp_xlsx.c): its messages are held back until the verdict (imp_hold.c),
 * and when the read-ahead fails the import is done once more, areas first, nothing of the
 * first attempt shown or kept. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "imp_encoding.h"
#include "imp_hold.h"
#include "imp_xlsx.h"
#include "db.h"
#include "imp_int.h"
#include "imp_sanity.h"

static int exec(imp_ctx *c, const char *sql) {
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK) return 0;
    if ((sqlite3_errcode(c->db) & 0xff) == SQLITE_BUSY)
        imp_error(c, 0, 0, "database: database is locked: another process is writing to it "
                  "(waited %d s; try again when it has finished)", db_busy_timeout_ms() / 1000);
    else
        imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(c->db));
    return -1;
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

/* What the file's first bytes say it is: 1 an .xlsx workbook (a zip), 2 an .xls (an
 * OLE2 compound file), 0 anything else (read as CSV). */
static int workbook_kind(FILE *f) {
    unsigned char b[8] = {0};
    size_t n = fread(b, 1, sizeof b, f);
    rewind(f);
    if (n >= 4 && !memcmp(b, "PK\x03\x04", 4)) return 1;
    if (n == 8 && !memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return 2;
    return 0;
}

/* A workbook's SHA-256 (the import log's), read whole before it is opened. */
static int hash_file(imp_ctx *c, FILE *f) {
    char *buf = malloc(IMP_CHUNK);
    if (!buf) return -1;
    size_t n;
    while ((n = fread(buf, 1, IMP_CHUNK, f)) > 0) yj_sha256_feed(c->hasher, buf, n);
    free(buf);
    int bad = ferror(f);
    rewind(f);
    return bad ? -1 : 0;
}

/* The hold's question before it waits (imp_hold.h): the book's verdict, started now. */
static int need_verdict(void *book) { return imp_xlsx_need_verdict(book); }

/* One import of the file; ahead: a large .xlsx sheet may be read ahead of its merged
 * areas (imp_xlsx.h). *again: that read failed and nothing of this attempt was shown
 * or kept (the messages were held back, the transaction rolled back, the rejects file
 * dropped): the caller imports again without reading ahead. *carry: the areas the read
 * ahead found, out of an attempt that ends in *again and into the next (which owns
 * them: *carry is then NULL). */
static imp_status import_once(sqlite3 *db, const imp_dataset *ds, const char *path,
                              const imp_options *opt, imp_result *res, int ahead, int *again,
                              imp_xlsx_areas **carry) {
    imp_ctx *c = calloc(1, sizeof *c), *s = NULL;
    imp_status status = IMP_REJECTED;
    int in_tx = 0;
    memset(res, 0, sizeof *res);
    if (!c) { fprintf(opt->err, _("%s: out of memory\n"), path); return status; }
    imp_caps caps;
    memset(&caps, 0, sizeof caps);
    imp_hold hold;
    c->db = db; c->ds = ds; c->opt = opt; c->path = path; c->res = res; c->caps = &caps;
    c->vals = c->own_vals;
    imp_row_setup(c);
    FILE *f = open_input(c);
    if (!f) goto done;
    int book = workbook_kind(f), enc = IMP_ENC_UTF8;
    imp_scan sc;
    memset(&sc, 0, sizeof sc);
    if (book) {
        if (!(c->hasher = yj_sha256_new())) { imp_error(c, 0, 0, "cannot start SHA-256"); goto done; }
        if (hash_file(c, f) < 0) { imp_error(c, 0, 0, "read error: %s", strerror(errno)); goto done; }
        if (imp_book_prepare(c, fileno(f), book == 2) < 0) goto done;
        if (c->book && *carry) {
            imp_xlsx_give_areas(c->book, *carry);
            *carry = NULL;
        }
        if (ahead && c->book && imp_xlsx_ahead(c->book, c->sheet_no)) {
            imp_hold_init(&hold);
            c->hold = &hold;
            c->ahead = 1;
            imp_xlsx_on_verdict(c->book, imp_hold_verdict, &hold);
            hold.need = need_verdict;
            hold.need_arg = c->book;
        }
        snprintf(res->encoding, sizeof res->encoding, "%s", book == 2 ? "xls" : "xlsx");
        goto store;
    }
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
    enc = opt->encoding;
    if (enc == IMP_ENC_AUTO && (enc = imp_scan_decide(&sc, &why_line, why, sizeof why)) < 0) {
        imp_error(c, why_line, 0, "%s", why);
        goto done;
    }
    c->check_utf8 = enc == IMP_ENC_UTF8 && !sc.utf8;
    snprintf(res->encoding, sizeof res->encoding, "%s", enc == IMP_ENC_UTF8 ? "utf-8" : "gb18030");
    rewind(f);
    if (!(c->hasher = yj_sha256_new())) { imp_error(c, 0, 0, "cannot start SHA-256"); goto done; }
store:;
    char rs_err[256];
    if (!(c->rs = imp_resolver_load(db, rs_err, sizeof rs_err))) {
        imp_error(c, 0, 0, "%s%s", strcmp(rs_err, _("out of memory")) ? _("database: ") : "", rs_err);
        goto done;
    }
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
    imp_log_row lr;
    if (imp_log_start(c, &lr) < 0 || ((ds->flags & IMP_DS_LOG_FIRST) && imp_log_write(c, &lr, NULL, 0) < 0)) {
        imp_error(c, 0, 0, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    c->batch = lr.id;
    res->batch = c->batch;
    if (!(s = calloc(1, sizeof *s))) { imp_error(c, 0, 0, "out of memory"); goto done; }
    s->db = db; s->ds = ds; s->opt = opt; s->path = path; s->res = res; s->rs = c->rs;
    s->caps = &caps;
    s->hold = c->hold;
    s->sheet = c->sheet;
    s->batch = c->batch; s->vals = s->own_vals; s->parser = c;
    if (imp_store_bulk_begin(s, sc.size) < 0 || imp_store_prepare(s) < 0) goto done;
    c->sanity = imp_sanity_new(ds, lr.received);
    if (imp_pipe_run(c, s, f, enc, sc.size) < 0) goto done;
    if (c->sanity && !c->fatal) imp_sanity_end(s, c->sanity);
    if (!c->header_done && !c->fatal) { imp_error(c, 1, 0, "empty file (no header line)"); goto done; }
    if (c->fatal || s->fatal || (res->errors && !opt->skip)) goto done;
    char sha[65];
    int hashed = yj_sha256_finish(c->hasher, sha);
    c->hasher = NULL;
    if (hashed < 0) { imp_error(c, 0, 0, "read error while hashing the file"); goto done; }
    if (imp_store_bulk_end(s) < 0) goto done;
    if (imp_log_write(c, &lr, sha, 1) < 0 || (imp_store_finalize(s), exec(c, "COMMIT")) < 0) goto done;
    in_tx = 0;
    status = res->rejected ? IMP_PARTIAL : IMP_IMPORTED;
done:
    if (c->hasher) { char unused[65]; yj_sha256_finish(c->hasher, unused); }
    if (s) imp_store_finalize(s);
    if (in_tx) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    *again = c->restart;
    if (c->hold) {
        *again = imp_hold_flush(c->hold, opt->err) || c->restart;
        imp_hold_clear(c->hold);
        c->hold = NULL;
    }
    if (*again) {               /* nothing of this attempt is told: the next one tells all */
        if (c->rej) imp_rejects_discard(c);
        if (c->book) *carry = imp_xlsx_take_areas(c->book);
        goto out;
    }
    imp_report_hidden(c);
    if (c->rej) imp_rejects_end(c, status == IMP_PARTIAL);
    if (status == IMP_REJECTED) {
        res->batch = 0;
        fprintf(opt->err, _("%s: rejected (%ld error%s), nothing imported\n"), path, res->errors,
                res->errors == 1 ? "" : "s");
    } else {
        fprintf(opt->out, _("%s: %ld rows: %ld new, %ld updated, %ld unchanged, %ld rejected (encoding %s)"),
                path, res->rows, res->added, res->updated, res->unchanged, res->rejected, res->encoding);
        if (res->added + res->updated == 0) fputs(_("; no changes"), opt->out);
        if (res->warnings) fprintf(opt->out, _("; %ld warning%s"), res->warnings, res->warnings == 1 ? "" : "s");
        if (status == IMP_PARTIAL) fprintf(opt->out, _("; rejected rows in %s"), res->rejects);
        fputc('\n', opt->out);
    }
out:
    if (f) fclose(f);
    imp_book_close(c);
    imp_resolver_free(c->rs);
    imp_lists_free(c);
    imp_sanity_free(c->sanity);
    free(c->fbuf);
    free(c->msgs.buf);
    free(c);
    free(s);
    return status;
}

imp_status imp_import_file(sqlite3 *db, const imp_dataset *ds, const char *path,
                           const imp_options *opt, imp_result *res) {
    int again = 0;
    imp_xlsx_areas *carry = NULL;
    imp_status st = import_once(db, ds, path, opt, res, 1, &again, &carry);
    if (again) st = import_once(db, ds, path, opt, res, 0, &again, &carry);
    imp_xlsx_areas_free(carry);
    return st;
}
