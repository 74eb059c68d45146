/* sha256.h — SHA-256 (OpenSSL's EVP, which uses the CPU's SHA instructions where there
 * are any) as lower-case hex: for the import log, archives and scripts' provenance. */
#ifndef YJ_SHA256_H
#define YJ_SHA256_H

#include <stddef.h>

/* Writes the digest of data[0..len) to out as 64 hex digits and a NUL. */
void yj_sha256_hex(const void *data, size_t len, char out[65]);

/* Incremental: new (NULL when it cannot start), feed any number of times, then finish,
 * which writes the hex digest to out and frees h; it returns 0, or -1 on failure (out
 * is then ""). finish(NULL) returns -1. */
typedef struct yj_sha256 yj_sha256;
yj_sha256 *yj_sha256_new(void);
void yj_sha256_feed(yj_sha256 *h, const void *p, size_t n);
int yj_sha256_finish(yj_sha256 *h, char out[65]);

#endif
