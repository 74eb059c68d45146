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

#include "i18n.h"
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

/* The cells of one JSON array line ("[1,\"a,b\",null]") as raw JSON tokens: *n cells
 * written into cell[] (pointers into line, which is modified: each cell NUL-ended). At
 * most max cells; returns 0, or -1 when the line is not such an array. */
static int split_cells(char *line, char **cell, size_t max, size_t *n) {
    size_t len = strlen(line);
    *n = 0;
    if (len < 2 || line[0] != '[' || line[len - 1] != ']') return -1;
    line[len - 1] = '\0';
    char *p = line + 1;
    if (!*p) return 0;
    cell[(*n)++] = p;
    for (int in_str = 0; *p; p++) {
        if (in_str) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_str = 0;
        } else if (*p == '"') {
            in_str = 1;
        } else if (*p == ',') {
            if (*n == max) return -1;
            *p = '\0';
            cell[(*n)++] = p + 1;
        }
    }
    return 0;
}

/* A cell for the report: a JSON string without its quotes, anything else as is. */
static void put_cell(FILE *out, const char *c) {
    size_t n = strlen(c);
    if (n >= 2 && c[0] == '"' && c[n - 1] == '"') fprintf(out, "%.*s", (int)(n - 2), c + 1);
    else fputs(c, out);
}

#define MAX_CELLS 256

/* The length of the first k cells of a row line, from its '[' up to (not including) the
 * comma after the k-th cell (or the closing ']'). */
static size_t prefix_len(const char *line, size_t k) {
    size_t i = 1;
    for (int in_str = 0; line[i]; i++) {
        if (in_str) {
            if (line[i] == '\\' && line[i + 1]) i++;
            else if (line[i] == '"') in_str = 0;
        } else if (line[i] == '"') {
            in_str = 1;
        } else if ((line[i] == ',' && --k == 0) || line[i] == ']') {
            break;
        }
    }
    return i;
}

static int by_prefix(const void *x, const void *y) {
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* How many leading cells identify a row of the table: the fewest (1..3) whose values
 * are distinct over all rows (scores: the unit; items: the unit and the item). */
static size_t key_cells(const lines *rows, size_t ncol) {
    size_t k = 1;
    for (; k < 3 && k < ncol; k++) {
        char **key = calloc(rows->n + 1, sizeof *key);
        int dup = !key;
        for (size_t i = 0; key && i < rows->n; i++)
            if (!(key[i] = strndup(rows->line[i], prefix_len(rows->line[i], k)))) dup = 1;
        if (!dup) {
            qsort(key, rows->n, sizeof *key, by_prefix);
            for (size_t i = 1; i < rows->n && !dup; i++) dup = !strcmp(key[i - 1], key[i]);
        }
        for (size_t i = 0; key && i < rows->n; i++) free(key[i]);
        free(key);
        if (!dup) break;
    }
    return k;
}

/* The rows only in the archive and only in the re-run that share their first cell (the
 * table's key: a unit's code) are one row changed: printed by column name, e.g.
 * "  scores T07: score 72.52 → 57.52; grade 合格 → 不合格". header is the table's
 * header line (its columns). */
static void report_keyed(const char *name, const char *header, const lines *was, const char *gone,
                         const lines *now, const char *added, FILE *out) {
    char *cols = strdup(header), *wc = NULL, *nc = NULL;
    char **col = malloc(MAX_CELLS * sizeof *col), **a = malloc(MAX_CELLS * sizeof *a),
         **b = malloc(MAX_CELLS * sizeof *b);
    size_t ncol = 0, na, nb;
    const char *c0 = cols ? strstr(cols, "\"columns\":[") : NULL;
    char *end = c0 ? strstr(c0, "],\"rows\"") : NULL;
    if (!col || !a || !b || !end) goto done;
    end[1] = '\0';
    if (split_cells((char *)c0 + strlen("\"columns\":"), col, MAX_CELLS, &ncol) != 0 || !ncol) goto done;
    size_t k = key_cells(was, ncol);
    for (size_t i = 0; i < was->n; i++) {
        if (!gone[i]) continue;
        size_t match = now->n, count = 0;
        size_t klen = prefix_len(was->line[i], k);
        for (size_t j = 0; j < now->n; j++)
            if (added[j] && prefix_len(now->line[j], k) == klen && !strncmp(now->line[j], was->line[i], klen)) {
                match = j;
                count++;
            }
        if (count != 1) continue;                   /* no partner, or no unique one */
        free(wc); free(nc);
        wc = strdup(was->line[i]);
        nc = strdup(now->line[match]);
        if (!wc || !nc || split_cells(wc, a, MAX_CELLS, &na) != 0 ||
            split_cells(nc, b, MAX_CELLS, &nb) != 0 || na != ncol || nb != ncol || !ncol)
            continue;
        fprintf(out, "  %s", name);
        for (size_t c = 0; c < k; c++) { fputs(" ", out); put_cell(out, a[c]); }
        fputs(":", out);
        for (size_t c = k, first = 1; c < ncol; c++) {
            if (!strcmp(a[c], b[c])) continue;
            fputs(first ? " " : "; ", out);
            first = 0;
            put_cell(out, col[c]);
            fputs(" ", out);
            put_cell(out, a[c]);
            fputs(" \xE2\x86\x92 ", out);
            put_cell(out, b[c]);
        }
        fputs("\n", out);
    }
done:
    free(wc); free(nc); free(cols); free(col); free(a); free(b);
}

/* Prints the difference of one table; returns 1 when it differs. */
static int diff_table(const char *name, const char *was, const char *now, FILE *out) {
    if (!strcmp(was, now)) return 0;
    size_t hw, hn;
    const char *a = header_of(was, &hw), *b = header_of(now, &hn);
    if (hw != hn || memcmp(a, b, hw) != 0) {
        fprintf(out, _("table %s: columns differ\n  - %.*s\n  + %.*s\n"), name, (int)hw, a, (int)hn, b);
        return 1;
    }
    lines lw, ln;
    if (split_rows(was, &lw) != 0 || split_rows(now, &ln) != 0) {
        fprintf(out, _("table %s: differs (out of memory while comparing)\n"), name);
        return 1;
    }
    char *gone = calloc(lw.n + 1, 1), *added = calloc(ln.n + 1, 1);
    size_t ngone = 0, nadded = 0;
    if (gone && added && match_rows(&lw, &ln, gone, added) == 0) {
        for (size_t i = 0; i < lw.n; i++) ngone += gone[i];
        for (size_t i = 0; i < ln.n; i++) nadded += added[i];
        if (!ngone && !nadded) {
            fprintf(out, _("table %s: the same rows in a different order\n"), name);
        } else {
            fprintf(out, _("table %s: %zu row(s) only in the archive, %zu only in the re-run\n"),
                    name, ngone, nadded);
            for (size_t i = 0; i < lw.n; i++)
                if (gone[i]) fprintf(out, _("  - row %zu: %s\n"), i + 1, lw.line[i]);
            for (size_t i = 0; i < ln.n; i++)
                if (added[i]) fprintf(out, _("  + row %zu: %s\n"), i + 1, ln.line[i]);
            report_keyed(name, was, &lw, gone, &ln, added, out);
        }
    } else {
        fprintf(out, _("table %s: differs (out of memory while comparing)\n"), name);
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
            fprintf(out, _("table %s: not published by the re-run\n"), rec->tables[i].name);
            differ++;
            continue;
        }
        char *json = archive_table_json(now, t);
        if (!json) { fprintf(out, _("table %s: out of memory\n"), rec->tables[i].name); differ++; continue; }
        char *was = strcmp(rec->tables[i].json, json) ? archive_canonical_json(rec->tables[i].json) : NULL;
        differ += diff_table(rec->tables[i].name, was ? was : rec->tables[i].json, json, out);
        free(was);
        free(json);
    }
    for (size_t t = 0; t < n; t++) {
        size_t i = 0;
        while (i < rec->ntables && strcmp(yj_results_name(now, t), rec->tables[i].name)) i++;
        if (i == rec->ntables) {
            fprintf(out, _("table %s: published by the re-run but not in the archive\n"), yj_results_name(now, t));
            differ++;
        }
    }
    /* The results JSON is stored beside the tables (it is what `yingji run --format json`
     * printed): compared too, so a forged copy with recomputed hashes is caught. */
    char *json = NULL;
    size_t len = 0;
    if (!rec->results_json) return differ;    /* a record of tables only (archive_load always has it) */
    if (yj_results_to_string(now, YJ_FORMAT_JSON, &json, &len) != 0) {
        fprintf(out, _("results JSON: out of memory\n"));
        return differ + 1;
    }
    if (strlen(rec->results_json) != len || memcmp(rec->results_json, json, len) != 0) {
        char *was = archive_canonical_json(rec->results_json);
        if (!was || strcmp(was, json) != 0) {
            fprintf(out, _("results JSON: the stored results_json differs from the re-run's\n"));
            differ++;
        }
        free(was);
    }
    free(json);
    return differ;
}
