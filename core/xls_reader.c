/* xls_reader.c — the .xls reader's child process (xls_child.h): the only code of yingji
 * that calls libfreexl. It opens the workbook once, says what the import needs at open
 * (the sheets and their names), then, per request, a sheet's dimensions and its cells in
 * batches, each cell's text as the import reads it. It runs in a forked child and leaves
 * by _exit (no atexit handler, no stdio buffer of the parent's written twice). */
#include <errno.h>
#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imp_xlsx.h"
#include "xls_child.h"

typedef struct {
    int sock;
    unsigned wall;               /* the clock's backstop of each answer, seconds */
    const void *h;               /* libfreexl's handle */
    unsigned nsheets;
    /* the sheet being read */
    int reading;                 /* a batch of it is still to send */
    unsigned rows, cols, row;    /* cols: at most IMP_XLSX_MAX_COLS */
    size_t batch;                /* the next batch's size */
    /* the frame being built (its header first) */
    unsigned char *b;
    size_t n, cap;
    /* tests: YINGJI_XLS_READER_END="ROW SIGNAL" */
    long end_row;
    int end_signal;
} reader;

/* The parent is gone or memory ran out: nothing more to say. */
static void quit(void) { _exit(3); }

static void put(reader *d, const void *p, size_t len) {
    if (d->n + len > d->cap) {
        size_t nc = d->cap ? d->cap : 8192;
        while (nc < d->n + len) nc *= 2;
        unsigned char *q = realloc(d->b, nc);
        if (!q) quit();
        d->b = q;
        d->cap = nc;
    }
    memcpy(d->b + d->n, p, len);
    d->n += len;
}
static void put32(reader *d, uint32_t v) { put(d, &v, sizeof v); }

static void begin(reader *d) {
    d->n = 0;
    put32(d, 0);
    put32(d, 0);
}

/* Sends the frame built since begin as kind. The clock's backstop is off first: it is
 * for libfreexl's work, not for the import's, and a frame larger than the socket's buffer
 * (a row of long texts) waits in write until the import reads it, which may be after a
 * long wait of its own (its transaction waiting for a lock, up to YINGJI_BUSY_TIMEOUT,
 * 3,600 s, between the header scan and the read); an import that goes away closes the
 * socket, and the write fails. */
static void send_frame(reader *d, unsigned kind) {
    uint32_t head[2] = {kind, (uint32_t)(d->n - 8)};
    memcpy(d->b, head, sizeof head);
    alarm(0);
    for (size_t o = 0; o < d->n;) {
        ssize_t w = write(d->sock, d->b + o, d->n - o);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) quit();
        o += (size_t)w;
    }
}

/* The test hook's end: by the signal itself, not a handler the sanitizer put there. */
static void end_here(const reader *d) {
    signal(d->end_signal, SIG_DFL);
    raise(d->end_signal);
    _exit(4);
}

/* Whether a cell of libfreexl's type holds text (dates and times come as text). */
static int cell_has_text(unsigned char type) {
    return type == FREEXL_CELL_TEXT || type == FREEXL_CELL_SST_TEXT || type == FREEXL_CELL_DATE ||
           type == FREEXL_CELL_DATETIME || type == FREEXL_CELL_TIME;
}

/* The text of cell (r, c) into *t (num: room for a number): 0, or a libfreexl error. */
static int cell_text(const void *h, unsigned r, unsigned c, char *num, size_t cap, const char **t) {
    FreeXL_CellValue v;
    int rc = freexl_get_cell_value(h, r, (unsigned short)c, &v);
    *t = "";
    if (rc != FREEXL_OK) return rc;
    if (v.type == FREEXL_CELL_INT) {
        snprintf(num, cap, "%d", v.value.int_value);
        *t = num;
    } else if (v.type == FREEXL_CELL_DOUBLE) {
        imp_xlsx_number(v.value.double_value, num, cap);
        *t = num;
    } else if (cell_has_text(v.type)) {
        *t = v.value.text_value ? v.value.text_value : "";
        /* midnight is a date, as the .xlsx reader gives it */
        if (v.type == FREEXL_CELL_DATETIME && strlen(*t) == 19 && !strcmp(*t + 10, " 00:00:00")) {
            snprintf(num, cap, "%.10s", *t);
            *t = num;
        }
    }
    return FREEXL_OK;
}

/* The next batch of the sheet being read: whole rows up to d->batch bytes. */
static void send_batch(reader *d) {
    begin(d);
    int last = 0;
    while (!last && d->row < d->rows && d->n - 8 < d->batch) {
        if (d->end_row > 0 && d->row + 1 == (unsigned long)d->end_row) {
            if (d->n > 8) break;                      /* the rows before it first */
            end_here(d);
        }
        for (unsigned c = 0; c < d->cols; c++) {
            char num[64];
            const char *t;
            int rc = cell_text(d->h, d->row, c, num, sizeof num, &t);
            if (rc != FREEXL_OK) {
                unsigned char e = XLS_CELL_ERROR;
                int32_t v = rc;
                put(d, &e, 1);
                put(d, &v, sizeof v);
                last = 1;
                break;
            }
            size_t len = strlen(t);
            if (len < XLS_CELL_LONG) {
                unsigned char b = (unsigned char)len;
                put(d, &b, 1);
            } else {
                unsigned char b = XLS_CELL_LONG;
                put(d, &b, 1);
                put32(d, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
                if (len > IMP_XLSX_MAX_CELL) continue;   /* refused by its length alone */
            }
            put(d, t, len);
        }
        d->row++;
    }
    if (d->row >= d->rows) last = 1;
    if (last) d->reading = 0;
    if (d->batch < XLS_BATCH_MAX) d->batch *= 2;
    send_frame(d, last ? XLS_FRAME_LAST : XLS_FRAME_CELLS);
}

static void read_sheet(reader *d, unsigned i) {
    unsigned rows = 0;
    unsigned short cols = 0;
    int rc = freexl_select_active_worksheet(d->h, (unsigned short)i);
    if (rc == FREEXL_OK) rc = freexl_worksheet_dimensions(d->h, &rows, &cols);
    begin(d);
    put32(d, (uint32_t)rc);
    put32(d, rows);
    put32(d, cols);
    send_frame(d, XLS_FRAME_SHEET);
    d->reading = rc == FREEXL_OK && rows && cols;
    d->rows = rows < XLS_ROWS_MAX ? rows : XLS_ROWS_MAX;
    d->cols = cols < IMP_XLSX_MAX_COLS ? cols : IMP_XLSX_MAX_COLS;
    d->row = 0;
    d->batch = XLS_BATCH_FIRST;
    if (d->reading) {
        alarm(d->wall);                          /* (send_frame turned it off) */
        send_batch(d);
    }
}

void xls_reader_serve(int sock, int fd, unsigned wall) {
    reader d = {.sock = sock, .wall = wall};
    const char *env = getenv("YINGJI_XLS_READER_END");     /* tests only */
    if (env && sscanf(env, "%ld %d", &d.end_row, &d.end_signal) != 2) d.end_row = d.end_signal = 0;
    if (!env || d.end_signal <= 0) d.end_row = -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    alarm(wall);
    int rc = freexl_open(path, &d.h), rc2 = FREEXL_OK;
    close(fd);                                   /* libfreexl has read it */
    if (rc == FREEXL_OK && (rc2 = freexl_get_info(d.h, FREEXL_BIFF_SHEET_COUNT, &d.nsheets)) != FREEXL_OK)
        d.nsheets = 0;
    if (rc != FREEXL_OK) d.nsheets = 0;
    if (d.nsheets > 65535) d.nsheets = 65535;
    if (d.end_row == 0) end_here(&d);
    begin(&d);
    put32(&d, (uint32_t)rc);
    put32(&d, (uint32_t)rc2);
    put32(&d, d.nsheets);
    for (unsigned i = 0; i < d.nsheets; i++) {
        const char *name = NULL;
        unsigned char named = freexl_get_worksheet_name(d.h, (unsigned short)i, &name) == FREEXL_OK && name;
        size_t len = named ? strlen(name) : 0;
        put(&d, &named, 1);
        put32(&d, (uint32_t)len);
        put(&d, name ? name : "", len);
    }
    send_frame(&d, XLS_FRAME_OPEN);
    for (;;) {
        uint32_t req[2];
        size_t got = 0;
        while (got < sizeof req) {
            ssize_t r = read(sock, (char *)req + got, sizeof req - got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) _exit(0);                /* the import is done with it */
            got += (size_t)r;
        }
        alarm(wall);
        if (req[0] == XLS_OP_READ) read_sheet(&d, req[1]);
        else if (req[0] == XLS_OP_MORE && d.reading) send_batch(&d);
        else _exit(5);                           /* the import broke the conversation */
    }
}
