/* check.h — the tiny assertion kit of the C unit tests.
 *
 * Each CHECK prints "ok - what" or "not ok - what (file:line)" ; tests/run.sh counts
 * those lines. A test program returns check_failures() != 0 as its status. */
#ifndef YJ_CHECK_H
#define YJ_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_count;

#define CHECK(cond, ...) do { \
    if (cond) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
    else { check_failed_count++; printf("not ok - "); printf(__VA_ARGS__); \
           printf(" (%s:%d: %s)\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(got, want, ...) do { \
    const char *g_ = (got), *w_ = (want); \
    int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_; \
    if (same_) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
    else { check_failed_count++; printf("not ok - "); printf(__VA_ARGS__); \
           printf(" (%s:%d: got \"%s\", want \"%s\")\n", __FILE__, __LINE__, \
                  g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

static inline int check_failures(void) { return check_failed_count; }

#endif
