# import_xls_reader_wait.sh — the .xls reader's child (core/xls_reader.c) arms its clock's
# backstop (SIGALRM, 10 times its CPU limit) for libfreexl's work only, not while a frame
# waits for the import to read it: a frame larger than the socket's buffer (a row of long
# texts) stays in write while the import, between its header scan and the read, waits
# for the database's lock (BEGIN IMMEDIATE, up to YINGJI_BUSY_TIMEOUT). Such a wait longer
# than the backstop once ended the child and refused a good file as too slow. Here the
# CPU limit is 1 s (prlimit: the child's backstop is then 10 s) and another process holds
# the lock for 12 s; the file imports once the lock is free. Needs prlimit; takes ~13 s.
. "$(dirname "$0")/../lib.sh"
python_or_skip 'xlwt' "the .xls reader's backstop while the import waits"
command -v prlimit >/dev/null 2>&1 || { skip "the .xls reader's backstop while the import waits" "no prlimit"; exit 0; }
units_db t.db

# rows 2..21 small (the header scan stops after row 20, inside the first batch), rows
# 22..25 of 120 cells of 2,000 bytes (240 KB each: one a batch, larger than the socket's
# buffer of ~208 KB, the one asked ahead waits in write during the lock wait)
"$PY" - <<'PY'
import datetime, xlwt
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("事故")
for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"]):
    ws.write(0, c, h)
for r in range(1, 25):
    ws.write(r, 0, "A%03d" % r); ws.write(r, 1, datetime.datetime(2020, 1, 1), d)
    ws.write(r, 2, "城关镇"); ws.write(r, 3, "road"); ws.write(r, 4, 0)
    if r >= 21:
        for c in range(5, 125): ws.write(r, c, "x" * 2000)
wb.save("wide.xls")
PY

(echo "BEGIN IMMEDIATE;"
 sleep 12; echo "ROLLBACK;") | sqlite3 t.db &
holder=$!
sleep 0.5
YINGJI_BUSY_TIMEOUT=60 expect_status 0 "imported after a 12 s wait for the lock (the child's backstop: 10 s)" \
    prlimit --cpu=1 "$YINGJI" --db t.db import accidents wide.xls
wait $holder
check "  its 24 rows" test "$(sqlite3 t.db 'SELECT count(*) FROM accidents')" = 24
