#!/bin/sh
# bench_xlsx.sh — workbooks in and out, paired in one run (medians of RUNS, fresh
# databases each time):
#   read:  `yingji import` of ROWS generated inspection rows (default 1,000,000) from an
#          .xlsx workbook against the same rows from CSV (target: xlsx within 2.5x of
#          CSV), peak RSS (target: < 64 MB plus the shared-strings table), and against
#          python3-openpyxl in read-only mode only reading the same workbook's cells
#          (target: yingji's whole import >= 10x faster); the reader alone
#          (bench/xlsx_cat --count) for the share of the import it is;
#   write: `yingji run --format xlsx` of a 100,000-row table, wall and CPU (target: < 1 s), against
#          --format csv of the same table.
# The workbook is written by bench/csv_to_xlsx.py as Excel stores one (shared strings,
# date-formatted serials). The machine may be shared: the figures are paired in one run,
# compare the ratios. Environment: YINGJI (release binary), BUILD (holds bench/gen and
# bench/xlsx_cat), ROWS, RUNS (default 3), PY (python3 with openpyxl), OPENPYXL=0 skips it,
# BASE_YINGJI (another build, e.g. before a change: its .xlsx import timed in the same
# interleaved runs, for a paired before/after). Times are wall (and CPU: user + sys);
# the load average is printed before and after.
set -u
: "${YINGJI:?}" "${BUILD:?}"
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
OPENPYXL=${OPENPYXL:-1}
PY=${PY:-}
if [ -z "$PY" ]; then
    for p in /usr/bin/python3 python3; do
        if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
    done
fi
[ -n "$PY" ] || { echo "bench_xlsx: no python3 with openpyxl (make bench-deps)"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench_xlsx: /usr/bin/time is missing (apt-get install time)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
"$BUILD/bench/gen" units 3000 > units.csv
"$BUILD/bench/gen" inspections "$ROWS" > inspections.csv
"$PY" "$here/csv_to_xlsx.py" inspections.csv inspections.xlsx || exit 1
"$YINGJI" --db base.db init >/dev/null
"$YINGJI" --db base.db import units units.csv >/dev/null || exit 1

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() {  # OUT CMD... : appends "seconds KB cpu-seconds" of one run to OUT
    out=$1; shift
    "$TIME" -f "%e %M %U %S" -o time.txt "$@" >/dev/null || { echo "bench_xlsx: failed: $*" >&2; exit 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' time.txt > time2.txt && mv time2.txt time.txt
    cat time.txt >> "$out"
}
import() { cp base.db t.db; timed "$1" "${3:-$YINGJI}" --db t.db import inspections "$2"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
: > csv.t; : > xlsx.t; : > cat.t; : > py.t; : > basex.t
for i in $(seq "$RUNS"); do          # interleaved: the same load on each
    import csv.t inspections.csv
    import xlsx.t inspections.xlsx
    [ -n "${BASE_YINGJI:-}" ] && import basex.t inspections.xlsx "$BASE_YINGJI"
    timed cat.t "$BUILD/bench/xlsx_cat" --count inspections.xlsx
done
if [ "$OPENPYXL" = 1 ]; then         # one run: it takes minutes
    timed py.t "$PY" -W ignore -c 'import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for row in wb.active.iter_rows(values_only=True): n += 1
print(n)' inspections.xlsx
fi
csv=$(cut -d' ' -f1 csv.t | median); xlsx=$(cut -d' ' -f1 xlsx.t | median)
csvm=$(cut -d' ' -f2 csv.t | median); xlsxm=$(cut -d' ' -f2 xlsx.t | median)
rd=$(cut -d' ' -f1 cat.t | median); rdm=$(cut -d' ' -f2 cat.t | median)
csvc=$(cut -d' ' -f3 csv.t | median); xlsxc=$(cut -d' ' -f3 xlsx.t | median); rdc=$(cut -d' ' -f3 cat.t | median)
echo "$ROWS inspection rows, median of $RUNS: csv $csv s ($csvm KB), xlsx $xlsx s ($xlsxm KB)," \
     "xlsx/csv $(echo "$xlsx $csv" | awk '{printf "%.2f", $1 / $2}')x (target <= 2.5x)"
echo "  CPU (user + sys): csv $csvc s, xlsx $xlsxc s, xlsx/csv $(echo "$xlsxc $csvc" | awk '{printf "%.2f", $1 / $2}')x"
echo "  the reader alone (xlsx_cat --count, merges read): $rd s wall, $rdc s CPU ($rdm KB)"
if [ -s basex.t ]; then
    bx=$(cut -d' ' -f1 basex.t | median); bxc=$(cut -d' ' -f3 basex.t | median); bxm=$(cut -d' ' -f2 basex.t | median)
    echo "  BASE_YINGJI's xlsx import: $bx s wall, $bxc s CPU ($bxm KB): xlsx/csv $(echo "$bx $csv" | awk '{printf "%.2f", $1 / $2}')x;" \
         "this build is $(echo "$bx $xlsx" | awk '{printf "%.2f", $1 / $2}')x faster (wall), $(echo "$bxc $xlsxc" | awk '{printf "%.2f", $1 / $2}')x (CPU)"
fi
echo "load average after the reading runs: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -s py.t ]; then
    py=$(cut -d' ' -f1 py.t)
    echo "  openpyxl read-only, rows only: $py s; yingji's import is $(echo "$py $xlsx" | awk '{printf "%.1f", $1 / $2}')x faster (target >= 10x)"
fi

# --- writing: a 100,000-row table -------------------------------------------------------
cat > big.lua <<'LUA'
local rows = {}
for i = 1, 100000 do
  rows[i] = {unit = string.format("U%05d", i % 3000 + 1), name = "单位" .. i, score = 60 + (i % 4000) / 100,
             grade = i % 3 == 0 and "优秀" or "良好", vetoed = i % 97 == 0,
             day = string.format("2020-%02d-%02d", i % 12 + 1, i % 28 + 1), note = "第" .. i .. "行"}
end
publish("big", {"unit", "name", "score", "grade", "vetoed", "day", "note"}, rows,
        {titles = {unit = "单位代码", name = "单位", score = "得分", grade = "等次", vetoed = "一票否决",
                   day = "日期", note = "说明"}, formats = {score = "score", day = "date"}})
LUA
: > wx.t; : > wc.t
wtimed() {  # OUT CMD... : appends "wall-seconds KB cpu-seconds" of one run to OUT
    out=$1; shift
    "$TIME" -f "%e %M %U %S" -o time.txt "$@" >/dev/null || { echo "bench_xlsx: failed: $*" >&2; exit 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' time.txt >> "$out"
}
for i in $(seq "$RUNS"); do
    wtimed wx.t "$YINGJI" --db base.db run big.lua --as-of 2020-12-31 --format xlsx -o big.xlsx
    wtimed wc.t "$YINGJI" --db base.db run big.lua --as-of 2020-12-31 --format csv --results big.csv
done
wx=$(cut -d' ' -f1 wx.t | median); wc=$(cut -d' ' -f1 wc.t | median); wxm=$(cut -d' ' -f2 wx.t | median)
wxc=$(cut -d' ' -f3 wx.t | median); wcc=$(cut -d' ' -f3 wc.t | median)
echo "100000-row table, median of $RUNS: run --format xlsx $wx s wall, $wxc s CPU ($wxm KB, $(wc -c < big.xlsx) bytes;" \
     "target < 1 s), --format csv $wc s wall, $wcc s CPU"
