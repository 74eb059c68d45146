�-- double_decline_test.lua — the double decline against figures worked out by hand.
local units = {
  {code = "T01", name = "甲镇", kind = "township"},
  {code = "S01", name = "乙街道", kind = "street"},
  {code = "Z01", name = "经开区", kind = "zone"},
  {code = "D01", name = "交通运输局", kind = "department"},
}

local db = fixture{
  units = units,
  accidents = {
    -- 2020, January to June: T01 road 1 (1 dead), T01 construction 1 (0 dead + 1 missing),
    -- S01 fire 1 (2 dead), D01 road 1 (1 dead, a department: city total only).
    {id = "C1", occurred_at = "2020-01-05", unit = "T01", sector = "road", deaths = 1},
    {id = "C2", occurred_at = "2020-06-30 23:10:00", unit = "T01", sector = "construction",
     deaths = 0, missing = 1},
    {id = "C3", occurred_at = "2020-03-15", unit = "S01", sector = "fire", deaths = 2},
    {id = "C4", occurred_at = "2020-02-29", unit = "D01", sector = "road", deaths = 1},
    -- not counted: not production, written off, after as_of
    {id = "X1", occurred_at = "2020-04-01", unit = "T01", sector = "road", deaths = 5,
     production = false},
    {id = "X2", occurred_at = "2020-04-02", unit = "T01", sector = "road", deaths = 5,
     written_off = true},
    {id = "X3", occurred_at = "2020-07-01", unit = "T01", sector = "road", deaths = 5},
    -- 2019, January to June: T01 road 3 (4 dead), S01 fire 1 (2 dead)
    {id = "P1", occurred_at = "2019-02-10", unit = "T01", sector = "road", deaths = 2},
    {id = "P2", occurred_at = "2019-05-10", unit = "T01", sector = "road", deaths = 1, missing = 1},
    {id = "P3", occurred_at = "2019-06-30 08:00", unit = "T01", sector = "road", deaths = 0},
    {id = "P4", occurred_at = "2019-06-01", unit = "S01", sector = "fire", deaths = 2},
    {id = "P5", occurred_at = "2019-07-01", unit = "S01", sector = "fire", deaths = 9},
    -- 2019-02-28 (the last day of February 2019) and 2020-02-29 (of February 2020)
    {id = "F1", occurred_at = "2019-02-28", unit = "Z01", sector = "gas", deaths = 1},
  },
}

local function run(as_of, params)
  return run_script("double_decline.lua", {db = db, as_of = as_of, params = params})
end

local function find(rows, key)
  for _, r in ipairs(rows) do if r.key == key then return r end end
end

test("year to date, whole city", function()
  local t = run("2020-06-30")
  -- now: C1 C2 C3 C4 = 4 accidents, 1+1+2+1 = 5 deaths; before: P1..P4 + F1 = 5, 2+2+0+2+1 = 7
  expect_eq(t.overall, {{key = "all", name = "全市", accidents = 4, accidents_prev = 5,
    accidents_change_pct = -20.0, deaths = 5, deaths_prev = 7, deaths_change_pct = -28.6,
    double_decline = true}})
end)

test("year to date, by unit: every township/street/zone, no departments", function()
  local t, cols = run("2020-06-30")
  expect_eq(cols.by_unit, {"key", "name", "accidents", "accidents_prev", "accidents_change_pct",
    "deaths", "deaths_prev", "deaths_change_pct", "double_decline"})
  expect_eq(#t.by_unit, 3)
  -- T01: 2 accidents, 2 deaths against 3 and 4: -33.3 %, -50 %
  expect_eq(find(t.by_unit, "T01"), {key = "T01", name = "甲镇", accidents = 2, accidents_prev = 3,
    accidents_change_pct = -33.3, deaths = 2, deaths_prev = 4, deaths_change_pct = -50.0,
    double_decline = true})
  -- S01: 1 and 2 against 1 and 2: no change, not a double decline
  expect_eq(find(t.by_unit, "S01"), {key = "S01", name = "乙街道", accidents = 1, accidents_prev = 1,
    accidents_change_pct = 0.0, deaths = 2, deaths_prev = 2, deaths_change_pct = 0.0,
    double_decline = false})
  -- Z01: nothing this year, one accident last year
  expect_eq(find(t.by_unit, "Z01").accidents_change_pct, -100.0)
  expect_eq(find(t.by_unit, "D01"), nil)
end)

test("zero baseline: change is null, never a double decline", function()
  local t = run("2020-06-30")
  local construction = find(t.by_sector, "construction")
  expect_eq(construction, {key = "construction", name = "建筑施工", accidents = 1, accidents_prev = 0,
    deaths = 1, deaths_prev = 0, double_decline = false})
  local mining = find(t.by_sector, "mining")
  expect_eq(mining, {key = "mining", name = "非煤矿山", accidents = 0, accidents_prev = 0,
    deaths = 0, deaths_prev = 0, double_decline = false})
end)

test("every sector appears", function()
  local t = run("2020-06-30")
  expect_eq(#t.by_sector, 12)
  -- road: C1 C4 (2 acc, 2 dead) against P1 P2 P3 (3 acc, 4 dead)
  local road = find(t.by_sector, "road")
  expect_eq({road.accidents, road.deaths, road.accidents_prev, road.deaths_prev,
             road.accidents_change_pct, road.deaths_change_pct, road.double_decline},
            {2, 2, 3, 4, -33.3, -50.0, true})
end)

test("as of 29 February 2020 against 28 February 2019", function()
  local t = run("2020-02-29")
  -- now: C1, C4 (the 29th) = 2 accidents, 2 deaths; before: P1, F1 (the 28th) = 2, 3
  local all = t.overall[1]
  expect_eq({all.accidents, all.deaths, all.accidents_prev, all.deaths_prev},
            {2, 2, 2, 3})
  expect_eq(all.accidents_change_pct, 0.0)
  expect_eq(all.deaths_change_pct, -33.3)
  expect_eq(find(t.by_unit, "Z01").accidents_prev, 1, "28 February 2019 is in the baseline")
  -- the month of February: the same figures
  local m = run("2020-02-29", {period = "month"})
  expect_eq(m.overall[1].accidents, 1)         -- C4 only; C1 is in January
  expect_eq(m.overall[1].accidents_prev, 2)    -- P1 and F1
end)

test("month of June", function()
  local t = run("2020-06-30", {period = "month"})
  -- June 2020: C2 (1 missing); June 2019: P3, P4 (0 + 2 dead)
  expect_eq(t.overall[1], {key = "all", name = "全市", accidents = 1, accidents_prev = 2,
    accidents_change_pct = -50.0, deaths = 1, deaths_prev = 2, deaths_change_pct = -50.0,
    double_decline = true})
end)

test("an unknown period is an error", function()
  expect_error(function() run("2020-06-30", {period = "week"}) end, "unknown period 'week'")
end)
