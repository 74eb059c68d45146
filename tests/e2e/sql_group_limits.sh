# sql_group_limits.sh — sql.group (issue 18) keeps its totals outside the Lua heap while
# it reads the rows: they count against --max-memory, and the loop against --sql-timeout,
# as sql.rows' rows would; a run stopped there exits 4 with the limit's message.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db db.sqlite init >/dev/null 2>&1 || not_ok "init"
cat >big.lua <<'LUA'
-- 30,000 rows of 1,000 bytes joined under one key: 30 MB of totals
local by = sql.group([[WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
                       SELECT 1 AS k, printf('%.1000c', 'x') AS t FROM n]])
print(#by[1].t)
LUA
expect_status 4 "30 MB of totals under --max-memory 16: stopped" "$YINGJI" --db db.sqlite run --max-memory 16 big.lua
contains err.txt "exceeded its memory limit (16 MB)" "the memory limit names itself"
expect_status 0 "the same under the default limit: done" "$YINGJI" --db db.sqlite run big.lua
contains err.txt "30029999" "all of it, joined with ';'"
cat >keys.lua <<'LUA'
-- 30,000 keys of 1,000 bytes each
local by = sql.group([[WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
                       SELECT printf('%.990c%010d', 'k', i) AS k, 1 AS n FROM n]])
local c = 0
for _ in pairs(by) do c = c + 1 end
print(c)
LUA
expect_status 4 "30 MB of text keys under --max-memory 16: stopped" "$YINGJI" --db db.sqlite run --max-memory 16 keys.lua
contains err.txt "exceeded its memory limit (16 MB)" "the keys count against it too"
expect_status 0 "the same under the default limit: done" "$YINGJI" --db db.sqlite run keys.lua
contains err.txt "30000" "30,000 keys"
cat >slow.lua <<'LUA'
local by = sql.group([[WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)
                       SELECT i % 7 AS k, 1 AS n FROM n]])
LUA
expect_status 4 "a long loop under --sql-timeout 200: stopped" "$YINGJI" --db db.sqlite run --sql-timeout 200 slow.lua
contains err.txt "exceeded its SQL time limit (200 ms)" "the SQL time limit names itself"
# An error in the middle of the loop (a key NULL, text among numbers, an overflow) must not
# leave the SQL time it used uncounted: a script catching it with pcall, again and again,
# is stopped by --sql-timeout as one long query would be (it ran 4 s of SQL under 1000 ms).
# Each call takes some 10 ms, far under the limit even on a loaded machine: only their sum
# can reach it.
cat >caught.lua <<'LUA'
local tail = { "NULL AS k, 1", "1, 'x'", "1, 9223372036854775807" }
for i = 1, 400 do
  local q = [[WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
              SELECT 1 AS k, 1 AS n FROM n UNION ALL SELECT ]] .. tail[i % 3 + 1]
  local ok, err = pcall(sql.group, q)
  if ok then error("sql.group did not fail") end
  if err:find("SQL time limit", 1, true) then error(err, 0) end
end
print("done")
LUA
expect_status 4 "failing sql.group calls caught with pcall under --sql-timeout 1000: stopped" \
    "$YINGJI" --db db.sqlite run --sql-timeout 1000 caught.lua
contains err.txt "exceeded its SQL time limit (1000 ms)" "their SQL time was counted"
