/* chart_doc.h — the document model: an A4 portrait PDF built from blocks (title block,
 * section headings, paragraphs, tiles, charts, tables, page breaks). Saving lays every
 * block out first — so the total page count is known for the running footer
 * "第 N 页 / 共 M 页" — and draws second. Sections become PDF bookmarks; the metadata date
 * is the data cut-off, so the bytes depend only on the content.
 *
 * Functions that take a pointer to a chart_spec, chart_table or tile array take ownership
 * of it, also when they fail. */
#ifndef YJ_CHART_DOC_H
#define YJ_CHART_DOC_H

#include <stddef.h>

#include "chart.h"
#include "chart_table.h"
#include "chart_tile.h"

typedef struct chart_doc chart_doc;

/* Limits: blocks, one paragraph's bytes, and all the content a document may hold (its
 * copies live outside the Lua heap, so the script's memory cap does not bound them). */
enum { CHART_MAX_BLOCKS = 20000, CHART_MAX_PARAGRAPH = 65536, CHART_MAX_DOC_MB = 64 };

/* body (serif, indented), note (small grey sans), caption (small, centred), signature
 * (serif, right-aligned: the issuing office and date at a document's end, 落款) */
typedef enum { CHART_PARA_BODY, CHART_PARA_NOTE, CHART_PARA_CAPTION, CHART_PARA_SIGNATURE } chart_para_style;

/* A new, empty document; NULL when out of memory. Free with chart_doc_free. */
chart_doc *chart_doc_new(void);
void chart_doc_free(chart_doc *d);   /* accepts NULL */

/* Metadata. date is YYYY-MM-DD (the data cut-off) or NULL; the other strings may be NULL.
 * Returns 0, or -1 with the reason in err (a malformed date). */
int chart_doc_meta(chart_doc *d, const char *title, const char *subject, const char *author,
                   const char *date, char *err, size_t errlen);

/* Each adder returns 0, or -1 with the reason in err (too many blocks, out of memory). */
int chart_doc_title_block(chart_doc *d, const char *city, const char *title, const char *period,
                          const char *issuer, const char *cutoff, char *err, size_t errlen);
int chart_doc_section(chart_doc *d, const char *text, int level, char *err, size_t errlen);
int chart_doc_paragraph(chart_doc *d, const char *text, chart_para_style style, char *err,
                        size_t errlen);
int chart_doc_tiles(chart_doc *d, chart_tile *tiles, int n, int per_row, char *err,
                    size_t errlen);
int chart_doc_chart(chart_doc *d, chart_spec *s, char *err, size_t errlen);
int chart_doc_table(chart_doc *d, chart_table *tb, const char *caption, char *err, size_t errlen);
int chart_doc_page_break(chart_doc *d, char *err, size_t errlen);

/* Lays out and writes the PDF to path — to a temp beside it, renamed over path when
 * complete (util/out_file.h) — and *pages (may be NULL) gets the page count. Returns 0, or
 * -1 with the reason in err (the temp is removed; what was at path is untouched). */
int chart_doc_save(chart_doc *d, const char *path, int *pages, char *err, size_t errlen);

#endif
