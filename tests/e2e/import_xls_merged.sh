# import_xls_merged.sh — merged cells in .xls workbooks (issue 14): libfreexl gives no
# merged areas, so imp_xls.c reads the file's MERGEDCELLS records itself; a unit name
# merged down over its rows gives each row the unit, a two-row header whose upper row is
# merged ("伤亡情况" over 死亡/失踪/重伤) works, as in .xlsx. The workbooks are written
# here by python3-xlwt (write_merge): a small one, a large one, and one whose second sheet
# is the table (the right sheet's areas). (xlwt pads its Workbook stream to 4096 bytes, so
# all are in regular sectors: import_xls_merged_lost.sh re-packs one into the mini stream.)
. "$(dirname "$0")/../lib.sh"
python_or_skip 'xlwt' ".xls merged cells"
cp "$ROOT"/tests/data/import/units.csv .
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
cat > make.py <<'PY'
import datetime, xlwt
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")

def sheet(ws, prefix, n, units=("城关镇", "青山镇")):
    ws.write_merge(0, 0, 0, 6, "2020年事故台账")                  # a title over the table
    for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域"]):
        ws.write_merge(1, 2, c, c, h)                                # names merged down
    ws.write_merge(1, 1, 4, 6, "伤亡情况")                           # the upper row's group
    for c, h in enumerate(["死亡人数", "失踪人数", "重伤人数"], start=4):
        ws.write(2, c, h)
    r = 3
    per = max(1, n // len(units))
    for u, unit in enumerate(units):
        ws.write_merge(r, r + per - 1, 2, 2, unit)                   # the unit merged down
        for k in range(per):
            ws.write(r + k, 0, "%s-%d-%d" % (prefix, u, k))
            ws.write(r + k, 1, datetime.datetime(2020, 5, 1 + k % 28), d)
            ws.write(r + k, 3, "road")
            ws.write(r + k, 4, k % 2)
            ws.write(r + k, 5, 0)
            ws.write(r + k, 6, 1)
        r += per
    ws.write_merge(r, r, 0, 3, "合计")

wb = xlwt.Workbook(encoding="utf-8")
sheet(wb.add_sheet("事故"), "XS", 4)
wb.save("small.xls")
wb = xlwt.Workbook(encoding="utf-8")
sheet(wb.add_sheet("事故"), "XL", 3000)
wb.save("large.xls")
wb = xlwt.Workbook(encoding="utf-8")
other = wb.add_sheet("封面")
other.write_merge(0, 5, 0, 3, "封面")                               # areas of another sheet
sheet(wb.add_sheet("事故"), "XT", 6, units=("东城", "青山镇", "城关镇"))
wb.save("second.xls")
PY
"$PY" make.py || { not_ok "make.py ran"; exit 0; }

expect_status 0 "small .xls with merged cells: imported" "$YINGJI" --db t.db import accidents small.xls
check "small: the summary" test "$(cat out.txt)" = "small.xls: 4 rows: 4 new, 0 updated, 0 unchanged, 0 rejected (encoding xls); 2 warnings"
contains err.txt "skipped 1 row above the header: 1 '2020年事故台账'" "small: the merged title skipped"
check "small: each row has the unit merged down over it" \
  test "$(q "SELECT group_concat(a.id || '=' || u.name, ' ') FROM (SELECT id, unit_id FROM accidents WHERE id LIKE 'XS-%' ORDER BY id) a JOIN units u ON u.id = a.unit_id")" = \
  "XS-0-0=城关镇 XS-0-1=城关镇 XS-1-0=青山镇 XS-1-1=青山镇"
check "small: the two-row header under 伤亡情况 (deaths, missing, serious injuries)" \
  test "$(q "SELECT sum(deaths) || '/' || sum(missing) || '/' || sum(serious_injuries) FROM accidents WHERE id LIKE 'XS-%'")" = "2/0/4"
contains err.txt "skipped 1 row of totals or notes" "small: the merged 合计 row skipped"

expect_status 0 "large .xls (3000 rows) with merged cells: imported" "$YINGJI" --db t.db import accidents large.xls
check "large: every row has its unit" \
  test "$(q "SELECT count(*) FROM accidents WHERE id LIKE 'XL-%' AND unit_id IS NOT NULL")" = 3000
check "large: the last row of the second area is 青山镇" \
  test "$(q "SELECT u.name FROM accidents a JOIN units u ON u.id = a.unit_id WHERE a.id = 'XL-1-1499'")" = 青山镇

expect_status 0 "the table on the second sheet: imported" "$YINGJI" --db t.db import accidents second.xls
check "second sheet: its own merged areas fill its rows" \
  test "$(q "SELECT group_concat(u.name, ' ') FROM (SELECT * FROM accidents WHERE id LIKE 'XT-%' ORDER BY id) a JOIN units u ON u.id = a.unit_id")" = \
  "东城街道 东城街道 青山镇 青山镇 城关镇 城关镇"

# the same workbook with its merged areas ignored would leave rows without a unit: the
# test above is not vacuous (libfreexl alone gives the covered cells empty)
"$YINGJI" --db n.db init >/dev/null
"$YINGJI" --db n.db import units units.csv >/dev/null
"$PY" -c '
import xlwt
wb = xlwt.Workbook(encoding="utf-8"); ws = wb.add_sheet("s")
for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"]): ws.write(0, c, h)
ws.write(1, 0, "N-1"); ws.write(1, 1, "2020-05-01"); ws.write(1, 2, "城关镇"); ws.write(1, 3, "road"); ws.write(1, 4, 0)
ws.write(2, 0, "N-2"); ws.write(2, 1, "2020-05-02"); ws.write(2, 3, "road"); ws.write(2, 4, 0)
wb.save("unmerged.xls")'
expect_status 2 "an empty unit cell that is not merged is still an error" "$YINGJI" --db n.db import accidents unmerged.xls
contains err.txt "unmerged.xls:s!C3:" "  naming the cell"
