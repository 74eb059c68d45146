/* test_chart_doc.c — the document model end to end: page count, embedded fonts, identical
 * bytes across renders, the Chinese text (and footer) given back by pdftotext, bookmarks,
 * metadata dated at the cut-off, a table repeating its header, Chinese line breaking, and
 * the refusal to render without a CJK font. Uses poppler-utils. */
#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "../charts/doc_fixture.h"

/* Output of a shell command (at most n-1 bytes) into buf; returns its exit status. */
static int run(const char *cmd, char *buf, size_t n) {
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t got = fread(buf, 1, n - 1, p);
    buf[got] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long file_bytes(const char *path, char **data) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    *data = malloc((size_t)n + 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) n = -1;
    fclose(f);
    return n;
}

static int contains_bytes(const char *hay, long n, const char *needle) {
    size_t k = strlen(needle);
    for (long i = 0; i + (long)k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0) return 1;
    return 0;
}

/* Renders without any font (FONTCONFIG_FILE naming an empty configuration) in a child;
 * returns 1 when the save failed with a message naming fonts-noto-cjk. */
static int refuses_without_font(const char *dir) {
    char conf[300], cmd[400];
    snprintf(conf, sizeof conf, "%s/empty-fonts.conf", dir);
    FILE *f = fopen(conf, "w");
    if (!f) return 0;
    fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
          "<fontconfig><cachedir>/nonexistent-yj-cache</cachedir></fontconfig>\n", f);
    fclose(f);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("FONTCONFIG_FILE", conf, 1);
        char err[256] = "";
        chart_spec *s = fx_chart("bar");
        snprintf(cmd, sizeof cmd, "%s/nofont.png", dir);
        int rc = chart_save(s, cmd, 100, err, sizeof err);
        chart_spec_free(s);
        _exit(rc != 0 && strstr(err, "fonts-noto-cjk") && access(cmd, F_OK) != 0 ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);   /* keep results if a sanitizer ends the run */
    char dir[] = "/tmp/yj_chart_doc_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    char a[300], b[300], cmd[800], err[256] = "";
    static char out[1 << 16];
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);

    CHECK(refuses_without_font(dir), "without a CJK font rendering fails, naming fonts-noto-cjk");

    chart_doc *d = fx_document(60);
    int pages = 0;
    CHECK(chart_doc_save(d, a, &pages, err, sizeof err) == 0, "the document saves %s", err);
    CHECK(pages >= 3, "a 60-row table makes the document run to %d pages", pages);
    int pages_again = 0;
    CHECK(chart_doc_save(d, b, &pages_again, err, sizeof err) == 0 && pages_again == pages,
          "saving the same document again works");
    chart_doc_free(d);

    snprintf(cmd, sizeof cmd, "pdfinfo %s", a);
    CHECK(run(cmd, out, sizeof out) == 0, "pdfinfo opens it");
    char want[64];
    snprintf(want, sizeof want, "Pages:           %d\n", pages);
    CHECK(strstr(out, want) != NULL, "pdfinfo counts %d pages", pages);
    CHECK(strstr(out, "A4") != NULL, "the page size is A4");
    CHECK(strstr(out, "CreationDate:    Tue Jun 30 00:00:00 2020") != NULL,
          "CreationDate is the data cut-off");
    CHECK(strstr(out, "Author:          某市应急管理局") != NULL, "the author is the issuing office");
    CHECK(strstr(out, "Title:           某市安全生产形势通报") != NULL, "the title is set");

    snprintf(cmd, sizeof cmd, "pdffonts %s | tail -n +3", a);
    CHECK(run(cmd, out, sizeof out) == 0 && strstr(out, "NotoSansCJKsc") &&
          strstr(out, "NotoSerifCJKsc"), "both CJK faces are used");
    int all_embedded = out[0] != '\0';
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        if (!strstr(line, " yes yes yes ")) all_embedded = 0;
    CHECK(all_embedded, "pdffonts shows every font embedded and subset");

    snprintf(cmd, sizeof cmd, "cmp %s %s", a, b);
    CHECK(run(cmd, out, sizeof out) == 0, "two renders are byte-identical");

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", a);
    CHECK(run(cmd, out, sizeof out) == 0, "pdftotext reads it");
    CHECK(strstr(out, "安全生产形势通报") && strstr(out, "一、总体情况") &&
          strstr(out, "（一）工矿商贸"), "the Chinese headings come back");
    CHECK(strstr(out, "同比 ▼14.3%") && strstr(out, "同比 ▲8.3%") && strstr(out, "环比 持平") &&
          strstr(out, "同比 —"), "tiles show ▼ / ▲ / 持平 / —");
    /* drawn as "第 1 页 / 共 4 页"; pdftotext drops the narrow spaces between CJK glyphs */
    snprintf(want, sizeof want, "第1页/共%d页", pages);
    CHECK(strstr(out, want) != NULL, "the footer reads %s", want);
    snprintf(want, sizeof want, "第%d页/共%d页", pages, pages);
    CHECK(strstr(out, want) != NULL, "the last page's footer reads %s", want);
    int bad_start = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "，", 3) == 0 || strncmp(line, "。", 3) == 0 ||
            strncmp(line, "、", 3) == 0) bad_start = 1;
    CHECK(!bad_start, "no line starts with ， 。 or 、 (Chinese line breaking)");

    int header_pages = 0;
    for (int p = 2; p <= pages; p++) {
        snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d -l %d %s - | grep -c '^序号$'", p, p, a);
        run(cmd, out, sizeof out);
        header_pages += atoi(out) > 0;
    }
    CHECK(header_pages >= 2, "the table header is repeated on each page it spans (%d pages)",
          header_pages);

    char *data = NULL;
    long n = file_bytes(a, &data);
    CHECK(n > 0 && contains_bytes(data, n, "/Outlines"), "the PDF has an outline");
    /* UTF-16BE of 一、总体情况 and （一）工矿商贸 as cairo writes outline titles */
    CHECK(n > 0 && contains_bytes(data, n, "FEFF4E003001603B4F5360C551B5"),
          "a bookmark for 一、总体情况");
    CHECK(n > 0 && contains_bytes(data, n, "FEFFFF084E00FF095DE577FF55468D38"),
          "a bookmark for the subsection （一）工矿商贸");
    free(data);

    d = chart_doc_new();
    CHECK(chart_doc_meta(d, NULL, NULL, NULL, "2020-6-30", err, sizeof err) != 0 &&
          strstr(err, "YYYY-MM-DD"), "a malformed date is refused: %s", err);
    CHECK(chart_doc_save(d, a, &pages, err, sizeof err) == 0 && pages == 1,
          "an empty document is one page");
    chart_doc_free(d);

    d = chart_doc_new();
    chart_spec *huge = chart_spec_new(CHART_BAR, 10, 1);
    huge->height_mm = 5000;
    CHECK(chart_doc_chart(d, huge, err, sizeof err) != 0 && strstr(err, "outside"),
          "an absurd chart size is refused: %s", err);
    chart_doc_free(d);

    unlink(a); unlink(b);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    return check_failures() != 0;
}
