/* archive_known.c — what changed in today's data after an archive's knowledge date
 * (issue 13 item 5): `yingji verify --db FILE` lists, keyed by record id, each record
 * whose version today differs from the one known at the end of that day (field: old →
 * new), each record known then but gone, and the records not known then: one by one
 * those dated on or before the archive's as-of date (the dataset's `info` date: a late
 * report of the evaluated period; NEW_LISTED of them, then a count), the others counted. The state known
 * then is db_known.c's (the TEMP views of --known-on); a record's values and key are
 * those of `yingji history` (imp_dataset_values_sql, "k1|k2" with units by code). Unit
 * lists of tasks are side tables, shown as they are now on both sides, so a change of
 * them alone is not listed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "archive.h"
#include "dataset.h"
#include "db.h"
#include "strbuf.h"

/* New records of the evaluated period listed one by one per dataset; the rest counted. */
#define NEW_LISTED 20

/* The SQL of a record's key over alias t: its key columns joined by '|', units by code. */
static void key_sql(strbuf *b, const imp_dataset *ds) {
    int k = 0;
    for (int i = 0; i < ds->ncols; i++) {
        const imp_column *c = &ds->cols[i];
        if (!(c->flags & IMP_KEY) || !c->db) continue;
        if (k++) strbuf_puts(b, " || '|' || ");
        if (c->type == IMP_UNIT)
            strbuf_printf(b, "coalesce((SELECT u.code FROM main.units u WHERE u.id = t.\"%s\"), t.\"%s\")",
                          c->db, c->db);
        else
            strbuf_printf(b, "t.\"%s\"", c->db);
    }
    if (!k) strbuf_puts(b, "t.rowid");
}

static const char *changes_sql =
    "SELECT b.key, a.value, b.value FROM json_each(?2) b LEFT JOIN json_each(?1) a ON a.key = b.key"
    " WHERE a.value IS NOT b.value ORDER BY b.id";

static const char *show(sqlite3_stmt *st, int c) {
    const char *t = (const char *)sqlite3_column_text(st, c);
    return t ? t : "(empty)";
}

/* The changes of one dataset. Adds to *changed; -1 on a database error. */
static int dataset_changes(sqlite3 *db, const imp_dataset *ds, const char *date, const char *as_of,
                           FILE *out, int *changed, int *header) {
    char values[4096];
    if (imp_dataset_values_sql(ds, values, sizeof values) != 0) return -1;
    strbuf key = STRBUF_INIT, q = STRBUF_INIT;
    key_sql(&key, ds);
    strbuf_printf(&q,
        "WITH k AS (SELECT %s AS k, %s AS v FROM temp.\"%s\" AS t),"
        " n AS (SELECT %s AS k, %s AS v, CAST(%s AS TEXT) <= ?1 AS d FROM main.\"%s\" AS t)"
        " SELECT id, was, now, d FROM (SELECT n.k AS id, k.v AS was, n.v AS now, n.d AS d FROM n"
        " LEFT JOIN k ON k.k = n.k WHERE k.v IS NOT n.v"
        " UNION ALL SELECT k.k, k.v, NULL, 1 FROM k WHERE NOT EXISTS (SELECT 1 FROM n WHERE n.k = k.k))"
        " ORDER BY was IS NULL, id",
        key.p, values, ds->table, key.p, values, ds->date_expr ? ds->date_expr : "NULL", ds->table);
    sqlite3_stmt *st = NULL, *ch = NULL;
    int rc = -1, fresh = 0, later = 0;
    if (q.err || key.err || sqlite3_prepare_v2(db, q.p, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, changes_sql, -1, &ch, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!*header) {
            fprintf(out, _("records changed after %s (the archive's knowledge date), in today's data:\n"), date);
            *header = 1;
        }
        const char *id = show(st, 0);
        (*changed)++;
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
            fprintf(out, _("  %s %s: gone from today's data\n"), ds->name, id);
        } else if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            if (sqlite3_column_int(st, 3) != 1) later++;
            else if (fresh++ < NEW_LISTED) fprintf(out, _("  %s %s: new (not known on %s)\n"), ds->name, id, date);
        } else {
            fprintf(out, "  %s %s:", ds->name, id);
            sqlite3_reset(ch);
            sqlite3_bind_value(ch, 1, sqlite3_column_value(st, 1));
            sqlite3_bind_value(ch, 2, sqlite3_column_value(st, 2));
            int n = 0;
            while (sqlite3_step(ch) == SQLITE_ROW)
                fprintf(out, "%s %s %s → %s", n++ ? ";" : "", show(ch, 0), show(ch, 1), show(ch, 2));
            fprintf(out, "\n");
        }
    }
    if (fresh > NEW_LISTED)
        fprintf(out, _("  ... and %d more new %s record(s) of the period\n"), fresh - NEW_LISTED, ds->name);
    if (later)
        fprintf(out, _("  %s: %d new record(s) dated after %s\n"), ds->name, later, as_of);
    rc = r == SQLITE_DONE ? 0 : -1;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(ch);
    strbuf_free(&key);
    strbuf_free(&q);
    return rc;
}

int archive_known_changes(sqlite3 *db, const char *date, const char *as_of, FILE *out, char **err) {
    char kerr[256];
    snprintf(kerr, sizeof kerr, "%s", _("cannot begin a read transaction"));
    /* The views' old versions are filled on first need by the script runtime; these
     * queries read the views directly, so every dataset is filled first. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK || db_known_on(db, date, kerr, sizeof kerr) != 0 ||
        db_known_fill_all(db, kerr, sizeof kerr) != 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        *err = strdup(kerr);
        return -1;
    }
    int changed = 0, header = 0, rc = 0;
    for (int d = 0; d < imp_dataset_count() && rc == 0; d++)
        if (dataset_changes(db, imp_dataset_at(d), date, as_of, out, &changed, &header) != 0) {
            char m[300];
            snprintf(m, sizeof m, _("records known on %s: %s"), date, sqlite3_errmsg(db));
            *err = strdup(m);
            rc = -1;
        }
    db_known_off(db);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == 0 && !changed) fprintf(out, _("no record changed after %s (the archive's knowledge date)\n"), date);
    return rc == 0 ? changed : -1;
}
