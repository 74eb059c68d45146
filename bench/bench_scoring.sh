#!/bin/sh
# bench_scoring.sh — scoring 3,000 units under the 2020 scheme, queries included (issue 5:
# under 2 s; issue 18: within 1.2x of its queries). The province (bench/scoring_province.sql:
# 3,000 area units, 20 departments, 60,000 accidents and 2,000,000 inspections over
# 2019–2020, targets, indicators, 200 work items) is generated once into $BUILD/bench/ and
# reused while the SQL is unchanged.
# Each round runs, back to back (alternating which goes first, bench/lib.sh), the
# baseline — the scheme's grouped queries alone in the sqlite3 shell — and `yingji run
# scripts/scoring_2020.lua --format json`; the report gives both medians (elapsed, and
# CPU = user + system, which a busy machine disturbs less) and the medians of the paired
# ratios (engine ÷ baseline; issue 18's target: <= 1.2x elapsed).
# Environment: YINGJI (release binary), BUILD; ROUNDS (default 7).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/lib.sh"
: "${YINGJI:=$root/yingji}" "${BUILD:=$root/build/rel}" "${ROUNDS:=7}"
dir="$BUILD/bench"
db="$dir/scoring_province.db"
mkdir -p "$dir"
# regenerate when the generator or the engine's schema changes
"$YINGJI" --db "$dir/schema_probe.db" init >/dev/null || exit 1
stamp=$( (cat "$here/scoring_province.sql"; sqlite3 "$dir/schema_probe.db" .schema) | sha256sum | cut -c1-16)
rm -f "$dir/schema_probe.db" "$dir/schema_probe.db-wal" "$dir/schema_probe.db-shm"
if [ ! -f "$db" ] || [ "$(cat "$db.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "generating the province into $db (once)..."
    rm -f "$db" "$db-wal" "$db-shm"
    "$YINGJI" --db "$db" init >/dev/null && sqlite3 "$db" <"$here/scoring_province.sql" >/dev/null || exit 1
    echo "$stamp" >"$db.stamp"
fi

# The queries scripts/lib/scoring_data.lua runs for 2020 (and the department scores), as
# SQL the shell can run: the engine totals the inspections per unit with sql.group (one
# pass, a hash table: the same rows, without the sort), for which SQL's own form is the
# GROUP BY below; the accidents' 60-day due date comes with their rows in both.
queries=$(mktemp)
out=$(mktemp)
cat >"$queries" <<'SQL'
.output /dev/null
SELECT id, code, name, kind FROM units WHERE kind IN ('township','street','zone') ORDER BY code;
SELECT id, unit_id, occurred_at, deaths + missing AS deaths, level, report_status, closed_on,
       date(occurred_at, '+60 days') AS due FROM accidents
 WHERE production = 1 AND written_off = 0 AND occurred_at >= '2020-01-01' AND occurred_at < '2021-01-01'
 ORDER BY unit_id, occurred_at, id;
SELECT unit_id, count(*), sum(deaths + missing) FROM accidents
 WHERE production = 1 AND written_off = 0 AND occurred_at >= '2019-01-01' AND occurred_at < '2020-01-01'
 GROUP BY unit_id;
SELECT unit_id, count(*), sum(hazards_found), sum(hazards_rectified),
       group_concat(CASE WHEN hazards_rectified < hazards_found THEN id END, ';')
  FROM inspections NOT INDEXED WHERE inspected_on >= '2020-01-01' AND inspected_on < '2021-01-01'
 GROUP BY unit_id;
SELECT unit_id, indicator, value, evidence FROM assessments WHERE year = 2020 AND period = 'annual';
SELECT unit_id, indicator, value FROM targets WHERE year = 2020;
SELECT x.no, x.role, t.title, u.id, u.code, u.name, u.kind
  FROM task_units x JOIN tasks t USING (year, no) JOIN units u ON u.id = x.unit_id
 WHERE x.year = 2020 AND u.kind IN ('department') ORDER BY u.code, x.no, x.role DESC;
SQL

trap 'rm -f "$queries" "$out"; bl_cleanup' EXIT
"$YINGJI" --db "$db" run "$root/scripts/scoring_2020.lua" --format json >"$out" || exit 1   # warm-up
rows=$(grep -c '"rank":' "$out")
side_b() { bl_run "$BL_DIR/b" "$queries" sqlite3 -readonly "$db"; }
side_e() { bl_run "$BL_DIR/e" /dev/null "$YINGJI" --db "$db" run "$root/scripts/scoring_2020.lua" --format json; }
bl_paired "$ROUNDS" side_e side_b
mb=$(bl_median "$BL_DIR/b" wall) me=$(bl_median "$BL_DIR/e" wall)
cb=$(bl_median "$BL_DIR/b" cpu) ce=$(bl_median "$BL_DIR/e" cpu)
mr=$(bl_ratio "$BL_DIR/e" "$BL_DIR/b" wall) cr=$(bl_ratio "$BL_DIR/e" "$BL_DIR/b" cpu)
echo "scoring_2020 on 3,000 units ($rows ranked rows incl. departments), $ROUNDS paired rounds, load $(bl_load):"
printf '  baseline (its queries in the sqlite3 shell): median %.2f s elapsed, %.2f s CPU\n' "$mb" "$cb"
printf '  yingji run scripts/scoring_2020.lua:          median %.2f s elapsed, %.2f s CPU\n' "$me" "$ce"
printf '  paired ratio engine / baseline:              median %.2f elapsed, %.2f CPU\n' "$mr" "$cr"
bl_row "scoring_2020, 3,000 units" "$(printf '%.2f s, %.2f s CPU' "$me" "$ce")" \
    "$(printf 'its queries in the sqlite3 shell %.2f s, %.2f s CPU' "$mb" "$cb")" \
    "$(printf '%.2fx wall, %.2fx CPU' "$mr" "$cr")" "<= 1.2x" "$(bl_met "$mr <= 1.2")"
