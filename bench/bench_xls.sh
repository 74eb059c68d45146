#!/bin/sh
# bench_xls.sh — `yingji import` of .xls workbooks (libfreexl, in the reader's child
# process: core/xls_reader.c), paired rounds, medians:
#   large: ROWS accidents (default 65,534, the most an .xls sheet holds under its header)
#          with one date column of 2020, written by python3-xlwt (6.6 MB): libfreexl's parse
#          of the file is most of the import (its dates are counted day by day from 1900);
#   small: the seed's 白沙镇 workbook (seeds/accidents_2020_白沙镇.xlsx, its merged areas
#          kept) saved as .xls, 40 imports a sample (one takes ~15 ms).
# With BASE_YINGJI (another build, e.g. before a change) each round times both, alternating
# which goes first. Environment: YINGJI (release binary), BUILD; ROWS, RUNS (default 5),
# BASE_YINGJI; PY (python3 with xlwt and openpyxl).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${YINGJI:=$root/yingji}" "${BUILD:=$root/build/rel}" "${ROWS:=65534}" "${RUNS:=5}"
PY=${PY:-}
for p in /usr/bin/python3 python3; do
    [ -z "$PY" ] && "$p" -c 'import xlwt, openpyxl' 2>/dev/null && PY=$p
done
[ -n "$PY" ] || { echo "bench_xls: no python3 with xlwt and openpyxl (make bench-deps)"; exit 1; }
. "$here/lib.sh"
cd "$BL_DIR" || exit 1
"$PY" - "$ROWS" "$root/seeds/accidents_2020_白沙镇.xlsx" <<'PY' || exit 1
import datetime, sys, openpyxl, xlwt
rows, seed = int(sys.argv[1]), sys.argv[2]
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("事故")
for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"]):
    ws.write(0, c, h)
for r in range(1, rows + 1):
    ws.write(r, 0, "B%06d" % r); ws.write(r, 1, datetime.datetime(2020, 1, 1) + datetime.timedelta(days=r % 366), d)
    ws.write(r, 2, "城关镇"); ws.write(r, 3, "road"); ws.write(r, 4, r % 3)
wb.save("large.xls")
src = openpyxl.load_workbook(seed).worksheets[0]
out = xlwt.Workbook(encoding="utf-8")
o = out.add_sheet(src.title)
dt = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
style = lambda v: dt if isinstance(v, datetime.datetime) else xlwt.Style.default_style
areas = {(a.min_row - 1, a.min_col - 1): (a.max_row - 1, a.max_col - 1) for a in src.merged_cells.ranges}
covered = {(r, c) for (r1, c1), (r2, c2) in areas.items() for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
for r, row in enumerate(src.iter_rows(values_only=True)):
    for c, v in enumerate(row):
        if (r, c) in areas:
            o.write_merge(r, areas[(r, c)][0], c, areas[(r, c)][1], v, style(v))
        elif (r, c) not in covered and v is not None:
            o.write(r, c, v, style(v))
out.save("small.xls")
PY
cp "$root/tests/data/import/units.csv" units.csv
"$YINGJI" --db base.db init >/dev/null && "$YINGJI" --db base.db import units units.csv >/dev/null || exit 1
"$YINGJI" --db seed.db init >/dev/null && "$YINGJI" --db seed.db import units "$root/seeds/units.csv" >/dev/null || exit 1

large() { cp base.db "t_$1.db"; bl_run "$BL_DIR/large_$1" /dev/null "$2" --db "t_$1.db" import accidents large.xls; }
small() {
    cp seed.db "t_$1.db"
    bl_run "$BL_DIR/small_$1" /dev/null sh -c 'for k in $(seq 40); do "$0" --db "$1" import accidents small.xls || exit 1; done' \
        "$2" "t_$1.db"
}
large_new() { large new "$YINGJI"; }
large_base() { large base "$BASE_YINGJI"; }
small_new() { small new "$YINGJI"; }
small_base() { small base "$BASE_YINGJI"; }
echo "load average before: $(bl_load)"
if [ -n "${BASE_YINGJI:-}" ]; then
    bl_paired "$RUNS" large_new large_base
    bl_paired "$RUNS" small_new small_base
else
    for i in $(seq "$RUNS"); do large_new; small_new; done
fi
echo "load average after: $(bl_load)"
for w in large small; do
    per=1; [ $w = small ] && per=40
    for side in new base; do
        [ -f "$BL_DIR/${w}_$side" ] || continue
        echo "$w.xls ($([ $w = large ] && echo "$ROWS rows" || echo "the seed's, per import")), $side: " \
             "$(bl_median "$BL_DIR/${w}_$side" wall | awk -v p=$per '{ printf "%.4f", $1 / p }') s wall," \
             "$(bl_median "$BL_DIR/${w}_$side" cpu | awk -v p=$per '{ printf "%.4f", $1 / p }') s CPU (median of $RUNS)"
    done
    [ -f "$BL_DIR/${w}_base" ] &&
        echo "$w.xls new / base: $(bl_ratio "$BL_DIR/${w}_new" "$BL_DIR/${w}_base" wall) wall," \
             "$(bl_ratio "$BL_DIR/${w}_new" "$BL_DIR/${w}_base" cpu) CPU (median of the pairs)"
done
exit 0
