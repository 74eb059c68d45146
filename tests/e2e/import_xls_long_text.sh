# import_xls_long_text.sh — an .xls text that libfreexl (1.0.6) would misread is refused
# at open, never imported as garbage. BIFF8 keeps a workbook's texts in its shared
# string table (the SST record and the CONTINUE records after it, 8,224 bytes each); a
# text's characters may go on from one record into the next, each part after a flags
# byte. libfreexl completes a text from the next record only: a text whose characters
# run over two record boundaries or more (in these books from 8,176 Chinese characters
# and 16,354 ASCII ones, where the guard starts too) it reads past its record's end — a
# 27,000-byte cell came back as 24,539 bytes of garbage, exit 0 — or it refuses the file
# (libfreexl error -2). The import reads the table itself (core/xls_sst.c) and refuses
# such a workbook before any row (and one whose table is cut short, as damaged;
# tests/unit/test_xls_sst.c has the layouts xlwt does not write); texts that cross one
# boundary only (up to 8,175 Chinese characters here), and many medium texts that
# straddle the records' boundaries, are imported byte for byte.
# Workbooks written by python3-xlwt: the 5 columns an accident needs and 简要经过 (summary).
. "$(dirname "$0")/../lib.sh"
python_or_skip 'xlwt' ".xls long texts"
units_db base.db
cat > make.py <<'PY'
import datetime, xlwt
def book(name, texts):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("事故")
    d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数", "简要经过"]):
        ws.write(0, c, h)
    for r, t in enumerate(texts, 1):
        ws.write(r, 0, "X-%d" % r)
        ws.write(r, 1, datetime.datetime(2020, 5, 1), d)
        ws.write(r, 2, "城关镇")
        ws.write(r, 3, "road")
        ws.write(r, 4, 1)
        ws.write(r, 5, t)
    wb.save(name + ".xls")
    open(name + ".txt", "w", encoding="utf-8").write("".join(t + "\n" for t in texts))
# one boundary crossed: read right
for n in (4000, 4112, 4200, 8000, 8175):   # 8175: the last that fits, in these books
    book("cjk%d" % n, ["城" * n])
for n in (4000, 9000, 16000, 16352):        # 16352: the same, 8-bit
    book("asc%d" % n, ["a" * n])
book("many", ["%04d" % i + "文" * 36 for i in range(3000)])    # texts straddle boundaries
book("manya", ["%04d" % i + "t" * 36 for i in range(3000)])
book("mixed", ["城" * 3000 + "a" * 3000 + "城" * 2000])       # UTF-16 and 8-bit parts
# two boundaries or more: misread
for n in (8176, 8300, 9000, 21845):         # 8176: libfreexl garbles the first
    book("cjkbad%d" % n, ["城" * n])
for n in (16354, 17000, 21845):             # 16354: error -2 from the first
    book("ascbad%d" % n, ["a" * n])
book("late", ["短"] * 10 + ["城" * 9000])                       # one bad text among good ones
# cjk4000.xls with its table's count of texts (cstUnique, SST offset 8) one more than it
# holds. libfreexl reads it (the missing text left out; no cell names it here), but a
# table that cannot be read to its end cannot be checked: refused, as damaged
import struct
b = bytearray(open("cjk4000.xls", "rb").read())
at = b.find(struct.pack("<HHII", 0x00FC, 8095, 10, 10))
assert at > 0
struct.pack_into("<I", b, at + 8, 11)
open("cut.xls", "wb").write(b)
PY
"$PY" make.py || { not_ok "make.py ran"; exit 0; }
q() { sqlite3 t.db "$1"; }

for f in cjk4000 cjk4112 cjk4200 cjk8000 cjk8175 asc4000 asc9000 asc16000 asc16352 many manya mixed; do
    cp base.db t.db
    expect_status 0 "$f.xls (texts that cross one record boundary at most): imported" \
        "$YINGJI" --db t.db import accidents $f.xls
    q 'SELECT summary FROM accidents ORDER BY rowid' > got.txt
    check "  $f: every text byte-identical ($(wc -c <got.txt) of $(wc -c <$f.txt) bytes)" cmp -s got.txt $f.txt
done

for f in cjkbad8176 cjkbad8300 cjkbad9000 cjkbad21845 ascbad16354 ascbad17000 ascbad21845 late; do
    cp base.db t.db
    before=$(dbdump t.db)
    expect_status 2 "$f.xls (a text over two record boundaries): refused" \
        "$YINGJI" --db t.db import accidents $f.xls
    contains err.txt "$f.xls: a text in the workbook is longer than the .xls reader (libfreexl) can read correctly" \
        "  the message names the file and says why"
    n=${f#cjkbad}; n=${n#ascbad}; [ $f = late ] && n=9000
    contains err.txt "($n characters)" "  and the text's length"
    contains err.txt "save the workbook as .xlsx and import that" "  and the way out"
    check "  nothing imported, the database unchanged" test "$(dbdump t.db)" = "$before"
done

cp base.db t.db
before=$(dbdump t.db)
expect_status 2 "cut.xls (its table of texts ends before its last text): refused" \
    "$YINGJI" --db t.db import accidents cut.xls
contains err.txt "cut.xls: the file is damaged: its table of texts ends before its last text" "  as damaged"
contains err.txt "open it in Excel or WPS, save it again and import that" "  and the way out"
check "  nothing imported, the database unchanged" test "$(dbdump t.db)" = "$before"

# --on-error skip does not import the rows around it either
cp base.db t.db
expect_status 2 "late.xls with --on-error skip: refused all the same" \
    "$YINGJI" --db t.db import accidents late.xls --on-error skip
check "  nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
