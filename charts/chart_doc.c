/* chart_doc.c — the A4 document: blocks added by the caller, laid out into pages first (so
 * "共 M 页" is known), drawn second on a cairo PDF surface with bookmarks, running header
 * and footer, and metadata dated at the data cut-off (see chart_doc.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>

#include "chart_doc.h"
#include "chart_palette.h"
#include "chart_plot.h"
#include "out_file.h"

/* {==== page geometry (points) ====================================== */

#define PAGE_W 595.2756
#define PAGE_H 841.8898
#define MARGIN_X (24 * CHART_MM)
#define TOP (26 * CHART_MM)
#define BOTTOM (PAGE_H - 24 * CHART_MM)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define MAX_PAGES 2000
#define DEFAULT_DATE "2000-01-01T00:00:00"

#define BODY_PT 11.5
#define NOTE_PT 9.0
#define H1_PT 14.0
#define H2_PT 12.0
#define BLOCK_GAP 8.0

/* }==== */

typedef enum { B_TITLE, B_SECTION, B_PARA, B_TILES, B_CHART, B_TABLE, B_BREAK } block_kind;

typedef struct block {
    block_kind kind;
    char *s[5];            /* owned: title block fields; section / paragraph text; caption */
    int level;             /* section level or paragraph style */
    chart_tile *tiles;     /* owned, n_tiles */
    int n_tiles, per_row;
    chart_spec *chart;     /* owned */
    chart_table *table;    /* owned */
    double *row_h, *col_w; /* owned: table row heights and column widths from the layout */
} block;

/* One block's share of one page: lines, tile rows or table rows [a, b). */
typedef struct piece {
    int block, page, a, b;
    double y, h;
    int first;             /* the block's first piece (table caption, section bookmark) */
} piece;

struct chart_doc {
    char *title, *subject, *author;
    char date[32];
    block *blocks;
    int n, cap;
    piece *pieces;
    int np, pcap, pages;
    size_t bytes;          /* content held, against CHART_MAX_DOC_MB */
};

/* {==== building ==================================================== */

static char *dup_or_null(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

chart_doc *chart_doc_new(void) {
    chart_doc *d = calloc(1, sizeof *d);
    if (d) snprintf(d->date, sizeof d->date, "%s", DEFAULT_DATE);
    return d;
}

static void block_free(block *b) {
    for (int i = 0; i < 5; i++) free(b->s[i]);
    for (int i = 0; i < b->n_tiles; i++) chart_tile_clear(&b->tiles[i]);
    free(b->tiles);
    chart_spec_free(b->chart);
    chart_table_free(b->table);
    free(b->row_h);
    free(b->col_w);
}

void chart_doc_free(chart_doc *d) {
    if (!d) return;
    for (int i = 0; i < d->n; i++) block_free(&d->blocks[i]);
    free(d->blocks);
    free(d->pieces);
    free(d->title); free(d->subject); free(d->author);
    free(d);
}

int chart_doc_meta(chart_doc *d, const char *title, const char *subject, const char *author,
                   const char *date, char *err, size_t errlen) {
    if (date) {
        int ok = strlen(date) == 10 && date[4] == '-' && date[7] == '-';
        for (int i = 0; ok && i < 10; i++)
            if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) ok = 0;
        if (!ok) {
            snprintf(err, errlen, "date '%s' is not YYYY-MM-DD", date);
            return -1;
        }
        snprintf(d->date, sizeof d->date, "%sT00:00:00", date);
    }
    if (title) { free(d->title); d->title = dup_or_null(title); }
    if (subject) { free(d->subject); d->subject = dup_or_null(subject); }
    if (author) { free(d->author); d->author = dup_or_null(author); }
    return 0;
}

/* Counts bytes of content against the document's limit; -1 with err set when over. */
static int charge(chart_doc *d, size_t bytes, char *err, size_t errlen) {
    size_t max = (size_t)CHART_MAX_DOC_MB << 20;
    if (bytes > max - d->bytes) {
        snprintf(err, errlen, "the document holds too much content (at most %d MiB)",
                 CHART_MAX_DOC_MB);
        return -1;
    }
    d->bytes += bytes;
    return 0;
}

/* A new zeroed block at the end, or NULL with err set. */
static block *add_block(chart_doc *d, block_kind kind, char *err, size_t errlen) {
    if (d->n >= CHART_MAX_BLOCKS) {
        snprintf(err, errlen, "too many blocks in one document (at most %d)", CHART_MAX_BLOCKS);
        return NULL;
    }
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 32;
        block *nb = realloc(d->blocks, (size_t)cap * sizeof *nb);
        if (!nb) { snprintf(err, errlen, "out of memory"); return NULL; }
        d->blocks = nb;
        d->cap = cap;
    }
    block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

/* Copies the strings into b->s; -1 (and the block dropped) when out of memory. */
static int set_strings(chart_doc *d, block *b, const char *const *s, int n, char *err,
                       size_t errlen) {
    size_t bytes = 0;
    for (int i = 0; i < n; i++) bytes += s[i] ? strlen(s[i]) + 1 : 0;
    if (charge(d, bytes, err, errlen) != 0) {
        block_free(b);
        d->n--;
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (s[i] && !(b->s[i] = dup_or_null(s[i]))) {
            block_free(b);
            d->n--;
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    return 0;
}

int chart_doc_title_block(chart_doc *d, const char *city, const char *title, const char *period,
                          const char *issuer, const char *cutoff, char *err, size_t errlen) {
    block *b = add_block(d, B_TITLE, err, errlen);
    const char *s[5] = { city, title, period, issuer, cutoff };
    return b ? set_strings(d, b, s, 5, err, errlen) : -1;
}

int chart_doc_section(chart_doc *d, const char *text, int level, char *err, size_t errlen) {
    block *b = add_block(d, B_SECTION, err, errlen);
    if (!b) return -1;
    b->level = level == 2 ? 2 : 1;
    return set_strings(d, b, &text, 1, err, errlen);
}

int chart_doc_paragraph(chart_doc *d, const char *text, chart_para_style style, char *err,
                        size_t errlen) {
    if (strlen(text) > CHART_MAX_PARAGRAPH) {
        snprintf(err, errlen, "paragraph too long (%zu bytes; at most %d)", strlen(text),
                 CHART_MAX_PARAGRAPH);
        return -1;
    }
    block *b = add_block(d, B_PARA, err, errlen);
    if (!b) return -1;
    b->level = (int)style;
    return set_strings(d, b, &text, 1, err, errlen);
}

int chart_doc_tiles(chart_doc *d, chart_tile *tiles, int n, int per_row, char *err,
                    size_t errlen) {
    block *b = add_block(d, B_TILES, err, errlen);
    if (!b) {
        for (int i = 0; i < n; i++) chart_tile_clear(&tiles[i]);
        free(tiles);
        return -1;
    }
    b->tiles = tiles;
    b->n_tiles = n;
    b->per_row = per_row < 1 ? 4 : per_row > 6 ? 6 : per_row;
    return 0;
}

int chart_doc_chart(chart_doc *d, chart_spec *s, char *err, size_t errlen) {
    size_t bytes = (size_t)s->n_cat * ((size_t)s->n_series + 1) * sizeof(double);
    for (int i = 0; i < s->n_cat; i++) bytes += s->categories[i] ? strlen(s->categories[i]) : 0;
    block *b = chart_spec_check(s, err, errlen) == 0 && charge(d, bytes, err, errlen) == 0
                   ? add_block(d, B_CHART, err, errlen) : NULL;
    if (!b) { chart_spec_free(s); return -1; }
    b->chart = s;
    return 0;
}

int chart_doc_table(chart_doc *d, chart_table *tb, const char *caption, char *err, size_t errlen) {
    size_t bytes = (size_t)tb->n_rows * (size_t)tb->n_cols * sizeof(char *);
    for (long i = 0; i < (long)tb->n_rows * tb->n_cols; i++)
        bytes += tb->cells[i] ? strlen(tb->cells[i]) : 0;
    block *b = charge(d, bytes, err, errlen) == 0 ? add_block(d, B_TABLE, err, errlen) : NULL;
    if (!b) { chart_table_free(tb); return -1; }
    b->table = tb;
    return set_strings(d, b, &caption, 1, err, errlen);
}

int chart_doc_page_break(chart_doc *d, char *err, size_t errlen) {
    return add_block(d, B_BREAK, err, errlen) ? 0 : -1;
}

/* }==== */

/* {==== blocks: one function per kind that measures (draw = 0) or draws ============== */

/* The title block at y; returns its height. */
static double title_block(chart_text *t, const block *b, double y, int draw) {
    double x = MARGIN_X, w = CONTENT_W, y0 = y;
    char head[1024];
    snprintf(head, sizeof head, "%s%s", b->s[0] ? b->s[0] : "", b->s[1] ? b->s[1] : "");
    /* bold sans, the 黑体 of the headings: a bold serif here was a fourth embedded face
     * for one line, and each face costs a run its whole CFF table (docs/performance.md) */
    PangoLayout *l = chart_text_layout(t, head, CHART_SANS, 22, 1, w, CHART_CENTER);
    double lw, lh;
    chart_text_extent(l, &lw, &lh);
    if (draw) chart_text_show(t, l, x, y, CHART_INK);
    g_object_unref(l);
    y += lh + 4;
    if (b->s[2]) {
        char period[512];
        snprintf(period, sizeof period, "（%s）", b->s[2]);
        l = chart_text_layout(t, period, CHART_SERIF, 14, 0, w, CHART_CENTER);
        chart_text_extent(l, &lw, &lh);
        if (draw) chart_text_show(t, l, x, y, CHART_INK);
        g_object_unref(l);
        y += lh + 10;
    }
    double rh = 0;
    if (b->s[3]) {
        l = chart_text_layout(t, b->s[3], CHART_SERIF, 10.5, 0, w * 0.6, CHART_LEFT);
        chart_text_extent(l, &lw, &lh);
        if (draw) chart_text_show(t, l, x, y, CHART_INK);
        g_object_unref(l);
        rh = lh;
    }
    if (b->s[4]) {
        char cut[256];
        snprintf(cut, sizeof cut, "数据截至：%s", b->s[4]);
        l = chart_text_layout(t, cut, CHART_SERIF, 10.5, 0, w * 0.4, CHART_RIGHT);
        chart_text_extent(l, &lw, &lh);
        if (draw) chart_text_show(t, l, x + w * 0.6, y, CHART_INK);
        g_object_unref(l);
        rh = fmax(rh, lh);
    }
    y += rh + 4;
    if (draw) {
        chart_set_rgb(t->cr, CHART_RULE);
        cairo_rectangle(t->cr, x, y, w, 1.5);
        cairo_fill(t->cr);
    }
    y += 1.5 + 12;
    return y - y0;
}

/* A section heading at y; returns its height (space above included unless at_top). */
static double section(chart_text *t, const block *b, double y, int at_top, int draw) {
    double above = at_top ? 0 : (b->level == 1 ? 10 : 6);
    PangoLayout *l = chart_text_layout(t, b->s[0] ? b->s[0] : "", CHART_SANS,
                                       b->level == 1 ? H1_PT : H2_PT, 1, CONTENT_W, CHART_LEFT);
    double lw, lh;
    chart_text_extent(l, &lw, &lh);
    if (draw) chart_text_show(t, l, MARGIN_X, y + above, CHART_INK);
    g_object_unref(l);
    return above + lh + 5;
}

static PangoLayout *para_layout(chart_text *t, const block *b) {
    chart_para_style st = (chart_para_style)b->level;
    int serif = st == CHART_PARA_BODY || st == CHART_PARA_SIGNATURE;
    double pt = serif ? BODY_PT : NOTE_PT;
    PangoLayout *l = chart_text_layout(t, b->s[0] ? b->s[0] : "", serif ? CHART_SERIF : CHART_SANS,
                                       pt, 0, CONTENT_W - (st == CHART_PARA_SIGNATURE ? 4 * pt : 0),
                                       st == CHART_PARA_CAPTION ? CHART_CENTER
                                       : st == CHART_PARA_SIGNATURE ? CHART_RIGHT : CHART_LEFT);
    if (st == CHART_PARA_SIGNATURE) pango_layout_set_line_spacing(l, 1.45f);
    if (st == CHART_PARA_BODY) {
        pango_layout_set_indent(l, (int)(2 * pt * PANGO_SCALE));
        /* ragged right: justified CJK lines are spaced out glyph by glyph, and
         * pdftotext then reads "50. 0%" — the figures must come back intact */
        pango_layout_set_line_spacing(l, 1.45f);
    }
    return l;
}

/* Top and bottom of every line of a paragraph layout, in points; caller frees. */
static int para_lines(PangoLayout *l, double **top, double **bot) {
    int n = pango_layout_get_line_count(l);
    *top = malloc(((size_t)n + 1) * sizeof(double));
    *bot = malloc(((size_t)n + 1) * sizeof(double));
    if (!*top || !*bot) return -1;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int i = 0;
    do {
        int y0, y1;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        (*top)[i] = (double)y0 / PANGO_SCALE;
        (*bot)[i] = (double)y1 / PANGO_SCALE;
        i++;
    } while (i < n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return n;
}

/* Draws lines [a, b) of a paragraph with line a's top at y. */
static void para_draw(chart_text *t, const block *blk, int a, int b, double y) {
    PangoLayout *l = para_layout(t, blk);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    unsigned rgb = blk->level == CHART_PARA_BODY || blk->level == CHART_PARA_SIGNATURE ? CHART_INK
                                                                                       : CHART_MUTED;
    double base = 0;
    int i = 0;
    cairo_save(t->cr);
    chart_set_rgb(t->cr, rgb);
    do {
        int y0, y1;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        if (i == a) base = (double)y0 / PANGO_SCALE;
        if (i >= a && i < b) {
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, NULL, &logical);
            double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            cairo_move_to(t->cr, MARGIN_X + (double)logical.x / PANGO_SCALE, y + baseline - base);
            pango_cairo_show_layout_line(t->cr, pango_layout_iter_get_line_readonly(it));
        }
        i++;
    } while (i < b && pango_layout_iter_next_line(it));
    cairo_restore(t->cr);
    pango_layout_iter_free(it);
    g_object_unref(l);
}

static double chart_height(const block *b) {
    return fmin(b->chart->height_mm * CHART_MM, BOTTOM - TOP - 20);
}

static double caption_height(chart_text *t, const block *b, double y, int draw) {
    if (!b->s[0]) return 0;
    PangoLayout *l = chart_text_layout(t, b->s[0], CHART_SANS, 10.5, 1, CONTENT_W, CHART_CENTER);
    double lw, lh;
    chart_text_extent(l, &lw, &lh);
    if (draw) chart_text_show(t, l, MARGIN_X, y, CHART_INK);
    g_object_unref(l);
    return lh + 4;
}

/* }==== */

/* {==== layout ====================================================== */

typedef struct layout {
    chart_doc *d;
    chart_text *t;
    int page;
    double y;
    char *err;
    size_t errlen;
} layout;

static int new_page(layout *L) {
    if (++L->page >= MAX_PAGES) {
        snprintf(L->err, L->errlen, "the document would exceed %d pages", MAX_PAGES);
        return -1;
    }
    L->y = TOP;
    return 0;
}

static int add_piece(layout *L, int blk, int a, int b, double h, int first) {
    chart_doc *d = L->d;
    if (d->np == d->pcap) {
        int cap = d->pcap ? d->pcap * 2 : 64;
        piece *np = realloc(d->pieces, (size_t)cap * sizeof *np);
        if (!np) { snprintf(L->err, L->errlen, "out of memory"); return -1; }
        d->pieces = np;
        d->pcap = cap;
    }
    d->pieces[d->np++] = (piece){ .block = blk, .page = L->page, .a = a, .b = b, .y = L->y,
                                  .h = h, .first = first };
    L->y += h;
    return 0;
}

/* Places an unbreakable piece of height h, on a new page when it does not fit. */
static int place(layout *L, int blk, int a, int b, double h, int first) {
    if (L->y + h > BOTTOM && L->y > TOP && new_page(L) != 0) return -1;
    return add_piece(L, blk, a, b, h, first);
}

/* Table rows and columns measured once and kept on the block for drawing. */
static int table_measure(layout *L, block *b) {
    chart_table *tb = b->table;
    free(b->col_w);
    free(b->row_h);
    b->col_w = malloc((size_t)tb->n_cols * sizeof(double));
    b->row_h = malloc(((size_t)tb->n_rows + 1) * sizeof(double));
    if (!b->col_w || !b->row_h) { snprintf(L->err, L->errlen, "out of memory"); return -1; }
    chart_table_columns(L->t, tb, CONTENT_W, b->col_w);
    b->row_h[0] = chart_table_row_height(L->t, tb, -1, b->col_w);
    for (int r = 0; r < tb->n_rows; r++)
        b->row_h[r + 1] = chart_table_row_height(L->t, tb, r, b->col_w);
    return 0;
}

static double first_height(layout *L, int i);
static double table_start_height(layout *L, block *b);

/* A paragraph of at most this many lines is kept whole with the heading before it, and
 * the chart or table after it comes along (keep-with-next). */
#define KEEP_LINES 6

/* The height of paragraph block i: all of it when it is short (*short_para set), else
 * its first three lines. */
static double para_keep_height(layout *L, block *b, int *short_para) {
    PangoLayout *l = para_layout(L->t, b);
    int lines = pango_layout_get_line_count(l);
    double lw, lh;
    chart_text_extent(l, &lw, &lh);
    g_object_unref(l);
    *short_para = lines <= KEEP_LINES;
    if (*short_para) return lh + BLOCK_GAP;
    return 3 * BODY_PT * 1.45;
}

/* How much of what follows a heading (block i on) must come onto the same page: a short
 * paragraph whole, with the chart, table or tiles after it; a long one's first lines. */
static double first_height(layout *L, int i) {
    if (i >= L->d->n) return 0;
    block *b = &L->d->blocks[i];
    switch (b->kind) {
    case B_PARA: {
        int short_para;
        double h = para_keep_height(L, b, &short_para);
        if (short_para && i + 1 < L->d->n) {
            block_kind k = L->d->blocks[i + 1].kind;
            if (k == B_CHART || k == B_TABLE || k == B_TILES) h += first_height(L, i + 1);
        }
        return fmin(h, BOTTOM - TOP - 40);
    }
    case B_CHART: return chart_height(b) + BLOCK_GAP;
    case B_TILES: return chart_tiles_row_height(L->t, b->tiles, b->n_tiles < b->per_row ?
                                                b->n_tiles : b->per_row, b->per_row, CONTENT_W);
    case B_TABLE: return table_start_height(L, b);
    default: return 0;
    }
}

static int layout_paragraph(layout *L, int i) {
    block *b = &L->d->blocks[i];
    PangoLayout *l = para_layout(L->t, b);
    double *top = NULL, *bot = NULL;
    int n = para_lines(l, &top, &bot), rc = 0;
    g_object_unref(l);
    if (n < 0) { snprintf(L->err, L->errlen, "out of memory"); rc = -1; }
    int a = 0;
    for (int k = 0; rc == 0 && k < n; k++) {
        if (L->y + (bot[k] - top[a]) > BOTTOM) {
            if (k > a) rc = add_piece(L, i, a, k, bot[k - 1] - top[a], a == 0);
            if (rc == 0) rc = new_page(L);
            a = k;
        }
    }
    if (rc == 0 && n > a) rc = add_piece(L, i, a, n, bot[n - 1] - top[a] + BLOCK_GAP, a == 0);
    free(top);
    free(bot);
    return rc;
}

/* A table starts on a page only with its caption, header and this many rows (or all of
 * them), and never leaves fewer than TABLE_WIDOW rows — its totals row among them — alone
 * on the next page. */
#define TABLE_ORPHAN 3
#define TABLE_WIDOW 4

/* What of table block b must start on a page: caption, header and TABLE_ORPHAN rows (or
 * a guess when out of memory: layout_table reports that). */
static double table_start_height(layout *L, block *b) {
    if (table_measure(L, b) != 0) return caption_height(L->t, b, 0, 0) + 60;
    double h = caption_height(L->t, b, 0, 0) + b->row_h[0];
    for (int r = 0; r < b->table->n_rows && r < TABLE_ORPHAN; r++) h += b->row_h[r + 1];
    return fmin(h, BOTTOM - TOP);
}

static int layout_table(layout *L, int i) {
    block *b = &L->d->blocks[i];
    double start = table_start_height(L, b);
    if (table_measure(L, b) != 0) return -1;
    double cap = caption_height(L->t, b, 0, 0), head = b->row_h[0];
    int n = b->table->n_rows, a = 0;
    if (L->y + start > BOTTOM && L->y > TOP && new_page(L) != 0) return -1;
    double h = cap + head;
    for (int r = 0; r < n; r++) {
        double rh = b->row_h[r + 1];
        if (L->y + h + rh > BOTTOM && r > a) {
            int brk = r;
            if (n - r < TABLE_WIDOW && n - TABLE_WIDOW > a) brk = n - TABLE_WIDOW;
            double piece_h = (a == 0 ? cap : 0) + head;
            for (int k = a; k < brk; k++) piece_h += b->row_h[k + 1];
            if (add_piece(L, i, a, brk, piece_h, a == 0) != 0 || new_page(L) != 0) return -1;
            a = brk;
            h = head;
            for (int k = brk; k < r; k++) h += b->row_h[k + 1];
        }
        h += rh;
    }
    return add_piece(L, i, a, n, h + BLOCK_GAP, a == 0);
}

static int layout_all(layout *L) {
    chart_doc *d = L->d;
    L->page = 0;
    L->y = TOP;
    d->np = 0;
    for (int i = 0; i < d->n; i++) {
        block *b = &d->blocks[i];
        int rc = 0;
        switch (b->kind) {
        case B_TITLE: rc = place(L, i, 0, 0, title_block(L->t, b, 0, 0), 1); break;
        case B_SECTION: {
            double h = section(L->t, b, 0, L->y <= TOP, 0);
            if (L->y + h + first_height(L, i + 1) > BOTTOM && L->y > TOP) {
                if (new_page(L) != 0) return -1;
                h = section(L->t, b, 0, 1, 0);
            }
            rc = add_piece(L, i, 0, 0, h, 1);
            break;
        }
        case B_PARA: rc = layout_paragraph(L, i); break;
        case B_TILES:
            for (int r = 0; rc == 0 && r * b->per_row < b->n_tiles; r++) {
                int n = b->n_tiles - r * b->per_row;
                if (n > b->per_row) n = b->per_row;
                double h = chart_tiles_row_height(L->t, b->tiles + r * b->per_row, n, b->per_row,
                                                  CONTENT_W);
                rc = place(L, i, r, r + 1, h + BLOCK_GAP, r == 0);
            }
            break;
        case B_CHART: rc = place(L, i, 0, 0, chart_height(b) + BLOCK_GAP, 1); break;
        case B_TABLE: rc = layout_table(L, i); break;
        case B_BREAK: if (L->y > TOP) rc = new_page(L); break;
        }
        if (rc != 0) return -1;
    }
    d->pages = L->page + 1;
    return 0;
}

/* }==== */

/* {==== drawing ===================================================== */

static void page_furniture(chart_text *t, const chart_doc *d, int page) {
    char buf[64];
    snprintf(buf, sizeof buf, "第 %d 页 / 共 %d 页", page + 1, d->pages);
    chart_text_put(t, buf, CHART_SANS, 9, 0, PAGE_W / 2, PAGE_H - 16 * CHART_MM, 0, CHART_CENTER,
                   CHART_MUTED);
    if (page > 0 && d->title) {   /* a running header from the second page on */
        double h = chart_text_put(t, d->title, CHART_SANS, 8, 0, MARGIN_X, 14 * CHART_MM,
                                  CONTENT_W, CHART_RIGHT, CHART_MUTED);
        cairo_set_line_width(t->cr, 0.5);
        chart_set_rgb(t->cr, CHART_AXIS);
        cairo_move_to(t->cr, MARGIN_X, 14 * CHART_MM + h + 2);
        cairo_line_to(t->cr, PAGE_W - MARGIN_X, 14 * CHART_MM + h + 2);
        cairo_stroke(t->cr);
    }
}

/* Adds a bookmark for section b at (page, y); *parent tracks the last level-1 entry. */
static void bookmark(cairo_surface_t *surf, const block *b, int page, double y, int *parent) {
    char attrs[96];
    snprintf(attrs, sizeof attrs, "page=%d pos=[%.1f %.1f]", page + 1, MARGIN_X, y);
    int id = cairo_pdf_surface_add_outline(surf, b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : *parent,
                                           b->s[0] ? b->s[0] : "", attrs,
                                           CAIRO_PDF_OUTLINE_FLAG_OPEN);
    if (b->level == 1) *parent = id;
}

static int draw_piece(chart_text *t, cairo_surface_t *surf, chart_doc *d, const piece *p,
                      int *parent) {
    block *b = &d->blocks[p->block];
    switch (b->kind) {
    case B_TITLE: title_block(t, b, p->y, 1); break;
    case B_SECTION:
        section(t, b, p->y, p->y <= TOP, 1);
        bookmark(surf, b, p->page, p->y, parent);
        break;
    case B_PARA: para_draw(t, b, p->a, p->b, p->y); break;
    case B_TILES: {
        int n = b->n_tiles - p->a * b->per_row;
        if (n > b->per_row) n = b->per_row;
        chart_tiles_draw_row(t, b->tiles + p->a * b->per_row, n, b->per_row, MARGIN_X, p->y,
                             CONTENT_W, p->h - BLOCK_GAP);
        break;
    }
    case B_CHART: {
        double w = fmin(b->chart->width_mm * CHART_MM, CONTENT_W);
        if (chart_draw(t, b->chart, MARGIN_X + (CONTENT_W - w) / 2, p->y, w, chart_height(b)) != 0)
            return -1;
        break;
    }
    case B_TABLE: {
        double y = p->y;
        if (p->first) y += caption_height(t, b, y, 1);
        chart_table_draw_row(t, b->table, -1, b->col_w, MARGIN_X, y, b->row_h[0]);
        y += b->row_h[0];
        for (int r = p->a; r < p->b; r++) {
            chart_table_draw_row(t, b->table, r, b->col_w, MARGIN_X, y, b->row_h[r + 1]);
            y += b->row_h[r + 1];
        }
        break;
    }
    case B_BREAK: break;
    }
    return cairo_status(t->cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

int chart_doc_save(chart_doc *d, const char *path, int *pages, char *err, size_t errlen) {
    if (errlen) err[0] = '\0';
    chart_out_keep_heap();
    out_file f;   /* the PDF goes to a temp beside path, renamed over it when complete */
    if (out_open(&f, path, err, errlen) != 0) return -1;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(chart_out_write, &f, PAGE_W,
                                                                PAGE_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        out_abort(&f);
        return -1;
    }
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, d->date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, d->date);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "yingji");
    if (d->title) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, d->title);
    if (d->subject) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT, d->subject);
    if (d->author) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR, d->author);
    cairo_t *cr = cairo_create(surf);
    chart_text t;
    int rc = chart_text_begin(&t, cr, err, errlen);
    layout L = { .d = d, .t = &t, .err = err, .errlen = errlen };
    if (rc == 0) rc = layout_all(&L);
    int parent = CAIRO_PDF_OUTLINE_ROOT;
    for (int pg = 0, k = 0; rc == 0 && pg < d->pages; pg++) {
        if (pg > 0) cairo_show_page(cr);
        page_furniture(&t, d, pg);
        for (; rc == 0 && k < d->np && d->pieces[k].page == pg; k++)
            rc = draw_piece(&t, surf, d, &d->pieces[k], &parent);
        if (rc != 0 && !err[0])
            snprintf(err, errlen, "%s: drawing page %d failed: %s", path, pg + 1,
                     cairo_status_to_string(cairo_status(cr)));
    }
    chart_text_end(&t);
    cairo_destroy(cr);
    rc = chart_out_finish(surf, &f, rc, path, err, errlen);
    if (rc == 0 && pages) *pages = d->pages;
    return rc;
}

/* }==== */
