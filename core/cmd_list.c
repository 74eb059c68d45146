/* cmd_list.c — `yingji list sectors|units|indicators|datasets`: the reference lists a
 * user needs, live: sectors and units from the database, the indicators present in a
 * year's assessments and targets, and the datasets of the registry (dataset.h) with
 * every accepted header, type, unit, whether required and the accepted values.
 * Text (aligned by display width: Chinese characters take two columns), CSV, JSON, or
 * Markdown: `yingji list datasets --format markdown` and `list sectors --format
 * markdown` print the generated parts of docs/data.md (tests/e2e/data_dict.sh checks
 * that the document is what they print). Labels are English in the source; the Chinese
 * comes from the data and the registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cli.h"
#include "dataset.h"
#include "db.h"
#include "imp_cells.h"
#include "imp_columns.h"
#include "strbuf.h"
#include "json.h"
#include "utf8.h"

enum { F_TEXT, F_CSV, F_JSON, F_MD };

/* A table of text cells (each malloc'd, owned by the table). */
typedef struct {
    int ncols;
    const char *const *head;   /* borrowed: column labels */
    char **cell;               /* rows * ncols */
    int nrows, cap;
    int oom;
} table;

static void add_row(table *t, const char *const *vals) {
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 32;
        char **p = realloc(t->cell, sizeof *p * (size_t)cap * (size_t)t->ncols);
        if (!p) { t->oom = 1; return; }
        t->cell = p;
        t->cap = cap;
    }
    for (int k = 0; k < t->ncols; k++) {
        char *c = strdup(vals[k] ? vals[k] : "");
        if (!c) t->oom = 1;
        t->cell[t->nrows * t->ncols + k] = c ? c : NULL;
    }
    t->nrows++;
}

static void free_table(table *t) {
    for (int i = 0; i < t->nrows * t->ncols; i++) free(t->cell[i]);
    free(t->cell);
}

static const char *cell(const table *t, int r, int k) {
    const char *c = t->cell[r * t->ncols + k];
    return c ? c : "";
}

static void pad(FILE *out, const char *s, size_t width) {
    fputs(s, out);
    for (size_t w = yj_utf8_width(s); w < width; w++) fputc(' ', out);
}

static void csv_cell(FILE *out, const char *s) {
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void md_cell(FILE *out, const char *s) {
    for (; *s; s++) {
        if (*s == '|') fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
    }
}

static void print_table(FILE *out, const table *t, int format) {
    if (format == F_JSON) {
        strbuf b = STRBUF_INIT;
        b.out = out;
        strbuf_puts(&b, "[");
        for (int r = 0; r < t->nrows; r++) {
            strbuf_puts(&b, r ? ",\n {" : "{");
            for (int k = 0; k < t->ncols; k++) {
                if (k) strbuf_puts(&b, ", ");
                json_string(&b, t->head[k], strlen(t->head[k]));
                strbuf_puts(&b, ": ");
                json_string(&b, cell(t, r, k), strlen(cell(t, r, k)));
            }
            strbuf_puts(&b, "}");
        }
        strbuf_puts(&b, "]\n");
        strbuf_free(&b);
        return;
    }
    if (format == F_CSV) {
        for (int r = -1; r < t->nrows; r++)
            for (int k = 0; k < t->ncols; k++) {
                csv_cell(out, r < 0 ? t->head[k] : cell(t, r, k));
                fputc(k + 1 < t->ncols ? ',' : '\n', out);
            }
        return;
    }
    if (format == F_MD) {
        for (int r = -2; r < t->nrows; r++) {
            fputs("|", out);
            for (int k = 0; k < t->ncols; k++) {
                fputc(' ', out);
                if (r == -2) md_cell(out, t->head[k]);
                else if (r == -1) fputs("---", out);
                else md_cell(out, cell(t, r, k));
                fputs(" |", out);
            }
            fputc('\n', out);
        }
        return;
    }
    size_t width[16] = {0};
    for (int k = 0; k < t->ncols && k < 16; k++) {
        width[k] = yj_utf8_width(t->head[k]);
        for (int r = 0; r < t->nrows; r++) {
            size_t w = yj_utf8_width(cell(t, r, k));
            if (w > width[k]) width[k] = w;
        }
    }
    for (int r = -1; r < t->nrows; r++) {
        for (int k = 0; k < t->ncols; k++) {
            const char *s = r < 0 ? t->head[k] : cell(t, r, k);
            if (k + 1 < t->ncols) { pad(out, s, width[k]); fputs("  ", out); }
            else fputs(s, out);
        }
        fputc('\n', out);
    }
}

/* Rows of a query, each column text. 0, or -1 with the SQLite message printed. */
static int query_rows(sqlite3 *db, table *t, const char *sql, int year) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "yingji list: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    if (year) sqlite3_bind_int(st, 1, year);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *vals[16];
        for (int k = 0; k < t->ncols && k < 16; k++) vals[k] = (const char *)sqlite3_column_text(st, k);
        add_row(t, vals);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { fprintf(stderr, "yingji list: %s\n", sqlite3_errmsg(db)); return -1; }
    return 0;
}

static const char *type_name(imp_type t) {
    switch (t) {
    case IMP_TEXT: return "text";
    case IMP_INT: return "integer";
    case IMP_DEC: return "decimal";
    case IMP_DATE: return "date";
    case IMP_DATETIME: return "date and time";
    case IMP_BOOL: return "yes/no";
    case IMP_UNIT: return "unit";
    case IMP_UNITS: return "list of units";
    case IMP_SECTOR: return "sector";
    case IMP_ENUM: return "choice";
    case IMP_YEAR: return "year";
    case IMP_PERIOD: return "period";
    }
    return "?";
}

/* The Chinese title of each dataset (the registry's names are English). */
static const char *dataset_title(const char *name) {
    static const char *const titles[][2] = {
        {"units", "单位"}, {"accidents", "生产安全事故"}, {"inspections", "执法检查"},
        {"assessments", "考核得分"}, {"targets", "考核目标"}, {"tasks", "重点工作任务"}};
    for (size_t k = 0; k < sizeof titles / sizeof titles[0]; k++)
        if (!strcmp(titles[k][0], name)) return titles[k][1];
    return "";
}

/* The column's accepted values and unit, in words, into b. */
static void column_values(strbuf *b, const imp_column *c) {
    switch (c->type) {
    case IMP_ENUM:
        for (const char *p = c->choices; p && *p;) {       /* code=word,word;code=word */
            const char *end = strchr(p, ';');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            const char *eq = memchr(p, '=', n);
            if (b->len) strbuf_puts(b, "; ");
            if (eq) {
                strbuf_put(b, p, (size_t)(eq - p));
                strbuf_puts(b, " = ");
                for (const char *w = eq + 1; w < p + n; w++) strbuf_put(b, *w == ',' ? "、" : w, *w == ',' ? 3 : 1);
            }
            p = end ? end + 1 : NULL;
        }
        break;
    case IMP_BOOL:
        strbuf_puts(b, "yes: ");
        for (int k = 0; imp_bool_yes[k]; k++) strbuf_printf(b, "%s%s", k ? "、" : "", imp_bool_yes[k]);
        strbuf_puts(b, "; no: ");
        for (int k = 0; imp_bool_no[k]; k++) strbuf_printf(b, "%s%s", k ? "、" : "", imp_bool_no[k]);
        break;
    case IMP_PERIOD:
        for (int k = 0; imp_period_words[k][0]; k++)
            strbuf_printf(b, "%s%s", k ? "、" : "", imp_period_words[k][0]);
        strbuf_puts(b, "、YYYY-MM (a month)");
        break;
    case IMP_SECTOR: strbuf_puts(b, "a sector code, name or alias (see sectors)"); break;
    case IMP_UNIT:
        strbuf_puts(b, (c->flags & IMP_DEPT) ? "a department's code, name or alias" : "a unit's code, name or alias");
        break;
    case IMP_UNITS: strbuf_puts(b, "units separated by 、 ; ； , ，"); break;
    case IMP_YEAR: strbuf_printf(b, "%d to %d", IMP_YEAR_MIN, IMP_YEAR_MAX); break;
    case IMP_DATE: case IMP_DATETIME: strbuf_puts(b, "any date form (see dates)"); break;
    default:
        if (c->flags & IMP_WORDS) strbuf_puts(b, "words separated by 、 ; ； , ，");
        break;
    }
    if (c->flags & IMP_NONNEG) strbuf_printf(b, "%s0 or more", b->len ? "; " : "");
    if (c->flags & IMP_IN_WAN)
        strbuf_printf(b, "%sin 万元 (a header ending (元) divides by 10,000)", b->len ? "; " : "");
    if (c->flags & IMP_IN_YUAN)
        strbuf_printf(b, "%sin 元 (a header ending (万元) multiplies by 10,000)", b->len ? "; " : "");
    if (c->def && *c->def && !(c->flags & IMP_REQ))
        strbuf_printf(b, "%sempty: %s", b->len ? "; " : "", c->def);
}

/* The datasets: one row per column (text, CSV, JSON), or one Markdown table each. */
static int list_datasets(int format) {
    static const char *const head[] = {"dataset", "column", "headers", "type", "required", "values"};
    static const char *const md_head[] = {"表头 headers", "column", "type", "required", "values, unit"};
    table all = {6, head, NULL, 0, 0, 0};
    for (int d = 0; d < imp_dataset_count(); d++) {
        const imp_dataset *ds = imp_dataset_at(d);
        table one = {5, md_head, NULL, 0, 0, 0};
        if (format == F_MD) fprintf(stdout, "### %s %s\n\n", ds->name, dataset_title(ds->name));
        for (int i = 0; i < ds->ncols; i++) {
            const imp_column *c = &ds->cols[i];
            strbuf h = STRBUF_INIT, v = STRBUF_INIT;
            for (const char *p = c->aliases; p && *p;) {
                const char *e = strchr(p, '|');
                size_t n = e ? (size_t)(e - p) : strlen(p);
                strbuf_put(&h, p, n);
                strbuf_puts(&h, "、");
                p = e ? e + 1 : NULL;
            }
            strbuf_puts(&h, c->name);
            column_values(&v, c);
            const char *req = (c->flags & IMP_KEY) && (c->flags & IMP_REQ) ? "yes (key)"
                            : (c->flags & IMP_KEY) ? "no (key)" : (c->flags & IMP_REQ) ? "yes" : "no";
            const char *hs = h.p ? h.p : "", *vs = v.p ? v.p : "";
            if (format == F_MD) {
                const char *row[] = {hs, c->name, type_name(c->type), req, vs};
                add_row(&one, row);
            } else {
                const char *row[] = {ds->name, c->name, hs, type_name(c->type), req, vs};
                add_row(&all, row);
            }
            strbuf_free(&h);
            strbuf_free(&v);
        }
        if (format == F_MD) {
            print_table(stdout, &one, F_MD);
            fputc('\n', stdout);
        }
        free_table(&one);
    }
    if (format != F_MD) print_table(stdout, &all, format);
    int oom = all.oom;
    free_table(&all);
    return oom ? -1 : 0;
}

/* The date forms the importer reads, each an example imp_parse_date accepts (checked
 * by tests/e2e/data_dict.sh, which imports every one). */
static const char *const date_forms[][2] = {
    {"2020-03-05", "ISO"}, {"2020/3/5", "slashes"}, {"2020.3.5", "dots"},
    {"2020年3月5日", "Chinese"}, {"20200305", "eight digits"},
    {"43895", "an Excel serial number (1900 system)"},
    {"2020-03-05 08:30", "a date with a time (H:MM or H:MM:SS), date-and-time columns keep it"},
    {"2020/3/5 8:30:15", "any date form with a time"}, {"2020-03-05T08:30", "ISO with T"},
};

static int list_dates(int format) {
    static const char *const head[] = {"example", "form"};
    table t = {2, head, NULL, 0, 0, 0};
    for (size_t k = 0; k < sizeof date_forms / sizeof date_forms[0]; k++) {
        const char *row[] = {date_forms[k][0], date_forms[k][1]};
        add_row(&t, row);
    }
    print_table(stdout, &t, format);
    int oom = t.oom;
    free_table(&t);
    return oom ? -1 : 0;
}

static int usage(FILE *out) {
    fprintf(out,
        _("usage: yingji list LIST [--format text|csv|json|markdown] [--year YEAR]\n"
        "Prints a reference list, live from the database and the importer:\n"
        "  sectors     sector codes, Chinese names and aliases\n"
        "  units       units: code, name, kind and aliases\n"
        "  indicators  indicator names in the year's assessments and targets\n"
        "              (--year YEAR, default the latest year with data)\n"
        "  datasets    every dataset's columns: accepted headers, type, required, values\n"
        "  dates       the date forms the importer reads\n"));
    return out == stdout ? YJ_EXIT_OK : YJ_EXIT_USAGE;
}

int cmd_list(int argc, char **argv, const char *db_path) {
    static const char *const lists[] = {"sectors", "units", "indicators", "datasets", "dates"};
    const char *what = NULL;
    int format = F_TEXT, year = 0;
    for (int i = 1; i < argc;) {
        const char *v;
        int r;
        if ((r = cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            db_path = v;
        } else if ((r = cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            if (!strcmp(v, "text")) format = F_TEXT;
            else if (!strcmp(v, "csv")) format = F_CSV;
            else if (!strcmp(v, "json")) format = F_JSON;
            else if (!strcmp(v, "markdown") || !strcmp(v, "md")) format = F_MD;
            else return cli_usage_error("list", "--format: '%s' is not text, csv, json or markdown", v);
        } else if ((r = cli_option(argc, argv, &i, "year", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            char *end;
            long y = strtol(v, &end, 10);
            if (*end || y < IMP_YEAR_MIN || y > IMP_YEAR_MAX)
                return cli_usage_error("list", "--year: '%s' is not a year (%d to %d)", v, IMP_YEAR_MIN, IMP_YEAR_MAX);
            year = (int)y;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            return usage(stdout);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"format", "year", "db", "help", NULL};
            return cli_unknown_option("list", argv[i], options);
        } else if (what) {
            return cli_usage_error("list", "unexpected argument '%s'", argv[i]);
        } else {
            what = argv[i++];
        }
    }
    if (!what) {
        cli_usage_error("list", "which list? sectors, units, indicators, datasets or dates");
        return usage(stderr);
    }
    size_t n = sizeof lists / sizeof lists[0], k = 0;
    while (k < n && strcmp(what, lists[k])) k++;
    if (k == n) {
        const char *s = cli_suggest(what, lists, n);
        if (s) return cli_usage_error("list", "unknown list '%s' (did you mean '%s'?)", what, s);
        return cli_usage_error("list", "unknown list '%s' (sectors, units, indicators, datasets or dates)", what);
    }
    if (!strcmp(what, "datasets")) return list_datasets(format) ? YJ_EXIT_REJECTED : YJ_EXIT_OK;
    if (!strcmp(what, "dates")) return list_dates(format) ? YJ_EXIT_REJECTED : YJ_EXIT_OK;

    sqlite3 *db;
    char *err;
    if (db_open(db_path, DB_READONLY, &db, &err) != 0) {
        fprintf(stderr, "yingji list: %s\n", err ? err : "out of memory");
        free(err);
        return YJ_EXIT_REJECTED;
    }
    int rc = 0;
    if (!strcmp(what, "sectors")) {
        static const char *const head[] = {"code", "name", "aliases"};
        table t = {3, head, NULL, 0, 0, 0};
        rc = query_rows(db, &t, "SELECT code, name, aliases FROM sectors ORDER BY code", 0);
        if (!rc) print_table(stdout, &t, format);
        rc = rc || t.oom;
        free_table(&t);
    } else if (!strcmp(what, "units")) {
        static const char *const head[] = {"code", "name", "kind", "aliases"};
        const imp_column *kind = &imp_dataset_find("units")->cols[imp_dataset_column(imp_dataset_find("units"), "kind")];
        table t = {4, head, NULL, 0, 0, 0};
        rc = query_rows(db, &t,
                        "SELECT code, name, kind, (SELECT group_concat(alias, '、') FROM (SELECT alias FROM"
                        " unit_aliases a WHERE a.unit_id = u.id ORDER BY alias)) FROM units u ORDER BY code", 0);
        for (int r = 0; !rc && r < t.nrows; r++) {     /* kind: "township 乡镇" */
            char **c = &t.cell[r * t.ncols + 2];
            const char *eq = *c ? strstr(kind->choices, *c) : NULL;
            size_t cn = *c ? strlen(*c) : 0;
            if (eq && eq[cn] == '=' && (eq == kind->choices || eq[-1] == ';')) {
                const char *w = eq + cn + 1;
                size_t wn = strcspn(w, ",;");
                char *grown = malloc(cn + wn + 2);
                if (grown) {
                    snprintf(grown, cn + wn + 2, "%s %.*s", *c, (int)wn, w);
                    free(*c);
                    *c = grown;
                }
            }
        }
        if (!rc) print_table(stdout, &t, format);
        rc = rc || t.oom;
        free_table(&t);
    } else {                                           /* indicators */
        if (!year) {
            sqlite3_stmt *st;
            if (sqlite3_prepare_v2(db, "SELECT max(y) FROM (SELECT max(year) AS y FROM assessments"
                                       " UNION ALL SELECT max(year) FROM targets)", -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                year = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        static const char *const head[] = {"indicator", "year", "assessments", "targets"};
        table t = {4, head, NULL, 0, 0, 0};
        rc = query_rows(db, &t,
                        "SELECT indicator, ?1, sum(src = 'a'), sum(src = 't') FROM"
                        " (SELECT indicator, 'a' AS src FROM assessments WHERE year = ?1"
                        "  UNION ALL SELECT indicator, 't' FROM targets WHERE year = ?1)"
                        " GROUP BY indicator ORDER BY indicator", year ? year : -1);
        if (!rc) {
            if (t.nrows || format != F_TEXT)
                print_table(stdout, &t, format);
            else if (year)
                printf(_("no indicators in %d (import assessments or targets first)\n"), year);
            else
                fputs(_("no indicators (import assessments or targets first)\n"), stdout);
        }
        rc = rc || t.oom;
        free_table(&t);
    }
    sqlite3_close(db);
    return rc ? YJ_EXIT_REJECTED : YJ_EXIT_OK;
}
