# run_exit_state.sh — `yingji run` leaves the script's Lua state to the process's exit
# (no lua_close: 20-30 ms of a 3,000-unit scoring) only when nothing but memory would be
# lost: not with a SQL statement still open (a coroutine suspended in a sql.rows loop),
# not in the sanitizer build (LeakSanitizer must see every block), never in `yingji test`.
# gdb counts the calls of lua_close. Every finalizer (__gc) of the engine must be listed,
# with why leaving it is harmless, above state_left_to_exit in core/script.c.
. "$(dirname "$0")/../lib.sh"

# The audit, of a source tree: per file of the engine (every .c and .h outside tests/,
# fuzz/, bench/, tools/ and build/: a module in a new folder too), the __gc metamethods set
# (the sandbox's refusal aside) against the metatables listed in core/script.c's comment;
# and no standard library opened whose objects have finalizers of their own (io: a file's
# __gc closes it, a popen'ed one is waited for; package: its __gc unloads C libraries;
# luaL_openlibs opens both). audit TREE: 0 when both hold; set.txt, listed.txt, libs.txt.
audit() {
    (cd "$1" && find . \( -path ./tests -o -path ./fuzz -o -path ./bench -o -path ./tools -o -path ./build \) -prune -o \
        \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort) >files.txt
    : >set.txt
    while read -r f; do
        n=$(grep -c '"__gc"' "$1/$f")
        [ "$n" != 0 ] && [ "$f" != core/script_sandbox.c ] && echo "$f:$n" >>set.txt
    done <files.txt
    sed -n '/^static int state_left_to_exit/q; /"yj\.[a-z.]*" /p' "$1/core/script.c" >listed.lines
    grep -o '"yj\.[a-z.]*" *[a-z_/]*\.c' listed.lines | awk '{f=$2; if (f !~ /\//) f="core/" f; n[f]++}
        END {for (f in n) print f ":" n[f]}' | sort >listed.txt
    (cd "$1" && xargs grep -nE 'luaopen_(io|package)\b|luaL_openlibs|LUA_(IO|LOADLIB)LIBNAME' <"$OLDPWD/files.txt") >libs.txt
    cmp -s set.txt listed.txt && test ! -s libs.txt
}
check "every __gc of the engine's sources is listed in core/script.c, no io or package library" audit "$ROOT"
sed 's/^/    /' libs.txt
# the audit itself fails on a finalizer it should see: a __gc set in a new folder, Lua's io
# library opened in the sandbox (both passed the audit of core/*.c and charts/*.c before)
fails() { if "$@"; then return 1; fi; }
mkdir tree && cp -R "$ROOT/core" "$ROOT/charts" "$ROOT/util" tree/
check "  the audit passes a copy of the sources" audit tree
mkdir tree/report && printf 'static void f(lua_State *L) { lua_setfield(L, -2, "__gc"); }\n' >tree/report/report_lua.c
check "  and fails on a __gc in a new folder (report/)" fails audit tree
contains set.txt "report/report_lua.c:1" "  naming it"
rm -r tree/report
sed 's|{LUA_COLIBNAME, luaopen_coroutine}, {NULL, NULL}|{LUA_COLIBNAME, luaopen_coroutine}, {LUA_IOLIBNAME, luaopen_io}, {NULL, NULL}|' \
    "$ROOT/core/script_sandbox.c" >tree/core/script_sandbox.c
check "  (the sandbox's copy opens io)" grep -q 'luaopen_io' tree/core/script_sandbox.c
check "  and fails on the io library opened in the sandbox" fails audit tree
contains libs.txt "core/script_sandbox.c" "  naming where"

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
