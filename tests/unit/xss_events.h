/* xss_events.h — the event log shared by tests/unit/test_xlsx_scan.c and
 * fuzz/fuzz_xlsx_scan.c: what the sheet scanner (core/xlsx_sheet_scan.h) and expat hand
 * out, written the same way ("<name a=v>", "</name>", "[text]" with the text joined
 * between markup; names without their prefix), so that two logs compare with strcmp.
 * The logs own their buffers (log_free). */
#ifndef YJ_XSS_EVENTS_H
#define YJ_XSS_EVENTS_H

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_sheet_scan.h"

typedef struct {
    char *buf;
    size_t len, cap;
    char *text;                      /* text not yet logged */
    size_t tlen, tcap;
    int stop_at;                     /* the scanner's start callback stops there (0: never) */
    int starts;
    void (*check)(const char *p, size_t n);   /* called on every name, value and text */
} logbuf;

static void put(char **b, size_t *len, size_t *cap, const char *p, size_t n) {
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < *len + n + 1) c *= 2;
        char *q = realloc(*b, c);
        if (!q) abort();
        *b = q;
        *cap = c;
    }
    memcpy(*b + *len, p, n);
    *len += n;
    (*b)[*len] = '\0';
}

static void logs(logbuf *l, const char *p, size_t n) {
    if (l->check) l->check(p, n);
    put(&l->buf, &l->len, &l->cap, p, n);
}

static void flush_text(logbuf *l) {
    if (!l->tlen) return;
    logs(l, "[", 1);
    logs(l, l->text, l->tlen);
    logs(l, "]", 1);
    l->tlen = 0;
}

static void log_free(logbuf *l) { free(l->buf); free(l->text); memset(l, 0, sizeof *l); }

static void log_start(logbuf *l, const char *n, size_t len) {
    flush_text(l);
    logs(l, "<", 1);
    logs(l, n, len);
}

static void log_attr(logbuf *l, const char *n, size_t nlen, const char *v, size_t vlen) {
    logs(l, " ", 1);
    logs(l, n, nlen);
    logs(l, "=", 1);
    logs(l, v, vlen);
}

static void log_end(logbuf *l, const char *n, size_t len) {
    flush_text(l);
    logs(l, "</", 2);
    logs(l, n, len);
    logs(l, ">", 1);
}

/* ===== the scanner's callbacks (user data: a logbuf) ===== */

static int s_start(void *ud, const char *n, size_t len, const xss_attr *a, int na) {
    logbuf *l = ud;
    log_start(l, n, len);
    for (int k = 0; k < na; k++) log_attr(l, a[k].name, a[k].nlen, a[k].val, a[k].vlen);
    logs(l, ">", 1);
    return ++l->starts == l->stop_at;
}

static int s_end(void *ud, const char *n, size_t len) { log_end(ud, n, len); return 0; }

static int s_text(void *ud, const char *t, size_t n) {
    logbuf *l = ud;
    if (!n) abort();                 /* never an empty piece */
    put(&l->text, &l->tlen, &l->tcap, t, n);
    return 0;
}

/* ===== expat's ===== */

typedef struct {
    logbuf l;
    XML_Parser p;
} exp_log;

static const char *local_name(const char *n) {
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

static void e_start(void *ud, const XML_Char *el, const XML_Char **a) {
    exp_log *e = ud;
    log_start(&e->l, local_name(el), strlen(local_name(el)));
    for (; a[0]; a += 2) log_attr(&e->l, local_name(a[0]), strlen(local_name(a[0])), a[1], strlen(a[1]));
    logs(&e->l, ">", 1);
}

static void e_end(void *ud, const XML_Char *el) { log_end(&((exp_log *)ud)->l, local_name(el), strlen(local_name(el))); }

static void e_text(void *ud, const XML_Char *t, int n) {
    exp_log *e = ud;
    put(&e->l.text, &e->l.tlen, &e->l.tcap, t, (size_t)n);
}

static void e_doctype(void *ud, const XML_Char *n, const XML_Char *s, const XML_Char *p, int i) {
    (void)n; (void)s; (void)p; (void)i;
    XML_StopParser(((exp_log *)ud)->p, XML_FALSE);
}

/* Parses doc with expat as imp_xlsx.c did (UTF-8, a DTD stops it) into *out (events,
 * then "=0  0" or "=ERR reason line"); 1 when expat accepts it. */
static int run_expat(const char *doc, size_t n, logbuf *out, char *why, size_t cap) {
    exp_log e;
    memset(&e, 0, sizeof e);
    e.p = XML_ParserCreate("UTF-8");
    if (!e.p) abort();
    XML_SetUserData(e.p, &e);
    XML_SetElementHandler(e.p, e_start, e_end);
    XML_SetCharacterDataHandler(e.p, e_text);
    XML_SetStartDoctypeDeclHandler(e.p, e_doctype);
    XML_SetParamEntityParsing(e.p, XML_PARAM_ENTITY_PARSING_NEVER);
    int ok = XML_Parse(e.p, doc, (int)n, 1) == XML_STATUS_OK;
    flush_text(&e.l);
    char tail[256];
    if (ok) snprintf(tail, sizeof tail, "=0  0");
    else snprintf(tail, sizeof tail, "=ERR %s %lu", XML_ErrorString(XML_GetErrorCode(e.p)),
                  (unsigned long)XML_GetCurrentLineNumber(e.p));
    if (why) snprintf(why, cap, "%s", XML_ErrorString(XML_GetErrorCode(e.p)));
    logs(&e.l, tail, strlen(tail));
    XML_ParserFree(e.p);
    *out = e.l;
    return ok;
}

#endif
