/* cmd_verify.c — `yingji verify ARCHIVE`: check every hash of an archive, re-run its
 * frozen script (loaded from the archive, not from disk) on the frozen data or, with
 * --db, on today's, and compare every result table (shared/spec/scoring.md). The file
 * format is archive.h, the comparison archive_diff.c. */
#define _XOPEN_SOURCE 700   /* nftw */
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "archive.h"
#include "archive_sign.h"
#include "cli.h"
#include "cli_script.h"
#include "db.h"
#include "script.h"
#include "script_watchdog.h"
#include "version.h"

static void verify_usage(FILE *out) {
    fprintf(out,
        _("usage: yingji verify [--db FILE] [--trust FILE]... [limits] ARCHIVE\n"
        "Checks every hash of ARCHIVE (data, script files, results, manifest), then re-runs\n"
        "the frozen script — loaded from the archive, not from disk — on the frozen data and\n"
        "compares every result table row by row.\n"
        "With --db FILE the frozen script runs on that database instead (today's data), and\n"
        "the differences are what changed since the evaluation (late corrections, say),\n"
        "followed by the records whose versions changed after the archive's knowledge date\n"
        "(keyed by record id, field: old → new).\n"
        "With --trust FILE (a public key from 'yingji keygen', or a file of 'ed25519 KEY'\n"
        "and 'revoked FINGERPRINT' lines; repeatable) the archive must be signed by a\n"
        "trusted key that is not revoked. Without it a signature is checked against the\n"
        "key in the archive, and an unsigned archive is verified and reported unsigned.\n"
        "Files the archived run wrote (charts) are compared with the re-run's by SHA-256.\n"
        "The archive is read strictly first (docs/archive.md); the re-run writes nothing\n"
        "outside a private temporary folder, removed afterwards.\n\n"
        "limits (as for 'yingji run'; --timeout covers the whole verification):\n"));
    cli_script_limits_usage(out);
    fprintf(out, _("\n"
        "exit status: 0 every table and output identical; 5 tampered or refused archive, a\n"
        "missing, invalid, untrusted or revoked signature under --trust, script failure, a\n"
        "limit hit, or any difference (the differing rows or files are printed); 1 usage\n"
        "(a malformed trust file too); 2 unreadable file.\n"));
}

/* Points the run at the frozen sources, as_of and parameters of rec. */
static int load_frozen(yj_script *s, const archive_record *rec) {
    yj_source *src = calloc(rec->nfiles ? rec->nfiles : 1, sizeof *src);
    if (!src) return -1;
    for (size_t i = 0; i < rec->nfiles; i++)
        src[i] = (yj_source){rec->files[i].name, rec->files[i].path, rec->files[i].text, rec->files[i].len};
    int r = yj_script_set_sources(s, src, rec->nfiles);
    free(src);
    if (r != 0 || yj_script_set_as_of(s, rec->as_of) != 0) return -1;
    for (size_t i = 0; i < rec->nparams; i++)
        if (yj_script_set_param_arg(s, rec->params[i]) != 0) return -1;
    yj_script_set_format(s, YJ_FORMAT_JSON);
    return 0;
}

/* The re-run acts on nothing outside a private folder (issue 12): it may write only in
 * dir, and an archived --set charts_dir names dir instead of the archived folder, so a
 * script writing its charts runs as it did while the archived folder stays untouched. */
static int private_outputs(yj_script *s, const char *dir) {
    if (yj_script_param(s, "charts_dir") && yj_script_set_param(s, "charts_dir", dir) != 0) return -1;
    return yj_script_set_output_dir(s, "charts_dir", dir);
}

/* Creates dir: a new private folder yingji-verify-XXXXXX in $TMPDIR (or /tmp). */
static int make_private_dir(char dir[PATH_MAX]) {
    const char *tmp = getenv("TMPDIR");
    char templ[PATH_MAX];
    if (!tmp || !*tmp) tmp = "/tmp";
    if (snprintf(templ, sizeof templ, "%s/yingji-verify-XXXXXX", tmp) >= (int)sizeof templ) return -1;
    if (!mkdtemp(templ)) return -1;
    if (!realpath(templ, dir)) { rmdir(templ); return -1; }
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st; (void)type; (void)ftw;
    remove(path);
    return 0;
}

int cmd_verify(int argc, char **argv, const char *db_path) {
    const char *path = NULL, *today_db = NULL, *v;
    (void)db_path;        /* only an explicit `verify --db FILE` leaves the frozen data */
    int status = YJ_EXIT_USAGE;
    char *err = NULL;
    sqlite3 *arch = NULL, *live = NULL;
    archive_record *rec = NULL;
    yj_script *s = NULL;
    char outdir[PATH_MAX] = "";
    cli_script_limits lim = CLI_SCRIPT_LIMITS_INIT;
    sign_trust trust = {0};
    int trusting = 0;
    archive_output *outs = NULL;
    size_t nouts = 0;
    for (int i = 1; i < argc;) {
        int r;
        if ((r = cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (r < 0) goto usage;
            today_db = v;
        } else if ((r = cli_option(argc, argv, &i, "trust", &v)) != 0) {
            if (r < 0) goto usage;
            if (sign_trust_load(&trust, v, &err) != 0) {
                cli_usage_error("verify", "--trust %s", err ? err : "out of memory");
                goto usage;
            }
            trusting = 1;
        } else if ((r = cli_script_limit_arg("verify", argc, argv, &i, &lim)) != 0) {
            if (r < 0) goto usage;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            verify_usage(stdout);
            status = YJ_EXIT_OK;
            goto usage;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"db", "trust", CLI_SCRIPT_LIMIT_NAMES, "help", NULL};
            cli_unknown_option("verify", argv[i], options);
            goto usage;
        } else if (path) {
            cli_usage_error("verify", "one archive at a time ('%s' and '%s')", path, argv[i]);
            goto usage;
        } else {
            path = argv[i++];
        }
    }
    if (!path) { verify_usage(stderr); goto usage; }
    status = YJ_EXIT_REJECTED;
    if (access(path, R_OK) != 0) { perror(path); goto usage; }
    /* The wall clock bounds everything from the first byte read: the strict reading,
     * integrity_check, the hashes, the re-run. */
    char msg[600];
    snprintf(msg, sizeof msg, _("yingji verify: %s: verification failed: time limit (--timeout %lld s) "
             "exceeded\n"), path, lim.timeout_s);
    yj_watchdog_arm(msg, (unsigned)lim.timeout_s, YJ_EXIT_VERIFY);
    int r = archive_open(path, &arch, &err);
    if (r < 0) goto fail;
    status = YJ_EXIT_VERIFY;
    if (r > 0 || archive_load(arch, &rec, &err) != 0) {
        printf(_("verification failed: %s is refused: %s\n"), path, err ? err : "out of memory");
        goto done;
    }
    int bad = archive_check(arch, rec, stdout, &err);
    if (bad < 0) goto fail;
    if (bad > 0) {
        printf(_("verification failed: %s has been modified since it was archived\n"), path);
        goto done;
    }
    /* The signature signs the manifest just checked against every part. */
    char fp[65] = "", signed_by[160];
    snprintf(signed_by, sizeof signed_by, "%s", _("unsigned"));
    if (rec->signer && sign_fingerprint(rec->signer, fp) != 0) fp[0] = '\0';
    if (trusting) {
        if (sign_check_trust(rec, &trust, &err) != 0) {
            printf(_("verification failed: %s: %s\n"), path, err ? err : _("out of memory"));
            goto done;
        }
        snprintf(signed_by, sizeof signed_by, _("signed by %s (trusted)"), fp);
    } else if (rec->signer) {
        if (!sign_valid(rec)) {
            printf(_("verification failed: %s: the signature is not valid (key %s): the archive "
                   "was changed after signing, or the signature is forged\n"), path, fp);
            goto done;
        }
        snprintf(signed_by, sizeof signed_by, _("signed by %s (not checked against a --trust key)"), fp);
    }
    if (strcmp(rec->engine, YJ_VERSION))
        fprintf(stderr, _("yingji verify: note: archived by yingji %s, re-run by %s\n"), rec->engine, YJ_VERSION);
    if (today_db && db_open(today_db, DB_READONLY, &live, &err) != 0) {
        status = YJ_EXIT_REJECTED;
        goto fail;
    }
    if (make_private_dir(outdir) != 0) {
        err = strdup(_("cannot create a private temporary folder"));
        status = YJ_EXIT_REJECTED;
        goto fail;
    }
    if (!(s = yj_script_new()) || load_frozen(s, rec) != 0 || private_outputs(s, outdir) != 0) {
        err = strdup(s && yj_script_error(s) ? yj_script_error(s) : _("out of memory"));
        goto fail;
    }
    cli_script_set_limits(s, &lim);
    /* An archive made as known on a day re-runs as known on that day (on the frozen
     * data; --db is today's data as it is). */
    char kerr[256];
    snprintf(kerr, sizeof kerr, "%s", _("cannot begin a read transaction"));
    if (!live && rec->as_known && !strcmp(rec->as_known, "1") &&
        (yj_script_set_known_on(s, rec->known_on) != 0 ||
         sqlite3_exec(arch, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
         db_known_on(arch, rec->known_on, kerr, sizeof kerr) != 0)) {
        printf(_("verification failed: %s: as known on %s: %s\n"), path, rec->known_on, kerr);
        goto done;
    }
    yj_script_set_db(s, live ? live : arch);
    if (yj_script_run(s, rec->script) != YJ_SCRIPT_OK) {
        printf(_("verification failed: the frozen script %s did not run:\n%s\n"), rec->script, yj_script_error(s));
        goto done;
    }
    int differ = archive_diff(rec, yj_script_results(s), stdout);
    size_t nw = 0;
    const char *const *written = yj_script_written(s, &nw);
    if (archive_outputs_collect(outdir, written, nw, &outs, &nouts, &err) != 0) goto fail;
    differ += archive_outputs_diff(rec, outs, nouts, stdout);
    if (live && rec->known_on) {
        int changed = archive_known_changes(live, rec->known_on, rec->as_of, stdout, &err);
        if (changed < 0) goto fail;
    }
    if (differ) {
        if (live)
            printf(_("%d difference(s) changed: %s evaluated on %s differs from the archive %s\n"),
                   differ, rec->script, today_db, path);
        else
            printf(_("verification failed: %d difference(s) from the archive %s\n"), differ, path);
        goto done;
    }
    printf(_("verified: %s as of %s, %zu table(s)%s identical%s (manifest sha256 %s)\n"), rec->script,
           rec->as_of, rec->ntables, rec->noutputs ? _(" and output(s)") : "", live ? _(" on today's data") : "",
           rec->manifest_sha256);
    printf("%s\n", signed_by);
    status = YJ_EXIT_OK;
    goto done;
fail:
    fprintf(stderr, "yingji verify: %s: %s\n", path, err ? err : _("failed"));
done:
    free(err);
    yj_script_free(s);     /* may run __gc metamethods: still under the watchdog */
    yj_watchdog_stop();
    if (outdir[0]) nftw(outdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    archive_outputs_free(outs, nouts);
    archive_record_free(rec);
    sqlite3_close(live);
    sqlite3_close(arch);
    sign_trust_free(&trust);
    return status;
usage:
    free(err);
    sign_trust_free(&trust);
    return status;
}
