/* archive.c — writing, reading and checking the archive file of a frozen evaluation
 * (format in archive.h): the snapshot, the canonical texts and hashes, the manifest. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "archive.h"
#include "db.h"
#include "json.h"
#include "sha256.h"
#include "strbuf.h"

/* {=================================================================
 * Small helpers: messages, canonical values
 * ================================================================== */

char *archive_msgf(const char *fmt, ...) {
    char buf[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, gettext(fmt), ap);   /* fmt: in po/yingji.pot (po/extract.sh) */
    va_end(ap);
    return strdup(buf);
}

/* A string in the hashed texts (the data hash's rows, the manifest): quotes, backslashes
 * and \n escaped, other bytes below 0x20 as \u00XX, every other byte as is. Frozen: these
 * texts are recomputed by `yingji verify` from archives written before, so their bytes
 * never change. (Not JSON output: the result tables use the JSON writer, util/json.c.) */
static void put_hash_str(strbuf *b, const char *s, size_t n) {
    strbuf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; strbuf_put(b, esc, 2); }
        else if (c == '\n') strbuf_put(b, "\\n", 2);
        else if (c < 0x20) { snprintf(esc, sizeof esc, "\\u%04x", c); strbuf_put(b, esc, 6); }
        else strbuf_put(b, s + i, 1);
    }
    strbuf_put(b, "\"", 1);
}

static void put_int(strbuf *b, long long v) {
    char n[32];
    snprintf(n, sizeof n, "%lld", v);
    strbuf_puts(b, n);
}

/* A double in the hashed texts: json_format_number ("nan", "inf" kept: frozen as above). */
static void put_real(strbuf *b, double v) {
    char n[32];
    strbuf_puts(b, json_format_number(v, n));
}

/* One result cell as canonical JSON (util/json.c). */
static void put_value(strbuf *b, yj_value v) {
    switch (v.type) {
    case YJ_VAL_NULL: strbuf_puts(b, "null"); break;
    case YJ_VAL_BOOL: strbuf_puts(b, v.u.b ? "true" : "false"); break;
    case YJ_VAL_INT:  json_integer(b, v.u.i); break;
    case YJ_VAL_REAL: json_number(b, v.u.r); break;
    case YJ_VAL_TEXT: json_string(b, v.u.t.s, v.u.t.len); break;
    }
}

/* One SQLite column as canonical text (blobs as "x'HEX'"). */
static void put_column(strbuf *b, sqlite3_stmt *st, int c) {
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL: strbuf_puts(b, "null"); break;
    case SQLITE_INTEGER: put_int(b, sqlite3_column_int64(st, c)); break;
    case SQLITE_FLOAT: put_real(b, sqlite3_column_double(st, c)); break;
    case SQLITE_TEXT:
        put_hash_str(b, (const char *)sqlite3_column_text(st, c), (size_t)sqlite3_column_bytes(st, c));
        break;
    default: {
        const unsigned char *p = sqlite3_column_blob(st, c);
        int n = sqlite3_column_bytes(st, c);
        strbuf_puts(b, "\"x'");
        for (int i = 0; i < n; i++) { char h[3]; snprintf(h, sizeof h, "%02x", p[i]); strbuf_put(b, h, 2); }
        strbuf_puts(b, "'\"");
    }
    }
}


/* }================================================================= */

void archive_record_free(archive_record *rec) {
    if (!rec) return;
    free(rec->format); free(rec->engine); free(rec->created_at);
    free(rec->script); free(rec->as_of); free(rec->results_json);
    for (size_t i = 0; i < rec->nparams; i++) free(rec->params[i]);
    free(rec->params);
    for (size_t i = 0; i < rec->nfiles; i++) {
        free(rec->files[i].name); free(rec->files[i].path); free(rec->files[i].text);
    }
    free(rec->files);
    for (size_t i = 0; i < rec->ntables; i++) { free(rec->tables[i].name); free(rec->tables[i].json); }
    free(rec->tables);
    free(rec->known_on); free(rec->as_known);
    for (size_t i = 0; i < rec->noutputs; i++) free(rec->outputs[i].name);
    free(rec->outputs);
    free(rec->signer); free(rec->signature);
    free(rec);
}

/* {=================================================================
 * The data snapshot and its hash
 * ================================================================== */

int archive_snapshot(sqlite3 *src, const char *path, char **err) {
    struct stat st;   /* an empty regular file is where out_open lets us build it */
    if (lstat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size != 0)) {
        *err = archive_msgf("%s: already exists", path);
        return -1;
    }
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc != SQLITE_OK) {
        *err = archive_msgf("%s: %s", path, dst ? sqlite3_errmsg(dst) : _("cannot create"));
        sqlite3_close(dst);
        return -1;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        *err = archive_msgf("%s: snapshot failed: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return -1;
    }
    rc = sqlite3_backup_step(bk, -1);       /* all pages in one step: one read transaction */
    sqlite3_backup_finish(bk);
    if (rc != SQLITE_DONE) {
        *err = archive_msgf("%s: snapshot failed: %s", path, sqlite3_errstr(rc));
        sqlite3_close(dst);
        return -1;
    }
    char *e = NULL;
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, &e) != SQLITE_OK) {
        *err = archive_msgf("%s: %s", path, e ? e : sqlite3_errmsg(dst));
        sqlite3_free(e);
        sqlite3_close(dst);
        return -1;
    }
    sqlite3_close(dst);
    return 0;
}

/* Feeds the rows of one SELECT into ck, one canonical line per row. */
static int hash_query(sqlite3 *db, yj_sha256 *ck, const char *sql, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *err = archive_msgf("data snapshot: %s", sqlite3_errmsg(db));
        return -1;
    }
    strbuf b = STRBUF_INIT;
    int rc, n = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        b.len = 0;
        strbuf_put(&b, "[", 1);
        for (int c = 0; c < n; c++) {
            if (c) strbuf_put(&b, ",", 1);
            put_column(&b, st, c);
        }
        strbuf_put(&b, "]\n", 2);
        if (b.err) break;
        yj_sha256_feed(ck, b.p, b.len);
    }
    sqlite3_finalize(st);
    strbuf_free(&b);
    if (b.err) { *err = archive_msgf("data snapshot: out of memory"); return -1; }
    if (rc != SQLITE_DONE) { *err = archive_msgf("data snapshot: %s", sqlite3_errmsg(db)); return -1; }
    return 0;
}

#define NOT_ARCHIVE "name NOT LIKE 'yj\\_archive%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

int archive_data_sha256(sqlite3 *db, char out[65], char **err) {
    yj_sha256 *ck = yj_sha256_new();
    int status = -1;
    sqlite3_stmt *st = NULL;
    if (hash_query(db, ck, "PRAGMA user_version", err) != 0) goto done;
    if (hash_query(db, ck, "SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE "
                   NOT_ARCHIVE " ORDER BY type, name", err) != 0) goto done;
    if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND "
                           NOT_ARCHIVE " ORDER BY name", -1, &st, NULL) != SQLITE_OK) {
        *err = archive_msgf("data snapshot: %s", sqlite3_errmsg(db));
        goto done;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        /* every column, in order of all columns: a total, canonical row order */
        char *q = sqlite3_mprintf("SELECT * FROM main.\"%w\"", name);
        sqlite3_stmt *probe;
        int ncol = 0;
        if (sqlite3_prepare_v2(db, q, -1, &probe, NULL) == SQLITE_OK) {
            ncol = sqlite3_column_count(probe);
            sqlite3_finalize(probe);
        }
        sqlite3_free(q);
        strbuf sql = STRBUF_INIT;
        /* main.: the tables themselves, never a TEMP view of --known-on (db_known.c).
         * NOT INDEXED: every column is read from the table's own rows, never from an
         * index (a covering index could hide a changed row: issue 12). */
        char *head = sqlite3_mprintf("SELECT * FROM main.\"%w\" NOT INDEXED ORDER BY ", name);
        strbuf_puts(&sql, head);
        sqlite3_free(head);
        for (int c = 1; c <= ncol; c++) {
            char k[16];
            snprintf(k, sizeof k, c > 1 ? ",%d" : "%d", c);
            strbuf_puts(&sql, k);
        }
        yj_sha256_feed(ck, name, strlen(name) + 1);
        int r = sql.err ? -1 : hash_query(db, ck, sql.p, err);
        if (sql.err) *err = archive_msgf("out of memory");
        strbuf_free(&sql);
        if (r != 0) goto done;
    }
    status = 0;
done:
    sqlite3_finalize(st);
    if (yj_sha256_finish(ck, out) != 0 && status == 0) {
        *err = archive_msgf("data snapshot: SHA-256 failed");
        status = -1;
    }
    return status;
}

/* }================================================================= */

/* {=================================================================
 * Result tables and the manifest
 * ================================================================== */

char *archive_table_json(const yj_results *r, size_t t) {
    strbuf b = STRBUF_INIT;
    size_t nc = yj_results_ncols(r, t), nr = yj_results_nrows(r, t);
    const char *name = yj_results_name(r, t);
    strbuf_puts(&b, "{\"table\":");
    json_string(&b, name, strlen(name));
    strbuf_puts(&b, ",\"columns\":[");
    for (size_t c = 0; c < nc; c++) {
        const char *col = yj_results_column(r, t, c);
        if (c) strbuf_put(&b, ",", 1);
        json_string(&b, col, strlen(col));
    }
    strbuf_puts(&b, "],\"rows\":[\n");
    for (size_t i = 0; i < nr; i++) {
        strbuf_put(&b, "[", 1);
        for (size_t c = 0; c < nc; c++) {
            if (c) strbuf_put(&b, ",", 1);
            put_value(&b, yj_results_cell(r, t, i, c));
        }
        strbuf_puts(&b, i + 1 < nr ? "],\n" : "]\n");
    }
    strbuf_puts(&b, "]}\n");
    return strbuf_take(&b, NULL);
}

int archive_record_results(archive_record *rec, const yj_results *r) {
    size_t n = yj_results_count(r);
    rec->tables = calloc(n ? n : 1, sizeof *rec->tables);
    if (!rec->tables) return -1;
    for (size_t t = 0; t < n; t++) {
        archive_table *at = &rec->tables[rec->ntables++];
        at->name = strdup(yj_results_name(r, t));
        at->json = archive_table_json(r, t);
        if (!at->name || !at->json) return -1;
        yj_sha256_hex(at->json, strlen(at->json), at->sha256);
    }
    size_t len = 0;
    if (yj_results_to_string(r, YJ_FORMAT_JSON, &rec->results_json, &len) != 0) return -1;
    yj_sha256_hex(rec->results_json, len, rec->results_sha256);
    return 0;
}

/* The manifest text: one line per field, hashes in place of contents. Format 2 adds the
 * lines "known_on", "as_known" after "results" and one "output NAME SHA256" line per
 * output file at the end; format 1's text is frozen as it was. */
static char *manifest_text(const archive_record *rec) {
    strbuf b = STRBUF_INIT;
    const char *fields[][2] = {
        {"format", rec->format}, {"engine", rec->engine}, {"created_at", rec->created_at},
        {"script", rec->script}, {"as_of", rec->as_of}, {"data", rec->data_sha256},
        {"results", rec->results_sha256},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        strbuf_puts(&b, fields[i][0]); strbuf_put(&b, " ", 1);
        strbuf_puts(&b, fields[i][1] ? fields[i][1] : ""); strbuf_put(&b, "\n", 1);
    }
    if (rec->version >= 2) {
        strbuf_puts(&b, "known_on "); strbuf_puts(&b, rec->known_on ? rec->known_on : "");
        strbuf_puts(&b, "\nas_known "); strbuf_puts(&b, rec->as_known ? rec->as_known : "");
        strbuf_put(&b, "\n", 1);
    }
    for (size_t i = 0; i < rec->nparams; i++) {
        strbuf_puts(&b, "param "); put_hash_str(&b, rec->params[i], strlen(rec->params[i])); strbuf_put(&b, "\n", 1);
    }
    for (size_t i = 0; i < rec->nfiles; i++) {
        const archive_file *f = &rec->files[i];
        strbuf_puts(&b, "file ");
        if (f->name) put_hash_str(&b, f->name, strlen(f->name)); else strbuf_puts(&b, "null");
        strbuf_put(&b, " ", 1); put_hash_str(&b, f->path, strlen(f->path));
        strbuf_put(&b, " ", 1); strbuf_puts(&b, f->sha256); strbuf_put(&b, "\n", 1);
    }
    for (size_t i = 0; i < rec->ntables; i++) {
        strbuf_puts(&b, "table "); put_hash_str(&b, rec->tables[i].name, strlen(rec->tables[i].name));
        strbuf_put(&b, " ", 1); strbuf_puts(&b, rec->tables[i].sha256); strbuf_put(&b, "\n", 1);
    }
    for (size_t i = 0; i < rec->noutputs; i++) {
        strbuf_puts(&b, "output "); put_hash_str(&b, rec->outputs[i].name, strlen(rec->outputs[i].name));
        strbuf_put(&b, " ", 1); strbuf_puts(&b, rec->outputs[i].sha256); strbuf_put(&b, "\n", 1);
    }
    return strbuf_take(&b, NULL);
}

void archive_manifest(archive_record *rec) {
    char *m = manifest_text(rec);
    if (m) yj_sha256_hex(m, strlen(m), rec->manifest_sha256);
    else rec->manifest_sha256[0] = '\0';
    free(m);
}

/* }================================================================= */

/* {=================================================================
 * Storing and loading the record
 * ================================================================== */

static const char *const archive_schema =
    "CREATE TABLE yj_archive (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE yj_archive_params (seq INTEGER PRIMARY KEY, param TEXT NOT NULL);"
    "CREATE TABLE yj_archive_files (seq INTEGER PRIMARY KEY, name TEXT, path TEXT NOT NULL,"
    "  content BLOB NOT NULL, sha256 TEXT NOT NULL);"
    "CREATE TABLE yj_archive_tables (seq INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    "  json TEXT NOT NULL, sha256 TEXT NOT NULL);";
/* Format 2's table besides format 1's. */
static const char *const archive_schema_2 =
    "CREATE TABLE yj_archive_outputs (seq INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL);";

/* Runs one INSERT with text/blob arguments given as (type, pointer, length) triples:
 * 't' text (length -1: NUL-terminated), 'b' blob, 'i' integer (pointer to long long),
 * 'n' null. */
static int insert(sqlite3 *db, const char *sql, const char *types, ...) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        const void *p = va_arg(ap, const void *);
        long long n = va_arg(ap, long long);
        if (types[i] == 't') sqlite3_bind_text(st, i + 1, p, (int)n, SQLITE_STATIC);
        else if (types[i] == 'b') sqlite3_bind_blob(st, i + 1, p, (int)n, SQLITE_STATIC);
        else if (types[i] == 'i') sqlite3_bind_int64(st, i + 1, n);
        else sqlite3_bind_null(st, i + 1);
    }
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

#define TXT(s) (const void *)(s), (long long)-1

int archive_store(sqlite3 *db, const archive_record *rec, char **err) {
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_exec(db, archive_schema, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (rec->version >= 2 && sqlite3_exec(db, archive_schema_2, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    const char *kv[][2] = {
        {"format", rec->format}, {"engine", rec->engine}, {"created_at", rec->created_at},
        {"script", rec->script}, {"as_of", rec->as_of}, {"data_sha256", rec->data_sha256},
        {"results_json", rec->results_json}, {"results_sha256", rec->results_sha256},
        {"manifest_sha256", rec->manifest_sha256},
        {"known_on", rec->known_on}, {"as_known", rec->as_known},
        {"signer", rec->signer}, {"signature", rec->signature},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (kv[i][1] && insert(db, "INSERT INTO yj_archive VALUES (?, ?)", "tt", TXT(kv[i][0]), TXT(kv[i][1])))
            goto fail;
    for (size_t i = 0; i < rec->noutputs; i++)
        if (insert(db, "INSERT INTO yj_archive_outputs VALUES (?, ?, ?)", "itt",
                   (const void *)NULL, (long long)i + 1, TXT(rec->outputs[i].name),
                   TXT(rec->outputs[i].sha256)))
            goto fail;
    for (size_t i = 0; i < rec->nparams; i++)
        if (insert(db, "INSERT INTO yj_archive_params VALUES (?, ?)", "it",
                   (const void *)NULL, (long long)i + 1, TXT(rec->params[i])))
            goto fail;
    for (size_t i = 0; i < rec->nfiles; i++) {
        const archive_file *f = &rec->files[i];
        if (insert(db, "INSERT INTO yj_archive_files VALUES (?, ?, ?, ?, ?)",
                   f->name ? "ittbt" : "intbt", (const void *)NULL, (long long)i + 1,
                   TXT(f->name), TXT(f->path), (const void *)f->text, (long long)f->len,
                   TXT(f->sha256)))
            goto fail;
    }
    for (size_t i = 0; i < rec->ntables; i++)
        if (insert(db, "INSERT INTO yj_archive_tables VALUES (?, ?, ?, ?)", "ittt",
                   (const void *)NULL, (long long)i + 1, TXT(rec->tables[i].name),
                   TXT(rec->tables[i].json), TXT(rec->tables[i].sha256)))
            goto fail;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto fail;
    return 0;
fail:
    *err = archive_msgf("cannot write the archive: %s", sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* A 64-digit lower-case hex SHA-256. */
static int is_sha256(const char *h) {
    if (!h || strlen(h) != 64) return 0;
    for (int i = 0; i < 64; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'))) return 0;
    return 1;
}

/* Column c of st as a malloc'd string into *out (caller frees), strictly: of SQL type
 * want ("text" or "blob"; "text?" also allows NULL, then *out is NULL), and for text no
 * NUL byte inside (bytes after a NUL would be invisible to the hashes). *len gets the
 * byte count when not NULL. 0, or -1 with *err naming what (where) was wrong. */
static int strict_col(sqlite3_stmt *st, int c, const char *want, const char *where,
                      char **out, size_t *len, char **err) {
    *out = NULL;
    int t = sqlite3_column_type(st, c);
    int text = want[0] == 't';
    if (t == SQLITE_NULL && want[strlen(want) - 1] == '?') return 0;
    if (t != (text ? SQLITE_TEXT : SQLITE_BLOB)) {
        *err = archive_msgf("%s: %s is not %s", where, sqlite3_column_name(st, c), text ? "text" : "a blob");
        return -1;
    }
    const void *p = text ? (const void *)sqlite3_column_text(st, c) : sqlite3_column_blob(st, c);
    int n = sqlite3_column_bytes(st, c);
    if (text && p && memchr(p, '\0', (size_t)n)) {
        *err = archive_msgf("%s: %s has text after a NUL byte", where, sqlite3_column_name(st, c));
        return -1;
    }
    *out = malloc((size_t)n + 1);
    if (!*out) { *err = archive_msgf("out of memory"); return -1; }
    if (n) memcpy(*out, p, (size_t)n);
    (*out)[n] = '\0';
    if (len) *len = (size_t)n;
    return 0;
}

/* Makes room for one more element in the array *p of n elements (capacity *cap). */
static int grow(void *p, size_t *cap, size_t n, size_t size) {
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 8;
    void *q = realloc(*(void **)p, c * size);
    if (!q) return -1;
    *(void **)p = q;
    *cap = c;
    return 0;
}

/* Copies a stored hash into dst after checking it is one. */
static int take_hash(char dst[65], char *v, const char *where, char **err) {
    int ok = is_sha256(v);
    if (ok) memcpy(dst, v, 65);
    else *err = archive_msgf("%s is not a SHA-256", where);
    free(v);
    return ok ? 0 : -1;
}

/* The seq column of a row of yj_archive_{params,files,tables}: 1, 2, ... in order. */
static int check_seq(sqlite3_stmt *st, size_t want, const char *table, char **err) {
    if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || sqlite3_column_int64(st, 0) != (long long)want) {
        *err = archive_msgf("%s: row %zu is not numbered %zu", table, want, want);
        return -1;
    }
    return 0;
}

/* The keys of yj_archive (archive.h): the first NKEYS_1 are format 1's, exactly; format
 * 2 adds known_on and as_known, and signer with signature (both or neither). */
static const char *const archive_keys[] = {
    "format", "engine", "created_at", "script", "as_of", "data_sha256", "results_json",
    "results_sha256", "manifest_sha256", "known_on", "as_known", "signer", "signature",
};
#define NKEYS (sizeof archive_keys / sizeof archive_keys[0])
#define NKEYS_1 9
#define NKEYS_2 11

/* A date YYYY-MM-DD (the form the engine writes). */
static int is_iso_date(const char *d) {
    static const char form[] = "dddd-dd-dd";
    if (!d || strlen(d) != 10) return 0;
    for (int i = 0; i < 10; i++)
        if (form[i] == 'd' ? !(d[i] >= '0' && d[i] <= '9') : d[i] != '-') return 0;
    return 1;
}

/* n lower-case hex digits. */
static int is_hex(const char *h, size_t n) {
    if (!h || strlen(h) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'))) return 0;
    return 1;
}

/* 1 when db has the table name (read from sqlite_master only), 0 if not, -1 on error. */
static int has_table(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                           -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) > 0 : -1;
    sqlite3_finalize(st);
    return r;
}

int archive_load(sqlite3 *db, archive_record **out, char **err) {
    archive_record *rec = calloc(1, sizeof *rec);
    sqlite3_stmt *st = NULL;
    char where[96], *v = NULL;
    if (!rec) { *err = archive_msgf("out of memory"); return -1; }
    if (sqlite3_prepare_v2(db, "SELECT key, value FROM yj_archive", -1, &st, NULL) != SQLITE_OK)
        goto bad;
    char seen[NKEYS] = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *k;
        if (strict_col(st, 0, "text", "a key of yj_archive", &k, NULL, err) != 0) goto fail;
        size_t i = 0;
        while (i < NKEYS && strcmp(k, archive_keys[i])) i++;
        if (i == NKEYS) {
            *err = archive_msgf("unknown key '%.40s' in yj_archive", k);
            free(k);
            goto fail;
        }
        free(k);
        snprintf(where, sizeof where, "yj_archive's %s", archive_keys[i]);
        if (strict_col(st, 1, "text", where, &v, NULL, err) != 0) goto fail;
        seen[i] = 1;
        char **slot[] = { &rec->format, &rec->engine, &rec->created_at, &rec->script, &rec->as_of,
                          NULL, &rec->results_json, NULL, NULL, &rec->known_on, &rec->as_known,
                          &rec->signer, &rec->signature };
        char *hash[] = { NULL, NULL, NULL, NULL, NULL, rec->data_sha256, NULL,
                         rec->results_sha256, rec->manifest_sha256, NULL, NULL, NULL, NULL };
        if (slot[i]) { free(*slot[i]); *slot[i] = v; }
        else if (take_hash(hash[i], v, where, err) != 0) { v = NULL; goto fail; }
        v = NULL;
    }
    if (rc != SQLITE_DONE) goto bad;
    sqlite3_finalize(st);
    st = NULL;
    if (rec->format && !strcmp(rec->format, ARCHIVE_FORMAT_1)) rec->version = 1;
    else if (rec->format && !strcmp(rec->format, ARCHIVE_FORMAT)) rec->version = 2;
    else if (rec->format) {
        *err = archive_msgf("an archive of an unknown format: %.60s", rec->format);
        goto fail;
    }
    size_t need = rec->version == 2 ? NKEYS_2 : NKEYS_1;
    for (size_t i = 0; i < NKEYS; i++) {
        if (i < need && !seen[i]) { *err = archive_msgf("yj_archive has no %s", archive_keys[i]); goto fail; }
        if (i >= need && seen[i] && rec->version == 1) {
            *err = archive_msgf("key '%s' in a format-1 archive (it is format 2's)", archive_keys[i]);
            goto fail;
        }
    }
    if (rec->version == 2) {
        if (!is_iso_date(rec->known_on)) { *err = archive_msgf("yj_archive's known_on is not a date YYYY-MM-DD"); goto fail; }
        if (strcmp(rec->as_known, "0") && strcmp(rec->as_known, "1")) {
            *err = archive_msgf("yj_archive's as_known is not 0 or 1");
            goto fail;
        }
        if (!rec->signer != !rec->signature) {
            *err = archive_msgf("yj_archive has a %s without a %s", rec->signer ? "signer" : "signature",
                        rec->signer ? "signature" : "signer");
            goto fail;
        }
        if (rec->signer && !is_hex(rec->signer, 64)) {
            *err = archive_msgf("yj_archive's signer is not an Ed25519 public key (64 hex digits)");
            goto fail;
        }
        if (rec->signature && !is_hex(rec->signature, 128)) {
            *err = archive_msgf("yj_archive's signature is not an Ed25519 signature (128 hex digits)");
            goto fail;
        }
    }
    if (has_table(db, "yj_archive_outputs") != (rec->version == 2)) {
        *err = rec->version == 2 ? archive_msgf("a format-2 archive without yj_archive_outputs")
                                 : archive_msgf("a format-%d archive with yj_archive_outputs", rec->version);
        goto fail;
    }
    size_t cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT seq, param FROM yj_archive_params ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
        goto bad;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(&rec->params, &cap, rec->nparams, sizeof *rec->params) != 0) goto oom;
        if (check_seq(st, rec->nparams + 1, "yj_archive_params", err) != 0) goto fail;
        snprintf(where, sizeof where, "parameter %zu", rec->nparams + 1);
        if (strict_col(st, 1, "text", where, &v, NULL, err) != 0) goto fail;
        rec->params[rec->nparams++] = v;
        v = NULL;
    }
    if (rc != SQLITE_DONE) goto bad;
    sqlite3_finalize(st);
    cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT seq, name, path, content, sha256 FROM yj_archive_files ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        goto bad;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(&rec->files, &cap, rec->nfiles, sizeof *rec->files) != 0) goto oom;
        if (check_seq(st, rec->nfiles + 1, "yj_archive_files", err) != 0) goto fail;
        archive_file *f = &rec->files[rec->nfiles++];
        memset(f, 0, sizeof *f);                 /* freed as it is if a column is refused */
        snprintf(where, sizeof where, "file %zu", rec->nfiles);
        if (strict_col(st, 1, "text?", where, &f->name, NULL, err) != 0 ||
            strict_col(st, 2, "text", where, &f->path, NULL, err) != 0 ||
            strict_col(st, 3, "blob", where, &f->text, &f->len, err) != 0 ||
            strict_col(st, 4, "text", where, &v, NULL, err) != 0 ||
            take_hash(f->sha256, v, where, err) != 0) {
            v = NULL;
            goto fail;
        }
        v = NULL;
    }
    if (rc != SQLITE_DONE) goto bad;
    sqlite3_finalize(st);
    cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT seq, name, json, sha256 FROM yj_archive_tables ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        goto bad;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow(&rec->tables, &cap, rec->ntables, sizeof *rec->tables) != 0) goto oom;
        if (check_seq(st, rec->ntables + 1, "yj_archive_tables", err) != 0) goto fail;
        archive_table *t = &rec->tables[rec->ntables++];
        memset(t, 0, sizeof *t);
        snprintf(where, sizeof where, "result table %zu", rec->ntables);
        if (strict_col(st, 1, "text", where, &t->name, NULL, err) != 0 ||
            strict_col(st, 2, "text", where, &t->json, NULL, err) != 0 ||
            strict_col(st, 3, "text", where, &v, NULL, err) != 0 ||
            take_hash(t->sha256, v, where, err) != 0) {
            v = NULL;
            goto fail;
        }
        v = NULL;
    }
    if (rc != SQLITE_DONE) goto bad;
    sqlite3_finalize(st);
    st = NULL;
    cap = 0;
    if (rec->version == 2) {
        if (sqlite3_prepare_v2(db, "SELECT seq, name, sha256 FROM yj_archive_outputs ORDER BY seq",
                               -1, &st, NULL) != SQLITE_OK)
            goto bad;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (grow(&rec->outputs, &cap, rec->noutputs, sizeof *rec->outputs) != 0) goto oom;
            if (check_seq(st, rec->noutputs + 1, "yj_archive_outputs", err) != 0) goto fail;
            archive_output *o = &rec->outputs[rec->noutputs++];
            memset(o, 0, sizeof *o);
            snprintf(where, sizeof where, "output %zu", rec->noutputs);
            if (strict_col(st, 1, "text", where, &o->name, NULL, err) != 0 ||
                strict_col(st, 2, "text", where, &v, NULL, err) != 0 ||
                take_hash(o->sha256, v, where, err) != 0) {
                v = NULL;
                goto fail;
            }
            v = NULL;
            if (!*o->name || o->name[0] == '/' || strstr(o->name, "..")) {
                *err = archive_msgf("output %zu: '%.60s' is not a name inside the output folder", rec->noutputs, o->name);
                goto fail;
            }
        }
        if (rc != SQLITE_DONE) goto bad;
        sqlite3_finalize(st);
    }
    *out = rec;
    return 0;
oom:
    *err = archive_msgf("out of memory");
    goto fail;
bad:
    *err = archive_msgf("not a yingji archive: %s", sqlite3_errmsg(db));
fail:
    free(v);
    sqlite3_finalize(st);
    archive_record_free(rec);
    return -1;
}

/* }================================================================= */

/* {=================================================================
 * Opening an archive strictly: the file, the schema, the pages
 * ================================================================== */

static unsigned long be32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* The file itself, read before SQLite sees it: an SQLite database in rollback-journal
 * mode whose header gives its size in pages, and not one byte more or less. */
static int check_file(const char *path, char **err) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) { *err = archive_msgf("cannot open: %s", strerror(errno)); return -1; }
    unsigned char h[100];
    struct stat st;
    ssize_t n = read(fd, h, sizeof h);
    int fs = fstat(fd, &st);
    close(fd);
    if (fs != 0 || !S_ISREG(st.st_mode)) { *err = archive_msgf("not a regular file"); return -1; }
    if (n != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
        *err = archive_msgf("not a yingji archive (not an SQLite file)");
        return -1;
    }
    unsigned long page = (unsigned long)h[16] << 8 | h[17];
    if (page == 1) page = 65536;
    if (page < 512 || (page & (page - 1))) { *err = archive_msgf("bad page size %lu in the header", page); return 1; }
    if (h[18] != 1 || h[19] != 1) {
        *err = archive_msgf("not in rollback-journal mode (the archive must be one file)");
        return 1;
    }
    unsigned long pages = be32(h + 28);
    if (pages == 0 || be32(h + 24) != be32(h + 92)) {
        *err = archive_msgf("the header does not give the database's size");
        return 1;
    }
    unsigned long long want = (unsigned long long)pages * page;
    if ((unsigned long long)st.st_size > want) {
        *err = archive_msgf("%llu trailing byte(s) after the database's %lu pages",
                    (unsigned long long)st.st_size - want, pages);
        return 1;
    }
    if ((unsigned long long)st.st_size < want) {
        *err = archive_msgf("truncated: %llu bytes, the header says %lu pages of %lu",
                    (unsigned long long)st.st_size, pages, page);
        return 1;
    }
    return 0;
}

/* The schema the engine writes into an archive: migrations 1..version (db_schema.c) and
 * the archive's own tables (format 2's too when fmt2), built in memory. NULL when it
 * cannot be built. */
static sqlite3 *engine_schema(int version, int fmt2) {
    sqlite3 *m = NULL;
    if (sqlite3_open(":memory:", &m) != SQLITE_OK) { sqlite3_close(m); return NULL; }
    for (int n = 1; n <= version; n++)
        if (sqlite3_exec(m, db_schema_migration(n), NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_exec(m, archive_schema, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    if (fmt2 && sqlite3_exec(m, archive_schema_2, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    return m;
fail:
    sqlite3_close(m);
    return NULL;
}

#define SCHEMA_SQL "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"

/* Text column c of st, "" for NULL. */
static const char *txt(sqlite3_stmt *st, int c) {
    const char *t = (const char *)sqlite3_column_text(st, c);
    return t ? t : "";
}

/* Compares the snapshot's sqlite_master with the engine's, entry by entry (names in
 * order): anything added (a trigger, a view, a table, a virtual table), missing or
 * defined otherwise (a generated column, a CHECK) is refused. Reads sqlite_master only:
 * no SQL of the snapshot runs. 0, 1 with *err, or -1 with *err (not an archive). */
static int check_schema(sqlite3 *db, char **err) {
    sqlite3_stmt *st = NULL, *mt = NULL;
    sqlite3 *m = NULL;
    int version = -1, status = 1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) goto unreadable;
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'yj_archive'",
                           -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        goto unreadable;
    if (sqlite3_column_int(st, 0) != 1) {
        sqlite3_finalize(st);
        *err = archive_msgf("not a yingji archive (no yj_archive table)");
        return -1;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (version < 1 || version > db_schema_latest()) {
        *err = archive_msgf("the snapshot's schema version %d is not one yingji writes (1..%d)",
                    version, db_schema_latest());
        return 1;
    }
    /* Every schema cell of the type the engine writes: text (sql NULL for an automatic
     * index), rootpage an integer. A blob 'table' or SQL text reads as the same text
     * below (and SQLite still loads it), but it is not what the engine wrote — one bit
     * of a record's serial type (the full bit-flip sweep, docs/reliability.md). */
    if (sqlite3_prepare_v2(db, "SELECT name, CASE WHEN typeof(type) != 'text' THEN 'type'"
                           " WHEN typeof(name) != 'text' THEN 'name' WHEN typeof(tbl_name) != 'text'"
                           " THEN 'tbl_name' WHEN typeof(sql) NOT IN ('text', 'null') THEN 'sql'"
                           " WHEN typeof(rootpage) != 'integer' THEN 'rootpage' END FROM sqlite_master"
                           " WHERE typeof(type) != 'text' OR typeof(name) != 'text' OR"
                           " typeof(tbl_name) != 'text' OR typeof(sql) NOT IN ('text', 'null') OR"
                           " typeof(rootpage) != 'integer' LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        goto unreadable;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *err = archive_msgf("sqlite_master's %s of %.60s is not %s: not the schema yingji writes", txt(st, 1),
                    txt(st, 0), strcmp(txt(st, 1), "rootpage") ? "text" : "an integer");
        sqlite3_finalize(st);
        return 1;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* format 2 has one table more; archive_load checks the format says so */
    int fmt2 = has_table(db, "yj_archive_outputs");
    if (fmt2 < 0) goto unreadable;
    if (!(m = engine_schema(version, fmt2))) { *err = archive_msgf("out of memory"); return 1; }
    if (sqlite3_prepare_v2(db, SCHEMA_SQL, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m, SCHEMA_SQL, -1, &mt, NULL) != SQLITE_OK)
        goto unreadable;
    int a = sqlite3_step(st), b = sqlite3_step(mt);
    while (a == SQLITE_ROW || b == SQLITE_ROW) {
        int c = a != SQLITE_ROW ? 1 : b != SQLITE_ROW ? -1 : strcmp(txt(st, 1), txt(mt, 1));
        if (c < 0) {
            *err = archive_msgf("%s %.60s is not one yingji creates", txt(st, 0), txt(st, 1));
            goto done;
        }
        if (c > 0) {
            *err = archive_msgf("the snapshot has no %s %.60s", txt(mt, 0), txt(mt, 1));
            goto done;
        }
        if (strcmp(txt(st, 0), txt(mt, 0)) || strcmp(txt(st, 2), txt(mt, 2)) || strcmp(txt(st, 3), txt(mt, 3))) {
            *err = archive_msgf("%s %.60s is not defined as yingji defines it (schema version %d): %.200s",
                        txt(st, 0), txt(st, 1), version, txt(st, 3));
            goto done;
        }
        a = sqlite3_step(st);
        b = sqlite3_step(mt);
    }
    if (a != SQLITE_DONE) goto unreadable;
    status = 0;
    goto done;
unreadable:
    *err = archive_msgf("unreadable schema: %s", sqlite3_errmsg(db));
    status = 1;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(mt);
    sqlite3_close(m);
    return status;
}

/* PRAGMA integrity_check: every page, every index entry against its table's row. */
static int check_integrity(sqlite3 *db, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(5)", -1, &st, NULL) != SQLITE_OK) {
        *err = archive_msgf("the snapshot is damaged: %s", sqlite3_errmsg(db));
        return 1;
    }
    strbuf b = STRBUF_INIT;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = txt(st, 0);
        if (!strcmp(t, "ok")) continue;
        if (b.len) strbuf_puts(&b, "; ");
        strbuf_puts(&b, t);
    }
    if (rc != SQLITE_DONE && !b.len) strbuf_puts(&b, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    int bad = b.len > 0;
    if (bad) *err = archive_msgf("the snapshot is damaged (integrity_check): %.400s", b.err ? "out of memory" : b.p);
    strbuf_free(&b);
    return bad;
}

int archive_open(const char *path, sqlite3 **out, char **err) {
    *out = NULL;
    int r = check_file(path, err);
    if (r != 0) return r;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
        *err = archive_msgf("%s", db ? sqlite3_errmsg(db) : _("cannot open"));
        sqlite3_close(db);
        return -1;
    }
    /* belts and braces: no schema function, view or trigger is trusted to run */
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    if ((r = check_schema(db, err)) != 0 || (r = check_integrity(db, err)) != 0) {
        sqlite3_close(db);
        return r;
    }
    *out = db;
    return 0;
}

/* }================================================================= */

int archive_check(sqlite3 *db, const archive_record *rec, FILE *out, char **err) {
    int bad = 0;
    char h[65];
    for (size_t i = 0; i < rec->nfiles; i++) {
        yj_sha256_hex(rec->files[i].text, rec->files[i].len, h);
        if (strcmp(h, rec->files[i].sha256)) {
            fprintf(out, _("tampered: file %s does not match its SHA-256\n"), rec->files[i].path);
            bad++;
        }
    }
    if (archive_data_sha256(db, h, err) != 0) return -1;
    if (strcmp(h, rec->data_sha256)) {
        fprintf(out, _("tampered: the data snapshot does not match its SHA-256\n"));
        bad++;
    }
    for (size_t i = 0; i < rec->ntables; i++) {
        yj_sha256_hex(rec->tables[i].json, strlen(rec->tables[i].json), h);
        if (strcmp(h, rec->tables[i].sha256)) {
            fprintf(out, _("tampered: result table %s does not match its SHA-256\n"), rec->tables[i].name);
            bad++;
        }
    }
    yj_sha256_hex(rec->results_json, strlen(rec->results_json), h);
    if (strcmp(h, rec->results_sha256)) {
        fprintf(out, _("tampered: the results JSON does not match its SHA-256\n"));
        bad++;
    }
    char *m = manifest_text(rec);
    if (!m) { *err = archive_msgf("out of memory"); return -1; }
    yj_sha256_hex(m, strlen(m), h);
    free(m);
    if (strcmp(h, rec->manifest_sha256)) {
        fprintf(out, _("tampered: the manifest does not match its SHA-256 (a field or hash was edited)\n"));
        bad++;
    }
    return bad;
}

/* {=================================================================
 * Output files (format 2)
 * ================================================================== */

/* The SHA-256 of the file at path into out. 1 when hashed, 0 when there is no such
 * regular file, -1 with *err when it cannot be read. */
static int hash_file(const char *path, char out[65], char **err) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return 0;
        *err = archive_msgf("%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { close(fd); return 0; }
    yj_sha256 *ck = yj_sha256_new();
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) yj_sha256_feed(ck, buf, (size_t)n);
    int e = errno;
    close(fd);
    if (yj_sha256_finish(ck, out) != 0 || n < 0) {
        *err = archive_msgf("%s: %s", path, n < 0 ? strerror(e) : "SHA-256 failed");
        return -1;
    }
    return 1;
}

int archive_outputs_collect(const char *dir, const char *const *names, size_t n,
                            archive_output **out, size_t *nout, char **err) {
    *out = calloc(n ? n : 1, sizeof **out);
    *nout = 0;
    if (!*out) { *err = archive_msgf("out of memory"); return -1; }
    for (size_t i = 0; i < n; i++) {
        char *path = malloc(strlen(dir) + strlen(names[i]) + 2);
        if (!path) { *err = archive_msgf("out of memory"); return -1; }
        sprintf(path, "%s/%s", dir, names[i]);
        archive_output *o = &(*out)[*nout];
        int r = hash_file(path, o->sha256, err);
        free(path);
        if (r < 0) return -1;
        if (r == 0) continue;                   /* allowed, but never written */
        if (!(o->name = strdup(names[i]))) { *err = archive_msgf("out of memory"); return -1; }
        (*nout)++;
    }
    return 0;
}

void archive_outputs_free(archive_output *o, size_t n) {
    for (size_t i = 0; o && i < n; i++) free(o[i].name);
    free(o);
}

int archive_outputs_diff(const archive_record *rec, const archive_output *now, size_t nnow, FILE *out) {
    int bad = 0;
    for (size_t i = 0; i < rec->noutputs; i++) {
        const archive_output *a = &rec->outputs[i];
        size_t j = 0;
        while (j < nnow && strcmp(now[j].name, a->name)) j++;
        if (j == nnow) {
            fprintf(out, _("output %s: the re-run did not write it\n"), a->name);
            bad++;
        } else if (strcmp(now[j].sha256, a->sha256)) {
            fprintf(out, _("output %s: changed (sha256 %.12s… archived, %.12s… re-run)\n"), a->name,
                    a->sha256, now[j].sha256);
            bad++;
        }
    }
    for (size_t j = 0; j < nnow; j++) {
        size_t i = 0;
        while (i < rec->noutputs && strcmp(rec->outputs[i].name, now[j].name)) i++;
        if (i == rec->noutputs) {
            fprintf(out, _("output %s: written by the re-run, not by the archived run\n"), now[j].name);
            bad++;
        }
    }
    return bad;
}
