/* test_xlsx_scan.c — the streaming XML scanner of the .xlsx reader (core/xlsx_sheet_scan.c):
 * every document fed whole, a byte at a time, and split in two at every offset gives the
 * same events and the same result; well-formed documents give the events expat gives
 * (local names, decoded attributes, text joined between markup); malformed ones are
 * refused (as expat refuses them) with the same reason and line however they are split;
 * a DTD is refused; the caps hold. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xss_events.h"

/* Scans doc in chunks of chunk bytes (0: whole; split > 0: two chunks, split there).
 * The log gets the events and then "=RESULT reason line". */
static void run(const char *doc, size_t n, size_t chunk, size_t split, int stop_at, logbuf *l) {
    memset(l, 0, sizeof *l);
    l->stop_at = stop_at;
    xss_handlers h = {s_start, s_end, s_text};
    xss *s = xss_new(&h, l);
    int r = 0;
    if (split) {
        r = xss_feed(s, doc, split, 0);
        if (!r) r = xss_feed(s, doc + split, n - split, 1);
    } else if (chunk) {
        for (size_t o = 0; o < n && !r; o += chunk)
            r = xss_feed(s, doc + o, n - o < chunk ? n - o : chunk, 0);
        if (!r) r = xss_feed(s, "", 0, 1);
    } else {
        r = xss_feed(s, doc, n, 1);
    }
    flush_text(l);
    char tail[256];
    snprintf(tail, sizeof tail, "=%d %s %lu", r, r == XSS_MALFORMED ? xss_reason(s) : "",
             r == XSS_MALFORMED || r == XSS_DTD ? xss_line(s) : 0UL);
    logs(l, tail, strlen(tail));
    xss_free(s);
}

/* Whole, 1-byte and 3-byte chunks, and every two-way split: one log. */
static int same_every_split(const char *doc, size_t n, logbuf *whole) {
    run(doc, n, 0, 0, 0, whole);
    int same = 1;
    logbuf l;
    for (size_t c = 1; c <= 3 && same; c += 2) {
        run(doc, n, c, 0, 0, &l);
        if (strcmp(l.buf, whole->buf)) {
            printf("# %zu-byte chunks:\n#  %s\n# whole:\n#  %s\n", c, l.buf, whole->buf);
            same = 0;
        }
        log_free(&l);
    }
    for (size_t k = 1; k < n && same; k++) {
        run(doc, n, 0, k, 0, &l);
        if (strcmp(l.buf, whole->buf)) {
            printf("# split at %zu:\n#  %s\n# whole:\n#  %s\n", k, l.buf, whole->buf);
            same = 0;
        }
        log_free(&l);
    }
    return same;
}

static void good(const char *what, const char *doc) {
    size_t n = strlen(doc);
    logbuf w, e;
    CHECK(same_every_split(doc, n, &w), "%s: the same events however it is split", what);
    run_expat(doc, n, &e, NULL, 0);
    CHECK_STR(w.buf, e.buf, "%s: the events expat gives", what);
    log_free(&w);
    log_free(&e);
}

/* A malformed document: refused with reason why on line line, however split, and by expat. */
static void bad(const char *what, const char *doc, size_t n, const char *why, unsigned long line) {
    logbuf w, e;
    CHECK(same_every_split(doc, n, &w), "%s: the same result however it is split", what);
    char want[256];
    snprintf(want, sizeof want, "=%d %s %lu", XSS_MALFORMED, why, line);
    const char *tail = strrchr(w.buf, '=');
    CHECK_STR(tail, want, "%s: refused", what);
    run_expat(doc, n, &e, NULL, 0);
    CHECK(strstr(e.buf, "=ERR ") != NULL, "%s: expat refuses it too (%s)", what, strrchr(e.buf, '='));
    log_free(&w);
    log_free(&e);
}

#define BAD(what, doc, why, line) bad(what, doc, sizeof(doc) - 1, why, line)

static const char SHEET[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
    "<!-- made by hand - with a comment -->"
    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r='r&amp;s'>"
    "<x:sheetData>\n"
    "<x:row r=\"1\" spans=\"1:9\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" s=\"3\"><x:v>43900.5</x:v></x:c>"
    "<x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\"> a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; </x:t></x:is></x:c>"
    "<x:c r=\"D1\" t=\"inlineStr\"><x:is><x:r><x:rPr><x:b/></x:rPr><x:t>青山</x:t></x:r><x:r><x:t>镇&#20013;&#x4E2D;&#x1F600;</x:t></x:r>"
    "<x:rPh sb=\"0\" eb=\"1\"><x:t>qing</x:t></x:rPh></x:is></x:c>"
    "<x:c r=\"E1\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"F1\" t=\"e\"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>"
    "<x:c r=\"G1\"><x:v>-1.5E-7</x:v></x:c><x:c r=\"H1\"/><x:c r=\"I1\" t=\"str\"><x:f>\"a\"&amp;\"b\"</x:f><x:v><![CDATA[<a>]]b]]]]></x:v></x:c>"
    "</x:row>\r\n<x:row r=\"3\"><x:c r=\"A3\" t=\"inlineStr\"><x:is><x:t>line1\r\nline2\rline3&#13;&#10;</x:t></x:is></x:c></x:row>"
    "<?pi some ? data?></x:sheetData>"
    "<mergeCells count=\"1\"><mergeCell ref=\"A1:B2\" note=\"tab\there&#9;nl\nx\r\ny\"/></mergeCells>"
    "</x:worksheet>\n<!-- trailing -->\n";

int main(void) {
    good("a worksheet with entities, references, rich text, CDATA, CRLF, prefixes", SHEET);
    good("a shared-strings part", "<sst count=\"2\"><si><t>a</t></si><si><r><t>b</t></r><r><t>c</t></r></si></sst>");
    good("empty elements and single quotes", "<a b='1' c=\"2\"/>");
    good("white space around attributes and in end tags", "<a  b = \"1\"\n\tc='&#x41;'  ><b /></a >");
    good("a CDATA section of brackets", "<a><![CDATA[]]]]]></a>");
    good("text of ']' and '>'", "<a>]>]] >a]b]]</a>");

    BAD("mismatched end tag", "<a><b></a>", "mismatched tag", 1);
    BAD("mismatched prefix", "<x:a></y:a>", "mismatched tag", 1);
    BAD("an error's line", "<a>\n\n<b>\n</a>", "mismatched tag", 4);
    BAD("no root", "  ", "no element found", 1);
    BAD("unclosed element", "<a><b></b>", "no element found", 1);
    BAD("unclosed tag", "<a><b r=\"1", "unclosed token", 1);
    BAD("text after the root", "<a/>x", "junk after document element", 1);
    BAD("a second root", "<a/><b/>", "junk after document element", 1);
    BAD("duplicate attribute", "<a b=\"1\" b=\"2\"/>", "duplicate attribute", 1);
    BAD("duplicate attribute among many",
        "<a a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9='' a10='' a11='' a12='' a13='' a14='' a15='' "
        "a16='' a17='' a9=''/>", "duplicate attribute", 1);
    BAD("unquoted attribute", "<a b=1/>", "not well-formed (invalid token)", 1);
    BAD("'<' in an attribute", "<a b=\"<\"/>", "not well-formed (invalid token)", 1);
    BAD("attributes not separated", "<a b=\"1\"c=\"2\"/>", "not well-formed (invalid token)", 1);
    BAD("an undefined entity", "<a>&nbsp;</a>", "undefined entity", 1);
    BAD("an undefined entity in an attribute", "<a b=\"&nbsp;\"/>", "undefined entity", 1);
    BAD("a bare '&'", "<a>a & b</a>", "not well-formed (invalid token)", 1);
    BAD("&#0;", "<a>&#0;</a>", "reference to invalid character number", 1);
    BAD("&#1;", "<a>&#1;</a>", "reference to invalid character number", 1);
    BAD("a surrogate reference", "<a>&#xD800;</a>", "reference to invalid character number", 1);
    BAD("&#xFFFE;", "<a>&#xFFFE;</a>", "reference to invalid character number", 1);
    BAD("past U+10FFFF", "<a>&#x110000;</a>", "reference to invalid character number", 1);
    BAD("a reference too big for any integer", "<a>&#99999999999999999999;</a>", "reference to invalid character number", 1);
    BAD("a reference with no digits", "<a>&#x;</a>", "not well-formed (invalid token)", 1);
    BAD("a control character", "<a>\x01</a>", "not well-formed (invalid token)", 1);
    BAD("a control character in an attribute", "<a b=\"\x02\"/>", "not well-formed (invalid token)", 1);
    BAD("invalid UTF-8", "<a>\xFF</a>", "not well-formed (invalid token)", 1);
    BAD("overlong UTF-8", "<a>\xC0\x80</a>", "not well-formed (invalid token)", 1);
    BAD("an encoded surrogate", "<a>\xED\xA0\x80</a>", "not well-formed (invalid token)", 1);
    BAD("U+FFFF", "<a>\xEF\xBF\xBF</a>", "not well-formed (invalid token)", 1);
    BAD("invalid UTF-8 in a name", "<a\xC3(/>", "not well-formed (invalid token)", 1);
    BAD("invalid UTF-8 in an attribute", "<a b=\"\xE4\xB8\"/>", "not well-formed (invalid token)", 1);
    BAD("a cut character at the end", "<a>\xE4\xB8", "partial character", 1);
    BAD("]]> in text", "<a>]]></a>", "not well-formed (invalid token)", 1);
    BAD("-- in a comment", "<a><!-- a -- b --></a>", "not well-formed (invalid token)", 1);
    BAD("an unclosed comment", "<a/><!-- a", "unclosed token", 1);
    BAD("CDATA outside the root", "<![CDATA[x]]><a/>", "not well-formed (invalid token)", 1);
    BAD("an unknown declaration", "<a><!ELEMENT a ANY></a>", "not well-formed (invalid token)", 1);
    BAD("an XML declaration not at the start", " <?xml version=\"1.0\"?><a/>",
        "XML or text declaration not at start of entity", 1);
    BAD("an end tag with no start", "</a>", "not well-formed (invalid token)", 1);
    BAD("a PI target followed by '?' and no '>'", "<a><?pi? ></a>", "not well-formed (invalid token)", 1);
    good("a PI with no data", "<a><?pi?><?pi ?></a>");

    /* a DTD, however split */
    {
        static const char dtd[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"xx\">]><a>&x;</a>";
        logbuf w;
        CHECK(same_every_split(dtd, sizeof dtd - 1, &w), "a DTD: the same result however split");
        char want[64];
        snprintf(want, sizeof want, "=%d  2", XSS_DTD);
        CHECK_STR(w.buf, want, "a DTD: refused before anything is handed out, on line 2");
        log_free(&w);
    }
    /* the caps */
    {
        size_t n = 0;
        char *doc = malloc(XSS_DEPTH_MAX * 8 + 64);
        for (int k = 0; k <= XSS_DEPTH_MAX; k++) { memcpy(doc + n, "<a>", 3); n += 3; }
        logbuf l;
        run(doc, n, 7, 0, 0, &l);
        CHECK(strstr(l.buf, "elements nested too deep") != NULL, "more than %d open elements: refused", XSS_DEPTH_MAX);
        log_free(&l);
        free(doc);

        size_t big = XSS_TAG_MAX + 100;
        doc = malloc(big + 16);
        memcpy(doc, "<a b=\"", 6);
        memset(doc + 6, 'x', big);
        memcpy(doc + 6 + big, "\"/>", 3);
        run(doc, big + 9, 65536, 0, 0, &l);
        CHECK(strstr(l.buf, "a tag longer than 256 KB") != NULL, "a tag over %d bytes: refused", XSS_TAG_MAX);
        log_free(&l);
        /* just under the cap, cut into 64 KB chunks: read */
        memcpy(doc + XSS_TAG_MAX - 1000, "\"/>", 3);
        run(doc, XSS_TAG_MAX - 997, 65536, 0, 0, &l);
        CHECK(strstr(l.buf, "=0 ") != NULL, "a tag just under the cap, over several chunks: read");
        log_free(&l);
        free(doc);

        /* a tag of exactly the cap, then one byte more, each starting mid-chunk */
        for (int extra = 0; extra <= 1; extra++) {
            size_t tag = XSS_TAG_MAX + (size_t)extra;
            doc = malloc(tag + 2000);
            memcpy(doc, "<r>", 3);
            memset(doc + 3, ' ', 1000);
            memcpy(doc + 1003, "<a b=\"", 6);
            memset(doc + 1009, 'y', tag - 9);
            memcpy(doc + 1000 + tag, "\"/></r>", 7);
            run(doc, 1007 + tag, 65536, 0, 0, &l);
            if (extra) CHECK(strstr(l.buf, "a tag longer than 256 KB") != NULL, "a tag of the cap + 1 byte: refused");
            else CHECK(strstr(l.buf, "=0 ") != NULL, "a tag of exactly the cap, across 64 KB chunks: read");
            log_free(&l);
            free(doc);
        }

        doc = malloc(16 * (XSS_ATTRS_MAX + 2) + 16);
        n = 0;
        doc[n++] = '<'; doc[n++] = 'a';
        for (int k = 0; k <= XSS_ATTRS_MAX; k++) n += (size_t)sprintf(doc + n, " a%d=''", k);
        memcpy(doc + n, "/>", 2);
        n += 2;
        run(doc, n, 0, 0, 0, &l);
        CHECK(strstr(l.buf, "too many attributes on one element") != NULL, "more than %d attributes: refused",
              XSS_ATTRS_MAX);
        log_free(&l);
        free(doc);
    }
    /* a callback that stops: the scan stops there, and stays stopped */
    {
        logbuf l;
        run(SHEET, sizeof SHEET - 1, 5, 0, 3, &l);
        CHECK(strstr(l.buf, "=1 ") != NULL && !strstr(l.buf, "<c"), "a callback's stop ends the scan");
        log_free(&l);
    }
    return check_failures() != 0;
}
