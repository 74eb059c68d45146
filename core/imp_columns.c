/* imp_columns.c — header matching and choice codes over the dataset registry's column
 * tables (dataset.c). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "imp_cells.h"
#include "imp_columns.h"

/* Removes a trailing "(...)" or "（...）" from h (in place) and returns what was inside,
 * or NULL when there is none. */
static char *strip_suffix(char *h) {
    size_t n = strlen(h);
    char *open = NULL;
    if (n >= 2 && h[n - 1] == ')') {
        h[n - 1] = '\0';
        open = strrchr(h, '(');
        if (open) { *open = '\0'; return open + 1; }
        h[n - 1] = ')';
    } else if (n >= 6 && !strcmp(h + n - 3, "）")) {
        h[n - 3] = '\0';
        open = strstr(h, "（");
        for (char *q; open && (q = strstr(open + 3, "（")); ) open = q;
        if (open) { *open = '\0'; return open + 3; }
        memcpy(h + n - 3, "）", 4);
    }
    return NULL;
}

/* 1 when word is one of the '|'- (or ','-) separated entries of list. */
static int in_list(const char *list, const char *word, char sep) {
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, sep);
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, word, n)) return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

int imp_header_match(const imp_dataset *ds, const char *header, double *scale) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", header);
    char *h = imp_trim(buf);
    char *unit = strip_suffix(h);
    h = imp_trim(h);
    if (unit) unit = imp_trim(unit);
    *scale = 1.0;
    for (int i = 0; i < ds->ncols; i++) {
        const imp_column *c = &ds->cols[i];
        if (strcasecmp(h, c->name) && !in_list(c->aliases, h, '|')) continue;
        if (unit && (c->flags & IMP_IN_WAN) && !strcmp(unit, "元")) *scale = 0.0001;
        if (unit && (c->flags & IMP_IN_YUAN) && !strcmp(unit, "万元")) *scale = 10000.0;
        return i;
    }
    return -1;
}

int imp_enum_code(const imp_column *c, const char *word, char *out, int cap) {
    size_t wn = strlen(word);
    for (const char *p = c->choices; p && *p;) {
        const char *eq = strchr(p, '=');
        const char *end = strchr(p, ';');
        if (!end) end = p + strlen(p);
        if (!eq || eq > end) return -1;
        size_t clen = (size_t)(eq - p);
        int hit = wn == clen && !strncasecmp(word, p, clen);
        for (const char *w = eq + 1; !hit && w < end;) {   /* the ','-separated words */
            const char *e = memchr(w, ',', (size_t)(end - w));
            if (!e) e = end;
            hit = (size_t)(e - w) == wn && !memcmp(w, word, wn);
            w = e + 1;
        }
        if (hit) {
            if ((int)clen >= cap) return -1;
            memcpy(out, p, clen);
            out[clen] = '\0';
            return 0;
        }
        p = *end ? end + 1 : end;
    }
    return -1;
}
