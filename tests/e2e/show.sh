# show.sh — `yingji show ID` (issue 15): the record with a natural id from any dataset of
# the registry, labelled in Chinese, its values checked against SQL on the seed city;
# units by code (any case) or name; composite keys not searched; errors.
. "$(dirname "$0")/../lib.sh"

cd "$ROOT" || exit 1
expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI"
rm -f out.txt err.txt
cd "$TMP" || exit 1
sql() { sqlite3 seed.db "$1"; }

expect_status 0 "show an accident" "$YINGJI" --db seed.db show SG2020-007
cp out.txt acc.txt
contains acc.txt "accidents SG2020-007" "the dataset and the id head the record"
# line LABEL VALUE: the record has the line "LABEL<blanks>VALUE".
line() {
    if grep -qE "^$1 +$(printf '%s' "$2" | sed 's/[].[*^$()+?{|\\]/\\&/g')\$" acc.txt; then
        ok "$1 is $2"; else not_ok "$1 is not $2"; grep "^$1" acc.txt | sed 's/^/    /'; fi
}
line 事故编号 SG2020-007
line 发生时间 "$(sql "SELECT occurred_at FROM accidents WHERE id = 'SG2020-007'")"
line 属地 "$(sql "SELECT u.code || ' ' || u.name FROM accidents a JOIN units u ON u.id = a.unit_id WHERE a.id = 'SG2020-007'")"
line 行业领域 "$(sql "SELECT s.name FROM accidents a JOIN sectors s ON s.code = a.sector WHERE a.id = 'SG2020-007'")"
line 死亡人数 "$(sql "SELECT deaths FROM accidents WHERE id = 'SG2020-007'")"
line "直接经济损失（万元）" "$(sql "SELECT printf('%g', direct_loss) FROM accidents WHERE id = 'SG2020-007'")"
line 事故等级 "$(sql "SELECT level FROM accidents WHERE id = 'SG2020-007'")事故"
line 报告情况 正常
line 结案日期 "$(sql "SELECT closed_on FROM accidents WHERE id = 'SG2020-007'")"
line 生产经营性 是
line 核销 否
n=$(grep -c . acc.txt)
want=$(($(sql "SELECT length(summary) - length(replace(summary, char(10), '')) FROM accidents WHERE id = 'SG2020-007'") + 17))
check "every column of the registry, one line each (the summary's $((want - 17)) more lines indented): $n" test "$n" -eq "$want"

# JSON: the same record, every stored column, through the run writers.
"$YINGJI" --db seed.db show JC2020-00119 --format json >insp.json
got=$(sqlite3 :memory: "SELECT group_concat(json_extract(value, '\$.column') || '=' || json_extract(value, '\$.value'), ',')
  FROM json_each(readfile('insp.json'), '\$.inspections')")
want=$(sql "SELECT 'id=' || i.id || ',inspected_on=' || inspected_on || ',unit=' || u.code || ' ' || u.name
  || ',sector=' || s.name || ',enterprise=' || enterprise || ',kind=计划,hazards_found=' || hazards_found
  || ',major_hazards=' || major_hazards || ',hazards_rectified=' || hazards_rectified
  || ',penalty_cases=' || penalty_cases || ',fine=' || printf('%g', fine) || ',suspended=否,inspector=' || d.code || ' ' || d.name
  FROM inspections i JOIN units u ON u.id = i.unit_id JOIN sectors s ON s.code = i.sector
  JOIN units d ON d.id = i.inspector_id WHERE i.id = 'JC2020-00119'")
check "json: the inspection's columns as SQL reads them" test "$got" = "$want"
contains insp.json '"label": "罚款金额（元）"' "json: labels in Chinese with the money's unit"

# Units: by code in any case, by name.
expect_status 0 "a unit by its code in lower case" "$YINGJI" --db seed.db show t02
contains out.txt "单位名称  石桥镇" "... is 石桥镇"
expect_status 0 "a unit by its name" "$YINGJI" --db seed.db show 石桥镇
contains out.txt "units T02" "... is T02"
contains out.txt "类型      乡镇" "... kind shown as the files write it"
"$YINGJI" --db seed.db show D08 --format csv >d08.csv
contains d08.csv "类型,部门,kind" "csv: a department's kind"

# Not found: exit 2 with the message; a composite key (targets) is no natural id.
expect_status 2 "an unknown id exits 2" "$YINGJI" --db seed.db show SG2099-999
contains err.txt "no record SG2099-999 in any dataset" "... saying so"
test -s out.txt && not_ok "... and prints nothing on stdout" || ok "... and prints nothing on stdout"
expect_status 2 "an indicator name is no record id" "$YINGJI" --db seed.db show deaths_cap
expect_status 2 "SQL in the id is only text" "$YINGJI" --db seed.db show "x' OR '1'='1"

# Usage and the database.
expect_status 1 "no id is a usage error" "$YINGJI" --db seed.db show
expect_status 1 "two ids are a usage error" "$YINGJI" --db seed.db show T01 T02
expect_status 1 "an unknown option is a usage error" "$YINGJI" --db seed.db show --all T01
expect_status 1 "--format xlsx (show prints text, csv or json) is a usage error" "$YINGJI" --db seed.db show T01 --format xlsx
expect_status 1 "an unknown format is a usage error" "$YINGJI" --db seed.db show T01 --format xml
expect_status 0 "--db after the command works too" "$YINGJI" show --db seed.db T01
expect_status 2 "a missing database exits 2" "$YINGJI" --db nowhere.db show T01
expect_status 0 "--help exits 0" "$YINGJI" show --help
contains out.txt "usage: yingji show" "... with the usage"
