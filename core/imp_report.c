/* imp_report.c — the importer's messages: "FILE:LINE:COL: reason" formatted, kept for
 * the storing thread (imp_pipe.c) or printed, each kind capped at --max-errors with the
 * rest counted ("... and N more errors"). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "imp_hold.h"
#include "imp_int.h"
#include "imp_xlsx.h"

/* The kind of a message: its text with each quoted value replaced by '...' (the
 * Chinese messages quote with “...”). */
static void message_kind(const char *msg, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = msg; *p && n + 6 < cap; p++) {
        const char *close = *p == '\'' ? strchr(p + 1, '\'')
                          : !strncmp(p, "“", 3) ? strstr(p + 3, "”") : NULL;
        if (close && *close != '\'') close += 2;      /* the last byte of ” */
        if (close) {
            memcpy(out + n, "'...'", 5);
            n += 5;
            p = close;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* 1 when a message of this kind is over the cap (then counted, not listed). */
static int over_cap(imp_ctx *c, int kind, const char *msg) {
    imp_caps *k = c->caps;
    long max = c->opt->max_errors;
    if (!k) return kind != IMP_MSG_WARNING && c->res->errors > max;
    if (kind != IMP_MSG_WARNING) {
        long *shown = kind == IMP_MSG_ROW ? &k->shown_rows : &k->shown_file;
        if (*shown >= max) { k->hidden_errors++; return 1; }
        (*shown)++;
        return 0;
    }
    char text[sizeof k->warn[0].kind];
    message_kind(msg, text, sizeof text);
    int i = 0;
    while (i < k->nwarn && strcmp(k->warn[i].kind, text)) i++;
    if (i == k->nwarn) {
        if (k->nwarn == IMP_WARN_KINDS) i = IMP_WARN_KINDS - 1;     /* the rest share the last */
        else snprintf(k->warn[k->nwarn++].kind, sizeof text, "%s", text);
    }
    if (k->warn[i].shown >= max) { k->warn[i].hidden++; return 1; }
    k->warn[i].shown++;
    return 0;
}

/* Prints the counts of the messages not listed (at the end of a file). */
void imp_report_hidden(imp_ctx *c) {
    imp_caps *k = c->caps;
    for (int i = 0; k && i < k->nwarn; i++)
        if (k->warn[i].hidden)
            fprintf(c->opt->err, _("%s: ... and %ld more warnings \"%s\"\n"), c->path, k->warn[i].hidden,
                    k->warn[i].kind);
    long hidden = k ? k->hidden_errors : c->res->errors - c->opt->max_errors;
    if (hidden > 0) fprintf(c->opt->err, _("%s: ... and %ld more errors\n"), c->path, hidden);
}

/* Prints a line of the report to the error stream, or holds it back (imp_hold.c). */
static void say(imp_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(imp_ctx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (!c->hold) {
        vfprintf(c->opt->err, fmt, ap);
    } else {
        char *text = g_strdup_vprintf(fmt, ap);
        imp_hold_print(c->hold, c->opt->err, text);
        g_free(text);
    }
    va_end(ap);
}

void imp_report(imp_ctx *c, int kind, long line, int col, const char *msg) {
    if (kind != IMP_MSG_WARNING) {
        c->res->errors++;
        if (kind == IMP_MSG_ROW) {
            size_t n = strlen(c->reasons);
            /* TRANSLATORS: between the reasons of a rejected row (the rejects file) */
            if (n + 3 < sizeof c->reasons)
                snprintf(c->reasons + n, sizeof c->reasons - n, "%s%s", n ? _("; ") : "", msg);
            c->row_errors++;
        }
    } else {
        c->res->warnings++;
    }
    if (over_cap(c, kind, msg)) return;
    const char *what = kind == IMP_MSG_WARNING ? _("warning: ") : "";
    if (c->sheet) {          /* a workbook: FILE:SHEET!E12, FILE:SHEET!12, FILE:SHEET */
        char cell[24];
        imp_xlsx_cell_name(col, line, cell, sizeof cell);
        /* TRANSLATORS: a workbook's file and sheet, then the message */
        if (line <= 0) say(c, _("%s:%s: %s%s\n"), c->path, c->sheet, what, msg);
        /* TRANSLATORS: a workbook's file, sheet and cell (E12), then the message */
        else say(c, _("%s:%s!%s: %s%s\n"), c->path, c->sheet, cell, what, msg);
        return;
    }
    /* TRANSLATORS: file, then the message */
    if (line <= 0) say(c, _("%s: %s%s\n"), c->path, what, msg);
    /* TRANSLATORS: file, line, then the message */
    else if (col <= 0) say(c, _("%s:%ld: %s%s\n"), c->path, line, what, msg);
    /* TRANSLATORS: file, line, column, then the message */
    else say(c, _("%s:%ld:%d: %s%s\n"), c->path, line, col, what, msg);
}

/* In Chinese, a message that starts with a column's name and a colon ("deaths：...")
 * names the column by its Chinese title instead ("死亡人数：..."), in place: msg holds
 * cap bytes. */
static void title_first(imp_ctx *c, char *msg, size_t cap) {
    size_t n = strcspn(msg, ":：");
    if (!c->ds || !msg[n] || !yj_i18n_zh()) return;
    for (int i = 0; i < c->ds->ncols; i++) {
        const imp_column *col = &c->ds->cols[i];
        if (strlen(col->name) != n || strncmp(msg, col->name, n)) continue;
        char title[64];
        const char *t = imp_column_label(col, title, sizeof title);
        size_t tl = strlen(t), rest = strlen(msg + n);
        if (tl + rest >= cap) return;
        memmove(msg + tl, msg + n, rest + 1);
        memcpy(msg, t, tl);
        return;
    }
}

/* Formats and reports a message, or keeps it for the storing thread. Row errors are
 * cut at 511 bytes (they are repeated in the rejects file). The format is translated
 * here (its literal is in po/yingji.pot: po/extract.sh). */
static void message(imp_ctx *c, int kind, long line, int col, const char *fmt, va_list ap) {
    char stack[512], *msg = stack;
    size_t cap = sizeof stack;
    va_list again;
    va_copy(again, ap);
    fmt = gettext(fmt);
    int n = vsnprintf(stack, sizeof stack, fmt, ap);
    if (n >= (int)sizeof stack && kind != IMP_MSG_ROW) {
        char *big = malloc((size_t)n + 64);
        if (big) { vsnprintf(big, (size_t)n + 1, fmt, again); msg = big; cap = (size_t)n + 64; }
    }
    va_end(again);
    title_first(c, msg, cap);
    if (c->ring) {
        imp_pipe_defer(c, kind, line, col, msg);
        if (kind == IMP_MSG_ROW) c->row_errors++;
    } else {
        imp_report(c, kind, line, col, msg);
    }
    if (msg != stack) free(msg);
}

void imp_error(imp_ctx *c, long line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    message(c, IMP_MSG_ERROR, line, col, fmt, ap);
    va_end(ap);
}

void imp_warning(imp_ctx *c, long line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    message(c, IMP_MSG_WARNING, line, col, fmt, ap);
    va_end(ap);
}

void imp_row_error(imp_ctx *c, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    message(c, IMP_MSG_ROW, c->rec_line, col, fmt, ap);
    va_end(ap);
}
