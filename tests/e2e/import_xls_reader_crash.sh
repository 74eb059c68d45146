# import_xls_reader_crash.sh — libfreexl (1.0.6) crashes on some damaged .xls files (a
# SEGV in its parser: about one mutated workbook in 2,000). yingji runs libfreexl only in
# a child process, which streams the cells to the import (core/xls_reader.c); when the
# child dies the file is refused with a clear error, instead of the import crashing. Nothing
# is stored, and the next file of the command is still imported. Fixtures: workbooks
# written by python3-xlwt (tests/e2e/import_xls_merged_lost.sh's), then mutated.
. "$(dirname "$0")/../lib.sh"
units_db base.db
q() { sqlite3 t.db "$1"; }

for f in xls_reader_crash_open.xls xls_reader_crash_open2.xls xls_reader_crash_open3.xls; do
    cp "$ROOT/tests/data/import/$f" .
    cp base.db t.db
    expect_status 2 "$f: refused, no crash" "$YINGJI" --db t.db import accidents $f
    contains err.txt "$f: the .xls reader (libfreexl) fails on this file: it is damaged; open it in Excel or WPS, save it again and import that" \
        "  $f: the error names the file, the damage and what to do"
    check "  $f: nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
    check "  $f: no import logged" test "$(q "SELECT count(*) FROM imports WHERE dataset = 'accidents'")" = 0
done

# The import waits for its reader's child: a parent that ignores SIGCHLD (a service manager, a
# script's `trap '' CHLD`) passes that on to yingji, and then the kernel reaps the child
# itself and waitpid fails with ECHILD (once, the trial before the import passed in silence
# and the import crashed, exit 139). A blocked SIGCHLD (also passed on) must not matter either.
# ign SIGNALS... -- COMMAND...: COMMAND with SIGNALS ignored; blk: blocked (perl).
ign() { perl -e 'my @s; push @s, shift while $ARGV[0] ne "--"; shift; $SIG{$_} = "IGNORE" for @s; exec @ARGV or exit 127' "$@"; }
blk() { perl -MPOSIX -e 'my @s; push @s, shift while $ARGV[0] ne "--"; shift;
    sigprocmask(SIG_BLOCK, POSIX::SigSet->new(map { eval "POSIX::SIG$_" } @s)); exec @ARGV or exit 127' "$@"; }
if command -v perl >/dev/null 2>&1; then
    for how in "ign CHLD" "blk CHLD" "ign CHLD ALRM"; do
        cp base.db t.db
        expect_status 2 "SIGCHLD ($how): refused, no crash" $how -- "$YINGJI" --db t.db import accidents xls_reader_crash_open.xls
        contains err.txt "the .xls reader (libfreexl) fails on this file: it is damaged" "  ($how) the error says so"
        check "  ($how) nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
    done
else
    skip "SIGCHLD ignored: refused, no crash" "perl is not installed"
fi

# Two good workbooks of one accident each: good.xls, and slow.xls, which also holds a
# sheet of 1,500 licences valid until 9999-12-31 (see the reader's time below).
PY=$(python_with 'xlwt')
if [ -n "$PY" ]; then
    "$PY" - <<'PY'
import datetime, xlwt
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
def book(path, id, far):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("事故")
    for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"]):
        ws.write(0, c, h)
    ws.write(1, 0, id); ws.write(1, 1, datetime.datetime(2020, 5, 1), d)
    ws.write(1, 2, "城关镇"); ws.write(1, 3, "road"); ws.write(1, 4, 1)
    if far:
        licences = wb.add_sheet("有效期")
        for r in range(far):
            licences.write(r, 0, "L%04d" % r)
            licences.write(r, 1, datetime.datetime(9999, 12, 31), d)
    wb.save(path)
book("good.xls", "good-1", 0)
book("slow.xls", "slow-1", 1500)
PY
fi

# the next file of the same command is still imported
if [ -n "$PY" ]; then
    cp base.db t.db
    expect_status 2 "a damaged file, then a good one: exit 2" "$YINGJI" --db t.db import accidents xls_reader_crash_open.xls good.xls
    check "  the good file's row imported" test "$(q "SELECT id || '/' || deaths FROM accidents")" = "good-1/1"
    contains err.txt "xls_reader_crash_open.xls: the .xls reader (libfreexl) fails on this file" "  the damaged one named"
else
    skip "a damaged file, then a good one" "python3-xlwt is not installed (make deps)"
fi

# What the child's end says about the file. libfreexl counts the days of a date one by
# one from 1900 (~2 ms a cell for 9999-12-31, a common "no end" date; a 2020 date ~30 us):
# a workbook holding ~30,000 such cells, or 65,536 rows of 24 date columns of this
# century, keeps it busy for a minute. A child that runs out of its time says so, with
# what to do (the .xlsx reader has no such cost), never that the file is damaged: saving
# it again as .xls would not help. Its limit is CPU time (a loaded machine must not
# refuse a file), within the process's own: `ulimit -St 1` stands for the minute here.
# And a child killed from outside (the OOM killer's SIGKILL) says nothing about the file,
# but it was the only reader: the import is refused with its own error (try again). With
# core dumps on, a crash of the child leaves no core file (the process's image, the
# workbook's bytes in it) behind.
if [ -n "$PY" ]; then
    cp base.db t.db
    expect_status 2 "the reader out of (CPU) time: refused" sh -c 'ulimit -St 1 && exec "$@"' sh \
        "$YINGJI" --db t.db import accidents slow.xls
    contains err.txt "slow.xls: the .xls reader (libfreexl) did not finish reading this file within the time allowed" \
        "  the error says the reader ran out of time"
    contains err.txt "save the workbook as .xlsx and import that" "  and what to do"
    check "  not that the file is damaged" sh -c '! grep -q damaged err.txt'
    check "  nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0

    cp base.db t.db
    "$YINGJI" --db t.db import accidents slow.xls >out.txt 2>err.txt &
    parent=$!
    child= k=0
    while [ -z "$child" ] && [ $k -lt 400 ]; do child=$(pgrep -P $parent); k=$((k + 1)); sleep 0.02; done
    [ -n "$child" ] && kill -KILL $child
    wait $parent
    got=$?
    check "the reader's child killed from outside (SIGKILL): the import refused (exit $got, child ${child:-not seen})" \
        test "$got" = 2 -a -n "$child"
    contains err.txt "slow.xls: the .xls reader (libfreexl) was ended from outside (signal 9" "  the error says so"
    check "  nothing imported" test "$(q 'SELECT count(*) FROM accidents')" = 0
else
    skip "the reader out of time" "python3-xlwt is not installed (make deps)"
fi
mkdir dumps
if (ulimit -c unlimited) 2>/dev/null; then
    cp base.db t.db
    (cd dumps && ulimit -c unlimited && "$YINGJI" --db ../t.db import accidents ../xls_reader_crash_open.xls >/dev/null 2>&1)
    check "with core dumps on, the reader's crash leaves no core file ($(ls dumps | tr '\n' ' '))" test -z "$(ls dumps)"
else
    skip "no core file left" "core dumps cannot be turned on here"
fi
