-- briefing_test.lua — the briefing's headline figures (the table "headline", the same
-- numbers as its tiles and paragraph) against figures worked out by hand (the PDF itself
-- is tested by tests/e2e/chart_briefing.sh).
local db = fixture{
  units = {
    {code = "T01", name = "甲镇", kind = "township"},
    {code = "S01", name = "乙街道", kind = "street"},
    {code = "D01", name = "交通运输局", kind = "department"},
  },
  accidents = {
    -- 2020 to 30 June: 4 accidents, 1 + (0 + 1 missing) + 3 + 1 = 6 deaths; A3 is 较大
    {id = "A1", occurred_at = "2020-01-10", unit = "T01", sector = "road", deaths = 1},
    {id = "A2", occurred_at = "2020-06-05", unit = "T01", sector = "construction", deaths = 0, missing = 1},
    {id = "A3", occurred_at = "2020-05-20", unit = "S01", sector = "fire", deaths = 3},
    {id = "A4", occurred_at = "2020-06-30 23:00", unit = "D01", sector = "road", deaths = 1},
    -- not counted: after the cut-off, not production-related
    {id = "X1", occurred_at = "2020-07-01", unit = "T01", sector = "road", deaths = 5},
    {id = "X2", occurred_at = "2020-03-01", unit = "T01", sector = "road", deaths = 2, production = false},
    -- later data, so that August 2020 is a month the data cover (and has no accident)
    {id = "X3", occurred_at = "2020-09-02", unit = "T01", sector = "road", deaths = 0},
    -- 2019 to 30 June: 3 accidents, 3 deaths (June: 2 accidents, 1 death); P4 is later
    {id = "P1", occurred_at = "2019-02-01", unit = "T01", sector = "road", deaths = 2},
    {id = "P2", occurred_at = "2019-06-10", unit = "S01", sector = "fire", deaths = 1},
    {id = "P3", occurred_at = "2019-06-15", unit = "S01", sector = "gas", deaths = 0},
    {id = "P4", occurred_at = "2019-11-01", unit = "T01", sector = "road", deaths = 1},
  },
}

local function headline(as_of)
  local t = run_script("briefing.lua", {db = db, as_of = as_of})
  local by = {}
  for _, r in ipairs(t.headline) do by[r.item] = r end
  return by
end

test("year to date against last year", function()
  local h = headline("2020-06-30")
  expect_eq(h.ytd_accidents, {item = "ytd_accidents", value = 4, last_year = 3, yoy_pct = 33.3})
  expect_eq(h.ytd_deaths, {item = "ytd_deaths", value = 6, last_year = 3, yoy_pct = 100.0})
end)

test("the month against the same month last year and the month before", function()
  local h = headline("2020-06-30")
  -- June 2020: A2, A4 (2 deaths); June 2019: P2, P3 (1 death); May 2020: A3 (3 deaths)
  expect_eq(h.month_accidents, {item = "month_accidents", value = 2, last_year = 2, yoy_pct = 0.0,
                                last_month = 1, mom_pct = 100.0})
  expect_eq(h.month_deaths, {item = "month_deaths", value = 2, last_year = 1, yoy_pct = 100.0,
                             last_month = 3, mom_pct = -33.3})
end)

test("较大 and above, with no baseline; no double decline", function()
  local h = headline("2020-06-30")
  expect_eq(h.serious_accidents, {item = "serious_accidents", value = 1, last_year = 0})
  expect_eq(h.double_decline.value, 0)
  -- 甲镇: 2 accidents, 2 deaths against 1 and 2; 乙街道: 1 and 3 against 2 and 1
  expect_eq(h.units_double_decline.value, 0)
end)

test("a month with nothing in it", function()
  local h = headline("2020-08-31")
  expect_eq(h.month_accidents, {item = "month_accidents", value = 0, last_year = 0,
                                last_month = 1, mom_pct = -100.0})
end)
