/* imp_columns.h — matching a file's header cells to a dataset's columns (canonical
 * name or Chinese alias, with a money unit suffix such as "(万元)" deciding the scale),
 * and the codes of choice columns. The datasets themselves: dataset.h. */
#ifndef YJ_IMP_COLUMNS_H
#define YJ_IMP_COLUMNS_H

#include "dataset.h"

/* Index of the column that header names (trimmed, case-insensitive, bracketed unit
 * suffix removed), or -1. *scale is the factor to apply to the cell values. */
int imp_header_match(const imp_dataset *ds, const char *header, double *scale);

/* The stored code of a choice word of an IMP_ENUM column, copied into out (cap bytes);
 * 0, or -1 when word is not a choice. */
int imp_enum_code(const imp_column *c, const char *word, char *out, int cap);

/* imp_row.c: the words of an IMP_PERIOD cell and the period each means (the list ends
 * with {NULL, NULL}); YYYY-MM and YYYY/MM name a month. */
extern const char *const imp_period_words[][2];

#endif
