# import_rejects_long.sh — a workbook's rejects file (FILE.rejects.xlsx) keeps a long cell
# as it was up to Excel's limit, 32,767 characters — characters, not bytes: 11,000
# Chinese characters (33,000 bytes) are kept whole, and a longer cell is cut at a
# character, never inside one (a cut inside a UTF-8 character made the sheet's XML
# malformed: neither Excel nor yingji could open the rejects file again).
. "$(dirname "$0")/../lib.sh"
python_or_skip 'openpyxl' "long cells in workbook rejects"
units_db t.db
"$PY" - <<'PY'
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["id", "inspected_on", "unit", "sector", "enterprise", "hazards_found"])
ws.append(["L-1", "2020-03-01", "T01", "industry", "测" * 11000, -3])              # 33,000 bytes
ws.append(["L-2", "2020-03-01", "T01", "industry", "a" * 32766 + "测" * 100, -3])  # over the limit
ws.append(["L-3", "2020-03-01", "T01", "industry", "短", 1])
wb.save("long.xlsx")
PY
expect_status 3 "long cells, skip: partial" "$YINGJI" --db t.db import --on-error skip inspections long.xlsx
check "the rejects workbook is written" test -f long.rejects.xlsx
expect_status 2 "the rejects workbook opens again (its rows are still wrong)" \
    "$YINGJI" --db t.db import inspections long.rejects.xlsx
contains err.txt "must not be negative" "  and its rows are read: the error is the row's"
"$PY" - >cells.txt 2>&1 <<'PY'
import openpyxl
ws = openpyxl.load_workbook("long.rejects.xlsx").active
for r in ws.iter_rows(min_row=2, values_only=True):
    print(r[0], len(r[4]), r[4] == "测" * 11000, r[4] == "a" * 32766 + "测")
PY
check "11,000 characters kept whole; a longer cell cut at 32,767 characters" \
    test "$(tr '\n' '|' <cells.txt)" = "L-1 11000 True False|L-2 32767 False True|"
