# import_skip.sh — --on-error skip: good rows land, bad rows go verbatim (with the reason)
# to FILE.rejects.csv, exit status 3; several files; usage errors.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/*.csv .
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null

expect_status 3 "skip: partial import" "$YINGJI" --db t.db import --on-error skip inspections bad_columns.csv
check "skip: summary names the rejects file" test "$(cat out.txt)" = \
  "bad_columns.csv: 3 rows: 1 new, 0 updated, 0 unchanged, 2 rejected (encoding utf-8); rejected rows in bad_columns.rejects.csv"
contains err.txt "bad_columns.csv:3:5: expected 6 fields, found 5" "skip: errors still listed"
check "skip: good row stored" test "$(q "SELECT group_concat(id) FROM inspections")" = "JC-1"
printf '\357\273\277id,inspected_on,unit,sector,enterprise,hazards_found,error\r\nJC-2,2020-03-03,T01,industry,某厂,"expected 6 fields, found 5"\r\nJC-3,2020-03-04,T01,industry,某厂,3,多余,"expected 6 fields, found 7"\r\n' > want.csv
check "skip: rejects file has a BOM (UTF-8 input), the header, the bad rows and their reasons" cmp bad_columns.rejects.csv want.csv
check "skip: import log counts the rejected rows" test "$(q "SELECT rows_new || '/' || rows_rejected FROM imports WHERE file = 'bad_columns.csv'")" = "1/2"

expect_status 3 "skip: several reasons in one row" "$YINGJI" --db t.db import --on-error skip inspections bad_values.csv
check "skip: all bad" test "$(q "SELECT count(*) FROM inspections")" = 1
contains bad_values.rejects.csv ",hazards_found: must not be negative (got '-1')" "skip: reason in the rejects file"
contains bad_values.rejects.csv 'major_hazards: 3 is more than hazards_found 2; hazards_rectified: 5 is more than hazards_found 2' "skip: several reasons joined"

expect_status 2 "skip: a CSV syntax error still rejects the file" "$YINGJI" --db t.db import --on-error skip inspections bad_unterminated.csv
check "skip: no rejects file for a rejected file" test ! -e bad_unterminated.rejects.csv

expect_status 0 "several files, each its own summary" "$YINGJI" --db t.db import accidents accidents_gb18030.csv accidents_correction.csv
check "two summary lines" test "$(wc -l <out.txt)" -eq 2
before=$(dbdump t.db)
expect_status 2 "one bad file among good ones: status 2" "$YINGJI" --db t.db import inspections bad_duplicate.csv inspections_bom.csv
contains out.txt "inspections_bom.csv: 4 rows: 4 new" "the good file still lands"
check "the bad file left nothing" test "$(q "SELECT count(*) FROM inspections WHERE id = 'JC-2'")" = 0

expect_status 1 "unknown dataset" "$YINGJI" --db t.db import nothing units.csv
contains err.txt "unknown dataset 'nothing'" "unknown dataset named"
expect_status 1 "no file" "$YINGJI" --db t.db import units
expect_status 1 "bad --on-error" "$YINGJI" --db t.db import --on-error maybe units units.csv
expect_status 1 "bad --encoding" "$YINGJI" --db t.db import --encoding latin1 units units.csv
expect_status 0 "import --help" "$YINGJI" import --help
contains out.txt "--on-error" "help lists the options"
expect_status 2 "missing file" "$YINGJI" --db t.db import units nosuch.csv
contains err.txt "nosuch.csv: cannot open: No such file or directory" "missing file named"
expect_status 2 "a pipe is refused" sh -c 'cat units.csv | "$YINGJI" --db t.db import units /dev/stdin'
contains err.txt "/dev/stdin: not a regular file" "pipe refusal explained"
