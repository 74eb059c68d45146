/* test_json.c — json_format_number (util/json.c): its fast path for figures of up to four
 * decimal places gives exactly the text of the general path (the shortest of "%.15g",
 * "%.16g", "%.17g" that reads back), checked against that path written out here, on
 * chosen edge values and on millions of generated ones. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

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

int main(void) {
    test_edges();
    test_generated();
    return check_failures() != 0;
}
