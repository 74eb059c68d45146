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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/xss_events.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_xlsx_scan: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

static void utf8_ok(const char *p, size_t n) { REQUIRE(yj_utf8_valid(p, n)); }

/* Scans doc (cut by the generator seeded with seed; 0: whole) into l; the result. */
static int run(const char *doc, size_t n, unsigned seed, logbuf *l) {
    memset(l, 0, sizeof *l);
    l->check = utf8_ok;
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
    logbuf e;
    char why_expat[128];
    int ok = run_expat(doc, n, &e, why_expat, sizeof why_expat);
    int lax = 0;
    for (size_t k = 0; k < n && !lax; k++)
        lax = (unsigned char)doc[k] >= 0x80 || (n - k >= 5 && !memcmp(doc + k, "<?xml", 5));
    if (ok && r == 0) {
        if (strcmp(whole.buf, e.buf)) {
            fprintf(stderr, "scanner: %s\nexpat:   %s\n", whole.buf, e.buf);
            REQUIRE(!"scanner and expat give different events");
        }
    } else if (ok) {
        REQUIRE(r == XSS_MALFORMED);
        const char *why = strrchr(whole.buf, '=');
        REQUIRE(strstr(why, "nested too deep") || strstr(why, "a tag longer than") ||
                strstr(why, "too many attributes"));
    } else if (r == 0) {
        if (!lax) fprintf(stderr, "expat: %s\n", why_expat);
        REQUIRE(lax);
    }
    log_free(&e);
    log_free(&whole);
    log_free(&cut);
    return 0;
}
