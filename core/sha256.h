/* sha256.h — SHA-256 of a buffer as 64 lowercase hex digits (GLib's GChecksum). */
#ifndef YJ_SHA256_H
#define YJ_SHA256_H

#include <stddef.h>

/* Writes the digest of data[0..len) to out as a NUL-terminated hex string. */
void yj_sha256_hex(const void *data, size_t len, char out[65]);

#endif
