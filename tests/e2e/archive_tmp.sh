# archive_tmp.sh — `yingji archive` writes its snapshot to a temp file named for what it
# is (OUT.yingji-tmp-PID) and renames it into place (issue 10 item 19): a killed archive
# leaves a temp that the next run in that folder removes; a temp of a live process is
# left alone; the archive is never written over the database or its -wal/-shm.
. "$(dirname "$0")/../lib.sh"
units_db t.db
cat >quick.lua <<'LUA'
publish("t", { "x" }, { { x = 1 } })
LUA
cat >slow.lua <<'LUA'
local x = 0
while true do x = x + 1 end   -- killed long before its instruction budget runs out
LUA

# A killed archive: its temp is there while it runs, named for what it is.
mkdir out
"$YINGJI" --db t.db archive -o out/e.yjar slow.lua >/dev/null 2>&1 &
pid=$!
n=0
# (the temp is created empty, then the snapshot fills it: wait for the SQLite header)
while [ $n -lt 400 ] && [ "$(head -c 15 "out/e.yjar.yingji-tmp-$pid" 2>/dev/null)" != "SQLite format 3" ]; do
    sleep 0.05; n=$((n + 1)); done
check "while it runs, the temp is out/e.yjar.yingji-tmp-PID" test -e "out/e.yjar.yingji-tmp-$pid"
check "  and it is the snapshot being built (an SQLite file)" \
    sh -c "head -c 15 out/e.yjar.yingji-tmp-$pid | grep -q 'SQLite format 3'"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "a killed archive leaves its temp behind" test -e "out/e.yjar.yingji-tmp-$pid"
check "  and no archive" test ! -e out/e.yjar

# A planted temp of a live process must survive the next run.
sleep 300 & live=$!
echo live >"out/f.yjar.yingji-tmp-$live"
expect_status 0 "issue 10.19: the next archive into that folder" \
    "$YINGJI" --db t.db archive -o out/g.yjar quick.lua
check "  removes the stale temp of the killed run" test ! -e "out/e.yjar.yingji-tmp-$pid"
check "  keeps the temp of a live process" test -e "out/f.yjar.yingji-tmp-$live"
check "  leaves no temp of its own" sh -c "! ls -a out | grep -v 'yingji-tmp-$live' | grep -q yingji-tmp"
check "  and its archive verifies" sh -c "\"$YINGJI\" verify out/g.yjar >/dev/null"
kill $live 2>/dev/null
wait $live 2>/dev/null

# A failing script: no archive, no temp.
echo 'error("no")' >bad.lua
expect_status 4 "a failing script is not archived" "$YINGJI" --db t.db archive -o out/b.yjar bad.lua
check "  and leaves no temp" sh -c '! ls -a out | grep -q "^b.yjar"'

# The archive is never the database or one of its files.
dbdump t.db >before.sql
for o in t.db-wal t.db-shm t.db-journal ./t.db-wal; do
    expect_status 1 "archive -o $o (a file of the database) is refused" \
        "$YINGJI" --db t.db archive -o "$o" quick.lua
    contains err.txt "is the database" "  and says why ($o)"
done
check "the database is intact" sh -c 'sqlite3 t.db .dump | cmp -s - before.sql'

# The script of an archive reads the snapshot, but the live database is open too: a
# script saving over it through charts_dir is refused (it was turned into a PDF before).
cat >over.lua <<'LUA'
local doc = require("chart").document()
doc:section("x")
doc:save(ctx.params.charts_dir .. "/" .. ctx.params.target)
publish("t", { "x" }, { { x = 1 } })
LUA
for t in t.db t.db-wal t.db-shm hard.db; do
    [ "$t" = hard.db ] && ln -f t.db hard.db
    expect_status 4 "archive: a script saving over $t (live database) is refused" \
        "$YINGJI" --db t.db archive -o "over-$t.yjar" --set charts_dir=. --set "target=$t" over.lua
    contains err.txt "holds open" "  and says why ($t)"
done
check "the live database is intact" sh -c 'sqlite3 t.db .dump | cmp -s - before.sql'
check "and no archive was written" sh -c '! ls over-*.yjar 2>/dev/null | grep -q .'
