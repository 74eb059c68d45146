# migrate.sh — a database of schema 1 (made by the release before knowledge dates:
# tests/data/schema1.db, import times set to distinct past dates) upgrades with
# `yingji init` (issue 13 item 7): imports get their import time's date as received
# date, every row and revision is kept, and the upgraded database works.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/schema1.db old.db
check "the kept file is schema 1" test "$(sqlite3 old.db 'PRAGMA user_version')" -eq 1
before=$(sqlite3 old.db "SELECT count(*) FROM accidents; SELECT count(*) FROM revisions;
  SELECT group_concat(id || '/' || deaths, ',') FROM accidents; SELECT count(*) FROM tasks")
printf 'publish("n", {"n"}, {{n = sql.value("SELECT count(*) FROM accidents")}})\n' > n.lua
expect_status 0 "run reads the old schema as it is (archives keep theirs)" "$YINGJI" --db old.db run n.lua
check "… all its accidents" grep -qx "$(sqlite3 old.db 'SELECT count(*) FROM accidents')" out.txt
expect_status 2 "run --known-on on the old schema says to run init" "$YINGJI" --db old.db run --known-on 2020-07-05 n.lua
contains err.txt "run 'yingji init'" "… in its message"
expect_status 2 "history on the old schema says to run init" "$YINGJI" --db old.db history SG2020-004
check "the old file is untouched by them" test "$(sqlite3 old.db 'PRAGMA user_version')" -eq 1
expect_status 0 "yingji init upgrades it" "$YINGJI" --db old.db init
contains out.txt "old.db: schema version 2" "init reports the new version"
check "received = the date of the import time" test "$(sqlite3 old.db \
  "SELECT group_concat(id || ':' || received, ' ') FROM imports")" = \
  "1:2020-01-02 2:2020-07-03 3:2020-08-15 4:2020-03-01 5:2020-03-02"
check "rows and revisions kept" test "$(sqlite3 old.db "SELECT count(*) FROM accidents;
  SELECT count(*) FROM revisions; SELECT group_concat(id || '/' || deaths, ',') FROM accidents;
  SELECT count(*) FROM tasks")" = "$before"
expect_status 0 "init again is a no-op" "$YINGJI" --db old.db init
contains out.txt "schema version 2" "still version 2"
expect_status 0 "info on the upgraded database" "$YINGJI" --db old.db info
check "info lists the received dates" grep -Eq '^   3  2020-08-15 09:00:00  2020-08-15  accidents ' out.txt
cp "$ROOT"/seeds/units.csv .
expect_status 0 "an import into the upgraded database" "$YINGJI" --db old.db import --received 2020-09-01 units units.csv
check "… is logged with its received date" test "$(sqlite3 old.db "SELECT received FROM imports WHERE id = 6")" = 2020-09-01
