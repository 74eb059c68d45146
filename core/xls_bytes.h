/* xls_bytes.h — the little-endian fields of an .xls file's compound-file structures and
 * BIFF records (xls_cfb.c, xls_sst.c, imp_xls.c): p must hold 2 or 4 bytes. */
#ifndef YJ_XLS_BYTES_H
#define YJ_XLS_BYTES_H

#include <stdint.h>

static inline unsigned xls_u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

static inline uint32_t xls_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
