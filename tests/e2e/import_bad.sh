# import_bad.sh — what is really wrong is rejected with the exact FILE:LINE:COLUMN error,
# every error listed, exit status 2, and the database byte-for-byte unchanged.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/*.csv .
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
"$YINGJI" --db t.db import inspections inspections_bom.csv >/dev/null 2>&1

# rejected NAME DATASET FILE [OPTIONS...] < expected stderr
rejected() {
    name=$1 dataset=$2 file=$3; shift 3
    cat >expected.txt
    before=$(dbdump t.db); sum_before=$(sha256sum <t.db)
    expect_status 2 "$name: rejected" "$YINGJI" --db t.db import "$@" "$dataset" "$file"
    if cmp -s err.txt expected.txt; then ok "$name: exact errors"; else
        not_ok "$name: exact errors"; diff expected.txt err.txt | head -10 | sed 's/^/    /'; fi
    check "$name: nothing on stdout" test ! -s out.txt
    check "$name: dump unchanged" test "$(dbdump t.db)" = "$before"
    check "$name: database file unchanged" test "$(sha256sum <t.db)" = "$sum_before"
}

rejected "unterminated quote" inspections bad_unterminated.csv <<'X'
bad_unterminated.csv:3:5: unterminated quoted field (the file ends inside quotes)
bad_unterminated.csv: rejected (1 error), nothing imported
X
rejected "quote inside an unquoted field" inspections bad_quote.csv <<'X'
bad_quote.csv:2:5: malformed quoting (a '"' inside an unquoted field, or text after a closing quote)
bad_quote.csv: rejected (1 error), nothing imported
X
rejected "wrong column count" inspections bad_columns.csv <<'X'
bad_columns.csv:3:5: expected 6 fields, found 5
bad_columns.csv:4:7: expected 6 fields, found 7
bad_columns.csv: rejected (2 errors), nothing imported
X
rejected "bad values, all listed" inspections bad_values.csv <<'X'
bad_values.csv:2:2: inspected_on: no such date (got '2020-02-30')
bad_values.csv:3:3: unit: unknown unit (got '不存在镇')
bad_values.csv:4:6: hazards_found: must not be negative (got '-1')
bad_values.csv:5:7: major_hazards: 3 is more than hazards_found 2
bad_values.csv:5:8: hazards_rectified: 5 is more than hazards_found 2
bad_values.csv:6:4: sector: unknown sector (got '钢铁'); valid sectors: agri_machinery 农业机械, construction 建筑施工, fire 火灾, fireworks 烟花爆竹, gas 城镇燃气, hazchem 危险化学品, industry 工贸, mining 非煤矿山, other 其他, road 道路运输, special_equipment 特种设备, waterway 水上交通
bad_values.csv:6:9: fine: misplaced thousands separator (got '1,2,3')
bad_values.csv:6:10: suspended: not a yes/no value (是/否, Y/N, 1/0, true/false, 有/无) (got '也许')
bad_values.csv:7:2: inspected_on: Excel serial 60 is 1900-02-29, a date that does not exist (got '60')
bad_values.csv: rejected (9 errors), nothing imported
X
rejected "duplicate id" inspections bad_duplicate.csv <<'X'
bad_duplicate.csv:4:1: id: duplicate 'JC-1' (an earlier row of this file has it)
bad_duplicate.csv: rejected (1 error), nothing imported
X
# JC-0001 is already in the database: a repeat of it in one file is still a duplicate
{ head -1 inspections_bom.csv; sed -n 2p inspections_bom.csv; sed -n 2p inspections_bom.csv; } > dup_existing.csv
rejected "duplicate of an unchanged stored record" inspections dup_existing.csv <<'X'
dup_existing.csv:1:14: warning: unknown column '备注' ignored
dup_existing.csv:3:1: id: duplicate 'JC-0001' (an earlier row of this file has it)
dup_existing.csv: rejected (1 error), nothing imported
X
rejected "missing required columns" inspections bad_missing_column.csv <<'X'
bad_missing_column.csv:1: missing required column 'sector' (行业领域)
bad_missing_column.csv:1: missing required column 'hazards_found' (发现隐患数)
bad_missing_column.csv: rejected (2 errors), nothing imported
X
: > empty.csv
rejected "empty file" inspections empty.csv <<'X'
empty.csv:1: empty file (no header line)
empty.csv: rejected (1 error), nothing imported
X
printf '\037\213\010\000\000\000\000\000\000\003\313H\315\311\311\007\000\206\246\020\066\005\000\000\000' > garbage.csv
rejected "binary garbage" inspections garbage.csv <<'X'
garbage.csv:1: binary data (a NUL byte): not a CSV text file
garbage.csv: rejected (1 error), nothing imported
X
# (a GB18030 file, by its other rows: with no valid GB18030 line the file would be
# neither UTF-8 nor GB18030 and refused as a whole, see import_encoding.sh)
printf 'id,inspected_on,unit,sector,enterprise,hazards_found\r\nJC-9,2020-03-02,T01,industry,\201\040abc,1\r\nJC-10,2020-03-02,T01,industry,\262\342\312\324,1\r\nJC-11,2020-03-02,T01,industry,\262\342,1\r\n' > bad_gb.csv
rejected "invalid GB18030 bytes" inspections bad_gb.csv <<'X'
bad_gb.csv:2:5: invalid GB18030 byte sequence
bad_gb.csv: rejected (1 error), nothing imported
X
{ echo "id,inspected_on,unit,sector,enterprise,hazards_found"
  printf 'JC-9,2020-03-02,T01,industry,"'; head -c 1048576 /dev/zero | tr '\0' x; echo '",1'
  echo "JC-10,2020-03-03,T01,industry,ok,1"; } > big_field.csv
rejected "a 1 MB field" inspections big_field.csv <<'X'
big_field.csv:2:5: enterprise: field is 1048576 bytes, longer than the 65536-byte limit
big_field.csv: rejected (1 error), nothing imported
X
{ echo "id,inspected_on,unit,sector,enterprise,hazards_found"
  for i in 1 2 3 4 5; do echo "E-$i,2020-03-0$i,T01,industry,x,-$i"; done; } > many.csv
rejected "errors capped with a count of the rest" inspections many.csv --max-errors 3 <<'X'
many.csv:2:6: hazards_found: must not be negative (got '-1')
many.csv:3:6: hazards_found: must not be negative (got '-2')
many.csv:4:6: hazards_found: must not be negative (got '-3')
many.csv: ... and 2 more errors
many.csv: rejected (5 errors), nothing imported
X
printf 'code,name,kind\nT09,城关镇,township\n' > unit_name_taken.csv
rejected "unit name already used" units unit_name_taken.csv <<'X'
unit_name_taken.csv:2:2: name: '城关镇' is already the name of another unit
unit_name_taken.csv: rejected (1 error), nothing imported
X
printf 'id,occurred_at,reported_at,unit,sector,deaths\nA-1,2020-03-05 10:00,2020-03-05 09:00,T01,road,0\n' > reported_before.csv
rejected "reported before it occurred" accidents reported_before.csv <<'X'
reported_before.csv:2:3: reported_at: 2020-03-05 09:00:00 is before occurred_at 2020-03-05 10:00:00
reported_before.csv: rejected (1 error), nothing imported
X
printf 'year,no,title,lead\n2020,1,任务,不存在的局\n' > task_unknown.csv
rejected "unknown unit in a task list" tasks task_unknown.csv <<'X'
task_unknown.csv:2:4: lead: unknown unit '不存在的局'
task_unknown.csv: rejected (1 error), nothing imported
X
printf 'id,inspected_on,unit,sector,enterprise,hazards_found,inspector\nJC-8,2020-03-02,T01,industry,x,1,T02\n' > inspector_township.csv
rejected "inspector must be a department" inspections inspector_township.csv <<'X'
inspector_township.csv:2:7: inspector: not a department (got 'T02')
inspector_township.csv: rejected (1 error), nothing imported
X
printf 'id,inspected_on,unit,sector,enterprise,hazards_found,检查编号\nJC-7,2020-03-02,T01,industry,x,1,JC-7\n' > repeated_header.csv
rejected "a column given twice" inspections repeated_header.csv <<'X'
repeated_header.csv:1:7: column '检查编号' repeats column 1 (both are id)
repeated_header.csv: rejected (1 error), nothing imported
X
