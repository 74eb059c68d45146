# import_xlsx.sh — .xlsx workbooks as one more source of the importer: the same rows as
# the CSV twin (identical tables), title and total rows skipped with a warning, merged
# unit cells, date-formatted cells (1900 and 1904 systems), shared, inline and rich-text
# strings, formulas by their cached value, positions FILE:SHEET!CELL, --sheet; and the
# hostile workbooks, each a clear error, exit 2, the database unchanged. The workbooks
# are made here by tests/data/xlsx/make_workbooks.py (openpyxl, xlwt, raw zips).
. "$(dirname "$0")/../lib.sh"
PY=$(python_with 'openpyxl, xlwt')
if [ -z "$PY" ]; then
    skip "xlsx workbooks" "python3-openpyxl and python3-xlwt are not installed (make deps)"
    exit 0
fi
"$PY" "$ROOT/tests/data/xlsx/make_workbooks.py" . || { not_ok "make_workbooks.py ran"; exit 0; }
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units "$ROOT/tests/data/import/units.csv" >/dev/null
cp t.db c.db

expect_status 0 "workbook: imported" "$YINGJI" --db t.db import accidents 事故台账.xlsx
check "workbook: summary line" test "$(cat out.txt)" = \
  "事故台账.xlsx: 3 rows: 3 new, 0 updated, 0 unchanged, 0 rejected (encoding xlsx); 2 warnings"
contains err.txt "事故台账.xlsx:事故!3: warning: skipped 2 rows above the header: 1 '2020年事故台账', 2 '填报日期：2020年7月1日'" \
  "workbook: title rows skipped with one warning"
contains err.txt "事故台账.xlsx:事故: warning: skipped 2 rows of totals or notes: 7 '合计', 8 '填表人：张三'" \
  "workbook: 合计 and 填表人 rows skipped with one warning"
check "workbook: merged unit cell fills the rows it covers" test "$(q "SELECT unit_id FROM accidents WHERE id = 'SG-2'")" = 1
check "workbook: date-time and custom date formats read as dates" \
  test "$(q "SELECT occurred_at || '|' || closed_on FROM accidents WHERE id = 'SG-1'")" = "2020-01-15 08:30:00|2020-03-01"
check "workbook: import log has the file's SHA-256" \
  test "$(q "SELECT sha256 FROM imports WHERE file = '事故台账.xlsx'")" = "$(sha256sum 事故台账.xlsx | cut -d' ' -f1)"

expect_status 0 "CSV twin: imported (its 合计 row skipped too)" "$YINGJI" --db c.db import accidents accidents.csv
contains err.txt "accidents.csv: warning: skipped 1 row of totals or notes: 5 '合计'" "CSV: the 合计 row skipped with a warning"
check "the same rows via CSV and via xlsx give identical tables" \
  test "$(sqlite3 t.db '.dump accidents')" = "$(sqlite3 c.db '.dump accidents')"

# the same title lines above a CSV file's header
"$YINGJI" --db d.db init >/dev/null
"$YINGJI" --db d.db import units "$ROOT/tests/data/import/units.csv" >/dev/null
{ printf '2020年事故台账\n填报单位：青山镇,填报日期：2020-07-01\n'; cat accidents.csv; } > titled.csv
expect_status 0 "CSV with title lines: imported" "$YINGJI" --db d.db import accidents titled.csv
contains err.txt "titled.csv:3: warning: skipped 2 lines above the header: 1 '2020年事故台账', 2 '填报单位：青山镇'" \
  "CSV: title lines skipped with one warning"
check "CSV with title lines: the same table" test "$(sqlite3 d.db '.dump accidents')" = "$(sqlite3 c.db '.dump accidents')"
printf 'foo,bar,baz\nSG-1,2020-01-01,x\n' > wrong.csv
expect_status 2 "CSV: a wrong header is still reported as one (not skipped as a title)" \
  "$YINGJI" --db d.db import accidents wrong.csv
contains err.txt "wrong.csv:1: missing required column 'id'" "CSV: the wrong header's line named"

before=$(dbdump t.db)
expect_status 2 "a bad value: rejected" "$YINGJI" --db t.db import accidents bad_value.xlsx
contains err.txt "bad_value.xlsx:Sheet1!E12: deaths: must not be negative (got '-1')" "a row error names sheet and cell"
check "a rejected workbook leaves the database unchanged" test "$(dbdump t.db)" = "$before"
expect_status 3 "--on-error skip: good rows land" "$YINGJI" --db t.db import --on-error skip accidents bad_value.xlsx
contains out.txt "bad_value.xlsx: 11 rows: 10 new, 0 updated, 0 unchanged, 1 rejected (encoding xlsx)" "skip: summary"
check "skip: the rejects file is a workbook" test -s bad_value.rejects.xlsx -a ! -e bad_value.rejects.csv

expect_status 2 "a formula without a cached value" "$YINGJI" --db t.db import accidents formula_nocache.xlsx
contains err.txt "formula_nocache.xlsx:Sheet!E2: deaths: a formula without a saved value: open and save the file in Excel or WPS" \
  "the formula's cell named"
expect_status 2 "an error value in a column" "$YINGJI" --db t.db import accidents error_value.xlsx
contains err.txt "error_value.xlsx:Sheet1!E2: deaths: the cell holds the error #DIV/0!" "the error value named"

expect_status 0 "1904 date system, inline and rich-text strings, cached formula values" \
  "$YINGJI" --db t.db import accidents edge_1904.xlsx
check "1904: serial 42000 is 2018-12-28, .5 is noon; rich text without its phonetic run; cached values" \
  test "$(q "SELECT group_concat(occurred_at || '/' || unit_id || '/' || sector || '/' || deaths, ' ') FROM accidents WHERE id LIKE 'R-%' ORDER BY id")" = \
  "2018-12-28/2/road/2 2018-12-28 12:00:00/2/road/0"
expect_status 0 "1900 date system" "$YINGJI" --db t.db import accidents edge_1900.xlsx
check "1900: serial 42000 is 2014-12-27" test "$(q "SELECT occurred_at FROM accidents WHERE id = 'R-1'")" = "2014-12-27"

# committed, assembled by hand: elements with a namespace prefix (x:), rows and cells
# without references, a sheet and shared strings at unusual paths, a t="d" ISO cell
cp "$ROOT/tests/data/xlsx/prefixed_noref.xlsx" .
expect_status 0 "prefixed elements, cells without references" "$YINGJI" --db t.db import accidents prefixed_noref.xlsx
check "prefixed: the row read by position" \
  test "$(q "SELECT occurred_at || '/' || unit_id || '/' || sector || '/' || deaths FROM accidents WHERE id = 'P-1'")" = \
  "2020-07-01 09:15:00/2/road/1"

expect_status 2 "serial 60 (Excel's 1900-02-29) is no date" "$YINGJI" --db t.db import accidents leap1900.xlsx
contains err.txt "leap1900.xlsx:Sheet1!B2: occurred_at: no such date (got '1900-02-29')" "1900-02-29 named"

expect_status 0 "a two-row header (伤亡情况 merged over 死亡/失踪/重伤)" "$YINGJI" --db t.db import accidents two_row_header.xlsx
check "two-row header: each column read" \
  test "$(q "SELECT deaths || '/' || missing || '/' || serious_injuries || '/' || unit_id FROM accidents WHERE id = 'T-1'")" = "1/2/3/2"
contains err.txt "two_row_header.xlsx:Sheet1: warning: skipped 1 row of totals or notes: 4 '注：本表数据截至4月底'" "a 注 line skipped"
check "two-row header: its upper row is not reported as a title" test "$(grep -c 'above the header' err.txt)" = 0

expect_status 2 "two sheets with the header: an error" "$YINGJI" --db t.db import accidents two_sheets.xlsx
contains err.txt "more than one sheet has the columns of accidents: '一月', '二月'; choose one with --sheet" "both sheets listed"
expect_status 0 "--sheet NAME" "$YINGJI" --db t.db import --sheet 二月 accidents two_sheets.xlsx
check "--sheet NAME: that sheet's rows" test "$(q "SELECT count(*) FROM accidents WHERE id = 'M-2'")" = 1
expect_status 0 "--sheet N" "$YINGJI" --db t.db import --sheet 1 accidents two_sheets.xlsx
check "--sheet N: the first sheet's rows" test "$(q "SELECT count(*) FROM accidents WHERE id = 'M-1'")" = 1
expect_status 2 "--sheet with no such sheet" "$YINGJI" --db t.db import --sheet 三月 accidents two_sheets.xlsx
contains err.txt "no sheet '三月' in the workbook (its sheets: '一月', '二月')" "the sheets listed"

expect_status 0 "an empty last cell of the sheet (XFD1048576) is nothing" "$YINGJI" --db t.db import accidents far_cell.xlsx

before=$(dbdump t.db)
hostile() {  # FILE MESSAGE
    expect_status 2 "hostile $1: rejected" timeout 60 "$YINGJI" --db t.db import accidents "$1"
    contains err.txt "$2" "hostile $1: says why"
    check "hostile $1: database unchanged" test "$(dbdump t.db)" = "$before"
}
hostile dtd.xlsx "dtd.xlsx: a DTD in the workbook's XML (refused"
hostile dtd_sheet.xlsx "a DTD in the workbook's XML"
hostile bomb.xlsx "bomb.xlsx:Sheet1: workbook part xl/worksheets/sheet1.xml is compressed more than 200 to 1"
hostile big_sst.xlsx "workbook part xl/sharedStrings.xml inflates to 105078861 bytes, more than the 104857600 allowed"
hostile outside.xlsx "outside.xlsx:Sheet1!2: cell reference 'XFE2' outside the sheet"
hostile outside_row.xlsx "row reference '1048577' outside the sheet"
hostile wide.xlsx "wide.xlsx:Sheet1!IW2: a value in column IW, past the 256 columns a table may have"
hostile truncated.xlsx "truncated.xlsx: not a readable .xlsx workbook (corrupt or truncated zip"
hostile notbook.xlsx "notbook.xlsx: not an .xlsx workbook (a zip without xl/workbook.xml)"

# .xls (BIFF8, written by xlwt) through libfreexl: the same rows as the CSV twin
cp c.db x.db
sqlite3 x.db "DELETE FROM accidents; DELETE FROM imports WHERE dataset = 'accidents'"
expect_status 0 ".xls: imported" "$YINGJI" --db x.db import accidents accidents.xls
check ".xls: summary line" test "$(cat out.txt)" = \
  "accidents.xls: 3 rows: 3 new, 0 updated, 0 unchanged, 0 rejected (encoding xls); 2 warnings"
contains err.txt "accidents.xls:事故!2: warning: skipped 1 row above the header: 1 '2020年事故台账'" ".xls: title row skipped"
contains err.txt "accidents.xls:事故: warning: skipped 1 row of totals or notes: 6 '合计'" ".xls: 合计 row skipped"
check ".xls: the same rows as the CSV twin" \
  test "$(sqlite3 x.db '.dump accidents' | sed 's/,[0-9]*);$//')" = "$(sqlite3 c.db '.dump accidents' | sed 's/,[0-9]*);$//')"
before=$(dbdump x.db)
expect_status 2 "a corrupt .xls: rejected" "$YINGJI" --db x.db import accidents corrupt.xls
contains err.txt "corrupt.xls: not a readable .xls workbook" "a corrupt .xls: says why"
check "a corrupt .xls: database unchanged" test "$(dbdump x.db)" = "$before"
