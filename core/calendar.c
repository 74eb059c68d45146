/* calendar.c — day numbers of the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil / civil_from_days), leap years and month lengths, valid dates,
 * month arithmetic and ISO dates: the one calendar of the importer and the scripts. */
#include <string.h>

#include "calendar.h"

int yj_is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int yj_days_in_month(int y, int m) {
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && yj_is_leap(y) ? 29 : dim[m - 1];
}

long yj_days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

yj_ymd yj_civil_from_days(long z) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    yj_ymd r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

int yj_date_valid(int y, int m, int d) {
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= yj_days_in_month(y, m);
}

yj_ymd yj_add_months(yj_ymd d, int n) {
    long idx = (long)d.y * 12 + (d.m - 1) + n;
    yj_ymd r;
    r.y = (int)(idx / 12);
    r.m = (int)(idx % 12) + 1;
    int dim = yj_days_in_month(r.y, r.m);
    r.d = d.d > dim ? dim : d.d;
    return r;
}

static int digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int yj_parse_iso(const char *s, yj_ymd *out) {
    yj_ymd d;
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-') return -1;
    if (digits(s, 4, &d.y) || digits(s + 5, 2, &d.m) || digits(s + 8, 2, &d.d)) return -1;
    if (s[10] != '\0' && s[10] != ' ' && s[10] != 'T') return -1;
    if (!yj_date_valid(d.y, d.m, d.d)) return -1;
    *out = d;
    return 0;
}
