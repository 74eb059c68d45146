/* imp_encoding.c — the scanning pass (strict UTF-8, BOM, NUL) and the
 * GB18030 -> UTF-8 streaming decoder of the importer. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "imp_encoding.h"

/* ===== strict UTF-8 ===== */

/* Validates s[0..n); *tail is set to the length of an incomplete but so far valid
 * sequence at the end (0 when the buffer ends on a boundary). Returns 0 when invalid. */
static int utf8_check(const unsigned char *s, size_t n, size_t *tail) {
    size_t i = 0;
    *tail = 0;
    while (i < n) {
        /* fast path: eight ASCII bytes at a time */
        while (i + 8 <= n) {
            unsigned long long w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;     /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else return 0;
        for (size_t k = 1; k < len; k++) {
            if (i + k >= n) { *tail = k; return 1; }
            unsigned b = s[i + k];
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
        }
        i += len;
    }
    return 1;
}

int imp_utf8_valid(const char *s, size_t n) {
    size_t tail;
    return utf8_check((const unsigned char *)s, n, &tail) && tail == 0;
}

/* ===== the scanning pass ===== */

/* Line (1-based) of byte offset off of f, counting from the start. */
static long line_of(FILE *f, long long off, unsigned char *buf) {
    long line = 1;
    rewind(f);
    while (off > 0) {
        size_t n = fread(buf, 1, off < IMP_CHUNK ? (size_t)off : IMP_CHUNK, f);
        if (n == 0) break;
        for (const unsigned char *q = buf, *e = buf + n; (q = memchr(q, '\n', (size_t)(e - q))); q++) line++;
        off -= (long long)n;
    }
    return line;
}

int imp_scan_file(FILE *f, imp_scan *out) {
    memset(out, 0, sizeof *out);
    unsigned char *buf = malloc(IMP_CHUNK + 4);
    if (!buf) { errno = ENOMEM; return -1; }
    size_t carry = 0, n;
    int valid = 1, first = 1;
    long long nul_at = -1;
    while ((n = fread(buf + carry, 1, IMP_CHUNK, f)) > 0) {
        if (first && carry + n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) out->bom = 1;
        first = 0;
        if (nul_at < 0) {
            const unsigned char *z = memchr(buf + carry, 0, n);
            if (z) nul_at = out->size + (z - (buf + carry));
        }
        out->size += (long long)n;
        if (valid) {
            size_t tail;
            valid = utf8_check(buf, carry + n, &tail);
            if (valid && tail) memmove(buf, buf + carry + n - tail, tail);
            carry = valid ? tail : 0;
        }
    }
    int err = ferror(f);
    if (valid && carry) valid = 0;      /* file ends inside a sequence */
    out->utf8 = valid;
    if (!err && nul_at >= 0) out->nul_line = line_of(f, nul_at, buf);
    free(buf);
    if (err) { errno = EIO; return -1; }
    return 0;
}

/* ===== the decoder ===== */

struct imp_decoder {
    iconv_t cd;            /* (iconv_t)-1 for UTF-8 pass-through */
    char pend[8];          /* incomplete input sequence kept from the last call */
    size_t npend;
    char *out;
    size_t cap;
    char *stage;           /* pend + the new input */
    size_t stage_cap;
    long invalid;
};

imp_decoder *imp_decoder_new(int encoding) {
    imp_decoder *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->cd = (iconv_t)-1;
    if (encoding == IMP_ENC_GB18030) {
        d->cd = iconv_open("UTF-8", "GB18030");
        if (d->cd == (iconv_t)-1) { free(d); return NULL; }
    }
    return d;
}

void imp_decoder_free(imp_decoder *d) {
    if (!d) return;
    if (d->cd != (iconv_t)-1) iconv_close(d->cd);
    free(d->out);
    free(d->stage);
    free(d);
}

static int reserve(imp_decoder *d, size_t need) {
    if (need <= d->cap) return 0;
    size_t cap = d->cap ? d->cap : 4096;
    while (cap < need) cap *= 2;
    char *p = realloc(d->out, cap);
    if (!p) return -1;
    d->out = p;
    d->cap = cap;
    return 0;
}

long imp_decoder_feed(imp_decoder *d, const char *in, size_t n, int last,
                      const char **out, size_t *outlen) {
    if (d->cd == (iconv_t)-1) {           /* UTF-8: nothing to convert */
        *out = in;
        *outlen = n;
        return d->invalid;
    }
    /* GB18030 needs at most 4 bytes per character; UTF-8 output at most 4 per input
     * byte, plus 3 for each replacement. */
    if (reserve(d, (d->npend + n) * 4 + 16) < 0) return -1;
    /* stage the kept bytes and the new input together */
    size_t sl = d->npend + n;
    if (sl > d->stage_cap) {
        char *p = realloc(d->stage, sl);
        if (!p) return -1;
        d->stage = p;
        d->stage_cap = sl;
    }
    memcpy(d->stage, d->pend, d->npend);
    if (n) memcpy(d->stage + d->npend, in, n);
    d->npend = 0;
    char *o = d->out;
    size_t ol = d->cap;
    char *ip = d->stage;
    size_t il = sl;
    while (il > 0) {
        if (iconv(d->cd, &ip, &il, &o, &ol) != (size_t)-1) break;
        if (errno == EINVAL && !last && il < sizeof d->pend) {   /* incomplete at the end */
            memcpy(d->pend, ip, il);
            d->npend = il;
            il = 0;
            break;
        }
        /* invalid (or incomplete at the very end): one replacement, skip one byte */
        memcpy(o, "\xEF\xBF\xBD", 3); o += 3; ol -= 3;
        d->invalid++;
        ip++; il--;
    }
    if (last && d->npend) {
        memcpy(o, "\xEF\xBF\xBD", 3); o += 3;
        d->invalid++;
        d->npend = 0;
    }
    *out = d->out;
    *outlen = (size_t)(o - d->out);
    return d->invalid;
}
