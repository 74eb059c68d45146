/* cli.c — option parsing and error helpers shared by the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "i18n.h"
#include "imp_cells.h"

int cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    /* TRANSLATORS: the command (import, run...) before a usage error */
    fprintf(stderr, _("yingji %s: "), cmd);
    va_start(ap, fmt);
    vfprintf(stderr, gettext(fmt), ap);     /* fmt is in po/yingji.pot (po/extract.sh) */
    va_end(ap);
    fputc('\n', stderr);
    return YJ_EXIT_USAGE;
}

/* Levenshtein distance between a and b (bytes), capped at 99 for long words. */
static int edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *cli_suggest(const char *word, const char *const *names, size_t n) {
    const char *best = NULL;
    int best_d = 3;
    for (size_t k = 0; k < n; k++) {
        int d = edit_distance(word, names[k]);
        if (d < best_d) { best_d = d; best = names[k]; }
    }
    return best;
}

int cli_unknown_option(const char *cmd, const char *arg, const char *const *names) {
    size_t n = 0;
    while (names && names[n]) n++;
    char word[65];
    const char *w = arg;
    while (*w == '-') w++;
    size_t len = strcspn(w, "=");
    if (len >= sizeof word) len = sizeof word - 1;
    memcpy(word, w, len);
    word[len] = '\0';
    const char *s = cli_suggest(word, names, n);
    if (s) return cli_usage_error(cmd, "unknown option '%s' (did you mean --%s?)", arg, s);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

int cli_option(int argc, char **argv, int *i, const char *name, const char **out) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0) return 0;
    if (a[2 + n] == '=') {
        *out = a + 3 + n;
        *i += 1;
        return 1;
    }
    if (a[2 + n] != '\0') return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, _("yingji: option --%s needs a value\n"), name);
        return -1;
    }
    *out = argv[*i + 1];
    *i += 2;
    return 1;
}

void cli_today(char out[11]) {
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10) snprintf(out, 11, "9999-12-31");
}

int cli_date_option(const char *cmd, const char *name, const char *v, char out[11]) {
    imp_date d;
    const char *why = NULL;
    if (imp_parse_date(v, 0, &d, &why) != 0) {
        /* the parser's reason may itself be "not a date (use ...)": said once. Compared
         * as the parser gives it, translated (an English prefix never matches Chinese) */
        const char *w = why && strcmp(why, _("not a date (use YYYY-MM-DD)")) ? why : _("use YYYY-MM-DD");
        cli_usage_error(cmd, "--%s: '%s' is not a date (%s)", name, v, w);
        return -1;
    }
    char today[11];
    cli_today(today);
    if (strcmp(d.text, today) > 0) {
        cli_usage_error(cmd, "--%s: %s is in the future (today is %s)", name, d.text, today);
        return -1;
    }
    memcpy(out, d.text, 10);
    out[10] = '\0';
    return 0;
}
