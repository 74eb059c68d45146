# import_xlsx_ahead.sh — a large sheet is read ahead of its merged areas (core/imp_xlsx.c:
# a thread looks for them while the rows are read as if there were none; an area over a
# row already read makes the import start again with the areas known). Whatever the
# verdict, the result must be the sequential read's: exit code, stdout, stderr, the
# database (the import log's times left out) and the rejects file. Each workbook is
# imported both ways: YINGJI_XLSX_AHEAD_FROM (bytes, see core/imp_xlsx.h) set past the
# sheet's size forces the sequential read (the areas first); the other import uses the
# default threshold (8 MB), which the sheet (21,000 generated rows, bench/csv_to_xlsx.py)
# is just over. Cases: no areas; an area over the first data rows (the restart); an area
# only near the end; an error row that an area fixes, and one that no area fixes; --on-error
# skip with a rejects file; more errors than the messages held back (1 MB) with and without
# a restart.
. "$(dirname "$0")/../lib.sh"
GEN=${BUILD:-$ROOT/build/rel}/bench/gen
CAT=${BUILD:-$ROOT/build/rel}/bench/xlsx_cat
PY=$(python_with 'zipfile')
if [ ! -x "$GEN" ] || [ ! -x "$CAT" ] || [ -z "$PY" ]; then skip "read ahead" "no $GEN, $CAT or python3"; exit 0; fi
"$GEN" units 3000 > units.csv
"$GEN" inspections 21000 > insp.csv
"$PY" "$ROOT/bench/csv_to_xlsx.py" insp.csv insp.xlsx || { not_ok "csv_to_xlsx.py ran"; exit 0; }
size=$("$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo("xl/worksheets/sheet1.xml").file_size)' insp.xlsx)
check "the sheet is just over 8 MB ($size bytes): read ahead" test "$size" -gt 8388608 -a "$size" -lt 12000000
"$YINGJI" --db base.db init >/dev/null
"$YINGJI" --db base.db import units units.csv >/dev/null

# edit OUT [drop:CELL | bad:CELL | badcol:COL | blank:CELL | merge:REF]...: insp.xlsx with
# cells dropped, made an unknown unit (one, or a whole column's data rows), written empty,
# merged areas added.
edit() {
    "$PY" - "$@" <<'PY'
import re, sys, zipfile
out, ops = sys.argv[1], sys.argv[2:]
src = zipfile.ZipFile("insp.xlsx")
sheet = src.read("xl/worksheets/sheet1.xml").decode()
merges = []
for op in ops:
    what, arg = op.split(":", 1)
    if what == "drop":
        sheet, n = re.subn(r'<c r="%s"[^>]*>.*?</c>' % arg, "", sheet, count=1)
        assert n == 1, op
    elif what == "bad":
        sheet, n = re.subn(r'<c r="%s"[^>]*>.*?</c>' % arg,
                           '<c r="%s" t="inlineStr"><is><t>NOPE</t></is></c>' % arg, sheet, count=1)
        assert n == 1, op
    elif what == "badcol":
        sheet = re.sub(r'<c r="%s([0-9]+)"[^>]*>.*?</c>' % arg,
                       lambda m: m.group(0) if m.group(1) == "1" else
                       '<c r="%s%s" t="inlineStr"><is><t>NOPE</t></is></c>' % (arg, m.group(1)), sheet)
    elif what == "blank":               # the cell written empty, as Excel writes a merged-over one
        sheet, n = re.subn(r'<c r="%s"[^>]*>.*?</c>' % arg, '<c r="%s" s="0"/>' % arg, sheet, count=1)
        assert n == 1, op
    elif what == "merge":
        merges.append(arg)
if merges:
    tail = '<mergeCells count="%d">%s</mergeCells>' % (len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges))
    sheet = sheet.replace("</sheetData>", "</sheetData>" + tail)
dst = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
for info in src.infolist():
    dst.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename))
dst.close()
PY
}

# run MODE NAME.xlsx ARGS...: imports into MODE.db; MODE.status/out/err/dump/rejects
run() {
    mode=$1 book=$2; shift 2
    cp base.db "$mode.db"
    if [ "$mode" = seq ]; then
        YINGJI_XLSX_AHEAD_FROM=99999999999 "$YINGJI" --db "$mode.db" import inspections "$@" "$book" >"$mode.out" 2>"$mode.err"
    else
        "$YINGJI" --db "$mode.db" import inspections "$@" "$book" >"$mode.out" 2>"$mode.err"
    fi
    echo $? > "$mode.status"
    sqlite3 "$mode.db" "UPDATE imports SET imported_at = '', received = ''"
    dbdump "$mode.db" > "$mode.dump"
    rej=${book%.xlsx}.rejects.xlsx
    if [ -f "$rej" ]; then "$CAT" --no-merges "$rej" > "$mode.rejects"; rm -f "$rej"; else echo none > "$mode.rejects"; fi
}

# same NAME.xlsx DESCRIPTION ARGS...: both reads give the same result
same() {
    book=$1 d=$2; shift 2
    run seq "$book" "$@"
    run ahead "$book" "$@"
    for k in status out err dump rejects; do
        if ! cmp -s "seq.$k" "ahead.$k"; then
            not_ok "$d: $k differs"; diff "seq.$k" "ahead.$k" | head -5 | sed 's/^/    /'; return
        fi
    done
    ok "$d (exit $(cat seq.status))"
}

cp insp.xlsx a.xlsx
same a.xlsx "no merged areas"
check "  all rows imported" grep -qF "a.xlsx: 21000 rows: 21000 new" ahead.out

edit b.xlsx drop:C3 merge:C2:C3
same b.xlsx "an area over the first data rows (read again, areas first)"
check "  the covered cell took the area's value" \
  test "$(sqlite3 ahead.db "SELECT count(DISTINCT unit_id) FROM inspections WHERE id IN ('JC00000001', 'JC00000002')")" = 1

# cells written empty in the first rows start the areas' thread at once (a merged title
# or header); without them the main pass gives the verdict itself at the sheet's end
edit h1.xlsx blank:C3 merge:C2:C3
same h1.xlsx "a cell written empty under an area in the first rows (the thread at once)"
check "  the covered cell took the area's value" \
  test "$(sqlite3 ahead.db "SELECT count(DISTINCT unit_id) FROM inspections WHERE id IN ('JC00000001', 'JC00000002')")" = 1
edit h2.xlsx blank:M4
same h2.xlsx "a cell written empty in the first rows, no area"

edit c.xlsx drop:C21001 merge:C21000:C21001
same c.xlsx "an area only over the last rows"
check "  all rows imported" grep -qF "c.xlsx: 21000 rows: 21000 new" ahead.out

edit d1.xlsx drop:C5 merge:C4:C5
same d1.xlsx "an error row the area over it fixes"
check "  nothing rejected" grep -qF "d1.xlsx: 21000 rows: 21000 new" ahead.out

edit d2.xlsx drop:C5 drop:C20001 merge:C20000:C20001
same d2.xlsx "an error row no area fixes"
check "  rejected" test "$(cat ahead.status)" = 2

edit e.xlsx drop:C5 bad:C7 drop:C6000 merge:C4:C5 merge:B9:B10
same e.xlsx "--on-error skip, the rejects file" --on-error skip
check "  two rows rejected, in the rejects file" grep -qF "2 rejected" ahead.out

edit f1.xlsx badcol:C
same f1.xlsx "more messages than are held back" --on-error skip --max-errors 100000
check "  over 1 MB of messages" test "$(wc -c < ahead.err)" -gt 1048576

edit f2.xlsx badcol:C merge:D2:D3
same f2.xlsx "more messages than are held back, then read again" --on-error skip --max-errors 100000

# the areas' pass inflates the sheet's raw bytes with zlib, without libzip's CRC check (the
# main pass checks it): damaged deflate data, or bytes that inflate to other bytes, must
# end as the sequential read ends
damage() {
    "$PY" - "$@" <<'PY'
import sys, zipfile
src, out, where, how = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
b = bytearray(open(src, "rb").read())
info = zipfile.ZipFile(src).getinfo("xl/worksheets/sheet1.xml")
h = info.header_offset
start = h + 30 + int.from_bytes(b[h + 26:h + 28], "little") + int.from_bytes(b[h + 28:h + 30], "little")
at = start + int(info.compress_size * where)
if how == "flip":
    b[at] ^= 0xFF
else:                                   # zero a run: the stream breaks or inflates to other bytes
    b[at:at + 64] = bytes(64)
open(out, "wb").write(b)
PY
}
damage insp.xlsx g1.xlsx 0.5 flip
same g1.xlsx "a damaged byte in the middle of the sheet's deflate data"
check "  refused" test "$(cat ahead.status)" = 2
damage insp.xlsx g2.xlsx 0.98 zero
same g2.xlsx "64 zero bytes near the end of the sheet's deflate data"
check "  refused" test "$(cat ahead.status)" = 2

# a restart opens the path again: when the workbook was saved again in between (a new
# file renamed over it), the areas the first attempt found in the old file must not fill
# the new file's rows. gdb stops the import between the two attempts and swaps the file.
if command -v gdb >/dev/null 2>&1; then
    edit old.xlsx drop:G3 merge:G2:G3           # hazards_found of row 3 from the area over G2:G3
    edit new.xlsx drop:G3                       # the same cell empty, no area: an error
    run seq new.xlsx
    check "the new workbook alone is refused" test "$(cat seq.status)" = 2
    cp old.xlsx book.xlsx
    cp base.db race.db
    cat > swap.gdb <<'GDB'
set pagination off
break imp_xlsx_take_areas
run
shell mv new.xlsx book.xlsx
delete
continue
GDB
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        gdb -batch -x swap.gdb --args "$YINGJI" --db race.db import inspections book.xlsx >gdb.out 2>&1
    check "  saved again between the attempts: the first file's areas not used, the import refused" \
        test "$(sqlite3 race.db "SELECT count(*) FROM inspections")" = 0
    contains gdb.out "book.xlsx:Sheet1!G3" "  the error names the empty cell of the new file"
else
    skip "a workbook saved again between the attempts" "gdb is not installed"
fi

# the areas' pass inflates the raw deflate data itself (inflate_raw): zlib may take the
# last input while the output buffer fills and still hold output back, so reading no more
# input is not the end of the stream. A sheet padded to 130 x 64 KiB + 1 bytes made that
# pass give up and the import read the sheet again (opened twice), without any merged
# area; it must be read once.
if command -v strace >/dev/null 2>&1; then
    "$GEN" inspections 20 > few.csv
    "$PY" "$ROOT/bench/csv_to_xlsx.py" few.csv few.xlsx
    "$PY" - <<'PY'
import zipfile
z = zipfile.ZipFile("few.xlsx")
body = z.read("xl/worksheets/sheet1.xml")
n = ((len(body) + 8400000) // 65536 + 1) * 65536 + 1
d = zipfile.ZipFile("pad.xlsx", "w", zipfile.ZIP_DEFLATED)
for info in z.infolist():
    d.writestr(info.filename, body + b" " * (n - len(body)) if info.filename == "xl/worksheets/sheet1.xml"
               else z.read(info.filename))
d.close()
PY
    cp base.db pad.db
    # (LeakSanitizer cannot run under ptrace: off for this run in the sanitizer build)
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -e trace=openat -o pad.strace "$YINGJI" --db pad.db import inspections pad.xlsx >pad.out 2>&1
    check "a sheet of 64 KiB x 130 + 1 bytes: imported" grep -qF "pad.xlsx: 20 rows: 20 new" pad.out
    check "  read once (no second attempt)" test "$(grep -c 'pad.xlsx' pad.strace)" = 1
else
    skip "the raw inflation's last output" "strace is not installed"
fi
