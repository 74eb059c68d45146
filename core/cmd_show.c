/* cmd_show.c — `yingji show ID`: the record with that natural id in any dataset (the
 * records behind a score: an accident SG2020-007, an inspection JC2020-00119, a unit T02
 * or 石桥镇), its fields labelled in Chinese as the data files' headers name them.
 *
 * The datasets and their columns come from the registry (dataset.h): a dataset whose
 * natural key is one text column (units by code, accidents and inspections by id) is
 * searched by that column and by its other unique column (units by name); an exact match
 * first, then one ignoring ASCII case (t02). Stored codes are shown as the files write
 * them: a unit as its code and name, a sector by its name, a choice by its first word,
 * booleans 是/否. CSV and JSON go through the writers of `yingji run`: one table per
 * match, named after its dataset, with the columns label, value and column; the text
 * form is one "label  value" line per field under "dataset id". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "cli.h"
#include "dataset.h"
#include "db.h"
#include "script.h"
#include "strbuf.h"

static void usage(FILE *out) {
    fprintf(out,
        _("usage: yingji show [options] ID\n"
        "Prints the record with natural id ID from any dataset (an accident, an inspection,\n"
        "a unit by code or name), its fields labelled in Chinese.\n\n"
        "options:\n"
        "  --format text|csv|json   output format (default text)\n"
        "  --db FILE                the database (default ./yingji.db or $YINGJI_DB)\n\n"
        "An id no dataset has exits with status 2.\n"));
}

/* The column searched by ID in ds: its one-column text key, or -1 when the key is
 * composite (targets, assessments, tasks: no natural id). */
static int key_column(const imp_dataset *ds) {
    int key = -1;
    for (int c = 0; c < ds->ncols; c++)
        if (ds->cols[c].flags & IMP_KEY) {
            if (key >= 0) return -1;
            key = c;
        }
    if (key < 0 || ds->cols[key].type != IMP_TEXT || !ds->cols[key].db) return -1;
    return key;
}

/* The label of a column: the first header alias (the Chinese header of the files), with
 * the unit of money where the stored value has one. Into b. */
static void label(strbuf *b, const imp_column *col) {
    const char *a = col->aliases && *col->aliases ? col->aliases : col->name;
    const char *bar = strchr(a, '|');
    strbuf_put(b, a, bar ? (size_t)(bar - a) : strlen(a));
    if (col->flags & IMP_IN_WAN) strbuf_puts(b, "（万元）");
    if (col->flags & IMP_IN_YUAN) strbuf_puts(b, "（元）");
}

/* The first word of choice code in an IMP_ENUM's "code=word,word;code=word", into b;
 * the code itself when it has no word. */
static void choice_word(strbuf *b, const char *choices, const char *code) {
    size_t n = strlen(code);
    for (const char *p = choices; p && *p;) {
        const char *end = strchr(p, ';');
        if (!end) end = p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq && (size_t)(eq - p) == n && !memcmp(p, code, n)) {
            const char *w = eq + 1, *comma = memchr(w, ',', (size_t)(end - w));
            strbuf_put(b, w, (size_t)((comma ? comma : end) - w));
            return;
        }
        p = *end ? end + 1 : end;
    }
    strbuf_puts(b, code);
}

/* One text looked up by one parameter (a unit's code and name, a sector's name) into b;
 * nothing when absent. */
static void lookup_text(sqlite3 *db, const char *sql, sqlite3_value *arg, strbuf *b) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_value(st, 1, arg) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        strbuf_puts(b, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* The value of column c of the current row as shown: b gets the text of converted
 * values (units, sectors, choices, booleans), else the stored value is returned. */
static yj_value shown(sqlite3 *db, sqlite3_stmt *st, int c, const imp_column *col, strbuf *b) {
    yj_value v;
    memset(&v, 0, sizeof v);
    v.type = YJ_VAL_NULL;
    int type = sqlite3_column_type(st, c);
    if (type == SQLITE_NULL) return v;
    const char *text = (const char *)sqlite3_column_text(st, c);
    strbuf_free(b);
    switch (col->type) {
    case IMP_UNIT:
        lookup_text(db, "SELECT code || ' ' || name FROM units WHERE id = ?1",
                    sqlite3_column_value(st, c), b);
        break;
    case IMP_SECTOR:
        lookup_text(db, "SELECT name FROM sectors WHERE code = ?1", sqlite3_column_value(st, c), b);
        if (!b->len) strbuf_puts(b, text ? text : "");
        break;
    case IMP_ENUM: choice_word(b, col->choices, text ? text : ""); break;
    case IMP_BOOL: strbuf_puts(b, sqlite3_column_int64(st, c) ? "是" : "否"); break;
    default:
        if (type == SQLITE_INTEGER) {
            v.type = YJ_VAL_INT;
            v.u.i = sqlite3_column_int64(st, c);
        } else if (type == SQLITE_FLOAT) {
            v.type = YJ_VAL_REAL;
            v.u.r = sqlite3_column_double(st, c);
        } else {
            v.type = YJ_VAL_TEXT;
            v.u.t.s = text ? text : "";
            v.u.t.len = (size_t)sqlite3_column_bytes(st, c);
        }
        return v;
    }
    v.type = YJ_VAL_TEXT;
    v.u.t.s = b->p ? b->p : "";
    v.u.t.len = b->len;
    return v;
}

/* Adds a table for each record of ds whose column `by` is id (nocase: ignoring ASCII
 * case). Returns the number of records added, or -1 with the reason in *err (static
 * text or SQLite's, valid until the next call on db). */
static int find_in(sqlite3 *db, const imp_dataset *ds, const char *by, const char *id,
                   int nocase, yj_results *out, const char **err) {
    strbuf sql = STRBUF_INIT, b = STRBUF_INIT, lab = STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    int found = -1, ncols = 0;
    const imp_column **cols = calloc((size_t)ds->ncols + 1, sizeof *cols);
    *err = _("out of memory");
    if (!cols) return -1;
    strbuf_puts(&sql, "SELECT ");
    for (int c = 0; c < ds->ncols; c++)
        if (ds->cols[c].db) {
            strbuf_printf(&sql, "%s\"%s\"", ncols ? ", " : "", ds->cols[c].db);
            cols[ncols++] = &ds->cols[c];
        }
    strbuf_printf(&sql, " FROM \"%s\" WHERE \"%s\" = ?1%s", ds->table, by,
                  nocase ? " COLLATE NOCASE" : "");
    if (sql.err) goto done;
    if (sqlite3_prepare_v2(db, sql.p, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
        *err = sqlite3_errmsg(db);
        goto done;
    }
    static const char *const head[] = {"label", "value", "column"};
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (yj_results_add_table(out, ds->name, head, 3) != 0) goto done;
        for (int c = 0; c < ncols; c++) {
            strbuf_free(&lab);
            label(&lab, cols[c]);
            yj_value row[3];
            memset(row, 0, sizeof row);
            row[0].type = row[2].type = YJ_VAL_TEXT;
            row[0].u.t.s = lab.p ? lab.p : "";
            row[0].u.t.len = lab.len;
            row[1] = shown(db, st, c, cols[c], &b);
            row[2].u.t.s = cols[c]->name;
            row[2].u.t.len = strlen(cols[c]->name);
            if (lab.err || b.err || yj_results_add_row(out, row) != 0) goto done;
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        *err = sqlite3_errmsg(db);
        goto done;
    }
    found = n;
done:
    sqlite3_finalize(st);
    strbuf_free(&sql);
    strbuf_free(&b);
    strbuf_free(&lab);
    free(cols);
    return found;
}

/* Every record with id, exact matches first, then ignoring case when none matched. */
static int find_all(sqlite3 *db, const char *id, yj_results *out, const char **err) {
    int total = 0;
    for (int nocase = 0; nocase < 2 && total == 0; nocase++)
        for (int i = 0; i < imp_dataset_count(); i++) {
            const imp_dataset *ds = imp_dataset_at(i);
            int key = key_column(ds);
            if (key < 0) continue;
            int n = find_in(db, ds, ds->cols[key].db, id, nocase, out, err);
            if (n < 0) return -1;
            if (n == 0 && ds->unique) {
                int u = imp_dataset_column(ds, ds->unique);
                if (u >= 0 && ds->cols[u].db &&
                    (n = find_in(db, ds, ds->cols[u].db, id, nocase, out, err)) < 0)
                    return -1;
            }
            total += n;
        }
    return total;
}

/* Display width of a label: ASCII 1 column, anything else (the Chinese) 2. */
static size_t label_width(const char *s, size_t len) {
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) w++;
        else if (c >= 0xC0) w += 2;          /* a lead byte; continuation bytes add 0 */
    }
    return w;
}

/* The text form: "dataset id" then one "label  value" line per field, the labels
 * padded to one column and a value's further lines indented under its first. */
static int write_text(const yj_results *r, FILE *f) {
    for (size_t t = 0; t < yj_results_count(r); t++) {
        size_t w = 0, n = yj_results_nrows(r, t);
        for (size_t row = 0; row < n; row++) {
            yj_value l = yj_results_cell(r, t, row, 0);
            size_t lw = label_width(l.u.t.s, l.u.t.len);
            if (lw > w) w = lw;
        }
        yj_value id = yj_results_cell(r, t, 0, 1);
        fprintf(f, "%s%s %.*s\n", t ? "\n" : "", yj_results_name(r, t),
                id.type == YJ_VAL_TEXT ? (int)id.u.t.len : 0, id.type == YJ_VAL_TEXT ? id.u.t.s : "");
        for (size_t row = 0; row < n; row++) {
            yj_value l = yj_results_cell(r, t, row, 0), v = yj_results_cell(r, t, row, 1);
            char num[32];
            int empty = v.type == YJ_VAL_NULL || (v.type == YJ_VAL_TEXT && !v.u.t.len);
            fprintf(f, "%.*s", (int)l.u.t.len, l.u.t.s);
            if (!empty) fprintf(f, "%*s  ", (int)(w - label_width(l.u.t.s, l.u.t.len)), "");
            if (v.type == YJ_VAL_INT) fprintf(f, "%lld", v.u.i);
            else if (v.type == YJ_VAL_REAL) fputs(yj_format_number(v.u.r, num), f);
            else if (v.type == YJ_VAL_TEXT)
                for (size_t i = 0; i < v.u.t.len; i++) {
                    fputc(v.u.t.s[i], f);
                    if (v.u.t.s[i] == '\n' && i + 1 < v.u.t.len) fprintf(f, "%*s", (int)w + 2, "");
                }
            fputc('\n', f);
        }
    }
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

int cmd_show(int argc, char **argv, const char *db_path) {
    yj_format fmt = YJ_FORMAT_TEXT;
    const char *id = NULL, *v;
    sqlite3 *db = NULL;
    yj_results *out = NULL;
    int status = YJ_EXIT_USAGE;
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (r < 0) goto done;
            if (yj_format_parse(v, &fmt) != 0 || fmt == YJ_FORMAT_XLSX) {
                cli_usage_error("show", "--format must be text, csv or json, not '%s'", v);
                goto done;
            }
        } else if ((r = cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (r < 0) goto done;
            db_path = v;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            status = YJ_EXIT_OK;
            goto done;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"db", "format", "help", NULL};
            cli_unknown_option("show", argv[i], options);
            goto done;
        } else if (id) {
            cli_usage_error("show", "one id at a time ('%s' and '%s')", id, argv[i]);
            goto done;
        } else {
            id = argv[i++];
        }
    }
    if (!id || !*id) {
        usage(stderr);
        goto done;
    }
    char *err = NULL;
    if (db_open(db_path, DB_READONLY, &db, &err) != 0) {
        fprintf(stderr, "yingji show: %s\n", err);
        free(err);
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    const char *why = NULL;
    int n;
    if (!(out = yj_results_new()) || (n = find_all(db, id, out, &why)) < 0) {
        fprintf(stderr, "yingji show: %s: %s\n", db_path, why ? why : _("out of memory"));
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    if (n == 0) {
        fprintf(stderr, _("yingji show: no record %s in any dataset (searched: "), id);
        const char *sep = "";
        for (int i = 0; i < imp_dataset_count(); i++) {
            const imp_dataset *ds = imp_dataset_at(i);
            int key = key_column(ds);
            if (key < 0) continue;
            fprintf(stderr, "%s%s by %s%s%s", sep, ds->name, ds->cols[key].name,
                    ds->unique ? " or " : "", ds->unique ? ds->unique : "");
            sep = ", ";
        }
        fprintf(stderr, ")\n");
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    if ((fmt == YJ_FORMAT_TEXT ? write_text(out, stdout)
                               : yj_results_write(out, fmt, stdout)) != 0) {
        fprintf(stderr, _("yingji show: cannot write the record: %s\n"), strerror(errno));
        status = YJ_EXIT_REJECTED;
        goto done;
    }
    status = YJ_EXIT_OK;
done:
    yj_results_free(out);
    sqlite3_close(db);
    return status;
}
