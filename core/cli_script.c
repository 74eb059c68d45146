/* cli_script.c — --db, --as-of, --set, --set-file and SCRIPT.lua for `yingji run` and
 * `archive`, and the folder of chart images they let the script write into. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "cli.h"
#include "cli_script.h"
#include "db.h"
#include "imp_cells.h"
#include "out_file.h"
#include "utf8.h"

/* The largest file --set-file reads (a text for a paragraph or two, not data). */
#define SET_FILE_MAX (1 << 20)

/* Reads the text file of --set-file into a malloc'd, NUL-terminated string (caller frees):
 * a regular file (opened non-blocking, so a FIFO cannot hang us), at most SET_FILE_MAX
 * bytes, UTF-8 without NUL bytes; a leading BOM and trailing line ends are dropped.
 * Returns NULL after printing a usage error for cmd. */
static char *read_set_file(const char *cmd, const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    char *text = NULL;
    if (fd < 0) {
        cli_usage_error(cmd, "--set-file: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        cli_usage_error(cmd, "--set-file: %s is not a regular file", path);
        goto fail;
    }
    if (st.st_size > SET_FILE_MAX) {
        cli_usage_error(cmd, "--set-file: %s is larger than %d bytes", path, SET_FILE_MAX);
        goto fail;
    }
    size_t n = 0, cap = (size_t)st.st_size;
    if (!(text = malloc(cap + 1))) {
        cli_usage_error(cmd, "--set-file: out of memory");
        goto fail;
    }
    while (n < cap) {
        ssize_t r = read(fd, text + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
    }
    if (n != cap) {
        cli_usage_error(cmd, "--set-file: cannot read %s", path);
        goto fail;
    }
    text[n] = '\0';
    long bad = yj_utf8_bad(text, n);
    const char *nul = memchr(text, '\0', n);
    if (bad >= 0 || nul) {
        cli_usage_error(cmd, "--set-file: %s is not UTF-8 text (byte %ld)", path,
                        (bad >= 0 ? bad : (long)(nul - text)) + 1);
        goto fail;
    }
    size_t skip = n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (n > skip && (text[n - 1] == '\n' || text[n - 1] == '\r')) text[--n] = '\0';
    memmove(text, text + skip, n - skip + 1);
    close(fd);
    return text;
fail:
    free(text);
    close(fd);
    return NULL;
}

int cli_script_arg(const char *cmd, int argc, char **argv, int *i, yj_script *s,
                   cli_script_args *a) {
    const char *v;
    int r;
    a->set_arg = NULL;
    if ((r = cli_option(argc, argv, i, "db", &v)) != 0) {
        if (r < 0) return -1;
        a->db_path = v;
    } else if ((r = cli_option(argc, argv, i, "as-of", &v)) != 0) {
        if (r < 0) return -1;
        /* every date form the importer accepts (2020/6/30, 2020年6月30日...), as ISO text
         * kept here for the process (a->as_of points to it) */
        static char iso[11];
        imp_date d;
        const char *why;
        if (imp_parse_date(v, 0, &d, &why) == 0) v = memcpy(iso, d.text, 11);
        if (yj_script_set_as_of(s, v) != 0) {
            cli_usage_error(cmd, "%s", yj_script_error(s));
            return -1;
        }
        a->as_of = v;
    } else if ((r = cli_option(argc, argv, i, "set", &v)) != 0) {
        if (r < 0) return -1;
        if (yj_script_set_param_arg(s, v) != 0) {
            cli_usage_error(cmd, "%s", yj_script_error(s));
            return -1;
        }
        a->set_arg = v;
    } else if ((r = cli_option(argc, argv, i, "set-file", &v)) != 0) {
        if (r < 0) return -1;
        const char *eq = strchr(v, '=');
        char key[128], *text;
        if (!eq || eq == v || (size_t)(eq - v) >= sizeof key) {
            cli_usage_error(cmd, "--set-file wants KEY=FILE, got '%s'", v);
            return -1;
        }
        memcpy(key, v, (size_t)(eq - v));
        key[eq - v] = '\0';
        if (!(text = read_set_file(cmd, eq + 1))) return -1;
        int bad = yj_script_set_param(s, key, text);
        free(text);
        if (bad) {
            cli_usage_error(cmd, "%s", yj_script_error(s));
            return -1;
        }
        a->set_arg = v;
    } else if (argv[*i][0] == '-' && argv[*i][1]) {
        const char *names[48] = {"db", "as-of", "set", "set-file", "help"};
        size_t n = 5;
        for (size_t k = 0; a->options && a->options[k] && n + 1 < sizeof names / sizeof *names; k++)
            names[n++] = a->options[k];
        names[n] = NULL;
        cli_unknown_option(cmd, argv[*i], names);
        return -1;
    } else if (a->script) {
        cli_usage_error(cmd, "one script at a time ('%s' and '%s')", a->script, argv[*i]);
        return -1;
    } else {
        a->script = argv[(*i)++];
    }
    return 0;
}

int cli_script_file(const char *cmd, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) cli_usage_error(cmd, "%s: no such file", path);
        else cli_usage_error(cmd, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        cli_usage_error(cmd, "%s: is a folder, not a script", path);
        return -1;
    }
    return 0;
}

int cli_script_charts_dir(const char *cmd, yj_script *s) {
    const char *dir = yj_script_param(s, "charts_dir");
    struct stat st;
    if (dir && *dir && stat(dir, &st) != 0 && errno == ENOENT && mkdir(dir, 0777) != 0) {
        fprintf(stderr, _("yingji %s: cannot create charts_dir %s: %s\n"), cmd, dir,
                strerror(errno));
        return -1;
    }
    if (yj_script_set_output_dir(s, "charts_dir", dir) != 0) {
        fprintf(stderr, "yingji %s: %s\n", cmd, yj_script_error(s));
        return -1;
    }
    return 0;
}

/* A positive integer option value, or -1. */
static long long positive(const char *v) {
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n <= 0) return -1;
    return n;
}

int cli_script_limit_arg(const char *cmd, int argc, char **argv, int *i, cli_script_limits *l) {
    const char *v;
    int r;
    if ((r = cli_option(argc, argv, i, "max-instructions", &v)) != 0) {
        if (r < 0) return -1;
        if ((l->instructions = positive(v)) < 0)
            return cli_usage_error(cmd, "--max-instructions wants a positive integer"), -1;
    } else if ((r = cli_option(argc, argv, i, "max-memory", &v)) != 0) {
        if (r < 0) return -1;
        if ((l->memory_mb = positive(v)) < 0 || l->memory_mb > (1LL << 20))
            return cli_usage_error(cmd, "--max-memory wants a size in MB (1..1048576)"), -1;
    } else if ((r = cli_option(argc, argv, i, "sql-timeout", &v)) != 0) {
        if (r < 0) return -1;
        if ((l->sql_timeout_ms = positive(v)) < 0)
            return cli_usage_error(cmd, "--sql-timeout wants milliseconds (a positive integer)"), -1;
    } else if ((r = cli_option(argc, argv, i, "timeout", &v)) != 0) {
        if (r < 0) return -1;
        if (!strcmp(v, "0")) l->timeout_s = 0;
        else if ((l->timeout_s = positive(v)) < 0 || l->timeout_s > 86400 * 7)
            return cli_usage_error(cmd, "--timeout wants seconds (0 for none)"), -1;
    } else {
        return 0;
    }
    return 1;
}

void cli_script_limits_usage(FILE *out) {
    fprintf(out,
        _("  --max-instructions N     instruction budget (default %lld)\n"
        "  --max-memory MB          Lua memory cap in MiB (default %lld)\n"
        "  --sql-timeout MS         total time the script may spend in SQL (default %lld)\n"
        "  --timeout S              wall-clock limit of the whole run in seconds, 0 for none\n"
        "                           (default %d): stops even C code that never returns\n"),
        (long long)YJ_DEFAULT_MAX_INSTRUCTIONS, (long long)(YJ_DEFAULT_MAX_MEMORY >> 20),
        (long long)YJ_DEFAULT_SQL_TIMEOUT_MS, CLI_SCRIPT_TIMEOUT_S);
}

void cli_script_set_limits(yj_script *s, const cli_script_limits *l) {
    yj_script_set_limits(s, l->instructions, l->memory_mb << 20, l->sql_timeout_ms);
}

/* The largest mmap SQLite allows by default (SQLITE_MAX_MMAP_SIZE). */
#define CLI_SCRIPT_MMAP_SIZE "2147418112"

int cli_script_open_db(const char *cmd, const char *db_path, int flags, const char *output,
                       sqlite3 **db) {
    char *err = NULL;
    *db = NULL;
    if (db_open(db_path, DB_READONLY | flags, db, &err) != 0) {
        fprintf(stderr, "yingji %s: %s\n", cmd, err);
        free(err);
        return YJ_EXIT_REJECTED;
    }
    sqlite3_exec(*db, "PRAGMA mmap_size = " CLI_SCRIPT_MMAP_SIZE, NULL, NULL, NULL);
    if (out_is_db_file(output, sqlite3_db_filename(*db, "main")))
        return cli_usage_error(cmd, "-o %s is the database %s (or its -wal/-shm/-journal file); "
                               "refusing to write over it", output, db_path);
    return 0;
}

int cli_script_format(const char *cmd, const char *v, yj_format *fmt) {
    if (yj_format_parse(v, fmt) == 0) return 0;
    cli_usage_error(cmd, "--format must be text, csv, json or xlsx, not '%s'", v);
    return -1;
}

int cli_script_known_on(const char *cmd, sqlite3 *db, const char *date) {
    char kerr[256];
    snprintf(kerr, sizeof kerr, "%s", _("cannot begin a read transaction"));
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        db_known_on(db, date, kerr, sizeof kerr) != 0) {
        fprintf(stderr, "yingji %s: %s\n", cmd, kerr);
        return -1;
    }
    return 0;
}
