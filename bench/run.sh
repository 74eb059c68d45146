#!/bin/sh
# run.sh — `make bench`: runs every bench/bench_*.sh in turn and prints their reports, then
# issue 18's table: one row per measured work with its paired baseline, the ratio, the
# target and met / not met (each bench appends its rows to $BENCH_SUMMARY, bench/lib.sh).
# Environment: YINGJI (release binary), BUILD (build directory with bench tools);
# BENCHES (names to run, e.g. "import scoring"; default all).
set -u
here=$(cd "$(dirname "$0")" && pwd)
status=0
BENCH_SUMMARY=$(mktemp)
export BENCH_SUMMARY
trap 'rm -f "$BENCH_SUMMARY"' EXIT
for b in "$here"/bench_*.sh; do
    [ -f "$b" ] || continue
    name=$(basename "$b" .sh)
    if [ -n "${BENCHES:-}" ]; then
        case " $BENCHES " in *" ${name#bench_} "*) ;; *) continue ;; esac
    fi
    echo "== $name"
    sh "$b" || status=1
done
echo
echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "| work | yingji | baseline in the same run | now | target | |"
echo "|---|---|---|---|---|---|"
cat "$BENCH_SUMMARY"
exit $status
