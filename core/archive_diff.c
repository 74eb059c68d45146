/* archive_diff.c — which rows of the frozen result tables a re-run no longer gives.
 *
 * Tables are compared as their canonical JSON (archive_table_json): the header line
 * (name and columns) and then the rows, one per line. Rows are matched as a multiset,
 * so a row that moved (a rank change shifts others) shows once as "-" and once as "+"
 * only when its content changed; a pure reordering is reported as such.
 *
 * The frozen tables of archives written before the JSON writer was shared (util/json.c)
 * differ from today's canonical JSON in three ways only: tab and CR escaped as \u0009 and
 * \u000d, NaN and the infinities written as nan/inf, bytes of invalid UTF-8 kept. They
 * are brought to the canonical form (archive_canonical_json) before comparing; today's JSON is
 * unchanged by it, so an old archive of the same results still verifies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "json.h"
#include "utf8.h"
#include "strbuf.h"

typedef struct { char **line; size_t n; char *copy; } lines;

/* Splits the json of one table into its row lines (without the trailing ','). */
static int split_rows(const char *json, lines *out) {
    out->line = NULL; out->n = 0;
    out->copy = strdup(json);
    if (!out->copy) return -1;
    size_t cap = 0;
    char *save = NULL;
    int first = 1;
    for (char *l = strtok_r(out->copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (first) { first = 0; continue; }         /* header: {"table":...,"rows":[ */
        if (!strcmp(l, "]}")) break;
        size_t len = strlen(l);
        if (len && l[len - 1] == ',') l[len - 1] = '\0';
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(out->line, cap * sizeof *p);
            if (!p) return -1;
            out->line = p;
        }
        out->line[out->n++] = l;
    }
    return 0;
}

static const char *header_of(const char *json, size_t *len) {
    const char *nl = strchr(json, '\n');
    *len = nl ? (size_t)(nl - json) : strlen(json);
    return json;
}

typedef struct { const char *s; size_t i; } keyed;

static int by_text(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Marks in gone[]/added[] the rows of a not matched in b and of b not matched in a. */
static int match_rows(const lines *a, const lines *b, char *gone, char *added) {
    keyed *ka = malloc((a->n + 1) * sizeof *ka), *kb = malloc((b->n + 1) * sizeof *kb);
    if (!ka || !kb) { free(ka); free(kb); return -1; }
    for (size_t i = 0; i < a->n; i++) ka[i] = (keyed){a->line[i], i};
    for (size_t i = 0; i < b->n; i++) kb[i] = (keyed){b->line[i], i};
    qsort(ka, a->n, sizeof *ka, by_text);
    qsort(kb, b->n, sizeof *kb, by_text);
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i >= a->n ? 1 : j >= b->n ? -1 : strcmp(ka[i].s, kb[j].s);
        if (c == 0) { i++; j++; }
        else if (c < 0) gone[ka[i++].i] = 1;
        else added[kb[j++].i] = 1;
    }
    free(ka); free(kb);
    return 0;
}

/* The table JSON text as the canonical writer writes it today (see the top of the
 * file). Malloc'd; NULL when out of memory. */
char *archive_canonical_json(const char *t) {
    strbuf b = STRBUF_INIT;
    size_t n = strlen(t);
    int in_str = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)t[i];
        if (in_str) {
            if (c == '\\' && i + 1 < n) {
                if (!strncmp(t + i, "\\u0009", 6)) { strbuf_puts(&b, "\\t"); i += 6; }
                else if (!strncmp(t + i, "\\u000d", 6)) { strbuf_puts(&b, "\\r"); i += 6; }
                else { strbuf_put(&b, t + i, 2); i += 2; }
                continue;
            }
            if (c == '"') in_str = 0;
            if (c < 0x80) { strbuf_put(&b, t + i, 1); i++; continue; }
            size_t k = yj_utf8_seq_len(t + i, n - i);
            if (k) { strbuf_put(&b, t + i, k); i += k; }
            else { strbuf_puts(&b, "\xEF\xBF\xBD"); i++; }
            continue;
        }
        if (c == '"') in_str = 1;
        const char *tok[] = { "-nan", "nan", "-inf", "inf" };
        size_t j = 0;
        while (j < 4 && strncmp(t + i, tok[j], strlen(tok[j]))) j++;
        if (j < 4) { strbuf_puts(&b, "null"); i += strlen(tok[j]); continue; }
        strbuf_put(&b, t + i, 1);
        i++;
    }
    return strbuf_take(&b, NULL);
}

/* Prints the difference of one table; returns 1 when it differs. */
static int diff_table(const char *name, const char *was, const char *now, FILE *out) {
    if (!strcmp(was, now)) return 0;
    size_t hw, hn;
    const char *a = header_of(was, &hw), *b = header_of(now, &hn);
    if (hw != hn || memcmp(a, b, hw) != 0) {
        fprintf(out, "table %s: columns differ\n  - %.*s\n  + %.*s\n", name, (int)hw, a, (int)hn, b);
        return 1;
    }
    lines lw, ln;
    if (split_rows(was, &lw) != 0 || split_rows(now, &ln) != 0) {
        fprintf(out, "table %s: differs (out of memory while comparing)\n", name);
        return 1;
    }
    char *gone = calloc(lw.n + 1, 1), *added = calloc(ln.n + 1, 1);
    size_t ngone = 0, nadded = 0;
    if (gone && added && match_rows(&lw, &ln, gone, added) == 0) {
        for (size_t i = 0; i < lw.n; i++) ngone += gone[i];
        for (size_t i = 0; i < ln.n; i++) nadded += added[i];
        if (!ngone && !nadded) {
            fprintf(out, "table %s: the same rows in a different order\n", name);
        } else {
            fprintf(out, "table %s: %zu row(s) only in the archive, %zu only in the re-run\n",
                    name, ngone, nadded);
            for (size_t i = 0; i < lw.n; i++)
                if (gone[i]) fprintf(out, "  - row %zu: %s\n", i + 1, lw.line[i]);
            for (size_t i = 0; i < ln.n; i++)
                if (added[i]) fprintf(out, "  + row %zu: %s\n", i + 1, ln.line[i]);
        }
    } else {
        fprintf(out, "table %s: differs (out of memory while comparing)\n", name);
    }
    free(gone); free(added);
    free(lw.line); free(lw.copy); free(ln.line); free(ln.copy);
    return 1;
}

int archive_diff(const archive_record *rec, const yj_results *now, FILE *out) {
    int differ = 0;
    size_t n = yj_results_count(now);
    for (size_t i = 0; i < rec->ntables; i++) {
        size_t t = 0;
        while (t < n && strcmp(yj_results_name(now, t), rec->tables[i].name)) t++;
        if (t == n) {
            fprintf(out, "table %s: not published by the re-run\n", rec->tables[i].name);
            differ++;
            continue;
        }
        char *json = archive_table_json(now, t);
        if (!json) { fprintf(out, "table %s: out of memory\n", rec->tables[i].name); differ++; continue; }
        char *was = strcmp(rec->tables[i].json, json) ? archive_canonical_json(rec->tables[i].json) : NULL;
        differ += diff_table(rec->tables[i].name, was ? was : rec->tables[i].json, json, out);
        free(was);
        free(json);
    }
    for (size_t t = 0; t < n; t++) {
        size_t i = 0;
        while (i < rec->ntables && strcmp(yj_results_name(now, t), rec->tables[i].name)) i++;
        if (i == rec->ntables) {
            fprintf(out, "table %s: published by the re-run but not in the archive\n", yj_results_name(now, t));
            differ++;
        }
    }
    /* The results JSON is stored beside the tables (it is what `yingji run --format json`
     * printed): compared too, so a forged copy with recomputed hashes is caught. */
    char *json = NULL;
    size_t len = 0;
    if (!rec->results_json) return differ;    /* a record of tables only (archive_load always has it) */
    if (yj_results_to_string(now, YJ_FORMAT_JSON, &json, &len) != 0) {
        fprintf(out, "results JSON: out of memory\n");
        return differ + 1;
    }
    if (strlen(rec->results_json) != len || memcmp(rec->results_json, json, len) != 0) {
        char *was = archive_canonical_json(rec->results_json);
        if (!was || strcmp(was, json) != 0) {
            fprintf(out, "results JSON: the stored results_json differs from the re-run's\n");
            differ++;
        }
        free(was);
    }
    free(json);
    return differ;
}
