/* archive_sign.h — Ed25519 keys and signatures of archives (libsodium): `yingji keygen`,
 * `archive --sign KEY`, `verify --trust FILE` (docs/archive.md "Keys and signatures").
 *
 * Files (text, one item a line):
 *   secret key  "yingji-secret-key ed25519 HEX" (the 64-byte libsodium secret key), mode
 *               0600; refused when the group or others may read it.
 *   public key  "# ..." comment lines and "ed25519 HEX" (the 32-byte public key).
 *   trust file  any number of "ed25519 HEX" (a trusted key) and "revoked FINGERPRINT"
 *               (a key no longer trusted, whatever other line trusts it), "#" comments
 *               and blank lines; a public key file is a trust file.
 * A key's fingerprint is the SHA-256 (64 hex digits) of its 32 public-key bytes.
 * What is signed: archive_signed_message (archive.h), the manifest's SHA-256 after a
 * fixed prefix; the manifest covers every part's hash.
 *
 * Errors: 0, or -1 with the message in *err (malloc'd, the caller frees). */
#ifndef YJ_ARCHIVE_SIGN_H
#define YJ_ARCHIVE_SIGN_H

#include <stddef.h>

#include "archive.h"

/* Writes a new key pair: the secret key at key_path (created, mode 0600, never over an
 * existing file) and the public key at pub_path (likewise, mode 0644). fp gets the
 * fingerprint. On failure nothing is left behind. */
int sign_keygen(const char *key_path, const char *pub_path, char fp[65], char **err);

/* The public key file written beside key_path: KEY.key -> KEY.pub, else KEY.pub appended.
 * Malloc'd (caller frees); NULL when out of memory. */
char *sign_pub_path(const char *key_path);

/* Signs rec (its manifest_sha256 must be computed) with the secret key file at
 * key_path: sets rec->signer and rec->signature (malloc'd, owned by rec). fp gets the
 * signer's fingerprint. Refuses a key file others may read, or a malformed one
 * (file:line in the message). */
int sign_archive(archive_record *rec, const char *key_path, char fp[65], char **err);

/* The fingerprint of a public key given as 64 hex digits. 0, or -1 if it is not one. */
int sign_fingerprint(const char *pub_hex, char fp[65]);

/* 1 when rec's signature is a valid signature of its manifest by rec->signer, 0 when
 * it is not (or rec is unsigned). */
int sign_valid(const archive_record *rec);

/* The keys of --trust files. */
typedef struct {
    char (*keys)[65];      /* trusted public keys, hex */
    size_t nkeys;
    char (*revoked)[65];   /* revoked fingerprints */
    size_t nrevoked;
} sign_trust;

/* Adds the lines of the trust file path to t (zero-initialised the first time). A line
 * that is none of the forms above is an error naming path:line. */
int sign_trust_load(sign_trust *t, const char *path, char **err);
void sign_trust_free(sign_trust *t);

/* Checks rec against t: 0 when it is signed validly by a key of t that is not revoked;
 * else -1 with the reason in *err (unsigned, invalid signature, untrusted or revoked key,
 * naming the fingerprint). */
int sign_check_trust(const archive_record *rec, const sign_trust *t, char **err);

#endif
