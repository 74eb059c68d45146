# run_exit_state.sh — `yingji run` leaves the script's Lua state to the process's exit
# (no lua_close: 20-30 ms of a 3,000-unit scoring) only when nothing but memory would be
# lost: not with a SQL statement still open (a coroutine suspended in a sql.rows loop),
# not in the sanitizer build (LeakSanitizer must see every block), never in `yingji test`.
# gdb counts the calls of lua_close. Every finalizer (__gc) of the engine must be listed,
# with why leaving it is harmless, above state_left_to_exit in core/script.c.
. "$(dirname "$0")/../lib.sh"

# The audit: per source file, the __gc metamethods set (the sandbox's refusal aside)
# against the metatables listed in core/script.c's comment.
grep -c '"__gc"' "$ROOT"/core/*.c "$ROOT"/charts/*.c | grep -v ':0$' | grep -v 'script_sandbox.c:' |
    sed "s|^$ROOT/||" | sort >set.txt
sed -n '/^static int state_left_to_exit/q; /"yj\.[a-z.]*" /p' "$ROOT/core/script.c" >listed.lines
grep -o '"yj\.[a-z.]*" *[a-z_/]*\.c' listed.lines | awk '{f=$2; if (f !~ /\//) f="core/" f; n[f]++}
    END {for (f in n) print f ":" n[f]}' | sort >listed.txt
check "every __gc of core/ and charts/ is listed in core/script.c ($(wc -l <set.txt) files)" cmp set.txt listed.txt

units_db t.db

# Every kind of engine object, each finished or left to the collector, then published.
cat >all.lua <<'LUA'
local chart = require "chart"
local n = 0
for r in sql.rows("SELECT code FROM units WHERE kind = 'township'") do n = n + 1 end
local by = sql.group("SELECT kind, 1 AS n FROM units")
local doc = chart.document{ title = "t", author = "a", date = "2020-06-30" }
doc:paragraph("不保存")                       -- never saved: freed with the state
publish("t", {"n", "townships", "first"}, {{n = n, townships = by.township.n,
        first = sql.value("SELECT min(code) FROM units")}})
LUA
# A coroutine suspended inside a sql.rows loop keeps its statement open.
cat >open.lua <<'LUA'
local co = coroutine.wrap(function()
  for r in sql.rows("SELECT code FROM units ORDER BY code") do coroutine.yield(r.code) end
end)
publish("t", {"first"}, {{first = co()}})
LUA
printf 'error("stopped here")\n' >fails.lua
mkdir tests
cat >tests/all_test.lua <<'LUA'
test("the script runs", function()
  local t = run_script("all.lua", { db = fixture{ units = { { code = "T01", name = "甲", kind = "township" } } } })
  assert(t.t[1].n == 1)
end)
LUA

expect_status 0 "every kind of object: exit 0" "$YINGJI" --db t.db run all.lua --format csv
printf '# t\nn,townships,first\n%s,%s,%s\n' "$(sqlite3 t.db "SELECT count(*) FROM units WHERE kind = 'township'")" \
    "$(sqlite3 t.db "SELECT count(*) FROM units WHERE kind = 'township'")" "$(sqlite3 t.db "SELECT min(code) FROM units")" >want.csv
check "  its table" cmp out.txt want.csv
expect_status 0 "a statement left open: exit 0" "$YINGJI" --db t.db run open.lua --format csv
printf '# t\nfirst\n%s\n' "$(sqlite3 t.db "SELECT min(code) FROM units")" >want_open.csv
check "  its table" cmp out.txt want_open.csv

if command -v gdb >/dev/null 2>&1; then
    cat >count.gdb <<'GDB'
set pagination off
set breakpoint pending on
break lua_close
commands
silent
printf "LUA_CLOSE\n"
continue
end
run
GDB
    # closes DESCRIPTION WANT ARGS...: runs yingji under gdb; WANT lua_close calls.
    closes() {
        c_d=$1 c_want=$2; shift 2
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            gdb -q -batch -x "$TMP/count.gdb" --args "$YINGJI" "$@" >gdb.out 2>&1
        c_got=$(grep -c '^LUA_CLOSE' gdb.out)
        check "$c_d: lua_close called $c_got time(s), want $c_want" test "$c_got" = "$c_want"
    }
    case "$BUILD" in */san) left=1 ;; *) left=0 ;; esac
    closes "run, every object finished or memory only (sanitizer build: closed)" "$left" --db t.db run all.lua
    contains gdb.out "$(sqlite3 t.db "SELECT min(code) FROM units")" "  the table printed"
    closes "run, a script error" "$left" --db t.db run fails.lua
    contains gdb.out "stopped here" "  the error printed"
    closes "run, a statement open in a suspended coroutine: closed (finalized before the db)" 1 \
        --db t.db run open.lua
    contains gdb.out "$(sqlite3 t.db "SELECT min(code) FROM units")" "  the table printed"
    closes "test: every state closed (the harness's run and the script's)" 2 --db t.db test tests/all_test.lua
    contains gdb.out "1 passed" "  the test passed"
else
    skip "lua_close counted" "gdb is not installed"
fi
