# import_rejects_office.sh — the rejects file of --on-error skip is one the office can
# fix where it works (issue 14): a workbook's rejects are FILE.rejects.xlsx (the header
# as in the input, the rejected rows as they appeared, an error column); a CSV's are in
# the input's own encoding (GB18030 stays GB18030, UTF-8 gets a BOM so Excel opens it).
# Each is fixed and imported again: the rows land.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/units.csv .
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
H='id,inspected_on,unit,sector,enterprise,hazards_found'

# --- UTF-8: the rejects file starts with a BOM ---
{ echo "$H"; echo "U-1,2020-03-01,T01,industry,测试一,1"; echo "U-2,2020-03-02,T01,industry,测试二,-3"
  echo "U-3,2020-03-03,T01,industry,测试三,1"; } > utf.csv
expect_status 3 "UTF-8 CSV, skip: partial" "$YINGJI" --db t.db import --on-error skip inspections utf.csv
check "UTF-8: the rejects file starts with a BOM" test "$(head -c 3 utf.rejects.csv | od -An -tx1 | tr -d ' ')" = efbbbf
check "UTF-8: the header and the row as they were, and the reason" \
  test "$(tail -c +4 utf.rejects.csv | tr -d '\r' | cut -d, -f1-6 | tr '\n' '|')" = "$H|U-2,2020-03-02,T01,industry,测试二,-3|"
contains utf.rejects.csv "must not be negative" "UTF-8: the error column says why"
sed 's/,-3,/,3,/' utf.rejects.csv > utf_fixed.csv
expect_status 0 "UTF-8: the fixed rejects file imports" "$YINGJI" --db t.db import inspections utf_fixed.csv
contains err.txt "unknown column 'error' ignored" "UTF-8: the error column is ignored with a warning"
check "UTF-8: the fixed row landed" test "$(q "SELECT enterprise || hazards_found FROM inspections WHERE id = 'U-2'")" = "测试二3"

# --- GB18030 in, GB18030 out ---
{ echo "$H"; echo "G-1,2020-03-01,T01,industry,测试一,1"; echo "G-2,2020-03-02,T01,industry,测试二,-3"; } |
  iconv -f UTF-8 -t GB18030 > gb.csv
expect_status 3 "GB18030 CSV, skip: partial" "$YINGJI" --db t.db import --on-error skip inspections gb.csv
contains out.txt "(encoding gb18030)" "GB18030: read as GB18030"
check "GB18030: the rejects file has no BOM" test "$(head -c 2 gb.rejects.csv)" = id
check "GB18030: the rejects file is not UTF-8" sh -c '! iconv -f UTF-8 -t UTF-8 gb.rejects.csv >/dev/null 2>&1'
check "GB18030: it decodes as GB18030 to the row as it was" \
  test "$(iconv -f GB18030 -t UTF-8 gb.rejects.csv | tr -d '\r' | sed -n 2p | cut -d, -f1-6)" = "G-2,2020-03-02,T01,industry,测试二,-3"
check "GB18030: the reason is in GB18030 too" sh -c 'iconv -f GB18030 -t UTF-8 gb.rejects.csv | grep -q "must not be negative"'
iconv -f GB18030 -t UTF-8 gb.rejects.csv | sed 's/,-3,/,3,/' | iconv -f UTF-8 -t GB18030 > gb_fixed.csv
expect_status 0 "GB18030: the fixed rejects file imports" "$YINGJI" --db t.db import inspections gb_fixed.csv
contains out.txt "(encoding gb18030)" "GB18030: the fixed file is read as GB18030"
check "GB18030: the fixed row landed" test "$(q "SELECT enterprise || hazards_found FROM inspections WHERE id = 'G-2'")" = "测试二3"

# --- workbooks: FILE.rejects.xlsx ---
PY=$(python_with 'openpyxl, xlwt')
if [ -z "$PY" ]; then
    skip "workbook rejects" "python3-openpyxl and python3-xlwt are not installed (make deps)"
    exit 0
fi
cat > book.py <<'PY'
import datetime, sys, openpyxl, xlwt
H = ["事故编号", "发生时间", "属地", "行业领域", "死亡人数", "受伤人数"]
rows = [["X-1", datetime.date(2020, 5, 1), "青山镇", "road", 0, 1],
        ["X-2", datetime.date(2020, 5, 2), "青山镇", "road", -1, 0],
        ["X-3", datetime.date(2020, 5, 3), "城关镇", "road", 2, "两"],
        ["X-4", datetime.date(2020, 5, 4), "青山镇", "road", 1, 0]]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "台账"
ws.append(["2020年事故台账"])
ws.append(H)
for r in rows:
    ws.append(r)
for row in ws.iter_rows(min_row=3):
    row[1].number_format = "yyyy-mm-dd"
ws.append(["合计", None, None, None, 2, 1])
wb.save("acc.xlsx")
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("台账")
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
for c, h in enumerate(H):
    ws.write(0, c, h)
for r, row in enumerate(rows, start=1):
    for c, v in enumerate(row):
        if isinstance(v, datetime.date):
            ws.write(r, c, datetime.datetime(v.year, v.month, v.day), d)
        else:
            ws.write(r, c, v)
wb.save("acc.xls")
PY
cat > dump.py <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets=" + ",".join(wb.sheetnames))
for row in wb.active.iter_rows(values_only=True):
    print("|".join("" if v is None else "%s:%s" % (type(v).__name__, v) for v in row))
PY
cat > fix.py <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
for row in ws.iter_rows(min_row=2):
    if row[4].value == -1: row[4].value = 1
    if row[5].value == "两": row[5].value = 2
wb.save(sys.argv[2])
PY
"$PY" book.py || { not_ok "book.py ran"; exit 0; }
expect_status 3 "xlsx, skip: partial" "$YINGJI" --db t.db import --on-error skip accidents acc.xlsx
contains out.txt "2 rejected (encoding xlsx); 2 warnings; rejected rows in acc.rejects.xlsx" "xlsx: the summary names acc.rejects.xlsx"
check "xlsx: no CSV rejects file" test ! -e acc.rejects.csv
"$PY" dump.py acc.rejects.xlsx > dump.txt 2>&1
check "xlsx: the rejects workbook: the header as in the input, then the error column" \
  test "$(sed -n 2p dump.txt)" = "str:事故编号|str:发生时间|str:属地|str:行业领域|str:死亡人数|str:受伤人数|str:error"
check "xlsx: the rejected rows as they appeared (numbers stay numbers), in order, with their reasons" \
  test "$(sed -n '3,4p' dump.txt | cut -d'|' -f1,3-6 | tr '\n' ' ')" = "str:X-2|str:青山镇|str:road|int:-1|int:0 str:X-3|str:城关镇|str:road|int:2|str:两 "
check "xlsx: the date as it read" test "$(sed -n 3p dump.txt | cut -d'|' -f2)" = "str:2020-05-02"
contains dump.txt "must not be negative" "xlsx: the error column says why"
check "xlsx: only the rejected rows (no title, no 合计)" test "$(wc -l < dump.txt)" = 4
"$PY" fix.py acc.rejects.xlsx fixed.xlsx
expect_status 0 "xlsx: the fixed rejects workbook imports" "$YINGJI" --db t.db import accidents fixed.xlsx
check "xlsx: the fixed rows landed" \
  test "$(q "SELECT group_concat(id || '/' || deaths || '/' || injuries, ' ') FROM (SELECT * FROM accidents WHERE id IN ('X-2','X-3') ORDER BY id)")" = "X-2/1/0 X-3/2/2"
check "xlsx: the date kept" test "$(q "SELECT occurred_at FROM accidents WHERE id = 'X-2'")" = 2020-05-02

# an .xls: its rejects are a .xlsx too (libxlsxwriter writes no .xls)
"$YINGJI" --db x.db init >/dev/null
"$YINGJI" --db x.db import units units.csv >/dev/null
expect_status 3 "xls, skip: partial" "$YINGJI" --db x.db import --on-error skip accidents acc.xls
contains out.txt "rejected rows in acc.rejects.xlsx" "xls: the rejects file is acc.rejects.xlsx"
"$PY" dump.py acc.rejects.xlsx > dumpx.txt 2>&1
check "xls: the same rejected rows" test "$(sed -n '3,4p' dumpx.txt | cut -d'|' -f1,5,6 | tr '\n' ' ')" = "str:X-2|int:-1|int:0 str:X-3|int:2|str:两 "
# no rows rejected: no rejects file, and an earlier one is removed
"$PY" fix.py acc.rejects.xlsx acc.xlsx
expect_status 0 "xlsx: nothing rejected" "$YINGJI" --db t.db import --on-error skip accidents acc.xlsx
check "xlsx: an earlier rejects workbook removed" test ! -e acc.rejects.xlsx
check "xlsx: no temp left" test -z "$(ls | grep yingji-tmp)"
# a symlink planted at the rejects workbook's name is refused, as for CSV
mkdir elsewhere && : > elsewhere/victim && ln -s "$PWD/elsewhere/victim" acc.rejects.xlsx
"$PY" book.py
expect_status 2 "xlsx: a symlink at FILE.rejects.xlsx is refused" "$YINGJI" --db t.db import --on-error skip accidents acc.xlsx
check "xlsx: the link's target untouched" test ! -s elsewhere/victim
