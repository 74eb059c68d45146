#!/bin/sh
# demo.sh — load the seed city 云岚市 into a fresh database and show what is in it.
# Usage: sh seeds/demo.sh [YINGJI]   (default ./yingji; `make demo` calls it)
# The database is $YINGJI_DB, or ./yingji.db; it is removed and created from scratch.
# Files are imported in dependency order: units first (every other file names units),
# then accidents by year (2020: the city's file and 白沙镇's own workbook), the later
# corrections, inspections, targets, assessments, tasks.
# Stops at the first import that fails. The import log records the file names as given,
# so run it from the repository root for short names in briefings.
# Each file is imported with the day the bureau received it (--received, seeds/README.md
# "Knowledge dates"): a year's files early the next year, the corrections later still;
# an accident is known from its own reported_at (its monthly report).
set -eu
YINGJI=${1:-./yingji}
DB=${YINGJI_DB:-./yingji.db}
SEEDS=$(dirname "$0")  # as invoked: `sh seeds/demo.sh` records seeds/units.csv etc.

rm -f "$DB" "$DB-journal" "$DB-wal" "$DB-shm"
"$YINGJI" --db "$DB" init
imp() { "$YINGJI" --db "$DB" import "$@"; }
imp --received 2018-01-02 units       "$SEEDS/units.csv"
imp --received 2019-01-10 accidents   "$SEEDS/accidents_2018.csv"
imp --received 2020-01-10 accidents   "$SEEDS/accidents_2019.csv"
imp --received 2021-01-08 accidents   "$SEEDS/accidents_2020.csv"
imp --received 2021-01-08 accidents   "$SEEDS/accidents_2020_白沙镇.xlsx"
imp --received 2021-03-15 accidents   "$SEEDS/accidents_2020_corrections.csv"
imp --received 2020-01-10 inspections "$SEEDS/inspections_2019.csv"
imp --received 2021-01-08 inspections "$SEEDS/inspections_2020.csv"
imp --received 2019-01-15 targets     "$SEEDS/targets_2019.csv"
imp --received 2020-01-15 targets     "$SEEDS/targets_2020.csv"
imp --received 2020-01-20 assessments "$SEEDS/assessments_2019.csv"
imp --received 2021-01-20 assessments "$SEEDS/assessments_2020.csv"
imp --received 2020-02-15 tasks       "$SEEDS/tasks_2020.csv"
"$YINGJI" --db "$DB" info
# The June 2020 briefing of the seed city (docs/charts.md, "The monthly briefing").
OUT=${BRIEFING:-./briefing-2020-06.pdf}
"$YINGJI" --db "$DB" run "$SEEDS/../scripts/briefing.lua" --as-of 2020-06-30 -o "$OUT" \
    --set city=云岚市 >/dev/null
echo "briefing: $OUT"
