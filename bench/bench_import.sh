#!/bin/sh
# bench_import.sh — `yingji import` of 1,000,000 generated inspection rows against the
# sqlite3 shell's `.import` of the same file into a plain typed table (which validates
# nothing), measured in the same run: PAIRS alternating pairs (default 7), each on a
# fresh database; prints the medians of wall and CPU time (user + system, all threads),
# the medians of the per-pair ratios (sqlite3 / yingji; issue 18's targets: >= 2.5x wall
# and >= 1.5x CPU) and the peak RSS (target < 32 MB). Then the memory check: one import
# of MEM_ROWS rows (default 10,000,000; 0 skips it) whose peak RSS must stay flat (within
# 10 % + 2 MB of the 1 M-row import's).
# Environment: YINGJI (release binary), BUILD (holds bench/gen), ROWS, PAIRS, MEM_ROWS.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/import_lib.sh"
PAIRS=${PAIRS:-7}
MEM_ROWS=${MEM_ROWS:-10000000}
GEN=$BUILD/bench/gen
cd "$BL_DIR" || exit 1

il_setup "$ROWS"
echo "$ROWS inspection rows, $(du -m inspections.csv | cut -f1) MB; $PAIRS pairs; load $(bl_load)"

side_y() { il_yingji y.t; }
side_s() { il_shell s.t; }
bl_paired "$PAIRS" side_y side_s
check=$(sqlite3 y.db "SELECT count(*) FROM inspections")
[ "$check" -eq "$ROWS" ] || { echo "bench_import: yingji stored $check rows, not $ROWS"; exit 1; }

yw=$(bl_median y.t wall) yc=$(bl_median y.t cpu) yr=$(bl_max y.t rss)
sw=$(bl_median s.t wall) sc=$(bl_median s.t cpu) sr=$(bl_max s.t rss)
rw=$(bl_ratio s.t y.t wall) rc=$(bl_ratio s.t y.t cpu)
echo "yingji import:   median $yw s wall, $yc s CPU, peak RSS $((yr / 1024)) MB"
echo "sqlite3 .import: median $sw s wall, $sc s CPU, peak RSS $((sr / 1024)) MB"
echo "median per-pair ratios sqlite3 / yingji: wall ${rw}x, CPU ${rc}x"
bl_row "import $ROWS inspection rows" \
    "$(printf '%.2f s wall, %.2f s CPU, %d MB' "$yw" "$yc" $((yr / 1024)))" \
    "$(printf 'sqlite3 .import %.2f s wall, %.2f s CPU' "$sw" "$sc")" \
    "$(printf '%.2fx wall, %.2fx CPU' "$rw" "$rc")" \
    ">= 2.5x wall and >= 1.5x CPU, < 32 MB" \
    "$(bl_met "$rw >= 2.5 && $rc >= 1.5 && $yr < 32768")"

# The memory check: the peak RSS of a 10 M-row import stays what it is at 1 M rows.
if [ "$MEM_ROWS" -gt 0 ]; then
    rm -f inspections.csv s.db
    "$GEN" inspections "$MEM_ROWS" > big.csv
    cp base.db m.db
    bl_run m.t /dev/null "$YINGJI" --db m.db import inspections big.csv
    rm -f big.csv m.db
    mr=$(bl_max m.t rss)
    echo "memory check: $MEM_ROWS rows imported in $(bl_median m.t wall) s, peak RSS $((mr / 1024)) MB" \
         "($ROWS rows: $((yr / 1024)) MB)"
    bl_row "memory: import $MEM_ROWS rows" "peak RSS $((mr / 1024)) MB" \
        "$ROWS rows: $((yr / 1024)) MB" "$(printf '%.2fx' "$(awk -v a="$mr" -v b="$yr" 'BEGIN { print a / b }')")" \
        "flat (<= 1.1x + 2 MB), < 32 MB" "$(bl_met "$mr <= $yr * 1.1 + 2048 && $mr < 32768")"
fi
