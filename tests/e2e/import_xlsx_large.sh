# import_xlsx_large.sh — a workbook whose sheet inflates past 4 MB is inflated on a thread
# of its own a chunk ahead of the parser (core/imp_xlsx.c, prefetch): the same rows as
# the CSV it was made from; the header scan, which stops after 20 rows, stops that
# thread cleanly; a corrupt compressed stream in the middle of the sheet is a clear
# error (exit 2, nothing imported). The workbook: bench/csv_to_xlsx.py.
. "$(dirname "$0")/../lib.sh"
GEN=${BUILD:-$ROOT/build/rel}/bench/gen
PY=$(python_with 'zipfile')
if [ ! -x "$GEN" ] || [ -z "$PY" ]; then skip "large workbook" "no $GEN or python3"; exit 0; fi
"$GEN" units 3000 > units.csv
"$GEN" inspections 40000 > insp.csv
"$PY" "$ROOT/bench/csv_to_xlsx.py" insp.csv insp.xlsx || { not_ok "csv_to_xlsx.py ran"; exit 0; }
size=$("$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo("xl/worksheets/sheet1.xml").file_size)' insp.xlsx)
check "the sheet inflates past 4 MB ($size bytes): the thread is used" test "$size" -gt 4194304
"$YINGJI" --db base.db init >/dev/null
"$YINGJI" --db base.db import units units.csv >/dev/null
cp base.db x.db; cp base.db c.db
expect_status 0 "40,000 rows from the workbook" "$YINGJI" --db x.db import inspections insp.xlsx
contains out.txt "insp.xlsx: 40000 rows: 40000 new" "all rows read"
"$YINGJI" --db c.db import inspections insp.csv >/dev/null 2>&1
check "the same table as from the CSV" \
  test "$(sqlite3 x.db 'SELECT * FROM inspections ORDER BY id' | md5sum)" = "$(sqlite3 c.db 'SELECT * FROM inspections ORDER BY id' | md5sum)"

# a corrupt deflate stream in the middle of the sheet
"$PY" - insp.xlsx bad.xlsx <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
raw = bytearray(open(src, "rb").read())
info = zipfile.ZipFile(src).getinfo("xl/worksheets/sheet1.xml")
start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
mid = start + info.compress_size // 2
for k in range(mid, mid + 64):
    raw[k] ^= 0x5A
open(dst, "wb").write(bytes(raw))
PY
cp base.db b.db
before=$(dbdump b.db)
expect_status 2 "a corrupt stream mid-sheet: rejected" "$YINGJI" --db b.db import inspections bad.xlsx
contains err.txt "bad.xlsx:Sheet1: corrupt workbook: xl/worksheets/sheet1.xml" "  says the workbook is corrupt, naming the part"
check "  the database unchanged" test "$(dbdump b.db)" = "$before"
