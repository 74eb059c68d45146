/* cmd_archive.c — `yingji archive`: freeze one evaluation into a file, per
 * shared/spec/scoring.md (`yingji verify` re-runs it: cmd_verify.c). The file format and
 * its hashes are in archive.h; the run goes through script.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "archive.h"
#include "archive_sign.h"
#include "sha256.h"
#include "cli.h"
#include "cli_script.h"
#include "db.h"
#include "out_file.h"
#include "script.h"
#include "script_watchdog.h"

static void archive_usage(FILE *out) {
    fprintf(out,
        _("usage: yingji archive [options] -o ARCHIVE SCRIPT.lua\n"
        "Runs SCRIPT.lua like 'yingji run' and freezes the evaluation into one SQLite file:\n"
        "a snapshot of the database, the script and every Lua file it required, the\n"
        "parameters and as-of date, the engine version, and the result tables with their\n"
        "SHA-256, under one manifest hash. 'yingji verify ARCHIVE' proves it reproduces.\n\n"
        "options:\n"
        "  -o ARCHIVE               the file to write (must not exist)\n"
        "  --as-of YYYY-MM-DD       ctx.as_of (default: today; the date used is recorded)\n"
        "  --set KEY=VALUE          ctx.params.KEY (repeatable; recorded)\n"
        "  --set-file KEY=FILE      ctx.params.KEY is the text of FILE (recorded)\n"
        "  --db FILE                the database (default ./yingji.db or $YINGJI_DB)\n"
        "  --known-on DATE          run on the data as known at the end of DATE, as 'yingji\n"
        "                           run --known-on' does; the archive records DATE as its\n"
        "                           knowledge date (default: the day it is made, data as is)\n"
        "  --sign KEY               sign the manifest with the secret key file KEY (made by\n"
        "                           'yingji keygen'; mode 0600); 'verify --trust' checks it\n"
        "Files the script writes inside --set charts_dir=DIR (created when missing) are\n"
        "recorded by name and SHA-256; verify compares the re-run's.\n"));
    cli_script_limits_usage(out);
    fprintf(out, _("\n"
        "exit status: 0 archived, 1 usage (a key file others may read, too), 2 database\n"
        "unreadable, 4 script error or a limit hit.\n"));
}

/* Today's local date as YYYY-MM-DD into out[11]. */
static void today(char out[11]) {
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void utc_now(char out[21]) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Copies the files the run loaded into rec, with their hashes. */
static int record_files(archive_record *rec, const yj_script *s) {
    size_t n = 0;
    const yj_source *src = yj_script_loaded_files(s, &n);
    rec->files = calloc(n ? n : 1, sizeof *rec->files);
    if (!rec->files) return -1;
    for (size_t i = 0; i < n; i++) {
        archive_file *f = &rec->files[rec->nfiles++];
        f->name = src[i].name ? strdup(src[i].name) : NULL;
        f->path = strdup(src[i].path);
        f->text = malloc(src[i].len + 1);
        if ((src[i].name && !f->name) || !f->path || !f->text) return -1;
        memcpy(f->text, src[i].text, src[i].len);
        f->text[src[i].len] = '\0';
        f->len = src[i].len;
        yj_sha256_hex(f->text, f->len, f->sha256);
    }
    return 0;
}

int cmd_archive(int argc, char **argv, const char *db_path) {
    const char *out = NULL;
    char day[11], now[21], *err = NULL, why[512];
    out_file of = { .fd = -1 };
    int status = YJ_EXIT_USAGE;
    sqlite3 *db = NULL, *snap = NULL;
    archive_record *rec = calloc(1, sizeof *rec);
    yj_script *s = yj_script_new();
    if (!rec || !s) { fprintf(stderr, _("yingji archive: out of memory\n")); goto done; }
    rec->params = calloc((size_t)argc, sizeof *rec->params);
    if (!rec->params) goto done;
    static const char *const options[] = {"known-on", "sign", CLI_SCRIPT_LIMIT_NAMES, NULL};
    const char *sign_key = NULL, *v;
    char known_on[11] = "";
    archive_output *outs = NULL;
    size_t nouts = 0;
    cli_script_args a = {db_path, NULL, NULL, NULL, options};
    cli_script_limits lim = CLI_SCRIPT_LIMITS_INIT;
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_script_limit_arg("archive", argc, argv, &i, &lim)) != 0) {
            if (r < 0) goto done;
        } else if ((r = cli_option(argc, argv, &i, "known-on", &v)) != 0) {
            if (r < 0 || cli_date_option("archive", "known-on", v, known_on) != 0) goto done;
            yj_script_set_known_on(s, known_on);
        } else if ((r = cli_option(argc, argv, &i, "sign", &v)) != 0) {
            if (r < 0) goto done;
            sign_key = v;
        } else if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) { cli_usage_error("archive", "-o needs a path"); goto done; }
            out = argv[i + 1];
            i += 2;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            archive_usage(stdout);
            status = YJ_EXIT_OK;
            goto done;
        } else if (cli_script_arg("archive", argc, argv, &i, s, &a) != 0) {
            goto done;
        } else if (a.set_arg && !(rec->params[rec->nparams++] = strdup(a.set_arg))) {
            goto done;
        }
    }
    const char *script = a.script, *as_of = a.as_of;
    db_path = a.db_path;
    if (!script || !out) { archive_usage(stderr); goto done; }
    if (cli_script_file("archive", script) != 0) goto done;
    if (!as_of) { today(day); as_of = day; }
    if (yj_script_set_as_of(s, as_of) != 0) {
        cli_usage_error("archive", "%s", yj_script_error(s));
        goto done;
    }
    if (out_is_db_file(out, db_path)) {
        cli_usage_error("archive", "-o %s is the database %s (or its -wal/-shm/-journal file); "
                        "refusing to write over it", out, db_path);
        goto done;
    }
    if (access(out, F_OK) == 0) { cli_usage_error("archive", "%s already exists", out); goto done; }
    if (sign_key) {          /* a key others may read, or no key at all: before the run */
        archive_record probe = {.manifest_sha256 = ""};
        char fp[65];
        int bad = sign_archive(&probe, sign_key, fp, &err);
        free(probe.signer);
        free(probe.signature);
        if (bad) {
            cli_usage_error("archive", "--sign %s", err ? err : "out of memory");
            goto done;
        }
    }
    status = YJ_EXIT_REJECTED;
    cli_script_set_limits(s, &lim);
    /* The wall clock bounds the snapshot, the run and the hashes; a killed archive's
     * temporary copy is swept by the next out_open. */
    yj_watchdog_start(script, (unsigned)lim.timeout_s);
    if (db_open(db_path, DB_READONLY, &db, &err) != 0) goto fail;
    /* The snapshot is built in OUT.yingji-tmp-PID beside OUT (stale ones of killed runs
     * are swept by out_open) and linked into place when complete. */
    if (out_open(&of, out, why, sizeof why) != 0) { err = strdup(why); goto fail; }
    const char *tmp = of.tmp;
    if (archive_snapshot(db, tmp, &err) != 0) goto fail;
    if (sqlite3_open_v2(tmp, &snap, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
        err = strdup(sqlite3_errmsg(snap));
        goto fail;
    }
    yj_script_set_format(s, YJ_FORMAT_JSON);
    /* What the script may write: inside --set charts_dir, created when missing as by
     * `yingji run` (the archive is not its -o). */
    if (cli_script_charts_dir("archive", s) != 0) {
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    char kerr[256] = "cannot begin a read transaction";
    /* as known on the day: the views and the run share one read transaction */
    if (known_on[0] && (sqlite3_exec(snap, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
                        db_known_on(snap, known_on, kerr, sizeof kerr) != 0)) {
        err = strdup(kerr);
        goto fail;
    }
    yj_script_set_db(s, snap);             /* run on the snapshot: results match it exactly */
    if (yj_script_run(s, script) != YJ_SCRIPT_OK) {
        fprintf(stderr, "%s\n", yj_script_error(s));
        status = YJ_EXIT_SCRIPT;
        goto done;
    }
    if (record_files(rec, s) != 0 || archive_record_results(rec, yj_script_results(s)) != 0) {
        err = strdup(_("out of memory"));
        goto fail;
    }
    const char *charts = yj_script_param(s, "charts_dir");
    size_t nw = 0;
    const char *const *written = yj_script_written(s, &nw);
    if (charts && archive_outputs_collect(charts, written, nw, &outs, &nouts, &err) != 0) goto fail;
    rec->outputs = outs;                   /* the record owns them now */
    rec->noutputs = nouts;
    outs = NULL;
    if (known_on[0]) sqlite3_exec(snap, "COMMIT", NULL, NULL, NULL);
    if (archive_data_sha256(snap, rec->data_sha256, &err) != 0) goto fail;
    sqlite3_close(snap);
    snap = NULL;
    utc_now(now);
    rec->version = 2;
    rec->format = strdup(ARCHIVE_FORMAT);
    char made[11];
    today(made);
    rec->known_on = strdup(known_on[0] ? known_on : made);
    rec->as_known = strdup(known_on[0] ? "1" : "0");
    rec->engine = strdup(YJ_VERSION);
    rec->created_at = strdup(now);
    rec->script = strdup(script);
    rec->as_of = strdup(as_of);
    if (!rec->format || !rec->engine || !rec->created_at || !rec->script || !rec->as_of ||
        !rec->known_on || !rec->as_known) {
        err = strdup(_("out of memory"));
        goto fail;
    }
    archive_manifest(rec);
    char fp[65] = "";
    if (sign_key && sign_archive(rec, sign_key, fp, &err) != 0) goto fail;
    if (sqlite3_open_v2(tmp, &snap, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK
        || archive_store(snap, rec, &err) != 0) {
        if (!err) err = strdup(sqlite3_errmsg(snap));
        goto fail;
    }
    sqlite3_close(snap);
    snap = NULL;
    /* What verify will accept (docs/archive.md): a database with objects the engine did
     * not create (an index, a view of one's own) is refused here, not years later. */
    if (archive_open(tmp, &snap, &err) != 0) {
        snprintf(why, sizeof why, _("%s: cannot be archived: %s"), db_path, err ? err : "out of memory");
        free(err);
        err = strdup(why);
        goto fail;
    }
    sqlite3_close(snap);
    snap = NULL;
    if (out_commit(&of, OUT_NOREPLACE, why, sizeof why) != 0) {
        fprintf(stderr, "yingji archive: %s\n", why);
        goto done;
    }
    printf(_("archived %s (as of %s, known on %s%s): %zu file(s), %zu table(s), %zu output(s) -> %s\n"
           "manifest sha256 %s\n"), script, as_of, rec->known_on, known_on[0] ? _(", as known then") : "",
           rec->nfiles, rec->ntables, rec->noutputs, out, rec->manifest_sha256);
    if (fp[0]) printf(_("signed by %s\n"), fp);
    else fputs(_("unsigned (--sign KEY signs it)\n"), stdout);
    status = YJ_EXIT_OK;
    goto done;
fail:
    fprintf(stderr, "yingji archive: %s\n", err ? err : _("failed"));
done:
    sqlite3_close(snap);
    out_abort(&of);   /* a no-op after out_commit */
    free(err);
    sqlite3_close(db);
    yj_script_free(s);     /* may run __gc metamethods: still under the watchdog */
    yj_watchdog_stop();
    archive_outputs_free(outs, nouts);
    archive_record_free(rec);
    return status;
}
