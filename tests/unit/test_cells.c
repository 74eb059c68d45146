/* test_cells.c — every accepted form of each cell parser, and the edges data.md names. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "imp_cells.h"

static const char *date_of(const char *s, int allow_time) {
    static imp_date d;
    const char *why;
    if (imp_parse_date(s, allow_time, &d, &why) != 0) return why;
    return d.text;
}

static long long int_of(const char *s, int *ok) {
    long long v = -999;
    const char *why;
    *ok = imp_parse_int(s, &v, &why) == 0;
    return v;
}

int main(void) {
    /* Regression (fuzz_cells -DFUZZ_CELLS_ANY_BYTES): imp_fold stepped over the NUL of a
     * cell ending inside a multibyte sequence and read past the buffer. */
    {
        static const char truncated[] = "60\xF0\x9F";   /* 4-byte lead, 1 of 3 */
        char *cell = malloc(sizeof truncated);
        char out[32];
        if (cell) memcpy(cell, truncated, sizeof truncated);
        CHECK(cell && imp_fold(cell, out, sizeof out) == -1, "a cell ending inside a UTF-8 sequence is refused");
        free(cell);
    }
    /* Regression (fuzz_cells): a long run of plain digits overflowed the fast path's
     * accumulator (signed overflow, UBSan) before its length was checked. */
    {
        long long v = 0;
        double dv = 0;
        const char *why = NULL;
        CHECK(imp_parse_int("0000000000000006000000000000000000000", &v, &why) != 0 && why &&
              !strcmp(why, "number out of range"), "37 plain digits: out of range, no overflow");
        CHECK(imp_parse_decimal("99999999999999999999999", &dv, &why) == 0 && dv > 9.9e22,
              "a long decimal still parses on the general path");
        CHECK(imp_parse_int("999999999999999", &v, &why) == 0 && v == 999999999999999LL,
              "15 digits parse on the fast path");
    }
    /* dates: the five forms and the Excel serial */
    CHECK_STR(date_of("2020-03-05", 0), "2020-03-05", "ISO date");
    CHECK_STR(date_of("2020/3/5", 0), "2020-03-05", "slashes, short month/day");
    CHECK_STR(date_of("2020.3.5", 0), "2020-03-05", "dots");
    CHECK_STR(date_of("2020年3月5日", 0), "2020-03-05", "Chinese date");
    CHECK_STR(date_of("2020年12月31", 0), "2020-12-31", "Chinese date without 日");
    CHECK_STR(date_of("20200305", 0), "2020-03-05", "compact digits");
    CHECK_STR(date_of("43895", 0), "2020-03-05", "Excel serial 43895");
    CHECK_STR(date_of("61", 0), "1900-03-01", "Excel serial 61 is 1900-03-01");
    CHECK_STR(date_of("59", 0), "1900-02-28", "Excel serial 59 is 1900-02-28");
    CHECK_STR(date_of("1", 0), "1900-01-01", "Excel serial 1 is 1900-01-01");
    CHECK_STR(date_of("60", 0), "Excel serial 60 is 1900-02-29, a date that does not exist",
              "Excel serial 60 refused");
    CHECK_STR(date_of("0", 0), "Excel serial 0 is not a date", "Excel serial 0 refused");
    CHECK_STR(date_of("43895.5", 1), "2020-03-05 12:00:00", "Excel serial with a fraction of a day");
    CHECK_STR(date_of("  2020-03-05  ", 0), "2020-03-05", "spaces trimmed");
    CHECK_STR(date_of("\xE3\x80\x80" "2020-03-05", 0), "2020-03-05", "ideographic space trimmed");
    CHECK_STR(date_of("２０２０－０３－０５", 0), "2020-03-05", "full-width digits and hyphens");
    /* 29 February */
    CHECK_STR(date_of("2020-02-29", 0), "2020-02-29", "29 Feb in a leap year");
    CHECK_STR(date_of("2019-02-29", 0), "no such date", "29 Feb in a common year");
    CHECK_STR(date_of("2000-02-29", 0), "2000-02-29", "29 Feb 2000 (divisible by 400)");
    CHECK_STR(date_of("2100-02-29", 0), "no such date", "29 Feb 2100 (century, not leap)");
    CHECK_STR(date_of("2020-02-30", 0), "no such date", "2020-02-30 impossible");
    CHECK_STR(date_of("2020-04-31", 0), "no such date", "31 April impossible");
    CHECK_STR(date_of("2020-13-01", 0), "no such date", "month 13");
    CHECK_STR(date_of("2020-00-10", 0), "no such date", "month 0");
    CHECK_STR(date_of("1899-12-31", 0), "year out of range 1900-2100", "year before 1900");
    /* times */
    CHECK_STR(date_of("2020-03-05 8:30", 1), "2020-03-05 08:30:00", "H:MM time");
    CHECK_STR(date_of("2020-03-05T08:30:15", 1), "2020-03-05 08:30:15", "T and HH:MM:SS");
    CHECK_STR(date_of("2020/3/5 14:05:09", 1), "2020-03-05 14:05:09", "slashes with time");
    CHECK_STR(date_of("2020年3月5日 9:00", 1), "2020-03-05 09:00:00", "Chinese date with time");
    CHECK_STR(date_of("2020-03-05", 1), "2020-03-05", "date-time column takes a bare date");
    CHECK_STR(date_of("2020-03-05 0:00", 0), "2020-03-05", "midnight dropped in a date column");
    CHECK_STR(date_of("2020-03-05 8:30", 0), "a time is not allowed here (date only)",
              "time refused in a date column");
    CHECK_STR(date_of("2020-03-05 24:00", 1), "bad time (use H:MM or HH:MM:SS)", "hour 24");
    CHECK_STR(date_of("2020-03-05 8:60", 1), "bad time (use H:MM or HH:MM:SS)", "minute 60");
    /* garbage */
    CHECK_STR(date_of("", 0), "empty", "empty date");
    CHECK_STR(date_of("2020-3", 0), "not a date (use YYYY-MM-DD)", "year-month only");
    CHECK_STR(date_of("March 5", 0), "not a date (use YYYY-MM-DD)", "words");
    CHECK_STR(date_of("2020-03/05", 0), "not a date (use YYYY-MM-DD)", "mixed separators");
    CHECK_STR(date_of("202003055", 0), "not a date (use YYYY-MM-DD)", "nine digits");
    CHECK_STR(date_of("20200230", 0), "no such date", "compact impossible date");

    /* integers */
    int ok;
    CHECK(int_of("12", &ok) == 12 && ok, "plain integer");
    CHECK(int_of(" 7 ", &ok) == 7 && ok, "spaces around an integer");
    CHECK(int_of("１２", &ok) == 12 && ok, "full-width digits");
    CHECK(int_of("－３", &ok) == -3 && ok, "full-width minus");
    CHECK(int_of("\xE2\x88\x92" "4", &ok) == -4 && ok, "U+2212 minus sign");
    CHECK(int_of("＋5", &ok) == 5 && ok, "full-width plus");
    CHECK(int_of("1,234", &ok) == 1234 && ok, "thousands separator");
    CHECK(int_of("1,234,567", &ok) == 1234567 && ok, "two thousands groups");
    CHECK(int_of("１，２３４", &ok) == 1234 && ok, "full-width thousands separator");
    CHECK(int_of("3.0", &ok) == 3 && ok, "integral decimal accepted as an integer");
    int_of("1,2,3", &ok); CHECK(!ok, "1,2,3 refused");
    int_of("12,34", &ok); CHECK(!ok, "group of two refused");
    int_of("1234,567", &ok); CHECK(!ok, "leading group longer than three refused");
    int_of("1,", &ok); CHECK(!ok, "trailing comma refused");
    int_of("3.5", &ok); CHECK(!ok, "fraction refused for an integer");
    int_of("", &ok); CHECK(!ok, "empty refused");
    int_of("   ", &ok); CHECK(!ok, "only spaces refused");
    int_of("abc", &ok); CHECK(!ok, "letters refused");
    int_of("1 2", &ok); CHECK(!ok, "inner space refused");
    int_of("9999999999999999", &ok); CHECK(!ok, "16 digits refused");
    CHECK(imp_cell_empty("  \xE3\x80\x80 "), "blank cell is empty");
    CHECK(!imp_cell_empty(" 0 "), "zero is not empty");

    /* decimals */
    double d = -1;
    const char *why;
    CHECK(imp_parse_decimal("1,234.5", &d, &why) == 0 && d == 1234.5, "decimal with separator");
    CHECK(imp_parse_decimal("０.２５", &d, &why) == 0 && d == 0.25, "full-width decimal");
    CHECK(imp_parse_decimal("-0", &d, &why) == 0 && d == 0 && !signbit(d), "negative zero folded");
    CHECK(imp_parse_decimal("1.2E+3", &d, &why) == 0 && d == 1200, "exponent");
    CHECK(imp_parse_decimal("1,2,3", &d, &why) != 0, "1,2,3 refused as decimal");
    CHECK(imp_parse_decimal("1.2.3", &d, &why) != 0, "two points refused");
    CHECK(imp_parse_decimal("nan", &d, &why) != 0, "nan refused");
    CHECK(imp_parse_decimal("1e999", &d, &why) != 0, "overflow refused");
    CHECK(imp_parse_decimal(".5", &d, &why) != 0, "bare fraction refused");

    /* booleans */
    static const char *const yes[] = {"是", "Y", "y", "yes", "1", "true", "TRUE", "有", "１"};
    static const char *const no[] = {"否", "N", "no", "0", "false", "False", "无", " 0 "};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        int b = -1;
        CHECK(imp_parse_bool(yes[i], &b, &why) == 0 && b == 1, "bool yes: %s", yes[i]);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        int b = -1;
        CHECK(imp_parse_bool(no[i], &b, &why) == 0 && b == 0, "bool no: %s", no[i]);
    }
    int b;
    CHECK(imp_parse_bool("maybe", &b, &why) != 0, "bool refuses other words");
    CHECK(imp_parse_bool("2", &b, &why) != 0, "bool refuses 2");

    /* trimming keeps inner newlines */
    char t[] = "  line1\nline2 \xE3\x80\x80";
    CHECK_STR(imp_trim(t), "line1\nline2", "trim keeps inner newline");

    /* the one calendar (calendar.c): scripts' range 1..9999, the importer's 1900..2100 */
    CHECK(yj_date_valid(2020, 2, 29) && !yj_date_valid(2019, 2, 29) && !yj_date_valid(1900, 2, 29)
          && yj_date_valid(2000, 2, 29), "calendar: leap years");
    CHECK(yj_date_valid(1, 1, 1) && yj_date_valid(9999, 12, 31) && !yj_date_valid(0, 12, 31)
          && !yj_date_valid(10000, 1, 1) && !yj_date_valid(2020, 13, 1) && !yj_date_valid(2020, 4, 31),
          "calendar: yj_date_valid's range and month lengths");
    CHECK(imp_ymd_ok(1900, 1, 1) && imp_ymd_ok(2100, 12, 31) && !imp_ymd_ok(1899, 12, 31)
          && !imp_ymd_ok(2101, 1, 1) && !imp_ymd_ok(2021, 2, 29), "calendar: the importer's years");
    yj_ymd e = yj_add_months((yj_ymd){2020, 1, 31}, 1), f = yj_add_months((yj_ymd){2020, 3, 31}, -13);
    CHECK(e.y == 2020 && e.m == 2 && e.d == 29 && f.y == 2019 && f.m == 2 && f.d == 28,
          "calendar: months clamp to the month's end, across years");
    yj_ymd g;
    CHECK(yj_parse_iso("2020-02-29 10:00", &g) == 0 && g.d == 29 && yj_parse_iso("2019-02-29", &g) != 0
          && yj_parse_iso("2020-2-29", &g) != 0 && yj_parse_iso("2020-02-29x", &g) != 0,
          "calendar: ISO dates, with a time, refused when not a date");
    return check_failures() != 0;
}
