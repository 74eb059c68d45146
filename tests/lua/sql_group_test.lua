-- sql_group_test.lua — sql.group (issue 18): a query's rows totalled by their first
-- column in one pass, as GROUP BY with count, sum and group_concat(x, ';') would give.
local db = fixture{
  units = {{code = "T01", name = "甲镇", kind = "township"}, {code = "T02", name = "乙镇", kind = "township"},
           {code = "S01", name = "丙街道", kind = "street"}},
  inspections = {
    {id = "I1", inspected_on = "2020-02-10", unit = "T01", sector = "road", enterprise = "甲厂", hazards_found = 2, hazards_rectified = 2},
    {id = "I2", inspected_on = "2020-03-10", unit = "T01", sector = "road", enterprise = "甲厂", hazards_found = 3, hazards_rectified = 1},
    {id = "I3", inspected_on = "2020-04-10", unit = "T02", sector = "road", enterprise = "乙厂", hazards_found = 0},
    {id = "I4", inspected_on = "2020-05-10", unit = "T01", sector = "road", enterprise = "甲厂", hazards_found = 1, hazards_rectified = 0},
    {id = "I5", inspected_on = "2019-05-10", unit = "S01", sector = "road", enterprise = "丙厂", hazards_found = 4, hazards_rectified = 0},
    {id = "I6", inspected_on = "2020-06-10", unit = "S01", sector = "road", enterprise = "丙厂", hazards_found = 1, hazards_rectified = 1},
  },
}

local function group(what)
  return run_script("scripts/group.lua", {db = db, params = {what = what}})
end

local function unit_id(code) return db:value("SELECT id FROM units WHERE code = ?", code) end

test("totals per key: counts and sums stay integers, text joined with ';', all-NULL absent", function()
  local t1, t2, s1 = unit_id("T01"), unit_id("T02"), unit_id("S01")
  local want = {
    {key = t1, column = "found", value = 6, type = "integer"}, {key = t1, column = "n", value = 3, type = "integer"},
    {key = t1, column = "open", value = "I2;I4", type = "string"}, {key = t1, column = "rectified", value = 3, type = "integer"},
    {key = t2, column = "found", value = 0, type = "integer"}, {key = t2, column = "n", value = 1, type = "integer"},
    {key = t2, column = "rectified", value = 0, type = "integer"},
    {key = s1, column = "found", value = 1, type = "integer"}, {key = s1, column = "n", value = 1, type = "integer"},
    {key = s1, column = "rectified", value = 1, type = "integer"},
  }
  table.sort(want, function(a, b)
    if a.key ~= b.key then return tostring(a.key) < tostring(b.key) end
    return a.column < b.column
  end)
  local t = group("inspections")
  expect_eq(t.g, want)
  for _, r in ipairs(t.compare) do expect_eq(r.same, true, "unit " .. r.key) end
  expect_eq(#t.compare, 3)
end)

test("text keys, float sums, NULLs skipped", function()
  expect_eq(group("text key").g, {
    {key = "S01", column = "found", value = 5, type = "integer"},
    {key = "T01", column = "found", value = 6, type = "integer"},
    {key = "T02", column = "found", value = 0, type = "integer"}})
  expect_eq(group("reals").g, {
    {key = 1, column = "a", value = 3.5, type = "float"}, {key = 1, column = "b", value = 2.5, type = "float"},
    {key = 2, column = "a", value = 3, type = "integer"}})
  expect_eq(group("nulls").g, {{key = 1, column = "t", value = "a;b", type = "string"}})
  -- a whole number is one key whether integer or real (as in GROUP BY, and as Lua keys are)
  expect_eq(group("float key").g, {
    {key = 0, column = "n", value = 3, type = "integer"}, {key = 1.5, column = "n", value = 1, type = "integer"},
    {key = 2, column = "n", value = 2, type = "integer"}, {key = 2.5, column = "n", value = 1, type = "integer"}})
end)

test("parameters bind as in sql.rows; no rows, no keys", function()
  local t = group("positional")
  local n = 0
  for _, r in ipairs(t.g) do n = n + r.value end
  expect_eq(n, 3)                       -- I1, I4 and I6 found 1 or 2
  expect_eq(group("no rows").g, {})
end)

test("what SQL's sum would refuse, and what no grouping can total, are errors", function()
  expect_error(function() group("mixed") end, "sql.group: column 'x' holds both numbers and text for one key")
  expect_error(function() group("null key") end, "sql.group: the key %(the first column, 'k'%) is NULL in a row")
  expect_error(function() group("overflow") end, "sql.group: column 'x': integer overflow")
end)

test("the sql module's rules hold: read only, allowed functions only", function()
  expect_error(function() group("write") end, "writing is not allowed")
  expect_error(function() group("bad function") end, "function load_extension%(%) is not allowed")
end)

test("generated queries: the same groups, counts, sums (integer or real), joined text and errors as GROUP BY", function()
  for seed = 1, 3 do
    local t = run_script("scripts/group_random.lua", {db = db, params = {seed = seed}})
    expect_eq(t.diffs, {}, "seed " .. seed)
    expect_eq(t.ran[1].queries, 400)
    expect_eq(t.ran[1].keys > 2000, true, "seed " .. seed .. ": " .. t.ran[1].keys .. " keys")
  end
end)
