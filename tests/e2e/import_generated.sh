# import_generated.sh — bench/gen writes data the importer takes whole, the same bytes
# every time; and units/tasks rows that fail in the database are undone in skip mode.
. "$(dirname "$0")/../lib.sh"
GEN=$BUILD/bench/gen
"$YINGJI" --db t.db init >/dev/null
"$GEN" units 30 > units.csv
"$GEN" --units 30 inspections 500 > insp.csv
"$GEN" --units 30 accidents 200 > acc.csv
"$GEN" --units 30 targets > targets.csv
"$GEN" --units 30 assessments > assess.csv
"$GEN" --units 30 tasks 12 > tasks.csv
check "generator is deterministic" test "$("$GEN" --units 30 inspections 500 | sha256sum)" = "$(sha256sum < insp.csv)"
check "the seed changes the values" test "$("$GEN" --seed 2 --units 30 inspections 500 | sha256sum)" != "$(sha256sum < insp.csv)"
# imports DATASET FILE "N rows: N new" DESCRIPTION
imports() {
    expect_status 0 "generated $1" "$YINGJI" --db t.db import "$1" "$2"
    contains out.txt "$3" "$4"
}
imports units units.csv "50 rows: 50 new" "30 area units and 20 departments"
imports inspections insp.csv "500 rows: 500 new" "all inspections land"
imports accidents acc.csv "200 rows: 200 new" "all accidents land"
imports targets targets.csv "240 rows: 240 new" "4 indicators x 30 units x 2 years"
imports assessments assess.csv "210 rows: 210 new" "7 values x 30 units"
imports tasks tasks.csv "12 rows: 12 new" "all tasks land"
check "unit codes are predictable" test "$(sqlite3 t.db "SELECT code || ' ' || kind FROM units WHERE code IN ('U00001','U00009','D01') ORDER BY code")" = \
  "$(printf 'D01 department\nU00001 township\nU00009 zone')"

# skip mode: an alias taken by another unit undoes that unit's whole row
printf 'code,name,kind,aliases\nN01,新镇甲,township,甲\nN02,新镇乙,township,甲\nN03,新镇丙,township,丙\n' > newunits.csv
expect_status 3 "alias conflict skipped" "$YINGJI" --db t.db import --on-error skip units newunits.csv
contains err.txt "newunits.csv:3:4: aliases: '甲' is already an alias of another unit" "alias conflict named"
check "the conflicting unit is not half-stored" test "$(sqlite3 t.db "SELECT count(*) FROM units WHERE code = 'N02'")" = 0
check "the other units landed" test "$(sqlite3 t.db "SELECT group_concat(code) FROM (SELECT code FROM units WHERE code LIKE 'N%' ORDER BY code)")" = "N01,N03"

# GB18030 across read chunks (128 KiB): the same rows as the UTF-8 original
# (16 chunk boundaries in mostly two-byte characters: some fall inside a character)
awk 'BEGIN { print "id,inspected_on,unit,sector,enterprise,hazards_found"
  t = "安全生产标准化企业危险化学品仓储有限公司"
  for (i = 1; i <= 6000; i++) { e = ""; for (k = 0; k < 9; k++) e = e t; print "JC-" i ",2020-03-02,U00001,industry," e i ",1" } }' > big_utf8.csv
iconv -f UTF-8 -t GB18030 big_utf8.csv > big_gb.csv
check "the GB18030 file spans many read chunks" test "$(wc -c < big_gb.csv)" -gt 2000000
"$YINGJI" --db u.db import units units.csv >/dev/null
cp u.db g.db
"$YINGJI" --db u.db import inspections big_utf8.csv >/dev/null
expect_status 0 "large GB18030 file" "$YINGJI" --db g.db import inspections big_gb.csv
contains out.txt "6000 rows: 6000 new, 0 updated, 0 unchanged, 0 rejected (encoding gb18030)" "detected and fully read"
check "GB18030 rows equal the UTF-8 rows" test \
  "$(sqlite3 g.db 'SELECT * FROM inspections ORDER BY id' | sha256sum)" = "$(sqlite3 u.db 'SELECT * FROM inspections ORDER BY id' | sha256sum)"
