/* imp_encoding.c — the scanning pass (each line: strict UTF-8, GB18030 or neither;
 * BOM, NUL), the encoding rule (imp_scan_decide) and the GB18030 -> UTF-8 streaming
 * decoder of the importer. */
#include <errno.h>
#include <iconv.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "imp_encoding.h"
#include "utf8.h"

/* ===== the scanning pass ===== */

/* Where the current line stands, carried across reads. */
typedef struct {
    imp_scan *out;
    long line;                /* the physical line being read, 1-based */
    int any;                  /* the line has a byte (the file does not end after '\n') */
    int high;                 /* ... a byte >= 0x80 */
    int ubad, gbad;           /* ... is not UTF-8 / not GB18030 */
    int un;                   /* UTF-8: continuation bytes still expected */
    unsigned ulo, uhi;        /* UTF-8: the range of the next continuation byte */
    unsigned char seq[2];     /* UTF-8: the current sequence's first two bytes */
    int nseq;
    unsigned char bad[2];     /* the line's first invalid UTF-8 bytes */
    int nbad, want_next;      /* want_next: the byte after a bad lead is shown too */
    int g;                    /* GB18030: 0 idle; 1 after a lead; 2 lead, digit; 3 lead, digit, lead */
} scanner;

static void utf8_fail(scanner *z, unsigned b, int at_lead) {
    z->ubad = 1;
    if (at_lead) { z->bad[0] = (unsigned char)b; z->nbad = 1; z->want_next = 1; }
    else { z->bad[0] = z->seq[0]; z->bad[1] = z->nseq > 1 ? z->seq[1] : (unsigned char)b; z->nbad = 2; }
    z->un = 0;
}

static void end_line(scanner *z) {
    imp_scan *o = z->out;
    if (z->un && !z->ubad) {                   /* the line ends inside a UTF-8 sequence */
        z->ubad = 1;
        memcpy(z->bad, z->seq, 2);
        z->nbad = z->nseq;
    }
    if (z->g) z->gbad = 1;
    if (z->high) {
        if (!z->ubad) {
            if (!o->lines_utf8++) o->first_utf8 = z->line;
        } else {
            if (!o->lines_bad++) {
                o->first_bad = z->line;
                memcpy(o->bad_bytes, z->bad, 2);
                o->nbad_bytes = z->nbad;
            }
            if (z->gbad && !o->lines_neither++) {
                o->first_neither = z->line;
                memcpy(o->neither_bytes, z->bad, 2);
                o->nneither_bytes = z->nbad;
            }
        }
    }
    long line = z->line + 1;
    memset((char *)z + offsetof(scanner, any), 0, sizeof *z - offsetof(scanner, any));
    z->line = line;
}

/* One byte b through GB18030's byte structure (state *g: 0 between characters; 1
 * after a lead byte; 2 after lead, digit; 3 after lead, digit, lead). Returns 0 when
 * b makes the sequence invalid (*g is then 0 again). Structure only: a few unassigned
 * four-byte codes pass here and are counted by the decoder as row errors. */
static int gb_step(int *g, unsigned b) {
    switch (*g) {
    case 0:
        if (b < 0x80) return 1;
        if (b == 0x80 || b == 0xFF) return 0;
        *g = 1;
        return 1;
    case 1:
        if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE)) { *g = 0; return 1; }
        if (b >= 0x30 && b <= 0x39) { *g = 2; return 1; }
        break;
    case 2:
        if (b >= 0x81 && b <= 0xFE) { *g = 3; return 1; }
        break;
    default:
        if (b >= 0x30 && b <= 0x39) { *g = 0; return 1; }
        break;
    }
    *g = 0;
    return 0;
}

static int gb_valid(const unsigned char *s, size_t n) {
    int g = 0;
    for (size_t i = 0; i < n;) {
        unsigned long long w;
        if (!g && i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL))) {
            i += 8;                    /* eight ASCII bytes between characters */
            continue;
        }
        if (!gb_step(&g, s[i++])) return 0;
    }
    return g == 0;
}

/* 1 when s[0..n) has a byte >= 0x80. */
static int has_high(const unsigned char *s, size_t n) {
    size_t i = 0;
    for (unsigned long long w; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL) return 1;
    }
    for (; i < n; i++)
        if (s[i] & 0x80) return 1;
    return 0;
}

/* A whole line s[0..n) (without its '\n') read in one piece: classified with the
 * word-at-a-time checks instead of the byte loop. */
static void whole_line(scanner *z, const unsigned char *s, size_t n) {
    size_t tail, bad = 0;
    if (!has_high(s, n)) {
        /* ASCII: valid in both */
    } else if (yj_utf8_check((const char *)s, n, &tail, &bad) && !tail) {
        z->high = 1;
    } else {
        if (tail) bad = n - tail;
        z->high = z->ubad = 1;
        z->bad[0] = s[bad];
        z->bad[1] = bad + 1 < n ? s[bad + 1] : 0;
        z->nbad = bad + 1 < n ? 2 : 1;
        z->gbad = !gb_valid(s, n);
    }
    end_line(z);
}

/* The byte loop: a part of a line that crosses a read boundary. */
static void bytes(scanner *z, const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned b = s[i];
        z->any = 1;
        if (z->want_next) { z->bad[1] = (unsigned char)b; z->nbad = 2; z->want_next = 0; }
        if (b < 0x80 && !z->un && !z->g) continue;
        if (b >= 0x80) z->high = 1;
        if (!z->ubad) {                               /* strict UTF-8 */
            if (z->un) {
                if (b < z->ulo || b > z->uhi) utf8_fail(z, b, 0);
                else {
                    if (z->nseq < 2) z->seq[z->nseq++] = (unsigned char)b;
                    z->ulo = 0x80, z->uhi = 0xBF, z->un--;
                }
            } else if (b >= 0x80) {
                z->seq[0] = (unsigned char)b, z->nseq = 1;
                z->un = yj_utf8_lead(b, &z->ulo, &z->uhi);
                if (!z->un) utf8_fail(z, b, 1);
            }
        }
        if (!z->gbad && !gb_step(&z->g, b)) z->gbad = 1;
    }
}

/* Splits s[0..n) into lines: a line read whole (the common case) goes through
 * whole_line, a line that crosses a read boundary through the byte loop. */
static void scan(scanner *z, const unsigned char *s, size_t n) {
    while (n > 0) {
        const unsigned char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) : n;
        if (nl && !z->any) whole_line(z, s, len);
        else {
            bytes(z, s, len);
            if (nl) end_line(z);
        }
        if (!nl) break;
        s += len + 1;
        n -= len + 1;
    }
}

/* The common case first: a file of valid UTF-8 without NUL bytes or a UTF-16 mark,
 * checked in one pass over each read (a sequence may cross reads: the incomplete one at
 * the end of a read is checked with the next; a '\n' inside a sequence makes it invalid,
 * so every line is valid UTF-8 too). Then *out is what the line-by-line scan gives such
 * a file (utf8 set; its count of lines with non-ASCII bytes, which only weighs against
 * invalid lines, is not kept). Returns 1 when it was that, 0 when the file must be
 * scanned line by line (rewound), -1 on a read error. */
static int scan_utf8(FILE *f, imp_scan *out) {
    enum { CARRY = 4 };
    unsigned char *buf = malloc(IMP_CHUNK + CARRY);
    if (!buf) return 0;
    size_t n, carry = 0, tail = 0;
    int ok = 1;
    while (ok && (n = fread(buf + CARRY, 1, IMP_CHUNK, f)) > 0) {
        const unsigned char *p = buf + CARRY;
        if (out->size == 0 && n >= 2) {
            if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) out->bom = 1;
            else if ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)) ok = 0;
        }
        out->size += (long long)n;
        if (!ok || memchr(p, 0, n)) { ok = 0; break; }
        p -= carry;                                  /* the incomplete sequence kept */
        size_t len = n + carry;
        ok = yj_utf8_check((const char *)p, len, &tail, NULL);
        carry = ok ? tail : 0;                       /* at most 3 bytes */
        if (carry) memmove(buf + CARRY - carry, p + len - carry, carry);
    }
    free(buf);
    if (ferror(f)) { errno = EIO; return -1; }
    if (ok && !carry) {
        out->utf8 = 1;
        return 1;
    }
    rewind(f);
    return 0;
}

int imp_scan_file(FILE *f, imp_scan *out) {
    memset(out, 0, sizeof *out);
    int fast = scan_utf8(f, out);
    if (fast != 0) return fast < 0 ? -1 : 0;
    memset(out, 0, sizeof *out);
    unsigned char *buf = malloc(IMP_CHUNK);
    if (!buf) { errno = ENOMEM; return -1; }
    scanner z;
    memset(&z, 0, sizeof z);
    z.out = out;
    z.line = 1;
    size_t n;
    while ((n = fread(buf, 1, IMP_CHUNK, f)) > 0) {
        if (out->size == 0 && n >= 2) {
            if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) out->bom = 1;
            else if (buf[0] == 0xFF && buf[1] == 0xFE) out->utf16 = 0xFFFE;
            else if (buf[0] == 0xFE && buf[1] == 0xFF) out->utf16 = 0xFEFF;
        }
        if (!out->nul_line) {
            const unsigned char *nul = memchr(buf, 0, n);
            if (nul) {
                long line = z.line;
                for (const unsigned char *q = buf; (q = memchr(q, '\n', (size_t)(nul - q))); q++) line++;
                out->nul_line = line;
            }
        }
        scan(&z, buf, n);
        out->size += (long long)n;
    }
    int err = ferror(f);
    if (z.any) end_line(&z);
    out->utf8 = out->lines_bad == 0;
    free(buf);
    if (err) { errno = EIO; return -1; }
    return 0;
}

static void hex_bytes(char *out, size_t cap, const unsigned char *b, int n) {
    snprintf(out, cap, n > 1 ? "bytes %02X %02X" : "byte %02X", b[0], n > 1 ? b[1] : 0);
}

int imp_scan_decide(const imp_scan *s, long *line, char *why, size_t cap) {
    char hex[32];
    *line = 1;
    if (s->utf16) {
        snprintf(why, cap, _("UTF-16 text (byte-order mark %s): save the file as UTF-8 (or GB18030) CSV"),
                 s->utf16 == 0xFFFE ? "FF FE" : "FE FF");
        return -1;
    }
    if (s->bom || !s->lines_bad || s->lines_utf8 >= s->lines_bad) return IMP_ENC_UTF8;
    if (s->lines_utf8 * 10 <= s->lines_bad) {
        if (s->lines_neither * 2 < s->lines_bad) return IMP_ENC_GB18030;
        *line = s->first_neither;
        hex_bytes(hex, sizeof hex, s->neither_bytes, s->nneither_bytes);
        snprintf(why, cap, _("neither UTF-8 nor GB18030 text (%s): save the file as UTF-8"), hex);
        return -1;
    }
    *line = s->first_bad;
    snprintf(why, cap, _("mixed encodings: %ld lines are not UTF-8 (the first shown here) but %ld are "
             "(the first: line %ld): save the file in one encoding"), s->lines_bad, s->lines_utf8,
             s->first_utf8);
    return -1;
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
