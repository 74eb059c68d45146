# known_on_datasets.sh — `run --known-on` shows EVERY dataset as known on the day (issue
# 13 item 3): units and their aliases, accidents, inspections, assessments, targets,
# tasks and their units, the *_v views that join them, imports and revisions. Each
# dataset has a record imported after the day (absent as known, present today) and one
# corrected after it (old values as known, new today); a unit alias moves to a unit that
# did not exist yet, a task's cooperating unit changes.
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null
imp() { "$YINGJI" --db t.db import --received "$1" "$2" "$3" >/dev/null 2>imp.err || cat imp.err; }
printf 'code,name,kind,aliases\nT01,甲镇,township,甲\nT02,乙镇,township,\nD01,应急局,department,\n' >u1.csv
printf 'code,name,kind,aliases\nT01,甲新镇,township,甲新\nT03,丙街道,street,甲\n' >u2.csv
printf 'id,occurred_at,reported_at,unit,sector,deaths\nA1,2020-02-01 10:00,,T01,road,1\nA2,2020-02-05 10:00,2020-02-05 11:00,T02,road,0\n' >a1.csv
# A1 corrected; A3 new (named by the new alias); A4 new but reported before the day
printf 'id,occurred_at,reported_at,unit,sector,deaths\nA1,2020-02-01 10:00,,T01,road,2\nA3,2020-06-20 10:00,,甲新,road,1\nA4,2020-06-25 09:00,2020-06-25 10:00,T02,road,0\n' >a2.csv
printf 'id,inspected_on,unit,sector,enterprise,hazards_found\nI1,2020-02-10,T01,road,某厂,2\n' >i1.csv
printf 'id,inspected_on,unit,sector,enterprise,hazards_found\nI1,2020-02-10,T01,road,某厂,5\nI2,2020-06-10,T03,road,某店,1\n' >i2.csv
printf 'year,period,unit,indicator,value\n2020,annual,T01,drills,3\n' >s1.csv
printf 'year,period,unit,indicator,value\n2020,annual,T01,drills,4\n2020,annual,T02,drills,1\n' >s2.csv
printf 'year,unit,indicator,value\n2020,T01,deaths_cap,3\n' >g1.csv
printf 'year,unit,indicator,value\n2020,T01,deaths_cap,2\n2020,T02,deaths_cap,1\n' >g2.csv
printf 'year,no,title,lead,cooperating\n2020,1,任务一,D01,T01\n' >k1.csv
printf 'year,no,title,lead,cooperating\n2020,1,任务一改,D01,T02\n2020,2,任务二,D01,\n' >k2.csv
imp 2020-01-01 units u1.csv
for f in a:accidents i:inspections s:assessments g:targets k:tasks; do
    imp 2020-03-01 "${f#*:}" "${f%%:*}1.csv"
done
imp 2020-08-01 units u2.csv
for f in a:accidents i:inspections s:assessments g:targets k:tasks; do
    imp 2020-08-01 "${f#*:}" "${f%%:*}2.csv"
done

# every dataset as one line (print: on stderr): name, then its rows in key order
cat >q.lua <<'X'
local code = "(SELECT code FROM units u WHERE u.id = %s)"
local function uc(col) return string.format(code, col) end
local q = {
  {"units", "code || ':' || name || ':' || aliases", "units", "code"},
  {"unit_aliases", "alias || '>' || " .. uc("unit_id"), "unit_aliases", "alias"},
  {"accidents", "id || ':' || deaths || ':' || " .. uc("unit_id"), "accidents", "id"},
  {"accidents_v", "id || ':' || unit || ':' || unit_name", "accidents_v", "id"},
  {"inspections", "id || ':' || hazards_found", "inspections", "id"},
  {"inspections_v", "id || ':' || unit_name", "inspections_v", "id"},
  {"assessments", "year || period || ':' || " .. uc("unit_id") .. " || ':' || value", "assessments", "unit_id"},
  {"assessments_v", "unit || ':' || unit_name || ':' || value", "assessments_v", "unit"},
  {"targets", "year || ':' || " .. uc("unit_id") .. " || ':' || value", "targets", "unit_id"},
  {"targets_v", "unit || ':' || unit_name || ':' || value", "targets_v", "unit"},
  {"tasks", "year || '|' || no || ':' || title", "tasks", "no"},
  {"task_units", "no || ':' || " .. uc("unit_id") .. " || ':' || role", "task_units", "no, role, unit_id"},
  {"task_units_v", "no || ':' || unit || ':' || unit_name || ':' || title || ':' || role", "task_units_v", "no, role, unit"},
  {"imports", "dataset || ':' || received", "imports", "id"},
  {"revisions", "dataset || ':' || record_key", "revisions", "id"},
}
for _, d in ipairs(q) do
  print(d[1], sql.value(string.format("SELECT coalesce(group_concat(x, ','), '-') FROM (SELECT %s AS x FROM %s ORDER BY %s)",
    d[2], d[3], d[4])))
end
X
cat >known.txt <<'X'
units	D01:应急局:,T01:甲镇:甲,T02:乙镇:
unit_aliases	甲>T01
accidents	A1:1:T01,A2:0:T02,A4:0:T02
accidents_v	A1:T01:甲镇,A2:T02:乙镇,A4:T02:乙镇
inspections	I1:2
inspections_v	I1:甲镇
assessments	2020annual:T01:3.0
assessments_v	T01:甲镇:3.0
targets	2020:T01:3.0
targets_v	T01:甲镇:3.0
tasks	2020|1:任务一
task_units	1:T01:cooperating,1:D01:lead
task_units_v	1:T01:甲镇:任务一:cooperating,1:D01:应急局:任务一:lead
imports	units:2020-01-01,accidents:2020-03-01,inspections:2020-03-01,assessments:2020-03-01,targets:2020-03-01,tasks:2020-03-01
revisions	-
X
cat >today.txt <<'X'
units	D01:应急局:,T01:甲新镇:甲新,T02:乙镇:,T03:丙街道:甲
unit_aliases	甲>T03,甲新>T01
accidents	A1:2:T01,A2:0:T02,A3:1:T01,A4:0:T02
accidents_v	A1:T01:甲新镇,A2:T02:乙镇,A3:T01:甲新镇,A4:T02:乙镇
inspections	I1:5,I2:1
inspections_v	I1:甲新镇,I2:丙街道
assessments	2020annual:T01:4.0,2020annual:T02:1.0
assessments_v	T01:甲新镇:4.0,T02:乙镇:1.0
targets	2020:T01:2.0,2020:T02:1.0
targets_v	T01:甲新镇:2.0,T02:乙镇:1.0
tasks	2020|1:任务一改,2020|2:任务二
task_units	1:T02:cooperating,1:D01:lead,2:D01:lead
task_units_v	1:T02:乙镇:任务一改:cooperating,1:D01:应急局:任务一改:lead,2:D01:应急局:任务二:lead
imports	units:2020-01-01,accidents:2020-03-01,inspections:2020-03-01,assessments:2020-03-01,targets:2020-03-01,tasks:2020-03-01,units:2020-08-01,accidents:2020-08-01,inspections:2020-08-01,assessments:2020-08-01,targets:2020-08-01,tasks:2020-08-01
revisions	units:T01,accidents:A1,inspections:I1,assessments:2020|annual|T01|drills,targets:2020|T01|deaths_cap,tasks:2020|1
X
expect_status 0 "run --known-on 2020-07-01" "$YINGJI" --db t.db run --known-on 2020-07-01 q.lua
mv err.txt known.out
expect_status 0 "run without --known-on" "$YINGJI" --db t.db run q.lua
mv err.txt today.out
for ds in units unit_aliases accidents accidents_v inspections inspections_v assessments assessments_v \
          targets targets_v tasks task_units task_units_v imports revisions; do
    check "$ds as known on 2020-07-01: the later record absent, the corrected one old" \
        test "$(grep "^$ds	" known.out)" = "$(grep "^$ds	" known.txt)"
    check "$ds today: the later record present, the corrected one new" \
        test "$(grep "^$ds	" today.out)" = "$(grep "^$ds	" today.txt)"
done
# the day everything was known (the last import's day) is today's data; the day before
# the first import nothing is known
expect_status 0 "--known-on 2020-08-01 equals today" "$YINGJI" --db t.db run --known-on 2020-08-01 q.lua
check "… line for line" cmp -s err.txt today.out
expect_status 0 "--known-on 2019-12-31" "$YINGJI" --db t.db run --known-on 2019-12-31 q.lua
check "… every dataset empty" test "$(cut -f2 err.txt | sort -u)" = "-"
# a second correction after the first: each day sees its own version
printf 'year,unit,indicator,value\n2020,T01,deaths_cap,5\n' >g3.csv
printf 'code,name,kind,aliases\nT01,甲三镇,township,甲三\n' >u3.csv
imp 2020-09-01 targets g3.csv
imp 2020-09-01 units u3.csv
for day in 2020-07-01:3.0:甲镇:甲 2020-08-15:2.0:甲新镇:甲新 2020-09-01:5.0:甲三镇:甲三; do
    d=${day%%:*} rest=${day#*:}
    v=${rest%%:*} rest=${rest#*:}
    n=${rest%%:*} a=${rest#*:}
    expect_status 0 "--known-on $d after two corrections" "$YINGJI" --db t.db run --known-on "$d" q.lua
    check "… targets_v shows T01 at $v named $n" grep -q "^targets_v	T01:$n:$v" err.txt
    check "… T01's alias is $a" grep -q "^unit_aliases	\(.*,\)\?$a>T01" err.txt
done
# bad dates: a usage error naming the option, "not a date" said once
expect_status 1 "run --known-on soon: a usage error" "$YINGJI" --db t.db run --known-on soon q.lua
check "… names --known-on and says 'not a date' once" \
    test "$(grep -c -- --known-on err.txt):$(grep -o 'not a date' err.txt | wc -l)" = "1:1"
expect_status 1 "import --received soon: a usage error" "$YINGJI" --db t.db import --received soon units u1.csv
check "… names --received and says 'not a date' once" \
    test "$(grep -c -- --received err.txt):$(grep -o 'not a date' err.txt | wc -l)" = "1:1"
# the old versions' temp tables are filled by yingji itself, never writable by a script
for stmt in "INSERT INTO temp.yj_known_accidents(id) VALUES ('X')" "DELETE FROM temp.yj_known_pending" \
            "DROP TABLE temp.yj_known_units" "UPDATE temp.yj_known_targets SET value = 0"; do
    printf 'sql.query("%s")\n' "$stmt" >w.lua
    expect_status 4 "a script cannot: $stmt" "$YINGJI" --db t.db run --known-on 2020-07-01 w.lua
done
printf 'publish("n", {"n"}, {{n = sql.value("SELECT count(*) FROM temp.yj_known_targets")}})\n' >r.lua
expect_status 0 "reading an old-versions table directly fills it first" "$YINGJI" --db t.db run --known-on 2020-07-01 r.lua
check "… with the one old target" grep -qx 1 out.txt
