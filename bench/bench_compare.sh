#!/bin/sh
# bench_compare.sh — `yingji compare` of the 2020 scheme with the 2021 example over the
# 3,000-unit province (issue 15: under 2 x the time of one scoring run). The province is
# the one bench_scoring.sh generates (run first when missing). Each round runs, back to
# back, `yingji run scripts/scoring_2020.lua --format json` and the comparison; the report
# gives both medians (elapsed and CPU) and the median of the paired ratios (compare ÷ run).
# Environment: YINGJI (release binary), BUILD; ROUNDS (default 5).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${YINGJI:=$root/yingji}" "${BUILD:=$root/build/rel}" "${ROUNDS:=5}"
db="$BUILD/bench/scoring_province.db"
[ -f "$db" ] || ROUNDS=1 sh "$here/bench_scoring.sh" >/dev/null || exit 1
tr=$(mktemp) tc=$(mktemp) raw=$(mktemp)
trap 'rm -f "$tr" "$tc" "$raw"' EXIT
timed() {  # FILE COMMAND...: appends "elapsed cpu" of the command to FILE
    f=$1; shift
    (cd "$root" && /usr/bin/time -f '%e %U %S' "$@" >/dev/null 2>"$raw") || { cat "$raw" >&2; exit 1; }
    tail -1 "$raw" | awk '{printf "%s %.2f\n", $1, $2 + $3}' >>"$f"
}
i=0
while [ "$i" -lt "$ROUNDS" ]; do
    timed "$tr" "$YINGJI" --db "$db" run scripts/scoring_2020.lua --set year=2020 --format json
    timed "$tc" "$YINGJI" --db "$db" compare scripts/scoring_2020.lua scripts/scoring_2021_example.lua \
        --set year=2020 --format json
    i=$((i + 1))
done
median() { sort -g | awk '{a[NR]=$1} END {printf "%.2f", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mr=$(cut -d' ' -f1 "$tr" | median); mc=$(cut -d' ' -f1 "$tc" | median)
cr=$(cut -d' ' -f2 "$tr" | median); cc=$(cut -d' ' -f2 "$tc" | median)
ratio=$(paste -d' ' "$tr" "$tc" | awk '{print $3 / $1}' | median)
echo "compare 2020 vs the 2021 example, 3,000 units ($ROUNDS paired rounds):"
echo "  yingji run scripts/scoring_2020.lua: median ${mr} s elapsed, ${cr} s CPU"
echo "  yingji compare (both schemes):       median ${mc} s elapsed, ${cc} s CPU"
echo "  paired ratio compare / run (elapsed): median ${ratio}  (target < 2)"
