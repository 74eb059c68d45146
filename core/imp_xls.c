/* imp_xls.c — .xls workbooks through libfreexl (see imp_xls.h): each row's cells read
 * into one row buffer and handed to the same callback as the .xlsx reader's. */
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "imp_xls.h"
#include "utf8.h"

struct imp_xls {
    const void *h;
    unsigned int nsheets;
};

static int fail(char *err, size_t cap, const char *what, int rc) {
    snprintf(err, cap, _("%s (libfreexl error %d)"), gettext(what), rc);
    return -1;
}

imp_xls *imp_xls_open(int fd, char *err, size_t cap) {
    imp_xls *x = calloc(1, sizeof *x);
    if (!x) { snprintf(err, cap, _("out of memory")); return NULL; }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int rc = freexl_open(path, &x->h);
    if (rc != FREEXL_OK) {
        fail(err, cap, "not a readable .xls workbook (corrupt, encrypted or not BIFF)", rc);
        imp_xls_free(x);
        return NULL;
    }
    if ((rc = freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &x->nsheets)) != FREEXL_OK || !x->nsheets) {
        if (rc == FREEXL_OK) snprintf(err, cap, _("the workbook has no sheets"));
        else fail(err, cap, "cannot read the workbook's sheets", rc);
        imp_xls_free(x);
        return NULL;
    }
    if (x->nsheets > 65535) x->nsheets = 65535;
    return x;
}

void imp_xls_free(imp_xls *x) {
    if (!x) return;
    if (x->h) freexl_close(x->h);
    free(x);
}

int imp_xls_sheets(const imp_xls *x) { return (int)x->nsheets; }

const char *imp_xls_sheet_name(const imp_xls *x, int i) {
    const char *name = NULL;
    if (i < 0 || (unsigned)i >= x->nsheets ||
        freexl_get_worksheet_name(x->h, (unsigned short)i, &name) != FREEXL_OK || !name)
        return "?";
    return name;
}

int imp_xls_read(imp_xls *x, int i, imp_xlsx_row_fn fn, void *arg, char *err, size_t cap,
                 long *erow, int *ecol) {
    *erow = 0;
    *ecol = 0;
    int rc = freexl_select_active_worksheet(x->h, (unsigned short)i);
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (rc != FREEXL_OK || (rc = freexl_worksheet_dimensions(x->h, &rows, &cols)) != FREEXL_OK)
        return fail(err, cap, "cannot read the sheet", rc);
    if (cols > IMP_XLSX_MAX_COLS) cols = IMP_XLSX_MAX_COLS;     /* BIFF8 has 256 */
    char *buf = NULL;
    size_t cap_b = 0;
    size_t off[IMP_XLSX_MAX_COLS];
    const char *cells[IMP_XLSX_MAX_COLS];
    int kinds[IMP_XLSX_MAX_COLS] = {0};
    int status = 0;
    for (unsigned int r = 0; r < rows && !status; r++) {
        size_t len = 0;
        int ncols = 0;
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            if ((rc = freexl_get_cell_value(x->h, r, c, &v)) != FREEXL_OK) {
                *erow = (long)r + 1;
                *ecol = c + 1;
                status = fail(err, cap, "cannot read the cell", rc);
                break;
            }
            char num[64];
            const char *t = "";
            switch (v.type) {
            case FREEXL_CELL_INT: snprintf(num, sizeof num, "%d", v.value.int_value); t = num; break;
            case FREEXL_CELL_DOUBLE: imp_xlsx_number(v.value.double_value, num, sizeof num); t = num; break;
            case FREEXL_CELL_TEXT: case FREEXL_CELL_SST_TEXT: case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME: case FREEXL_CELL_TIME:
                t = v.value.text_value ? v.value.text_value : "";
                /* midnight is a date, as the .xlsx reader gives it */
                if (v.type == FREEXL_CELL_DATETIME && strlen(t) == 19 && !strcmp(t + 10, " 00:00:00")) {
                    snprintf(num, sizeof num, "%.10s", t);
                    t = num;
                }
                break;
            default: break;
            }
            size_t n = strlen(t);
            if (n > IMP_XLSX_MAX_CELL || !yj_utf8_valid(t, n)) {
                *erow = (long)r + 1;
                *ecol = c + 1;
                snprintf(err, cap, n > IMP_XLSX_MAX_CELL ? _("a cell longer than %d bytes") : _("a cell that is not "
                         "valid text (after %d bytes)"), n > IMP_XLSX_MAX_CELL ? IMP_XLSX_MAX_CELL : 0);
                status = -1;
                break;
            }
            if (len + n + 1 > cap_b) {
                size_t nc = cap_b ? cap_b : 4096;
                while (nc < len + n + 1) nc *= 2;
                char *p = realloc(buf, nc);
                if (!p) { status = -1; snprintf(err, cap, _("out of memory")); break; }
                buf = p;
                cap_b = nc;
            }
            memcpy(buf + len, t, n + 1);
            off[c] = len;
            len += n + 1;
            if (n) ncols = c + 1;
        }
        if (status || !ncols) continue;
        for (int c = 0; c < ncols; c++) cells[c] = buf + off[c];
        if (fn(arg, (long)r + 1, ncols, cells, kinds)) break;
    }
    free(buf);
    return status;
}
