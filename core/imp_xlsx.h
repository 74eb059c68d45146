/* imp_xlsx.h — a streaming reader of .xlsx workbooks (Office Open XML spreadsheets) for
 * the importer: libzip for the container, one row at a time; the worksheets and the
 * shared strings are scanned by core/xlsx_sheet_scan.c, the small parts parsed by expat.
 *
 * It knows nothing of datasets: it gives each row of a sheet as text cells, the way a
 * CSV file would give them (numbers in their shortest form, date-formatted numbers as
 * 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS', booleans as 1/0, shared, inline and rich-text
 * strings as their text, formulas by their cached value), plus a kind per cell that
 * says when the cell is an error value (#N/A) or a formula without a cached value.
 * Cells merged over an area give every covered cell the value of the area's first.
 *
 * Hostile input is bounded: the zip's entries are capped in uncompressed size (each
 * and in total) and in compression ratio, counted as they are inflated (the sizes a zip
 * declares are not trusted); XML with a DTD (and so any entity declaration) is refused;
 * cell references outside the sheet, a value past IMP_XLSX_MAX_COLS columns, an overlong
 * cell and a shared-strings table over its cap are errors.
 *
 * Errors: 0 / a handle, or -1 / NULL with the reason in the caller's buffer
 * (err[0..cap)); nothing is printed. */
#ifndef YJ_IMP_XLSX_H
#define YJ_IMP_XLSX_H

#include <stddef.h>

enum {
    IMP_XLSX_MAX_COLS = 256,                     /* columns a row may have values in */
    IMP_XLSX_MAX_CELL = 64 * 1024,               /* bytes of one cell's text */
    IMP_XLSX_SHEET_ROWS = 1048576,               /* the sheet's limits (Excel's) */
    IMP_XLSX_SHEET_COLS = 16384
};

/* The kind of a cell. */
enum { IMP_XCELL_VALUE = 0, IMP_XCELL_ERROR, IMP_XCELL_NO_CACHE };

typedef struct imp_xlsx imp_xlsx;

/* One row: cells[0..ncols) are the texts of columns A.. ("" when empty), kinds[] their
 * kinds; row is the sheet's 1-based row number. The arrays belong to the reader and are
 * valid during the call. Returns 0 to go on, 1 to stop reading (not an error). */
typedef int (*imp_xlsx_row_fn)(void *arg, long row, int ncols, const char *const *cells,
                               const int *kinds);

/* Opens a workbook from the file descriptor fd (dup'ed: the caller keeps its own) or
 * from memory (buf must outlive the handle). Reads the sheet list, the shared strings
 * and the styles. The caller frees the handle with imp_xlsx_free. */
imp_xlsx *imp_xlsx_open_fd(int fd, char *err, size_t cap);
imp_xlsx *imp_xlsx_open_mem(const void *buf, size_t len, char *err, size_t cap);
void imp_xlsx_free(imp_xlsx *x);

int imp_xlsx_sheets(const imp_xlsx *x);
const char *imp_xlsx_sheet_name(const imp_xlsx *x, int i);

/* Reads sheet i (0-based) row by row into fn; merged cells filled when merges is 1
 * (which reads the sheet twice). 0, or -1 with the reason in err (which names the cell
 * where there is one, "E12: ...").
 * merges IMP_XLSX_MERGES_AHEAD: as 1 on a small sheet; on a large one (imp_xlsx_ahead)
 * the rows are read as if there were no merged areas, which the read meets at the
 * sheet's end (or a thread of their own finds sooner: imp_xlsx_need_verdict). The rows given out, and the result, are then those of merges 1,
 * unless the function returns IMP_XLSX_RESTART: a merged area covered a row already
 * given out (or the search failed): the caller must drop what it did with the rows and
 * read again with merges 1. The verdict (restart or not) is told to the function set by
 * imp_xlsx_on_verdict, on any thread, as soon as it is known (on a small sheet: at
 * once). */
enum { IMP_XLSX_MERGES_AHEAD = 2, IMP_XLSX_RESTART = 2 };
int imp_xlsx_read(imp_xlsx *x, int i, int merges, imp_xlsx_row_fn fn, void *arg, char *err,
                  size_t cap);
/* 1 when sheet i would be read ahead of its merged areas: its part is 8 MB or more
 * (uncompressed; the environment's YINGJI_XLSX_AHEAD_FROM, in bytes, says otherwise:
 * for tests) and a second handle on the workbook can be made. */
int imp_xlsx_ahead(imp_xlsx *x, int i);
/* A large sheet's verdict comes from the main pass itself when it reaches the sheet's
 * end without having started the areas' thread (it meets the areas there); the thread
 * starts early when cells are written empty in the first rows (merged cells), and when
 * the read stops before the end. imp_xlsx_need_verdict starts it now, from any thread,
 * for a reporter that cannot wait for the end (imp_hold.c): 1, or 0 when it cannot
 * start (the verdict is then "read again"; the function is not told). */
int imp_xlsx_need_verdict(imp_xlsx *x);
typedef void (*imp_xlsx_verdict_fn)(void *arg, int restart);
void imp_xlsx_on_verdict(imp_xlsx *x, imp_xlsx_verdict_fn fn, void *arg);
/* The merged areas a read ahead found before it ended in IMP_XLSX_RESTART (all of them,
 * read without an error), so that the read again need not inflate the sheet once more
 * to find them: imp_xlsx_take_areas hands them out of x after that read (NULL when it
 * kept none; the caller owns them), imp_xlsx_give_areas gives them to the handle of the
 * next attempt before its read (which then owns them: a read with merges 1 of the same
 * sheet takes them instead of its first pass, counting the bytes that pass inflated),
 * imp_xlsx_areas_free frees unused ones (NULL is fine). */
typedef struct imp_xlsx_areas imp_xlsx_areas;
imp_xlsx_areas *imp_xlsx_take_areas(imp_xlsx *x);
void imp_xlsx_give_areas(imp_xlsx *x, imp_xlsx_areas *a);
void imp_xlsx_areas_free(imp_xlsx_areas *a);

/* Where the last error of imp_xlsx_read was: row and column (1-based; 0 when the
 * error is not about one row or column). */
void imp_xlsx_error_cell(const imp_xlsx *x, long *row, int *col);

/* A number as a cell gives it: an integer without a fraction, else the shortest of
 * %.15g and %.17g that reads back the same. */
void imp_xlsx_number(double d, char *out, size_t cap);

/* "E12" for 1-based column 5 and row 12 (cap >= 16). */
void imp_xlsx_cell_name(int col, long row, char *out, size_t cap);

#endif
