/* table_diff.h — the one keyed diff of two versions of a published table: `yingji
 * compare` (two schemes over the same data) and `yingji verify` (the frozen tables
 * against a re-run) both use it, so that their reports read alike:
 *     scores T07: score 72.52 → 57.52; grade 合格 → 不合格
 *
 * Rows are matched by their key (one or more columns, by name). The n-th row of the old
 * table with a key is paired with the n-th row of the new table with the same key (so a
 * key repeated on both sides pairs in order; tdiff_row.occurrence tells the repeats
 * apart); a row left without a partner is only old or only new. Columns are matched by
 * name, so a reordered column is the same column; columns on one side only are listed
 * (tdiff.only_old_cols / only_new_cols) and not compared.
 *
 * Cells: NULL equals NULL only; text equals text of the same bytes; a number equals a
 * number of the same value (an integer and a real too: 1 = 1.0), never text ("1" is not
 * 1); booleans equal booleans. Tolerance: with opts.decimals < 0 (verify) numbers are
 * equal only when exactly equal; with decimals = d >= 0 (compare: 6) they are equal when
 * their difference rounded to d decimals is 0, and the delta reported is that rounded
 * difference (52.03 − 50.76 gives 1.27, not 1.2700000000000031). A delta is given
 * whenever both cells of a change are numbers: new − old.
 *
 * Keys are compared by their text (tdiff_value_text of each key cell, joined): the
 * integer 7 and the text "7" are one key.
 *
 * Memory: tdiff_tables fills a tdiff the caller frees with tdiff_free; it borrows
 * nothing from the tables after returning (column names are copied). The formatting
 * helpers append to the caller's strbuf (its sticky err flag says out of memory).
 * Errors (core's convention): 0, or -1 with the reason in the caller's buffer. */
#ifndef YJ_TABLE_DIFF_H
#define YJ_TABLE_DIFF_H

#include <stddef.h>

#include "script.h"
#include "strbuf.h"

typedef struct {
    const char *const *key;   /* the key columns, by name (borrowed) */
    size_t nkey;              /* >= 1 */
    const char *const *cols;  /* the columns compared (NULL: every column both tables */
    size_t ncols;             /* have, the key excepted, in the old table's order) */
    int decimals;             /* < 0: numbers exactly; >= 0: see the top of the file */
} tdiff_opts;

typedef enum { TDIFF_SAME, TDIFF_CHANGED, TDIFF_ONLY_OLD, TDIFF_ONLY_NEW } tdiff_kind;

/* One changed cell. */
typedef struct {
    size_t col;               /* index into tdiff.cols */
    int has_delta;            /* both cells are numbers */
    double delta;             /* new − old (rounded as opts.decimals says) */
} tdiff_cell;

typedef struct {
    tdiff_kind kind;
    long old_row, new_row;    /* row indices; -1 on the side the row is missing from */
    size_t occurrence;        /* 0: the first row with its key on its side; 1: the second... */
    tdiff_cell *cells;        /* the changed cells (TDIFF_CHANGED), in column order */
    size_t ncells;
} tdiff_row;

typedef struct {
    /* The old table's rows in its order (paired or only old), then the rows only in the
     * new table in its order. */
    tdiff_row *rows;
    size_t nrows;
    size_t same, changed, only_old, only_new;
    int reordered;            /* the paired rows come in another order in the new table */
    /* Columns: the key's and the compared ones, by name, with their index on each side. */
    char **cols;
    size_t ncols;
    size_t *col_old, *col_new;
    size_t nkey;              /* cols[0..nkey-1] are the key */
    char **only_old_cols, **only_new_cols;   /* by name, in their table's order */
    size_t nonly_old_cols, nonly_new_cols;
} tdiff;

/* Compares table ta of a (old) with table tb of b (new). Returns 0 with *d filled (free
 * it with tdiff_free), or -1 with the reason in err (a key column missing on a side, out
 * of memory); *d is then empty. */
int tdiff_tables(const yj_results *a, size_t ta, const yj_results *b, size_t tb,
                 const tdiff_opts *o, tdiff *d, char *err, size_t errlen);
void tdiff_free(tdiff *d);

/* The fewest leading columns (1..max, at most the table's columns) whose values are
 * distinct over the rows of table t: a table's natural key when the caller knows none
 * (scores: the unit; items: the unit and the item). max when none is. */
size_t tdiff_guess_key(const yj_results *r, size_t t, size_t max);

/* The change of row (TDIFF_CHANGED) in the column named col, or NULL. */
const tdiff_cell *tdiff_change(const tdiff *d, const tdiff_row *row, const char *col);

/* A cell as the reports print it: text as is, numbers as the writers print them
 * (yj_format_number), true/false, and null. */
void tdiff_value_text(strbuf *b, yj_value v);

/* The key of row: its key cells joined by spaces ("T06 B4"). */
void tdiff_key_text(strbuf *b, const tdiff *d, const tdiff_row *row, const yj_results *a,
                    size_t ta, const yj_results *bb, size_t tb);

/* One changed cell: "score 95 → 100". */
void tdiff_cell_text(strbuf *b, const tdiff *d, const tdiff_row *row, const tdiff_cell *c,
                     const yj_results *a, size_t ta, const yj_results *bb, size_t tb);

/* The changes of row, "score 95 → 100; rank 6 → 4" (nothing when it has none). */
void tdiff_changes_text(strbuf *b, const tdiff *d, const tdiff_row *row, const yj_results *a,
                        size_t ta, const yj_results *bb, size_t tb);

/* The report line of row: "NAME KEY: CHANGES" for a changed row ("scores T06: score 95 →
 * 100; rank 6 → 4"), "NAME KEY: only in OLD_SIDE" / "only in NEW_SIDE" for a row on one
 * side; a repeated key is followed by its occurrence ("T06 (#2)"). No newline. */
void tdiff_row_text(strbuf *b, const char *name, const tdiff *d, const tdiff_row *row,
                    const yj_results *a, size_t ta, const yj_results *bb, size_t tb,
                    const char *old_side, const char *new_side);

#endif
