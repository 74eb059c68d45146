/* main.c — the yingji command line: global options, then dispatch to a subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv, const char *db_path);
    const char *summary;
} command;

static const command commands[] = {
    {"archive", cmd_archive, N_("freeze an evaluation into one file")},
    {"compare", cmd_compare, N_("score two schemes on the same data and show what changes")},
    {"history", cmd_history, N_("every version of a record, with what changed")},
    {"import",  cmd_import,  N_("load CSV files into the database")},
    {"info",    cmd_info,    N_("show datasets, counts, date ranges and imports")},
    {"init",    cmd_init,    N_("create or upgrade the database")},
    {"keygen",  cmd_keygen,  N_("make a key pair to sign archives with")},
    {"list",    cmd_list,    N_("reference lists: sectors, units, indicators, datasets, dates")},
    {"run",     cmd_run,     N_("run a Lua script")},
    {"show",    cmd_show,    N_("print the record with an id, its fields labelled in Chinese")},
    {"test",    cmd_test,    N_("run the *_test.lua tests of scripts")},
    {"verify",  cmd_verify,  N_("re-run an archived evaluation and compare")},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *out) {
    fprintf(out,
        _("yingji %s — safety-production analytics for an emergency management bureau\n\n"
        "usage: yingji [--db FILE] COMMAND [ARGS...]\n\n"
        "commands:\n"), YJ_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, "  %-8s %s\n", "help", _("describe one command: yingji help COMMAND"));
    fputs(_(
        "\nThe database is ./yingji.db unless --db FILE or $YINGJI_DB says otherwise.\n"
        "'yingji help COMMAND' (or 'yingji COMMAND --help') describes one command.\n\n"
        "exit status:\n"
        "  0  success\n"
        "  1  usage error\n"
        "  2  input rejected (nothing changed)\n"
        "  3  partial import (rows skipped, written to the rejects file)\n"
        "  4  script error\n"
        "  5  verification failed\n"), out);
}

static const command *find_command(const char *name) {
    for (size_t c = 0; c < NCOMMANDS; c++)
        if (!strcmp(name, commands[c].name)) return &commands[c];
    return NULL;
}

/* "unknown command", with the nearest command name when one is within edit distance 2. */
static int unknown_command(const char *name) {
    const char *names[NCOMMANDS + 1];
    for (size_t c = 0; c < NCOMMANDS; c++) names[c] = commands[c].name;
    names[NCOMMANDS] = "help";
    const char *s = cli_suggest(name, names, NCOMMANDS + 1);
    if (s)
        fprintf(stderr, _("yingji: unknown command '%s' (did you mean '%s'?)\n"), name, s);
    else
        fprintf(stderr, _("yingji: unknown command '%s' (try 'yingji help')\n"), name);
    return YJ_EXIT_USAGE;
}

int main(int argc, char **argv) {
    yj_i18n_init();
    const char *db_path = getenv("YINGJI_DB");
    if (!db_path || !*db_path) db_path = "yingji.db";

    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *val = NULL;
        int r = cli_option(argc, argv, &i, "db", &val);
        if (r < 0) return YJ_EXIT_USAGE;
        if (r > 0) { db_path = val; continue; }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_help(stdout);
            return YJ_EXIT_OK;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("yingji %s\n", YJ_VERSION);
            return YJ_EXIT_OK;
        }
        static const char *const options[] = {"db", "help", "version", NULL};
        const char *s = cli_suggest(argv[i] + strspn(argv[i], "-"), options, 3);
        if (s) fprintf(stderr, _("yingji: unknown option '%s' (did you mean --%s?)\n"), argv[i], s);
        else fprintf(stderr, _("yingji: unknown option '%s'\n"), argv[i]);
        return YJ_EXIT_USAGE;
    }
    if (i >= argc) {
        print_help(stderr);
        return YJ_EXIT_USAGE;
    }
    if (!strcmp(argv[i], "help")) {
        /* yingji help [COMMAND]: the general usage, or that command's --help. */
        if (i + 1 >= argc) {
            print_help(stdout);
            return YJ_EXIT_OK;
        }
        const command *c = find_command(argv[i + 1]);
        if (!c) return unknown_command(argv[i + 1]);
        static char help_opt[] = "--help";
        char *sub[] = {argv[i + 1], help_opt, NULL};
        return c->run(2, sub, db_path);
    }
    const command *c = find_command(argv[i]);
    if (c) return c->run(argc - i, argv + i, db_path);
    return unknown_command(argv[i]);
}
