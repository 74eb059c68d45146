-- scoring_extend_test.lua — a scheme defined as a base plus changes (issue 15):
-- scripts/scoring_2021_example.lua against the 2020 scheme on one fixture city, change
-- by change; the base's own results unchanged by extending it; a faulty change is an
-- error at its own line.
local city = require "scoring_city"
local acc = city.acc
local S2020, S2021 = "../../scripts/scoring_2020.lua", "../../scripts/scoring_2021_example.lua"

local function db()
  return city.city({
    { code = "T01" },
    { code = "T02", accidents = { acc("L1", "2020-03-01", { report_status = "late", closed_on = "2020-03-10" }),
      acc("P1", "2019-03-01"), acc("P2", "2019-04-01") }, inspections = city.hazards(10, 9) },
    { code = "T03", accidents = { acc("D1", "2020-03-01", { deaths = 3, closed_on = "2020-03-10" }),
      acc("P3", "2019-03-01"), acc("P4", "2019-04-01") } },
    { code = "T04", ind = { bonus = 5 } }, { code = "T05", ind = { bonus = 4 } }, { code = "T06", ind = { bonus = 3 } },
    { code = "T07", ind = { bonus = 2 } }, { code = "T08", ind = { bonus = 1 } },
  })
end

local function items(t, unit)
  local out = {}
  for _, it in ipairs(t.items) do if it.unit == unit then out[#out + 1] = it end end
  return out
end

test("the 2021 example, change by change, against 2020 on the same data", function()
  local d = db()
  local old = city.run(S2020, d, { year = 2020 })
  local new = city.run(S2021, d, { year = 2020 })
  expect_eq(new.raw.evaluation[1].scheme, "2021年度安全生产目标管理责任制考核（示例）")
  -- Item order: B6 removed, B5 before B4; A1's max 25.
  expect_eq(city.column(items(new.raw, "T01"), "item"), { "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B5", "B4", "C" })
  expect_eq(city.column(items(new.raw, "T01"), "max"), { 25, 10, 10, 0, 15, 15, 10, 5, 10, 5 })
  -- A perfect unit: A 45 + B 55 = 100 either way.
  expect_eq({ old.score.T01.score, new.score.T01.score }, { 100, 100 })
  -- B2 full at 90 % (9 of 10 rectified): 15 × 0.9 ÷ 0.95 under 2020, 15 under 2021.
  expect_eq({ old.item.T02.B2, new.item.T02.B2 }, { 14.21, 15 })
  -- B4 迟报: 3 off under 2020, 4 under 2021.
  expect_eq({ old.item.T02.B4, new.item.T02.B4 }, { 7, 6 })
  -- A1 3 deaths over a cap of 1: 20 − 10 under 2020, 25 − 10 under 2021 (A 35 of 45).
  expect_eq({ old.item.T03.A1, new.item.T03.A1 }, { 10, 15 })
  -- Quota 20 % of 8 units = 1 优秀 (2020: 30 % = 2).
  local function n(r) local k = 0; for _, s in pairs(r.score) do if s.grade == "优秀" then k = k + 1 end end; return k end
  expect_eq({ n(old), n(new) }, { 2, 1 })
end)

test("every kind of change; the base's own results unchanged by extending it, in the same run", function()
  local t = run_script("scoring_extend_module.lua", { db = db(), as_of = "2021-01-31" })
  expect_eq(t.after, t.before)
  expect_eq(t.before[1].items, "A1=25 A2=10 A3=10 A4=0 A封顶=-5 B1=15 B2=15 B3=10 B4=10 B5=5 B6=5 C=0")
  -- C moved first; A1 20 with 10 a death, A3 gone, A 35 (30: no cap); B6 first, B2
  -- replaced, B7 added after B3, B5 gone; category D last (added before C, which moved).
  expect_eq(t.extended[1].items, "C=0 A1=20 A2=10 A4=0 B6=5 B1=15 B2=15 B3=10 B7=0 B4=10 D1=5")
  expect_eq(t.extended[1].score, 90)
  -- T03: 3 deaths over a cap of 1 → A1 20 − 20 = 0.
  local by = {}
  for _, r in ipairs(t.extended) do by[r.unit] = r end
  expect_eq(by.T03.items, "C=0 A1=0 A2=10 A4=0 B6=5 B1=15 B2=15 B3=10 B7=0 B4=10 D1=5")
  expect_eq(by.T04.score, 95)
  expect_eq(by.T04.grade, "过", "the best unit, within the quota of one")
  expect_eq(by.T01.grade, "不过", "beyond the quota of one")
end)

test("a faulty change is an error at its own line, with a suggestion", function()
  local d = db()
  local function err(case)
    return expect_error(function()
      run_script("scoring_extend_bad.lua", { db = d, as_of = "2021-01-31", params = { case = case } })
    end, "scoring_extend_bad.lua:%d+:")
  end
  local e = err("unknown_id")
  expect_eq(e:match("scoring_extend_bad%.lua:%d+: .*"),
    "scoring_extend_bad.lua:8: no item or category 'A9' in the scheme (did you mean 'A1'?) (ids: A1, A2, A3, A4, A, B1, B2, B3, B4, B5, B6, B, C)")
  expect_eq(err("unknown_option"):match("scoring_extend_bad%.lua:%d+: .*"),
    "scoring_extend_bad.lua:9: over_target A1: unknown option 'pre' (did you mean 'per'?)")
  expect_eq(err("bad_value"):match("scoring_extend_bad%.lua:%d+: .*"),
    "scoring_extend_bad.lua:10: rectification B2: option 'full_at' must be at most 1, got 1.5")
  expect_eq(err("bad_place"):match("scoring_extend_bad%.lua:%d+: .*"),
    "scoring_extend_bad.lua:11: no item or category 'B44' in the scheme (did you mean 'B4'?) (ids: B4, A4, B1, B2, B3, B6, B, A1, A2, A3, A, C)")
  expect_eq(err("duplicate"):match("scoring_extend_bad%.lua:%d+: .*"),
    "scoring_extend_bad.lua:13: add: the scheme already has 'B1' (use S.replace or S.set)")
  expect_eq(err("not_a_change"):match("scoring_extend_bad%.lua:%d+: .*"),
    "scoring_extend_bad.lua:15: extend: entry 1 is not a change (S.set, S.remove, S.add, S.move, S.replace)")
end)
