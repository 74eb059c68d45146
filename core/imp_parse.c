/* imp_parse.c — the parsing thread's work on one file: decode (imp_encoding.h), split
 * records with libcsv line by line (so that each record knows the physical line it
 * starts on) or, for a plain line without quotes, with the fast path that splits it as
 * libcsv would; match the header, check each record's fields and convert it
 * (imp_row.c), hand it over (imp_pipe.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "imp_int.h"
#include "imp_xlsx.h"
#include "utf8.h"

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
            if (imp_rejects_begin(c) != 0) {
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

/* A row of totals or notes below the table (its first non-empty cell starts 合计,
 * 总计, 小计, 填表人, 制表, 审核, 注 or 说明): skipped and listed in one warning. The
 * words' first bytes are all >= 0xE5, which is all a row of data pays. */
static int trailer(imp_ctx *c) {
    static const char *const words[] = {"合计", "总计", "小计", "填表人", "制表", "审核", "注", "说明"};
    int k = 0;
    while (k < c->nf && imp_cell_empty(c->fbuf + c->foff[k])) k++;
    if (k == c->nf) return 0;
    const char *f = c->fbuf + c->foff[k];
    while (*f == ' ' || *f == '\t') f++;
    if ((unsigned char)*f < 0xE5) return 0;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (!strncmp(f, words[w], strlen(words[w]))) {
            imp_note_skipped(c, 0, c->rec_line, f);
            return 1;
        }
    return 0;
}

void imp_parse_skipped_warning(imp_ctx *c) {
    if (c->ntrailers)
        imp_warning(c, 0, 0, "skipped %ld row%s of totals or notes: %s", c->ntrailers,
                    c->ntrailers == 1 ? "" : "s", c->trailers);
}

/* The cells of a workbook's row that hold an error value or a formula without its
 * value, in the dataset's columns: row errors. */
static void cell_kinds(imp_ctx *c) {
    for (int i = 0; i < c->ds->ncols; i++) {
        int k = c->col_of[i];
        if (k < 0 || k >= c->nkinds || c->kinds[k] == IMP_XCELL_VALUE) continue;
        if (c->kinds[k] == IMP_XCELL_ERROR)
            imp_row_error(c, k + 1, "%s: the cell holds the error %s", c->ds->cols[i].name, c->fbuf + c->foff[k]);
        else
            imp_row_error(c, k + 1, "%s: a formula without a saved value: open and save the file in "
                          "Excel or WPS, then import it again", c->ds->cols[i].name);
    }
}

/* A record of the parsing thread: the header, or a row checked, converted and handed
 * over (imp_pipe.c) with its errors; the storing thread counts and stores it. */
/* A CSV file's title row above its header ("2020年事故台账", "填报单位：…,填报日期：…"):
 * one or two cells, none of them a column of the dataset, among the first 20 lines.
 * A wrong header (more cells) is still reported as one. Workbooks: imp_book.c. */
static int title_row(imp_ctx *c) {
    int filled = 0;
    for (int k = 0; k < c->nf; k++) {
        const char *f = c->fbuf + c->foff[k];
        double scale;
        if (imp_cell_empty(f)) continue;
        if (++filled > 2 || imp_header_match(c->ds, f, &scale) >= 0) return 0;
    }
    if (!filled || c->rec_line > 20) return 0;
    for (int k = 0; k < c->nf; k++)
        if (!imp_cell_empty(c->fbuf + c->foff[k])) { imp_note_skipped(c, 1, c->rec_line, c->fbuf + c->foff[k]); break; }
    return 1;
}

void imp_parse_record(imp_ctx *c) {
    if (!c->header_done) {
        if (!c->book && !c->xls) {
            if (title_row(c)) return;
            if (c->ntitles)
                imp_warning(c, c->rec_line, 0, "skipped %ld line%s above the header: %s", c->ntitles,
                            c->ntitles == 1 ? "" : "s", c->titles);
        }
        c->header_done = 1;
        header(c);
        imp_pipe_flush(c, 1);
        return;
    }
    if (blank_record(c)) return;       /* trailing blank rows from spreadsheets */
    if (trailer(c)) return;
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
        if (c->kinds) cell_kinds(c);
        if (!c->row_errors) imp_row_convert(c);
    }
    imp_pipe_row(c);
}

/* ===== libcsv callbacks ===== */

void imp_parse_field(imp_ctx *c, const char *s, size_t len) {
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

static void on_field(void *s, size_t len, void *data) { imp_parse_field(data, s, len); }

static void on_record(int term, void *data) {
    (void)term;
    imp_ctx *c = data;
    if (!c->fatal) imp_parse_record(c);
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
        imp_parse_field(c, q, (size_t)(b - q));
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
                          ? _("malformed quoting (a '\"' inside an unquoted field, or text after a closing quote)")
                          : _("out of memory"));
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
int imp_parse_file(imp_ctx *c, FILE *f, int encoding, long long size) {
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
