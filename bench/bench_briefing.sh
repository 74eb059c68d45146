#!/bin/sh
# bench_briefing.sh — the full monthly briefing of a generated 3,000-unit province
# (bench/gen_province.sh) by `yingji run scripts/briefing.lua`, against the same charts drawn
# by matplotlib (bench/briefing_matplotlib.py, Debian's python3-matplotlib) in the same run.
# Runs alternate (yingji, matplotlib, yingji, …); prints each side's median wall time and
# the median of the paired ratios. Target (issue 6): the briefing under 2 s.
# Environment: YINGJI (release binary), RUNS (default 7), UNITS (default 3000), PYTHON.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${YINGJI:=$root/yingji}" "${RUNS:=7}" "${UNITS:=3000}" "${PYTHON:=/usr/bin/python3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh "$here/gen_province.sh" "$YINGJI" "$tmp/p.db" "$UNITS" 4
if ! "$PYTHON" -c 'import matplotlib' 2>/dev/null; then
    echo "matplotlib missing: apt-get install python3-matplotlib (baseline skipped)"
    have_mpl=0
else
    have_mpl=1
fi

now() { date +%s.%N; }
i=0
: >"$tmp/times"
while [ "$i" -lt "$RUNS" ]; do
    t0=$(now)
    "$YINGJI" --db "$tmp/p.db" run "$root/scripts/briefing.lua" --as-of 2020-06-30 \
        -o "$tmp/briefing.pdf" >/dev/null
    t1=$(now)
    if [ "$have_mpl" = 1 ]; then
        "$PYTHON" "$here/briefing_matplotlib.py" "$tmp/p.db" 2020-06-30 "$tmp/mpl.pdf"
    fi
    t2=$(now)
    echo "$t0 $t1 $t2" >>"$tmp/times"
    i=$((i + 1))
done
pages=$(pdfinfo "$tmp/briefing.pdf" | awk '/^Pages:/ { print $2 }')
awk -v units="$UNITS" -v pages="$pages" -v mpl="$have_mpl" '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ n++; y[n] = $2 - $1; m[n] = $3 - $2; r[n] = m[n] / y[n] }
END {
    printf "briefing of %d units (%d pages), %d paired runs\n", units, pages, n
    printf "  yingji run scripts/briefing.lua   median %.3f s\n", median(y, n)
    if (mpl) {
        printf "  matplotlib, same charts           median %.3f s\n", median(m, n)
        printf "  paired ratio matplotlib / yingji  median %.1fx\n", median(r, n)
    }
}' "$tmp/times"
