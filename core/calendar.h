/* calendar.h — the proleptic Gregorian calendar as day numbers (days since 1970-01-01),
 * valid dates, month arithmetic and ISO dates: the one calendar, shared by the
 * importer's date cells and the scripts' date values. Pure functions. */
#ifndef YJ_CALENDAR_H
#define YJ_CALENDAR_H

typedef struct { int y, m, d; } yj_ymd;

int yj_is_leap(int y);
int yj_days_in_month(int y, int m);            /* 0 for a month outside 1..12 */
long yj_days_from_civil(int y, int m, int d);  /* Howard Hinnant's algorithms */
yj_ymd yj_civil_from_days(long z);

/* 1 when y-m-d is a date of years 1..9999. */
int yj_date_valid(int y, int m, int d);
/* d moved by n months, the day clamped to the month's end (31 Jan + 1 = 28/29 Feb). */
yj_ymd yj_add_months(yj_ymd d, int n);
/* Parses "YYYY-MM-DD" (optionally followed by a time after ' ' or 'T'); 0 or -1. */
int yj_parse_iso(const char *s, yj_ymd *out);

#endif
