#!/bin/sh
# run.sh — build the libFuzzer harnesses (fuzz/fuzz_*.c) and run each for a bounded time.
#
# usage: sh fuzz/run.sh [-t SECONDS] [-w WORKDIR] [-s SEED] [-b] [NAME...]
#   -t SECONDS  time per harness (default 60)
#   -w WORKDIR  where the growing corpora, crash files and logs go (default build/fuzz/work;
#               the CI pass uses a fresh temporary one)
#   -s SEED     libFuzzer -seed (default 0: random)
#   -b          build only
#   NAME...     harnesses to run (default: every fuzz/fuzz_*.c), e.g. fuzz_cells
# The library is built by the Makefile with clang and
# -fsanitize=fuzzer-no-link,address,undefined into build/fuzz/; each harness links it with
# -fsanitize=fuzzer. Each harness starts from its seed corpus fuzz/corpus/NAME/ plus the
# crash reproducers of tests/data/fuzz/NAME/ (which must no longer crash).
# Prints one line per harness: "NAME: N runs in S s (R/s), coverage C, corpus K, ok" or
# "... CRASH (see FILE)". Exit status: 0 all clean, 1 a crash, leak or sanitizer report,
# 77 when clang's fuzzer runtime is missing (the caller reports a skip).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=60 work=$root/build/fuzz/work seed=0 build_only=0
while getopts t:w:s:b opt; do
    case $opt in
    t) secs=$OPTARG ;; w) work=$OPTARG ;; s) seed=$OPTARG ;; b) build_only=1 ;;
    *) echo "usage: sh fuzz/run.sh [-t SECONDS] [-w WORKDIR] [-s SEED] [-b] [NAME...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
cd "$root" || exit 1
B=build/fuzz
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CC=${FUZZ_CC:-clang}

# Is the fuzzer runtime there? (Debian: clang + libclang-rt-14-dev)
mkdir -p "$B"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$B/probe.c"
if ! "$CC" -fsanitize=fuzzer,address -o "$B/probe" "$B/probe.c" >/dev/null 2>&1; then
    echo "fuzz: $CC with the libFuzzer runtime is missing (apt-get install clang libclang-rt-14-dev)"
    exit 77
fi

# -Wno-error: clang warns about a few things gcc does not (-Wformat-nonliteral in
# va_list helpers); the normal gcc build keeps -Werror.
make --no-print-directory BUILD="$B" CC="$CC" CFLAGS=-Wno-error OPT="-O1 -g -fsanitize=fuzzer-no-link $SAN" \
    "$B/libyingji.a" >"$B/build.log" 2>&1 || { cat "$B/build.log"; exit 1; }
CFLAGS_F="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Werror -Iutil -Icore -Icharts"
PKG="$(make --no-print-directory -s print-cflags) $(make --no-print-directory -s print-libs)"
[ $# -gt 0 ] || set -- $(cd fuzz && ls fuzz_*.c | sed 's/\.c$//')
for name in "$@"; do
    if ! $CC $CFLAGS_F -fsanitize=fuzzer $SAN -o "$B/$name" "fuzz/$name.c" "$B/libyingji.a" \
            $PKG >"$B/$name.build.log" 2>&1; then
        cat "$B/$name.build.log"; exit 1
    fi
done
[ "$build_only" = 1 ] && exit 0

export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for name in "$@"; do
    corpus=$work/corpus/$name
    mkdir -p "$corpus" "$work/crashes" "$work/logs"
    log=$work/logs/$name.log
    # Known crash reproducers first: each must now run clean.
    if [ -d "tests/data/fuzz/$name" ] && ls "tests/data/fuzz/$name"/* >/dev/null 2>&1; then
        if ! "$B/$name" -runs=1 "tests/data/fuzz/$name"/* >"$log.regress" 2>&1; then
            echo "$name: a regression input of tests/data/fuzz/$name crashes again (see $log.regress)"
            status=1
            continue
        fi
    fi
    seeds=fuzz/corpus/$name
    [ -d "$seeds" ] || seeds=
    if [ "$name" = fuzz_lua ]; then
        # the shipped scripts and the Lua tests as raw-source seeds (byte 0 = 0x80)
        mkdir -p "$work/seeds/$name"
        for f in scripts/*.lua scripts/lib/*.lua tests/lua/*.lua; do
            [ -f "$f" ] && { printf '\200'; cat "$f"; } >"$work/seeds/$name/src_$(basename "$f")"
        done
        seeds="$seeds $work/seeds/$name"
    fi
    "$B/$name" -max_total_time="$secs" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/crashes/$name-" \
        "$corpus" $seeds >"$log" 2>&1
    rc=$?
    # (-a: the log quotes the inputs' bytes, which makes grep call it a binary file)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    t=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    files=$(ls "$corpus" | wc -l)
    if [ "$rc" -eq 0 ] && ! grep -aq 'ERROR: \(Address\|Leak\|Undefined\)Sanitizer\|runtime error:' "$log"; then
        echo "$name: ${runs:-0} runs in ${secs} s (${t:-0}/s), coverage ${cov:-0}, corpus $files, ok"
    else
        art=$(grep -ao "$work/crashes/$name-[a-z-]*[0-9a-f]*" "$log" | tail -1)
        echo "$name: CRASH after ${runs:-?} runs (exit $rc; log $log; input ${art:-?})"
        grep -a -m5 'ERROR:\|runtime error:\|property failed' "$log" | sed 's/^/    /'
        status=1
    fi
done
exit $status
