/* fuzz_xlsx.c — libFuzzer harness for the workbook reader (imp_xlsx.h): the input is a
 * zip opened from memory; every sheet is read with its merged areas filled.
 *
 * Besides the sanitizers it checks what the importer relies on: a row has at most
 * IMP_XLSX_MAX_COLS cells, rows come in increasing order within the sheet's limits,
 * every cell is valid UTF-8 (expat's output) no longer than IMP_XLSX_MAX_CELL bytes, its
 * kind is one of IMP_XCELL_*, and an error names a cell inside the sheet or none. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_xlsx.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_xlsx: property failed: %s (line %d)\n", #cond, __LINE__); abort(); } } while (0)

typedef struct { long last; long rows; } seen;

static int row(void *arg, long r, int ncols, const char *const *cells, const int *kinds) {
    seen *s = arg;
    REQUIRE(r > s->last && r <= IMP_XLSX_SHEET_ROWS);
    REQUIRE(ncols >= 1 && ncols <= IMP_XLSX_MAX_COLS);
    for (int k = 0; k < ncols; k++) {
        size_t n = strlen(cells[k]);
        REQUIRE(n <= IMP_XLSX_MAX_CELL);
        REQUIRE(yj_utf8_valid(cells[k], n));
        REQUIRE(kinds[k] >= IMP_XCELL_VALUE && kinds[k] <= IMP_XCELL_NO_CACHE);
    }
    s->last = r;
    return ++s->rows > 100000;      /* enough: the rest is the same code */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[512];
    imp_xlsx *x = imp_xlsx_open_mem(data, size, err, sizeof err);
    if (!x) { REQUIRE(err[0]); return 0; }
    for (int i = 0; i < imp_xlsx_sheets(x); i++) {
        REQUIRE(imp_xlsx_sheet_name(x, i) != NULL);
        seen s = {0, 0};
        if (imp_xlsx_read(x, i, 1, row, &s, err, sizeof err) < 0) {
            long r;
            int c;
            imp_xlsx_error_cell(x, &r, &c);
            REQUIRE(err[0]);
            REQUIRE(r >= 0 && r <= IMP_XLSX_SHEET_ROWS && c >= 0 && c <= IMP_XLSX_SHEET_COLS);
        }
    }
    imp_xlsx_free(x);
    return 0;
}
