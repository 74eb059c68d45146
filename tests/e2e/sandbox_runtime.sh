# sandbox_runtime.sh — limits a hostile script tried to walk around (issue 10), from the
# command line: a __gc planted through an engine metatable (finalizers run with hooks
# off), budgets below the count hook's step, and runaways inside coroutines. Each must end
# with exit status 4 and the limit's message, quickly (`timeout` is the test's backstop).
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null

# stopped NAME MESSAGE LUA [RUN-OPTIONS...]: exit 4 within 60 s, MESSAGE on stderr.
stopped() {
    name=$1 msg=$2
    printf '%s\n' "$3" >evil.lua
    shift 3
    expect_status 4 "$name: exit 4" timeout 60 "$YINGJI" --db t.db run evil.lua "$@"
    contains err.txt "$msg" "$name: says '$msg'"
}

# 6: the reproducer of issue 10 ran a 3e8-iteration finalizer under a budget of 10^6.
LOOP='function() local x = 0; for i = 1, 3e8 do x = x + i end end'
for obj in "date.ymd(2020, 1, 1)" "period.month(ctx.as_of)" "select(4, sql.rows('SELECT 1'))" \
           "require('chart').document{}"; do
    stopped "a __gc through getmetatable($obj)" "attempt to index a string value" \
        "getmetatable($obj).__gc = $LOOP
         for i = 1, 3 do local d = $obj end
         collectgarbage()" --max-instructions 1000000
done
stopped "a script's own __gc" "__gc metamethods are not allowed" \
    "setmetatable({}, {__gc = $LOOP}); collectgarbage()" --max-instructions 1000000

# 8: budgets below the hook's step of 1,000 instructions were not enforced.
# (a loop of some 600 instructions: it never reached the first hook)
for n in 1 10 100 500; do
    stopped "--max-instructions $n" "script exceeded its instruction budget ($n)" \
        'local x = 0; for i = 1, 300 do x = x + i end' --max-instructions "$n"
done
printf 'local x = 0; for i = 1, 20 do x = x + i end\n' >small.lua
expect_status 0 "--max-instructions 100: a 40-instruction script runs" "$YINGJI" --db t.db run small.lua --max-instructions 100

# 11: coroutines exist, and every limit holds inside them.
stopped "a loop inside coroutine.wrap" "script exceeded its instruction budget (1000000)" \
    'print(pcall(coroutine.wrap(function() while true do end end))); publish("escaped", {"x"}, {})' \
    --max-instructions 1000000
stopped "a resume loop" "script exceeded its instruction budget (1000000)" \
    'local co = coroutine.create(function() while true do coroutine.yield() end end)
     while true do coroutine.resume(co) end' --max-instructions 1000000
stopped "short coroutines, each under the hook's step" "script exceeded its instruction budget (20000000)" \
    'for i = 1, 2e5 do coroutine.wrap(function() for j = 1, 400 do end end)() end' --max-instructions 20000000
# Lua leaves the hooks off in a coroutine the hook stopped; wrap then ran its __close.
stopped "a wrapped coroutine's __close after the budget" "script exceeded its instruction budget (1000000)" \
    'local f = coroutine.wrap(function()
       local c <close> = setmetatable({}, {__close = function() while true do end end})
       while true do end end)
     print(pcall(f))' --max-instructions 1000000
stopped "memory inside a coroutine" "script exceeded its memory limit (8 MB)" \
    'print(pcall(coroutine.wrap(function() local t = {} for i = 1, 1e8 do t[i] = i end end)))' --max-memory 8
printf '%s\n' 'local t = {}' 'for v in coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) do t[#t + 1] = {v = v} end' \
    'publish("t", {"v"}, t)' >gen.lua
expect_status 0 "a generator runs" "$YINGJI" --db t.db run --format csv gen.lua
check "... and publishes its values" test "$(tr '\n' ' ' <out.txt)" = "# t v 1 2 3 "
