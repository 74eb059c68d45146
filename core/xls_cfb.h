/* xls_cfb.h — the compound file (OLE2 structured storage) that holds an .xls workbook:
 * its Workbook stream read out of the file, and where in the file each piece of the
 * stream lies, so that a copy of the file can be patched in place (imp_xls.c). Every
 * read is bounds-checked: a chain that leaves the file, loops, runs into another's
 * sectors or ends early is a reason (a translated static string), never a crash.
 * Nothing printed. */
#ifndef YJ_XLS_CFB_H
#define YJ_XLS_CFB_H

#include <stddef.h>

/* A stream read out of a compound file. Owned: free with xls_stream_free. */
typedef struct {
    unsigned char *bytes;   /* the stream, len bytes (malloc'd) */
    size_t len;
    size_t unit;            /* its sector size: the file's (512, 4096), or 64 in the mini stream */
    size_t *at;             /* the file offset of each unit of the stream, in order (malloc'd) */
    size_t nat;             /* how many: len / unit rounded up */
} xls_stream;

/* Files up to this size are read (an .xls holds at most 65,536 rows by 256 columns). */
#define XLS_CFB_FILE_MAX ((size_t)256 << 20)

/* The whole file open as fd, read into *b (malloc'd; the caller frees) and *n: NULL, or
 * why not (larger than XLS_CFB_FILE_MAX, say). */
const char *xls_cfb_load(int fd, unsigned char **b, size_t *n);

/* The Workbook stream (BIFF8; "Book" for BIFF5) of the compound file b, n bytes (the
 * caller's; only read) into *s: NULL, or why it could not be read (*s then empty).
 * *damaged is set to 1 when the reason is a damaged file (a sector the stream, the
 * sector table or the directory each claim: what any reader reads there is not the
 * stream), else 0. */
const char *xls_cfb_workbook(const unsigned char *b, size_t n, xls_stream *s, int *damaged);

void xls_stream_free(xls_stream *s);

#endif
