-- scoring_invariant_test.lua — every point adds up (issue 15, defect 1), over 100
-- generated schemes (scoring_random.lua, seeds 1..100) on a fixture city with a bit of
-- everything, and by hand for the caps that used to lose points without a row: a
-- category's max, the scheme's max, the bonus cap, the display rounding.
local city = require "scoring_city"
local acc = city.acc

local F = require "facts"
local function c(x) return math.tointeger(F.round(x * 100)) end   -- a displayed figure in cents

-- The published tables of one run, checked: returns a list of violations (texts).
local function violations(t)
  local out = {}
  local items, deds = {}, {}
  for _, it in ipairs(t.items or {}) do
    items[it.unit] = items[it.unit] or {}
    table.insert(items[it.unit], it)
  end
  for _, d in ipairs(t.deductions or {}) do
    local k = d.unit .. "/" .. d.item
    deds[k] = (deds[k] or 0) + c(d.points)
  end
  local bonus = {}
  for _, it in ipairs(t.items or {}) do
    if it.title == "加分" then bonus[it.unit .. "/" .. it.item] = true end
  end
  for _, s in ipairs(t.scores or {}) do
    local sum = 0
    for _, it in ipairs(items[s.unit] or {}) do
      sum = sum + c(it.points)
      local k = s.unit .. "/" .. it.item
      if not bonus[k] and c(it.max) + (deds[k] or 0) ~= c(it.points) then
        out[#out + 1] = string.format("%s %s: max %s + deductions %s ≠ points %s", s.unit, it.item,
          it.max, (deds[k] or 0) / 100, it.points)
      end
    end
    if sum ~= c(s.score) then
      out[#out + 1] = string.format("%s: items add up to %s, score %s", s.unit, sum / 100, s.score)
    end
  end
  return out
end

-- A city with something for every rule: deaths and accidents over their caps, late and
-- omitted reports, a 较大 accident, open hazards, missing and partial indicators, bonus.
local function varied_city()
  local big = function(id, d, f) f = f or {}; f.level = "较大"; return acc(id, d, f) end
  return city.city({
    { code = "T01" },
    { code = "T02", accidents = { acc("A1", "2020-02-01", { deaths = 3 }), acc("A2", "2020-03-01", { report_status = "late" }),
      acc("A3", "2020-04-01", { report_status = "omitted", closed_on = "2020-09-01" }), big("A4", "2020-05-01"),
      acc("P1", "2019-05-01") }, inspections = city.hazards(7, 3), ind = { bonus = 4 } },
    { code = "T03", targets = { deaths_cap = 0, accidents_cap = 0 }, accidents = { big("B1", "2020-01-05"),
      big("B2", "2020-06-05"), acc("B3", "2020-07-01", { report_status = "late" }) },
      inspections = city.hazards(3, 2), ind = { drills = 1, training_score = 2.5, bonus = 7 } },
    { code = "T04", targets = { inspections_plan = 13 }, inspections = 7, ind = { drills = 3, training_score = 4.1 } },
    { code = "S01", kind = "street", inspections = city.hazards(9, 8), ind = { bonus = 1.25 } },
    { code = "Z01", kind = "zone", targets = { inspections_plan = 3 }, inspections = 1,
      accidents = { acc("C1", "2020-11-20", { deaths = 1 }) }, ind = { drills = 0, training_score = 0.333 } },
  })
end

test("100 generated schemes on a fixture city: every item explained, items add up to the score", function()
  local db = varied_city()
  local units, bites = 0, 0
  for seed = 1, 100 do
    local t = run_script("scoring_random.lua", { db = db, as_of = "2021-01-31", params = { seed = seed } })
    local v = violations(t)
    if #v > 0 then error(string.format("seed %d: %s", seed, table.concat(v, "; ", 1, math.min(#v, 3)))) end
    units = units + #t.scores
    for _, it in ipairs(t.items) do if it.item:find("封顶") then bites = bites + 1 end end
  end
  expect_eq(units, 600)
  if bites < 20 then error("too few caps bit to test them: " .. bites) end
end)

local S2020 = "../../scripts/scoring_2020.lua"

test("a category's max that bites has its own row (A1 raised to 25 under A's 40)", function()
  -- A1 25 + A2 10 + A3 10 = 45: 5 over A's 40, a row of its own.
  local t2 = run_script("scoring_invariant_a1.lua", { db = city.city({ { code = "T01" } }), as_of = "2021-01-31" })
  expect_eq(violations(t2), {})
  local rows = {}
  for _, it in ipairs(t2.items) do rows[#rows + 1] = string.format("%s=%g", it.item, it.points) end
  expect_eq(table.concat(rows, " "), "A1=25 A2=10 A3=10 A4=0 A封顶=-5 B1=15 B2=15 B3=10 B4=10 B5=5 B6=5 C=0")
  expect_eq(t2.deductions, { { unit = "T01", item = "A封顶", points = -5,
    reason = "控制指标各项合计 45 分，超过本类满分 40 分，超出 5 分不计" } })
  expect_eq(t2.scores[1].score, 100)
end)

test("the scheme's max that bites has its own row; the explain sheet adds up", function()
  local db = city.city({ { code = "T03", ind = { bonus = 4.97 } } })
  local t = run_script("scoring_invariant_a1.lua", { db = db, as_of = "2021-01-31", params = { max = 100 } })
  expect_eq(violations(t), {})
  local cap
  for _, d in ipairs(t.deductions) do if d.item == "总分封顶" then cap = d end end
  expect_eq(cap and cap.points, -4.97)
  expect_eq(cap.reason, "各类合计 104.97 分，超过总分上限 100 分，超出 4.97 分不计")
  t = run_script("scoring_invariant_a1.lua", { db = db, as_of = "2021-01-31", params = { max = 100, unit = "T03" } })
  local col = city.column
  expect_eq(col(t.items, "item"), { "A1", "A2", "A3", "A4", "A封顶", "A", "B1", "B2", "B3", "B4", "B5", "B6", "B", "C", "总分封顶", "合计" })
  expect_eq(col(t.items, "points"), { 25, 10, 10, 0, -5, 40, 15, 15, 10, 10, 5, 5, 60, 4.97, -4.97, 100 })
end)

test("the bonus cap: awards after their cap row are the bonus", function()
  local db = city.city({ { code = "T01", ind = { bonus = 7 } } })
  local t = run_script(S2020, { db = db, as_of = "2021-01-31", params = { unit = "T01" } })
  local c_row
  for _, r in ipairs(t.items) do if r.item == "C" then c_row = r end end
  expect_eq(c_row.points, 5)
  expect_eq(c_row.basis, "加分合计 7 分，封顶 5 分；加分 7 分")
end)

test("displayed items add up to the displayed score (largest remainder)", function()
  -- B1 15 × 7 ÷ 8 = 13.125 and B6 3.125: rounded alone 13.13 + 3.13 and the items would
  -- add up to 91.26 under a total of 91.25.
  local db = city.city({ { code = "T01", targets = { inspections_plan = 8 }, inspections = 7,
    ind = { drills = 1, training_score = 3.125 } } })
  local t = run_script(S2020, { db = db, as_of = "2021-01-31", params = { unit = "T01" } })
  local sum = 0
  for _, r in ipairs(t.items) do
    if #r.item == 2 or r.item == "C" then sum = sum + c(r.points) end
  end
  expect_eq(sum, c(t.sheet[1].score))
  expect_eq(t.sheet[1].score, 91.25)
  expect_eq(violations(run_script(S2020, { db = db, as_of = "2021-01-31" })), {})
  local S = require "scoring"
  expect_eq(S.apportion({ 13.125, 3.125 }, 1625), { 1312, 313 })
  expect_eq(S.apportion({ 0.005, 0.005, 0.005 }, 2), { 0, 1, 1 })
  expect_eq(S.apportion({ 2.004, 3, 4.996 }, 1000), { 200, 300, 500 })
  expect_eq(S.apportion({ 5, 2.5, 2.5 }, 1000), { 500, 250, 250 })
end)

-- cents() reads |x| as a comparison and floor as `// 1`: the same integer as the
-- math.abs/math.floor form it replaced, on half-cent edges, signs, -0.0, integers, large
-- values and generated figures as the rules compute them.
test("cents gives the integer of the math.abs/math.floor form", function()
  local S = require "scoring"
  local function reference(x)
    x = x * 100
    local y = math.floor(math.abs(x) + 0.5 + 1e-7)
    if x < 0 then y = -y end
    return math.tointeger(y + 0.0)
  end
  local vals = { 0, -0.0, 0.005, -0.005, 0.015, -0.015, 2.675, -2.675, 1.005, 89.995, -89.995,
                 0.004999999, 0.00499999999, 13.125, 3.125, 1e13, -1e13, 1e17, 3, -3, 7,
                 math.maxinteger // 100, math.mininteger // 100, 0.1 + 0.2, 2 / 3, -2 / 3 }
  local seed = 12345
  for _ = 1, 200000 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local v = (seed % 2000001 - 1000000) / 1000
    vals[#vals + 1] = v
    vals[#vals + 1] = v / 7
    vals[#vals + 1] = (seed % 20001 - 10000) / 200 + 0.005
  end
  local bad = 0
  for _, v in ipairs(vals) do
    if S.cents(v) ~= reference(v) or math.type(S.cents(v)) ~= math.type(reference(v)) then
      bad = bad + 1
      if bad <= 3 then print(string.format("cents(%.17g): %s, reference %s", v, S.cents(v), reference(v))) end
    end
  end
  expect_eq(bad, 0)
end)

