# concurrent_read.sh — WAL: readers running while an import is in progress see the state
# before it or after it, never between. Real parallel processes: an import of ROWS new
# inspections in the background while readers loop until it ends:
# - `yingji info`: the inspections count it prints is the old or the new one, and its
#   import log lists the new file exactly when the count is the new one;
# - the sqlite3 shell's SELECT count(*) (an independent reader of the same file).
# Bounded: the loop ends with the import (a few seconds at most); no timing assertions
# beyond "at least one read happened while the import ran" (else the test proved nothing).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/harden.inc"
ROWS=${CONCURRENT_ROWS:-40000}
new_db t.db 200
gen_inspections 5000 200 >old.csv
"$YINGJI" --db t.db import inspections old.csv >/dev/null
gen_inspections "$ROWS" 200 NEW >new.csv
old=5000 new=$((5000 + ROWS))
check "journal mode is WAL" test "$(q t.db 'PRAGMA journal_mode')" = wal

"$YINGJI" --db t.db import inspections new.csv >imp.out 2>imp.err &
pid=$!
reads=0 during=0 bad=0 seen_old=0 seen_new=0
while :; do
    running=0; kill -0 "$pid" 2>/dev/null && running=1
    "$YINGJI" --db t.db info >info.txt 2>info.err || { not_ok "info failed during the import"; sed 's/^/    /' info.err; bad=$((bad + 1)); break; }
    n=$(awk '$1 == "inspections" { print $2 }' info.txt)
    logged=$(grep -c ' new\.csv$' info.txt)
    s=$(q t.db 'SELECT count(*) FROM inspections')
    reads=$((reads + 1))
    [ "$running" = 1 ] && kill -0 "$pid" 2>/dev/null && during=$((during + 1))
    if [ "$n" = "$old" ] && [ "$logged" = 0 ]; then seen_old=$((seen_old + 1))
    elif [ "$n" = "$new" ] && [ "$logged" = 1 ]; then seen_new=$((seen_new + 1))
    else not_ok "info saw a state between: $n inspections, new.csv logged $logged time(s)"; bad=$((bad + 1)); fi
    if [ "$s" != "$old" ] && [ "$s" != "$new" ]; then
        not_ok "SELECT count(*) saw $s, neither $old nor $new"; bad=$((bad + 1)); fi
    [ "$running" = 0 ] && break
    [ "$bad" -gt 5 ] && break
done
wait "$pid"
st=$?
check "the import succeeded alongside the readers (exit $st)" test "$st" -eq 0
check "$reads reads ($seen_old before, $seen_new after): none saw a state between" test "$bad" -eq 0
check "reads while the import ran: $during" test "$during" -ge 1
check "the last read saw the new state" test "$n" = "$new"
expect_status 0 "the database passes the check" "$YINGJI" --db t.db info --check
