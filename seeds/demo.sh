#!/bin/sh
# demo.sh — load the seed city 云岚市 into a fresh database and show what is in it.
# Usage: sh seeds/demo.sh [YINGJI]   (default ./yingji; `make demo` calls it)
# The database is $YINGJI_DB, or ./yingji.db; it is removed and created from scratch.
# Files are imported in dependency order: units first (every other file names units),
# then accidents by year, the later corrections, inspections, targets, assessments, tasks.
# Stops at the first import that fails. The import log records the file names as given,
# so run it from the repository root for short names in briefings.
set -eu
YINGJI=${1:-./yingji}
DB=${YINGJI_DB:-./yingji.db}
SEEDS=$(dirname "$0")  # as invoked: `sh seeds/demo.sh` records seeds/units.csv etc.

rm -f "$DB" "$DB-journal" "$DB-wal" "$DB-shm"
"$YINGJI" --db "$DB" init
imp() { "$YINGJI" --db "$DB" import "$@"; }
imp units       "$SEEDS/units.csv"
imp accidents   "$SEEDS/accidents_2018.csv" "$SEEDS/accidents_2019.csv" "$SEEDS/accidents_2020.csv"
imp accidents   "$SEEDS/accidents_2020_corrections.csv"
imp inspections "$SEEDS/inspections_2019.csv" "$SEEDS/inspections_2020.csv"
imp targets     "$SEEDS/targets_2019.csv" "$SEEDS/targets_2020.csv"
imp assessments "$SEEDS/assessments_2019.csv" "$SEEDS/assessments_2020.csv"
imp tasks       "$SEEDS/tasks_2020.csv"
"$YINGJI" --db "$DB" info
# The June 2020 briefing of the seed city (shared/spec/briefing.md).
OUT=${BRIEFING:-./briefing-2020-06.pdf}
"$YINGJI" --db "$DB" run "$SEEDS/../scripts/briefing.lua" --as-of 2020-06-30 -o "$OUT" \
    --set city=云岚市 >/dev/null
echo "briefing: $OUT"
