-- group_random.lua — a script for sql_group_test.lua: sql.group against SQLite's GROUP BY
-- with count(*), sum() and group_concat(x, ';') on generated queries (--set seed=N):
-- keys of every kind (integers, whole and other reals, -0.0, text like an integer, text,
-- the empty text), values integer, real and NULL (a column all NULL in a key, sums that
-- overflow). Publishes "diffs" (every key whose totals differ, and every query only one
-- of them refused) and "ran" (the queries and keys compared). The values stay within
-- 2^53 where a real joins them: SQLite 3.40's sum() adds integers as doubles from the
-- first row on, sql.group exactly until the first real (docs/scripting.md says so); and
-- no blob keys (sql.group takes x'61' as 'a': one Lua key either way).
local seed = math.tointeger(tonumber(tostring(ctx.params.seed or 1))) or 1
local state = seed * 7919 + 17
local function rnd(n)
  state = (state * 1103515245 + 12345) % 2147483648
  return state % n
end
local keys = { "1", "'1'", "1.0", "2", "-0.0", "0", "1.5", "'a'", "'A'", "''", "1e300", "-3",
               "4611686018427387904", "2.5e-10", "-1.5" }
local ints = { "1", "2", "-5", "3", "7", "0", "4611686018427387904", "9223372036854775807",
               "-9223372036854775807" }
local mixed = { "NULL", "1", "2", "-5", "0.1", "0.2", "2.5", "1e15", "-1e15", "3", "NULL", "7" }
local diffs, queries, nkeys = {}, 0, 0
local function same(a, b) return a == b and math.type(a) == math.type(b) end
for trial = 1, 400 do
  local vals = trial % 2 == 0 and ints or mixed
  local rows = {}
  for _ = 1, 1 + rnd(40) do
    local t = rnd(4) == 0 and "NULL" or string.format("'t%d'", rnd(10))
    rows[#rows + 1] = string.format("SELECT %s AS k, %s AS v, %s AS t, 1 AS n, NULL AS z",
                                    keys[rnd(#keys) + 1], vals[rnd(#vals) + 1], t)
  end
  local q = table.concat(rows, " UNION ALL ")
  local okg, g = pcall(sql.group, q)
  local oks, want = pcall(sql.query, "SELECT k, count(*) AS n, sum(v) AS v, group_concat(t, ';') AS t,"
                                     .. " sum(z) AS z FROM (" .. q .. ") GROUP BY k")
  queries = queries + 1
  if okg ~= oks then
    diffs[#diffs + 1] = { trial = trial, key = "", what = "sql.group " .. tostring(g) .. ", GROUP BY " .. tostring(want) }
  elseif okg then
    local seen = 0
    for _, r in ipairs(want) do
      local x = g[r.k]
      seen = seen + 1
      if not x or not same(x.n, r.n) or not same(x.v, r.v) or x.t ~= r.t or x.z ~= nil then
        diffs[#diffs + 1] = { trial = trial, key = tostring(r.k),
          what = string.format("n %s/%s v %s/%s t %s/%s", tostring(x and x.n), tostring(r.n),
                               tostring(x and x.v), tostring(r.v), tostring(x and x.t), tostring(r.t)) }
      end
    end
    for _ in pairs(g) do seen = seen - 1 end
    if seen ~= 0 then diffs[#diffs + 1] = { trial = trial, key = "", what = "key count differs by " .. seen } end
    nkeys = nkeys + #want
  end
end
publish("diffs", { "trial", "key", "what" }, diffs)
publish("ran", { "queries", "keys" }, { { queries = queries, keys = nkeys } })
