# archive_bounded.sh — `yingji archive` and `yingji verify` take run's limits
# (--timeout, --max-instructions, --max-memory, --sql-timeout, same defaults); a limit
# hit under verify is exit 5 naming the limit (issue 12, attack 4). Each script below
# runs away only when verified (the archive run sees no yj_archive table).
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null || exit 1
runaway() {  # name, Lua run only under verify
    cat >"$1.lua" <<LUA
local under_verify = sql.query("SELECT count(*) AS n FROM sqlite_master WHERE name = 'yj_archive'")[1].n > 0
if under_verify then
$2
end
publish("t", { "x" }, { { x = 1 } })
LUA
    "$YINGJI" --db t.db archive -o "$1.yjar" "$1.lua" >/dev/null 2>&1 || not_ok "archive $1"
}
runaway loop 'while true do end'
runaway pattern 'local s = string.rep("a", 5000); s:find(".-.-.-.-.-.-b")'
runaway memory 'local t = {} for i = 1, 1e8 do t[i] = string.rep("x", 100) .. i end'
runaway gc 'setmetatable({}, { __gc = function() while true do end end })'
runaway sql 'sql.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")'

expect_status 5 "an endless loop under verify stops at --max-instructions" \
    "$YINGJI" verify --max-instructions 1000000 loop.yjar
contains out.txt "verification failed" "  reported as a failed verification"
contains out.txt "instruction" "  the limit is named"
start=$(date +%s)
expect_status 5 "a pattern that backtracks under verify stops at --timeout" \
    "$YINGJI" verify --timeout 1 pattern.yjar
check "  within a few seconds" test $(( $(date +%s) - start )) -le 10
contains err.txt "time limit (--timeout 1 s)" "  the limit is named"
start=$(date +%s)
expect_status 5 "a __gc metamethod that never returns stops at --timeout" "$YINGJI" verify --timeout 2 gc.yjar
check "  within a few seconds" test $(( $(date +%s) - start )) -le 10
expect_status 5 "memory under verify stops at --max-memory" "$YINGJI" verify --max-memory 16 memory.yjar
contains out.txt "memory" "  the limit is named"
expect_status 5 "endless SQL under verify stops at --sql-timeout" "$YINGJI" verify --sql-timeout 300 sql.yjar
contains out.txt "SQL" "  the limit is named"

# archive takes the same options (a limit hit there is a script error, exit 4, as in run)
printf 'while true do end\n' >spin.lua
expect_status 4 "archive --max-instructions stops a loop" \
    "$YINGJI" --db t.db archive --max-instructions 1000000 -o spin.yjar spin.lua
check "  and writes no archive" test ! -e spin.yjar
printf 'local s = string.rep("a", 5000); s:find(".-.-.-.-.-.-b")\n' >slow.lua
expect_status 4 "archive --timeout stops a backtracking pattern" \
    "$YINGJI" --db t.db archive --timeout 1 -o slow.yjar slow.lua
contains err.txt "time limit" "  the limit is named"

for c in archive verify; do
    expect_status 0 "$c --help" "$YINGJI" $c --help
    for o in --timeout --max-instructions --max-memory --sql-timeout; do
        contains out.txt "$o" "  $c --help lists $o"
    done
    contains out.txt "(default 600)" "  $c has run's default time limit"
    expect_status 1 "$c --timeout x is a usage error" "$YINGJI" $c --timeout x x.yjar
done
