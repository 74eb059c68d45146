#!/bin/sh
# bench_import.sh — `yingji import` of 1,000,000 generated inspection rows against the
# sqlite3 shell's `.import` of the same file into a plain typed table (which validates
# nothing), measured in the same run: PAIRS alternating pairs (default 7), each on a
# fresh database; prints the medians, the median of the per-pair ratios
# (sqlite3 time / yingji time; target >= 1.3), rows/s and peak RSS (target < 32 MB);
# the CPU-time ratio beside it is less sensitive to a busy machine.
# Environment: YINGJI (release binary), BUILD (holds bench/gen), ROWS, PAIRS.
set -u
: "${YINGJI:?}" "${BUILD:?}"
ROWS=${ROWS:-1000000}
PAIRS=${PAIRS:-7}
GEN=$BUILD/bench/gen
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench_import: /usr/bin/time is missing (apt-get install time)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

"$GEN" units 3000 > units.csv
"$GEN" inspections "$ROWS" > inspections.csv
"$YINGJI" --db base.db init >/dev/null
"$YINGJI" --db base.db import units units.csv >/dev/null || exit 1
cat > shell.sql <<'SQL'
CREATE TABLE inspections(id TEXT, inspected_on TEXT, unit TEXT, sector TEXT, enterprise TEXT,
  kind TEXT, hazards_found INTEGER, major_hazards INTEGER, hazards_rectified INTEGER,
  penalty_cases INTEGER, fine REAL, suspended INTEGER, inspector TEXT);
.import --csv --skip 1 inspections.csv inspections
SQL
echo "$ROWS inspection rows, $(du -m inspections.csv | cut -f1) MB; $PAIRS pairs"

: > pairs.txt
i=1
while [ "$i" -le "$PAIRS" ]; do
    cp base.db y.db; rm -f y.db-wal y.db-shm s.db
    "$TIME" -f "%e %M %U %S" -o y.time "$YINGJI" --db y.db import inspections inspections.csv >/dev/null || exit 1
    "$TIME" -f "%e %M %U %S" -o s.time sqlite3 s.db < shell.sql || exit 1
    read -r yt ym yu ys < y.time
    read -r st sm su ss < s.time
    echo "$yt $ym $st $sm $yu $ys $su $ss" >> pairs.txt
    printf '  pair %d: yingji %5.2f s %6d KB   sqlite3 %5.2f s %6d KB\n' "$i" "$yt" "$ym" "$st" "$sm"
    i=$((i + 1))
done
check=$(sqlite3 y.db "SELECT count(*) FROM inspections")
[ "$check" -eq "$ROWS" ] || { echo "bench_import: yingji stored $check rows, not $ROWS"; exit 1; }

awk -v rows="$ROWS" '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ n++; y[n] = $1; s[n] = $3; r[n] = ($1 > 0 ? $3 / $1 : 0); if ($2 > rss) rss = $2; if ($4 > srss) srss = $4
  yc = $5 + $6; sc = $7 + $8; c[n] = (yc > 0 ? sc / yc : 0); ycpu[n] = yc; scpu[n] = sc }
END {
    my = median(y, n); ms = median(s, n); mr = median(r, n)
    printf "yingji import:   median %.2f s, %.0f rows/s, peak RSS %.1f MB\n", my, rows / my, rss / 1024
    printf "sqlite3 .import: median %.2f s, %.0f rows/s, peak RSS %.1f MB\n", ms, rows / ms, srss / 1024
    printf "CPU time (user+sys, all threads): yingji median %.2f s, sqlite3 median %.2f s, median per-pair ratio %.2fx\n",
           median(ycpu, n), median(scpu, n), median(c, n)
    printf "median per-pair ratio (sqlite3 / yingji): %.2fx (target >= 1.3x: %s); memory target < 32 MB: %s\n",
           mr, (mr >= 1.3 ? "met" : "NOT met"), (rss < 32768 ? "met" : "NOT met")
}' pairs.txt
