/* fuzz_xlsx_scan.c — libFuzzer harness for the streaming XML scanner of the .xlsx reader
 * (core/xlsx_sheet_scan.c). Byte 0 of the input chooses how the rest, an XML document,
 * is cut into chunks (sizes from a small generator it seeds); the document is scanned
 * whole and cut.
 *
 * Besides the sanitizers it checks: the whole and the cut scans give the same result
 * (reason and line), and for a well-formed document the same events (a token cut
 * anywhere is read the same); every name, attribute and
 * text handed out is valid UTF-8; and against expat: when both accept the document they
 * give the same events (local names, decoded attributes, text joined between markup);
 * when only expat accepts, the scanner refused on one of its caps; when only the scanner
 * accepts, the document has a byte above 0x7F or an XML declaration (the two places
 * where it is knowingly less strict than expat: non-ASCII name characters, the
 * declaration's pseudo-attributes). */
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xlsx_sheet_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_xlsx_scan: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

typedef struct {
    char *buf;
    size_t len, cap;
    char *text;
    size_t tlen, tcap;
} logbuf;

static void put(char **b, size_t *len, size_t *cap, const char *p, size_t n) {
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < *len + n + 1) c *= 2;
        char *q = realloc(*b, c);
        REQUIRE(q);
        *b = q;
        *cap = c;
    }
    memcpy(*b + *len, p, n);
    *len += n;
    (*b)[*len] = '\0';
}

static void logs(logbuf *l, const char *p, size_t n) { put(&l->buf, &l->len, &l->cap, p, n); }

static void flush_text(logbuf *l) {
    if (!l->tlen) return;
    logs(l, "[", 1);
    logs(l, l->text, l->tlen);
    logs(l, "]", 1);
    l->tlen = 0;
}

static void log_free(logbuf *l) { free(l->buf); free(l->text); }

static int s_start(void *ud, const char *n, size_t len, const xss_attr *a, int na) {
    logbuf *l = ud;
    REQUIRE(yj_utf8_valid(n, len));
    flush_text(l);
    logs(l, "<", 1);
    logs(l, n, len);
    for (int k = 0; k < na; k++) {
        REQUIRE(yj_utf8_valid(a[k].name, a[k].nlen) && yj_utf8_valid(a[k].val, a[k].vlen));
        logs(l, " ", 1);
        logs(l, a[k].name, a[k].nlen);
        logs(l, "=", 1);
        logs(l, a[k].val, a[k].vlen);
    }
    logs(l, ">", 1);
    return 0;
}

static int s_end(void *ud, const char *n, size_t len) {
    logbuf *l = ud;
    REQUIRE(yj_utf8_valid(n, len));
    flush_text(l);
    logs(l, "</", 2);
    logs(l, n, len);
    logs(l, ">", 1);
    return 0;
}

static int s_text(void *ud, const char *t, size_t n) {
    logbuf *l = ud;
    REQUIRE(n > 0);
    put(&l->text, &l->tlen, &l->tcap, t, n);
    return 0;
}

/* Scans doc (cut by the generator seeded with seed; 0: whole) into l; the result. */
static int run(const char *doc, size_t n, unsigned seed, logbuf *l) {
    memset(l, 0, sizeof *l);
    xss_handlers h = {s_start, s_end, s_text};
    xss *s = xss_new(&h, l);
    REQUIRE(s);
    int r = 0;
    if (!seed) r = xss_feed(s, doc, n, 1);
    else {
        unsigned x = seed * 2654435761u + 1;
        for (size_t o = 0; o < n && !r;) {
            x = x * 1103515245u + 12345u;
            size_t c = (x >> 16) % (seed & 1 ? 4 : 300) + 1;
            if (c > n - o) c = n - o;
            r = xss_feed(s, doc + o, c, 0);
            o += c;
        }
        if (!r) r = xss_feed(s, "", 0, 1);
    }
    flush_text(l);
    char tail[256];
    snprintf(tail, sizeof tail, "=%d %s %lu", r, r == XSS_MALFORMED ? xss_reason(s) : "",
             r == XSS_MALFORMED || r == XSS_DTD ? xss_line(s) : 0UL);
    logs(l, tail, strlen(tail));
    xss_free(s);
    return r;
}

typedef struct {
    logbuf l;
    XML_Parser p;
} exp_log;

static const char *local(const char *n) {
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

static void e_start(void *ud, const XML_Char *el, const XML_Char **a) {
    exp_log *e = ud;
    flush_text(&e->l);
    logs(&e->l, "<", 1);
    logs(&e->l, local(el), strlen(local(el)));
    for (; a[0]; a += 2) {
        logs(&e->l, " ", 1);
        logs(&e->l, local(a[0]), strlen(local(a[0])));
        logs(&e->l, "=", 1);
        logs(&e->l, a[1], strlen(a[1]));
    }
    logs(&e->l, ">", 1);
}

static void e_end(void *ud, const XML_Char *el) {
    exp_log *e = ud;
    flush_text(&e->l);
    logs(&e->l, "</", 2);
    logs(&e->l, local(el), strlen(local(el)));
    logs(&e->l, ">", 1);
}

static void e_text(void *ud, const XML_Char *t, int n) {
    exp_log *e = ud;
    put(&e->l.text, &e->l.tlen, &e->l.tcap, t, (size_t)n);
}

static void e_doctype(void *ud, const XML_Char *n, const XML_Char *s, const XML_Char *p, int i) {
    (void)n; (void)s; (void)p; (void)i;
    XML_StopParser(((exp_log *)ud)->p, XML_FALSE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned seed = data[0] | 1u << 8;
    const char *doc = (const char *)data + 1;
    size_t n = size - 1;
    logbuf whole, cut;
    int r = run(doc, n, 0, &whole);
    run(doc, n, seed, &cut);
    /* after an error the events before it may differ by a text piece (a run handed out at
     * a chunk's end, or not before the error): the result must not */
    if (r == 0 ? strcmp(whole.buf, cut.buf) != 0 : strcmp(strrchr(whole.buf, '='), strrchr(cut.buf, '=')) != 0) {
        fprintf(stderr, "whole: %s\ncut:   %s\n", whole.buf, cut.buf);
        REQUIRE(!"whole and cut scans differ");
    }
    exp_log e;
    memset(&e, 0, sizeof e);
    e.p = XML_ParserCreate("UTF-8");
    REQUIRE(e.p);
    XML_SetUserData(e.p, &e);
    XML_SetElementHandler(e.p, e_start, e_end);
    XML_SetCharacterDataHandler(e.p, e_text);
    XML_SetStartDoctypeDeclHandler(e.p, e_doctype);
    XML_SetParamEntityParsing(e.p, XML_PARAM_ENTITY_PARSING_NEVER);
    int ok = XML_Parse(e.p, doc, (int)n, 1) == XML_STATUS_OK;
    flush_text(&e.l);
    logs(&e.l, "=0  0", 5);
    int lax = 0;
    for (size_t k = 0; k < n && !lax; k++)
        lax = (unsigned char)doc[k] >= 0x80 || (n - k >= 5 && !memcmp(doc + k, "<?xml", 5));
    if (ok && r == 0) {
        if (strcmp(whole.buf, e.l.buf)) {
            fprintf(stderr, "scanner: %s\nexpat:   %s\n", whole.buf, e.l.buf);
            REQUIRE(!"scanner and expat give different events");
        }
    } else if (ok) {
        REQUIRE(r == XSS_MALFORMED);
        const char *why = strrchr(whole.buf, '=');
        REQUIRE(strstr(why, "nested too deep") || strstr(why, "a tag longer than") ||
                strstr(why, "too many attributes"));
    } else if (r == 0) {
        if (!lax) fprintf(stderr, "expat: %s\n", XML_ErrorString(XML_GetErrorCode(e.p)));
        REQUIRE(lax);
    }
    XML_ParserFree(e.p);
    log_free(&e.l);
    log_free(&whole);
    log_free(&cut);
    return 0;
}
