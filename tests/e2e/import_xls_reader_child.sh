# import_xls_reader_child.sh — libfreexl reads an .xls only in a child process (core/xls_reader.c),
# which streams each sheet's cells to the import over a socket (core/xls_child.c): the
# import never calls libfreexl itself, the file is parsed once, and however the child
# ends the import says so, stores nothing and leaves no zombie. The child's own end is
# provoked through YINGJI_XLS_READER_END="ROW SIGNAL" (tests only: the child ends itself
# by SIGNAL when it comes to row ROW of a sheet, after sending the rows before it; ROW 0:
# at open). strace, where it runs, shows which process opens the workbook and that every
# child is reaped.
. "$(dirname "$0")/../lib.sh"
python_or_skip 'xlwt' "the .xls reader's child"
units_db base.db
q() { sqlite3 t.db "$1"; }

# rows.xls: 3,000 accidents, and a second sheet the header scan also reads (its first
# rows only: the reader is stopped there and asked for the next sheet)
"$PY" - <<'PY'
import datetime, xlwt
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("事故")
for c, h in enumerate(["事故编号", "发生时间", "属地", "行业领域", "死亡人数"]):
    ws.write(0, c, h)
for r in range(1, 3001):
    ws.write(r, 0, "A%05d" % r); ws.write(r, 1, datetime.datetime(2020, 1, 1) + datetime.timedelta(days=r % 700), d)
    ws.write(r, 2, "城关镇"); ws.write(r, 3, "road"); ws.write(r, 4, r % 3)
notes = wb.add_sheet("说明")
for r in range(400):
    notes.write(r, 0, "note %d" % r); notes.write(r, 1, r * 0.5)
wb.save("rows.xls")
PY
dbdump base.db >base.dump

check "only core/xls_reader.c (the child's side) calls libfreexl" \
    test "$(cd "$ROOT" && grep -l 'freexl_[a-z_]*(' core/*.c util/*.c charts/*.c | tr '\n' ' ')" = "core/xls_reader.c "

cp base.db t.db
expect_status 0 "rows.xls imported" "$YINGJI" --db t.db import accidents rows.xls
check "  its 3,000 rows" test "$(q 'SELECT count(*) FROM accidents')" = 3000
check "  the last one whole" test "$(q "SELECT id || '/' || deaths FROM accidents WHERE id = 'A03000'")" = "A03000/0"

# The child's end, mid-stream (rows 1..2,499 delivered, some of them stored in the
# import's transaction) or at open: a crash is damage, a time signal the time message,
# a signal from outside its own error; exit 2 and the database as it was.
end_case() {  # NAME "ROW SIGNAL" MESSAGE
    cp base.db t.db
    YINGJI_XLS_READER_END="$2" expect_status 2 "$1: refused" "$YINGJI" --db t.db import accidents rows.xls
    contains err.txt "$3" "  $1: the error says so"
    dbdump t.db >t.dump
    check "  $1: the database unchanged" cmp -s base.dump t.dump
}
damaged="the .xls reader (libfreexl) fails on this file: it is damaged; open it in Excel or WPS, save it again and import that"
slow="the .xls reader (libfreexl) did not finish reading this file within the time allowed"
outside="the .xls reader (libfreexl) was ended from outside (signal"
end_case "a crash (SEGV) at row 2500" "2500 11" "$damaged"
end_case "an abort at row 2500" "2500 6" "$damaged"
end_case "a crash at open" "0 11" "$damaged"
end_case "out of CPU time (SIGXCPU) at row 2500" "2500 24" "$slow"
end_case "the wall clock's backstop (SIGALRM) at row 2500" "2500 14" "$slow"
end_case "SIGKILL from outside at row 2500" "2500 9" "$outside 9"
end_case "SIGTERM from outside at row 2500" "2500 15" "$outside 15"
end_case "SIGKILL from outside at open" "0 9" "$outside 9"
end_case "a crash in the header scan (row 5)" "5 11" "$damaged"

# strace: the workbook (/proc/self/fd/N, as libfreexl is given it) is opened by one
# process, the child, once; and every child is reaped, whatever its end.
if strace -f -qq -o /dev/null true 2>/dev/null; then
    trace() {  # NAME "ROW SIGNAL"|"" FILE
        cp base.db t.db
        YINGJI_XLS_READER_END="$2" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -qq -e trace=openat,clone,clone3,fork,vfork,wait4 -o st.txt \
            "$YINGJI" --db t.db import accidents "$3" >/dev/null 2>&1
        parent=$(head -1 st.txt | cut -d' ' -f1)
        opens=$(grep -v ENOENT st.txt | grep -E 'openat\(AT_FDCWD, "/proc/self/fd/[0-9]+"' | cut -d' ' -f1)
        check "$1: the import itself never opens the workbook for libfreexl" \
            sh -c "! echo '$opens' | grep -qx '$parent'"
        check "  $1: one process opens it, once" test "$(echo "$opens" | grep -c .)" = 1
        children=$(grep "^$parent " st.txt | grep -E '(clone|fork)' | grep -v CLONE_THREAD |
                   grep -oE '= [0-9]+$|parent_tid=\[[0-9]+\]' | grep -oE '[0-9]+')
        # the import's threads (the rows are read on its parsing thread)
        threads="$parent $(grep "^$parent " st.txt | grep CLONE_THREAD | grep -oE '= [0-9]+$' | grep -oE '[0-9]+')"
        reaped=1
        for k in $children; do
            found=0
            for t in $threads; do
                grep "^$t " st.txt | grep wait4 | grep -qE "= $k\$" && found=1
            done
            [ $found = 1 ] || reaped=0
        done
        check "  $1: every child reaped (children: $(echo $children))" test $reaped = 1 -a -n "$children"
    }
    trace "an import of two sheets, one stopped after its first rows" "" rows.xls
    trace "a child crashing mid-stream" "2500 11" rows.xls
    trace "a child killed from outside mid-stream" "2500 9" rows.xls
    trace "a child crashing at open" "0 11" rows.xls
    trace "a child crashing in the header scan" "5 11" rows.xls
    cp "$ROOT/tests/data/import/xls_reader_crash_open.xls" .
    trace "a damaged file (libfreexl crashes)" "" xls_reader_crash_open.xls
    printf '\320\317\021\340\241\261\032\341' >corrupt.xls     # a compound file's signature, then nothing
    head -c 600 /dev/zero >>corrupt.xls
    trace "a file libfreexl refuses (the child answers, then is ended)" "" corrupt.xls
else
    skip "the workbook opened by the child alone; every child reaped" "strace cannot run here"
fi

# What the child keeps open: its standard streams on /dev/null, its socket and the
# workbook, never the database (or any other descriptor or shared mapping of the import's),
# even when the import was started with its standard input closed (the socket could then
# be descriptor 0). slow.xls keeps the child busy for a few seconds (1,500 dates of 9999-12-31).
"$PY" - <<'PY'
import datetime, xlwt
d = xlwt.easyxf(num_format_str="yyyy-mm-dd")
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("有效期")
for r in range(1500):
    ws.write(r, 0, "L%04d" % r); ws.write(r, 1, datetime.datetime(9999, 12, 31), d)
wb.save("slow.xls")
PY
for how in "" "<&-"; do
    cp base.db t.db
    eval "\"\$YINGJI\" --db t.db import accidents slow.xls >out.txt 2>err.txt $how &"
    parent=$!
    child= k=0
    while [ -z "$child" ] && [ $k -lt 400 ]; do child=$(pgrep -P $parent); k=$((k + 1)); sleep 0.02; done
    sleep 0.2                       # (past the fork's first steps: libfreexl reads for seconds)
    fds=$( [ -n "$child" ] && ls -l /proc/$child/fd 2>/dev/null | awk 'NR > 1 {print $9, $NF}' | tr '\n' ' ')
    # and no mapping of the database's files (SQLite maps the WAL index, t.db-shm, shared
    # and writable: inherited by fork, a child's stray write would land in it)
    maps=$( [ -n "$child" ] && grep -E 't\.db' /proc/$child/maps 2>/dev/null | awk '{print $2, $NF}' | tr '\n' ' ')
    wait $parent
    # each descriptor's target: /dev/null three times, one socket, the workbook (the
    # descriptor it was given and, while libfreexl reads, libfreexl's own), nothing else
    echo "$fds" | tr ' ' '\n' | grep -v '^[0-9]*$' | sed 's|^socket:.*|socket|; s|.*/slow\.xls$|slow.xls|' |
        sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ' >kept.txt
    check "the child's descriptors ${how:+(standard input closed) }($fds)" \
        grep -Eqx '/dev/null:3 slow\.xls:[12] socket:1 ' kept.txt
    check "  nor a mapping of the database's files${how:+ (standard input closed)} ($maps)" test -n "$child" -a -z "$maps"
done

# A fork that fails leaves no reader: an error, nothing stored. Provoked where the test
# runs as root: as nobody (uid 65534, with no process of its own) under a limit of one
# process (RLIMIT_NPROC, which root itself is not held to).
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && command -v prlimit >/dev/null 2>&1 &&
   ! pgrep -u 65534 >/dev/null 2>&1 && chmod a+x "$TMP" && mkdir np && as_nobody test -x "$YINGJI"; then
    cp base.db np/t.db && cp rows.xls np/ && chmod -R a+rwX np
    (cd np && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        as_nobody prlimit --nproc=1 "$YINGJI" --db t.db import accidents rows.xls >out.txt 2>err.txt
     echo $? >rc)
    check "a fork that fails (RLIMIT_NPROC 1): refused (exit $(cat np/rc))" test "$(cat np/rc)" = 2
    contains np/err.txt "rows.xls: cannot start the .xls reader: Resource temporarily unavailable" "  the error says so"
    dbdump np/t.db >t.dump
    check "  the database unchanged" cmp -s base.dump t.dump
else
    skip "a fork that fails" "not root, or no setpriv/prlimit, or uid 65534 has processes"
fi
