/* cmd_keygen.c — `yingji keygen -o FILE.key`: a new Ed25519 key pair to sign archives
 * with (`archive --sign`), its public half beside it for `verify --trust`, and the
 * fingerprint to publish (issue 12; files: archive_sign.h, docs/archive.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "archive_sign.h"
#include "cli.h"

static void keygen_usage(FILE *out) {
    fprintf(out,
        _("usage: yingji keygen -o FILE.key\n"
        "Makes a new Ed25519 key pair for signing archives ('yingji archive --sign FILE.key').\n"
        "The secret key goes to FILE.key (mode 0600), the public key to FILE.pub beside it\n"
        "(FILE.key.pub when FILE does not end in .key); neither is ever overwritten. Prints\n"
        "the key's fingerprint (the SHA-256 of the public key): publish it, and give the\n"
        "public key to 'yingji verify --trust FILE.pub'. To revoke the key, add a line\n"
        "'revoked FINGERPRINT' to the trust file verifiers use (docs/archive.md).\n\n"
        "exit status: 0 written, 1 usage, 2 a file exists or cannot be written.\n"));
}

int cmd_keygen(int argc, char **argv, const char *db_path) {
    (void)db_path;
    const char *out = NULL, *v;
    for (int i = 1; i < argc;) {
        int r;
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) return cli_usage_error("keygen", "-o needs a path");
            out = argv[i + 1];
            i += 2;
        } else if ((r = cli_option(argc, argv, &i, "output", &v)) != 0) {
            if (r < 0) return YJ_EXIT_USAGE;
            out = v;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            keygen_usage(stdout);
            return YJ_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const char *const options[] = {"output", "help", NULL};
            return cli_unknown_option("keygen", argv[i], options);
        } else {
            return cli_usage_error("keygen", "unexpected '%s' (the key file is given with -o FILE.key)",
                                   argv[i]);
        }
    }
    if (!out || !*out) { keygen_usage(stderr); return YJ_EXIT_USAGE; }
    char *pub = sign_pub_path(out), *err = NULL, fp[65];
    if (!pub) { fputs(_("yingji keygen: out of memory\n"), stderr); return YJ_EXIT_REJECTED; }
    int status = YJ_EXIT_OK;
    if (sign_keygen(out, pub, fp, &err) != 0) {
        fprintf(stderr, "yingji keygen: %s\n", err ? err : _("out of memory"));
        status = YJ_EXIT_REJECTED;
    } else {
        printf(_("secret key %s (mode 0600: keep it private)\npublic key %s\nfingerprint %s\n"),
               out, pub, fp);
    }
    free(err);
    free(pub);
    return status;
}
