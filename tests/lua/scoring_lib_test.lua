-- scoring_lib_test.lua — the mechanics of scripts/lib/scoring.lua on their own:
-- rounding half away from zero, shared ranks, grade thresholds and the quota; a rule's
-- parameter bound in SQL (not_closed_within); a scheme file used as a module.
local S = require "scoring"
local F = require "facts"
local yoy = require "yoy"

test("round: two decimals, half away from zero, also for negatives", function()
  expect_eq(S.round(89.995), 90)
  expect_eq(S.round(89.994999), 89.99)
  expect_eq(S.round(1.005), 1.01)
  expect_eq(S.round(2.675), 2.68)
  expect_eq(S.round(-2.345), -2.35)
  expect_eq(S.round(0.125, 1), 0.1)
  expect_eq(S.round(0.15, 1), 0.2)
  expect_eq(S.round(14.210526315789473), 14.21)
end)

test("num and pct format reasons without noise", function()
  expect_eq(S.num(3), "3")
  expect_eq(S.num(2.5), "2.5")
  expect_eq(S.num(4.0909), "4.09")
  expect_eq(S.pct(0.95), "95%")
  expect_eq(S.pct(0.8421052), "84.21%")
end)

local function rows(spec)
  local out = {}
  for i, x in ipairs(spec) do out[i] = { unit = x[1], score = x[2], vetoed = x[3] or false } end
  return out
end
local function col(rs, c) local o = {}; for i, r in ipairs(rs) do o[i] = r[c] end; return o end

test("rank: 1, 2, 2, 4; ties listed by code; vetoed after all others", function()
  local r = S.rank(rows{ { "C", 80 }, { "A", 90 }, { "B", 80 }, { "D", 70 }, { "V", 99, true }, { "W", 50, true } })
  expect_eq(col(r, "unit"), { "A", "B", "C", "D", "V", "W" })
  expect_eq(col(r, "rank"), { 1, 2, 2, 4, 5, 6 })
  r = S.rank(rows{ { "A", 90 }, { "B", 90, true }, { "C", 90, true } })
  expect_eq(col(r, "rank"), { 1, 2, 2 })
end)

local grades = S.grades{ 90, "优秀", 80, "良好", 60, "合格", "不合格" }

test("grades: thresholds inclusive", function()
  expect_eq(S.grade_of(grades, 90), "优秀")
  expect_eq(S.grade_of(grades, 89.99), "良好")
  expect_eq(S.grade_of(grades, 80), "良好")
  expect_eq(S.grade_of(grades, 79.99), "合格")
  expect_eq(S.grade_of(grades, 60), "合格")
  expect_eq(S.grade_of(grades, 59.99), "不合格")
  expect_eq(S.grade_of(S.grades{ 90, "优秀", 60, "合格", "不合格" }, 85), "合格")
end)

test("quota by share: floor, at least one, ties at the edge kept, vetoed graded 不合格", function()
  local quota = { grade = "优秀", share = 0.30, demote = "良好" }
  -- 10 rows → 3; ranks 1, 2, 3, 3 → four kept.
  local r = S.grade_rows(S.rank(rows{ { "A", 99 }, { "B", 98 }, { "C", 95 }, { "D", 95 }, { "E", 94 },
    { "F", 93 }, { "G", 50 }, { "H", 50 }, { "I", 50 }, { "J", 91, true } }), grades, quota, "不合格")
  expect_eq(col(r, "grade"), { "优秀", "优秀", "优秀", "优秀", "良好", "良好", "不合格", "不合格", "不合格", "不合格" })
  -- 2 rows → floor(0.6) = 0 → at least 1.
  r = S.grade_rows(S.rank(rows{ { "A", 95 }, { "B", 92 } }), grades, quota)
  expect_eq(col(r, "grade"), { "优秀", "良好" })
  -- 20 rows → 6 exactly (0.3 × 20 must not become 5.999…).
  local many = {}
  for i = 1, 20 do many[i] = { string.format("U%02d", i), 100 - i } end
  r = S.grade_rows(S.rank(rows(many)), grades, quota)
  expect_eq(col(r, "grade")[6], "优秀")
  expect_eq(col(r, "grade")[7], "良好")
end)

test("quota by rank: count = 2 keeps the two best ranks, ties at the edge included", function()
  local quota = { grade = "优秀", count = 2, demote = "良好" }
  local r = S.grade_rows(S.rank(rows{ { "A", 99 }, { "B", 95 }, { "C", 95 }, { "D", 94 } }), grades, quota)
  expect_eq(col(r, "grade"), { "优秀", "优秀", "优秀", "良好" })
end)

test("weighted sub-scores: full precision, nil without weight", function()
  expect_eq(S.weighted_mean{ { 1, 2 }, { 0.5, 2 }, { 0.8, 1 } }, 3.8 / 5)
  expect_eq(S.round(S.weighted_mean{ { 90, 0.4 }, { 80, 0.2 }, { 70, 0.2 }, { 100, 0.2 } }), 86)
  expect_eq(S.weighted_mean{}, nil)
end)

test("the documented example scheme with a rule of its own (docs/scoring.md)", function()
  local db = fixture{
    units = { { code = "T01", name = "甲镇", kind = "township" }, { code = "T02", name = "乙镇", kind = "street" } },
    inspections = {
      { id = "I1", inspected_on = "2020-03-01", unit = "T01", sector = "industry", enterprise = "甲厂", hazards_found = 2, hazards_rectified = 1 },
      { id = "I2", inspected_on = "2020-04-01", unit = "T01", sector = "industry", enterprise = "乙厂", hazards_found = 1, hazards_rectified = 0 },
      { id = "I3", inspected_on = "2020-04-01", unit = "T02", sector = "industry", enterprise = "丙厂", hazards_found = 1, hazards_rectified = 1 } },
    targets = { { year = 2020, unit = "T01", indicator = "deaths_cap", value = 0 },
                { year = 2020, unit = "T02", indicator = "deaths_cap", value = 0 } },
  }
  local t = run_script("scoring_example.lua", { db = db })
  expect_eq(t.scores, {
    { unit = "T02", name = "乙镇", score = 30, grade = "好", vetoed = false, rank = 1 },
    { unit = "T01", name = "甲镇", score = 26, grade = "差", vetoed = false, rank = 2 } })
  expect_eq(t.deductions, { { unit = "T01", item = "B1", points = -4,
    reason = "未整改隐患的检查 2 次，每次扣 2 分", evidence = "I1;I2" } })
end)

test("an item's lists read empty until a method adds to them; writing into them directly is an error", function()
  local db = fixture{
    units = { { code = "T01", name = "甲镇", kind = "township" } },
    accidents = {
      { id = "A1", occurred_at = "2020-03-01", unit = "T01", sector = "road", deaths = 0 },
      { id = "A2", occurred_at = "2020-11-20", unit = "T01", sector = "road", deaths = 0 } },
  }
  local t = run_script("scoring_lists.lua", { db = db, as_of = "2021-01-31" })
  expect_eq(t.seen, { { unit = "T01", before = 0, after = 1,
    direct = "scoring: an item's lists are added to through it:deduct, it:award and it:note" } })
  -- and a where-function's a.due[45], which no rule asked the loader for: A1 only
  expect_eq(t.deductions, {
    { unit = "T01", item = "A1", points = -2, reason = "扣分", evidence = "ET01" },
    { unit = "T01", item = "A2", points = -1, reason = "未结案 1 起，每起扣 1 分", evidence = "A1" } })
end)

test("one rounding rule: facts.round, also behind scoring.round and yoy.round", function()
  expect_eq(F.round(12.25, 1), 12.3)
  expect_eq(F.round(-12.25, 1), -12.3)
  expect_eq(F.round(89.995, 2), 90)
  expect_eq(F.round(2.5), 3)
  expect_eq(F.round(1 / 3 * 100, 1), 33.3)
  expect_eq(math.type(F.round(3, 0)), "float")
  -- the powers of ten from a table and from 10 ^ places alike; a negative rounding to
  -- zero gives 0.0, not -0.0; integers and the smallest integer become floats
  expect_eq(F.round(-0.04, 1), 0.0)
  expect_eq(1 / F.round(-0.04, 1), math.huge)
  expect_eq(1 / F.round(-0.0), math.huge)
  expect_eq(F.round(1234.5678, 2.0), 1234.57)
  expect_eq(F.round(0.123456789, 8), 0.12345679)
  expect_eq(F.round(-0.123456789, 7), -0.1234568)
  expect_eq(F.round(1234.5, -1), 1230.0)
  expect_eq(F.round(-5), -5.0)
  expect_eq(math.type(F.round(math.mininteger)), "float")
  expect_eq(F.round(0 / 0) ~= F.round(0 / 0), true)
  for _, x in ipairs({ 0.05, 1.005, 2.675, -2.345, 14.210526315789473, 1 / 7, 12.25, 999.95 }) do
    expect_eq(S.round(x), F.round(x, 2))
    expect_eq(S.round(x, 1), F.round(x, 1))
    expect_eq(yoy.round(x, 1), F.round(x, 1))
    expect_eq(yoy.round(x), F.round(x, 0))
  end
end)

-- T01: A1 closed on day 45, A2 (November) never closed, A3 closed the day it happened.
local function deadline_city()
  return fixture{
    units = { { code = "T01", name = "甲镇", kind = "township" } },
    accidents = {
      { id = "A1", occurred_at = "2020-03-01", unit = "T01", sector = "road", deaths = 0, closed_on = "2020-04-15" },
      { id = "A2", occurred_at = "2020-11-15 09:30", unit = "T01", sector = "road", deaths = 0 },
      { id = "A3", occurred_at = "2020-06-01", unit = "T01", sector = "road", deaths = 0, closed_on = "2020-06-01" },
    },
  }
end

local function b5(db, days)
  local t = run_script("scoring_deadline.lua", { db = db, as_of = "2021-01-31", params = { days = days } })
  local item, evidence
  for _, it in ipairs(t.items) do if it.item == "B5" then item = it.points end end
  for _, d in ipairs(t.deductions) do evidence = d.evidence end
  return item, evidence
end

test("not_closed_within(days): the days are real, bound in SQL", function()
  local db = deadline_city()
  -- 60 days: A1 closed in time; A2's deadline (2021-01-14) is outside the year
  expect_eq({ b5(db, 60) }, { 5 })
  -- 30 days: A1 due 03-31, closed 04-15; A2 due 12-15 and open
  expect_eq({ b5(db, 30) }, { 3, "A1;A2" })
  -- 45 days: A1 closed on its deadline day is in time
  expect_eq({ b5(db, 45) }, { 4, "A2" })
  -- 0 days: A3 closed the same day is in time
  expect_eq({ b5(db, 0) }, { 3, "A1;A2" })
end)

test("not_closed_within refuses days that are not a whole number", function()
  local db = deadline_city()
  expect_error(function() b5(db, 1.5) end, "days must be a whole number")
  expect_error(function() b5(db, -1) end, "days must be a whole number")
end)

test("a scheme file required as a module publishes nothing; evaluate returns the result", function()
  local t = run_script("scoring_module.lua", { db = deadline_city(), as_of = "2021-01-31", params = { days = 30 } })
  expect_eq(t.evaluated, { { unit = "T01", score = 3 } })
  expect_eq(t.scores, nil, "the scheme did not publish its own tables")
  expect_eq(t.items, nil)
end)
