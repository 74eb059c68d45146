/* imp_cells.h — parsers for the cells of an imported CSV (shared/spec/data.md "Cell formats").
 *
 * Every parser takes a NUL-terminated cell as read from the file (UTF-8), trims it
 * (ASCII blanks, U+3000, U+00A0), folds full-width digits and signs to ASCII, and
 * either fills its output and returns 0, or returns -1 and sets *why to a static
 * English reason. An empty cell is reported by imp_cell_empty(); the parsers refuse it. */
#ifndef YJ_IMP_CELLS_H
#define YJ_IMP_CELLS_H

#include <stddef.h>

#include "calendar.h"

/* Longest normalised cell the numeric and date parsers look at. */
enum { IMP_CELL_MAX = 64 };

/* An ISO date 'YYYY-MM-DD' (10 chars) or date-time 'YYYY-MM-DD HH:MM:SS' (19) + NUL. */
typedef struct { char text[20]; } imp_date;

/* Trims s in place (returns the start inside s; the end is NUL-terminated again). */
char *imp_trim(char *s);

/* True when the cell is empty after trimming (without modifying it). */
int imp_cell_empty(const char *s);

/* Copies s into out (cap bytes) trimmed, with full-width digits, letters, signs, '.',
 * ',' ':' '/' and the ideographic space folded to ASCII. Returns the length, or -1 when
 * the result does not fit. */
int imp_fold(const char *s, char *out, size_t cap);

/* Integers: optional sign, digits with optional ',' thousands groups, an optional
 * all-zero fraction ("3.0"). */
int imp_parse_int(const char *s, long long *out, const char **why);

/* Decimals: as integers plus a fraction and an optional exponent. Finite only. */
int imp_parse_decimal(const char *s, double *out, const char **why);

/* Booleans: 是/否 Y/N yes/no 1/0 true/false 有/无 (ASCII case-insensitive). */
int imp_parse_bool(const char *s, int *out, const char **why);
/* The words imp_parse_bool reads as yes and as no (NULL-terminated; ASCII ones in any
 * case, full-width forms folded): the data dictionary lists them (cmd_list.c). */
extern const char *const imp_bool_yes[], *const imp_bool_no[];

/* Dates: 2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日, 20200305, Excel serial (1900
 * system; serial 60, the fictitious 1900-02-29, is refused), each optionally followed
 * by ' ' or 'T' and H:MM or H:MM:SS (or a serial's fraction of a day).
 * allow_time: 1 keeps a time when given; 0 accepts only a midnight time and drops it. */
int imp_parse_date(const char *s, int allow_time, imp_date *out, const char **why);

/* Days since 1970-01-01 of a valid ISO date prefix, for comparisons. */
long imp_date_days(const imp_date *d);

/* The years a date or year cell may name; the calendar itself is calendar.h. */
enum { IMP_YEAR_MIN = 1900, IMP_YEAR_MAX = 2100 };
static inline int imp_ymd_ok(int y, int m, int d) {
    return y >= IMP_YEAR_MIN && y <= IMP_YEAR_MAX && yj_date_valid(y, m, d);
}

#endif
