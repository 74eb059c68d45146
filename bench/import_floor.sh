#!/bin/sh
# import_floor.sh — the storage floor of the inspections import (issue 18): for ROWS
# generated rows (default 1,000,000), what SQLite alone needs to store what `yingji import`
# stores, in the schema's layout and in candidate ones (bench/import_floor.c, rows already
# in memory), measured in the same rounds as `yingji import` itself and the sqlite3 shell's
# `.import` of the same CSV (bench_import.sh's baseline). ROUNDS rounds (default 5), the
# order reversed every other round; prints the medians, and what issue 18's targets leave
# (the shell's median wall / 2.5, CPU / 1.5). Not part of `make bench`: an experiment.
# Environment: YINGJI (release binary), BUILD (holds bench/gen, bench/import_floor),
# ROWS, ROUNDS, LAYOUTS (import_floor's layouts, space-separated).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/import_lib.sh"
ROUNDS=${ROUNDS:-5}
LAYOUTS=${LAYOUTS:-"current rowid rowid,indexes current,covering current,nocheck current,intday current,page16k current,rows64
 current,nocheck,intday,page16k,rows64 current,journaloff"}
FLOOR=$BUILD/bench/import_floor
[ -x "$FLOOR" ] || { echo "import_floor.sh: build $FLOOR first (make tools)" >&2; exit 1; }
cd "$BL_DIR" || exit 1

il_setup "$ROWS"
cp base.db src.db
"$YINGJI" --db src.db import inspections inspections.csv >/dev/null || exit 1
echo "$ROWS inspection rows; $ROUNDS rounds; load $(bl_load)"

run_y() { il_yingji y.t; }
run_s() { il_shell s.t; }
run_layouts() { for l in "$@"; do "$FLOOR" src.db t.db "$l" >> floor.txt || exit 1; done; }
reversed() { r=; for l in "$@"; do r="$l $r"; done; echo "$r"; }
i=0
while [ "$i" -lt "$ROUNDS" ]; do
    if [ $((i % 2)) -eq 0 ]; then run_y; run_s; run_layouts $LAYOUTS
    else run_layouts $(reversed $LAYOUTS); run_s; run_y; fi
    i=$((i + 1))
done
rm -f t.db t.db-wal t.db-shm

yw=$(bl_median y.t wall) yc=$(bl_median y.t cpu) sw=$(bl_median s.t wall) sc=$(bl_median s.t cpu)
printf 'yingji import:   median %.2f s wall, %.2f s CPU\n' "$yw" "$yc"
printf 'sqlite3 .import: median %.2f s wall, %.2f s CPU\n' "$sw" "$sc"
printf "issue 18's targets leave yingji %.2f s wall (shell / 2.5) and %.2f s CPU (shell / 1.5)\n" \
    "$(awk -v a="$sw" 'BEGIN { print a / 2.5 }')" "$(awk -v a="$sc" 'BEGIN { print a / 1.5 }')"
echo "load at the end $(bl_load)"
echo
echo "| layout | wall | CPU | load | indexes after | COMMIT | close | MB | scoring scan |"
echo "|---|---|---|---|---|---|---|---|---|"
for l in $LAYOUTS; do
    med() { awk -v l="$l" '$1 == l { print $'"$1"' }' floor.txt | bl_median_stdin; }
    printf '| %s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %d | %.3f s |\n' "$l" \
        "$(med 2)" "$(med 3)" "$(med 4)" "$(med 5)" "$(med 6)" "$(med 7)" "$(med 8)" "$(med 9)"
done
