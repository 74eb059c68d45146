/* fuzz_cells.c — libFuzzer harness for the importer's cell parsers alone (imp_cells.h).
 *
 * Input: byte 0 picks the parser, the rest is the cell (made NUL-terminated).
 * Besides the sanitizers, it checks properties every accepted cell must have:
 * a date is a real ISO date (or date-time) that parses back to itself; an integer
 * printed and parsed again is the same integer; a decimal is finite; a fold fits its
 * buffer and says its length; trimming never grows a cell. Any violation aborts.
 *
 * imp_cells.h takes cells "as read from the file (UTF-8)": the importer validates UTF-8
 * before any parser runs, so inputs that are not valid UTF-8 are skipped here. Build with
 * -DFUZZ_CELLS_ANY_BYTES to feed raw bytes anyway (imp_fold once over-read a cell that
 * ends inside a multibyte sequence, e.g. "60\xff\xff": see docs/reliability.md). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_cells.h"
#include "imp_encoding.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_cells: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

static void check_date(const char *cell, int allow_time) {
    imp_date d, again;
    const char *why = NULL;
    if (imp_parse_date(cell, allow_time, &d, &why) != 0) { REQUIRE(why != NULL); return; }
    size_t n = strlen(d.text);
    REQUIRE(n == 10 || (allow_time && n == 19));
    int y, m, dd;
    REQUIRE(sscanf(d.text, "%4d-%2d-%2d", &y, &m, &dd) == 3);
    REQUIRE(imp_ymd_ok(y, m, dd));
    if (n == 19) {
        int hh, mm, ss;
        REQUIRE(sscanf(d.text + 10, " %2d:%2d:%2d", &hh, &mm, &ss) == 3);
        REQUIRE(hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60);
    }
    REQUIRE(imp_parse_date(d.text, allow_time, &again, &why) == 0);
    REQUIRE(!strcmp(d.text, again.text));
    (void)imp_date_days(&d);
}

static void check_int(const char *cell) {
    long long v, again;
    const char *why = NULL;
    if (imp_parse_int(cell, &v, &why) != 0) { REQUIRE(why != NULL); return; }
    char text[32];
    snprintf(text, sizeof text, "%lld", v);
    REQUIRE(imp_parse_int(text, &again, &why) == 0);
    REQUIRE(again == v);
}

static void check_decimal(const char *cell) {
    double v;
    const char *why = NULL;
    if (imp_parse_decimal(cell, &v, &why) != 0) { REQUIRE(why != NULL); return; }
    REQUIRE(isfinite(v));
}

static void check_bool(const char *cell) {
    int v = -1;
    const char *why = NULL;
    if (imp_parse_bool(cell, &v, &why) != 0) { REQUIRE(why != NULL); return; }
    REQUIRE(v == 0 || v == 1);
}

static void check_fold(const char *cell, size_t len) {
    char out[IMP_CELL_MAX];
    int n = imp_fold(cell, out, sizeof out);
    if (n < 0) return;
    REQUIRE((size_t)n < sizeof out);
    REQUIRE(strlen(out) == (size_t)n);
    (void)len;
}

static void check_trim(char *cell, size_t len) {
    int empty = imp_cell_empty(cell);
    char *t = imp_trim(cell);
    REQUIRE(strlen(t) <= len);
    REQUIRE(empty == (*t == '\0'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t len = size - 1;
    char *cell = malloc(len + 1);
    if (!cell) return 0;
    memcpy(cell, data + 1, len);
    cell[len] = '\0';
    len = strlen(cell);              /* a NUL inside ends the cell, as in a C string */
#ifndef FUZZ_CELLS_ANY_BYTES
    if (!yj_utf8_valid(cell, len)) { free(cell); return 0; }
#endif
    switch (data[0] % 7) {
    case 0: check_date(cell, 0); break;
    case 1: check_date(cell, 1); break;
    case 2: check_int(cell); break;
    case 3: check_decimal(cell); break;
    case 4: check_bool(cell); break;
    case 5: check_fold(cell, len); break;
    default: check_trim(cell, len); break;
    }
    free(cell);
    return 0;
}
