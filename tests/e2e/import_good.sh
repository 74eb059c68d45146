# import_good.sh — the real-world-shaped corpus imports cleanly: GB18030, BOM, CRLF,
# quoted newlines, Chinese headers, money suffixes, corrections, re-import.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/*.csv .
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null

expect_status 0 "units import" "$YINGJI" --db t.db import units units.csv
check "units summary line" test "$(cat out.txt)" = \
  "units.csv: 7 rows: 7 new, 0 updated, 0 unchanged, 0 rejected (encoding utf-8)"
check "kinds from Chinese words" test "$(q "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM units ORDER BY code)")" = \
  "department department street street township township zone"
check "aliases split at ; ； 、" test "$(q "SELECT group_concat(alias, ' ') FROM (SELECT alias FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE u.code IN ('S01','Z01') ORDER BY alias)")" = \
  "东城 东城街道办事处 开发区 经开区"

expect_status 0 "GB18030 accidents with CRLF" "$YINGJI" --db t.db import accidents accidents_gb18030.csv
contains out.txt "accidents_gb18030.csv: 5 rows: 5 new, 0 updated, 0 unchanged, 0 rejected (encoding gb18030)" "GB18030 detected"
check "level warning names file:line:column" test "$(cat err.txt)" = \
  "accidents_gb18030.csv:6:11: warning: level: given '一般' but the figures make it '较大' (Decree 493); '一般' kept"
check "quoted CRLF newline kept" test "$(q "SELECT summary FROM accidents WHERE id = 'SG2020-002'")" = "$(printf '脚手架坍塌，\r\n二人坠落')"
check "(元) header divides by 10,000; separators" test "$(q "SELECT direct_loss FROM accidents WHERE id = 'SG2020-002'")" = "120.0"
check "level derived from deaths + missing (Decree 493)" test "$(q "SELECT level FROM accidents WHERE id = 'SG2020-002'")" = "较大"
check "level derived when absent" test "$(q "SELECT level FROM accidents WHERE id = 'SG2020-001'")" = "一般"
check "date forms and Excel serial" test "$(q "SELECT group_concat(occurred_at, '|') FROM (SELECT occurred_at FROM accidents ORDER BY id)")" = \
  "2020-01-15 08:30:00|2020-02-29|2020-03-10|2020-04-02|2020-05-01 10:00:00"
check "units by name, alias and code" test "$(q "SELECT group_concat(unit, ' ') FROM (SELECT unit FROM accidents_v ORDER BY id)")" = "T01 T02 S01 Z01 T01"
check "sectors by Chinese name and code" test "$(q "SELECT group_concat(sector, ' ') FROM (SELECT sector FROM accidents ORDER BY id)")" = "road construction hazchem industry fire"
check "booleans and report status" test "$(q "SELECT production || written_off || report_status FROM accidents WHERE id = 'SG2020-005'")" = "01normal"
check "quotes inside a quoted field" test "$(q "SELECT summary FROM accidents WHERE id = 'SG2020-004'")" = '粉尘爆炸,"有限空间"'
check "trailing spaces trimmed" test "$(q "SELECT summary FROM accidents WHERE id = 'SG2020-005'")" = "住宅火灾"

expect_status 0 "UTF-8 BOM inspections" "$YINGJI" --db t.db import inspections inspections_bom.csv
contains out.txt "inspections_bom.csv: 4 rows: 4 new, 0 updated, 0 unchanged, 0 rejected (encoding utf-8)" "blank trailing rows are not rows"
check "unknown column: one warning" test "$(cat err.txt)" = "inspections_bom.csv:1:14: warning: unknown column '备注' ignored"
check "BOM stripped from the first header" test "$(q "SELECT count(*) FROM inspections WHERE id LIKE 'JC-%'")" = 4
check "(万元) header multiplies fine by 10,000" test "$(q "SELECT fine FROM inspections WHERE id = 'JC-0002'")" = "12000.0"
check "thousands separators in counts" test "$(q "SELECT hazards_found || '/' || hazards_rectified FROM inspections WHERE id = 'JC-0002'")" = "1024/1000"
check "enterprise with a quoted CRLF newline" test "$(q "SELECT enterprise FROM inspections WHERE id = 'JC-0002'")" = "$(printf '东城化工有限公司\r\n（二分厂）')"
check "kind and suspended words" test "$(q "SELECT group_concat(kind || suspended, ' ') FROM (SELECT * FROM inspections ORDER BY id)")" = "plan0 random1 special0 complaint1"
check "inspector by alias, name and code" test "$(q "SELECT group_concat(inspector_id, ' ') FROM (SELECT * FROM inspections ORDER BY id)")" = "6 6 7 6"

dump_before=$(dbdump t.db)
expect_status 0 "re-import of the same file" "$YINGJI" --db t.db import inspections inspections_bom.csv
check "re-import says unchanged" test "$(cat out.txt)" = \
  "inspections_bom.csv: 4 rows: 0 new, 0 updated, 4 unchanged, 0 rejected (encoding utf-8); no changes; 1 warning"
check "re-import changes no record (only the import log grows)" test \
  "$(dbdump t.db | grep -v 'INSERT INTO imports')" = "$(printf '%s\n' "$dump_before" | grep -v 'INSERT INTO imports')"

expect_status 0 "correction file" "$YINGJI" --db t.db import accidents accidents_correction.csv
contains out.txt "2 rows: 1 new, 1 updated, 0 unchanged, 0 rejected" "correction counted as an update"
check "corrected deaths stored" test "$(q "SELECT deaths FROM accidents WHERE id = 'SG2020-001'")" = 2
check "revision keeps old values and both batches" test \
  "$(q "SELECT record_key, json_extract(old_values, '\$.deaths'), json_extract(old_values, '\$.summary'), old_batch, new_batch FROM revisions")" = \
  "SG2020-001|1|货车与摩托车相撞|2|5"

expect_status 0 "assessments" "$YINGJI" --db t.db import assessments assessments.csv
check "periods normalised" test "$(q "SELECT group_concat(period, ' ') FROM (SELECT period FROM assessments ORDER BY period)")" = "2020-06 Q1 annual annual"
expect_status 0 "targets" "$YINGJI" --db t.db import targets targets.csv
check "target values" test "$(q "SELECT value FROM targets_v WHERE unit = 'S01'")" = "1200.0"
expect_status 0 "tasks" "$YINGJI" --db t.db import tasks tasks.csv
check "task unit lists with mixed separators" test \
  "$(q "SELECT group_concat(role || ':' || unit, ' ') FROM (SELECT * FROM task_units_v WHERE no = 2 ORDER BY role, unit)")" = \
  "cooperating:D01 cooperating:S01 cooperating:T01 lead:D02"
expect_status 0 "tasks again" "$YINGJI" --db t.db import tasks tasks.csv
contains out.txt "3 unchanged" "task lists compare equal on re-import"
sed 's/应急局；T01,S01/应急局/' tasks.csv > tasks2.csv
expect_status 0 "tasks with a changed list" "$YINGJI" --db t.db import tasks tasks2.csv
contains out.txt "1 updated" "a changed unit list is an update"
check "old list in the revision" test "$(q "SELECT json_extract(old_values, '\$.cooperating') FROM revisions WHERE dataset = 'tasks'")" = "1,3,6"
check "new list stored" test "$(q "SELECT count(*) FROM task_units WHERE no = 2")" = 2

expect_status 2 "forced UTF-8 on a GB18030 file" "$YINGJI" --db t.db import --encoding utf-8 accidents accidents_gb18030.csv
contains err.txt "accidents_gb18030.csv:1:1: invalid UTF-8 byte sequence in the header (bytes CA C2); is the file GB18030? try --encoding gb18030" "invalid UTF-8 named by line and column"
expect_status 0 "forced GB18030" "$YINGJI" --db t.db import --encoding gb18030 accidents accidents_gb18030.csv
contains out.txt "(encoding gb18030)" "forced encoding reported"
check "import log holds the file's SHA-256" test \
  "$(q "SELECT sha256 FROM imports WHERE file = 'units.csv'")" = "$(sha256sum units.csv | cut -d' ' -f1)"
printf 'year,unit,indicator,value\n2021,t01,deaths_cap,3\n' > lower.csv
expect_status 0 "unit codes match case-insensitively" "$YINGJI" --db t.db import targets lower.csv
check "header-only file: zero rows" sh -c 'head -1 targets.csv > header_only.csv && "$YINGJI" --db t.db import targets header_only.csv | grep -qF "header_only.csv: 0 rows: 0 new"'
