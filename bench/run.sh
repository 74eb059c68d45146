#!/bin/sh
# run.sh — `make bench`: runs every bench/bench_*.sh in turn and prints their reports.
# Environment: YINGJI (release binary), BUILD (build directory with bench tools).
set -u
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/bench_*.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b")"
    sh "$b" || status=1
done
exit $status
