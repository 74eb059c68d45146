/* xlsx_sheet_scan.c — the streaming XML scanner of the .xlsx reader's big parts (see
 * xlsx_sheet_scan.h): worksheets and shared strings, scanned in place in the inflated
 * chunks, with a token split across two chunks completed in a small carry buffer.
 *
 * How a chunk is scanned: scan() consumes whole tokens only (text up to a reference, a
 * tag, a reference, a character) and stops before the first one the chunk cuts; xss_feed
 * keeps that tail in the carry and, with the next chunk, appends to it as many bytes as
 * the token needs (64 first, doubling: a retry rescans the carry, so the work stays a
 * small multiple of the token's length, which XSS_TAG_MAX bounds), scans the carry, and
 * goes on in the new chunk where the carry's scan ended. Comments, processing
 * instructions and CDATA sections are not buffered: a mode and a matcher state follow
 * them across chunks. Every read is checked against the end of the buffer being scanned. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_sheet_scan.h"

enum { M_TEXT, M_COMMENT, M_PI, M_CDATA };
enum { REF_MAX = 32, STACK_MAX = 1 << 20, FIRST_GROW = 64 };

typedef struct {
    const char *p;
    size_t n;
} qname;

struct xss {
    xss_handlers h;
    void *ud;
    int status;                 /* sticky: 0, a callback's value, or XSS_* */
    const char *reason;
    unsigned long line;         /* line at the start of the unconsumed input */
    unsigned long err_line;
    size_t err_off;             /* the error's offset in the buffer being scanned */
    int mode, mstate;
    int depth, root_seen, root_done, any, bom_done;
    char *carry;                /* the start of a token the last chunk cut */
    size_t clen, ccap, grow;
    char *stack;                /* the open elements' qualified names */
    size_t slen, scap;
    size_t soff[XSS_DEPTH_MAX + 1];
    xss_attr *attrs;
    qname *qn;                  /* the attributes' qualified names */
    unsigned char *dec;         /* 1: the value needs decoding */
    int acap;
    qname *sorted;
    char *scratch;              /* decoded attribute values */
    size_t xcap;
};

typedef const unsigned char *cp;

/* Text bytes that end a plain run: markup, references, CR, ']' (for "]]>"), control
 * characters, and non-ASCII (checked as UTF-8). */
static unsigned char tclass[256];
/* 1: may start a name, 2: may continue one (non-ASCII: checked as UTF-8). */
static unsigned char nclass[256];
/* Bytes that end a plain run of a name (not an ASCII name character other than ':'),
 * and of an attribute value (quotes, markup, references, white space to normalise,
 * control characters, non-ASCII). */
static unsigned char nstop[256], vstop[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables(void) {
    for (int c = 0; c < 256; c++) {
        tclass[c] = (unsigned char)(c == '<' || c == '&' || c == '\r' || c == ']' || c >= 0x80 ||
                                    (c < 0x20 && c != '\t' && c != '\n'));
        int start = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
        int more = start || (c >= '0' && c <= '9') || c == '.' || c == '-';
        nclass[c] = (unsigned char)(start ? 3 : more ? 2 : 0);
        nstop[c] = (unsigned char)(!more || c == ':' || c >= 0x80);
        vstop[c] = (unsigned char)(c == '"' || c == '\'' || c == '<' || c == '&' || c < 0x20 || c >= 0x80);
    }
}

xss *xss_new(const xss_handlers *h, void *ud) {
    pthread_once(&tables_once, tables);           /* readers on several threads: built once */
    xss *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->h = *h;
    s->ud = ud;
    s->line = 1;
    return s;
}

void xss_free(xss *s) {
    if (!s) return;
    free(s->carry);
    free(s->stack);
    free(s->attrs);
    free(s->qn);
    free(s->dec);
    free(s->sorted);
    free(s->scratch);
    free(s);
}

const char *xss_reason(const xss *s) { return s->reason ? s->reason : ""; }
unsigned long xss_line(const xss *s) { return s->err_line; }

static unsigned long count_nl(const char *p, size_t n) {
    unsigned long k = 0;
    const char *e = p + n;
    while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) { k++; p++; }
    return k;
}

/* Marks the document malformed at p (base: the buffer being scanned). Returns NULL. */
static cp bad(xss *s, const char *base, cp p, const char *why) {
    if (!s->status) {
        s->status = XSS_MALFORMED;
        s->reason = why;
        s->err_off = (size_t)((const char *)p - base);
    }
    return NULL;
}

static const char INVALID[] = "not well-formed (invalid token)";

/* A UTF-8 sequence at p: its length, 0 when invalid (or U+FFFE, U+FFFF, which XML
 * refuses), -1 when e cuts it. */
static int utf8_len(cp p, cp e) {
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    int n;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; if (c == 0xE0) lo = 0xA0; else if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; if (c == 0xF0) lo = 0x90; else if (c == 0xF4) hi = 0x8F; }
    else return 0;
    for (int k = 1; k < n; k++) {
        if (p + k >= e) return -1;
        unsigned d = p[k];
        if (k == 1 ? d < lo || d > hi : d < 0x80 || d > 0xBF) return 0;
    }
    if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) return 0;
    return n;
}

static int put_utf8(unsigned long u, char *out) {
    if (u < 0x80) { out[0] = (char)u; return 1; }
    if (u < 0x800) { out[0] = (char)(0xC0 | u >> 6); out[1] = (char)(0x80 | (u & 0x3F)); return 2; }
    if (u < 0x10000) {
        out[0] = (char)(0xE0 | u >> 12); out[1] = (char)(0x80 | (u >> 6 & 0x3F)); out[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | u >> 18); out[1] = (char)(0x80 | (u >> 12 & 0x3F));
    out[2] = (char)(0x80 | (u >> 6 & 0x3F)); out[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

/* A reference at p ('&'): its length (through ';') with its UTF-8 in out[0..*n); 0 when
 * e cuts it; -1 malformed (marked). */
static long ref(xss *s, const char *base, cp p, cp e, char *out, int *n) {
    cp semi = NULL;
    for (cp q = p + 1; q < e && q - p < REF_MAX; q++)
        if (*q == ';') { semi = q; break; }
    if (!semi) {
        if (e - p < REF_MAX) {
            for (cp q = p + 1; q < e; q++)        /* what is there must be able to become one */
                if (!(nclass[*q] || *q == '#')) { bad(s, base, p, INVALID); return -1; }
            return 0;
        }
        bad(s, base, p, INVALID);
        return -1;
    }
    cp a = p + 1;
    size_t len = (size_t)(semi - a);
    if (len > 1 && a[0] == '#') {
        unsigned long u = 0;
        cp q = a + 1;
        int hex = *q == 'x';
        if (hex) q++;
        if (q == semi) { bad(s, base, p, INVALID); return -1; }
        for (; q < semi; q++) {
            unsigned d = *q;
            if (d >= '0' && d <= '9') d -= '0';
            else if (hex && d >= 'a' && d <= 'f') d -= 'a' - 10;
            else if (hex && d >= 'A' && d <= 'F') d -= 'A' - 10;
            else { bad(s, base, p, INVALID); return -1; }
            u = u * (hex ? 16 : 10) + d;
            if (u > 0x10FFFF) u = 0x110000;     /* stays invalid, cannot overflow */
        }
        if (!(u == 0x9 || u == 0xA || u == 0xD || (u >= 0x20 && u <= 0xD7FF) || (u >= 0xE000 && u <= 0xFFFD) ||
              (u >= 0x10000 && u <= 0x10FFFF))) {
            bad(s, base, p, "reference to invalid character number");
            return -1;
        }
        *n = put_utf8(u, out);
        return semi - p + 1;
    }
    static const struct { const char *name; size_t n; char c; } known[] = {
        {"amp", 3, '&'}, {"lt", 2, '<'}, {"gt", 2, '>'}, {"quot", 4, '"'}, {"apos", 4, '\''}};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (len == known[k].n && !memcmp(a, known[k].name, len)) {
            out[0] = known[k].c;
            *n = 1;
            return semi - p + 1;
        }
    int name = len > 0 && (nclass[*a] & 1);
    for (cp q = a; q < semi && name; q++) name = nclass[*q] != 0;
    bad(s, base, p, name ? "undefined entity" : INVALID);
    return -1;
}

static int emit(xss *s, const char *t, size_t n) {
    if (n && s->h.text) {
        int r = s->h.text(s->ud, t, n);
        if (r) s->status = r;
    }
    return s->status;
}

/* A name at p: its end (*local: after its last ':'), NULL when e cuts it or (marked)
 * it is no name. */
static inline __attribute__((always_inline)) cp name_at(xss *s, const char *base, cp p, cp e, cp *local) {
    if (p >= e) return NULL;
    if (!(nclass[*p] & 1)) return bad(s, base, p, INVALID);
    *local = p;
    while (p < e) {
        while (p < e && !nstop[*p]) p++;
        if (p >= e) break;
        unsigned c = *p;
        if (c < 0x80) {
            if (!nclass[c]) return p;
            if (c == ':') *local = p + 1;
            p++;
        } else {
            int k = utf8_len(p, e);
            if (k < 0) return NULL;
            if (k == 0) return bad(s, base, p, INVALID);
            p += k;
        }
    }
    return NULL;
}

static int is_ws(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int grow_attrs(xss *s) {
    int cap = s->acap ? s->acap * 2 : 16;
    if (cap > XSS_ATTRS_MAX) cap = XSS_ATTRS_MAX;
    xss_attr *a = realloc(s->attrs, (size_t)cap * sizeof *a);
    if (a) s->attrs = a;
    qname *q = realloc(s->qn, (size_t)cap * sizeof *q);
    if (q) s->qn = q;
    unsigned char *d = realloc(s->dec, (size_t)cap);
    if (d) s->dec = d;
    if (!a || !q || !d) return -1;
    s->acap = cap;
    return 0;
}

static int by_name(const void *x, const void *y) {
    const qname *a = x, *b = y;
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    return memcmp(a->p, b->p, a->n);
}

/* Attribute value v[0..n) decoded into out (never longer): references replaced, tab,
 * CR, LF as a space (CR LF as one). Its length, or -1 (marked). */
static long decode_value(xss *s, const char *base, cp v, size_t n, char *out) {
    cp e = v + n;
    size_t o = 0;
    while (v < e) {
        if (*v == '&') {
            char u[4];
            int k = 0;
            long len = ref(s, base, v, e, u, &k);
            if (len == 0) bad(s, base, v, INVALID);
            if (len <= 0) return -1;
            memcpy(out + o, u, (size_t)k);
            o += (size_t)k;
            v += len;
        } else if (*v == '\r') {
            out[o++] = ' ';
            v += v + 1 < e && v[1] == '\n' ? 2 : 1;
        } else {
            out[o++] = *v == '\t' || *v == '\n' ? ' ' : (char)*v;
            v++;
        }
    }
    return (long)o;
}

/* A start tag at p ('<' then a name start): past it, or NULL when e cuts it or (marked)
 * it is malformed or a callback stopped. */
static cp start_tag(xss *s, const char *base, cp p, cp e) {
    cp local, q = name_at(s, base, p + 1, e, &local);
    if (!q) return NULL;
    cp name = p + 1;
    size_t nlen = (size_t)(q - name);
    int na = 0, empty = 0, need_dec = 0;
    size_t dec_total = 0;
    for (;;) {
        if (q >= e) return NULL;
        if (*q == '>') { q++; break; }
        if (*q == '/') {
            if (q + 1 >= e) return NULL;
            if (q[1] != '>') return bad(s, base, q, INVALID);
            q += 2;
            empty = 1;
            break;
        }
        if (!is_ws(*q)) return bad(s, base, q, INVALID);
        while (q < e && is_ws(*q)) q++;
        if (q >= e) return NULL;
        if (*q == '>' || *q == '/') continue;
        cp alocal, an = q;
        q = name_at(s, base, q, e, &alocal);
        if (!q) return NULL;
        cp aend = q;
        while (q < e && is_ws(*q)) q++;
        if (q >= e) return NULL;
        if (*q != '=') return bad(s, base, q, INVALID);
        q++;
        while (q < e && is_ws(*q)) q++;
        if (q >= e) return NULL;
        unsigned quote = *q;
        if (quote != '"' && quote != '\'') return bad(s, base, q, INVALID);
        cp v = ++q;
        int dec = 0;
        for (;;) {
            while (q < e && !vstop[*q]) q++;
            if (q >= e) return NULL;
            unsigned c = *q;
            if (c == quote) break;
            if (c >= 0x80) {
                int k = utf8_len(q, e);
                if (k < 0) return NULL;
                if (k == 0) return bad(s, base, q, INVALID);
                q += k;
                continue;
            }
            if (c == '<') return bad(s, base, q, INVALID);
            if (c == '&' || c == '\t' || c == '\n' || c == '\r') dec = 1;
            else if (c < 0x20) return bad(s, base, q, INVALID);
            q++;
        }
        if (na >= s->acap && (na >= XSS_ATTRS_MAX || grow_attrs(s) < 0)) {
            if (na >= XSS_ATTRS_MAX) return bad(s, base, p, "too many attributes on one element");
            s->status = XSS_NOMEM;
            return NULL;
        }
        s->attrs[na].name = (const char *)alocal;
        s->attrs[na].nlen = (size_t)(aend - alocal);
        s->attrs[na].val = (const char *)v;
        s->attrs[na].vlen = (size_t)(q - v);
        s->qn[na].p = (const char *)an;
        s->qn[na].n = (size_t)(aend - an);
        s->dec[na] = (unsigned char)dec;
        if (dec) { need_dec = 1; dec_total += (size_t)(q - v); }
        na++;
        q++;                                   /* the closing quote */
        if (q < e && !is_ws(*q) && *q != '>' && *q != '/') return bad(s, base, q, INVALID);
    }
    /* the tag is whole: check it, then hand it out */
    if (s->root_done) return bad(s, base, p, "junk after document element");
    if (na > 1) {
        if (na <= 16) {
            for (int i = 1; i < na; i++)
                for (int k = 0; k < i; k++)
                    if (s->qn[i].n == s->qn[k].n && s->qn[i].p[0] == s->qn[k].p[0] &&
                        !memcmp(s->qn[i].p, s->qn[k].p, s->qn[i].n))
                        return bad(s, base, p, "duplicate attribute");
        } else {
            if (!s->sorted && !(s->sorted = malloc(XSS_ATTRS_MAX * sizeof *s->sorted))) {
                s->status = XSS_NOMEM;
                return NULL;
            }
            memcpy(s->sorted, s->qn, (size_t)na * sizeof *s->sorted);
            qsort(s->sorted, (size_t)na, sizeof *s->sorted, by_name);
            for (int i = 1; i < na; i++)
                if (!by_name(&s->sorted[i - 1], &s->sorted[i])) return bad(s, base, p, "duplicate attribute");
        }
    }
    if (need_dec) {
        if (dec_total > s->xcap) {
            char *x = realloc(s->scratch, dec_total);
            if (!x) { s->status = XSS_NOMEM; return NULL; }
            s->scratch = x;
            s->xcap = dec_total;
        }
        size_t o = 0;
        for (int i = 0; i < na; i++) {
            if (!s->dec[i]) continue;
            long n = decode_value(s, base, (cp)s->attrs[i].val, s->attrs[i].vlen, s->scratch + o);
            if (n < 0) return NULL;
            s->attrs[i].val = s->scratch + o;
            s->attrs[i].vlen = (size_t)n;
            o += (size_t)n;
        }
    }
    if (!empty) {
        if (s->depth >= XSS_DEPTH_MAX || s->slen + nlen > STACK_MAX)
            return bad(s, base, p, "elements nested too deep");
        if (s->slen + nlen > s->scap) {
            size_t cap = s->scap ? s->scap : 1024;
            while (cap < s->slen + nlen) cap *= 2;
            char *st = realloc(s->stack, cap);
            if (!st) { s->status = XSS_NOMEM; return NULL; }
            s->stack = st;
            s->scap = cap;
        }
        if (nlen <= 16) for (size_t k = 0; k < nlen; k++) s->stack[s->slen + k] = (char)name[k];
        else memcpy(s->stack + s->slen, name, nlen);
        s->soff[s->depth++] = s->slen;
        s->slen += nlen;
    }
    s->root_seen = 1;
    if (s->h.start) {
        int r = s->h.start(s->ud, (const char *)local, (size_t)(name + nlen - local), s->attrs, na);
        if (r) { s->status = r; return NULL; }
    }
    if (empty) {
        if (s->depth == 0) s->root_done = 1;
        if (s->h.end) {
            int r = s->h.end(s->ud, (const char *)local, (size_t)(name + nlen - local));
            if (r) { s->status = r; return NULL; }
        }
    }
    return q;
}

static cp end_tag(xss *s, const char *base, cp p, cp e) {
    if (s->depth > 0) {            /* the common case: "</" the open element's name ">" */
        size_t o = s->soff[s->depth - 1], n = s->slen - o;
        const char *top = s->stack + o;
        if ((size_t)(e - p) > n + 2 && p[2 + n] == '>') {
            size_t k = 0;
            while (k < n && (char)p[2 + k] == top[k]) k++;
            if (k == n) {          /* it was checked as a name when it was pushed */
                while (k > 0 && top[k - 1] != ':') k--;
                s->depth--;
                s->slen = o;
                if (s->depth == 0) s->root_done = 1;
                if (s->h.end) {
                    int r = s->h.end(s->ud, top + k, n - k);
                    if (r) { s->status = r; return NULL; }
                }
                return p + 3 + n;
            }
        }
    }
    cp local, q = name_at(s, base, p + 2, e, &local);
    if (!q) return NULL;
    cp name = p + 2;
    size_t nlen = (size_t)(q - name);
    while (q < e && is_ws(*q)) q++;
    if (q >= e) return NULL;
    if (*q != '>') return bad(s, base, q, INVALID);
    q++;
    if (s->depth == 0) return bad(s, base, p, INVALID);
    size_t o = s->soff[s->depth - 1];
    if (s->slen - o != nlen) return bad(s, base, p, "mismatched tag");
    for (size_t k = 0; k < nlen && k < 16; k++)        /* short names: no call */
        if (s->stack[o + k] != (char)name[k]) return bad(s, base, p, "mismatched tag");
    if (nlen > 16 && memcmp(s->stack + o, name, nlen)) return bad(s, base, p, "mismatched tag");
    s->depth--;
    s->slen = o;
    if (s->depth == 0) s->root_done = 1;
    if (s->h.end) {
        int r = s->h.end(s->ud, (const char *)local, (size_t)(name + nlen - local));
        if (r) { s->status = r; return NULL; }
    }
    return q;
}

/* Markup at p ('<'): past it (or into a comment, PI or CDATA mode), or NULL. */
static cp markup(xss *s, const char *base, cp p, cp e) {
    if (e - p < 2) return NULL;
    if (p[1] == '/') return end_tag(s, base, p, e);
    if (p[1] == '?') {
        cp local, q = name_at(s, base, p + 2, e, &local);
        if (!q) return NULL;
        size_t n = (size_t)(q - (p + 2));
        if (n == 3 && !memcmp(p + 2, "xml", 3)) {
            if (s->any) return bad(s, base, p, "XML or text declaration not at start of entity");
        } else if (n == 3 && (p[2] | 0x20) == 'x' && (p[3] | 0x20) == 'm' && (p[4] | 0x20) == 'l') {
            return bad(s, base, p, INVALID);
        }
        if (q >= e) return NULL;
        if (*q == '?') {                        /* "<?target?>" */
            if (q + 1 >= e) return NULL;
            if (q[1] != '>') return bad(s, base, q, INVALID);
            return q + 2;
        }
        if (!is_ws(*q)) return bad(s, base, q, INVALID);
        s->mode = M_PI;
        s->mstate = 0;
        return q;
    }
    if (p[1] == '!') {
        static const char *const what[] = {"<!--", "<![CDATA[", "<!DOCTYPE"};
        int cut = 0;
        for (int k = 0; k < 3; k++) {
            size_t len = strlen(what[k]), have = (size_t)(e - p) < len ? (size_t)(e - p) : len;
            if (memcmp(p, what[k], have)) continue;
            if (have < len) { cut = 1; continue; }
            if (k == 2) {
                s->status = XSS_DTD;
                s->err_off = (size_t)((const char *)p - base);
                return NULL;
            }
            if (k == 1 && s->depth == 0) return bad(s, base, p, INVALID);
            s->mode = k == 0 ? M_COMMENT : M_CDATA;
            s->mstate = 0;
            return p + len;
        }
        return cut ? NULL : bad(s, base, p, INVALID);
    }
    return start_tag(s, base, p, e);
}

/* Inside a comment, PI or CDATA section: past its end (mode back to text) or e; NULL
 * when e cuts a character there (consumed up to *stop) or on an error. */
static cp in_mode(xss *s, const char *base, cp p, cp e, cp *stop) {
    cp t = p;                                   /* CDATA: text not yet handed out */
    while (p < e) {
        unsigned c = *p;
        if (s->mode == M_CDATA) {
            if (c == ']') {
                if (emit(s, (const char *)t, (size_t)(p - t))) return NULL;
                s->mstate++;
                t = ++p;
                continue;
            }
            if (c == '>' && s->mstate >= 2) {
                static const char br[] = "]]]]]]]]]]]]]]]]";
                for (int k = s->mstate - 2; k > 0; k -= 16)
                    if (emit(s, br, (size_t)(k < 16 ? k : 16))) return NULL;
                s->mode = M_TEXT;
                s->mstate = 0;
                return p + 1;
            }
            if (s->mstate) {
                static const char br[] = "]]]]]]]]]]]]]]]]";
                for (int k = s->mstate; k > 0; k -= 16)
                    if (emit(s, br, (size_t)(k < 16 ? k : 16))) return NULL;
                s->mstate = 0;
            }
            if (c == '\r') {
                if (emit(s, (const char *)t, (size_t)(p - t))) return NULL;
                if (p + 1 >= e) { *stop = p; return NULL; }
                if (emit(s, "\n", 1)) return NULL;
                p += p[1] == '\n' ? 2 : 1;
                t = p;
                continue;
            }
        } else if (s->mode == M_COMMENT) {
            if (s->mstate == 2) {
                if (c != '>') return bad(s, base, p, INVALID);
                s->mode = M_TEXT;
                s->mstate = 0;
                return p + 1;
            }
            s->mstate = c == '-' ? s->mstate + 1 : 0;
        } else {                                 /* PI */
            if (c == '>' && s->mstate) { s->mode = M_TEXT; s->mstate = 0; return p + 1; }
            s->mstate = c == '?';
        }
        if (c >= 0x80) {
            int k = utf8_len(p, e);
            if (k == 0) return bad(s, base, p, INVALID);
            if (k < 0) {
                if (s->mode == M_CDATA && emit(s, (const char *)t, (size_t)(p - t))) return NULL;
                *stop = p;
                return NULL;
            }
            p += k;
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return bad(s, base, p, INVALID);
        p++;
    }
    if (s->mode == M_CDATA && emit(s, (const char *)t, (size_t)(p - t))) return NULL;
    return e;
}

/* Scans buf[0..n): the bytes consumed (whole tokens); s->status set on an error or a
 * callback's stop. */
static size_t scan(xss *s, const char *buf, size_t n) {
    cp p = (cp)buf, e = p + n;
    if (!s->bom_done) {
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        size_t have = n < 3 ? n : 3;
        if (!memcmp(p, bom, have)) {
            if (have < 3) return 0;
            p += 3;
        }
        s->bom_done = 1;
    }
    while (p < e && !s->status) {
        if (s->mode != M_TEXT) {
            cp stop = NULL, q = in_mode(s, buf, p, e, &stop);
            if (!q) return stop && !s->status ? (size_t)((const char *)stop - buf) : (size_t)((const char *)p - buf);
            p = q;
            continue;
        }
        if (s->depth == 0) {                    /* outside the root: white space and markup only */
            cp w = p;
            while (p < e && is_ws(*p)) p++;
            if (p != w) s->any = 1;
            if (p >= e) break;
            if (*p != '<') { bad(s, buf, p, s->root_done ? "junk after document element" : INVALID); break; }
            cp q = markup(s, buf, p, e);
            if (!q) break;
            s->any = 1;
            p = q;
            continue;
        }
        cp t = p;
        for (;;) {
            while (p < e && !tclass[*p]) p++;
            if (p >= e) break;
            unsigned c = *p;
            if (c >= 0x80) {
                int k = utf8_len(p, e);
                if (k > 0) { p += k; continue; }
                if (k == 0) bad(s, buf, p, INVALID);
                break;
            }
            if (c == ']') {
                if (p + 1 < e && p[1] != ']') { p++; continue; }
                if (p + 2 < e && p[2] != '>') { p++; continue; }
                if (p + 2 < e) bad(s, buf, p, INVALID);
                break;
            }
            if (c < 0x20 && c != '\r') bad(s, buf, p, INVALID);
            break;
        }
        if (s->status) break;
        if (emit(s, (const char *)t, (size_t)(p - t))) break;
        if (p >= e) break;
        unsigned c = *p;
        cp q;
        if (c == '<') q = markup(s, buf, p, e);
        else if (c == '&') {
            char u[4];
            int k = 0;
            long len = ref(s, buf, p, e, u, &k);
            if (len <= 0) break;
            if (emit(s, u, (size_t)k)) break;
            q = p + len;
        } else if (c == '\r') {
            if (p + 1 >= e) break;
            if (emit(s, "\n", 1)) break;
            q = p + (p[1] == '\n' ? 2 : 1);
        } else break;                           /* a cut character or "]]" */
        if (!q) break;
        p = q;
    }
    return (size_t)((const char *)p - buf);
}

/* Scans buf[0..n) and counts its lines; the bytes consumed. */
static size_t scan_counted(xss *s, const char *buf, size_t n) {
    size_t c = scan(s, buf, n);
    if (s->status == XSS_MALFORMED || s->status == XSS_DTD)
        s->err_line = s->line + count_nl(buf, s->err_off < n ? s->err_off : n);
    s->line += count_nl(buf, c);
    return c;
}

static void too_long(xss *s) {
    s->status = XSS_MALFORMED;
    s->reason = "a tag longer than 256 KB";
    s->err_line = s->line;
}

static int carry_put(xss *s, const char *p, size_t n) {
    if (s->clen + n > XSS_TAG_MAX) {
        too_long(s);
        return -1;
    }
    if (s->clen + n > s->ccap) {
        size_t cap = s->ccap ? s->ccap : 256;
        while (cap < s->clen + n) cap *= 2;
        char *c = realloc(s->carry, cap);
        if (!c) { s->status = XSS_NOMEM; return -1; }
        s->carry = c;
        s->ccap = cap;
    }
    memcpy(s->carry + s->clen, p, n);
    s->clen += n;
    return 0;
}

int xss_feed(xss *s, const char *buf, size_t n, int last) {
    if (s->status) return s->status;
    size_t off = 0;
    while (s->clen && off < n) {               /* first the token the last chunk cut */
        size_t old = s->clen, want = s->grow ? s->grow : FIRST_GROW;
        size_t add = want < n - off ? want : n - off;
        if (add > XSS_TAG_MAX - old) add = XSS_TAG_MAX - old;
        if (carry_put(s, buf + off, add) < 0) return s->status;
        size_t c = scan_counted(s, s->carry, s->clen);
        if (s->status) return s->status;
        if (c >= old) {                         /* done with it: on in the chunk */
            off += c - old;
            s->clen = 0;
            s->grow = 0;
        } else if (c > 0) {                     /* progress inside the old bytes */
            memmove(s->carry, s->carry + c, old - c);
            s->clen = old - c;
        } else if (s->clen >= XSS_TAG_MAX) {    /* as long as allowed, and still cut */
            too_long(s);
            return s->status;
        } else if (off + add == n) {            /* still cut: keep all, wait for more */
            off = n;
            if (want < XSS_TAG_MAX) s->grow = want * 2;
        } else {
            s->clen = old;                      /* retry with more of the chunk */
            if (want < XSS_TAG_MAX) s->grow = want * 2;
        }
    }
    if (off < n) {
        size_t c = scan_counted(s, buf + off, n - off);
        if (s->status) return s->status;
        if (c < n - off && carry_put(s, buf + off + c, n - off - c) < 0) return s->status;
    }
    if (last && !s->status) {
        if (s->clen) {
            unsigned c = (unsigned char)s->carry[0];
            const char *why = c == '<' || c == '&' ? "unclosed token" : c >= 0x80 ? "partial character" : NULL;
            if (why || s->depth) {
                s->status = XSS_MALFORMED;
                s->reason = why ? why : "no element found";
                s->err_line = s->line;
                return s->status;
            }
        }
        if (s->mode != M_TEXT || !s->root_seen || s->depth) {
            s->status = XSS_MALFORMED;
            s->reason = s->mode != M_TEXT ? "unclosed token" : "no element found";
            s->err_line = s->line;
        }
    }
    return s->status;
}
