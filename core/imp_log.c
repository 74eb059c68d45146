/* imp_log.c — the import log: one row of `imports` per imported file (dataset, file,
 * SHA-256, encoding, counts, time, received date), whose id is the batch of every row the file stores. */
#include <stdio.h>

#include "imp_int.h"

/* The import log. Its row is written at the end, with the counts, unless the dataset's
 * rows reference it (units.batch REFERENCES imports(id)): then it is written first and
 * updated at the end. Writing a page at the start and again at the end of a big
 * transaction makes SQLite re-read the whole WAL at commit to redo its checksums (the
 * page's first frame is overwritten), so the big datasets write it once. */
int imp_log_start(imp_ctx *c, imp_log_row *l) {
    sqlite3_stmt *st;
    int rc = -1;
    if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(id), 0) + 1, strftime('%Y-%m-%d %H:%M:%S', 'now'),"
                                  " coalesce(?1, date('now', 'localtime')) FROM imports", -1, &st, NULL) != SQLITE_OK) return -1;
    if (c->opt->received) sqlite3_bind_text(st, 1, c->opt->received, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        l->id = sqlite3_column_int64(st, 0);
        snprintf(l->at, sizeof l->at, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(l->received, sizeof l->received, "%s", (const char *)sqlite3_column_text(st, 2));
        rc = 0;
    }
    sqlite3_finalize(st);
    l->written = 0;
    return rc;
}

/* Inserts the log row (counts zero and no hash yet when !final), or updates it. */
int imp_log_write(imp_ctx *c, imp_log_row *l, const char *sha256, int final) {
    sqlite3_stmt *st;
    const char *sql = l->written
        ? "UPDATE imports SET rows_new = ?1, rows_updated = ?2, rows_unchanged = ?3,"
          " rows_rejected = ?4, sha256 = ?6 WHERE id = ?5"
        : "INSERT INTO imports(rows_new, rows_updated, rows_unchanged, rows_rejected, id, sha256,"
          " dataset, file, encoding, imported_at, received) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, final ? c->res->added : 0);
    sqlite3_bind_int64(st, 2, final ? c->res->updated : 0);
    sqlite3_bind_int64(st, 3, final ? c->res->unchanged : 0);
    sqlite3_bind_int64(st, 4, final ? c->res->rejected : 0);
    sqlite3_bind_int64(st, 5, l->id);
    sqlite3_bind_text(st, 6, final ? sha256 : "", -1, SQLITE_STATIC);
    if (!l->written) {
        sqlite3_bind_text(st, 7, c->ds->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, c->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, c->res->encoding, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, l->at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, l->received, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    if (rc == 0) l->written = 1;
    return rc;
}
