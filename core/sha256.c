/* sha256.c — SHA-256 of a buffer, for archives and the scripts' provenance. */
#include <glib.h>
#include <stdio.h>

#include "sha256.h"

void yj_sha256_hex(const void *data, size_t len, char out[65]) {
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(ck, data, (gssize)len);
    snprintf(out, 65, "%s", g_checksum_get_string(ck));
    g_checksum_free(ck);
}
