/* imp_encoding.h — what an input file is made of, and turning it into UTF-8.
 *
 * A first streaming pass (imp_scan_file) classifies each line with non-ASCII bytes
 * (strict UTF-8, or GB18030, or neither), notes a BOM and any NUL byte; then
 * imp_scan_decide picks the encoding by weighing the whole file. The second pass hashes the bytes (yj_sha256 in sha256.h, for
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
    int utf16;            /* starts with a UTF-16 byte-order mark: 0, 0xFFFE or 0xFEFF */
    long nul_line;        /* physical line (1-based) of the first NUL byte, 0 if none */
    /* Physical lines holding bytes >= 0x80, by what they are (the encoding rule,
     * imp_scan_decide, weighs them): valid UTF-8; not UTF-8; and of those, not
     * GB18030 either. With the first line of each kind (0: none) and, for the last
     * two, its first bad bytes (up to 2, as the message shows them). A file that is
     * UTF-8 throughout (utf8 set) has nothing to weigh: its counts are left 0. */
    long lines_utf8, lines_bad, lines_neither;
    long first_utf8, first_bad, first_neither;
    unsigned char bad_bytes[2], neither_bytes[2];
    int nbad_bytes, nneither_bytes;
} imp_scan;

/* Reads f to its end, once, and fills *out. Returns 0, or -1 on a read error (errno
 * set). */
int imp_scan_file(FILE *f, imp_scan *out);

/* The encoding of a file under --encoding AUTO (docs/importing.md, "Encodings"):
 *   - a UTF-8 BOM decides: UTF-8; a UTF-16 BOM: refused;
 *   - every line valid UTF-8: UTF-8;
 *   - at least as many lines with non-ASCII bytes are UTF-8 as are not: UTF-8 (the
 *     bad lines are row errors: a stray GBK pair or FF FE never turns the whole file
 *     into GB18030, which would garble every other line silently);
 *   - at most 1 in 10 of them UTF-8 (GBK text that happens to be valid UTF-8) and
 *     most of the rest decode as GB18030: GB18030 (the rest are row errors);
 *   - otherwise refused: neither UTF-8 nor GB18030, or mixed encodings.
 * Returns IMP_ENC_UTF8 or IMP_ENC_GB18030, or -1 with *line and why[0..cap) set to
 * the refusal (the line it names, the message). */
int imp_scan_decide(const imp_scan *s, long *line, char *why, size_t cap);

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
