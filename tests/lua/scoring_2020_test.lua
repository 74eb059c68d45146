-- scoring_2020_test.lua — scripts/scoring_2020.lua against hand-computed cases, one rule
-- at a time: at, above and below each threshold; caps and floors; the veto; the 优秀
-- quota with ties at its edge; ranks; missing data; department scores; explain mode.
local city = require "scoring_city"
local S2020 = "../../scripts/scoring_2020.lua"   -- found relative to this file

local function run(units, extra, params) return city.run(S2020, city.city(units, extra), params) end
local acc = city.acc

test("a perfect unit scores 100 with every item full and nothing deducted", function()
  local r = run({ { code = "T01" } })
  expect_eq(r.score.T01.score, 100)
  expect_eq(r.item.T01, { A1 = 20, A2 = 10, A3 = 10, A4 = 0, B1 = 15, B2 = 15, B3 = 10,
                          B4 = 10, B5 = 5, B6 = 5, C = 0 })
  expect_eq(r.ded.T01, nil, "no deductions")
  expect_eq(r.prob.T01, nil, "no problems")
  expect_eq(r.score.T01.grade, "优秀")
  expect_eq(r.score.T01.vetoed, false)
end)

test("A1 deaths: at the cap full, each death over it 5 off, missing persons count, never below 0", function()
  local r = run({
    { code = "T01", accidents = { acc("A1", "2020-02-01", { deaths = 1 }) } },                 -- at cap 1
    { code = "T02", accidents = { acc("A2", "2020-02-01", { deaths = 2, missing = 1 }) } },    -- 3 > 1
    { code = "T03", targets = { deaths_cap = 0 }, accidents = { acc("A3", "2020-02-01", { deaths = 2 }),
      acc("A4", "2020-05-01", { deaths = 2 }) } },                                            -- 4 over → 0
    { code = "T04", targets = { deaths_cap = 2 }, accidents = { acc("A5", "2020-02-01") } },  -- below
  })
  expect_eq(r.item.T01.A1, 20)
  expect_eq(r.item.T02.A1, 10)
  expect_eq(r.ded.T02.A1[1].points, -10)
  expect_eq(r.ded.T02.A1[1].evidence, "A2")
  expect_eq(r.item.T03.A1, 0)
  expect_eq(r.ded.T03.A1[1].points, -20, "capped at the item's 20")
  expect_eq(r.ded.T03.A1[1].evidence, "A3;A4")
  expect_eq(r.item.T04.A1, 20)
end)

test("A2 accidents: at the cap full, 2 off per accident over, not below 0", function()
  local function n(k)
    local l = {}
    for i = 1, k do l[i] = acc(string.format("X%d-%02d", k, i), string.format("2020-04-%02d", i)) end
    return l
  end
  local r = run({
    { code = "T01", accidents = n(2) }, { code = "T02", accidents = n(3) },
    { code = "T03", targets = { accidents_cap = 0 }, accidents = n(6) },
  }, nil)
  expect_eq(r.item.T01.A2, 10)
  expect_eq(r.item.T02.A2, 8)
  expect_eq(r.item.T03.A2, 0)
end)

test("A3 double decline: none → 10, both below → 10, neither above → 5, else 0", function()
  local r = run({
    { code = "T01" },
    { code = "T02", accidents = { acc("C1", "2020-03-01", { deaths = 1 }), acc("P1", "2019-03-01", { deaths = 1 }),
                                  acc("P2", "2019-04-01", { deaths = 1 }) } },                -- 1/1 vs 2/2
    { code = "T03", accidents = { acc("C2", "2020-03-01", { deaths = 1 }), acc("P3", "2019-03-01", { deaths = 1 }) } }, -- equal
    { code = "T04", accidents = { acc("C3", "2020-03-01", { deaths = 0 }), acc("P4", "2019-03-01", { deaths = 1 }) } }, -- 1/0 vs 1/1
    { code = "T05", accidents = { acc("C4", "2020-03-01", { deaths = 2 }), acc("P5", "2019-03-01", { deaths = 1 }),
                                  acc("P6", "2019-04-01", { deaths = 0 }) } },                -- fewer accidents, more deaths
  })
  expect_eq(r.item.T01.A3, 10)
  expect_eq(r.item.T02.A3, 10)
  expect_eq(r.item.T03.A3, 5)
  expect_eq(r.item.T04.A3, 5, "accidents equal, deaths down: neither above")
  expect_eq(r.item.T05.A3, 0)
  expect_eq(r.ded.T03.A3[1].points, -5)
  expect_eq(r.ded.T05.A3[1].evidence, "C4")
end)

test("A4 each 较大 accident takes 10 off category A, which never goes below 0", function()
  local big = function(id, d) return acc(id, d, { level = "较大", closed_on = d }) end
  local r = run({
    { code = "T01", targets = { accidents_cap = 5 }, accidents = { big("B1", "2020-01-05"), big("B2", "2020-02-05") } },
    { code = "T02", targets = { accidents_cap = 5 }, accidents = { big("B3", "2020-01-05"), big("B4", "2020-02-05"),
      big("B5", "2020-03-05"), big("B6", "2020-04-05") } },
  })
  -- T01: A1 20 + A2 10 + A3 0 (2 accidents against none) − 20 = 10.
  expect_eq(r.item.T01.A4, -20)
  expect_eq(r.score.T01.score, 70)
  -- T02: 30 − 40 would be −10: category A stops at 0, so A4 takes only 30.
  expect_eq(r.item.T02.A4, -30)
  expect_eq(r.score.T02.score, 60)
  local d = r.ded.T02.A4[1]
  expect_eq(d.points, -30)
  expect_eq(d.evidence, "B3;B4;B5;B6")
  expect_eq(d.reason:find("扣完为止", 1, true) ~= nil, true, d.reason)
end)

test("B1 enforcement plan: proportional, capped at 15; no plan → 0 and a problem", function()
  local r = run({
    { code = "T01", inspections = 8 }, { code = "T02", inspections = 10 }, { code = "T03", inspections = 12 },
    { code = "T04", targets = { inspections_plan = false } },
  })
  expect_eq(r.item.T01.B1, 12)
  expect_eq(r.item.T02.B1, 15)
  expect_eq(r.item.T03.B1, 15)
  expect_eq(r.item.T04.B1, 0)
  expect_eq(r.prob.T04, { "B1: 缺少2020年控制指标 inspections_plan" })
end)

test("B2 rectification: 0.95 exactly is full, below is proportional, nothing found is full", function()
  local insp = city.hazards
  local r = run({
    { code = "T01", inspections = insp(20, 19) },      -- 0.95
    { code = "T02", inspections = insp(20, 18) },      -- 0.90 → 15 × 0.9 / 0.95
    { code = "T03", inspections = 10 },                -- nothing found
    { code = "T04", inspections = 0, targets = { inspections_plan = 0 } },   -- no inspections
  })
  expect_eq(r.item.T01.B2, 15)
  expect_eq(r.item.T02.B2, 14.21)
  expect_eq(r.ded.T02.B2[1].evidence, "T02-I19;T02-I20")
  expect_eq(r.item.T03.B2, 15)
  expect_eq(r.item.T04.B2, 15)
  -- the total keeps full precision: 85 + 15 × 0.9 / 0.95 = 99.2105… → 99.21
  expect_eq(r.score.T02.score, 99.21)
end)

test("B3 drills: against drills_min, 2 when absent; missing drills → 0 and a problem", function()
  local r = run({
    { code = "T01", ind = { drills = 1 } },                                 -- 1/2
    { code = "T02", ind = { drills = 3 } },
    { code = "T03", ind = { drills = 3 }, targets = { drills_min = 4 } },   -- 3/4
    { code = "T04", ind = { drills = false } },
  })
  expect_eq(r.item.T01.B3, 5)
  expect_eq(r.item.T02.B3, 10)
  expect_eq(r.item.T03.B3, 7.5)
  expect_eq(r.item.T04.B3, 0)
  expect_eq(r.prob.T04, { "B3: 缺少2020年度考核数据 drills" })
end)

test("B4 reporting: 3 off per late, 5 per omitted, not below 0", function()
  local r = run({
    { code = "T01", targets = { accidents_cap = 5 }, accidents = {
      acc("L1", "2020-01-01", { report_status = "late" }), acc("O1", "2020-01-02", { report_status = "omitted" }) } },
    { code = "T02", targets = { accidents_cap = 5 }, accidents = {
      acc("L2", "2020-01-01", { report_status = "late" }), acc("O2", "2020-01-02", { report_status = "omitted" }),
      acc("O3", "2020-01-03", { report_status = "omitted" }) } },
  })
  expect_eq(r.item.T01.B4, 2)
  expect_eq(r.item.T02.B4, 0)
  expect_eq(#r.ded.T02.B4, 2)
  expect_eq(r.ded.T02.B4[1].points, -3)
  expect_eq(r.ded.T02.B4[2].points, -7, "the omitted ones take what is left")
  expect_eq(r.ded.T02.B4[2].evidence, "O2;O3")
end)

test("B5 closure: the 60-day deadline inside the year and not closed by it", function()
  local r = run({ { code = "T01", targets = { accidents_cap = 9 }, accidents = {
    acc("D1", "2020-11-01"),                                  -- due 12-31: counts, open
    acc("D2", "2020-11-02"),                                  -- due 2021-01-01: not yet
    acc("D3", "2020-03-01", { closed_on = "2020-04-30" }),    -- closed on day 60
    acc("D4", "2020-03-01 08:00", { closed_on = "2020-05-01" }), -- day 61
  } } })
  expect_eq(r.item.T01.B5, 3)
  expect_eq(r.ded.T01.B5[1].evidence, "D4;D1", "in order of occurrence")
end)

test("B6 training capped at 5; C bonus capped at 5; the total may reach 105", function()
  local r = run({
    { code = "T01", ind = { training_score = 3 } },
    { code = "T02", ind = { training_score = 7, bonus = 3 } },
    { code = "T03", ind = { bonus = 8 } },
    { code = "T04", ind = { training_score = false } },
  })
  expect_eq(r.item.T01.B6, 3)
  expect_eq(r.item.T02.B6, 5)
  expect_eq(r.item.T02.C, 3)
  expect_eq(r.score.T02.score, 103)
  expect_eq(r.item.T03.C, 5)
  expect_eq(r.score.T03.score, 105)
  expect_eq(r.item.T04.B6, 0)
  expect_eq(r.prob.T04, { "B6: 缺少2020年度考核数据 training_score" })
end)

test("only production accidents not written off, of the year, count", function()
  local r = run({ { code = "T01", accidents = {
    acc("W1", "2020-02-01", { deaths = 5, level = "较大", written_off = true }),
    acc("N1", "2020-02-01", { deaths = 5, level = "重大", production = false }),
    acc("Y1", "2021-01-01 00:00", { deaths = 5 }),
    acc("Y0", "2019-12-31 23:59", { deaths = 5 }),
  } } })
  expect_eq(r.item.T01.A1, 20)
  expect_eq(r.item.T01.A3, 10)
  expect_eq(r.score.T01.vetoed, false)
end)

test("veto: a 重大 accident or 瞒报 grades 不合格, ranks last, keeps the computed score", function()
  local r = run({
    { code = "T01", ind = { bonus = 5 }, targets = { deaths_cap = 20 },
      accidents = { acc("M1", "2020-06-01", { deaths = 10, level = "重大", closed_on = "2020-07-01" }) } },
    { code = "T02", ind = { bonus = 2 }, accidents = { acc("K1", "2020-06-01", { report_status = "concealed", closed_on = "2020-07-01" }) } },
    { code = "T03", inspections = 6 },                    -- 94, not vetoed
    { code = "T04", inspections = 2, ind = { drills = 0 } },   -- 78
  })
  -- T01: A1 20, A2 10, A3 0 → 30; B 60; C 5 → 95 — computed as if no veto.
  expect_eq(r.score.T01.score, 95)
  expect_eq(r.score.T01.vetoed, true)
  expect_eq(r.score.T01.grade, "不合格")
  expect_eq(r.score.T01.veto_reason, "重大事故：M1")
  expect_eq(r.score.T02.veto_reason, "瞒报事故：K1")
  expect_eq(r.score.T02.score, 92)   -- A3 0 (1 accident vs none), B4 full: concealed is not late
  expect_eq(city.column(r.raw.scores, "unit"), { "T03", "T04", "T01", "T02" })
  expect_eq(city.column(r.raw.scores, "rank"), { 1, 2, 3, 4 })
  expect_eq(r.score.T03.grade, "优秀")
end)

test("ranks: equal scores share, the next skips (1, 2, 2, 4), vetoed after all", function()
  local r = run({
    { code = "T01", ind = { bonus = 5 }, accidents = { acc("V1", "2020-01-01", { report_status = "false", closed_on = "2020-01-20" }) } },
    { code = "T02", inspections = 9 },    -- 98.5
    { code = "T03", inspections = 8 },    -- 97
    { code = "T04", inspections = 8 },    -- 97
    { code = "T05", inspections = 2 },    -- 88
  })
  expect_eq(city.column(r.raw.scores, "unit"), { "T02", "T03", "T04", "T05", "T01" })
  expect_eq(city.column(r.raw.scores, "rank"), { 1, 2, 2, 4, 5 })
  expect_eq(city.column(r.raw.scores, "score"), { 98.5, 97, 97, 88, 95 })
  expect_eq(r.score.T01.veto_reason, "谎报事故：V1")
end)

test("优秀 quota: 30% of 10 units is 3; units sharing the edge rank are all kept", function()
  local units = {}
  local plan = { 10, 10, 7, 7, 5, 0, 0, 0, 0, 0 }   -- B1 = 1.5 per inspection
  for i, k in ipairs(plan) do
    units[i] = { code = string.format("T%02d", i), inspections = k, ind = i > 6 and { drills = 0 } or nil }
  end
  local r = run(units)
  expect_eq(city.column(r.raw.scores, "score"), { 100, 100, 95.5, 95.5, 92.5, 85, 75, 75, 75, 75 })
  expect_eq(city.column(r.raw.scores, "rank"), { 1, 1, 3, 3, 5, 6, 7, 7, 7, 7 })
  expect_eq(city.column(r.raw.scores, "grade"),
    { "优秀", "优秀", "优秀", "优秀", "良好", "良好", "合格", "合格", "合格", "合格" })
end)

test("优秀 quota: at least one; a vetoed unit still counts among the units scored", function()
  local r = run({ { code = "T01" }, { code = "T02", inspections = 7 }, { code = "T03", inspections = 4 } })
  expect_eq(city.column(r.raw.scores, "grade"), { "优秀", "良好", "良好" })   -- floor(0.9) → 1
  local units = { { code = "T00", accidents = { acc("Z1", "2020-01-01", { level = "特别重大", deaths = 30 }) } } }
  for i = 1, 6 do units[#units + 1] = { code = "T0" .. i, inspections = 11 - i } end
  -- 7 units → quota 2: T01 100 and T02 98.5 keep 优秀, T03 97 is demoted; T00 vetoed.
  r = run(units)
  expect_eq(city.column(r.raw.scores, "unit"), { "T01", "T02", "T03", "T04", "T05", "T06", "T00" })
  expect_eq(city.column(r.raw.scores, "grade"), { "优秀", "优秀", "良好", "良好", "良好", "良好", "不合格" })
  expect_eq(r.score.T00.veto_reason, "特别重大事故：Z1")
end)

test("grade thresholds at, above and below 90, 80 and 60", function()
  local r = run({
    { code = "T03", ind = { training_score = 0, drills = 1 } },                     -- 90
    { code = "T04", ind = { training_score = 0, drills = 1 }, inspections = 9 },    -- 88.5
    { code = "T05", ind = { training_score = 0, drills = 0 }, targets = { inspections_plan = 15 } },  -- 80
    { code = "T06", ind = { training_score = 0, drills = 0 }, targets = { inspections_plan = 15 },
      inspections = 9 },                                                           -- 79
    { code = "T08", ind = { drills = 0 }, targets = { deaths_cap = false, accidents_cap = false } },  -- 60
    { code = "T09", ind = { drills = 0 }, inspections = 29,
      targets = { deaths_cap = false, accidents_cap = false, inspections_plan = 30 } },  -- 59.5
  })
  local function sg(u) return { r.score[u].score, r.score[u].grade } end
  expect_eq(sg("T03"), { 90, "优秀" })
  expect_eq(sg("T04"), { 88.5, "良好" })
  expect_eq(sg("T05"), { 80, "良好" })
  expect_eq(sg("T06"), { 79, "合格" })
  expect_eq(sg("T08"), { 60, "合格" })
  expect_eq(sg("T09"), { 59.5, "不合格" })
end)

test("a unit with no data at all: every item, and a problem for each missing target", function()
  local r = run({ { code = "T01" }, { code = "Z01", kind = "zone", bare = true } })
  expect_eq(r.item.Z01, { A1 = 0, A2 = 0, A3 = 10, A4 = 0, B1 = 0, B2 = 15, B3 = 0, B4 = 10, B5 = 5, B6 = 0, C = 0 })
  expect_eq(r.score.Z01.score, 40)
  expect_eq(r.prob.Z01, {
    "A1: 缺少2020年控制指标 deaths_cap", "A2: 缺少2020年控制指标 accidents_cap",
    "B1: 缺少2020年控制指标 inspections_plan", "B3: 缺少2020年度考核数据 drills",
    "B6: 缺少2020年度考核数据 training_score" })
end)

test("department scores: weights 2 lead / 1 cooperating, missing completion 0 and reported", function()
  local units = {
    { code = "T01" },
    { code = "D01", name = "应急管理局", kind = "department", bare = true },
    { code = "D02", name = "住建局", kind = "department", bare = true },
    { code = "D03", name = "交通局", kind = "department", bare = true },
  }
  local a = function(u, no, v) return { year = 2020, unit = u, indicator = "task." .. no, value = v } end
  local r = run(units, {
    tasks = { { year = 2020, no = 1, title = "隐患排查", lead = "D01", cooperating = "D02;T01" },
              { year = 2020, no = 2, title = "执法检查", lead = "D01;D02", cooperating = "D02" },
              { year = 2020, no = 3, title = "应急演练", lead = "D02", cooperating = "D01" } },
    assessments = { a("D01", 1, 1), a("D01", 2, 0.5), a("D01", 3, 0.8), a("D02", 1, 1), a("D02", 3, 0.9) },
  })
  -- D01: (2×1 + 2×0.5 + 1×0.8) / 5 = 0.76; D02: (1×1 + 2×0 + 2×0.9) / 5 = 0.56.
  expect_eq(r.dept.D01.score, 76)
  expect_eq(r.dept.D02.score, 56)
  expect_eq(r.dept.D03, nil, "no items, not listed")
  expect_eq(r.dept.T01, nil, "a township named on an item is not department-scored")
  expect_eq(r.dept.D01.grade, "合格")
  expect_eq(r.dept.D02.grade, "不合格")
  expect_eq(city.column(r.raw.department_scores, "rank"), { 1, 2 })
  expect_eq(r.prob.D02, { "task.2: 缺少2020年重点工作第2项完成情况（task.2），按 0 计" })
  expect_eq(r.score.D01, nil, "departments are not in scores")
  -- explain for a department: its tasks with role, weight and completion
  local t = run_script(S2020, { db = r.db, params = { unit = "D02" } })
  expect_eq(t.sheet[1].score, 56)
  expect_eq(t.tasks, {
    { no = 1, title = "隐患排查", role = "协同", weight = 1, completion = 1, weighted = 1 },
    { no = 2, title = "执法检查", role = "牵头", weight = 2, completion = 0, weighted = 0 },
    { no = 3, title = "应急演练", role = "牵头", weight = 2, completion = 0.9, weighted = 1.8 } })
  expect_eq(t.problems, { { item = "task.2", problem = "缺少2020年重点工作第2项完成情况（task.2），按 0 计" } })
end)

test("explain: --set unit=CODE prints the unit's sheet with subtotals and evidence", function()
  local db = city.city({ { code = "T01", inspections = 8, accidents = {
    acc("E1", "2020-05-01", { deaths = 3, level = "较大", report_status = "late", closed_on = "2020-06-01" }) } },
    { code = "T02" } })
  local t = run_script(S2020, { db = db, params = { unit = "T01" } })
  expect_eq(#t.sheet, 1)
  expect_eq(t.sheet[1].unit, "T01")
  -- A1 20 − 10 = 10, A2 10, A3 0, A4 −10 → 10; B1 12, B4 7 → 54; total 64.
  expect_eq(t.sheet[1].score, 64)
  expect_eq(t.sheet[1].rank, 2)
  expect_eq(city.column(t.items, "item"), { "A1", "A2", "A3", "A4", "A", "B1", "B2", "B3", "B4", "B5", "B6", "B", "C", "合计" })
  expect_eq(city.column(t.items, "points"), { 10, 10, 0, -10, 10, 12, 15, 10, 7, 5, 5, 54, 0, 64 })
  expect_eq(city.column(t.deductions, "item"), { "A1", "A3", "A4", "B1", "B4" })
  expect_eq(city.column(t.deductions, "evidence"), { "E1", "E1", "E1", nil, "E1" })
  expect_eq(t.problems, {})
  expect_error(function() run_script(S2020, { db = db, params = { unit = "NOPE" } }) end, "NOPE")
end)

test("--set year chooses the year scored (2019 data under the 2020 rules)", function()
  local r = run({ { code = "T01", year = 2019 } }, nil, { year = 2019 })
  expect_eq(r.score.T01.score, 100)
  -- nothing of 2020: an error naming what is missing, not 40 points for everyone
  expect_error(function() run({ { code = "T01", year = 2019 } }) end,
    "no data to score 2020 on %(as of 2021%-01%-31%): the database has no accidents, inspections, targets, annual assessments of 2020")
end)
