/* xls_child.c — the .xls reader's child process from the import's side (xls_child.h):
 * started with its limits, asked, heard, and reaped, and how it ended read as the
 * import's message. The import waits on the socket: a child that loops runs out of its
 * CPU time (SIGXCPU), one that waits meets the clock's backstop (SIGALRM, for libfreexl's
 * work in each answer, not while its frame waits for the import), and either way its end
 * closes the socket; a child that says nothing for 2 s past its backstop (one whose
 * memory the file corrupted, waiting for a request it thinks answered) is killed. */
#define _GNU_SOURCE                     /* close_range */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "xls_child.h"

/* CPU seconds the child may take, over its life: a minute, and a second more for each
 * 64 KiB of the file. libfreexl counts a date's days one by one from 1900 when it opens
 * the file: ~30 us a cell for a date of this century (64 KiB hold up to 10,900 cells:
 * 0.33 s), ~2 ms for 9999-12-31, a common "no end" date (30,000 such cells take it a
 * minute); the cells it then hands out cost it about a microsecond each, so a limit for
 * its life, not per answer, is what the file's open needs, with room for the reads. CPU
 * time, not the clock: a loaded machine must not refuse a file. A damaged file that
 * sends it round in circles (a date cell of serial 1e15 would take it days) is stopped. */
enum { XLS_CPU_SECONDS = 60, XLS_BYTES_PER_SECOND = 64 * 1024,
       XLS_WALL_FACTOR = 10,             /* the clock's backstop, per answer: a child that waits */
       XLS_SILENT_SLACK = 2,             /* the import's, seconds past the child's: one that says nothing */
       XLS_FRAME_MAX = 32 << 20 };       /* a row of 256 cells of 64 KiB is 16 MiB */

/* The workbook's and the socket's descriptors (a, b; b may be -1) stay open in the child;
 * the rest above standard error are closed (the database, the log, an output pipe whose
 * reader waits for its end). */
static void close_others(int a, int b) {
    if (b < 0) b = a;
    unsigned lo = (unsigned)(a < b ? a : b), hi = (unsigned)(a < b ? b : a);
    if ((lo == 3 || close_range(3, lo - 1, 0) == 0) && (hi <= lo + 1 || close_range(lo + 1, hi - 1, 0) == 0) &&
        close_range(hi + 1, ~0U, 0) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (int fd = 3; fd < max; fd++)
        if (fd != a && fd != b) close(fd);
}

/* The import's shared mappings come through fork: SQLite's WAL index (the database's -shm
 * file, mapped shared and writable). A stray write of a libfreexl corrupted by the file
 * would land in the database's files, so the child unmaps every shared writable mapping
 * (it needs none; the read-only ones stay: glibc's iconv reads its gconv-modules.cache
 * through one), from /proc/self/maps read whole before the first is unmapped. Without /proc there is nothing to read, and nothing for libfreexl either (it
 * opens the workbook as /proc/self/fd/N): the open then fails. */
static void unmap_shared(void) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char *b = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            char *p = realloc(b, cap ? cap * 2 : 65536);
            if (!p) break;
            b = p;
            cap = cap ? cap * 2 : 65536;
        }
        ssize_t r = read(fd, b + n, cap - n - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (!b) return;
    b[n] = '\0';
    for (char *l = b; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        unsigned long lo, hi;
        char perms[5];
        if (sscanf(l, "%lx-%lx %4s", &lo, &hi, perms) == 3 && perms[1] == 'w' && perms[3] == 's' && hi > lo)
            munmap((void *)lo, hi - lo);
    }
    free(b);
}

/* fd, or a copy of it above standard error when it is one of those (yingji started with
 * its standard input closed gets a descriptor 0 for its next file), so that /dev/null
 * takes their places and not its. */
static int above_stdio(int fd) {
    return fd >= 0 && fd <= STDERR_FILENO ? fcntl(fd, F_DUPFD, STDERR_FILENO + 1) : fd;
}

/* Libfreexl's side, after fork: its own limits and signals, its output to /dev/null, no
 * core dump (the process's image, the workbook in it, into the user's folder). Signal
 * dispositions, the mask and the limits come through exec from whatever started yingji:
 * the child unblocks every signal (a blocked SIGXCPU or SIGALRM would never end it). */
static void child(int sock, int fd, rlim_t cpu_seconds, struct rlimit cpu) {
    sock = above_stdio(sock);
    fd = above_stdio(fd);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
    }
    close_others(sock, fd);                 /* (null among them) */
    unmap_shared();
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    cpu.rlim_cur = cpu_seconds;
    setrlimit(RLIMIT_CPU, &cpu);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGXCPU, SIG_DFL);
    signal(SIGALRM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    xls_reader_serve(sock, fd, (unsigned)cpu_seconds * XLS_WALL_FACTOR);
}

int xls_child_start(xls_child *k, int fd, size_t size, char *err, size_t cap) {
    memset(k, 0, sizeof *k);
    k->sock = -1;
    struct rlimit cpu = {RLIM_INFINITY, RLIM_INFINITY};
    rlim_t want = XLS_CPU_SECONDS + size / XLS_BYTES_PER_SECOND;
    if (getrlimit(RLIMIT_CPU, &cpu) == 0) {           /* within the process's own */
        if (cpu.rlim_cur != RLIM_INFINITY && cpu.rlim_cur < want) want = cpu.rlim_cur;
        if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_max < want) want = cpu.rlim_max;
    }
    if (want < 1) want = 1;
    k->limit = (unsigned)want;
    /* while the child lives SIGCHLD is the default: ignored (SIG_IGN or SA_NOCLDWAIT),
     * the kernel would reap the child itself and waitpid could not say how it ended */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) goto fail;
    if (sigaction(SIGCHLD, &dfl, &k->old_chld) != 0) {
        close(sv[0]);
        close(sv[1]);
        goto fail;
    }
    k->chld_set = 1;
    fflush(NULL);                           /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) child(sv[1], fd, want, cpu);
    close(sv[1]);
    if (pid < 0) {
        int e = errno;
        close(sv[0]);
        xls_child_stop(k);
        errno = e;
        goto fail;
    }
    k->pid = pid;
    k->sock = sv[0];
    return 0;
fail:
    snprintf(err, cap, _("cannot start the .xls reader: %s"), strerror(errno));
    return -1;
}

/* The child has closed the socket (or broken the conversation: damaged, then it is
 * killed first): reaped, and how it ended into k->end. -1. */
static int ended(xls_child *k, int damaged) {
    if (k->sock >= 0) close(k->sock);
    k->sock = -1;
    if (damaged && k->pid > 0) kill(k->pid, SIGKILL);
    int st = 0;
    pid_t got = -1;
    while (k->pid > 0 && (got = waitpid(k->pid, &st, 0)) < 0 && errno == EINTR)
        ;
    k->pid = 0;
    if (damaged) k->end = XLS_CHILD_DAMAGED;
    else if (got < 0) k->end = XLS_CHILD_OUTSIDE;           /* reaped by someone else: no word */
    else if (WIFEXITED(st)) k->end = XLS_CHILD_DAMAGED;     /* it leaves only when asked to */
    else if (!WIFSIGNALED(st)) k->end = XLS_CHILD_OUTSIDE;
    else switch ((k->signal = WTERMSIG(st))) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGABRT: case SIGTRAP: case SIGSYS:
        k->end = XLS_CHILD_DAMAGED;
        break;
    case SIGXCPU: case SIGALRM:
        k->end = XLS_CHILD_TOO_LONG;
        break;
    default:
        k->end = XLS_CHILD_OUTSIDE;
    }
    return -1;
}

int xls_child_ask(xls_child *k, unsigned op, unsigned arg) {
    if (k->end != XLS_CHILD_LIVES) return -1;
    uint32_t req[2] = {op, arg};
    for (size_t o = 0; o < sizeof req;) {
        /* MSG_NOSIGNAL: a child that died is an answer, not a SIGPIPE for the import */
        ssize_t w = send(k->sock, (char *)req + o, sizeof req - o, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return ended(k, 0);
        o += (size_t)w;
    }
    return 0;
}

/* Reads n bytes into p: 0, -1 at the socket's end (or an error reading it), or
 * READ_SILENT when nothing came for wait_ms: a child whose own backstop failed (its
 * memory corrupted by the file, it waits for a request it thinks it has answered). */
enum { READ_SILENT = -2 };
static int read_all(int fd, void *p, size_t n, int wait_ms) {
    for (size_t o = 0; o < n;) {
        struct pollfd q = {fd, POLLIN, 0};
        int ready = poll(&q, 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) return READ_SILENT;
        ssize_t r = read(fd, (char *)p + o, n - o);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        o += (size_t)r;
    }
    return 0;
}

/* The child said nothing for longer than its own backstop: killed and reaped, too long. */
static int silent(xls_child *k) {
    ended(k, 1);
    k->end = XLS_CHILD_TOO_LONG;
    return -1;
}

int xls_child_hear(xls_child *k) {
    if (k->end != XLS_CHILD_LIVES) return -1;
    /* the import's own backstop, past the child's (which ends it with its own signal
     * first): an answer's work, or a frame's next bytes, never take it longer */
    long long ms = ((long long)k->limit * XLS_WALL_FACTOR + XLS_SILENT_SLACK) * 1000;
    int wait_ms = ms > INT_MAX ? INT_MAX : (int)ms;
    uint32_t head[2];
    int got = read_all(k->sock, head, sizeof head, wait_ms);
    if (got == READ_SILENT) return silent(k);
    if (got < 0) return ended(k, 0);
    if (head[0] < XLS_FRAME_OPEN || head[0] > XLS_FRAME_LAST || head[1] > XLS_FRAME_MAX) return ended(k, 1);
    if (head[1] > k->cap) {
        size_t nc = k->cap ? k->cap : 8192;
        while (nc < head[1]) nc *= 2;
        unsigned char *p = realloc(k->frame, nc);
        if (!p) return ended(k, 1);
        k->frame = p;
        k->cap = nc;
    }
    if ((got = read_all(k->sock, k->frame, head[1], wait_ms)) == READ_SILENT) return silent(k);
    if (got < 0) return ended(k, 0);
    k->kind = head[0];
    k->len = head[1];
    return 0;
}

void xls_child_stop(xls_child *k) {
    if (k->sock >= 0) close(k->sock);
    k->sock = -1;
    if (k->pid > 0) {
        kill(k->pid, SIGKILL);
        while (waitpid(k->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        k->pid = 0;
    }
    if (k->chld_set) sigaction(SIGCHLD, &k->old_chld, NULL);
    k->chld_set = 0;
    free(k->frame);
    k->frame = NULL;
    k->len = k->cap = 0;
}

int xls_child_broken(xls_child *k, char *err, size_t cap) {
    if (k->end == XLS_CHILD_LIVES) ended(k, 1);
    return xls_child_why(k, err, cap);
}

int xls_child_why(const xls_child *k, char *err, size_t cap) {
    if (k->end == XLS_CHILD_TOO_LONG)
        snprintf(err, cap, _("the .xls reader (libfreexl) did not finish reading this file within the time "
                             "allowed (%u s of CPU time; it takes long over dates far from 1900, such as "
                             "9999-12-31); save the workbook as .xlsx and import that"), k->limit);
    else if (k->end == XLS_CHILD_OUTSIDE)
        snprintf(err, cap, _("the .xls reader (libfreexl) was ended from outside (signal %d, %s), not by "
                             "anything in the file; import it again"),
                 k->signal, strsignal(k->signal));
    else
        snprintf(err, cap, "%s", _("the .xls reader (libfreexl) fails on this file: it is damaged; open it in "
                                   "Excel or WPS, save it again and import that"));
    return -1;
}
