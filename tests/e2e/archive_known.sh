# archive_known.sh — archives record the knowledge date they were made at (issue 13 item
# 5, format 2's known_on/as_known): `archive --known-on DATE` runs as `run --known-on`
# does and re-runs so under verify; without it the knowledge date is the day the archive
# is made. `verify --db FILE` (today's data) lists, keyed by record id, the records whose
# versions changed after that date with the fields that changed, next to the result
# rows that moved.
. "$(dirname "$0")/../lib.sh"
S=$ROOT/seeds
"$YINGJI" --db t.db init >/dev/null
imp() { "$YINGJI" --db t.db import "$@" >/dev/null 2>&1; }
imp --received 2020-01-01 units "$S/units.csv"
imp --received 2020-07-03 accidents "$S/accidents_2020.csv"
cp t.db july.db                                    # what the office held in July
imp --received 2020-08-15 accidents "$S/accidents_2020_corrections.csv"

cat >q.lua <<'LUA'
local rows = sql.query([[SELECT u.code AS unit, count(*) AS n, sum(a.deaths) AS deaths
  FROM accidents a JOIN units u ON u.id = a.unit_id GROUP BY u.code ORDER BY u.code]])
publish("by_unit", { "unit", "n", "deaths" }, rows)
publish("known", { "known_on" }, { { known_on = ctx.known_on and tostring(ctx.known_on) or "none" } })
LUA

# As known on 2020-07-05: the corrections received 2020-08-15 are not seen.
expect_status 0 "archive --known-on" "$YINGJI" --db t.db archive -o k.yjar --known-on 2020-07-05 --as-of 2020-06-30 q.lua
contains out.txt "known on 2020-07-05, as known then" "archive says it ran as known"
check "the knowledge date is recorded" test "$(sqlite3 k.yjar "SELECT value FROM yj_archive WHERE key = 'known_on'")" = 2020-07-05
"$YINGJI" --db july.db run q.lua --known-on 2020-07-05 --format json >july.json 2>/dev/null
"$YINGJI" --db t.db run q.lua --format json >today.json 2>/dev/null
check "the archived tables are the data as known then (the July database's, as known on 2020-07-05)" python3 -c '
import json, sqlite3
a = json.loads(sqlite3.connect("k.yjar").execute("SELECT value FROM yj_archive WHERE key = \"results_json\"").fetchone()[0])
j = json.load(open("july.json"))
t = json.load(open("today.json"))
raise SystemExit(a["by_unit"] != j["by_unit"] or a["by_unit"] == t["by_unit"] or a["known"] != [{"known_on": "2020-07-05"}])'
expect_status 0 "it verifies: the re-run is as known on that day too" "$YINGJI" verify k.yjar
contains out.txt "2 table(s) identical" "… every table identical"

# Without --known-on: the knowledge date is the day it is made, the data as it is.
expect_status 0 "archive without --known-on" "$YINGJI" --db t.db archive -o now.yjar --as-of 2020-06-30 q.lua
check "… records today as its knowledge date" test \
    "$(sqlite3 now.yjar "SELECT group_concat(value, ' ') FROM (SELECT value FROM yj_archive WHERE key IN ('as_known', 'known_on') ORDER BY key)")" = "0 $(date +%Y-%m-%d)"
expect_status 0 "… and verifies" "$YINGJI" verify now.yjar

# verify --db today: the result rows that moved, and the records changed after 2020-07-05
expect_status 5 "verify --db today's data reports the differences" "$YINGJI" verify --db t.db k.yjar
contains out.txt "records changed after 2020-07-05 (the archive's knowledge date)" "the record section names the date"
contains out.txt "accidents SG2020-004: deaths 2 → 1" "a corrected record, keyed by id, field old → new"
contains out.txt "accidents SG2020-007: deaths 2 → 3; level 一般 → 较大" "several fields of one record"
contains out.txt "accidents SG2020-012: new (not known on 2020-07-05)" "a late-reported record is new"
contains out.txt "by_unit Z01:" "the result row that moved is shown too"
check "the record changes follow the result differences" sh -c \
    'test "$(grep -n "by_unit Z01" out.txt | cut -d: -f1)" -lt "$(grep -n "records changed after" out.txt | cut -d: -f1)"'
check "records unchanged since are not listed" sh -c '! grep -q "SG2020-001:" out.txt'
expect_status 0 "verify --db of an archive made today on today's data: no record changed" "$YINGJI" verify --db t.db now.yjar
contains out.txt "no record changed after $(date +%Y-%m-%d)" "… and it says so"

# known_on / as_known are read strictly and covered by the manifest
cp k.yjar e1.yjar && sqlite3 e1.yjar "UPDATE yj_archive SET value = '2020-09-01' WHERE key = 'known_on'"
expect_status 5 "an edited knowledge date is detected" "$YINGJI" verify e1.yjar
contains out.txt "manifest" "… as a manifest mismatch"
cp k.yjar e2.yjar && sqlite3 e2.yjar "UPDATE yj_archive SET value = 'July' WHERE key = 'known_on'"
expect_status 5 "a knowledge date that is not a date is refused" "$YINGJI" verify e2.yjar
contains out.txt "known_on is not a date" "… saying so"
cp k.yjar e3.yjar && sqlite3 e3.yjar "UPDATE yj_archive SET value = 'yes' WHERE key = 'as_known'"
expect_status 5 "an as_known that is not 0 or 1 is refused" "$YINGJI" verify e3.yjar
cp k.yjar e4.yjar && sqlite3 e4.yjar "DELETE FROM yj_archive WHERE key = 'known_on'"
expect_status 5 "a format-2 archive without known_on is refused" "$YINGJI" verify e4.yjar
contains out.txt "has no known_on" "… naming the key"
cp "$ROOT/tests/data/archive/archive_2019_format1.yjar" e5.yjar
sqlite3 e5.yjar "INSERT INTO yj_archive VALUES ('known_on', '2020-01-20')"
expect_status 5 "format 2's key in a format-1 archive is refused" "$YINGJI" verify e5.yjar
contains out.txt "key 'known_on' in a format-1 archive" "… saying so"

# bad --known-on, as for run
expect_status 1 "archive --known-on not a date" "$YINGJI" --db t.db archive -o x.yjar --known-on soon q.lua
contains err.txt "known-on" "… names the option"
expect_status 1 "archive --known-on in the future" "$YINGJI" --db t.db archive -o x.yjar --known-on 2999-01-01 q.lua
check "… and no archive is written" test ! -e x.yjar
