/* json.h — the one canonical JSON writer (results of `yingji run --format json`, the
 * archive's result tables). Canonical: the same values give the same bytes, and the
 * output is always valid JSON (RFC 8259):
 *   - strings: '"' and '\' escaped; \n, \r, \t as such, other bytes below 0x20 as \u00XX;
 *     well-formed UTF-8 kept as is; a byte that is not part of well-formed UTF-8 becomes
 *     U+FFFD;
 *   - numbers: integers as integers; a double as the shortest text that reads back to
 *     the same value, integral values without ".0" (json_format_number); NaN and the
 *     infinities, which JSON cannot represent, as null.
 * The layout around the values (objects, arrays, line breaks) is the caller's.
 * Errors: as strbuf.h (the buffer's err flag). */
#ifndef YJ_JSON_H
#define YJ_JSON_H

#include <stddef.h>

#include "strbuf.h"

/* The string s (n bytes, NULs allowed) as a JSON string, quotes included. */
void json_string(strbuf *b, const char *s, size_t n);
/* The double v as a JSON number, or null when it is not finite. */
void json_number(strbuf *b, double v);
void json_integer(strbuf *b, long long v);

/* The text of a double (also for text and CSV output): the shortest text that reads back
 * to the same value (0.1 → "0.1"; 3.0 → "3"); "nan", "inf", "-inf" for the non-finite.
 * buf holds at least 32 bytes; returns buf. */
char *json_format_number(double v, char *buf);

#endif
