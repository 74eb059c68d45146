# compare.sh — `yingji compare OLD.lua NEW.lua` (issue 15): every figure of the
# comparison of the 2020 scheme with the 2021 example on the seed city checked against
# the two schemes' own `yingji run` outputs joined in SQL; units and items on one side
# only; the same scheme against itself; the formats; usage and script errors.
. "$(dirname "$0")/../lib.sh"

cd "$ROOT" || exit 1
expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI"
rm -f out.txt err.txt
cd "$TMP" || exit 1
ASOF=2021-03-31
OLD=scripts/scoring_2020.lua NEW=scripts/scoring_2021_example.lua
yj() { (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" "$@"); }

yj run $OLD --set year=2020 --as-of $ASOF --format json >old.json 2>/dev/null
yj run $NEW --set year=2020 --as-of $ASOF --format json >new.json 2>/dev/null
if yj compare $OLD $NEW --set year=2020 --as-of $ASOF --format json >cmp.json 2>err.txt; then
    ok "compare 2020 with the 2021 example exits 0"
else not_ok "compare exits $?"; sed 's/^/    /' err.txt | head -5; fi

# q SQL: runs SQL with the views o_T, n_T (the runs' tables) and c_T (compare's).
q() {
    sqlite3 :memory: "
      CREATE TEMP VIEW src AS SELECT 'o' s, readfile('old.json') doc
        UNION ALL SELECT 'n', readfile('new.json') UNION ALL SELECT 'c', readfile('cmp.json');
      CREATE TEMP VIEW rows AS SELECT s, t.key tbl, r.value v
        FROM src, json_each(doc) t, json_each(t.value) r;
      $1"
}
# same DESCRIPTION EXPECTED-SQL GOT-SQL: the two queries give the same rows (sorted; SQL's
# round() gives 5.0 where JSON has 5).
same() {
    q "$2" | sed -E 's/\.0(\||$)/\1/g' | sort >want.txt
    q "$3" | sed -E 's/\.0(\||$)/\1/g' | sort >got.txt
    if [ -s want.txt ] && cmp -s want.txt got.txt; then ok "$1"; else
        not_ok "$1"; diff want.txt got.txt | head -10 | sed 's/^/    /'; fi
}
for T in scores department_scores; do
    same "$T: each unit's old and new score, difference, grades and ranks as the two runs say" "
      SELECT json_extract(o.v,'\$.unit'), json_extract(o.v,'\$.score'), json_extract(n.v,'\$.score'),
             round(json_extract(n.v,'\$.score') - json_extract(o.v,'\$.score'), 6),
             json_extract(o.v,'\$.grade'), json_extract(n.v,'\$.grade'),
             CASE WHEN json_extract(o.v,'\$.grade') = json_extract(n.v,'\$.grade') THEN NULL
                  ELSE json_extract(o.v,'\$.grade') || ' → ' || json_extract(n.v,'\$.grade') END,
             json_extract(o.v,'\$.rank') - json_extract(n.v,'\$.rank')
        FROM rows o JOIN rows n ON o.s = 'o' AND n.s = 'n' AND o.tbl = '$T' AND n.tbl = '$T'
         AND json_extract(o.v,'\$.unit') = json_extract(n.v,'\$.unit')" "
      SELECT json_extract(v,'\$.unit'), json_extract(v,'\$.old_score'), json_extract(v,'\$.new_score'),
             json_extract(v,'\$.diff'), json_extract(v,'\$.old_grade'), json_extract(v,'\$.new_grade'),
             json_extract(v,'\$.grade_change'), json_extract(v,'\$.rank_change')
        FROM rows WHERE s = 'c' AND tbl = '$T'"
    same "$T: the summary's counts and extremes from the two runs" "
      WITH d AS (SELECT round(json_extract(n.v,'\$.score') - json_extract(o.v,'\$.score'), 6) d,
                        json_extract(o.v,'\$.grade') IS NOT json_extract(n.v,'\$.grade') g,
                        json_extract(o.v,'\$.rank') != json_extract(n.v,'\$.rank') r
        FROM rows o JOIN rows n ON o.s = 'o' AND n.s = 'n' AND o.tbl = '$T' AND n.tbl = '$T'
         AND json_extract(o.v,'\$.unit') = json_extract(n.v,'\$.unit'))
      SELECT count(*), sum(d != 0), sum(d > 0), sum(d < 0), sum(g), sum(r), round(avg(d), 2),
             min(d), max(d) FROM d" "
      SELECT json_extract(v,'\$.units'), json_extract(v,'\$.changed'), json_extract(v,'\$.up'),
             json_extract(v,'\$.down'), json_extract(v,'\$.grade_changes'),
             json_extract(v,'\$.rank_changes'), json_extract(v,'\$.mean_diff'),
             json_extract(v,'\$.min_diff'), json_extract(v,'\$.max_diff')
        FROM rows WHERE s = 'c' AND tbl = 'summary' AND json_extract(v,'\$.table') = '$T'"
    same "$T: the distribution counts every unit once" "
      SELECT count(*) FROM rows WHERE s = 'o' AND tbl = '$T'" "
      SELECT sum(json_extract(v,'\$.units')) FROM rows
       WHERE s = 'c' AND tbl = 'distribution' AND json_extract(v,'\$.table') = '$T'"
done
same "items: exactly the items whose points differ, or that one scheme lacks" "
  WITH o AS (SELECT json_extract(v,'\$.unit') u, json_extract(v,'\$.item') i, json_extract(v,'\$.points') p
               FROM rows WHERE s = 'o' AND tbl = 'items'),
       n AS (SELECT json_extract(v,'\$.unit') u, json_extract(v,'\$.item') i, json_extract(v,'\$.points') p
               FROM rows WHERE s = 'n' AND tbl = 'items')
  SELECT o.u, o.i, o.p, n.p, round(coalesce(n.p, 0) - o.p, 6) FROM o LEFT JOIN n USING (u, i)
   WHERE n.p IS NULL OR round(n.p - o.p, 6) != 0
  UNION ALL SELECT n.u, n.i, NULL, n.p, n.p FROM n LEFT JOIN o USING (u, i) WHERE o.u IS NULL" "
  SELECT json_extract(v,'\$.unit'), json_extract(v,'\$.item'), json_extract(v,'\$.old_points'),
         json_extract(v,'\$.new_points'), json_extract(v,'\$.diff') FROM rows WHERE s = 'c' AND tbl = 'items'"
same "grade_changes lists every unit whose grade differs" "
  SELECT json_extract(o.v,'\$.unit') FROM rows o JOIN rows n ON o.s = 'o' AND n.s = 'n'
     AND o.tbl = n.tbl AND o.tbl IN ('scores', 'department_scores')
     AND json_extract(o.v,'\$.unit') = json_extract(n.v,'\$.unit')
   WHERE json_extract(o.v,'\$.grade') != json_extract(n.v,'\$.grade')" "
  SELECT json_extract(v,'\$.unit') FROM rows WHERE s = 'c' AND tbl = 'grade_changes'"

# In plain words, so that a change in both the runs and compare cannot pass unseen.
yj compare $OLD $NEW --set year=2020 --as-of $ASOF >cmp.txt 2>/dev/null
contains cmp.txt "T02   石桥镇                  50.76      52.03  1.27  不合格     不合格" "text: T02 50.76 → 52.03, +1.27, still 不合格"
contains cmp.txt "A1 +5; B2 +0.77; B4 -1; B6 removed (-3.5)" "text: T02's moved items with their points"
contains cmp.txt "合格 → 良好" "text: S04's grade change"
contains cmp.txt "2021年度安全生产目标管理责任制考核（示例）  2020  $ASOF" "text: the new scheme's title, year and the as-of date of both runs"
grep -A7 '^movers' cmp.txt | sed -n 4p >top.txt
contains top.txt "T04   青石乡                   2.75" "the largest mover first: T04 +2.75"
yj compare $OLD $NEW --set year=2020 --as-of $ASOF --format csv >cmp.csv 2>/dev/null
contains cmp.csv "S04,北山街道,79.87,80,0.13,合格,良好,合格 → 良好,8,8,0" "csv: S04's row"
contains cmp.csv "# distribution" "csv: every table, the distribution last"

contains cmp.csv "score 79.87 → 80; grade 合格 → 良好" "csv: S04's changes, worded as verify words them (scores T07: score … → …; grade … → …)"

# --- xlsx: one sheet per table and 说明, Chinese titles, formats, frozen header ---------
expect_status 0 "compare --format xlsx -o writes the workbook" yj compare $OLD $NEW --set year=2020 --as-of $ASOF --format xlsx -o "$TMP/cmp.xlsx"
check "... nothing on stdout" test ! -s out.txt
sleep 1
yj compare $OLD $NEW --set year=2020 --as-of $ASOF --format xlsx -o "$TMP/cmp2.xlsx" 2>/dev/null
check "the same comparison twice gives the same bytes" cmp -s cmp.xlsx cmp2.xlsx
check "it is a zip (PK)" sh -c 'head -c 2 cmp.xlsx | grep -q PK'
PY=$(python_with 'openpyxl')
if [ -n "$PY" ]; then
    # Every sheet but 说明 as CSV (names as headers, as `--format csv` prints): compared
    # whole with compare's CSV; then the titles, formats and frozen header.
    "$PY" - cmp.xlsx cmp.json >xl.txt 2>py.err <<'EOF'
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
names = json.load(open(sys.argv[2]))
def text(v):
    if v is None: return ""
    if hasattr(v, "strftime"): return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v == int(v): return str(int(v))
    return str(v)
def csvcell(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s
for ws in wb.worksheets:
    if ws.title == "说明": continue
    print("# " + ws.title)
    rows = list(ws.iter_rows(values_only=True))
    cols = list(names[ws.title][0].keys()) if names[ws.title] else []
    print(",".join(cols))
    for r in rows[1:]: print(",".join(csvcell(text(v)) for v in r))
print("SHEETS " + " ".join(ws.title for ws in wb.worksheets))
s = wb["scores"]
print("HEAD " + " ".join(c.value for c in s[1]))
print("FREEZE %s FORMAT %s %s" % (s.freeze_panes, s["C2"].number_format, s["D2"].number_format))
print("NOTES " + " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True)))
EOF
    grep -v '^SHEETS\|^HEAD\|^FREEZE\|^NOTES' xl.txt >xl.csv
    if cmp -s xl.csv cmp.csv; then ok "xlsx: every sheet holds what --format csv prints"
    else not_ok "xlsx: the sheets differ from the CSV"; diff xl.csv cmp.csv | head -5 | sed 's/^/    /'; head -3 py.err; fi
    contains xl.txt "SHEETS comparison scores department_scores items summary movers grade_changes distribution 说明" "xlsx: one sheet per table, then 说明"
    contains xl.txt "HEAD 单位代码 单位名称 原方案得分 新方案得分 差值 原等级 新等级 等级变化 原排名 新排名 排名变化 变动项目 变化明细" "xlsx: Chinese column titles"
    contains xl.txt "FREEZE A2 FORMAT 0.00 0.00" "xlsx: frozen header, scores as 0.00"
    contains xl.txt "NOTES 项目 生成程序 截至日期 脚本（原方案）" "xlsx: 说明 names the old scheme's script"
    contains xl.txt "脚本（新方案）" "... and the new one's"
else
    unzip -p cmp.xlsx xl/workbook.xml >wb.xml 2>/dev/null
    contains wb.xml 'name="scores"' "xlsx (no openpyxl): the scores sheet"
    contains wb.xml 'name="说明"' "xlsx (no openpyxl): the 说明 sheet"
    unzip -p cmp.xlsx xl/sharedStrings.xml xl/worksheets/sheet2.xml >sh.xml 2>/dev/null
    contains sh.xml "原方案得分" "xlsx (no openpyxl): Chinese titles"
    contains sh.xml "石桥镇" "xlsx (no openpyxl): T02's row"
fi

# --known-on: both runs read the data as known then (one state), as `run --known-on` does.
yj run $OLD --set year=2020 --as-of $ASOF --known-on 2021-02-01 --format csv 2>/dev/null | grep '^S02,' | head -1 | cut -d, -f3 >k_run.txt
yj compare $OLD $NEW --set year=2020 --as-of $ASOF --known-on 2021-02-01 --format csv >k_cmp.csv 2>/dev/null
got=$(grep '^S02,' k_cmp.csv | head -1 | cut -d, -f3)
check "--known-on 2021-02-01: S02's old score is run --known-on's ($got = $(cat k_run.txt), today 76.12)" \
    test -n "$got" -a "$got" = "$(cat k_run.txt)" -a "$got" != 76.12
expect_status 1 "an impossible --known-on is a usage error" yj compare $OLD $NEW --known-on 2021-02-30

# A scheme against itself: nothing moves.
yj compare $OLD $OLD --set year=2020 --as-of $ASOF --format json >self.json 2>/dev/null
got=$(sqlite3 :memory: "SELECT json_array_length(readfile('self.json'), '\$.items'),
  json_extract(readfile('self.json'), '\$.summary[0].changed'),
  json_extract(readfile('self.json'), '\$.summary[0].grade_changes'),
  json_extract(readfile('self.json'), '\$.distribution[4].units')")
check "the 2020 scheme against itself: no item, no change, 11 units at 0 ($got)" test "$got" = "0|0|0|11"

# Units and items on one side only, from two small schemes.
# scheme FILE SCORES ITEMS: a scheme publishing those rows (Lua) of scores and items.
scheme() {
    printf '%s\n' "publish(\"scores\", {\"unit\", \"name\", \"score\", \"grade\", \"rank\"}, {$2})" \
        "publish(\"items\", {\"unit\", \"item\", \"title\", \"points\"}, {$3})" >"$1"
}
scheme old.lua '
  {unit = "U1", name = "甲", score = 80, grade = "良好", rank = 1},
  {unit = "U2", name = "乙", score = 70.5, grade = "合格", rank = 2}' '
  {unit = "U1", item = "A", title = "一", points = 50}, {unit = "U1", item = "B", title = "二", points = 30},
  {unit = "U2", item = "A", title = "一", points = 70.5}'
scheme new.lua '
  {unit = "U3", name = "丙", score = 90, grade = "优秀", rank = 1},
  {unit = "U2", name = "乙", score = 60, grade = "不合格", rank = 2}' '
  {unit = "U2", item = "A", title = "一", points = 50}, {unit = "U2", item = "C", title = "三", points = 10},
  {unit = "U3", item = "A", title = "一", points = 90}'
"$YINGJI" --db seed.db compare old.lua new.lua --format csv >side.csv 2>err.txt
contains side.csv "U1,甲,80,,,良好,,,1,,,A removed (-50); B removed (-30)" "a unit only old schemes: its scores and items, no difference"
contains side.csv "U2,乙,70.5,60,-10.5,合格,不合格,合格 → 不合格,2,2,0,A -20.5; C added (+10)" "a unit on both sides: moved and added items"
contains side.csv "U3,丙,,90,,,优秀,,,1,,A added (+90)" "a unit only the new scheme scores, listed after the old's units"
contains side.csv "scores,3,1,0,1,1,0,1,1,-10.5,-10.5,-10.5,-10.5" "summary: 3 units, 1 only old, 1 only new, one difference"

# Errors: usage 1, a script error or no score table 4.
expect_status 1 "one scheme only is a usage error" "$YINGJI" --db seed.db compare old.lua
contains err.txt "usage: yingji compare" "... with the usage"
expect_status 1 "three schemes are a usage error" "$YINGJI" --db seed.db compare old.lua new.lua old.lua
expect_status 1 "an unknown option is a usage error" "$YINGJI" --db seed.db compare --frobnicate old.lua new.lua
expect_status 1 "an unknown format is a usage error" "$YINGJI" --db seed.db compare old.lua new.lua --format yaml
contains err.txt "text, csv, json or xlsx" "... naming the formats compare writes"
expect_status 1 "xlsx without -o is a usage error (never binary to a terminal)" "$YINGJI" --db seed.db compare old.lua new.lua --format xlsx
contains err.txt "give it with -o FILE.xlsx" "... saying to give -o"
check "... and nothing on stdout" test ! -s out.txt
expect_status 1 "-o with a text format is a usage error" "$YINGJI" --db seed.db compare old.lua new.lua -o x.txt
check "... and no file is written" test ! -e x.txt
expect_status 1 "-o over the database is refused" "$YINGJI" --db seed.db compare old.lua new.lua --format xlsx -o seed.db
check "... and the database is untouched" sqlite3 seed.db "SELECT count(*) FROM units"
expect_status 1 "a bad --as-of is a usage error" "$YINGJI" --db seed.db compare old.lua new.lua --as-of 2020-02-30
expect_status 0 "--help exits 0" "$YINGJI" compare --help
contains out.txt "rank_change is old rank - new rank" "--help explains rank_change"
echo 'error("broken scheme")' >bad.lua
expect_status 4 "a failing new scheme exits 4" "$YINGJI" --db seed.db compare old.lua bad.lua
contains err.txt "bad.lua:1: broken scheme" "... with the script's error"
expect_status 1 "a missing scheme file is a usage error (exit 1)" "$YINGJI" --db seed.db compare missing.lua new.lua
echo 'publish("t", {"a"}, {{a = 1}})' >noscore.lua
expect_status 4 "schemes publishing no unit/score table exit 4" "$YINGJI" --db seed.db compare noscore.lua noscore.lua
contains err.txt "publishes a table with unit and score columns" "... saying what is missing"
expect_status 2 "a missing database exits 2 like run" "$YINGJI" --db nowhere.db compare old.lua new.lua

# A unit published twice is compared once (its first row), on either side.
cat >dup.lua <<'EOF2'
publish("scores", {"unit", "score"}, {{unit = "U9", score = 1}, {unit = "U9", score = 2}})
EOF2
"$YINGJI" --db seed.db compare old.lua dup.lua --format csv >dup.csv 2>/dev/null
got=$(grep -c '^U9,' dup.csv)
check "a repeated unit of the new scheme is listed once ($got)" test "$got" -eq 1
"$YINGJI" --db seed.db compare dup.lua dup.lua --format csv >dup2.csv 2>/dev/null
contains dup2.csv "scores,1,0,0,0,0,0,0,0,0,0,0,0" "a repeated unit on both sides: one unit, unchanged"
