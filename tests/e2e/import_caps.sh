# import_caps.sh — messages of one kind are capped (issue 10, item 18): --max-errors N
# (100) of each kind are listed, then "... and N more"; unknown-column warnings, the
# per-row level warnings, row errors and file errors each have their own count, so a
# flood of one never hides another (the reason a file was rejected is always shown);
# the rejects file stays complete; a header wider than a file may be is refused once.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/units.csv .
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
H='id,inspected_on,unit,sector,enterprise,hazards_found'

# 100,000 unknown columns: refused with one line, not 100,000
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%sx%d", (i > 1 ? "," : ""), i; print "" }' > wide.csv
expect_status 2 "100,000 columns: rejected" "$YINGJI" --db t.db import inspections wide.csv
check "100,000 columns: a few lines of messages" test "$(wc -l < err.txt)" -le 3
contains err.txt "wide.csv:1: the header has 100000 fields, more than the 256 a file may have" "100,000 columns: says why"
# ... also when the dataset's columns come first (it used to be accepted, rows unchecked)
{ printf '%s' "$H"; awk 'BEGIN { for (i = 1; i <= 100000; i++) printf ",x%d", i; print "" }'
  echo "W-1,2020-03-01,T01,industry,x,1"; } > wide2.csv
expect_status 2 "known columns, then 100,000 more: rejected" "$YINGJI" --db t.db import inspections wide2.csv
check "known columns, then 100,000 more: one error" test "$(wc -l < err.txt)" -eq 2

# 250 unknown columns: 100 warnings, then a count of the rest
{ printf '%s' "$H"; awk 'BEGIN { for (i = 1; i <= 250; i++) printf ",x%d", i; print "" }'
  printf 'C-1,2020-03-01,T01,industry,x,1'; awk 'BEGIN { for (i = 1; i <= 250; i++) printf ","; print "" }'; } > cols.csv
expect_status 0 "250 unknown columns: imported" "$YINGJI" --db t.db import inspections cols.csv
check "250 unknown columns: 100 warnings listed" test "$(grep -c "warning: unknown column" err.txt)" -eq 100
check "250 unknown columns: then the count of the rest" test "$(tail -1 err.txt)" = \
  "cols.csv: ... and 150 more warnings \"unknown column '...' ignored\""
expect_status 0 "--max-errors 3 caps warnings too" "$YINGJI" --db t.db import --max-errors 3 inspections cols.csv
check "--max-errors 3: 3 warnings and the count" test "$(wc -l < err.txt)" -eq 4

# a level warning on each of 150 rows: capped the same way, the rows stored
{ echo "id,occurred_at,unit,sector,deaths,level"
  i=1; while [ $i -le 150 ]; do echo "A-$i,2020-03-01,T01,road,0,重大"; i=$((i + 1)); done; } > levels.csv
expect_status 0 "150 level warnings: imported" "$YINGJI" --db t.db import accidents levels.csv
check "150 level warnings: 100 listed" test "$(grep -c "warning: level:" err.txt)" -eq 100
contains err.txt "levels.csv: ... and 50 more warnings \"level: given '...' but the figures make it '...' (Decree 493); '...' kept\"" "150 level warnings: the count of the rest"
check "150 level warnings: all rows stored" test "$(q "SELECT count(*) FROM accidents WHERE id LIKE 'A-%'")" = 150

# row errors in skip mode: 5 listed, the rejects file has all 150
{ echo "$H"; i=1; while [ $i -le 150 ]; do echo "R-$i,2020-03-01,T01,industry,x,-1"; i=$((i + 1)); done
  echo "R-ok,2020-03-01,T01,industry,x,1"; } > rows.csv
expect_status 3 "150 bad rows, skip: partial" "$YINGJI" --db t.db import --on-error skip --max-errors 5 inspections rows.csv
check "150 bad rows: 5 errors listed" test "$(grep -c "must not be negative" err.txt)" -eq 5
contains err.txt "rows.csv: ... and 145 more errors" "150 bad rows: the count of the rest"
check "150 bad rows: the rejects file has every one" test "$(wc -l < rows.rejects.csv)" -eq 151

# a file error after many row errors is still shown: it is why the file was rejected
{ echo "$H"; i=1; while [ $i -le 10 ]; do echo "E-$i,2020-03-01,T01,industry,x,-1"; i=$((i + 1)); done
  printf 'E-11,2020-03-01,T01,industry,"unterminated,1\n'; } > late.csv
expect_status 2 "row errors then a syntax error" "$YINGJI" --db t.db import --on-error skip --max-errors 3 inspections late.csv
contains err.txt "late.csv:12:5: unterminated quoted field (the file ends inside quotes)" "the syntax error is listed after capped row errors"
contains err.txt "late.csv: ... and 7 more errors" "the row errors are counted"
