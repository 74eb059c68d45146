/* archive_diff.c — which rows of the frozen result tables a re-run no longer gives.
 *
 * Tables are stored as their canonical JSON (archive_table_json): the header line (name
 * and columns) and then the rows, one per line. Equal texts are equal tables; otherwise
 * both are read back into result sets and compared by the keyed diff that `yingji
 * compare` uses (table_diff.h), exactly (no numeric tolerance): a row that moved (a rank
 * change shifts others) shows once as "-" and once as "+" only when its content changed,
 * and each such row is printed keyed, by column name; a pure reordering is reported as
 * such.
 *
 * The frozen tables of archives written before the JSON writer was shared (util/json.c)
 * differ from today's canonical JSON in three ways only: tab and CR escaped as \u0009 and
 * \u000d, NaN and the infinities written as nan/inf, bytes of invalid UTF-8 kept. They
 * are brought to the canonical form (archive_canonical_json) before comparing; today's JSON is
 * unchanged by it, so an old archive of the same results still verifies. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "archive.h"
#include "json.h"
#include "utf8.h"
#include "strbuf.h"
#include "table_diff.h"

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

/* One JSON token of a row as a value: null, true, false, a string (its text between the
 * quotes, escapes kept, so that a report line stays one line), an integer or a real.
 * Text values point into tok. */
static yj_value token_value(const char *tok) {
    yj_value v;
    memset(&v, 0, sizeof v);
    size_t n = strlen(tok);
    char *end = NULL;
    if (!strcmp(tok, "null")) {
        v.type = YJ_VAL_NULL;
    } else if (!strcmp(tok, "true") || !strcmp(tok, "false")) {
        v.type = YJ_VAL_BOOL;
        v.u.b = tok[0] == 't';
    } else if (n >= 2 && tok[0] == '"' && tok[n - 1] == '"') {
        v.type = YJ_VAL_TEXT;
        v.u.t.s = tok + 1;
        v.u.t.len = n - 2;
    } else if (!strpbrk(tok, ".eE") && (errno = 0, v.u.i = strtoll(tok, &end, 10), !errno) &&
               end != tok && !*end) {
        v.type = YJ_VAL_INT;
    } else if ((v.u.r = strtod(tok, &end), end != tok && !*end)) {
        v.type = YJ_VAL_REAL;
    } else {
        v.type = YJ_VAL_TEXT;                      /* not JSON: kept as its text */
        v.u.t.s = tok;
        v.u.t.len = n;
    }
    return v;
}

#define MAX_CELLS 256

/* A table's canonical JSON (archive_table_json) back as a result set of one table, for
 * the keyed diff (table_diff.h); the text of row i is kept in (*line)[i]. A row line
 * that is not an array of the header's cell count becomes a row whose first cell is the
 * line's text (so it pairs with nothing). Returns the set (caller frees, and frees *copy
 * and *line), or NULL when out of memory or the header is not one archive_table_json
 * writes. */
static yj_results *table_of_json(const char *json, char **copy, char ***line, size_t *nlines) {
    *line = NULL; *nlines = 0;
    if (!(*copy = strdup(json))) return NULL;
    char *nl = strchr(*copy, '\n');
    char *c0 = strstr(*copy, "\"columns\":[");
    char *end = c0 && nl ? strstr(c0, "],\"rows\":[") : NULL;
    if (!end || end > nl) return NULL;
    end[1] = '\0';
    char **col = malloc(MAX_CELLS * sizeof *col), **cell = malloc(MAX_CELLS * sizeof *cell);
    const char **names = malloc(MAX_CELLS * sizeof *names);
    yj_value *row = calloc(MAX_CELLS, sizeof *row);
    yj_results *r = yj_results_new();
    size_t ncol = 0, cap = 0;
    int ok = 0;
    if (!col || !cell || !names || !row || !r) goto done;
    if (split_cells(c0 + strlen("\"columns\":"), col, MAX_CELLS, &ncol) != 0 || !ncol) goto done;
    for (size_t c = 0; c < ncol; c++) {       /* a name: its text between the quotes */
        size_t n = strlen(col[c]);
        names[c] = col[c];
        if (n >= 2 && col[c][0] == '"' && col[c][n - 1] == '"') {
            col[c][n - 1] = '\0';
            names[c] = col[c] + 1;
        }
    }
    if (yj_results_add_table(r, "t", names, ncol) != 0) goto done;
    char *save = NULL;
    for (char *l = strtok_r(nl + 1, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!strcmp(l, "]}")) break;
        size_t len = strlen(l), n = 0;
        if (len && l[len - 1] == ',') l[--len] = '\0';
        if (*nlines == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(*line, cap * sizeof *p);
            if (!p) goto done;
            *line = p;
        }
        (*line)[(*nlines)++] = l;
        char *cells = strdup(l);
        if (!cells) goto done;
        if (split_cells(cells, cell, MAX_CELLS, &n) == 0 && n == ncol) {
            for (size_t c = 0; c < ncol; c++) row[c] = token_value(cell[c]);
        } else {
            memset(row, 0, ncol * sizeof *row);
            row[0].type = YJ_VAL_TEXT;
            row[0].u.t.s = l;
            row[0].u.t.len = len;
        }
        int rc = yj_results_add_row(r, row);       /* copies the text */
        free(cells);
        if (rc != 0) goto done;
    }
    ok = 1;
done:
    free(col); free(cell); free(names); free(row);
    if (!ok) { yj_results_free(r); return NULL; }
    return r;
}

static void put_line(FILE *out, strbuf *b) {
    if (!b->err && b->p) fprintf(out, "  %s\n", b->p);
    b->len = 0;
    if (b->p) b->p[0] = '\0';
}

/* Prints the difference of one table, keyed (table_diff.h) by the fewest leading
 * columns (1..3) distinct over the archive's rows: the rows that differ as they are
 * stored ("- row 6: [...]", "+ row 4: [...]"), then each keyed by column name
 * ("scores T06: score 95 → 100; rank 6 → 4"). When the columns differ, their two
 * header lines, then the keyed changes of the columns both have. Returns 1 when the
 * table differs. */
static int diff_table(const char *name, const char *was, const char *now, FILE *out) {
    if (!strcmp(was, now)) return 0;
    const char *hw = strchr(was, '\n'), *hn = strchr(now, '\n');
    size_t lw = hw ? (size_t)(hw - was) : strlen(was), ln = hn ? (size_t)(hn - now) : strlen(now);
    int cols_differ = lw != ln || memcmp(was, now, lw) != 0;
    if (cols_differ)
        fprintf(out, _("table %s: columns differ\n  - %.*s\n  + %.*s\n"), name, (int)lw, was, (int)ln, now);
    char *cw = NULL, *cn = NULL, **linew = NULL, **linen = NULL, *added = NULL;
    size_t nw = 0, nn = 0;
    yj_results *a = table_of_json(was, &cw, &linew, &nw), *b = table_of_json(now, &cn, &linen, &nn);
    tdiff d;
    memset(&d, 0, sizeof d);
    char err[256];
    const char **key = NULL;
    size_t nkey = a ? tdiff_guess_key(a, 0, 3) : 0;
    if (a && b && nkey && (key = malloc(nkey * sizeof *key)) && (added = calloc(nn + 1, 1))) {
        for (size_t k = 0; k < nkey; k++) key[k] = yj_results_column(a, 0, k);
        tdiff_opts o = {key, nkey, NULL, 0, -1};
        if (tdiff_tables(a, 0, b, 0, &o, &d, err, sizeof err) != 0) nkey = 0;
    } else {
        nkey = 0;
    }
    if (cols_differ) {
        /* every stored row differs as text: only the keyed changes of the shared columns
         * (none when the key columns themselves changed) */
        strbuf line = STRBUF_INIT;
        for (size_t i = 0; nkey && i < d.nrows; i++) {
            if (d.rows[i].kind == TDIFF_SAME) continue;
            tdiff_row_text(&line, name, &d, &d.rows[i], a, 0, b, 0, _("the archive"), _("the re-run"));
            put_line(out, &line);
        }
        strbuf_free(&line);
    } else if (!nkey) {
        fprintf(out, _("table %s: differs (out of memory while comparing)\n"), name);
    } else if (!d.changed && !d.only_old && !d.only_new) {
        fprintf(out, _("table %s: the same rows in a different order\n"), name);
    } else {
        fprintf(out, _("table %s: %zu row(s) only in the archive, %zu only in the re-run\n"), name,
                d.changed + d.only_old, d.changed + d.only_new);
        for (size_t i = 0; i < d.nrows; i++) {
            const tdiff_row *r = &d.rows[i];
            if (r->kind == TDIFF_SAME) continue;
            if (r->old_row >= 0) fprintf(out, _("  - row %ld: %s\n"), r->old_row + 1, linew[r->old_row]);
            if (r->new_row >= 0) added[r->new_row] = 1;
        }
        for (size_t j = 0; j < nn; j++)
            if (added[j]) fprintf(out, _("  + row %zu: %s\n"), j + 1, linen[j]);
        strbuf line = STRBUF_INIT;
        for (size_t i = 0; i < d.nrows; i++) {
            if (d.rows[i].kind == TDIFF_SAME) continue;
            tdiff_row_text(&line, name, &d, &d.rows[i], a, 0, b, 0, _("the archive"), _("the re-run"));
            put_line(out, &line);
        }
        strbuf_free(&line);
    }
    tdiff_free(&d);
    free(key); free(added);
    yj_results_free(a); yj_results_free(b);
    free(cw); free(cn); free(linew); free(linen);
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
