/* script_test.h — the `yingji test` harness (public: cmd_test.c; script_test.c). */
#ifndef YJ_SCRIPT_TEST_H
#define YJ_SCRIPT_TEST_H

#include "script.h"

/* Runs one *_test.lua file in the sandbox with the test functions (fixture, run_script,
 * test, expect_eq, expect_error, test_dir). Prints "ok - FILE: NAME" lines when tap,
 * "not ok - FILE: NAME" lines with the message always, and adds to *passed and *failed
 * (a file that cannot run counts as one failure). limits is borrowed: the limits every
 * run inherits. Returns 0, or -1 when out of memory (nothing counted). */
int yj_test_file(const char *path, int tap, const yj_script *limits, int *passed, int *failed);

#endif
