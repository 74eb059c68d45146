#!/bin/sh
# archive_2019.sh — makes seeds/archive_2019.yjar, the seed city's frozen 2019 evaluation.
# Usage (from the repository root): sh seeds/archive_2019.sh [YINGJI]
# It loads what the office held on 20 January 2020 — the units, the 2018 and 2019
# accidents, the 2019 inspections, targets and assessments; nothing of 2020 — and runs
# `yingji archive` with scripts/scoring_2019.lua --set year=2019 --as-of 2020-01-20.
# The archive is made once and committed: tests/e2e/archive_seed.sh verifies it on every
# run, and later data (2020, corrections) must never change what it proves.
set -eu
YINGJI=${1:-./yingji}
OUT=seeds/archive_2019.yjar
DB=$(mktemp -d)/held_2020-01-20.db
trap 'rm -rf "$(dirname "$DB")"' EXIT
imp() { "$YINGJI" --db "$DB" import "$@" >/dev/null; }
"$YINGJI" --db "$DB" init >/dev/null
imp units       seeds/units.csv
imp accidents   seeds/accidents_2018.csv seeds/accidents_2019.csv
imp inspections seeds/inspections_2019.csv
imp targets     seeds/targets_2019.csv
imp assessments seeds/assessments_2019.csv
rm -f "$OUT"
"$YINGJI" --db "$DB" archive -o "$OUT" scripts/scoring_2019.lua --set year=2019 --as-of 2020-01-20
