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
