/* db_known.c — the database as it was known at the end of a day (`--known-on`, issue 13
 * item 3): TEMP views named like the datasets' tables, `imports`, `revisions` and the
 * schema's *_v views. SQLite resolves an unqualified name in the temp schema first, so
 * `SELECT ... FROM accidents` reads the as-known state and scripts need no change.
 *
 * A record's versions are its table row (the current one, written by import `batch`)
 * and its revisions (each earlier one: old_values, written by old_batch, superseded by
 * new_batch). A version is known on D when the import that wrote it was received on or
 * before D — for the first version of an accident, when its reported_at (date) is on
 * or before D, else its import's received date. The view shows the latest version known
 * on D and leaves out records of which none is. Side tables (unit_aliases, task_units)
 * are shown as they are now. The views are made inside the run's read transaction (the
 * caller's BEGIN), so they match the data the script reads.
 *
 * Without --known-on none of this exists: nothing is slower. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "dataset.h"
#include "db.h"
#include "strbuf.h"

static int fail(char *err, size_t cap, const char *what, sqlite3 *db) {
    snprintf(err, cap, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
    return -1;
}

/* Runs the statement built in b (out of memory: an error) and frees b. 0 or -1. */
static int run(sqlite3 *db, strbuf *b, const char *what, char *err, size_t cap) {
    int rc = b->err ? fail(err, cap, what, NULL)
           : sqlite3_exec(db, b->p, NULL, NULL, NULL) != SQLITE_OK ? fail(err, cap, what, db) : 0;
    strbuf_free(b);
    return rc;
}

/* The view of one dataset table. date is checked ISO text (no quote in it). */
static int dataset_view(sqlite3 *db, const imp_dataset *ds, const char *date, char *err, size_t cap) {
    char known[96];      /* the imports known on the day: an IN list SQLite builds once */
    snprintf(known, sizeof known, "(SELECT id FROM main.imports WHERE received <= '%s')", date);
    int accidents = !strcmp(ds->name, "accidents");
    int by_code = ds->side && ds->side->by_rowid;      /* units: rows keyed by id, revisions by code */
    strbuf cur = STRBUF_INIT, rev = STRBUF_INIT, v = STRBUF_INIT;   /* freed below */
    sqlite3_stmt *st;
    char q[160];
    snprintf(q, sizeof q, "SELECT name FROM pragma_table_info('%s', 'main') ORDER BY cid", ds->table);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) return fail(err, cap, ds->table, db);
    int ncol = 0, rc = -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        strbuf_printf(&cur, "%s\"%s\"", ncol ? ", " : "", c);
        if (!strcmp(c, "batch")) strbuf_printf(&rev, "%sr.old_batch", ncol ? ", " : "");
        else if (by_code && !strcmp(c, "id"))
            strbuf_printf(&rev, "%s(SELECT u.id FROM main.%s u WHERE u.code = r.record_key)", ncol ? ", " : "",
                ds->table);
        else strbuf_printf(&rev, "%sjson_extract(r.old_values, '$.%s')", ncol ? ", " : "", c);
        ncol++;
    }
    sqlite3_finalize(st);
    if (!ncol) {
        snprintf(err, cap, _("%s: no such table"), ds->table);
        goto done;
    }
    /* No revision of the dataset: one SELECT, which SQLite flattens into the query (a
     * UNION ALL view is run as a co-routine, every row copied: ~25 % on the double decline) */
    int revised = 0;
    snprintf(q, sizeof q, "SELECT EXISTS (SELECT 1 FROM main.revisions WHERE dataset = '%s')", ds->name);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
        fail(err, cap, "revisions", db);
        goto done;
    }
    if (sqlite3_step(st) == SQLITE_ROW) revised = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    strbuf_printf(&v, "CREATE TEMP VIEW \"%s\" AS SELECT %s FROM main.\"%s\" AS t WHERE ", ds->table,
        cur.p ? cur.p : "", ds->table);
    if (accidents && !revised)
        strbuf_printf(&v, "CASE WHEN t.reported_at IS NULL THEN t.batch IN %s ELSE t.reported_at < '%s~' END",
            known, date);
    else if (!revised)
        strbuf_printf(&v, "t.batch IN %s", known);
    if (!revised) {
        v.err |= cur.err;
        rc = run(db, &v, ds->table, err, cap);
        goto done;
    }
    if (accidents)   /* never corrected: its reported_at, when given, dates it. The order
                        spares the look-up of revisions when both dates agree (most rows):
                        reported_at is ISO text, so "on or before D" is "< 'D~'". */
        strbuf_printf(&v, "CASE WHEN t.reported_at IS NULL THEN t.batch IN %s"
                " WHEN t.reported_at < '%s~' THEN (t.batch IN %s OR NOT EXISTS (SELECT 1 FROM"
                " main.revisions x WHERE x.dataset = 'accidents' AND x.record_key = t.id))"
                " ELSE (t.batch IN %s AND EXISTS (SELECT 1 FROM main.revisions x"
                " WHERE x.dataset = 'accidents' AND x.record_key = t.id)) END", known, date, known, known);
    else
        strbuf_printf(&v, "t.batch IN %s", known);
    strbuf_printf(&v, " UNION ALL SELECT %s FROM main.revisions r WHERE r.dataset = '%s' AND ", rev.p ? rev.p : "",
        ds->name);
    if (accidents)   /* the first version: its reported_at, when given */
        strbuf_printf(&v, "CASE WHEN json_extract(r.old_values, '$.reported_at') IS NOT NULL"
                " AND NOT EXISTS (SELECT 1 FROM main.revisions x WHERE x.dataset = r.dataset"
                " AND x.record_key = r.record_key AND x.id < r.id)"
                " THEN date(json_extract(r.old_values, '$.reported_at')) <= '%s'"
                " ELSE r.old_batch IN %s END", date, known);
    else
        strbuf_printf(&v, "r.old_batch IN %s", known);
    /* ... and no later version known (each later one was written by a new_batch) */
    strbuf_printf(&v, " AND NOT EXISTS (SELECT 1 FROM main.revisions y WHERE y.dataset = r.dataset"
            " AND y.record_key = r.record_key AND y.id >= r.id AND y.new_batch IN %s)", known);
    v.err |= cur.err | rev.err;
    rc = run(db, &v, ds->table, err, cap);
done:
    strbuf_free(&cur);
    strbuf_free(&rev);
    strbuf_free(&v);
    return rc;
}

int db_known_on(sqlite3 *db, const char *date, char *err, size_t cap) {
    if (strlen(date) != 10 || strspn(date, "0123456789-") != 10) {
        snprintf(err, cap, _("known-on: '%s' is not a date (YYYY-MM-DD)"), date);
        return -1;
    }
    for (int i = 0; i < imp_dataset_count(); i++)
        if (dataset_view(db, imp_dataset_at(i), date, err, cap) != 0) return -1;
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE TEMP VIEW imports AS SELECT * FROM main.imports WHERE received <= '%s';"
             "CREATE TEMP VIEW revisions AS SELECT * FROM main.revisions WHERE new_batch IN"
             " (SELECT id FROM main.imports WHERE received <= '%s');", date, date);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) return fail(err, cap, "imports", db);
    /* The schema's views (accidents_v ...) name their tables unqualified, which inside
     * main means main's: the same views in temp read the as-known ones. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, substr(sql, 12) FROM main.sqlite_schema WHERE type = 'view'"
                               " AND sql LIKE 'CREATE VIEW %' ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        return fail(err, cap, "views", db);
    int rc = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        strbuf v = STRBUF_INIT;
        strbuf_printf(&v, "CREATE TEMP VIEW %s", (const char *)sqlite3_column_text(st, 1));
        rc = run(db, &v, (const char *)sqlite3_column_text(st, 0), err, cap);
    }
    sqlite3_finalize(st);
    return rc;
}

int db_known_off(sqlite3 *db) {
    /* the views db_known_on made, dropped newest first (the *_v views use the others) */
    for (;;) {
        sqlite3_stmt *st;
        char sql[200];
        if (sqlite3_prepare_v2(db, "SELECT name FROM temp.sqlite_schema WHERE type = 'view'"
                                   " ORDER BY rowid DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK) return -1;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            snprintf(sql, sizeof sql, "DROP VIEW temp.\"%s\"", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) return 0;
        if (rc != SQLITE_ROW || sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) return -1;
    }
}
