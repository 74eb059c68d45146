# sandbox_gc.sh — the script's collector and the memory limit (core/script_gc.c,
# core/script_alloc.c). The collector sleeps until the Lua heap reaches a quarter of the
# limit; a growth the limit refuses is retried by Lua after an emergency collection, so
# garbage never counts against the limit, while live memory past it still stops the run
# however the script catches the error (pcall, a coroutine, the chunk's last line).
# (print writes to standard error.)
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null

# over NAME LUA: under a 32 MB limit the run stops with exit 4 and the limit's message,
# and the line after the catch never prints.
over() {
    printf '%s\n' "$2" >over.lua
    expect_status 4 "$1: exit 4" "$YINGJI" --db t.db run --max-memory 32 over.lua
    contains err.txt "script exceeded its memory limit (32 MB)" "$1: says the memory limit"
    check "$1: the script did not go on" sh -c '! grep -q escaped err.txt'
}

# 1. Garbage does not count: 20 MB kept, then 200 MB of 1 MB strings dropped at once.
#    (Before: the collector let the heap reach twice the live data, 40 MB, and the
#    limit refused the growth before Lua's own emergency collection could free it.)
printf '%s\n' 'local keep = {}' \
    'for i = 1, 20 do keep[i] = string.rep(string.char(64 + i), 1 << 20) end' \
    'local n = 0' \
    'for i = 1, 200 do local g = string.rep("x", (1 << 20) - i); n = n + #g end' \
    'print(#keep, n)' >garbage.lua
expect_status 0 "20 MB live and 200 MB of garbage under a 32 MB limit: exit 0" \
    "$YINGJI" --db t.db run --max-memory 32 garbage.lua
contains err.txt "20	209695100" "  and it computed its sums"

# 2. Live memory past the limit, however the error is caught.
over "a table of strings growing inside pcall" \
    'local ok = pcall(function() local t = {} for i = 1, 100 do t[i] = string.rep("y", (1 << 20) + i) end end)
print("escaped", ok)'
over "an array growing inside pcall (Lua retries, refused again)" \
    'local ok = pcall(function() local t = {} for i = 1, 1e8 do t[i] = i end end)
print("escaped", ok)'
over "one string past the limit (a buffer Lua does not retry)" \
    'local ok = pcall(string.rep, "z", 100 << 20)
print("escaped", ok)'
over "the refusal on the chunk's last line" \
    'print("start") return pcall(string.rep, "z", 100 << 20)'
over "inside a coroutine that catches it and ends" \
    'local co = coroutine.wrap(function() return pcall(string.rep, "z", 100 << 20) end)
local ok = co()
print("escaped", ok)'
over "a concatenation past the limit inside pcall" \
    'local s = string.rep("a", 20 << 20)
local ok = pcall(function() return s .. s end)
print("escaped", ok)'

# 3. The collector wakes: 1 GB of garbage made 256 KB at a time stays far below the
#    limit (it would reach the limit if the collector never woke), under a 64 MB limit
#    and under the default 512 MB.
printf '%s\n' 'local n = 0' \
    'for i = 1, 4000 do local g = string.rep("w", (1 << 18) + i); n = n + #g end' \
    'print(n)' >churn.lua
case "$BUILD" in */san) rss=0 ;; *) rss=1; [ -x /usr/bin/time ] || rss=0 ;; esac
if [ "$rss" = 1 ]; then
    /usr/bin/time -f '%M' -o rss.txt "$YINGJI" --db t.db run --max-memory 64 churn.lua >out.txt 2>err.txt
    check "1 GB of garbage under a 64 MB limit: peak RSS $(tail -1 rss.txt) KB under 60 MB" \
        test "$(tail -1 rss.txt)" -lt 60000
    /usr/bin/time -f '%M' -o rss.txt "$YINGJI" --db t.db run churn.lua >out.txt 2>err.txt
    check "1 GB of garbage under the default limit: peak RSS $(tail -1 rss.txt) KB under 250 MB" \
        test "$(tail -1 rss.txt)" -lt 250000
else
    skip "peak RSS of the churn" "not measured under AddressSanitizer"
fi
expect_status 0 "1 GB of garbage: exit 0" "$YINGJI" --db t.db run --max-memory 64 churn.lua
contains err.txt "1056578000" "  and it counted every byte"

# 4. Statements left open by abandoned iterators are the collector's to finalize; they
#    live in SQLite's heap (capped at the limit + 64 MB), not Lua's: SQLite's heap wakes
#    the collector too. 3,000 statements of ~50 KB each, a few KB of Lua garbage.
printf '%s\n' 'local parts = {}' \
    'for i = 1, 400 do parts[i] = string.format("CASE WHEN id = %d THEN '"'"'v%d'"'"' ELSE '"''"' END", i, i) end' \
    'local q = "SELECT " .. table.concat(parts, " || ") .. " AS x FROM (SELECT 1 AS id UNION ALL SELECT 2)"' \
    'local n = 0' \
    'for i = 1, 3000 do local next_row = sql.rows(q); if next_row() then n = n + 1 end end' \
    'print("rows", n)' >abandon.lua
expect_status 0 "3,000 abandoned statements under a 32 MB limit: exit 0" \
    "$YINGJI" --db t.db run --max-memory 32 --sql-timeout 60000 abandon.lua
contains err.txt "rows	3000" "  and each gave its first row"

# 5. A refusal Lua does not retry (a string buffer's) must not be forgiven by some later
#    growth that happens to ask for the same size: inside a coroutine (whose hook does not
#    fire at the next instruction) the script catches string.rep's refusal, frees memory
#    with collectgarbage and then asks for exactly the refused bytes. (Before: exit 0.)
#    By a concatenation (a 30 MB string, 25 bytes of header: the 30 MB refused) ...
printf '%s\n' 'local a = string.rep("a", 15 << 20)' \
    'local b = string.rep("b", (15 << 20) - 25)' \
    'local co = coroutine.wrap(function()' \
    '  local keep = string.rep("k", 8 << 20)' \
    '  local ok = pcall(string.rep, "y", 30 << 20)' \
    '  keep = nil' \
    '  collectgarbage()' \
    '  local s = a .. b' \
    '  return ok, #s' \
    'end)' \
    'print("escaped", co())' >forgive.lua
expect_status 4 "a string buffer's refusal then a concatenation of its size in a coroutine: exit 4" \
    "$YINGJI" --db t.db run --max-memory 64 forgive.lua
contains err.txt "script exceeded its memory limit (64 MB)" "  says the memory limit"
check "  the script did not go on" sh -c '! grep -q escaped err.txt'
#    ... and by a table's new hash part (2^20 nodes of 24 bytes: 24 MB, asked for as a
#    buffer's is: no block, no type).
printf '%s\n' 'local h = {}' \
    'for i = 1, 1 << 19 do h[-i] = true end' \
    'local pad = string.rep("p", 22 << 20)' \
    'local co = coroutine.wrap(function()' \
    '  local keep = string.rep("k", 8 << 20)' \
    '  local ok = pcall(string.rep, "y", 24 << 20)' \
    '  keep = nil' \
    '  collectgarbage()' \
    '  h[-(1 << 19) - 1] = true' \
    '  return ok' \
    'end)' \
    'print("escaped", co())' >forgive2.lua
expect_status 4 "a string buffer's refusal then a table's hash part of its size in a coroutine: exit 4" \
    "$YINGJI" --db t.db run --max-memory 64 forgive2.lua
contains err.txt "script exceeded its memory limit (64 MB)" "  says the memory limit"
check "  the script did not go on" sh -c '! grep -q escaped err.txt'
#    A refusal in a coroutine that the coroutine catches and then yields, or ends, is
#    raised in the resumer (a coroutine itself) before it runs on; so is one caught in a
#    __close handler, as an error closes the coroutine or coroutine.close does.
over "a refusal caught in a coroutine resumed by a coroutine that runs on" \
    'local inner = coroutine.wrap(function() pcall(string.rep, "z", 100 << 20) coroutine.yield(1) end)
local outer = coroutine.wrap(function() inner() local x = 0 for i = 1, 150 do x = x + i end return x end)
local v = outer()
print("escaped", v)'
over "a refusal caught in a __close handler of a coroutine that raised" \
    'local co = coroutine.wrap(function()
  local x <close> = setmetatable({}, {__close = function() pcall(string.rep, "z", 100 << 20) end})
  error("boom")
end)
print("escaped", pcall(co))'
over "a refusal caught in a __close handler run by coroutine.close" \
    'local co = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() pcall(string.rep, "z", 100 << 20) end})
  coroutine.yield()
end)
coroutine.resume(co)
print("escaped", coroutine.close(co))'

#    A suspended coroutine the script drops is garbage at once (the runtime keeps the
#    coroutine it resumes alive only while the resume lasts): its 20 MB make room for
#    14 MB under a 48 MB limit at the next refusal.
printf '%s\n' 'local co = coroutine.wrap(function()' \
    '  local big = string.rep("b", 20 << 20)' \
    '  coroutine.yield(#big)' \
    'end)' \
    'print(co())' \
    'co = nil' \
    'local s = string.rep("c", 14 << 20)' \
    'print("room", #s)' >dropped_co.lua
expect_status 0 "a dropped suspended coroutine's 20 MB, then 14 MB under a 48 MB limit: exit 0" \
    "$YINGJI" --db t.db run --max-memory 48 dropped_co.lua
contains err.txt "room	14680064" "  and it built the string"

# 6. The instruction budget holds however often the cap refuses and Lua's emergency
#    collection then makes room: each iteration drops a 600 KB string and builds
#    another under a 1 MB limit (a refusal, then the retry granted), and runs ~900
#    instructions besides; 20,000 of them are ~18 million instructions. (Before: the
#    refusal restarted the main thread's countdown, unpaid, and the run ended with
#    exit 0 under a budget of 100,000.)
printf '%s\n' 'local half = string.rep("a", 300 << 10)' \
    'local acc = 0' \
    'for i = 1, 20000 do' \
    '  local big = half .. half' \
    '  for j = 1, 300 do acc = acc + j end' \
    'end' \
    'print("escaped", acc)' >budget.lua
expect_status 4 "refusals each granted on retry, 18 M instructions, budget 100,000: exit 4" \
    "$YINGJI" --db t.db run --max-memory 1 --max-instructions 100000 budget.lua
contains err.txt "script exceeded its instruction budget (100000)" "  says the instruction budget"
check "  the script did not go on" sh -c '! grep -q escaped err.txt'
#    The same with the refusals in a coroutine, the main thread's loop doing the work.
printf '%s\n' 'local half = string.rep("a", 300 << 10)' \
    'local co = coroutine.wrap(function()' \
    '  while true do local big = half .. half; coroutine.yield() end' \
    'end)' \
    'local acc = 0' \
    'for i = 1, 5000 do' \
    '  co()' \
    '  for j = 1, 300 do acc = acc + j end' \
    'end' \
    'print("escaped", acc)' >budget_co.lua
expect_status 4 "refusals in a coroutine, 4.5 M instructions in the main thread, budget 2,000,000: exit 4" \
    "$YINGJI" --db t.db run --max-memory 1 --max-instructions 2000000 budget_co.lua
contains err.txt "script exceeded its instruction budget (2000000)" "  says the instruction budget"
check "  the script did not go on" sh -c '! grep -q escaped err.txt'

# 7. Statements left open are garbage in SQLite's heap too: when it is full (the cap +
#    64 MB), a prepare collects Lua's garbage (finalizing them) and tries once more
#    before the limit trips. 6 MB of small live tables keep the collector's cycle long
#    while 3,000 abandoned statements of ~50 KB (150 MB) are made under a 32 MB limit
#    (SQLite's heap: 96 MB). (Before: exit 4, the limit's message from sql.rows.)
printf '%s\n' 'local keep = {}' \
    'for i = 1, 40000 do keep[i] = { i, tostring(i) } end' \
    'local parts = {}' \
    'for i = 1, 400 do parts[i] = string.format("CASE WHEN id = %d THEN '"'"'v%d'"'"' ELSE '"''"' END", i, i) end' \
    'local q = "SELECT " .. table.concat(parts, " || ") .. " AS x FROM (SELECT 1 AS id UNION ALL SELECT 2)"' \
    'local n = 0' \
    'for i = 1, 3000 do local next_row = sql.rows(q); if next_row() then n = n + 1 end end' \
    'print("rows", n, #keep)' >abandon_live.lua
expect_status 0 "3,000 abandoned statements beside 6 MB of live tables under a 32 MB limit: exit 0" \
    "$YINGJI" --db t.db run --max-memory 32 --sql-timeout 60000 abandon_live.lua
contains err.txt "rows	3000	40000" "  and each gave its first row"

# 8. sql.group's totals live outside the Lua heap and are charged with it against the
#    limit: the Lua heap's garbage must not count there either. 7 MB of garbage (below
#    the wake point of a 32 MB limit: the collector still asleep), then the totals of
#    80,000 keys (~20 MB). (Before: exit 4 from sql.group; before the collector slept,
#    exit 0.)
printf '%s\n' 'for i = 1, 56 do local s = string.rep("g", 128 << 10) end' \
    'local by = sql.group("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 80000) SELECT x, printf('"'"'%080d'"'"', x) AS t FROM c")' \
    'local k = 0 for _ in pairs(by) do k = k + 1 end' \
    'print("keys", k)' >group_garbage.lua
expect_status 0 "7 MB of garbage, then sql.group of 80,000 keys under a 32 MB limit: exit 0" \
    "$YINGJI" --db t.db run --max-memory 32 group_garbage.lua
contains err.txt "keys	80000" "  and it totalled every key"
