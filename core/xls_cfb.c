/* xls_cfb.c — the compound file around an .xls workbook (see xls_cfb.h): the header's
 * sector sizes, the sector table (FAT, with its DIFAT chain), the directory, and the
 * Workbook stream in regular sectors or, for a small one, in the mini stream. A stream
 * is mapped first (the file offset of each of its sectors, every one checked to lie in
 * the file) and then copied out through the map, which the caller may keep to patch a
 * copy of the file. Every sector (and mini sector) is claimed once by what it holds: the
 * sector table, the directory, the mini stream's table and box, the Workbook stream. A
 * sector claimed twice — a chain that comes back to a sector, or runs through another's —
 * is a damaged file: the same bytes would be read as two things, and a patch of one (the
 * caller's) would change the other. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "xls_bytes.h"
#include "xls_cfb.h"

/* The file in memory (the caller's, read-only) and what its header says. */
typedef struct {
    const unsigned char *b;
    size_t n;
    size_t ss;              /* sector size */
    uint32_t *fat;          /* sector chains */
    size_t nfat;
    unsigned char *claimed; /* one byte per sector of the file: already mapped to something */
    int twice;              /* a sector was claimed twice */
} cfb;


/* The sector's bytes, or NULL when it is outside the file. */
static const unsigned char *sector(const cfb *f, uint32_t id) {
    if (id >= 0xFFFFFFFAu || ((size_t)id + 2) * f->ss > f->n) return NULL;
    return f->b + ((size_t)id + 1) * f->ss;
}

/* Claims sector id (one inside the file) for one use: 0, or -1 when it has one already
 * (f->twice set). */
static int claim(cfb *f, uint32_t id) {
    if (f->claimed[id]) {
        f->twice = 1;
        return -1;
    }
    f->claimed[id] = 1;
    return 0;
}

/* The sector's bytes, claimed; NULL when it is outside the file or claimed already. */
static const unsigned char *claim_sector(cfb *f, uint32_t id) {
    const unsigned char *s = sector(f, id);
    return s && claim(f, id) == 0 ? s : NULL;
}

/* Reads the FAT: its sectors are listed in the header (109) and a chain of DIFAT
 * sectors. 0, or -1. */
static int load_fat(cfb *f) {
    const unsigned char *h = f->b;
    uint32_t nfat = xls_u32(h + 0x2C), difat = xls_u32(h + 0x44);
    size_t per = f->ss / 4;
    if (nfat == 0 || nfat > f->n / f->ss) return -1;
    if (!(f->fat = malloc((size_t)nfat * per * sizeof *f->fat))) return -1;
    f->nfat = (size_t)nfat * per;
    uint32_t k = 0;
    for (; k < nfat && k < 109; k++) {
        const unsigned char *s = claim_sector(f, xls_u32(h + 0x4C + 4 * k));
        if (!s) return -1;
        for (size_t e = 0; e < per; e++) f->fat[(size_t)k * per + e] = xls_u32(s + 4 * e);
    }
    for (size_t hops = 0; k < nfat; hops++) {
        const unsigned char *d = claim_sector(f, difat);
        if (!d || hops > f->n / f->ss) return -1;
        for (size_t e = 0; e + 1 < per && k < nfat; e++, k++) {
            const unsigned char *s = claim_sector(f, xls_u32(d + 4 * e));
            if (!s) return -1;
            for (size_t q = 0; q < per; q++) f->fat[(size_t)k * per + q] = xls_u32(s + 4 * q);
        }
        difat = xls_u32(d + 4 * (per - 1));
    }
    return 0;
}

static size_t units(size_t size, size_t unit) { return size / unit + (size % unit != 0); }

/* The file offsets of the sectors of the chain starting at sector start that hold size
 * bytes (malloc'd; caller frees), through the FAT, each sector claimed. NULL when the
 * chain leaves the file, comes to a claimed sector (a loop, or another's) or ends early. */
static size_t *chain_map(cfb *f, uint32_t start, size_t size) {
    size_t n = units(size, f->ss);
    size_t *at = malloc((n ? n : 1) * sizeof *at);
    if (!at) return NULL;
    uint32_t id = start;
    for (size_t k = 0; k < n; k++) {
        const unsigned char *s = id < f->nfat && k <= f->nfat ? claim_sector(f, id) : NULL;
        if (!s) { free(at); return NULL; }
        at[k] = (size_t)(s - f->b);
        id = f->fat[id];
    }
    return at;
}

/* size bytes gathered from the pieces of unit bytes at the offsets at (malloc'd; caller
 * frees), or NULL. */
static unsigned char *gather(const cfb *f, const size_t *at, size_t unit, size_t size) {
    unsigned char *out = malloc(size ? size : 1);
    if (!out) return NULL;
    for (size_t got = 0, k = 0; got < size; k++) {
        size_t piece = size - got < unit ? size - got : unit;
        memcpy(out + got, f->b + at[k], piece);
        got += piece;
    }
    return out;
}

/* The file offsets of the 64-byte sectors, in the mini stream, of the stream starting at
 * mini sector start that holds size bytes (malloc'd; caller frees): a stream shorter than
 * the header's cutoff (4096 bytes) lives there, inside the root entry's own stream,
 * chained by the mini FAT. NULL when a chain leaves its stream, loops or ends early. */
static size_t *mini_map(cfb *f, const unsigned char *root, uint32_t start, size_t size) {
    const unsigned char *h = f->b;
    size_t ms = (size_t)1 << xls_u16(h + 0x20), rsize = xls_u32(root + 0x78);
    uint32_t nmf = xls_u32(h + 0x40);
    if (root[0x42] != 5 || rsize > f->n || nmf == 0 || nmf > f->n / f->ss) return NULL;
    size_t *box = chain_map(f, xls_u32(root + 0x74), rsize);            /* the mini stream */
    size_t *mfat = chain_map(f, xls_u32(h + 0x3C), (size_t)nmf * f->ss);
    unsigned char *mf = mfat ? gather(f, mfat, f->ss, (size_t)nmf * f->ss) : NULL;
    size_t n = units(size, ms), nmini = (size_t)nmf * f->ss / 4;
    size_t *at = box && mf ? malloc((n ? n : 1) * sizeof *at) : NULL;
    unsigned char *used = at ? calloc(nmini ? nmini : 1, 1) : NULL;   /* the mini sectors claimed */
    if (!used) { free(at); at = NULL; }
    uint32_t id = start;
    for (size_t k = 0; at && k < n; k++) {
        if (id >= nmini || k > nmini || ((size_t)id + 1) * ms > rsize || used[id]) {
            if (id < nmini && used[id]) f->twice = 1;
            free(at);
            at = NULL;
            break;
        }
        used[id] = 1;
        size_t o = (size_t)id * ms;                  /* in the mini stream: never across a sector */
        at[k] = box[o / f->ss] + o % f->ss;
        id = xls_u32(mf + 4 * (size_t)id);
    }
    free(used);
    free(box);
    free(mfat);
    free(mf);
    return at;
}

const char *xls_cfb_workbook(const unsigned char *b, size_t n, xls_stream *s, int *damaged) {
    memset(s, 0, sizeof *s);
    *damaged = 0;
    cfb f = {b, n, 0, NULL, 0, NULL, 0};
    const unsigned char *h = b;
    if (n < 512 || memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return _("it is not a compound file");
    unsigned shift = xls_u16(h + 0x1E), mshift = xls_u16(h + 0x20);
    if ((shift != 9 && shift != 12) || mshift != 6)
        return _("its compound-file header has sector sizes it does not know");
    f.ss = (size_t)1 << shift;
    const char *why = NULL;
    unsigned char *dir = NULL;
    size_t *dmap = NULL, ndir = 0;
    if (!(f.claimed = calloc(n / f.ss, 1))) {
        why = _("out of memory");
        goto out;
    }
    if (load_fat(&f) < 0) {
        why = _("its sector table (FAT) leaves the file");
        goto out;
    }
    /* the directory: a chain of 128-byte entries; those of its first 64 sectors are looked
     * at, every sector of it is claimed (a stream running through its later sectors is as
     * damaged as one through its first) */
    size_t nclaim = 0;
    for (uint32_t id = xls_u32(h + 0x30); id < f.nfat && nclaim <= f.nfat; id = f.fat[id]) nclaim++;
    ndir = nclaim < 64 ? nclaim : 64;
    if (!ndir || !(dmap = chain_map(&f, xls_u32(h + 0x30), nclaim * f.ss)) || !(dir = gather(&f, dmap, f.ss, ndir * f.ss))) {
        why = _("its directory leaves the file");
        goto out;
    }
    const unsigned char *wb = NULL;
    for (size_t e = 0; e < ndir * f.ss / 128; e++) {
        const unsigned char *d = dir + e * 128;
        unsigned nl = xls_u16(d + 0x40), type = d[0x42];
        if (type != 2 || (nl != 18 && nl != 10)) continue;
        char name[9] = {0};
        for (unsigned k = 0; k + 1 < nl / 2 && k < 8; k++) name[k] = d[2 * k + 1] ? '?' : (char)d[2 * k];
        if (!strcmp(name, "Workbook") || !strcmp(name, "Book")) { wb = d; break; }
    }
    if (!wb) {
        why = _("no Workbook stream among the first entries of its directory");
        goto out;
    }
    size_t size = xls_u32(wb + 0x78);
    uint32_t start = xls_u32(wb + 0x74);
    if (size > n) {
        why = _("its Workbook stream is longer than the file");
    } else if (size >= xls_u32(h + 0x38)) {                   /* regular sectors */
        s->unit = f.ss;
        if (!(s->at = chain_map(&f, start, size))) why = _("the Workbook stream's sectors leave the file");
    } else {                                              /* a small workbook: the mini stream */
        s->unit = (size_t)1 << mshift;
        if (!(s->at = mini_map(&f, dir, start, size))) why = _("the Workbook stream's mini-stream sectors leave the file");
    }
    if (!why) {
        s->len = size;
        s->nat = units(size, s->unit);
        if (!(s->bytes = gather(&f, s->at, s->unit, size))) why = _("out of memory");
    }
out:
    if (f.twice) {
        why = _("a sector of its compound file belongs to two of its streams or tables");
        *damaged = 1;
    }
    if (why) xls_stream_free(s);
    free(dir);
    free(dmap);
    free(f.fat);
    free(f.claimed);
    return why;
}

void xls_stream_free(xls_stream *s) {
    free(s->bytes);
    free(s->at);
    memset(s, 0, sizeof *s);
}

const char *xls_cfb_load(int fd, unsigned char **b, size_t *n) {
    *b = NULL;
    *n = 0;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) return _("the file could not be read again");
    if ((unsigned long long)st.st_size > XLS_CFB_FILE_MAX) return _("the file is larger than 256 MB");
    if (st.st_size < 512) return _("it is not a compound file");
    size_t size = (size_t)st.st_size, got = 0;
    unsigned char *file = malloc(size);
    if (!file) return _("out of memory");
    while (got < size) {
        ssize_t k = pread(fd, file + got, size - got, (off_t)got);
        if (k <= 0) break;
        got += (size_t)k;
    }
    if (got != size) {
        free(file);
        return _("the file could not be read again");
    }
    *b = file;
    *n = size;
    return NULL;
}
