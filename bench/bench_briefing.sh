#!/bin/sh
# bench_briefing.sh — the full monthly briefing of a generated 3,000-unit province
# (bench/gen_province.sh) by `yingji run scripts/briefing.lua`, against the same charts drawn
# by matplotlib (bench/briefing_matplotlib.py, Debian's python3-matplotlib) in the same run;
# then the chart drawing alone: bench/briefing_charts.lua (the baseline's queries and five
# charts, one per page, with the chart module) against the same matplotlib script.
# Paired runs alternating which goes first (bench/lib.sh); prints each side's median wall
# and CPU time and the medians of the paired ratios. Targets (issue 18): the briefing
# under 0.4 s, and at least 5x faster than matplotlib on the same charts — the chart
# drawing alone against matplotlib drawing those charts (the briefing itself also lays
# out eight tables, tiles and text that the matplotlib script does not; its ratio to
# matplotlib is printed too, for the record).
# Environment: YINGJI (release binary), RUNS (default 7), UNITS (default 3000), PYTHON.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
: "${YINGJI:=$root/yingji}" "${RUNS:=7}" "${UNITS:=3000}" "${PYTHON:=/usr/bin/python3}"
tmp=$BL_DIR

sh "$here/gen_province.sh" "$YINGJI" "$tmp/p.db" "$UNITS" 4
if ! "$PYTHON" -c 'import matplotlib' 2>/dev/null; then
    echo "matplotlib missing: apt-get install python3-matplotlib (baseline skipped)"
    have_mpl=0
else
    have_mpl=1
fi

side_y() { bl_run "$tmp/y" /dev/null "$YINGJI" --db "$tmp/p.db" run "$root/scripts/briefing.lua" \
               --as-of 2020-06-30 -o "$tmp/briefing.pdf"; }
side_c() { bl_run "$tmp/c" /dev/null "$YINGJI" --db "$tmp/p.db" run "$here/briefing_charts.lua" \
               --as-of 2020-06-30 -o "$tmp/charts.pdf"; }
side_m() { [ "$have_mpl" = 0 ] || bl_run "$tmp/m" /dev/null "$PYTHON" "$here/briefing_matplotlib.py" \
               "$tmp/p.db" 2020-06-30 "$tmp/mpl.pdf"; }
side_yc() { side_y; side_c; }
bl_paired "$RUNS" side_yc side_m
pages=$(pdfinfo "$tmp/briefing.pdf" | awk '/^Pages:/ { print $2 }')
y=$(bl_median "$tmp/y" wall) yc=$(bl_median "$tmp/y" cpu)
c=$(bl_median "$tmp/c" wall) cc=$(bl_median "$tmp/c" cpu)
echo "briefing of $UNITS units ($pages pages), $RUNS paired runs, load $(bl_load)"
printf '  yingji run scripts/briefing.lua     median %.3f s, %.2f s CPU\n' "$y" "$yc"
printf '  yingji, the baseline'"'"'s charts alone median %.3f s, %.2f s CPU\n' "$c" "$cc"
if [ "$have_mpl" = 1 ]; then
    m=$(bl_median "$tmp/m" wall) mc=$(bl_median "$tmp/m" cpu)
    rb=$(bl_ratio "$tmp/m" "$tmp/y" wall) rc=$(bl_ratio "$tmp/m" "$tmp/c" wall)
    printf '  matplotlib, same charts             median %.3f s, %.2f s CPU\n' "$m" "$mc"
    printf '  paired ratio matplotlib / briefing  median %.1fx\n' "$rb"
    printf '  paired ratio matplotlib / charts    median %.1fx\n' "$rc"
    bl_row "monthly briefing, $UNITS units, $pages pages" "$(printf '%.2f s' "$y")" \
        "$(printf 'matplotlib, same charts (without the scoring) %.2f s' "$m")" "$(printf '%.1fx' "$rb")" \
        "< 0.4 s; its charts >= 5x matplotlib (next row)" "$(bl_met "$y < 0.4 && $rc >= 5")"
    bl_row "the briefing's charts alone (bench/briefing_charts.lua)" "$(printf '%.2f s' "$c")" \
        "$(printf 'matplotlib %.2f s' "$m")" "$(printf '%.1fx' "$rc")" ">= 5x matplotlib on the same charts" "$(bl_met "$rc >= 5")"
else
    bl_row "monthly briefing, $UNITS units, $pages pages" "$(printf '%.2f s' "$y")" "matplotlib missing" "-" \
        "< 0.4 s" "$(bl_met "$y < 0.4")"
fi
