/* imp_encoding.h — what an input file is made of, and turning it into UTF-8.
 *
 * A first streaming pass (imp_scan_file) checks the whole file for strict UTF-8, notes
 * a BOM and any NUL byte. The second pass hashes the bytes (yj_sha256 in sha256.h, for
 * the import log) and feeds them through an imp_decoder: a pass-through for UTF-8, iconv from
 * GB18030 otherwise (invalid GB18030 sequences become U+FFFD and are counted, so the
 * importer can report them as row errors). */
#ifndef YJ_IMP_ENCODING_H
#define YJ_IMP_ENCODING_H

#include <stddef.h>
#include <stdio.h>

enum { IMP_ENC_AUTO = 0, IMP_ENC_UTF8 = 1, IMP_ENC_GB18030 = 2 };

/* The read size of both passes (measured.md: 64-128 KiB is fastest). */
enum { IMP_CHUNK = 128 * 1024 };

typedef struct {
    long long size;       /* bytes */
    int utf8;             /* the whole file is strict UTF-8 */
    int bom;              /* starts with EF BB BF */
    long nul_line;        /* physical line (1-based) of the first NUL byte, 0 if none */
} imp_scan;

/* Reads f to its end and fills *out. Returns 0, or -1 on a read error (errno set). */
int imp_scan_file(FILE *f, imp_scan *out);


/* 1 when s[0..n) is strict UTF-8 (no overlongs, surrogates or code points > U+10FFFF). */
int imp_utf8_valid(const char *s, size_t n);

typedef struct imp_decoder imp_decoder;

/* A decoder for IMP_ENC_UTF8 or IMP_ENC_GB18030; NULL when iconv cannot open.
 * Caller frees with imp_decoder_free. */
imp_decoder *imp_decoder_new(int encoding);
void imp_decoder_free(imp_decoder *d);

/* Converts in[0..n) (last: no more input follows) and sets *out and *outlen to the UTF-8
 * produced, owned by the decoder and valid until the next call. An incomplete sequence
 * at the end of in is kept for the next call. Returns the number of invalid sequences
 * replaced so far, or -1 when memory runs out. */
long imp_decoder_feed(imp_decoder *d, const char *in, size_t n, int last,
                      const char **out, size_t *outlen);

#endif
