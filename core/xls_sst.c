/* xls_sst.c — the check of an .xls Workbook stream's texts against what libfreexl
 * (1.0.6) reads right (xls_sst.h). The stream is walked record by record, as libfreexl
 * walks it; the shared string table is read the way BIFF8 lays it out ([MS-XLS]
 * XLUnicodeRichExtendedString: cch u16, flags (fHighByte 0x01, fExtSt 0x04, fRichSt
 * 0x08), cRun u16 if rich, cbExtRst u32 if ext, the characters — a part in each record
 * they cross, each part after the first behind a flags byte of its own — then 4 * cRun
 * and cbExtRst bytes, which cross records without one), and each place where libfreexl's
 * reading (its parse_SST) departs from that layout is reported. */
#include "xls_bytes.h"
#include "xls_sst.h"

#include <stdint.h>

enum {
    TYPE_BOF = 0x0809,
    TYPE_SST = 0x00FC,
    TYPE_CONTINUE = 0x003C,
    TYPE_LABEL = 0x0204
};


/* The table's bytes: the record being read (its data from pos to end) and where the
 * record after it starts. */
typedef struct {
    const unsigned char *wb;
    size_t len, pos, end, next;
} sst_cursor;

/* Moves c to the next CONTINUE record's data: 1, or 0 when the next record is not one
 * (or leaves the stream). */
static int next_part(sst_cursor *c) {
    size_t q = c->next;
    if (q > c->len || c->len - q < 4 || xls_u16(c->wb + q) != TYPE_CONTINUE) return 0;
    size_t rl = xls_u16(c->wb + q + 2);
    if (c->len - q - 4 < rl) return 0;
    c->pos = q + 4;
    c->end = c->pos + rl;
    c->next = c->end;
    return 1;
}

/* The SST record at rec (rl data bytes) and its CONTINUE records. */
static int check_sst(const unsigned char *wb, size_t len, size_t rec, size_t rl, unsigned *chars, size_t *at) {
    sst_cursor c = {wb, len, rec + 4, rec + 4 + rl, rec + 4 + rl};
    *at = rec;
    if (rl < 8) return XLS_SST_DAMAGED;
    uint32_t n = xls_u32(wb + c.pos + 4);               /* cstUnique: libfreexl reads as many */
    c.pos += 8;
    for (uint32_t i = 0; i < n; i++) {
        if (c.pos == c.end && !next_part(&c)) { *at = c.pos; return XLS_SST_DAMAGED; }
        *at = c.pos;
        /* the header: libfreexl reads it whole from the record it starts in */
        if (c.end - c.pos < 3) return XLS_SST_MISREAD;
        unsigned cch = xls_u16(wb + c.pos), flags = wb[c.pos + 2];
        size_t head = 3 + (flags & 0x08 ? 2 : 0) + (flags & 0x04 ? 4 : 0);
        if (c.end - c.pos < head) return XLS_SST_MISREAD;
        size_t skip = 0, h = c.pos + 3;
        if (flags & 0x08) { skip += 4 * (size_t)xls_u16(wb + h); h += 2; }
        if (flags & 0x04) skip += xls_u32(wb + h);
        c.pos += head;
        /* the characters: in this record, or in this one and the next (libfreexl takes
         * the rest from that one record only) */
        size_t width = flags & 0x01 ? 2 : 1, avail = c.end - c.pos;
        int split = (size_t)cch * width > avail;
        if (!split) {
            c.pos += (size_t)cch * width;
        } else {
            if (width == 2 && avail % 2) return XLS_SST_MISREAD;     /* inside a character */
            size_t left = cch - avail / width;
            if (!next_part(&c)) { *at = c.end; return XLS_SST_DAMAGED; }
            if (c.pos == c.end) return XLS_SST_MISREAD;                /* no flags byte */
            width = wb[c.pos++] & 0x01 ? 2 : 1;
            if (left * width > c.end - c.pos) {
                *chars = cch;
                return XLS_SST_LONG;
            }
            c.pos += left * width;
        }
        /* the formatting runs and extended data: after a split text libfreexl steps over
         * them in that record only; else into the next record, not past it */
        if (skip <= c.end - c.pos) {
            c.pos += skip;
            continue;
        }
        if (split) return XLS_SST_MISREAD;
        size_t over = skip - (c.end - c.pos);
        if (!next_part(&c)) { *at = c.end; return i + 1 < n ? XLS_SST_DAMAGED : XLS_SST_OK; }
        if (over > c.end - c.pos || (over == c.end - c.pos && i + 1 < n)) return XLS_SST_MISREAD;
        c.pos += over;
    }
    return XLS_SST_OK;
}

/* A LABEL cell record's text (rl data bytes at d): libfreexl reads its characters as
 * its length field says, within the record or not. */
static int check_label(const unsigned char *d, size_t rl, int biff8, unsigned *chars) {
    if (rl < 8) return XLS_SST_MISREAD;
    unsigned cch = xls_u16(d + 6);
    size_t need = 8 + (size_t)cch;
    if (biff8) {
        if (rl < 9) return XLS_SST_MISREAD;
        unsigned flags = d[8];
        need = 9 + (flags & 0x08 ? 2 : 0) + (flags & 0x04 ? 4 : 0) + (size_t)cch * (flags & 0x01 ? 2 : 1);
    }
    if (need <= rl) return XLS_SST_OK;
    *chars = cch;
    return XLS_SST_LONG;
}

int xls_sst_check(const unsigned char *wb, size_t len, unsigned *chars, size_t *at) {
    *chars = 0;
    *at = 0;
    int biff8 = len >= 6 && xls_u16(wb) == TYPE_BOF && xls_u16(wb + 4) == 0x0600, sst = 0, rc;
    for (size_t pos = 0; len - pos >= 4;) {
        unsigned type = xls_u16(wb + pos);
        size_t rl = xls_u16(wb + pos + 2);
        if (len - pos - 4 < rl) break;                  /* (the stream ends: libfreexl stops) */
        if (type == TYPE_SST) {
            if (sst++) { *at = pos; return XLS_SST_MISREAD; }  /* libfreexl: a continuation */
            if ((rc = check_sst(wb, len, pos, rl, chars, at)) != XLS_SST_OK) return rc;
        } else if (type == TYPE_LABEL) {
            *at = pos;
            if ((rc = check_label(wb + pos + 4, rl, biff8, chars)) != XLS_SST_OK) return rc;
        }
        pos += 4 + rl;
    }
    return XLS_SST_OK;
}
