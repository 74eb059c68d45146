# import_xls_long_record.sh — an .xls whose sheet holds a record longer than BIFF8 allows
# (8224 bytes) is refused, never imported in part (issue 14). libfreexl stops reading a
# sheet at such a record without an error: the rows after it came back empty and were
# dropped as trailing empty rows — 1,499 of 3,000 accidents imported, exit 0, no word.
# The workbooks: python3-xlwt writes 3,000 accidents; the copies have the length field
# of one cell record set past the limit (in place: the stream's bytes stay where they are).
. "$(dirname "$0")/../lib.sh"
PY=$(python_with 'xlwt')
if [ -z "$PY" ]; then skip ".xls long records" "python3-xlwt is not installed (make deps)"; exit 0; fi
cp "$ROOT"/tests/data/import/units.csv .
"$YINGJI" --db base.db init >/dev/null
"$YINGJI" --db base.db import units units.csv >/dev/null
cat > make.py <<'PY'
import datetime, struct, xlwt
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("事故")
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"]):
    ws.write(0, c, h)
for r in range(1, 3001):
    ws.write(r, 0, "X-%d" % r)
    ws.write(r, 1, datetime.datetime(2020, 5, 1 + r % 28), d)
    ws.write(r, 2, "城关镇")
    ws.write(r, 3, "road")
    ws.write(r, 4, r % 2)
wb.save("good.xls")
b = open("good.xls", "rb").read()

def patched(name, row, length):
    """good.xls with the length of row `row`'s first cell record (LABELSST 0x00FD, 10
    bytes, column 0) set to `length`."""
    at = b.find(struct.pack("<HHHH", 0x00FD, 10, row, 0))
    assert at > 0, row
    c = bytearray(b)
    struct.pack_into("<H", c, at + 2, length)
    open(name, "wb").write(c)

patched("mid.xls", 1500, 9000)      # half way: 1,499 rows before it
patched("first.xls", 1, 8225)       # the first data row: nothing before it
patched("last.xls", 3000, 60000)    # the last row
PY
"$PY" make.py || { not_ok "make.py ran"; exit 0; }
q() { sqlite3 t.db "$1"; }

cp base.db t.db
expect_status 0 "the workbook as xlwt wrote it imports" "$YINGJI" --db t.db import accidents good.xls
check "  all 3,000 rows" test "$(q 'SELECT count(*) FROM accidents')" = 3000

for f in mid first last; do
    cp base.db t.db
    before=$(dbdump t.db)
    expect_status 2 "$f.xls (a record past 8224 bytes): refused" "$YINGJI" --db t.db import accidents $f.xls
    contains err.txt "$f.xls:事故: " "  the message names the file and the sheet"
    contains err.txt "8224" "  and the limit"
    contains err.txt "save the workbook as .xlsx" "  and the way out"
    check "  nothing imported, the database unchanged" test "$(dbdump t.db)" = "$before"
done

# --on-error skip does not turn a structural fault into a partial import
cp base.db t.db
expect_status 2 "mid.xls with --on-error skip: refused all the same" \
    "$YINGJI" --db t.db import accidents mid.xls --on-error skip
check "  nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
