/* imp_xls.h — a reader of .xls workbooks (BIFF, Excel 97–2003) through libfreexl (in a
 * child process of its own, xls_child.h: libfreexl crashes on some damaged files), giving
 * rows the way the .xlsx reader does (imp_xlsx.h: the same row callback, the same texts:
 * numbers in their shortest form, dates as 'YYYY-MM-DD[ HH:MM:SS]'). libfreexl reads
 * the whole file (an .xls is at most 65,536 rows by 256 columns). It does not give merged
 * areas: imp_xls.c reads them from the file's MERGEDCELLS records (files up to 256 MB;
 * the Workbook stream in regular sectors or, for a small one, in the mini stream) and
 * fills every cell an area covers with its top-left cell's value, as the .xlsx reader
 * does. A file it cannot follow to them is read without them (or without those it
 * could not read), and imp_xls_merges_lost says why, for the caller's warning. A sheet's
 * records may hold nested substreams (an embedded chart), stepped over to the sheet's own
 * EOF; libfreexl, which gives up on such a sheet, reads a copy of the file in which their
 * records are of a type it steps over (imp_xls.c: unnested_copy), in an unlinked
 * temporary file; where no copy can be made and libfreexl refuses the file,
 * imp_xls_open names the sheet.
 * A workbook holding a text libfreexl would misread (xls_sst.h: a text longer than two
 * of its records, say) is refused at open, before libfreexl reads it.
 * A chart sheet reads as empty; a sheet whose cells libfreexl lost (when another sheet
 * has no DIMENSION record) is an error, not an empty sheet.
 * Errors: 0 / a handle, or -1 / NULL with the reason in the caller's buffer; nothing
 * printed. */
#ifndef YJ_IMP_XLS_H
#define YJ_IMP_XLS_H

#include <stddef.h>

#include "imp_xlsx.h"

typedef struct imp_xls imp_xls;

/* Opens the .xls open as fd (read through /proc/self/fd: the file the caller checked),
 * its reader's child process started. The caller frees it with imp_xls_free, which ends
 * and reaps the child; SIGCHLD is the default from open to free. */
imp_xls *imp_xls_open(int fd, char *err, size_t cap);
void imp_xls_free(imp_xls *x);
int imp_xls_sheets(const imp_xls *x);
const char *imp_xls_sheet_name(const imp_xls *x, int i);
/* Reads sheet i (0-based) row by row into fn (1-based rows as in Excel); merged cells
 * filled when merges is 1; no rows for a chart sheet. 0, or -1 with the reason in err and its cell in *erow, *ecol
 * (0 when none). A read stopped by fn leaves the child ready for the next; once the child
 * has ended (crashed, out of time, killed), every read fails with the reason. */
int imp_xls_read(imp_xls *x, int i, int merges, imp_xlsx_row_fn fn, void *arg, char *err, size_t cap,
                 long *erow, int *ecol);
/* After imp_xls_read with merges: NULL when the sheet's merged areas were all read, else
 * why not (a translated static string): cells those areas cover were read empty. */
const char *imp_xls_merges_lost(const imp_xls *x);
/* Whether the workbook's texts went unchecked: the Workbook stream could not be read
 * (imp_xls_merges_lost then says why), so the texts libfreexl misreads (longer than
 * 8,175 characters) could not be looked for before it read them. */
int imp_xls_texts_unchecked(const imp_xls *x);

/* A merged area, 0-based rows and columns, inclusive. */
typedef struct { unsigned r1, r2, c1, c2; } imp_xls_merge;
/* The merged areas of sheet i (0-based: the i-th BOUNDSHEET record of nsheets) in the
 * BIFF Workbook stream wb, len bytes (the caller's; only read), sorted by first row,
 * into *out (malloc'd; the caller frees; NULL after an error) and *n. When the records
 * cannot be followed to them (or only partly), *why says so (a translated static
 * string; the caller warns) and the areas read so far are kept: 0 all the same. -1 only
 * when memory runs out for the areas or there are too many (the reason in err). */
int imp_xls_stream_merges(const unsigned char *wb, size_t len, int i, int nsheets, imp_xls_merge **out,
                          size_t *n, const char **why, char *err, size_t cap);

#endif
