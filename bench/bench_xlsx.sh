#!/bin/sh
# bench_xlsx.sh — `yingji import` of ROWS generated inspection rows (default 1,000,000)
# from an .xlsx workbook against the same rows from CSV, paired in one run on fresh
# databases: prints both times, the ratio (target: xlsx within 2.5x of CSV) and peak
# RSS (target: < 64 MB plus the shared-strings table). The workbook is written by
# bench/csv_to_xlsx.py as Excel stores one (shared strings, date-formatted serials).
# Environment: YINGJI (release binary), BUILD (holds bench/gen), ROWS, PY (python3).
set -u
: "${YINGJI:?}" "${BUILD:?}"
ROWS=${ROWS:-1000000}
PY=${PY:-python3}
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
run() {  # FILE -> "seconds KB"
    cp base.db t.db
    "$TIME" -f "%e %M" -o time.txt "$YINGJI" --db t.db import inspections "$1" >/dev/null || exit 1
    cat time.txt
}
set -- $(run inspections.csv) $(run inspections.xlsx)
echo "$ROWS inspection rows: csv $1 s ($2 KB), xlsx $3 s ($4 KB), xlsx/csv $(echo "$3 $1" | awk '{printf "%.2f", $1 / $2}')x"
