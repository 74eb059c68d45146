/* xlsx_sheet_scan.h — a small streaming XML scanner for the big parts of an .xlsx
 * workbook (the worksheets and the shared strings), in place of expat on the import's
 * hot path (core/imp_xlsx.c). It checks what a well-formed document needs (tags nest and
 * match, attributes quoted and not repeated, UTF-8 valid, XML characters only, entity and
 * character references known and valid) and hands out elements, attributes and text;
 * namespace prefixes ("x:c") are stripped from the names it hands out, as imp_xlsx.c
 * did with expat's names.
 *
 * Security: input arrives in chunks of any size (a token may be split anywhere: the
 * part of it already seen is kept, bounded by XSS_TAG_MAX); nesting is bounded by
 * XSS_DEPTH_MAX, attributes per element by XSS_ATTRS_MAX; nothing recurses; a DTD is
 * refused (XSS_DTD), so no entity can be declared; only the five predefined entities and
 * character references are known. Reads stay inside the chunk given.
 *
 * Deliberate differences from expat: names are checked as ASCII name characters or any
 * valid UTF-8 above U+007F (expat knows the XML name tables); the XML declaration is
 * accepted at the start without checking its pseudo-attributes (the encoding is always
 * UTF-8 here, as imp_xlsx.c told expat).
 *
 * Memory: the scanner owns its buffers; the names, attributes and text it hands to the
 * callbacks are valid only during the call. */
#ifndef YJ_XLSX_SHEET_SCAN_H
#define YJ_XLSX_SHEET_SCAN_H

#include <stddef.h>

enum {
    XSS_TAG_MAX = 256 << 10,      /* bytes of one tag (or a split token) */
    XSS_DEPTH_MAX = 256,          /* elements open at once */
    XSS_ATTRS_MAX = 512           /* attributes of one element */
};

/* An attribute: its local name (prefix stripped) and its value, references decoded and
 * white space normalised; neither is NUL-terminated. */
typedef struct {
    const char *name;
    size_t nlen;
    const char *val;
    size_t vlen;
} xss_attr;

/* The callbacks: 0 to go on; anything else stops the scan, and xss_feed returns it. The
 * names are local names (not NUL-terminated). A self-closing element gives start and end.
 * Text comes in pieces (split at references, chunk ends and CDATA), only inside the root
 * element. Any callback may be NULL. */
typedef struct {
    int (*start)(void *ud, const char *name, size_t n, const xss_attr *a, int na);
    int (*end)(void *ud, const char *name, size_t n);
    int (*text)(void *ud, const char *t, size_t n);
} xss_handlers;

enum { XSS_OK = 0, XSS_MALFORMED = -2, XSS_DTD = -3, XSS_NOMEM = -4 };

typedef struct xss xss;

/* A scanner for one document; NULL when out of memory. Freed with xss_free. */
xss *xss_new(const xss_handlers *h, void *ud);
void xss_free(xss *s);

/* Feeds the next n bytes of the document; last = 1 with the final ones (n may be 0).
 * Returns 0, a callback's non-zero value (the scan stops there), XSS_MALFORMED (reason
 * in xss_reason, line in xss_line), XSS_DTD (a DOCTYPE) or XSS_NOMEM. Once it has
 * returned non-zero, it returns the same again. */
int xss_feed(xss *s, const char *buf, size_t n, int last);

/* Why the document is malformed ("mismatched tag"; English, like expat's reasons), and
 * on which 1-based line. */
const char *xss_reason(const xss *s);
unsigned long xss_line(const xss *s);

#endif
