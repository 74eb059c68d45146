/* xls_child.h — the .xls reader's child process, seen from the import (xls_child.c) and
 * from inside (xls_reader.c). libfreexl (1.0.6) crashes on some damaged files and may run
 * for minutes on others, so the import never calls it: a child process forked at open
 * opens the workbook with libfreexl, once, and answers the import's requests over a
 * socket pair until the import ends it (one child for the workbook's whole open..free:
 * libfreexl parses the whole file at open, its dates counted day by day from 1900, so a
 * child per read would parse it again for each read, and the import reads a sheet at least
 * twice: its first rows for the header, then all of it).
 *
 * The conversation, native byte order (both ends are the same program): a request is two
 * uint32, its op and its argument; an answer is a frame, a uint32 kind, a uint32 length
 * and that many bytes.
 *   at start (no request)   XLS_FRAME_OPEN: int32 libfreexl's rc of opening the file, int32
 *                           its rc of counting the sheets, uint32 sheets (at most 65,535),
 *                           then per sheet a byte (1: named) and a uint32 length and the name
 *   XLS_OP_READ sheet       XLS_FRAME_SHEET: int32 rc of selecting it and reading its
 *                           dimensions, uint32 rows, uint32 columns; when the sheet has cells
 *                           (rc 0, both nonzero) its first batch of cells follows unasked
 *   XLS_OP_MORE 0           the next batch: XLS_FRAME_CELLS, or XLS_FRAME_LAST for the
 *                           sheet's last (after which no batch is pending)
 * A batch holds whole rows' cells, row by row, of the first min(columns, IMP_XLSX_MAX_COLS)
 * columns, each cell's text as the import reads it (numbers formatted, dates as libfreexl
 * gives them, midnight datetimes as dates): a byte below XLS_CELL_LONG is the text's length
 * and the text follows; XLS_CELL_LONG, then a uint32 length and the text (no text when the
 * length is over IMP_XLSX_MAX_CELL: the import refuses the cell by its length alone);
 * XLS_CELL_ERROR, then an int32 libfreexl rc: the cell could not be read, and the batch
 * is the sheet's last. Batches grow from 4 KiB to 64 KiB, so a read stopped after the
 * first rows (the header scan) costs the child little.
 * Requests come only after the answer before them is read, save one batch asked ahead,
 * so neither side blocks on a full socket with the other waiting on it.
 * Tests only: YINGJI_XLS_READER_END="ROW SIGNAL" in the environment makes the child end
 * itself by SIGNAL when it comes to row ROW (1-based) of a sheet, after sending the rows
 * before it (ROW 0: at open, before its first frame). */
#ifndef YJ_XLS_CHILD_H
#define YJ_XLS_CHILD_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

enum { XLS_OP_READ = 1, XLS_OP_MORE = 2 };
enum { XLS_FRAME_OPEN = 1, XLS_FRAME_SHEET = 2, XLS_FRAME_CELLS = 3, XLS_FRAME_LAST = 4 };
enum { XLS_CELL_LONG = 0xFE, XLS_CELL_ERROR = 0xFF };
enum { XLS_BATCH_FIRST = 4096, XLS_BATCH_MAX = 64 * 1024 };
/* The rows of a sheet either side reads: a cell record's row is 16 bits (BIFF8 has 65,536
 * rows), so past this they are empty whatever the DIMENSIONS record (or the child) says;
 * a sheet said to have 4,294,967,295 rows and no columns is not walked row by row. */
enum { XLS_ROWS_MAX = 65536 };

/* How the child ended, as the import reads it. */
enum {
    XLS_CHILD_LIVES = 0,
    XLS_CHILD_DAMAGED,      /* a crash signal, a nonzero exit (the sanitizer's report) or
                             * an answer that breaks the conversation: the file is damaged */
    XLS_CHILD_TOO_LONG,     /* out of its CPU time (SIGXCPU) or the clock's backstop (SIGALRM) */
    XLS_CHILD_OUTSIDE       /* killed from outside (the OOM killer, a SIGTERM): no word on the file */
};

/* The child, from the import's side. */
typedef struct {
    pid_t pid;                  /* 0 once reaped */
    int sock;                   /* -1 once closed */
    int end;                    /* XLS_CHILD_*: how it ended */
    int signal;                 /* the signal that ended it (XLS_CHILD_OUTSIDE) */
    unsigned limit;             /* the CPU seconds it has */
    int chld_set;               /* SIGCHLD made the default while it lives, */
    struct sigaction old_chld;  /* from this */
    unsigned kind;              /* the frame last received */
    unsigned char *frame;       /* its bytes (owned; reused) */
    size_t len, cap;
} xls_child;

/* Starts the child reading the workbook open as fd (size bytes: its CPU time grows with
 * it): 0, or -1 with the reason in err (translated). Its OPEN frame comes first. */
int xls_child_start(xls_child *k, int fd, size_t size, char *err, size_t cap);
/* Sends a request: 0, or -1 when the child has ended (k->end says how; it is reaped). */
int xls_child_ask(xls_child *k, unsigned op, unsigned arg);
/* Receives the next frame into k->kind, k->frame, k->len: 0, or -1 when the child has
 * ended or broken the conversation (k->end; it is reaped). */
int xls_child_hear(xls_child *k);
/* Ends the child (SIGKILL: nothing it could still say is wanted) and reaps it, restores
 * SIGCHLD and frees the frame. Safe on a child that has ended, or never started. */
void xls_child_stop(xls_child *k);
/* The child broke the conversation (a frame of the wrong kind, a length past its frame):
 * killed and reaped, the file called damaged; the message into err. -1. */
int xls_child_broken(xls_child *k, char *err, size_t cap);
/* Why the child is gone (k->end not LIVES) into err: the import's message. -1. */
int xls_child_why(const xls_child *k, char *err, size_t cap);

/* The child's side (xls_reader.c): opens /proc/self/fd/fd with libfreexl, answers on
 * sock, and leaves by _exit; never returns. wall: the seconds of the clock's backstop
 * for libfreexl's work in each answer. */
void xls_reader_serve(int sock, int fd, unsigned wall) __attribute__((noreturn));

#endif
