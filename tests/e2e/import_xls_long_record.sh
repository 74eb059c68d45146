# import_xls_long_record.sh — an .xls whose sheet's records are damaged is refused, never
# imported in part (issue 14). libfreexl reads a sheet record by record, skipping each by
# its length field, and says nothing when that goes wrong: at a record longer than BIFF8
# allows (8224 bytes) it stops — 1,499 of 3,000 accidents imported, exit 0, no word; a
# cell record whose length is not its type's swallows the records it covers — whole
# rows gone (2,986 of 3,000, found by mutating this workbook); a record running past the
# sheet's EOF cut the last row (2,999 of 3,000, with only a warning about merged cells).
# The workbooks: python3-xlwt writes 3,000 accidents; the copies have the length field
# of one cell record changed (in place: the stream's bytes stay where they are).
. "$(dirname "$0")/../lib.sh"
python_or_skip 'xlwt' ".xls long records"
units_db base.db
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

def patched(name, row, length, kind=0x00FD, size=10, col=0):
    """good.xls with the length of row `row`'s cell record of type `kind` (`size` bytes)
    in column `col` (by default the id's LABELSST) set to `length`."""
    at = b.find(struct.pack("<HHHH", kind, size, row, col))
    assert at > 0, row
    c = bytearray(b)
    struct.pack_into("<H", c, at + 2, length)
    open(name, "wb").write(c)

patched("mid.xls", 1500, 9000)      # half way: 1,499 rows before it
patched("first.xls", 1, 8225)       # the first data row: nothing before it
patched("last.xls", 3000, 60000)    # the last row
patched("rk.xls", 428, 0x050A, 0x027E, 10, 4)   # 死亡人数's RK: 1290 bytes, 14 rows swallowed
patched("eof.xls", 3000, 2000)      # the last row's record runs past the sheet's EOF
PY
"$PY" make.py || { not_ok "make.py ran"; exit 0; }
q() { sqlite3 t.db "$1"; }

cp base.db t.db
expect_status 0 "the workbook as xlwt wrote it imports" "$YINGJI" --db t.db import accidents good.xls
check "  all 3,000 rows" test "$(q 'SELECT count(*) FROM accidents')" = 3000

for f in mid first last rk eof; do
    cp base.db t.db
    before=$(dbdump t.db)
    expect_status 2 "$f.xls (a damaged record length): refused" "$YINGJI" --db t.db import accidents $f.xls
    contains err.txt "$f.xls:事故: " "  the message names the file and the sheet"
    case $f in
    mid|first|last) contains err.txt "8224" "  and the limit" ;;
    rk) contains err.txt "is damaged" "  and says the file is damaged" ;;
    eof) contains err.txt "end before its EOF record" "  and says the sheet is cut short" ;;
    esac
    contains err.txt "save the workbook as .xlsx" "  and the way out"
    check "  nothing imported, the database unchanged" test "$(dbdump t.db)" = "$before"
done

# --on-error skip does not turn a structural fault into a partial import
cp base.db t.db
expect_status 2 "mid.xls with --on-error skip: refused all the same" \
    "$YINGJI" --db t.db import accidents mid.xls --on-error skip
check "  nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
