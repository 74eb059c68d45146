/* xlsx_cat.c — prints every sheet of a workbook as yingji's own reader (core/imp_xlsx.c)
 * sees it: "# SHEET", then each row as CSV (cells quoted only when they must be; empty
 * rows skipped, as the importer does; a row shorter than the sheet's first, its header,
 * padded with empty cells as a CSV writer would write them). For the round-trip test (tests/e2e/
 * xlsx_roundtrip.sh: scores written by `run --format xlsx` read back through the
 * importer's reader) and for timing the reader alone (bench/bench_xlsx.sh).
 *
 * usage: xlsx_cat [--no-merges] [--count] FILE.xlsx
 *   --count      print only the number of rows of each sheet
 * Exit 0, or 2 with the reader's error on stderr (FILE:SHEET!CELL: reason). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imp_xlsx.h"

typedef struct { int count; long rows; int width; } cat;

static void field(const char *s) {
    if (!s[strcspn(s, ",\"\r\n")] && *s != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int row(void *arg, long r, int ncols, const char *const *cells, const int *kinds) {
    (void)r; (void)kinds;
    cat *c = arg;
    if (!c->rows++) c->width = ncols;
    if (c->count) return 0;
    for (int k = 0; k < ncols || k < c->width; k++) {
        if (k) putchar(',');
        field(k < ncols ? cells[k] : "");
    }
    putchar('\n');
    return 0;
}

int main(int argc, char **argv) {
    int merges = 1, count = 0, a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "--no-merges")) merges = 0;
        else if (!strcmp(argv[a], "--count")) count = 1;
        else break;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: xlsx_cat [--no-merges] [--count] FILE.xlsx\n");
        return 1;
    }
    const char *path = argv[a];
    char err[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); return 2; }
    imp_xlsx *x = imp_xlsx_open_fd(fd, err, sizeof err);
    close(fd);
    if (!x) { fprintf(stderr, "%s: %s\n", path, err); return 2; }
    int rc = 0;
    for (int i = 0; i < imp_xlsx_sheets(x) && !rc; i++) {
        cat c = {count, 0, 0};
        if (!count) printf("# %s\n", imp_xlsx_sheet_name(x, i));
        if (imp_xlsx_read(x, i, merges, row, &c, err, sizeof err) < 0) {
            long r;
            int col;
            char cell[16];
            imp_xlsx_error_cell(x, &r, &col);
            imp_xlsx_cell_name(col, r, cell, sizeof cell);
            fprintf(stderr, "%s:%s!%s: %s\n", path, imp_xlsx_sheet_name(x, i), cell, err);
            rc = 2;
        } else if (count) {
            printf("%s %ld\n", imp_xlsx_sheet_name(x, i), c.rows);
        }
    }
    imp_xlsx_free(x);
    return rc;
}
