/* json.c — the canonical JSON writer (json.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

char *json_format_number(double v, char *buf) {
    if (isnan(v)) { strcpy(buf, "nan"); return buf; }
    if (isinf(v)) { strcpy(buf, v < 0 ? "-inf" : "inf"); return buf; }
    if (v == 0) { strcpy(buf, "0"); return buf; }
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(buf, 32, "%lld", (long long)v);
        return buf;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

void json_string(strbuf *b, const char *s, size_t len) {
    strbuf_put(b, "\"", 1);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { strbuf_puts(b, c == '"' ? "\\\"" : "\\\\"); i++; continue; }
        if (c < 0x20) {
            switch (c) {
            case '\n': strbuf_puts(b, "\\n"); break;
            case '\r': strbuf_puts(b, "\\r"); break;
            case '\t': strbuf_puts(b, "\\t"); break;
            default: strbuf_printf(b, "\\u%04x", c); break;
            }
            i++;
            continue;
        }
        if (c < 0x80) { strbuf_put(b, s + i, 1); i++; continue; }
        size_t n = yj_utf8_seq_len(s + i, len - i);
        if (n) { strbuf_put(b, s + i, n); i += n; }
        else { strbuf_puts(b, "\xEF\xBF\xBD"); i++; }
    }
    strbuf_put(b, "\"", 1);
}

void json_number(strbuf *b, double v) {
    char buf[32];
    strbuf_puts(b, isfinite(v) ? json_format_number(v, buf) : "null");
}

void json_integer(strbuf *b, long long v) {
    strbuf_printf(b, "%lld", v);
}
