# concurrent_imports.sh — imports started at the same time serialise: each waits for the
# write lock (the busy timeout of db_open, 10 s or $YINGJI_BUSY_TIMEOUT) and then lands
# whole. Real parallel processes: three imports of disjoint files plus a re-import of the
# same file twice; and an import blocked by a writer that holds the lock longer than the
# timeout is rejected with an error naming the file, the lock and the wait.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/harden.inc"
ROWS=${CONCURRENT_ROWS:-20000}
new_db t.db 200
for p in A B C; do gen_inspections "$ROWS" 200 "$p" >$p.csv; done

for p in A B C; do "$YINGJI" --db t.db import inspections $p.csv >$p.out 2>$p.err & eval "pid_$p=\$!"; done
for p in A B C; do
    eval "wait \$pid_$p"; st=$?
    check "parallel import $p.csv: exit status 0 (got $st)" test "$st" -eq 0
    contains $p.out "$p.csv: $ROWS rows: $ROWS new" "parallel import $p.csv: all rows new"
    check "parallel import $p.csv: its rows all there" \
        test "$(q t.db "SELECT count(*) FROM inspections WHERE id LIKE '$p%'")" -eq "$ROWS"
done
check "three log lines" test "$(q t.db "SELECT count(*) FROM imports WHERE dataset = 'inspections'")" -eq 3
check "the batches do not interleave" test "$(q t.db \
    "SELECT count(DISTINCT batch) FROM inspections GROUP BY substr(id, 1, 1)" | sort -u)" = 1

# The same file twice at once: one adds the rows, the other finds them unchanged.
gen_inspections 3000 200 D >D.csv
"$YINGJI" --db t.db import inspections D.csv >D1.out 2>&1 &
p1=$!
"$YINGJI" --db t.db import inspections D.csv >D2.out 2>&1 &
p2=$!
wait $p1; s1=$?; wait $p2; s2=$?
check "same file twice at once: both exit 0 ($s1, $s2)" test "$s1$s2" = 00
check "same file twice at once: one added, one unchanged" \
    test "$(cat D1.out D2.out | grep -c '3000 new\|3000 unchanged')" -eq 2
check "same file twice at once: 3000 rows once" \
    test "$(q t.db "SELECT count(*) FROM inspections WHERE id LIKE 'D%'")" -eq 3000
expect_status 0 "the database passes the check" "$YINGJI" --db t.db info --check

# Blocked past the busy timeout (YINGJI_BUSY_TIMEOUT=1 s, a writer holding the lock 3 s).
gen_inspections 100 200 E >E.csv
before=$(dbdump t.db)
{ echo 'BEGIN IMMEDIATE;'; sleep 3; echo 'ROLLBACK;'; } | sqlite3 t.db &
holder=$!
sleep 0.5
YINGJI_BUSY_TIMEOUT=1 "$YINGJI" --db t.db import inspections E.csv >out.txt 2>err.txt
st=$?
check "blocked past the busy timeout: rejected (exit $st)" test "$st" -eq 2
contains err.txt "E.csv: database: database is locked: another process is writing to it (waited 1 s" \
    "blocked past the busy timeout: names the file, the lock and the wait"
wait $holder
check "blocked past the busy timeout: database unchanged" test "$(dbdump t.db)" = "$before"
