# history.sh — `yingji history ID` (issue 13 item 2): every version of a record, oldest
# first, with what changed (field: old → new), the file, import id and received date;
# --format json; every dataset; an unknown id exits 2. Figures checked against SQL.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/seeds/units.csv "$ROOT"/seeds/accidents_2020.csv "$ROOT"/seeds/accidents_2020_corrections.csv .
"$YINGJI" --db t.db init >/dev/null
imp() { "$YINGJI" --db t.db import "$@" >/dev/null; }
imp --received 2020-01-02 units units.csv
imp --received 2020-07-03 accidents accidents_2020.csv
imp --received 2020-08-15 accidents accidents_2020_corrections.csv
# a third version of SG2020-007: deaths back to 2, missing 1
sed -n '1p' accidents_2020_corrections.csv > fix2.csv
printf '%s\n' 'SG2020-007,2020-03-13 15:15,2020-03-13 16:54:00,T02,建筑施工,2,1,1,3,260,,normal,2020-05-27,是,,第二次更正' >> fix2.csv
imp --received 2020-09-30 accidents fix2.csv
printf '年度,被考核单位,指标,值\n2020,S01,deaths_cap,3\n' > tg1.csv
printf '年度,被考核单位,指标,值\n2020,S01,deaths_cap,4\n' > tg2.csv
imp --received 2020-01-05 targets tg1.csv
imp --received 2020-02-05 targets tg2.csv
printf '年度,序号,工作任务,牵头单位,协同单位\n2020,1,任务一,S01,S02\n' > tk1.csv
printf '年度,序号,工作任务,牵头单位,协同单位\n2020,1,任务一,S02,S01;S03\n' > tk2.csv
imp --received 2020-01-06 tasks tk1.csv
imp --received 2020-03-06 tasks tk2.csv

expect_status 0 "history of a corrected accident" "$YINGJI" --db t.db history SG2020-007
check "three versions, oldest first" test "$(grep -c '^  version ' out.txt)" -eq \
  "$(sqlite3 t.db "SELECT count(*) + 1 FROM revisions WHERE dataset = 'accidents' AND record_key = 'SG2020-007'")"
contains out.txt "accidents SG2020-007: 3 versions" "header names the dataset and the count"
contains out.txt "  version 1  import 2  received 2020-07-03  accidents_2020.csv" "version 1: import, received date, file"
contains out.txt "  version 2  import 3  received 2020-08-15  accidents_2020_corrections.csv" "version 2"
contains out.txt "  version 3  import 4  received 2020-09-30  fix2.csv  (current)" "version 3 is the current one"
check "version 1 lists the values it had" grep -q '^    deaths: 2$' out.txt
check "version 2: deaths 2 → 3 and the level" test "$(sed -n '/version 2 /,/version 3 /p' out.txt | grep '→')" = \
"    deaths: 2 → 3
    level: 一般 → 较大"
sed -n '/version 3 /,$p' out.txt > v3.txt
check "version 3: deaths 3 → 2, missing 0 → 1" test "$(grep -E '^    (deaths|missing):' v3.txt)" = \
"    deaths: 3 → 2
    missing: 0 → 1"
check "version 3: the level (still 较大 by deaths + missing) is not listed" sh -c "! grep -q level: v3.txt"
contains v3.txt "→ 第二次更正" "version 3: the summary change"
check "current values match the table" test "$(sqlite3 t.db "SELECT deaths || '/' || missing FROM accidents WHERE id = 'SG2020-007'")" = 2/1

expect_status 0 "--format json" "$YINGJI" --db t.db history --format json SG2020-007
check "json: versions, imports, received, superseded_by, values" python3 - out.txt <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r) == 1 and r[0]["dataset"] == "accidents" and r[0]["id"] == "SG2020-007"
v = r[0]["versions"]
assert [x["import"] for x in v] == [2, 3, 4]
assert [x["received"] for x in v] == ["2020-07-03", "2020-08-15", "2020-09-30"]
assert [x["superseded_by"] for x in v] == [3, 4, None]
assert [x["values"]["deaths"] for x in v] == [2, 3, 2]
assert v[0]["changes"] == []
assert {"field": "deaths", "old": 2, "new": 3} in v[1]["changes"]
assert {"field": "missing", "old": 0, "new": 1} in v[2]["changes"]
PY
expect_status 0 "an accident never corrected" "$YINGJI" --db t.db history SG2020-001
contains out.txt "accidents SG2020-001: 1 version" "one version"
contains out.txt "(current)" "… the current one"
expect_status 0 "a target (composite key with a unit code)" "$YINGJI" --db t.db history '2020|S01|deaths_cap'
contains out.txt "targets 2020|S01|deaths_cap: 2 versions" "two versions of the target"
contains out.txt "    value: 3.0 → 4.0" "its value change"
expect_status 0 "a task (unit lists compared too)" "$YINGJI" --db t.db history '2020|1'
contains out.txt "tasks 2020|1: 2 versions" "two versions of the task"
contains out.txt "    lead: S01 → S02" "the lead unit changed, by unit code"
expect_status 0 "an accident's versions name units by code" "$YINGJI" --db t.db history SG2020-007
contains out.txt "    unit_id: T02" "its unit by code in the first version"
expect_status 0 "a unit by its code" "$YINGJI" --db t.db history S01
contains out.txt "units S01: 1 version" "the unit's version"
contains out.txt "    name: 城东街道" "its values"
expect_status 2 "an unknown id" "$YINGJI" --db t.db history NOPE-1
contains err.txt "no record NOPE-1 in any dataset" "says no dataset has it"
expect_status 2 "an unknown id, json" "$YINGJI" --db t.db history --format json NOPE-1
check "nothing on stdout" test ! -s out.txt
expect_status 1 "no id" "$YINGJI" --db t.db history
expect_status 1 "bad --format" "$YINGJI" --db t.db history --format xml SG2020-007
expect_status 2 "no database" "$YINGJI" --db none.db history SG2020-007

# In Chinese the text form names each field by its Chinese column title (JSON keeps the
# stored names: it is data).
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    LANG=zh_CN.UTF-8 "$YINGJI" --db t.db history SG2020-007 >zh.txt 2>&1
    check "zh: a changed field by its title (死亡人数: 2 → 3)" grep -q '^    死亡人数: 2 → 3$' zh.txt
    check "zh: no English field name left in the text" sh -c '! grep -q "^    deaths:" zh.txt'
    LANG=zh_CN.UTF-8 "$YINGJI" --db t.db history --format json SG2020-007 >zhj.txt 2>&1
    check "zh: JSON keeps the stored field names" grep -q '"deaths"' zhj.txt
else
    skip "history in Chinese" "no zh_CN.UTF-8 locale (make deps)"
fi
