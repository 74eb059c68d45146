/* imp_rejects.c — the rejects file of --on-error skip: FILE.rejects.csv written through
 * a temp beside it (util/out_file.h), the header and each rejected record with its
 * reasons; renamed into place when rows were rejected, else dropped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "imp_int.h"
#include "out_file.h"

static void rejects_path(const char *path, char *out, size_t cap) {
    size_t n = strlen(path);
    if (n > 4 && !strcasecmp(path + n - 4, ".csv")) n -= 4;
    else if (n > 5 && !strcasecmp(path + n - 5, ".xlsx")) n -= 5;     /* a workbook's rows, as CSV */
    snprintf(out, cap, "%.*s.rejects.csv", (int)n, path);
}

/* Starts the rejects file: a temp beside c->res->rejects (renamed over it by
 * imp_rejects_end), never through a link planted at that name, never over the database.
 * 0, or -1 with the error reported. */
int imp_rejects_begin(imp_ctx *c) {
    rejects_path(c->path, c->res->rejects, sizeof c->res->rejects);
    const char *name = c->res->rejects;
    struct stat st;
    char err[512] = "";
    if (lstat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
        imp_error(c, 0, 0, "%s: %s; refusing to write the rejects file there", name,
                  S_ISLNK(st.st_mode) ? _("is a symbolic link") : _("is not a regular file"));
        return -1;
    }
    if (out_is_db_file(name, sqlite3_db_filename(c->db, "main"))) {
        imp_error(c, 0, 0, "%s: is the database; refusing to write the rejects file there", name);
        return -1;
    }
    int fd = -1;
    if (!(c->rej_out = malloc(sizeof *c->rej_out))) {
        imp_error(c, 0, 0, "out of memory");
        return -1;
    }
    if (out_open(c->rej_out, name, err, sizeof err) != 0 || (fd = dup(c->rej_out->fd)) < 0 ||
        !(c->rej = fdopen(fd, "w"))) {
        if (fd >= 0) close(fd);
        if (err[0]) imp_error(c, 0, 0, "cannot write the rejects file %s", err);
        else imp_error(c, 0, 0, "cannot write the rejects file %s: %s", name, strerror(errno));
        out_abort(c->rej_out);
        free(c->rej_out);
        c->rej_out = NULL;
        return -1;
    }
    return 0;
}

/* Ends the rejects file: renamed into place when keep (rows were rejected), else
 * dropped, and a rejects file of an earlier import removed. */
void imp_rejects_end(imp_ctx *c, int keep) {
    char err[512];
    int bad = fclose(c->rej) != 0;
    c->rej = NULL;
    if (keep && !bad && out_commit(c->rej_out, 0, err, sizeof err) == 0) {
        free(c->rej_out);
        c->rej_out = NULL;
        return;
    }
    if (keep) {
        if (bad) {
            fprintf(c->opt->err, _("%s: cannot write the rejects file %s: %s\n"), c->path,
                    c->res->rejects, strerror(errno));
            out_abort(c->rej_out);
        } else {
            fprintf(c->opt->err, _("%s: cannot write the rejects file %s\n"), c->path, err);
        }
    } else {
        out_abort(c->rej_out);
        struct stat st;
        if (lstat(c->res->rejects, &st) == 0 && S_ISREG(st.st_mode)) unlink(c->res->rejects);
    }
    free(c->rej_out);
    c->rej_out = NULL;
    c->res->rejects[0] = '\0';
}

/* Writes one CSV field, quoted only when it must be. */
static void put_field(FILE *f, const char *s) {
    if (!s[strcspn(s, ",\"\r\n")] && *s != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void imp_reject_write(imp_ctx *c, FILE *f, const char *last) {
    for (int k = 0; k < c->nf; k++) {
        put_field(f, c->fbuf + c->foff[k]);
        fputc(',', f);
    }
    put_field(f, last);
    fputs("\r\n", f);
}
