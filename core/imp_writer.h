/* imp_writer.h — storing rows that do not come from a CSV file (the test fixture of
 * `yingji test`; later other sources) through the importer's own path: each cell
 * converted and checked by its column (imp_row.c), units and sectors resolved
 * (imp_resolve.c), defaults and the derived level filled in, then stored like an
 * imported row (imp_store.c: side tables, duplicates).
 *
 * Errors: functions return 0 / a handle, or -1 / NULL with the reason in the caller's
 * buffer err[0..cap). Warnings (a given accident level that differs from the figures)
 * are not reported: the row is stored as given. */
#ifndef YJ_IMP_WRITER_H
#define YJ_IMP_WRITER_H

#include <sqlite3.h>
#include <stddef.h>

#include "dataset.h"

typedef struct imp_writer imp_writer;

/* A writer of rows of ds into db, each row's batch being batch (an imports row that
 * exists). The caller holds a transaction open on db while it writes rows (a row
 * outside one is refused). Loads the units and sectors of db as they are now: a
 * dataset's rows may name only units stored before the writer was made. Caller frees
 * the writer with imp_writer_free. */
imp_writer *imp_writer_new(sqlite3 *db, const imp_dataset *ds, long long batch, char *err,
                           size_t cap);

/* Stores one row: cells[i] is the text of ds->cols[i] (as a CSV cell would give it),
 * or NULL when the row has no such column. 0, or -1 with the row's errors
 * ("column: reason; ...") in err; a row with errors stores nothing. */
int imp_writer_row(imp_writer *w, const char *const *cells, char *err, size_t cap);

void imp_writer_free(imp_writer *w);

#endif
