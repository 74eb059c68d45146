# xlsx_deflate.sh — the workbooks yingji writes (run and compare --format xlsx, an
# import's FILE.rejects.xlsx) have their parts deflated at zlib level 1, not
# libxlsxwriter's fixed default 6: core/script_xlsx.c interposes minizip's
# zipOpenNewFileInZip4_64 (docs/performance.md). minizip records the level in each
# entry's general-purpose flag (bits 1-2: 0 for levels 3-7, 3 for level 1), so a build in
# which the wrapper stopped being reached (the export flag lost, a libxlsxwriter with
# minizip built in) fails here. The faster workbook stays a valid, deterministic zip that
# openpyxl reads.
. "$(dirname "$0")/../lib.sh"
python_or_skip 'zipfile' "xlsx deflate level"

# levels.py FILE: one line per part, "NAME method=M level-bits=B", then "crc ok" when
# every part inflates to its recorded CRC.
cat > levels.py <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    print("%s method=%d level-bits=%d" % (i.filename, i.compress_type, (i.flag_bits >> 1) & 3))
print("crc ok" if z.testzip() is None else "crc BAD")
PY
# all_fast FILE: every part deflated (8) with level bits 3 (minizip: level 1), CRCs good.
all_fast() {
    "$PY" levels.py "$1" > levels.txt 2>&1 || return 1
    grep -q '^xl/worksheets/sheet1.xml ' levels.txt || return 1
    ! grep -v '^crc ok$' levels.txt | grep -qv 'method=8 level-bits=3$' && grep -q '^crc ok$' levels.txt
}

"$YINGJI" --db t.db init >/dev/null
cat > t.lua <<'LUA'
local rows = {}
for i = 1, 3000 do
  rows[i] = {unit = string.format("U%04d", i % 300), name = "单位" .. i, score = 60 + (i % 400) / 10,
             day = string.format("2020-%02d-%02d", i % 12 + 1, i % 28 + 1)}
end
publish("t", {"unit", "name", "score", "day"}, rows, {formats = {score = "score", day = "date"}})
LUA
expect_status 0 "run --format xlsx" "$YINGJI" --db t.db run t.lua --as-of 2020-12-31 --format xlsx -o a.xlsx
check "run: every part deflated at level 1 (minizip's level bits 3), CRCs good" all_fast a.xlsx
all_fast a.xlsx || sed 's/^/    /' levels.txt | head -12
# level 1 compresses this sheet less than level 6 would, but still several times over
check "run: the sheet is still compressed (under a third of its XML)" "$PY" -c '
import sys, zipfile
i = zipfile.ZipFile(sys.argv[1]).getinfo("xl/worksheets/sheet1.xml")
sys.exit(0 if i.compress_size * 3 < i.file_size else 1)' a.xlsx
sleep 1
"$YINGJI" --db t.db run t.lua --as-of 2020-12-31 --format xlsx -o b.xlsx 2>/dev/null
check "run: the same run twice gives the same bytes at level 1" cmp -s a.xlsx b.xlsx

cp t.lua u.lua
expect_status 0 "compare --format xlsx" "$YINGJI" --db t.db compare t.lua u.lua --as-of 2020-12-31 --format xlsx -o c.xlsx
check "compare: every part at level 1" all_fast c.xlsx

if "$PY" -c 'import openpyxl' 2>/dev/null; then
    check "openpyxl reads the level-1 workbook (row 3001, the last)" test \
        "$("$PY" -c 'import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1])["t"]; print(ws.max_row, ws.cell(3001, 2).value)' a.xlsx 2>&1)" = "3001 单位3000"
    # an import's rejects workbook goes through the same writer library
    cp "$ROOT"/tests/data/import/units.csv .
    "$YINGJI" --db t.db import units units.csv >/dev/null
    "$PY" -c '
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["事故编号", "发生时间", "属地", "行业领域", "死亡人数", "受伤人数"])
ws.append(["X-1", "2020-05-01", "青山镇", "road", 0, 1])
ws.append(["X-2", "2020-05-02", "青山镇", "road", -1, 0])
wb.save("acc.xlsx")'
    expect_status 3 "import --on-error skip of a workbook: a rejects workbook" "$YINGJI" --db t.db import --on-error skip accidents acc.xlsx
    check "rejects: every part of acc.rejects.xlsx at level 1" all_fast acc.rejects.xlsx
else
    skip "openpyxl reads the level-1 workbook; the rejects workbook" "no python3 with openpyxl"
fi
