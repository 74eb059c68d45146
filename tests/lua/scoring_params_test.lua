-- scoring_params_test.lua — every documented rule parameter works for values other than
-- the sample schemes' (issue 15, defect 3): whole and fractional points, partial credit
-- at 0 and at max, thresholds at their edges, item and category floors, veto_grade,
-- the quota's min, the kinds scored. Schemes: scoring_params.lua.
local city = require "scoring_city"
local acc = city.acc

-- T01: 3 accidents (one 较大 with 2 deaths), 1 more than last year, 4 of 5 hazards
-- rectified, 1 drill, training 4. S01 (a street): perfect.
local function db()
  return city.city({
    { code = "T01", targets = { accidents_cap = 1, inspections_plan = 0 },
      accidents = { acc("X1", "2020-02-01"), acc("X2", "2020-03-01", { level = "较大", deaths = 2 }),
                    acc("X3", "2020-04-01", { deaths = 1 }), acc("P1", "2019-04-01", { deaths = 1 }),
                    acc("P2", "2019-05-01", { deaths = 3 }) },
      inspections = city.hazards(5, 4), ind = { drills = 1, training_score = 4 } },
    { code = "S01", kind = "street", targets = { inspections_plan = 0 } },
  })
end
local d = db()
local function run(case) return city.run("scoring_params.lua", d, { case = case }) end

test("over_target: fractional max and per", function()
  expect_eq(run("over_target").item.T01.A1, 2.5)              -- 7.5 − 2 over × 2.5
end)

test("double_decline: partial at 0, at max, fractional", function()
  -- T01: 3 accidents vs 2 (up), 3 deaths vs 4 (down): neither both down nor neither up → 0
  expect_eq(run("partial_0").item.T01.A1, 0)
  -- S01: nothing → full, whatever partial is
  expect_eq(run("partial_max").item.S01.A1, 10)
  expect_eq(run("partial_half").item.S01.A1, 10)
end)

test("per_accident: a list of values, a function, fractional points", function()
  local r = run("per_accident")
  expect_eq(r.item.T01.A1, 3 - 3 * 0.5 - 1.25)
  expect_eq(#r.ded.T01.A1, 2)
end)

test("completion: a default target, a plan of 0", function()
  expect_eq(run("completion_default").item.T01.A1, 3.33)     -- 10 × 1 ÷ 3
  expect_eq(run("completion_zero_plan").item.T01.A1, 10)
end)

test("rectification: full_at 1 and 0.5", function()
  expect_eq(run("full_at_1").item.T01.A1, 8)                  -- 10 × 0.8
  expect_eq(run("full_at_half").item.T01.A1, 10)
end)

test("at_least: a fractional minimum, and 0", function()
  expect_eq(run("at_least").item.T01.A1, 0)
  expect_eq(run("at_least_0").item.T01.A1, 4)
end)

test("indicator_points: capped at a max below the value", function()
  expect_eq(run("points_cap").item.T01.A1, 3)
end)

test("an item's floor: deductions stop there, the row says so", function()
  local r = run("item_floor")
  expect_eq(r.item.T01.A1, 4)
  expect_eq(r.ded.T01.A1[1].points, -6)
  expect_eq(r.ded.T01.A1[1].reason:match("（扣完为止，实扣6分）$"), "（扣完为止，实扣6分）")
end)

test("a category's floor above 0 stops category-wide deductions", function()
  local r = run("category_floor")
  -- A1 20 − 2 (3 deaths over a cap of 1) = 18; 较大 −10 stops at the floor 12: −6.
  expect_eq(r.item.T01.A1, 18)
  expect_eq(r.item.T01.A2, -6)
  expect_eq(r.score.T01.score, 12)
end)

test("veto_grade names the grade of a vetoed unit", function()
  local r = run("veto_grade")
  expect_eq(r.score.T01.vetoed, true)
  expect_eq(r.score.T01.grade, "否决")
end)

test("the quota's min keeps at least that many", function()
  local r = run("quota_min")
  expect_eq({ r.score.S01.grade, r.score.T01.grade }, { "合格", "合格" })
end)

test("units: the kinds scored", function()
  local r = run("streets")
  expect_eq(r.score.T01, nil)
  expect_eq(r.score.S01.score, 10)
end)

test("values that make no sense are refused where they are written", function()
  local function bad(src, pattern)
    expect_error(function() run_script("scoring_params_bad.lua", { db = d, params = { src = src } }) end,
      "src:1: .*" .. pattern)
  end
  bad("R.double_decline{ 'A1', 'x', max = 5, partial = 6 }", "partial 6 is above max 5")
  bad("R.rectification{ 'A1', 'x', max = 5, full_at = 0 }", "option 'full_at' must be more than 0, got 0")
  bad("R.over_target{ 'A1', 'x', max = 5, count = 'death', target = 'deaths_cap', per = 1 }",
      "option 'count' must be one of accidents, deaths, got 'death' %(did you mean 'deaths'%?%)")
  bad("R.over_target{ 'A1', 'x', max = 5, count = 'deaths', target = 'deaths_cap' }", "option 'per' missing")
  bad("R.over_target{ 'A1', 'x', max = -5, count = 'deaths', target = 'deaths_cap', per = 1 }", "option 'max' must be at least 0")
  bad("R.over_target{ 'A1', 'x', max = 5, floor = 6, count = 'deaths', target = 'deaths_cap', per = 1 }", "floor 6 is above max 5")
  bad("R.per_accident{ 'A1', 'x', max = 5, { where = { levle = '较大' }, per = 1, reason = 'r' } }",
      "unknown accident field 'levle' %(did you mean 'level'%?%)")
  bad("R.per_accident{ 'A1', 'x', scope = 'category', max = 5, { where = {}, per = 1, reason = 'r' } }", "has no max of its own")
  bad("R.completion{ 'A1', 'x', max = 5, target = 'inspections_plan' }", "give either count")
  bad("R.at_least{ 'A1', 'x', max = 5, indicator = 'drills' }", "option 'min' missing")
  expect_error(function() run_script("scoring_params_bad.lua", { db = d, params = {
    src = "R.at_least{ 'A1', 'x', max = 5, indicator = 'drills', min = 1 }",
    section = "T.section{ weights = { lead = 2, cooperatin = 1 }, indicator = 'task.%d', grades = {} }" } }) end,
    "section weights: unknown option 'cooperatin' %(did you mean 'cooperating'%?%)")
  expect_error(function() run_script("scoring_params_noyear.lua", { db = d }) end,
    "scoring_params_noyear.lua:4: the scheme names no year %(year = YYYY%): run it with %-%-set year=YYYY")
end)
