# run_test_sandbox.sh — `yingji test` gives test files the same sandbox as scripts (issue
# 10, item 12): db:value on a fixture is read-only SQL through the scripts' authorizer
# (no ATTACH of another database, no VACUUM INTO, no writes), fixture{} column names
# cannot smuggle SQL, and run_script's output and charts_dir lie inside the test's own
# temporary folder (test_dir), which is removed afterwards.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db victim.db init >/dev/null 2>&1
sqlite3 victim.db "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)
  VALUES (1, 'units', 'u.csv', '', 'utf-8', '2020-01-01');
  INSERT INTO units(code, name, kind, batch) VALUES ('T01', '甲镇', 'township', 1);"
dbdump victim.db >victim.before
mkdir -p work/scripts outside
echo precious >outside/victim.txt
ln -s ../outside/victim.txt work/link.pdf
cd work || exit 1
cat >scripts/report.lua <<'LUA'
local chart = require "chart"
local spec = {kind = "bar", categories = {"a"}, series = {{name = "s", values = {1}}}}
if ctx.output then chart.save(spec, ctx.output) end
if ctx.params.charts_dir then chart.save(spec, ctx.params.charts_dir .. "/c.png") end
publish("n", {"units"}, {{units = sql.value("SELECT count(*) FROM units")}})
LUA

# sandboxed NAME PATTERN LUA: a test file whose one test expects an error matching
# PATTERN from LUA (db is a fixture); afterwards the victims are intact and no file
# appeared outside.
sandboxed() {
    name=$1
    { printf 'local db = fixture{units = {{code = "T01", name = "甲镇", kind = "township"}}}\n'
      printf 'test("%s", function()\n  expect_error(function()\n%s\n  end, %s)\nend)\n' "$1" "$3" "$2"
    } >scripts/evil_test.lua
    expect_status 0 "$name: refused" "$YINGJI" test --tap scripts/evil_test.lua
    ( cd .. && dbdump victim.db >victim.after )
    check "$name: the other database is unchanged" cmp -s ../victim.before ../victim.after
    check "$name: the file outside is intact" test "$(cat ../outside/victim.txt)" = precious
    check "$name: no file appeared" test "$(cd .. && ls | tr '\n' ' ')" = "outside victim.after victim.before victim.db work "
    check "$name: nothing new outside" test "$(ls ../outside)" = victim.txt
}

sandboxed "ATTACH another database" '"ATTACH/DETACH is not allowed"' \
    '    db:value("ATTACH ? AS v", "'"$TMP"'/victim.db")'
sandboxed "ATTACH by a relative path" '"ATTACH/DETACH is not allowed"' \
    '    db:value("ATTACH '"'../victim.db'"' AS v")'
sandboxed "DELETE through an ATTACH" '"no such table: v.units"' \
    '    pcall(db.value, db, "ATTACH '"'../victim.db'"' AS v")
    db:value("DELETE FROM v.units")'
sandboxed "ATTACH of a new file" '"ATTACH/DETACH is not allowed"' \
    '    db:value("ATTACH '"'../made.db'"' AS v")'
sandboxed "ATTACH by URI" '"ATTACH/DETACH is not allowed"' \
    '    db:value("ATTACH '"'file:../made.db?mode=rwc'"' AS v")'
sandboxed "VACUUM INTO" '"scripts may only read"' \
    '    db:value("VACUUM INTO '"'../made.db'"'")'
sandboxed "writing the fixture" '"writing is not allowed"' \
    '    db:value("DELETE FROM units")'
sandboxed "fts3_tokenizer on a fixture" '"function fts3_tokenizer%(%) is not allowed"' \
    '    db:value("SELECT hex(fts3_tokenizer(?))", "simple")'
sandboxed "a column name smuggling SQL into fixture{}" '"not a column name"' \
    '    fixture{units = {{code = "T02", name = "x", kind = "township",
                          ["kind\") VALUES (1, 2, 3); --"] = 1}}}'
sandboxed "output outside the test folder" '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, output = "'"$TMP"'/outside/victim.txt"})'
sandboxed "output with .." '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, output = "../../outside/x.pdf"})'
sandboxed "output with .. after test_dir" '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, output = test_dir .. "/../x.pdf"})'
sandboxed "output through a symlink" '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, output = "'"$TMP"'/work/link.pdf"})'
sandboxed "output with a NUL byte" '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, output = test_dir .. "/x.pdf\0/../../x"})'
sandboxed "charts_dir outside" '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, params = {charts_dir = "'"$TMP"'/outside"}})'
sandboxed "charts_dir with .." '"inside the test'"'"'s own folder"' \
    '    run_script("report.lua", {db = db, params = {charts_dir = test_dir .. "/.."}})'
sandboxed "the test file itself saving a chart" '"a script may write only"' \
    '    require("chart").save({kind = "bar", categories = {"a"}, series = {{name = "s", values = {1}}}},
                          test_dir .. "/x.png")'
printf '%s\n' 'sql.value("ATTACH ? AS v", "../victim.db")' 'sql.value("DELETE FROM v.units")' >scripts/attach.lua
sandboxed "a script run by run_script attaching" '"ATTACH/DETACH is not allowed"' \
    '    run_script("attach.lua", {db = db})'
printf '%s\n' 'sql.value("VACUUM INTO ?", "../made.db")' >scripts/vacuum.lua
sandboxed "a script run by run_script vacuuming into a file" '"scripts may only read"' \
    '    run_script("vacuum.lua", {db = db})'
check "the symlink's target is intact" test "$(cat ../outside/victim.txt)" = precious

# What a test may do: write inside test_dir, by a relative or a full path.
cat >scripts/good_test.lua <<'LUA'
local db = fixture{units = {{code = "T01", name = "甲镇", kind = "township"}}}
test("output and charts_dir inside test_dir", function()
  assert(type(test_dir) == "string" and test_dir:sub(1, 1) == "/")
  print("TEST_DIR=" .. test_dir)
  expect_eq(run_script("report.lua", {db = db, output = "report.pdf"}).n, {{units = 1}})
  expect_eq(run_script("report.lua", {db = db, output = test_dir .. "/r2.pdf",
                                      params = {charts_dir = test_dir}}).n, {{units = 1}})
  expect_eq(run_script("report.lua", {db = db, params = {charts_dir = "."}}).n, {{units = 1}})
  expect_eq(db:value("SELECT count(*) FROM units"), 1)
  expect_eq(db:value("SELECT count(*) FROM json_each(?)", "[1, 2]"), 2)
end)
LUA
expect_status 0 "a test writes inside test_dir" "$YINGJI" test --tap scripts/good_test.lua
dir=$(sed -n 's/^TEST_DIR=//p' err.txt out.txt | head -1)
check "test_dir was named ($dir)" test -n "$dir"
check "test_dir is removed afterwards" test ! -e "$dir"
