-- misc.lua — a script for runtime_test.lua exercising one feature named by ctx.params.what.
local what = ctx.params.what
if what == "random" then
  publish("r", {"a", "b"}, {{a = math.random(1000000), b = math.random()}})
elseif what == "randomseed" then
  math.randomseed()
elseif what == "publish twice" then
  publish("t", {"a"}, {})
  publish("t", {"a"}, {})
elseif what == "publish a table" then
  publish("t", {"a"}, {{a = {}}})
elseif what == "publish a bad row" then
  publish("t", {"a"}, {1})
elseif what == "duplicate column" then
  publish("t", {"a", "a"}, {})
elseif what == "load env" then
  local f = load("return x + 1", "chunk", "t", {x = 41})
  publish("t", {"v"}, {{v = f()}})
elseif what == "rows early exit" then
  local n = 0
  for r in sql.rows("SELECT code FROM sectors ORDER BY code") do
    n = n + 1
    if n == 2 then break end
  end
  publish("t", {"n", "after"}, {{n = n, after = sql.value("SELECT count(*) FROM sectors")}})
elseif what == "named" then
  local r = sql.one("SELECT :a + :b AS s, :a AS a", {a = 40, b = 2})
  publish("t", {"s", "a"}, {r})
elseif what == "named missing" then
  sql.one("SELECT :a + :b AS s", {a = 40})
elseif what == "positional count" then
  sql.value("SELECT ? + ?", 1)
elseif what == "bind a table" then
  sql.value("SELECT ?", {})
elseif what == "types" then
  publish("t", {"i", "f", "s", "n", "b", "d"},
          {sql.one("SELECT 1 AS i, 1.5 AS f, 'x' AS s, NULL AS n, ? AS b, ? AS d", true,
                   date.ymd(2020, 2, 29))})
elseif what == "known_on" then
  publish("k", {"k"}, {{k = ctx.known_on and ctx.known_on:iso() or "none"}})
end
