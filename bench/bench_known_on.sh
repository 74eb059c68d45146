#!/bin/sh
# bench_known_on.sh — time as known (issue 13) on the large province of
# bench_double_decline.sh (3,000 units, 300,000 accidents, 10,000,000 inspections),
# copied to $BUILD/bench/known.db with its imports received on 2020-07-01, then:
#   - ROUNDS corrections files of 10,000 accidents and 10,000 inspections each (and
#     1,000 accidents reported late), imported with --received 2020-08-15.. : the median
#     import time of each file (target: under 1 s);
#   - `yingji history` of one corrected accident: median over 21 runs (target: under
#     10 ms, the process included), beside `yingji --version` (the start-up alone);
#   - double_decline.lua --as-of 2020-06-30 with and without --known-on KNOWN_ON
#     (default 2020-07-05: every correction after it, the old versions shown) in PAIRS
#     alternating pairs: medians and the median of the per-pair ratios, wall and CPU time
#     (target: within 1.25x); a second day (2020-08-17) when part of them is known;
#   - with BASELINE=another yingji binary (e.g. main's): the plain run of both paired
#     (target: no slower than the baseline), and in each round the baseline imports
#     10,000 other accident corrections (for comparison).
# The machine's load (uptime) is printed before and after: other work skews wall time.
# Environment: YINGJI, BUILD, PAIRS (default 15), ROUNDS (default 3), KNOWN_ON, BASELINE.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${YINGJI:=$root/yingji}" "${BUILD:=$root/build/rel}" "${PAIRS:=15}" "${ROUNDS:=3}"
: "${KNOWN_ON:=2020-07-05}" "${BASELINE:=}"
large=$BUILD/bench/large.db
db=$BUILD/bench/known.db
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench_known_on: /usr/bin/time is missing (apt-get install time)"; exit 1; }
if [ "$(sqlite3 "$large" 'SELECT count(*) FROM inspections' 2>/dev/null)" != 10000000 ]; then
    PAIRS=1 sh "$here/bench_double_decline.sh" >/dev/null || { echo "bench_known_on: no large province"; exit 1; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load before: $(uptime | sed 's/.*load/load/')"

now_ns() { date +%s%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() {  # timed VAR COMMAND...: runs COMMAND, sets VAR to "wall_ms cpu_ms"
    var=$1; shift
    t0=$(now_ns)
    "$TIME" -f "%U %S" -o "$tmp/cpu" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    t1=$(now_ns)
    eval "$var=\"$(( (t1 - t0) / 1000 ))e-3 $(awk '{ print ($1 + $2) * 1000 }' "$tmp/cpu")\""
}

# The copy, its base imports received before the day, and the corrections files: every
# 30th accident (deaths + round), every 1,000th inspection (hazards found + round), and
# 1,000 accidents of the first half of 2020 reported only in the first round.
rm -f "$db" "$db-wal" "$db-shm"
cp "$large" "$db" || exit 1
sqlite3 "$db" "UPDATE imports SET received = '2020-07-01'" || exit 1
acc_cols="id, occurred_at, reported_at, unit, sector, deaths, missing, serious_injuries, injuries, direct_loss, report_status, production, written_off, summary"
r=1
: >"$tmp/imports"
while [ $r -le "$ROUNDS" ]; do
    sqlite3 -csv -header "$db" "SELECT id, occurred_at, reported_at, unit, sector, deaths + 1 AS deaths,
        missing, serious_injuries, injuries, direct_loss, report_status, production, written_off, summary
        FROM accidents_v WHERE CAST(substr(id, 3) AS INTEGER) % 30 = 0" >"$tmp/acc.csv" || exit 1
    sqlite3 -csv -header "$db" "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10000)
        SELECT i.id, inspected_on, u.code AS unit, sector, enterprise, i.kind,
        hazards_found + 1 AS hazards_found, major_hazards, hazards_rectified, penalty_cases, fine, suspended,
        (SELECT code FROM units WHERE id = inspector_id) AS inspector
        FROM n JOIN inspections i ON i.id = printf('JC%08d', n.k * 1000) JOIN units u ON u.id = i.unit_id" \
        >"$tmp/ins.csv" || exit 1
    day=$(date -d "2020-08-15 +$((r - 1)) days" +%F)
    if [ $r -eq 1 ]; then
        { echo "$acc_cols"
          sqlite3 -csv "$db" "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1000)
              SELECT printf('SGL%06d', k), printf('2020-%02d-%02d 10:00', 1 + k % 6, 1 + k % 28),
                     printf('2020-08-%02d 09:00', 1 + k % 14), (SELECT code FROM units WHERE id = 1 + k % 3000),
                     'road', k % 3, 0, 0, 0, 1.5, 'concealed', 1, 0, 'reported late' FROM n"; } >"$tmp/late.csv"
        "$YINGJI" --db "$db" import --received "$day" accidents "$tmp/late.csv" >/dev/null || exit 1
    fi
    timed A "$YINGJI" --db "$db" import --received "$day" accidents "$tmp/acc.csv"
    timed I "$YINGJI" --db "$db" import --received "$day" inspections "$tmp/ins.csv"
    echo "$A $I" >>"$tmp/imports"
    if [ -n "$BASELINE" ]; then     # the same volume, other accidents, by the baseline
        sqlite3 -csv -header "$db" "SELECT id, occurred_at, reported_at, unit, sector, deaths + 1 AS deaths,
            missing, serious_injuries, injuries, direct_loss, report_status, production, written_off, summary
            FROM accidents_v WHERE CAST(substr(id, 3) AS INTEGER) % 30 = 15" >"$tmp/base.csv" || exit 1
        timed B "$BASELINE" --db "$db" import --received "$day" accidents "$tmp/base.csv"
        echo "$B" >>"$tmp/base_imports"
    fi
    r=$((r + 1))
done
revs=$(sqlite3 "$db" "SELECT group_concat(n, ' / ') FROM (SELECT dataset || ' ' || count(*) AS n FROM revisions GROUP BY dataset)")
printf 'corrections: %d rounds, revisions now %s\n' "$ROUNDS" "$revs"
printf 'import of 10,000 accident corrections:   median %.0f ms (CPU %.0f ms)\n' \
    "$(awk '{ print $1 }' "$tmp/imports" | median)" "$(awk '{ print $2 }' "$tmp/imports" | median)"
printf 'import of 10,000 inspection corrections: median %.0f ms (CPU %.0f ms)\n' \
    "$(awk '{ print $3 }' "$tmp/imports" | median)" "$(awk '{ print $4 }' "$tmp/imports" | median)"
[ -n "$BASELINE" ] && printf '  the baseline, 10,000 other accidents:   median %.0f ms (CPU %.0f ms)\n' \
    "$(awk '{ print $1 }' "$tmp/base_imports" | median)" "$(awk '{ print $2 }' "$tmp/base_imports" | median)"
status=0
awk '{ print $1; print $3 }' "$tmp/imports" | median | awk '{ exit !($1 < 1000) }' &&
    echo "ok - a corrections file of 10,000 records under 1 s" ||
    { echo "not ok - a corrections file of 10,000 records takes 1 s or more"; status=1; }

# history of one record, beside the start-up alone: 21 samples of 10 runs each (one run
# is a few ms: a sample of one would measure the clock and /usr/bin/time)
loop10() { t0=$(now_ns); for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null || exit 1; done; t1=$(now_ns)
           echo "$(( (t1 - t0) / 10000 ))e-3"; }
: >"$tmp/hist"
i=0
while [ $i -lt 21 ]; do
    echo "$(loop10 "$YINGJI" --db "$db" history SG00000030) $(loop10 "$YINGJI" --version)" >>"$tmp/hist"
    i=$((i + 1))
done
hist=$(awk '{ print $1 }' "$tmp/hist" | median)
printf 'history SG00000030 (%d versions): median %.1f ms a run; yingji --version %.1f ms; paired difference %.1f ms\n' \
    "$("$YINGJI" --db "$db" history --format json SG00000030 | grep -o '"version":' | wc -l)" \
    "$hist" "$(awk '{ print $2 }' "$tmp/hist" | median)" "$(awk '{ print $1 - $2 }' "$tmp/hist" | median)"
awk -v t="$hist" 'BEGIN { exit !(t < 10) }' && echo "ok - history under 10 ms (the process included)" ||
    { echo "not ok - history takes 10 ms or more"; status=1; }

# double_decline.lua with and without --known-on, alternating which goes first
script=$root/scripts/double_decline.lua
run() { timed "$1" "$2" --db "$db" run "$script" --as-of 2020-06-30 $3; }
pairs() {  # pairs DAY: PAIRS pairs plain/known into $tmp/pairs
    : >"$tmp/pairs"
    i=0
    while [ $i -lt "$PAIRS" ]; do
        if [ $((i % 2)) -eq 0 ]; then run P "$YINGJI" ""; run K "$YINGJI" "--known-on $1"
        else run K "$YINGJI" "--known-on $1"; run P "$YINGJI" ""; fi
        echo "$P $K" >>"$tmp/pairs"
        i=$((i + 1))
    done
}
"$YINGJI" --db "$db" run "$script" --as-of 2020-06-30 --known-on "$KNOWN_ON" >/dev/null || exit 1
for day in "$KNOWN_ON" 2020-08-17; do
    pairs "$day"
    ratio=$(awk '{ print $3 / $1 }' "$tmp/pairs" | median)
    printf 'double_decline.lua: plain median %.1f ms (CPU %.0f); --known-on %s median %.1f ms (CPU %.0f)\n' \
        "$(awk '{ print $1 }' "$tmp/pairs" | median)" "$(awk '{ print $2 }' "$tmp/pairs" | median)" "$day" \
        "$(awk '{ print $3 }' "$tmp/pairs" | median)" "$(awk '{ print $4 }' "$tmp/pairs" | median)"
    printf '  paired ratio known/plain (%d pairs): median %.3f wall, %.3f CPU\n' "$PAIRS" "$ratio" \
        "$(awk '$2 > 0 { print $4 / $2 }' "$tmp/pairs" | median)"
    awk -v r="$ratio" 'BEGIN { exit !(r < 1.25) }' && echo "ok - --known-on $day within 1.25x" ||
        { echo "not ok - --known-on $day 1.25x or more"; status=1; }
done

# without --known-on: this binary against the baseline's, on the same database
if [ -n "$BASELINE" ]; then
    : >"$tmp/base"
    i=0
    while [ $i -lt "$PAIRS" ]; do
        if [ $((i % 2)) -eq 0 ]; then run P "$YINGJI" ""; run B "$BASELINE" ""
        else run B "$BASELINE" ""; run P "$YINGJI" ""; fi
        echo "$P $B" >>"$tmp/base"
        i=$((i + 1))
    done
    ratio=$(awk '{ print $1 / $3 }' "$tmp/base" | median)
    printf 'without --known-on: this %.1f ms, baseline %.1f ms; paired ratio %.3f wall, %.3f CPU\n' \
        "$(awk '{ print $1 }' "$tmp/base" | median)" "$(awk '{ print $3 }' "$tmp/base" | median)" "$ratio" \
        "$(awk '$4 > 0 { print $2 / $4 }' "$tmp/base" | median)"
    awk -v r="$ratio" 'BEGIN { exit !(r < 1.05) }' && echo "ok - no slower than the baseline (within 5 % noise)" ||
        { echo "not ok - slower than the baseline"; status=1; }
fi
echo "load after: $(uptime | sed 's/.*load/load/')"
exit $status
