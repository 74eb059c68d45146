# crash_kill.sh — SIGKILL the importer at random points of a large import, CRASH_KILLS
# times (20 in CI; `make fuzz` runs 200). After each kill the database must pass
# `yingji info --check` (PRAGMA integrity_check, foreign keys, no orphans) and hold the
# killed file all or nothing: all its rows and its import-log line, or neither; and the
# total is exactly the sum of the files that completed. Each file has its own id prefix.
# Kill delays are drawn (fixed awk seed) uniformly over 0 .. 1.3 × the time of one full
# import measured first, so most kills land inside the import, a few after it.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/harden.inc"
KILLS=${CRASH_KILLS:-20}
ROWS=${CRASH_ROWS:-40000}
new_db t.db 200
gen_inspections "$ROWS" 200 >base.csv

t0=$(now_ms)
expect_status 0 "a full import of $ROWS rows" "$YINGJI" --db t.db import inspections base.csv
full=$(( $(now_ms) - t0 ))
expected=$ROWS
delays=$(awk -v n="$KILLS" -v t="$full" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "%.3f ", rand() * t * 1.3 / 1000 }')

k=0 killed=0 finished=0 bad=0
for d in $delays; do
    k=$((k + 1))
    sed "2,\$s/^JC/K$k-/" base.csv >f$k.csv
    "$YINGJI" --db t.db import inspections f$k.csv >/dev/null 2>imp.err &
    pid=$!
    sleep "$d"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    st=$?
    if [ "$st" -eq 137 ]; then killed=$((killed + 1))
    elif [ "$st" -eq 0 ]; then finished=$((finished + 1))
    else not_ok "kill $k: importer exited $st by itself"; sed 's/^/    /' imp.err | head -3; bad=$((bad + 1)); fi
    if ! "$YINGJI" --db t.db info --check >check.txt 2>&1; then
        not_ok "kill $k after ${d}s: info --check fails"; sed 's/^/    /' check.txt | head -5
        bad=$((bad + 1)); break
    fi
    n=$(q t.db "SELECT count(*) FROM inspections WHERE id LIKE 'K$k-%'")
    log=$(q t.db "SELECT count(*) || ' ' || coalesce(sum(rows_new), 0) FROM imports WHERE file = 'f$k.csv'")
    if [ "$n" -eq "$ROWS" ] && [ "$log" = "1 $ROWS" ]; then expected=$((expected + ROWS)); state=all
    elif [ "$n" -eq 0 ] && [ "$log" = "0 0" ]; then state=none
    else not_ok "kill $k after ${d}s: file half there ($n rows, log '$log')"; bad=$((bad + 1)); break; fi
    total=$(q t.db "SELECT count(*) FROM inspections")
    if [ "$total" -ne "$expected" ]; then
        not_ok "kill $k: $total inspections, expected $expected"; bad=$((bad + 1)); break; fi
    echo "# kill $k after ${d}s: exit $st, file $state, total $total"
    rm -f f$k.csv
done
check "$KILLS kills: every one left a whole database, each file all or nothing" test "$bad" -eq 0
check "kills that landed while the importer ran: $killed (finished first: $finished)" test "$killed" -ge 1
sed "2,\$s/^JC/AFTER-/" base.csv >after.csv
expect_status 0 "an import after the crashes succeeds" "$YINGJI" --db t.db import inspections after.csv
expect_status 0 "and the database passes the check" "$YINGJI" --db t.db info --check
check "the killed files left nothing behind: $(q t.db 'SELECT count(*) FROM inspections') rows" \
    test "$(q t.db 'SELECT count(*) FROM inspections')" -eq $((expected + ROWS))
