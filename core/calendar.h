/* calendar.h — the proleptic Gregorian calendar as day numbers (days since 1970-01-01),
 * shared by the importer's date cells and the scripts' date values. */
#ifndef YJ_CALENDAR_H
#define YJ_CALENDAR_H

typedef struct { int y, m, d; } yj_ymd;

int yj_is_leap(int y);
int yj_days_in_month(int y, int m);            /* 0 for a month outside 1..12 */
long yj_days_from_civil(int y, int m, int d);  /* Howard Hinnant's algorithms */
yj_ymd yj_civil_from_days(long z);

#endif
