# run_test_cmd.sh — `yingji test`: finding test files, TAP lines, the summary line and
# the exit status, failures with their reason.
. "$(dirname "$0")/../lib.sh"

mkdir -p scripts/sub
cat >scripts/count.lua <<'LUA'
publish("n", {"units"}, {{units = sql.value("SELECT count(*) FROM units")}})
LUA
cat >scripts/count_test.lua <<'LUA'
local db = fixture{units = {{code = "T01", name = "甲镇", kind = "township"},
                            {code = "T02", name = "乙镇", kind = "township"}}}
test("two units", function()
  expect_eq(run_script("count.lua", {db = db}).n, {{units = 2}})
end)
test("each fixture is its own database", function()
  local other = fixture{units = {{code = "X", name = "X", kind = "zone"}}}
  expect_eq(run_script("count.lua", {db = other}).n[1].units, 1)
  expect_eq(run_script("count.lua", {db = db}).n[1].units, 2)
end)
LUA
cat >scripts/sub/wrong_test.lua <<'LUA'
test("passes", function() expect_eq({1, {a = "x"}}, {1, {a = "x"}}) end)
test("a wrong figure", function()
  expect_eq({{key = "T01", deaths = 2}}, {{key = "T01", deaths = 3}}, "by_unit")
end)
test("an error", function() local t = nil; return t.x end)
test("expect_error without an error", function() expect_error(function() end) end)
LUA
printf 'this is not lua (\n' >scripts/sub/broken_test.lua
printf 'local x = 1\n' >scripts/sub/empty_test.lua
printf 'error("not a test file, never run")\n' >scripts/helper.lua

expect_status 0 "a passing file exits 0" "$YINGJI" test scripts/count_test.lua
check "without --tap passing tests print nothing but the summary" \
    test "$(cat out.txt)" = "2 passed, 0 failed"
expect_status 0 "--tap" "$YINGJI" test --tap scripts/count_test.lua
contains out.txt "ok - scripts/count_test.lua: two units" "--tap prints ok - FILE: NAME"

expect_status 4 "failures exit non-zero" "$YINGJI" test --tap scripts/sub/wrong_test.lua
contains out.txt "ok - scripts/sub/wrong_test.lua: passes" "the passing test is reported"
contains out.txt "not ok - scripts/sub/wrong_test.lua: a wrong figure" "the failing test is named"
contains out.txt "by_unit: [1].deaths: got 2, want 3" "the difference is located"
contains out.txt "not ok - scripts/sub/wrong_test.lua: an error" "an error fails its test"
contains out.txt "attempt to index a nil value" "with Lua's message"
contains out.txt "expected an error, got none" "expect_error fails when nothing fails"
check "the summary is the last line" test "$(tail -1 out.txt)" = "1 passed, 3 failed"

expect_status 4 "a folder: every *_test.lua below it" "$YINGJI" test
contains out.txt "not ok - scripts/sub/broken_test.lua: the test file failed" "a file that does not compile fails"
contains out.txt "not ok - scripts/sub/empty_test.lua: no test() in the file" "a file without tests fails"
check "helper.lua is not a test file" sh -c '! grep -q "never run" out.txt'
check "default folder scripts/: all files counted" test "$(tail -1 out.txt)" = "3 passed, 5 failed"

expect_status 1 "a missing path is a usage error" "$YINGJI" test nowhere_test.lua
contains err.txt "nowhere_test.lua" "names it"
