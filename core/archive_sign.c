/* archive_sign.c — Ed25519 keys and archive signatures with libsodium (archive_sign.h):
 * key files, the signature of an archive's manifest, and --trust files with their
 * revocations. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "archive_sign.h"
#include "sha256.h"

#define SECRET_TAG "yingji-secret-key ed25519 "
#define PUBLIC_TAG "ed25519 "
#define REVOKED_TAG "revoked "
#define SIGNED_PREFIX "yingji-archive 2 manifest "


static int ready(char **err) {
    if (sodium_init() < 0) { *err = archive_msgf("libsodium cannot be initialised"); return -1; }
    return 0;
}

/* n bytes from exactly 2n lower-case hex digits. 0, or -1. */
static int unhex(const char *h, size_t hlen, unsigned char *out, size_t n) {
    if (hlen != 2 * n) return -1;
    for (size_t i = 0; i < hlen; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'))) return -1;
    size_t got = 0;
    if (sodium_hex2bin(out, n, h, hlen, NULL, &got, NULL) != 0 || got != n) return -1;
    return 0;
}

size_t archive_signed_message(const archive_record *rec, char *out, size_t cap) {
    int n = snprintf(out, cap, SIGNED_PREFIX "%s", rec->manifest_sha256);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

int sign_fingerprint(const char *pub_hex, char fp[65]) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (!pub_hex || unhex(pub_hex, strlen(pub_hex), pk, sizeof pk) != 0) return -1;
    yj_sha256_hex(pk, sizeof pk, fp);
    return 0;
}

char *sign_pub_path(const char *key_path) {
    size_t n = strlen(key_path);
    char *p = malloc(n + 5);
    if (!p) return NULL;
    memcpy(p, key_path, n + 1);
    if (n > 4 && !strcmp(key_path + n - 4, ".key")) memcpy(p + n - 4, ".pub", 5);
    else memcpy(p + n, ".pub", 5);
    return p;
}

/* Creates path (never over anything: O_EXCL, no symlink followed) with mode and writes
 * text. 0, or -1 with *err; a partly written file is removed. */
static int write_new(const char *path, mode_t mode, const char *text, char **err) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        *err = errno == EEXIST ? archive_msgf("%s: already exists (a key is never overwritten)", path)
                               : archive_msgf("%s: %s", path, strerror(errno));
        return -1;
    }
    size_t n = strlen(text);
    int ok = fchmod(fd, mode) == 0 && write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0) ok = 0;
    if (!ok) {
        unlink(path);
        *err = archive_msgf("%s: cannot write: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

int sign_keygen(const char *key_path, const char *pub_path, char fp[65], char **err) {
    if (ready(err) != 0) return -1;
    struct stat st;
    if (lstat(key_path, &st) == 0) { *err = archive_msgf("%s: already exists (a key is never overwritten)", key_path); return -1; }
    if (lstat(pub_path, &st) == 0) { *err = archive_msgf("%s: already exists (a key is never overwritten)", pub_path); return -1; }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char skhex[2 * sizeof sk + 1], pkhex[2 * sizeof pk + 1];
    char text[sizeof skhex + 64], pubtext[sizeof pkhex + 200];
    crypto_sign_keypair(pk, sk);
    sodium_bin2hex(skhex, sizeof skhex, sk, sizeof sk);
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    sodium_memzero(sk, sizeof sk);
    yj_sha256_hex(pk, sizeof pk, fp);
    snprintf(text, sizeof text, SECRET_TAG "%s\n", skhex);
    sodium_memzero(skhex, sizeof skhex);
    snprintf(pubtext, sizeof pubtext, "# yingji public key (Ed25519), fingerprint %s\n" PUBLIC_TAG "%s\n",
             fp, pkhex);
    int r = write_new(key_path, 0600, text, err);
    sodium_memzero(text, sizeof text);
    if (r != 0) return -1;
    if (write_new(pub_path, 0644, pubtext, err) != 0) {
        unlink(key_path);
        return -1;
    }
    return 0;
}

/* Reads the secret key file: its one line into sk. Refuses a file the group or others
 * may read or write. */
static int load_secret(const char *path, unsigned char sk[crypto_sign_SECRETKEYBYTES], char **err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { *err = archive_msgf("%s: %s", path, strerror(errno)); return -1; }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *err = archive_msgf("%s: not a key file", path);
        return -1;
    }
    if (st.st_mode & 077) {
        close(fd);
        *err = archive_msgf("%s: the secret key may be read by others (mode %04o); it must be 0600 "
                    "(chmod 600 %s)", path, (unsigned)(st.st_mode & 07777), path);
        return -1;
    }
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) { *err = archive_msgf("%s: %s", path, strerror(errno)); return -1; }
    buf[n] = '\0';
    size_t tag = strlen(SECRET_TAG), hl = 2 * crypto_sign_SECRETKEYBYTES;
    int bad = strncmp(buf, SECRET_TAG, tag) != 0 || (size_t)n < tag + hl ||
              unhex(buf + tag, hl, sk, crypto_sign_SECRETKEYBYTES) != 0 ||
              !(buf[tag + hl] == '\n' || buf[tag + hl] == '\0') ||
              (size_t)n > tag + hl + 1;
    sodium_memzero(buf, sizeof buf);
    if (bad) {
        *err = archive_msgf("%s:1:1: not a yingji secret key (\"%s\" and 128 hex digits; "
                    "yingji keygen makes one)", path, SECRET_TAG);
        return -1;
    }
    /* the public half inside must be the secret half's */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    unsigned char seed[crypto_sign_SEEDBYTES], pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
    crypto_sign_ed25519_sk_to_seed(seed, sk);
    crypto_sign_seed_keypair(pk2, sk2, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk2, sizeof sk2);
    if (sodium_memcmp(pk, pk2, sizeof pk) != 0) {
        *err = archive_msgf("%s:1:1: a damaged secret key (its public half does not match)", path);
        return -1;
    }
    return 0;
}

int sign_archive(archive_record *rec, const char *key_path, char fp[65], char **err) {
    if (ready(err) != 0) return -1;
    unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES],
        sig[crypto_sign_BYTES];
    if (load_secret(key_path, sk, err) != 0) return -1;
    char msg[128];
    size_t n = archive_signed_message(rec, msg, sizeof msg);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, sk);
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    sodium_memzero(sk, sizeof sk);
    free(rec->signer);
    free(rec->signature);
    rec->signer = malloc(2 * sizeof pk + 1);
    rec->signature = malloc(2 * sizeof sig + 1);
    if (!rec->signer || !rec->signature) { *err = archive_msgf("out of memory"); return -1; }
    sodium_bin2hex(rec->signer, 2 * sizeof pk + 1, pk, sizeof pk);
    sodium_bin2hex(rec->signature, 2 * sizeof sig + 1, sig, sizeof sig);
    yj_sha256_hex(pk, sizeof pk, fp);
    return 0;
}

int sign_valid(const archive_record *rec) {
    char *e = NULL;
    if (!rec->signer || !rec->signature || ready(&e) != 0) { free(e); return 0; }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    if (unhex(rec->signer, strlen(rec->signer), pk, sizeof pk) != 0 ||
        unhex(rec->signature, strlen(rec->signature), sig, sizeof sig) != 0) return 0;
    char msg[128];
    size_t n = archive_signed_message(rec, msg, sizeof msg);
    return crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, pk) == 0;
}

/* Appends one 64-hex item to the array *a of *n. */
static int push_hex(char (**a)[65], size_t *n, const char *hex) {
    char (*p)[65] = realloc(*a, (*n + 1) * sizeof **a);
    if (!p) return -1;
    *a = p;
    memcpy(p[*n], hex, 64);
    p[*n][64] = '\0';
    (*n)++;
    return 0;
}

int sign_trust_load(sign_trust *t, const char *path, char **err) {
    FILE *f = fopen(path, "r");
    if (!f) { *err = archive_msgf("%s: %s", path, strerror(errno)); return -1; }
    char line[1024];
    int ln = 0, status = 0;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    while (status == 0 && fgets(line, sizeof line, f)) {
        ln++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            *err = archive_msgf("%s:%d:1: line too long", path, ln);
            status = -1;
            break;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = '\0';
        if (!n || line[0] == '#') continue;
        size_t pt = strlen(PUBLIC_TAG), rt = strlen(REVOKED_TAG);
        if (!strncmp(line, PUBLIC_TAG, pt) && unhex(line + pt, n - pt, pk, sizeof pk) == 0) {
            if (push_hex(&t->keys, &t->nkeys, line + pt) != 0) goto oom;
        } else if (!strncmp(line, REVOKED_TAG, rt) && unhex(line + rt, n - rt, (unsigned char[32]){0}, 32) == 0) {
            if (push_hex(&t->revoked, &t->nrevoked, line + rt) != 0) goto oom;
        } else {
            *err = archive_msgf("%s:%d:1: not a trust line (\"%sKEY\" with 64 hex digits, "
                        "\"%sFINGERPRINT\" with 64 hex digits, or a # comment): %.60s",
                        path, ln, PUBLIC_TAG, REVOKED_TAG, line);
            status = -1;
        }
    }
    if (status == 0 && ferror(f)) { *err = archive_msgf("%s: %s", path, strerror(errno)); status = -1; }
    fclose(f);
    return status;
oom:
    fclose(f);
    *err = archive_msgf("out of memory");
    return -1;
}

void sign_trust_free(sign_trust *t) {
    free(t->keys);
    free(t->revoked);
    memset(t, 0, sizeof *t);
}

int sign_check_trust(const archive_record *rec, const sign_trust *t, char **err) {
    if (!rec->signer) {
        *err = archive_msgf("the archive is unsigned (format %d%s)", rec->version,
                    rec->version == 1 ? ": format 1 has no signatures" : "");
        return -1;
    }
    char fp[65];
    if (sign_fingerprint(rec->signer, fp) != 0) { *err = archive_msgf("the signer is not a public key"); return -1; }
    if (!sign_valid(rec)) {
        *err = archive_msgf("the signature is not valid (key %s): the archive was changed after "
                    "signing, or the signature is forged", fp);
        return -1;
    }
    for (size_t i = 0; i < t->nrevoked; i++)
        if (!strcmp(t->revoked[i], fp)) {
            *err = archive_msgf("signed by a revoked key %s", fp);
            return -1;
        }
    for (size_t i = 0; i < t->nkeys; i++)
        if (!strcmp(t->keys[i], rec->signer)) return 0;
    *err = archive_msgf("signed by key %s, which no --trust file trusts", fp);
    return -1;
}
