#!/bin/sh
# run.sh — the whole test suite: C unit tests, end-to-end shell tests, Lua tests.
# Every test prints "ok - ..." or "not ok - ..." lines, and "ok - NAME # SKIP REASON" for
# a check that cannot run here (counted as skipped, not passed); a program that exits
# non-zero without reporting a failure counts as one failure. The last line is the
# summary "N passed, N failed, N skipped"; the exit status is non-zero when anything
# failed.
# Environment: YINGJI (the binary under test), BUILD (its build directory).
# Usage: sh tests/run.sh [PATTERN]   (only tests whose file name contains PATTERN)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${YINGJI:=$root/yingji}" "${BUILD:=$root/build/rel}"
export YINGJI BUILD
# Messages in English (the tests pin them); a test of another language sets LANG itself.
LANG=C.UTF-8
export LANG
unset LC_ALL LC_MESSAGES LANGUAGE
# pango/fontconfig/glib keep process-lifetime caches: not our leaks.
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
pattern=${1:-}
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {  # name, command...
    name=$1; shift
    case "$name" in *"$pattern"*) ;; *) return ;; esac
    "$@" >"$log" 2>&1
    status=$?
    s=$(grep -cE '^ok ([0-9]+ )?- .*# SKIP' "$log")
    p=$(grep -E '^ok ([0-9]+ )?- ' "$log" | grep -vc '# SKIP')
    f=$(grep -cE '^not ok ([0-9]+ )?- ' "$log")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $status" >>"$log"
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$f" -gt 0 ]; then
        echo "FAIL $name ($p passed, $f failed)"
        grep -v '^ok - ' "$log" | tail -40 | sed 's/^/    /'
    elif [ "$s" -gt 0 ]; then
        echo "pass $name ($p, $s skipped)"
        grep '# SKIP' "$log" | sed 's/^/    /'
    else
        echo "pass $name ($p)"
    fi
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
done
for t in "$here"/e2e/*.sh; do
    [ -f "$t" ] && run_one "e2e/$(basename "$t")" sh "$t"
done
for t in "$here"/lua/*_test.lua "$root"/scripts/*_test.lua "$root"/scripts/lib/*_test.lua; do
    [ -f "$t" ] && run_one "lua/$(basename "$t")" "$YINGJI" test --tap "$t"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
