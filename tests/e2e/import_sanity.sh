# import_sanity.sh — sanity warnings on import (issue 17): a date after the day the file
# was received, a main date years away from the file's other rows, deaths too many for
# the given accident level. Each names FILE:LINE:COL and the value, is counted in the
# summary, is capped like other warnings, and the rows are still imported.
. "$(dirname "$0")/../lib.sh"
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
cp "$ROOT"/tests/data/import/units.csv .
"$YINGJI" --db t.db import units units.csv >/dev/null 2>&1
H=事故编号,发生时间,报告时间,属地,行业领域,死亡人数,事故等级,结案日期

# --- a date in the future, relative to --received
cat > future.csv <<CSV
$H
A1,2020-03-05,,T01,road,0,,
A2,2031-03-05,,T01,road,0,,
A3,2020-03-06,,T01,road,0,,2031-01-01
A4,2020-03-07,,T01,road,0,,
CSV
expect_status 0 "future dates: imported (warnings only)" \
    "$YINGJI" --db t.db import --received 2020-06-30 accidents future.csv
contains err.txt "future.csv:3:2: warning: occurred_at: '2031-03-05' is after the day the file was received, 2020-06-30" \
    "an accident dated 2031 names file:line:col and the value"
check "closed_on may be a planned day: not checked" sh -c '! grep -q "closed_on" err.txt'
contains out.txt "0 rejected (encoding utf-8); 1 warning" "the summary counts the warnings"
check "the rows with future dates are imported" test "$(q "SELECT count(*) FROM accidents")" = 4
check "a date on the received day is no warning" sh -c '! grep -q "A4\|:5:" err.txt'
"$YINGJI" --db t.db import --received 2020-03-06 accidents future.csv >out.txt 2>err.txt
contains err.txt "future.csv:5:2: warning: occurred_at: '2020-03-07' is after the day the file was received, 2020-03-06" \
    "the day after --received is in the future"
check "the day of --received itself is not" sh -c '! grep -q "2020-03-06'"'"' is after" err.txt'
printf '%s\nR1,2020-03-05,2031-03-06,T01,road,0,,\n' "$H" > reported.csv
"$YINGJI" --db t.db import --received 2020-06-30 accidents reported.csv >out.txt 2>err.txt
contains err.txt "reported.csv:2:3: warning: reported_at: '2031-03-06' is after the day the file was received, 2020-06-30" \
    "reported_at (checked against occurred_at) is an event date too"
# without --received: today
printf '%s\nA9,2099-01-01,,T01,road,0,,\n' "$H" > far.csv
"$YINGJI" --db t.db import accidents far.csv >out.txt 2>err.txt
contains err.txt "far.csv:2:2: warning: occurred_at: '2099-01-01' is after the day the file was received, $(date +%Y-%m-%d)" \
    "without --received the day is today"

# --- a date years away from the file's other rows
{ echo "$H"; for i in 01 02 03 04 05 06 07 08; do echo "B$i,2020-$i-10,,T01,road,0,,"; done
  echo "B09,2002-05-10,,T01,road,0,,"; echo "B10,2019-12-30,,T01,road,0,,"; } > outlier.csv
expect_status 0 "outlier: imported" "$YINGJI" --db t.db import --received 2020-12-31 accidents outlier.csv
contains err.txt "outlier.csv:10:2: warning: occurred_at: '2002-05-10' is years away from the file's other rows (2019-2020)" \
    "2002 in a 2019-2020 file is flagged with file:line:col"
check "only the outlier is flagged" test "$(grep -c 'years away' err.txt)" = 1
contains out.txt "; 1 warning" "the outlier is counted in the summary"
check "the outlier row is imported" test "$(q "SELECT occurred_at FROM accidents WHERE id = 'B09'")" = 2002-05-10
# a file that spans years evenly has no outlier
{ echo "$H"; for y in 2011 2012 2013 2014 2015 2016 2017 2018 2019 2020; do echo "C$y,$y-05-10,,T01,road,0,,"; done; } > span.csv
"$YINGJI" --db t.db import --received 2020-12-31 accidents span.csv >out.txt 2>err.txt
check "ten consecutive years: no outlier warning" sh -c '! grep -q "years away" err.txt'
# inspections: the same check on inspected_on
printf '检查编号,检查日期,属地,行业领域,企业名称,发现隐患数\nI1,2020-01-01,T01,road,甲,1\nI2,2020-02-01,T01,road,乙,1\nI3,2020-03-01,T01,road,丙,1\nI4,1999-03-01,T01,road,丁,1\n' > insp.csv
"$YINGJI" --db t.db import --received 2020-12-31 inspections insp.csv >out.txt 2>err.txt
contains err.txt "insp.csv:5:2: warning: inspected_on: '1999-03-01' is years away from the file's other rows (2020-2020)" \
    "inspections: an outlying inspected_on"
# capped like other warnings: 60 rows of 2020, 30 in the future, 25 of 2005
{ echo "$H"; i=100; while [ $i -lt 160 ]; do echo "D$i,2020-05-10,,T01,road,0,,"; i=$((i+1)); done
  i=0; while [ $i -lt 30 ]; do echo "E$i,2030-05-10,,T01,road,0,,"; i=$((i+1)); done
  i=0; while [ $i -lt 25 ]; do echo "F$i,2005-05-10,,T01,road,0,,"; i=$((i+1)); done; } > many.csv
"$YINGJI" --db t.db import --received 2020-12-31 --max-errors 3 accidents many.csv >out.txt 2>err.txt
check "future dates capped at --max-errors 3" test "$(grep -c "is after the day" err.txt)" = 4
contains err.txt "... and 27 more warnings \"occurred_at: '...' is after the day the file was received, 2020-12-31" \
    "the rest counted by kind"
check "a future date is not also an outlier" sh -c '! grep -q "2030-05-10'"'"' is years away" err.txt'
check "outliers capped at --max-errors 3" test "$(grep -c "' is years away" err.txt)" = 4
contains err.txt "... and 17 more warnings \"occurred_at: '...' is years away" "outliers past the cap counted"
contains err.txt "many.csv: warning: occurred_at: 5 more rows dated '2005', years away from the file's other rows (2020-2020)" \
    "outliers past the rows remembered are counted in one warning"
contains out.txt "; 51 warnings" "every warning counted in the summary, listed or not"
check "all 115 rows imported" test "$(q "SELECT count(*) FROM accidents WHERE id GLOB '[DEF]*'")" = 115

# --- deaths above what the given level allows (Decree 493: 一般 at most 2 deaths)
printf '%s\nL1,2020-05-10,,T01,road,5,一般,\nL2,2020-05-11,,T01,road,2,一般,\nL3,2020-05-12,,T01,road,5,,\n' "$H" > level.csv
expect_status 0 "deaths vs level: imported" "$YINGJI" --db t.db import --received 2020-12-31 accidents level.csv
contains err.txt "level.csv:2:7: warning: level: given '一般' but the figures make it '较大' (Decree 493); '一般' kept" \
    "5 deaths with level 一般: a warning naming file:line:col"
check "2 deaths with 一般 is consistent" test "$(grep -c warning err.txt)" = 1
contains out.txt "; 1 warning" "the level warning is counted"
check "the given level is kept, an empty one derived" test \
    "$(q "SELECT group_concat(level, ' ') FROM (SELECT level FROM accidents WHERE id LIKE 'L%' ORDER BY id)")" = "一般 一般 较大"

# --- a workbook names SHEET!CELL
PY=$(python_with 'openpyxl')
if [ -n "$PY" ]; then
    "$PY" - <<'PY'
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "事故"
ws.append(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"])
ws.append(["X1", "2020-05-10", "T01", "road", 0])
ws.append(["X2", "2031-03-05", "T01", "road", 0])
wb.save("future.xlsx")
PY
    "$YINGJI" --db t.db import --received 2020-12-31 accidents future.xlsx >out.txt 2>err.txt
    contains err.txt "future.xlsx:事故!B3: warning: occurred_at: '2031-03-05' is after the day" "a workbook: SHEET!CELL"
else
    skip "a workbook: SHEET!CELL" "python3-openpyxl missing"
fi
