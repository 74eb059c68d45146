-- scoring_2021_example_test.lua — what the office checks before adopting the 2021 draft
-- (docs/scoring.md "Drafting next year's rules"): the same small city scored by the old
-- and the new rules, one changed rule at a time. Run: yingji test scripts/scoring_2021_example_test.lua
local db = fixture{
  units = { { code = "T01", name = "甲镇", kind = "township" }, { code = "T02", name = "乙镇", kind = "township" } },
  targets = {
    { year = 2020, unit = "T01", indicator = "deaths_cap", value = 1 }, { year = 2020, unit = "T02", indicator = "deaths_cap", value = 1 },
    { year = 2020, unit = "T01", indicator = "accidents_cap", value = 2 }, { year = 2020, unit = "T02", indicator = "accidents_cap", value = 2 },
    { year = 2020, unit = "T01", indicator = "inspections_plan", value = 1 }, { year = 2020, unit = "T02", indicator = "inspections_plan", value = 1 },
  },
  assessments = {
    { year = 2020, unit = "T01", indicator = "drills", value = 2 }, { year = 2020, unit = "T02", indicator = "drills", value = 2 },
    { year = 2020, unit = "T01", indicator = "training_score", value = 5 }, { year = 2020, unit = "T02", indicator = "training_score", value = 3 },
  },
  inspections = {
    { id = "J1", inspected_on = "2020-03-01", unit = "T01", sector = "industry", enterprise = "甲厂", hazards_found = 10, hazards_rectified = 9 },
    { id = "J2", inspected_on = "2020-03-01", unit = "T02", sector = "industry", enterprise = "乙厂", hazards_found = 0, hazards_rectified = 0 },
  },
  accidents = {
    { id = "S1", occurred_at = "2020-05-01", unit = "T02", sector = "road", deaths = 3, report_status = "late", closed_on = "2020-05-20" },
  },
}

local function items(script, unit)
  local t = run_script(script, { db = db, as_of = "2021-01-31", params = { year = 2020 } })
  local out = {}
  for _, it in ipairs(t.items) do if it.unit == unit then out[it.item] = it.points end end
  return out, t
end

test("2021 draft: A1 25 points, B2 full at 90 %, 迟报 4 points, no B6", function()
  local old = items("scoring_2020.lua", "T01")
  local new, t = items("scoring_2021_example.lua", "T01")
  expect_eq(t.evaluation[1].scheme, "2021年度安全生产目标管理责任制考核（示例）")
  expect_eq({ old.B2, new.B2 }, { 14.21, 15 })       -- 9 of 10 rectified
  expect_eq({ old.B6, new.B6 }, { 5, nil })
  local old2 = items("scoring_2020.lua", "T02")
  local new2 = items("scoring_2021_example.lua", "T02")
  expect_eq({ old2.A1, new2.A1 }, { 10, 15 })        -- 2 deaths over the cap, 5 each
  expect_eq({ old2.B4, new2.B4 }, { 7, 6 })          -- one 迟报
end)
