/* test_xls_protocol.c — the import's side of the .xls reader's conversation (imp_xls.c,
 * xls_child.c) against a child that says anything: this program defines its own
 * xls_reader_serve (the child's side, in place of xls_reader.c's: the linker takes this
 * one), which writes a script of bytes built here, shuts its side for writing and waits for
 * the socket's end.
 * A child is libfreexl on hostile input, so every length, count and kind it sends must
 * be checked before use: each case must end in an answer (a handle or an error, never a
 * crash under the sanitizers or a hang: an alarm ends a hung case), with the child
 * reaped, and the rows given to the callback in order and within the sheet. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "imp_xls.h"
#include "xls_child.h"

/* The script the child writes (built in the parent before the fork). */
static int silent_child;                     /* it keeps its socket open, saying nothing */
static unsigned char *script;
static size_t script_n, script_cap, frame_at;

static void put(const void *p, size_t n) {
    if (script_n + n > script_cap) {
        while (script_n + n > script_cap) script_cap = script_cap ? script_cap * 2 : 4096;
        script = realloc(script, script_cap);
        if (!script) abort();
    }
    memcpy(script + script_n, p, n);
    script_n += n;
}
static void put32(uint32_t v) { put(&v, sizeof v); }
static void put8(unsigned v) { unsigned char b = (unsigned char)v; put(&b, 1); }
/* A frame of kind: begun here, its length filled by end_frame. */
static void frame(unsigned kind) { put32(kind); frame_at = script_n; put32(0); }
static void end_frame(void) {
    uint32_t len = (uint32_t)(script_n - frame_at - 4);
    memcpy(script + frame_at, &len, sizeof len);
}
/* An OPEN frame of n sheets named "s0".. */
static void open_frame(unsigned n) {
    frame(XLS_FRAME_OPEN);
    put32(0); put32(0); put32(n);
    for (unsigned i = 0; i < n; i++) { char s[16]; int l = snprintf(s, sizeof s, "s%u", i); put8(1); put32((uint32_t)l); put(s, (size_t)l); }
    end_frame();
}
static void sheet_frame(uint32_t rows, uint32_t cols) {
    frame(XLS_FRAME_SHEET); put32(0); put32(rows); put32(cols); end_frame();
}
static void cell(const char *t) { put8((unsigned)strlen(t)); put(t, strlen(t)); }

void xls_reader_serve(int sock, int fd, unsigned wall) {
    (void)fd; (void)wall;
    for (size_t o = 0; o < script_n;) {
        ssize_t w = write(sock, script + o, script_n - o);
        if (w <= 0) _exit(0);
        o += (size_t)w;
    }
    if (!silent_child) shutdown(sock, SHUT_WR); /* nothing more: the import meets the end */
    char b[64];
    while (read(sock, b, sizeof b) > 0)
        ;
    _exit(0);
}

typedef struct { long rows, last; int bad; } seen;

static int on_row(void *arg, long row, int ncols, const char *const *cells, const int *kinds) {
    (void)kinds;
    seen *s = arg;
    if (row <= s->last || row > 65536 || ncols < 1 || ncols > IMP_XLSX_MAX_COLS) s->bad = 1;
    for (int c = 0; c < ncols; c++)
        if (strlen(cells[c]) > IMP_XLSX_MAX_CELL) s->bad = 1;
    s->last = row;
    s->rows++;
    return 0;
}

/* Opens a workbook (any file: the script answers) and reads sheet 0 twice: the open's
 * result (1: a handle) and the reads' (0 or -1) into *opened, *r1, *r2 (err: the first
 * error); the rows seen. */
static unsigned hang_seconds = 20;
static seen run(int *opened, int *r1, int *r2, char *err, size_t cap) {
    seen s = {0, 0, 0};
    *r1 = *r2 = 1;
    FILE *f = tmpfile();
    fputs("not a compound file", f);
    fflush(f);
    alarm(hang_seconds);                        /* a hung case ends the test */
    imp_xls *x = imp_xls_open(fileno(f), err, cap);
    *opened = x != NULL;
    if (x) {
        long er; int ec;
        *r1 = imp_xls_read(x, 0, 1, on_row, &s, err, cap, &er, &ec);
        s.last = 0;
        char err2[1024];                        /* (the first read's error is the one kept) */
        *r2 = imp_xls_read(x, 0, 1, on_row, &s, err2, sizeof err2, &er, &ec);
        if (*r1 == 0 && *r2 < 0) snprintf(err, cap, "%s", err2);
        imp_xls_free(x);
    }
    alarm(0);
    fclose(f);
    script_n = 0;
    return s;
}

/* No child left unreaped. */
static int no_children(void) { return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD; }

int main(void) {
    char err[1024];
    int opened, r1, r2;
    seen s;

    /* a good conversation: 2 rows of 2 cells, in two batches */
    open_frame(1); sheet_frame(2, 2);
    frame(XLS_FRAME_CELLS); cell("a"); cell("b"); end_frame();
    frame(XLS_FRAME_LAST); cell("c"); cell(""); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 == 0 && s.rows == 2 && !s.bad && no_children(), "a good conversation: 2 rows");

    /* SIGCHLD ignored by whatever started yingji: the default while the child lives (the
     * kernel would reap it unseen), ignored again after free; a crash still reads as one */
    signal(SIGCHLD, SIG_IGN);
    open_frame(1); sheet_frame(1, 1); frame(XLS_FRAME_LAST); cell("a"); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    struct sigaction now;
    sigaction(SIGCHLD, NULL, &now);
    CHECK(opened && r1 == 0 && s.rows == 1 && now.sa_handler == SIG_IGN && no_children(),
          "SIGCHLD ignored before: the child heard and reaped, SIGCHLD ignored again after free");
    signal(SIGCHLD, SIG_DFL);

    /* a child that says nothing and keeps its socket (its own backstop failed: memory the
     * file corrupted): killed by the import's backstop, 2 s past the child's, and called
     * too long, not waited for forever. The CPU limit is 1 s here (the child's backstop
     * 10 s): this case takes 12 s. */
    struct rlimit cpu, one;
    getrlimit(RLIMIT_CPU, &cpu);
    one = cpu;
    one.rlim_cur = 1;
    setrlimit(RLIMIT_CPU, &one);
    silent_child = 1;
    hang_seconds = 30;
    open_frame(1);
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 < 0 && strstr(err, "did not finish reading this file within the time allowed (1 s") &&
          no_children(), "a child that says nothing: ended as too long (%s)", err);
    silent_child = 0;
    hang_seconds = 20;
    setrlimit(RLIMIT_CPU, &cpu);

    /* the open frame broken */
    const struct { const char *what; uint32_t kind, len, n; } opens[] = {
        {"an open frame of the wrong kind", XLS_FRAME_CELLS, 12, 0},
        {"an open frame too short for its counts", XLS_FRAME_OPEN, 8, 0},
        {"an open frame of 70,000 sheets", XLS_FRAME_OPEN, 12, 70000},
        {"an open frame of 65,535 sheets and no names", XLS_FRAME_OPEN, 12, 65535},
        {"a frame of an unknown kind", 99, 12, 1},
        {"a frame longer than any", XLS_FRAME_OPEN, 0xFFFFFFFFu, 1},
    };
    for (size_t k = 0; k < sizeof opens / sizeof *opens; k++) {
        put32(opens[k].kind); put32(opens[k].len); put32(0); put32(0);
        if (opens[k].len >= 12) put32(opens[k].n);
        s = run(&opened, &r1, &r2, err, sizeof err);
        CHECK(!opened && strstr(err, "damaged") && no_children(), "%s: refused (%s)", opens[k].what, err);
    }
    /* a name longer than its frame, or holding a NUL; the socket's end mid-frame */
    frame(XLS_FRAME_OPEN); put32(0); put32(0); put32(1); put8(1); put32(0xFFFFFFF0u); put("ab", 2); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(!opened && strstr(err, "damaged") && no_children(), "a name longer than its frame: refused");
    frame(XLS_FRAME_OPEN); put32(0); put32(0); put32(1); put8(1); put32(3); put("a\0b", 3); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(!opened && strstr(err, "damaged") && no_children(), "a name holding a NUL byte: refused");
    put32(XLS_FRAME_OPEN); put32(100); put32(0);
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(!opened && strstr(err, "damaged") && no_children(), "the socket's end mid-frame: refused");

    /* the sheet's answer broken */
    open_frame(1); frame(XLS_FRAME_SHEET); put32(0); put32(1); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 < 0 && r2 < 0 && strstr(err, "damaged") && no_children(), "a sheet frame too short: refused");
    open_frame(1); frame(XLS_FRAME_LAST); put32(0); put32(1); put32(1); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 < 0 && strstr(err, "damaged") && no_children(), "a sheet answered by cells: refused");

    /* cells broken */
    const struct { const char *what; uint32_t rows, cols; const char *bytes; size_t n; int kind; } cells[] = {
        {"a cell longer than its batch", 1, 1, "\x09" "abc", 4, XLS_FRAME_LAST},
        {"a long cell's length cut short", 1, 1, "\xFE\x01\x00", 3, XLS_FRAME_LAST},
        {"a long cell longer than its batch", 1, 1, "\xFE\x00\x01\x00\x00" "abc", 8, XLS_FRAME_LAST},
        {"an error cell before the last batch", 2, 1, "\xFF\x05\x00\x00\x00", 5, XLS_FRAME_CELLS},
        {"fewer cells than the sheet's dimensions", 3, 2, "\x01" "a\x01" "b\x01" "c", 6, XLS_FRAME_LAST},
        {"a cell holding a NUL byte (it would be cut there)", 1, 1, "\x03" "a\0b", 4, XLS_FRAME_LAST},
        {"a long cell holding a NUL byte", 1, 1, "\xFE\x03\x00\x00\x00" "a\0b", 8, XLS_FRAME_LAST},
        {"a sheet of 4,294,967,295 rows that sends one", 0xFFFFFFFFu, 1, "\x01" "a", 2, XLS_FRAME_LAST},
    };
    for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
        open_frame(1); sheet_frame(cells[k].rows, cells[k].cols);
        frame((unsigned)cells[k].kind); put(cells[k].bytes, cells[k].n); end_frame();
        s = run(&opened, &r1, &r2, err, sizeof err);
        CHECK(opened && r1 < 0 && r2 < 0 && strstr(err, "damaged") && !s.bad && no_children(), "%s: refused (%s)",
              cells[k].what, err);
    }
    /* cells refused as the import refuses them, not as a broken conversation */
    open_frame(1); sheet_frame(1, 1); frame(XLS_FRAME_LAST); put("\xFE\xFF\xFF\xFF\xFF", 5); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 < 0 && strstr(err, "a cell longer than") && no_children(), "a cell of 4 GiB by its length: refused (%s)", err);
    open_frame(1); sheet_frame(1, 1); frame(XLS_FRAME_LAST); put("\xFF\x07\x00\x00\x00", 5); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 < 0 && strstr(err, "cannot read the cell") && no_children(), "an error cell: refused (%s)", err);
    open_frame(1); sheet_frame(1, 1); frame(XLS_FRAME_LAST); put("\x02\xC3\x28", 3); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 < 0 && strstr(err, "not valid text") && no_children(), "a cell not UTF-8: refused (%s)", err);
    /* more cells than the dimensions: the sheet's rows only */
    open_frame(1); sheet_frame(1, 1); frame(XLS_FRAME_LAST); cell("a"); cell("b"); cell("c"); end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 == 0 && s.rows == 1 && !s.bad && no_children(), "more cells than the dimensions: its one row");
    /* columns past 256: read as 256 */
    open_frame(1); sheet_frame(1, 70000); frame(XLS_FRAME_LAST);
    for (int c = 0; c < IMP_XLSX_MAX_COLS; c++) cell("x");
    end_frame();
    s = run(&opened, &r1, &r2, err, sizeof err);
    CHECK(opened && r1 == 0 && s.rows == 1 && !s.bad && no_children(), "70,000 columns said: read as 256");
    /* rows without columns: no cells to wait for, and no four billion empty rows walked
     * (that took the import 4.5 s of CPU here, 9 s for an .xls of 9 KB whose DIMENSIONS
     * record says so: it is past the child's CPU limit; now microseconds, 3 s allowed) */
    open_frame(1); sheet_frame(0xFFFFFFFFu, 0);
    hang_seconds = 3;
    s = run(&opened, &r1, &r2, err, sizeof err);
    hang_seconds = 20;
    CHECK(opened && r1 == 0 && s.rows == 0 && no_children(), "4,294,967,295 rows of no columns: none");

    /* bytes at random after a good start: an answer, never a crash or a hang */
    srand(42);
    int answered = 0;
    for (int k = 0; k < 300; k++) {
        open_frame(1 + (unsigned)(rand() % 3));
        if (k % 2) sheet_frame((uint32_t)(rand() % 5), (uint32_t)(rand() % 4));
        for (int b = rand() % 64; b > 0; b--) {
            int v = rand() % 5;
            if (v == 0) put32((uint32_t)(rand() % 5));
            else if (v == 1) put32((uint32_t)(rand() % 40));
            else put8((unsigned)rand());
        }
        s = run(&opened, &r1, &r2, err, sizeof err);
        answered += !s.bad && no_children();
    }
    CHECK(answered == 300, "300 random conversations answered, their rows in order, every child reaped (%d)", answered);
    free(script);
    return check_failures() != 0;
}
