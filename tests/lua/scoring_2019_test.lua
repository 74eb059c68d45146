-- scoring_2019_test.lua — scripts/scoring_2019.lua against hand-computed cases: last
-- year's rules must keep giving last year's result.
local city = require "scoring_city"
local S2019 = "../../scripts/scoring_2019.lua"   -- found relative to this file

local function run(units, params)
  for _, u in ipairs(units) do u.year = u.year or 2019 end
  return city.run(S2019, city.city(units), params)
end
local acc = city.acc

test("a perfect unit scores 100; items and maxima of 2019", function()
  local r = run({ { code = "T01" } })
  expect_eq(r.item.T01, { A1 = 25, A2 = 15, A4 = 0, B1 = 20, B2 = 20, B3 = 10, B4 = 10, C = 0 })
  expect_eq(r.score.T01.score, 100)
  expect_eq(r.score.T01.grade, "优秀")
end)

test("A1 5 off per death over the cap, A2 3 off per accident over, no double-decline item", function()
  local r = run({
    { code = "T01", targets = { accidents_cap = 1 }, accidents = {
      acc("A1", "2019-03-01", { deaths = 2 }), acc("A2", "2019-04-01", { missing = 1 }),
      acc("A3", "2019-05-01") } },   -- deaths 3 (cap 1): −10; accidents 3 (cap 1): −6
    { code = "T02", targets = { deaths_cap = 0 }, accidents = {
      acc("A4", "2019-03-01", { deaths = 2 }), acc("A5", "2019-04-01", { deaths = 2 }),
      acc("A6", "2019-05-01", { deaths = 2 }) } },   -- 6 over: 30 → capped at 25; A2 −3
  })
  expect_eq(r.item.T01.A1, 15)
  expect_eq(r.item.T01.A2, 9)
  expect_eq(r.item.T02.A1, 0)
  expect_eq(r.item.T02.A2, 12)
  expect_eq(r.item.T01.A4, 0)
  expect_eq(r.score.T01.score, 84)
  expect_eq(r.score.T01.grade, "合格", "no 良好 in 2019")
end)

test("each 较大 accident 10 off category A, not below 0", function()
  local r = run({ { code = "T01", targets = { accidents_cap = 5, deaths_cap = 20 }, accidents = {
    acc("B1", "2019-03-01", { deaths = 3, level = "较大" }), acc("B2", "2019-04-01", { deaths = 3, level = "较大" }),
    acc("B3", "2019-05-01", { deaths = 3, level = "较大" }), acc("B4", "2019-06-01", { deaths = 3, level = "较大" }),
    acc("B5", "2019-07-01", { deaths = 3, level = "较大" }) } } })
  -- A1 25 + A2 15 = 40; five 较大 would take 50: the category stops at 0.
  expect_eq(r.item.T01.A4, -40)
  expect_eq(r.score.T01.score, 60)
end)

test("B1 proportional of 20; B2 full from 0.90, proportional below", function()
  local insp = city.hazards
  local r = run({
    { code = "T01", inspections = 5 },
    { code = "T02", inspections = insp(20, 18) },   -- 0.90
    { code = "T03", inspections = insp(20, 17) },   -- 0.85 → 20 × 0.85 / 0.9 = 18.888…
  })
  expect_eq(r.item.T01.B1, 10)
  expect_eq(r.item.T02.B2, 20)
  expect_eq(r.item.T03.B2, 18.89)
  expect_eq(r.score.T03.score, 98.89)
  expect_eq(r.ded.T03.B2[1].evidence, "T03-I18;T03-I19;T03-I20")
end)

test("B3 drills: at least one → 10, none → 0, missing → 0 and a problem", function()
  local r = run({ { code = "T01", ind = { drills = 1 } }, { code = "T02", ind = { drills = 0 } },
                  { code = "T03", ind = { drills = false } } })
  expect_eq(r.item.T01.B3, 10)
  expect_eq(r.item.T02.B3, 0)
  expect_eq(r.item.T03.B3, 0)
  expect_eq(r.prob.T03, { "B3: 缺少2019年度考核数据 drills" })
end)

test("B4 5 off per late, 10 per omitted; C bonus capped at 3 (total at most 103)", function()
  local r = run({
    { code = "T01", targets = { accidents_cap = 5 }, accidents = { acc("L1", "2019-03-01", { report_status = "late" }) } },
    { code = "T02", targets = { accidents_cap = 5 }, accidents = { acc("L2", "2019-03-01", { report_status = "late" }),
      acc("O1", "2019-03-02", { report_status = "omitted" }) } },
    { code = "T03", ind = { bonus = 4 } },
  })
  expect_eq(r.item.T01.B4, 5)
  expect_eq(r.item.T02.B4, 0)
  expect_eq(r.item.T03.C, 3)
  expect_eq(r.score.T03.score, 103)
end)

test("veto 2019: 重大 or concealed vetoes; 谎报 does not", function()
  local r = run({
    { code = "T01", targets = { deaths_cap = 20 }, accidents = { acc("M1", "2019-03-01", { deaths = 12, level = "重大" }) } },
    { code = "T02", accidents = { acc("K1", "2019-03-01", { report_status = "concealed" }) } },
    { code = "T03", accidents = { acc("F1", "2019-03-01", { report_status = "false" }) } },
  })
  expect_eq(r.score.T01.vetoed, true)
  expect_eq(r.score.T01.veto_reason, "重大事故：M1")
  expect_eq(r.score.T02.vetoed, true)
  expect_eq(r.score.T03.vetoed, false)
  expect_eq(r.score.T03.grade, "优秀")
  expect_eq(city.column(r.raw.scores, "unit"), { "T03", "T01", "T02" })
  expect_eq(city.column(r.raw.scores, "rank"), { 1, 2, 2 })
end)

test("no quota in 2019: every unit at 90 or above is 优秀", function()
  local r = run({ { code = "T01" }, { code = "T02" }, { code = "T03", inspections = 6 }, { code = "T04", inspections = 6 } })
  expect_eq(city.column(r.raw.scores, "grade"), { "优秀", "优秀", "优秀", "优秀" })
  expect_eq(city.column(r.raw.scores, "score"), { 100, 100, 92, 92 })
  expect_eq(city.column(r.raw.scores, "rank"), { 1, 1, 3, 3 })
end)
