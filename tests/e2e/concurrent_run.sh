# concurrent_run.sh — scripts (`yingji run`) while the database is being written.
# - The shipped double_decline.lua runs to completion alongside a real import (exit 0, no
#   "database is locked").
# - One run reads one state: a script that re-reads count(*) FROM imports up to
#   300,000 times must see the same count throughout, while another writer commits a
#   new import-log row 0.2 s after the script started (the run holds one read
#   transaction from its first query to its end).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/harden.inc"
new_db t.db 200
gen_inspections 40000 200 >big.csv
"$YINGJI" --db t.db import accidents "$ROOT/seeds/accidents_2020.csv" >/dev/null 2>&1

"$YINGJI" --db t.db import inspections big.csv >imp.out 2>imp.err &
pid=$!
expect_status 0 "double_decline.lua runs alongside an import" \
    "$YINGJI" --db t.db run "$ROOT/scripts/double_decline.lua" --as-of 2020-06-30 --format csv
contains out.txt "# by_unit" "double_decline.lua published its tables"
wait "$pid"
check "the import succeeded alongside the script (exit $?)" test "$(grep -c '40000 new' imp.out)" -eq 1

cat >snap.lua <<'LUA'
local first = sql.value("SELECT count(*) FROM imports")
local last, n = first, 0
for i = 1, 300000 do
  last = sql.value("SELECT count(*) FROM imports")
  n = i
  if last ~= first then break end
end
publish("snapshot", {"first", "last", "reads"}, {{first = first, last = last, reads = n}})
LUA
before=$(q t.db "SELECT count(*) FROM imports")
mkfifo writer
sqlite3 -cmd '.timeout 10000' t.db <writer >writer.out 2>&1 &
wpid=$!
exec 3>writer
echo "BEGIN IMMEDIATE; INSERT INTO imports(dataset, file, sha256, encoding, imported_at)
      VALUES ('units', 'other.csv', '', 'utf-8', '2020-07-01');" >&3
"$YINGJI" --db t.db run snap.lua --format csv >snap.out 2>snap.err &
rpid=$!
sleep 0.2
echo "COMMIT;" >&3
exec 3>&-
wait "$wpid"
wait "$rpid"
st=$?
check "the snapshot script ran (exit $st)" test "$st" -eq 0
check "the writer committed" test "$(q t.db 'SELECT count(*) FROM imports')" -eq $((before + 1))
first=$(sed -n 3p snap.out | cut -d, -f1)
last=$(sed -n 3p snap.out | cut -d, -f2)
echo "# snapshot script: $(sed -n 3p snap.out) (first,last,reads); before the commit: $before"
check "one run reads one state (first $first, last $last)" test "$first" = "$last"
