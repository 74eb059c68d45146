/* test_json.c — json_format_number (util/json.c): its fast path for figures of up to four
 * decimal places gives exactly the text of the general path (the shortest of "%.15g",
 * "%.16g", "%.17g" that reads back), checked against that path written out here, on
 * chosen edge values and on millions of generated ones; json_string, which copies runs of
 * plain bytes at once, against its byte-at-a-time form. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "strbuf.h"
#include "utf8.h"

/* The general path alone: what json_format_number printed before its fast path. */
static char *reference(double v, char *buf) {
    if (isnan(v)) { strcpy(buf, "nan"); return buf; }
    if (isinf(v)) { strcpy(buf, v < 0 ? "-inf" : "inf"); return buf; }
    if (v == 0) { strcpy(buf, "0"); return buf; }
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(buf, 32, "%lld", (long long)v);
        return buf;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

/* A deterministic generator (xorshift64*), so a failure repeats. */
static uint64_t state = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void) {
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 2685821657736338717ULL;
}

static int same(double v, long *bad) {
    char a[32], b[32];
    reference(v, a);
    json_format_number(v, b);
    if (strcmp(a, b) == 0) return 1;
    if ((*bad)++ < 5) printf("# %.17g: general path %s, json_format_number %s\n", v, a, b);
    return 0;
}

static void test_edges(void) {
    static const double v[] = {
        12.3, -66.7, 0.05, 0.1, 0.2 + 0.1, 1.0 / 3, 97.5, -0.5, 3.14159, 1234.5678, 0.0001,
        -0.0001, 0.00011, 0.000099, 9.9999e-5, 1e-4 * 3, 999999999999999.9, 99999999999999.99,
        9999999999999.999, 999999999999.9999, 123456789012.3456, 1e14 + 0.5, 1e15 - 0.5,
        1e15 + 0.5, 4503599627370495.5, 0.30000000000000004, 5e-324, 1e-300, 1.7976931348623157e308,
        2.675, 1.005, 0.015, 8.125, -8.125, 0.0625, 1e20, 1.5e16, 6.02214076e23, 100.25, 66.65};
    long bad = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) same(v[i], &bad);
    CHECK(bad == 0, "edge values: the same text as the general path (%ld differ)", bad);
}

static void test_generated(void) {
    long bad = 0, n = 0;
    for (int i = 0; i < 300000; i++, n++) {
        uint64_t r = next();
        double v;
        switch (i % 5) {
        case 0:   /* d decimal places of a random integer, any sign: the fast path's values */
            v = (double)((int64_t)(r >> 11) % 2000000000LL - 1000000000LL) / pow(10, (double)(r % 7));
            break;
        case 1:   /* large ones near the 1e15 bound */
            v = (double)(r >> 14) / pow(10, (double)(r % 5)) * ((r & 1) ? 1 : -1);
            break;
        case 2: { /* any bit pattern */
            memcpy(&v, &r, sizeof v);
            break;
        }
        case 3:   /* percentages as the scripts round them */
            v = round((double)(r % 2000001) - 1000000.0) / 10.0;
            break;
        default:  /* small ones near the 1e-4 bound */
            v = (double)(r % 100000) * 1e-8 * pow(10, (double)(r % 6));
            break;
        }
        same(v, &bad);
    }
    CHECK(bad == 0, "%ld generated values: the same text as the general path (%ld differ)", n, bad);
}

/* The fast path's decision boundaries: decimals of 1 to 5 places at every magnitude up to
 * 1e19 (5 places and 16 digits are not the fast path's), the doubles 1 to 3 ulps either side
 * of them, the midpoints x.xxxx5 between two decimals and their neighbours, and the sums,
 * differences, products and quotients of figures as scripts compute them (0.1 + 0.2). */
static void test_boundaries(void) {
    static const double p10[] = {1, 10, 100, 1000, 10000, 100000};
    static const double e[] = {
        -0.0, 9999.99995, 99999.99995, -0.00001, 0.99999, 1.99995, 0.00005, 0.00015, 0.000149999,
        99999999999.99995, 99999999999.9999, 9999999999.99999, 2.2250738585072014e-308,
        1.0000000000000002, 1.1 * 1.1, 100.0 / 3, 2.0 / 3, 1e14 + 0.25, 1e14 + 0.125, 1e11 + 0.0625,
        5e10 + 0.00005};
    long bad = 0, n = 0;
    for (size_t i = 0; i < sizeof e / sizeof e[0]; i++, n++) same(e[i], &bad);
    double lim[] = {1e-4, 1e15};
    for (int i = 0; i < 2; i++) {
        double u = lim[i], w = lim[i];
        for (int j = 0; j < 8; j++, n += 2) {
            u = nextafter(u, INFINITY), w = nextafter(w, 0);
            same(u, &bad), same(-w, &bad);
        }
    }
    for (int i = 0; i < 50000; i++) {
        uint64_t r = next();
        int d = (int)(r % 6), mag = (int)((r >> 3) % 20);
        double top = pow(10, mag);
        uint64_t k = next() % (uint64_t)(top > 1e18 ? 1e18 : top + 1);
        double v = (double)k / p10[d];
        if ((r >> 60) & 1) v = -v;
        double u = v, w = v, mid = ((double)k + 0.5) / p10[d];
        same(v, &bad), n++;
        for (int j = 0; j < 3; j++, n += 2) {
            u = nextafter(u, INFINITY), w = nextafter(w, -INFINITY);
            same(u, &bad), same(w, &bad);
        }
        same(mid, &bad), same(nextafter(mid, 0), &bad), same(nextafter(mid, INFINITY), &bad), n += 3;
        double a = (double)(next() % 100000) / 100, b = (double)(next() % 100000) / 1000;
        same(a + b, &bad), same(a - b, &bad), same(a * b, &bad), same(a / (b + 1), &bad);
        same(round(a * b * 100) / 100, &bad), n += 5;
    }
    CHECK(bad == 0, "%ld values at the fast path's boundaries: the same text as the general path (%ld differ)",
          n, bad);
}

/* json_string as it was written first, one byte (or UTF-8 sequence) per put: the text
 * json_string must still give now that it copies runs of plain bytes at once. */
static void string_reference(strbuf *b, const char *s, size_t len) {
    strbuf_put(b, "\"", 1);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { strbuf_puts(b, c == '"' ? "\\\"" : "\\\\"); i++; continue; }
        if (c < 0x20) {
            switch (c) {
            case '\n': strbuf_puts(b, "\\n"); break;
            case '\r': strbuf_puts(b, "\\r"); break;
            case '\t': strbuf_puts(b, "\\t"); break;
            default: strbuf_printf(b, "\\u%04x", c); break;
            }
            i++;
            continue;
        }
        if (c < 0x80) { strbuf_put(b, s + i, 1); i++; continue; }
        size_t n = yj_utf8_seq_len(s + i, len - i);
        if (n) { strbuf_put(b, s + i, n); i += n; }
        else { strbuf_puts(b, "\xEF\xBF\xBD"); i++; }
    }
    strbuf_put(b, "\"", 1);
}

static int same_string(const char *s, size_t len, long *bad) {
    strbuf a = {0}, b = {0};
    string_reference(&a, s, len);
    json_string(&b, s, len);
    int ok = !a.err && !b.err && a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
    if (!ok && (*bad)++ < 5) printf("# json_string differs on a string of %zu bytes: %s / %s\n", len, a.p, b.p);
    strbuf_free(&a);
    strbuf_free(&b);
    return ok;
}

/* json_string: escapes, control bytes, UTF-8 (valid, cut short, overlong, stray
 * continuation bytes) at the start, middle and end of a string, and generated strings
 * drawn from those pieces: the same text as the byte-at-a-time reference. */
static void test_strings(void) {
    static const char *piece[] = {
        "", "a", "plain ascii", "\"", "\\", "\n", "\r", "\t", "\x01", "\x1f", "\x7f", " ",
        "石桥镇", "\xE7\x9F", "\xC0\xAF", "\x80", "\xFF", "\xF0\x9F\x98\x80", "\xED\xA0\x80", "1.5%", "\\u0000"};
    size_t np = sizeof piece / sizeof piece[0];
    long bad = 0, n = 0;
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < np; j++)
            for (size_t k = 0; k < np; k++, n++) {
                char buf[64];
                int m = snprintf(buf, sizeof buf, "%s%s%s", piece[i], piece[j], piece[k]);
                same_string(buf, (size_t)m, &bad);
            }
    same_string("a\0b\0", 4, &bad), n++;        /* embedded NUL bytes */
    for (int i = 0; i < 20000; i++, n++) {
        char buf[256];
        size_t len = 0, parts = next() % 12;
        for (size_t p = 0; p < parts; p++) {
            uint64_t r = next();
            if (r & 1) buf[len++] = (char)(r >> 8);   /* any byte */
            else {
                const char *q = piece[(r >> 8) % np];
                size_t l = strlen(q);
                memcpy(buf + len, q, l);
                len += l;
            }
        }
        same_string(buf, len, &bad);
    }
    CHECK(bad == 0, "%ld strings: json_string gives the reference's text (%ld differ)", n, bad);
}

int main(void) {
    test_edges();
    test_generated();
    test_boundaries();
    test_strings();
    return check_failures() != 0;
}
