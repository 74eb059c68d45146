/* cli_script.c — --db, --as-of, --set and SCRIPT.lua for `yingji run` and `archive`. */
#include "cli.h"
#include "cli_script.h"

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
    } else if (argv[*i][0] == '-' && argv[*i][1]) {
        cli_usage_error(cmd, "unknown option '%s'", argv[*i]);
        return -1;
    } else if (a->script) {
        cli_usage_error(cmd, "one script at a time ('%s' and '%s')", a->script, argv[*i]);
        return -1;
    } else {
        a->script = argv[(*i)++];
    }
    return 0;
}
