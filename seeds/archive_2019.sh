#!/bin/sh
# archive_2019.sh — makes seeds/archive_2019.yjar, the seed city's frozen 2019 evaluation.
# Usage (from the repository root): sh seeds/archive_2019.sh [YINGJI]
# It loads what the office held on 20 January 2020 — the units, the 2018 and 2019
# accidents, the 2019 inspections, targets and assessments; nothing of 2020 — each file
# with the day it was received (as seeds/demo.sh does), and runs `yingji archive` with
# scripts/scoring_2019.lua --set year=2019 --as-of 2020-01-20 --known-on 2020-01-20,
# signed with the test key tests/data/archive/seed_test.key (a key for tests and the
# demo only: its secret half is public; its fingerprint is in seeds/README.md).
# The archive is format 2 (docs/archive.md). Its format-1 predecessor is kept as
# tests/data/archive/archive_2019_format1.yjar, which must keep verifying.
# The archive is made once and committed: tests/e2e/archive_seed.sh verifies it on every
# run, and later data (2020, corrections) must never change what it proves.
set -eu
YINGJI=${1:-./yingji}
OUT=seeds/archive_2019.yjar
TMPD=$(mktemp -d)
DB=$TMPD/held_2020-01-20.db
trap 'rm -rf "$TMPD"' EXIT
# git keeps no file mode: the secret key is given the 0600 `archive --sign` requires
cp tests/data/archive/seed_test.key "$TMPD/seed_test.key"
chmod 600 "$TMPD/seed_test.key"
imp() { "$YINGJI" --db "$DB" import "$@" >/dev/null; }
"$YINGJI" --db "$DB" init >/dev/null
imp --received 2018-01-02 units       seeds/units.csv
imp --received 2019-01-10 accidents   seeds/accidents_2018.csv
imp --received 2020-01-10 accidents   seeds/accidents_2019.csv
imp --received 2020-01-10 inspections seeds/inspections_2019.csv
imp --received 2019-01-15 targets     seeds/targets_2019.csv
imp --received 2020-01-20 assessments seeds/assessments_2019.csv
rm -f "$OUT"
"$YINGJI" --db "$DB" archive -o "$OUT" scripts/scoring_2019.lua --set year=2019 --as-of 2020-01-20 \
    --known-on 2020-01-20 --sign "$TMPD/seed_test.key"
