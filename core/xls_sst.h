/* xls_sst.h — a check of an .xls Workbook stream's texts against what libfreexl (1.0.6)
 * reads right, made by the import process from its own read of the stream (never by
 * libfreexl). BIFF8 keeps the workbook's texts in the shared string table: an SST record
 * and the CONTINUE records right after it (8,224 bytes each at most). A text's
 * characters may go on from one record into the next, each part after a flags byte of
 * its own; its formatting runs and extended data may follow it across a boundary too.
 * libfreexl completes a text from the one record after the one it starts in, and reads
 * past that record's end when its characters go on further (heap overflow; the text
 * comes back as garbage, or the file is refused); it loses its place after a split text
 * whose formatting data crosses a boundary, after a string header split by one, and at
 * a second SST record, which it takes for a continuation. A LABEL cell record (0x0204)
 * it reads as its length field says, past the record's end if the text is longer. Each
 * of these is found here; so is a table that ends before its last text (libfreexl
 * leaves those texts out). Every read is bounds-checked. Nothing printed. */
#ifndef YJ_XLS_SST_H
#define YJ_XLS_SST_H

#include <stddef.h>

enum {
    XLS_SST_OK = 0,
    XLS_SST_LONG,       /* a text libfreexl misreads: its characters in *chars */
    XLS_SST_MISREAD,    /* a structure libfreexl misreads (at byte *at of the stream) */
    XLS_SST_DAMAGED     /* the table ends before its last text (at byte *at) */
};

/* Checks the BIFF Workbook stream wb, len bytes (the caller's; only read): its records
 * one after another, as libfreexl reads them. XLS_SST_* and, for LONG, the text's
 * character count in *chars; for MISREAD and DAMAGED, where in *at. */
int xls_sst_check(const unsigned char *wb, size_t len, unsigned *chars, size_t *at);

#endif
