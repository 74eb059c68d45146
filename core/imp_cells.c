/* imp_cells.c — cell normalisation and the typed cell parsers of the importer.
 *
 * Everything here is pure (no I/O, no allocation) so that tests/unit/test_cells.c can
 * cover each accepted form and each edge: 29 February, impossible dates, Excel serial 60,
 * full-width signs, thousands groups. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "calendar.h"
#include "imp_cells.h"

/* ===== trimming and folding ===== */

/* Length of a blank (ASCII space/tab/CR/LF, U+3000, U+00A0) starting at s, else 0. */
static size_t blank_len(const unsigned char *s) {
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') return 1;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
    if (s[0] == 0xC2 && s[1] == 0xA0) return 2;
    return 0;
}

/* Length of a blank ending just before end (s <= end), else 0. */
static size_t blank_len_back(const unsigned char *s, const unsigned char *end) {
    if (end - s >= 1 && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        return 1;
    if (end - s >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 && end[-1] == 0x80) return 3;
    if (end - s >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0) return 2;
    return 0;
}

char *imp_trim(char *s) {
    unsigned char *p = (unsigned char *)s;
    size_t n;
    while ((n = blank_len(p)) > 0) p += n;
    unsigned char *e = p + strlen((char *)p);
    while ((n = blank_len_back(p, e)) > 0) e -= n;
    *e = '\0';
    return (char *)p;
}

int imp_cell_empty(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    while ((n = blank_len(p)) > 0) p += n;
    return *p == '\0';
}

int imp_fold(const char *s, char *out, size_t cap) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n, o = 0;
    while ((n = blank_len(p)) > 0) p += n;
    while (*p) {
        unsigned c = *p;
        size_t step = 1;
        if (p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) && p[2] >= 0x80 && p[2] <= 0xBF) {
            /* U+FF01..U+FF5E: full-width ASCII. */
            unsigned cp = 0xFF00u | ((unsigned)(p[1] & 0x03) << 6) | (p[2] & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) { c = cp - 0xFEE0; step = 3; }
        } else if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) {
            c = '-'; step = 3;                 /* U+2212 MINUS SIGN */
        } else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
            c = ' '; step = 3;                 /* ideographic space */
        } else if (p[0] == 0xC2 && p[1] == 0xA0) {
            c = ' '; step = 2;
        }
        if (step == 1 && c >= 0x80) {
            /* copy a multibyte sequence unchanged */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            for (size_t k = 0; k < len; k++) {
                if (p[k] == 0) return -1;      /* the cell ends inside the sequence */
                if (o + 1 >= cap) return -1;
                out[o++] = (char)p[k];
            }
            p += len;
            continue;
        }
        if (o + 1 >= cap) return -1;
        out[o++] = (char)c;
        p += step;
    }
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return (int)o;
}

/* ===== numbers ===== */

/* Writes s (folded) to out without thousands separators, checking the shape
 * [+-] digits[,ddd]* [. digits] [e[+-]digits]. frac/expo say whether those may appear. */
static int clean_number(const char *s, char *out, int decimals, const char **why) {
    char f[IMP_CELL_MAX];
    if (imp_fold(s, f, sizeof f) < 0) { *why = _("number too long"); return -1; }
    const char *p = f;
    size_t o = 0;
    if (!*p) { *why = _("empty"); return -1; }
    if (*p == '+' || *p == '-') out[o++] = *p++;
    size_t digits = 0, group = 0;
    int grouped = 0;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) { out[o++] = *p; digits++; group++; continue; }
        if (*p == ',') {
            if (group == 0 || (grouped && group != 3) || (!grouped && group > 3)) break;
            grouped = 1; group = 0;
            if (!isdigit((unsigned char)p[1])) break;
            continue;
        }
        break;
    }
    if (*p == ',' || (grouped && group != 3)) { *why = _("misplaced thousands separator"); return -1; }
    if (digits == 0) { *why = _("not a number"); return -1; }
    if (*p == '.') {
        out[o++] = *p++;
        size_t fd = 0;
        while (isdigit((unsigned char)*p)) { out[o++] = *p++; fd++; }
        if (fd == 0) { *why = _("not a number"); return -1; }
    }
    if (decimals && (*p == 'e' || *p == 'E')) {
        out[o++] = *p++;
        if (*p == '+' || *p == '-') out[o++] = *p++;
        size_t ed = 0;
        while (isdigit((unsigned char)*p)) { out[o++] = *p++; ed++; }
        if (ed == 0) { *why = _("not a number"); return -1; }
    }
    if (*p) { *why = _("not a number"); return -1; }
    out[o] = '\0';
    return 0;
}

/* The common cell: 1 to 15 ASCII digits, nothing else (what the slow path would make
 * of it too). 1 with *out set, else 0. */
static int plain_digits(const char *s, long long *out) {
    long long v = 0;
    int n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++) {
        if (n == 15) return 0;             /* longer: the general path says why */
        v = v * 10 + (s[n] - '0');
    }
    if (n == 0 || s[n]) return 0;
    *out = v;
    return 1;
}

int imp_parse_int(const char *s, long long *out, const char **why) {
    if (plain_digits(s, out)) return 0;
    char c[IMP_CELL_MAX];
    if (clean_number(s, c, 0, why) < 0) return -1;
    char *dot = strchr(c, '.');
    if (dot) {
        for (char *q = dot + 1; *q; q++)
            if (*q != '0') { *why = _("not a whole number"); return -1; }
        *dot = '\0';
    }
    const char *d = c + (c[0] == '+' || c[0] == '-');
    if (strlen(d) > 15) { *why = _("number out of range"); return -1; }
    *out = strtoll(c, NULL, 10);
    return 0;
}

int imp_parse_decimal(const char *s, double *out, const char **why) {
    long long whole;
    if (plain_digits(s, &whole)) { *out = (double)whole; return 0; }
    char c[IMP_CELL_MAX];
    if (clean_number(s, c, 1, why) < 0) return -1;
    double v = strtod(c, NULL);
    if (!isfinite(v)) { *why = _("number out of range"); return -1; }
    *out = v == 0 ? 0.0 : v;   /* no negative zero */
    return 0;
}

const char *const imp_bool_yes[] = {"是", "y", "yes", "1", "true", "有", "t", NULL};
const char *const imp_bool_no[] = {"否", "n", "no", "0", "false", "无", "f", NULL};

int imp_parse_bool(const char *s, int *out, const char **why) {
    const char *const *yes = imp_bool_yes, *const *no = imp_bool_no;
    if ((s[0] == '0' || s[0] == '1') && !s[1]) { *out = s[0] == '1'; return 0; }
    char f[IMP_CELL_MAX];
    if (imp_fold(s, f, sizeof f) < 0) { *why = _("not a yes/no value"); return -1; }
    for (char *q = f; *q; q++) if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
    for (int i = 0; yes[i]; i++) if (!strcmp(f, yes[i])) { *out = 1; return 0; }
    for (int i = 0; no[i]; i++) if (!strcmp(f, no[i])) { *out = 0; return 0; }
    *why = _("not a yes/no value (是/否, Y/N, 1/0, true/false, 有/无)");
    return -1;
}

/* ===== dates ===== */

long imp_date_days(const imp_date *dt) {
    int y = atoi(dt->text), m = atoi(dt->text + 5), d = atoi(dt->text + 8);
    return yj_days_from_civil(y, m, d);
}

/* Reads 1..max digits at *p into *v; returns the count (0 when none). */
static int digits(const char **p, int max, int *v) {
    int n = 0, x = 0;
    while (n < max && isdigit((unsigned char)**p)) { x = x * 10 + (**p - '0'); (*p)++; n++; }
    if (isdigit((unsigned char)**p)) return 0;   /* too many digits */
    *v = x;
    return n;
}

/* Parses " H:MM" / "TH:MM:SS" at p (the whole rest). Returns seconds of day or -1. */
static int parse_time(const char *p) {
    if (*p != ' ' && *p != 'T') return -1;
    while (*p == ' ') p++;
    if (*p == 'T') p++;
    int h, mi, se = 0;
    if (!digits(&p, 2, &h) || *p++ != ':') return -1;
    if (digits(&p, 2, &mi) != 2) return -1;
    if (*p == ':') { p++; if (digits(&p, 2, &se) != 2) return -1; }
    if (*p || h > 23 || mi > 59 || se > 59) return -1;
    return h * 3600 + mi * 60 + se;
}

static int finish(int y, int m, int d, int secs, int allow_time, imp_date *out,
                  const char **why) {
    if (!imp_ymd_ok(y, m, d)) {
        *why = (y < IMP_YEAR_MIN || y > IMP_YEAR_MAX) ? _("year out of range 1900-2100") : _("no such date");
        return -1;
    }
    if (secs > 0 && !allow_time) { *why = _("a time is not allowed here (date only)"); return -1; }
    char *t = out->text;      /* hand-formatted: this runs for every date cell */
    t[0] = (char)('0' + y / 1000); t[1] = (char)('0' + y / 100 % 10);
    t[2] = (char)('0' + y / 10 % 10); t[3] = (char)('0' + y % 10);
    t[4] = '-'; t[5] = (char)('0' + m / 10); t[6] = (char)('0' + m % 10);
    t[7] = '-'; t[8] = (char)('0' + d / 10); t[9] = (char)('0' + d % 10);
    t[10] = '\0';
    if (secs >= 0 && allow_time) {
        int h = secs / 3600, mi = secs / 60 % 60, se = secs % 60;
        t[10] = ' '; t[11] = (char)('0' + h / 10); t[12] = (char)('0' + h % 10);
        t[13] = ':'; t[14] = (char)('0' + mi / 10); t[15] = (char)('0' + mi % 10);
        t[16] = ':'; t[17] = (char)('0' + se / 10); t[18] = (char)('0' + se % 10);
        t[19] = '\0';
    }
    return 0;
}

/* 1 when s is exactly YYYY-MM-DD in ASCII (the common cell), with *y, *m, *d set. */
static int plain_iso_date(const char *s, int *y, int *m, int *d) {
    for (int k = 0; k < 10; k++)
        if (k == 4 || k == 7 ? s[k] != '-' : (s[k] < '0' || s[k] > '9')) return 0;
    if (s[10]) return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return 1;
}

int imp_parse_date(const char *s, int allow_time, imp_date *out, const char **why) {
    int y, m, d, secs = -1;
    if (plain_iso_date(s, &y, &m, &d)) return finish(y, m, d, secs, allow_time, out, why);
    char f[IMP_CELL_MAX];
    if (imp_fold(s, f, sizeof f) < 0) { *why = _("not a date"); return -1; }
    const char *p = f;
    *why = _("not a date (use YYYY-MM-DD)");
    if (!*p) { *why = _("empty"); return -1; }
    const char *start = p;
    int n = digits(&p, 8, &y);
    if (n == 0) return -1;
    const char *sep = NULL;
    if (*p == '-' || *p == '/' || *p == '.') sep = p;
    else if (!strncmp(p, "年", 3)) sep = p;
    if (sep && !(*p == '.' && !strchr(p + 1, '.'))) {   /* separated form */
        if (n != 4) return -1;
        int cn = *sep == '-' || *sep == '/' || *sep == '.';
        p += cn ? 1 : 3;
        if (!digits(&p, 2, &m)) return -1;
        if (cn) { if (*p != *sep) return -1; p++; }
        else { if (strncmp(p, "月", 3)) return -1; p += 3; }
        if (!digits(&p, 2, &d)) return -1;
        if (!cn && !strncmp(p, "日", 3)) p += 3;
        if (*p && (secs = parse_time(p)) < 0) { *why = _("bad time (use H:MM or HH:MM:SS)"); return -1; }
        return finish(y, m, d, secs, allow_time, out, why);
    }
    if (n == 8) {                                        /* 20200305 */
        y = (start[0] - '0') * 1000 + (start[1] - '0') * 100 + (start[2] - '0') * 10 + (start[3] - '0');
        m = (start[4] - '0') * 10 + (start[5] - '0');
        d = (start[6] - '0') * 10 + (start[7] - '0');
        if (*p && (secs = parse_time(p)) < 0) { *why = _("bad time (use H:MM or HH:MM:SS)"); return -1; }
        return finish(y, m, d, secs, allow_time, out, why);
    }
    if (n <= 5) {                                        /* Excel serial, 1900 system */
        int serial = y;
        if (*p == '.') {
            p++;
            double frac = 0, scale = 0.1;
            if (!isdigit((unsigned char)*p)) return -1;
            while (isdigit((unsigned char)*p)) { frac += (*p++ - '0') * scale; scale /= 10; }
            secs = (int)lround(frac * 86400.0);
            if (secs > 86399) secs = 86399;
        }
        if (*p) return -1;
        if (serial == 0) { *why = _("Excel serial 0 is not a date"); return -1; }
        if (serial == 60) { *why = _("Excel serial 60 is 1900-02-29, a date that does not exist"); return -1; }
        long days = serial - (serial < 60 ? 25568L : 25569L);
        yj_ymd ymd = yj_civil_from_days(days);
        y = ymd.y; m = ymd.m; d = ymd.d;
        return finish(y, m, d, secs, allow_time, out, why);
    }
    return -1;
}
