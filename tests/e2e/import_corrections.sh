# import_corrections.sh — a corrections file updates only the columns that changed
# (imp_store.c: one UPDATE per set of changed columns, so an index whose columns did not
# change is not rewritten): the indexes of dates and units still find every corrected
# record, revisions keep the old values, and the database is sound.
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null
printf 'code,name,kind\nT01,甲镇,township\nT02,乙镇,township\n' >u.csv
printf 'id,occurred_at,unit,sector,deaths\nA1,2020-02-01 10:00,T01,road,1\nA2,2020-02-05 10:00,T01,road,0\nA3,2020-03-05 10:00,T02,fire,0\nA4,2020-04-05 10:00,T02,fire,2\n' >a1.csv
# A1 moves in time, A2 to another unit, A3 only its deaths, A4 its date and deaths
printf 'id,occurred_at,unit,sector,deaths\nA1,2020-05-01 10:00,T01,road,1\nA2,2020-02-05 10:00,T02,road,0\nA3,2020-03-05 10:00,T02,fire,4\nA4,2020-01-01 08:00,T02,fire,3\n' >a2.csv
"$YINGJI" --db t.db import units u.csv >/dev/null
"$YINGJI" --db t.db import accidents a1.csv >/dev/null
expect_status 0 "the corrections import" "$YINGJI" --db t.db import accidents a2.csv
contains out.txt "4 updated" "every record updated"
q() { sqlite3 t.db "$1" | tr '\n' ' '; }
check "the date index finds the moved records" test \
  "$(q "SELECT id FROM accidents INDEXED BY accidents_by_date WHERE occurred_at < '2020-02-02' OR occurred_at >= '2020-05-01' ORDER BY occurred_at")" = "A4 A1 "
check "… and not at their old dates" test \
  "$(q "SELECT count(*) FROM accidents INDEXED BY accidents_by_date WHERE occurred_at >= '2020-04-01' AND occurred_at < '2020-05-01'")" = "0 "
check "the unit index finds the record moved to T02" test \
  "$(q "SELECT id FROM accidents INDEXED BY accidents_by_unit WHERE unit_id = (SELECT id FROM units WHERE code = 'T02') ORDER BY id")" = "A2 A3 A4 "
check "the figures are the corrected ones" test "$(q "SELECT deaths, level FROM accidents ORDER BY id")" = "1|一般 0|一般 4|较大 3|较大 "
check "revisions keep the old values" test \
  "$(q "SELECT record_key || ':' || json_extract(old_values, '$.deaths') || ':' || json_extract(old_values, '$.occurred_at') FROM revisions ORDER BY record_key")" = \
  "A1:1:2020-02-01 10:00:00 A2:0:2020-02-05 10:00:00 A3:0:2020-03-05 10:00:00 A4:2:2020-04-05 10:00:00 "
check "integrity_check" test "$(sqlite3 t.db 'PRAGMA integrity_check')" = ok
expect_status 0 "info --check" "$YINGJI" --db t.db info --check
# units: a renamed unit (its aliases rewritten), and a rename onto another's name refused
printf 'code,name,kind,aliases\nT01,甲新镇,township,甲\n' >u2.csv
expect_status 0 "a unit renamed" "$YINGJI" --db t.db import units u2.csv
check "… by its new name and alias" test "$(q "SELECT name || ':' || (SELECT group_concat(alias) FROM unit_aliases a WHERE a.unit_id = u.id) FROM units u WHERE code = 'T01'")" = "甲新镇:甲 "
printf 'code,name,kind\nT01,乙镇,township\n' >u3.csv
expect_status 2 "a rename onto another unit's name is refused" "$YINGJI" --db t.db import units u3.csv
contains err.txt "already the name of another unit" "… saying so"
check "integrity_check after all" test "$(sqlite3 t.db 'PRAGMA integrity_check')" = ok
