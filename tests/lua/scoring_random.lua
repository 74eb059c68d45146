-- scoring_random.lua — one generated scheme (issue 15: every point adds up). With
-- --set seed=N it builds a scheme at random from the rules of scoring_rules — random
-- maxima (some with decimals), per-occurrence points, partial credit, thresholds, item
-- and category floors, category-wide deductions, category maxima and a scheme maximum
-- that often bite, a bonus with a cap — over the targets and indicators the year's data
-- has, and publishes its evaluation like any scheme. tests/lua/scoring_invariant_test.lua
-- runs it for 100 seeds on a fixture city, tests/e2e/scoring_invariant.sh on the seed
-- city, and both check the published tables: every item's max plus its deductions is
-- its points, and a unit's items add up to its score, exactly as displayed.
local S = require "scoring"
local R = require "scoring_rules"

local year = S.year(2020)
local seed = math.tointeger(tonumber(tostring(ctx.params.seed or 1))) or 1

-- A small generator of our own (a 31-bit LCG): the same seed, the same scheme, whatever
-- math.random does.
local state = seed * 7919 + 17
local function rnd(a, b)                         -- integer in [a, b]
  state = (state * 1103515245 + 12345) % 2147483648
  return a + state % (b - a + 1)
end
local function pick(list) return list[rnd(1, #list)] end
local function points(lo, hi)                    -- whole, halves or cents
  local k = rnd(1, 3)
  if k == 1 then return rnd(lo, hi) end
  if k == 2 then return rnd(lo * 2, hi * 2) / 2 end
  return rnd(lo * 100, hi * 100) / 100
end

local targets, indicators = {}, {}
for r in sql.rows("SELECT DISTINCT indicator FROM targets WHERE year = ?", year) do targets[r.indicator] = true end
for r in sql.rows("SELECT DISTINCT indicator FROM assessments WHERE year = ? AND period = 'annual'", year) do
  indicators[r.indicator] = true
end

local n_item = 0
local function id(cat) n_item = n_item + 1; return cat .. n_item end

local function clause()
  return pick({
    { where = { report_status = "late" }, per = points(1, 6), reason = "迟报" },
    { where = { report_status = "omitted" }, per = points(1, 8), reason = "漏报" },
    { where = { level = "较大" }, per = points(2, 15), reason = "较大事故" },
    { where = { level = { "一般", "较大" } }, per = points(0, 3), reason = "事故" },
    { where = R.not_closed_within(rnd(0, 90)), per = points(0, 2), reason = "未按期结案" },
  })
end

local function item(cat)
  local max = points(1, 30)
  local floor = rnd(1, 5) == 1 and math.min(max, points(0, 5)) or nil
  local kinds = { "per_accident", "double_decline", "rectification" }
  if targets.deaths_cap then kinds[#kinds + 1] = "deaths" end
  if targets.accidents_cap then kinds[#kinds + 1] = "accidents" end
  if targets.inspections_plan then kinds[#kinds + 1] = "inspections" end
  if indicators.drills then kinds[#kinds + 1] = "drills"; kinds[#kinds + 1] = "at_least" end
  if indicators.training_score then kinds[#kinds + 1] = "points" end
  local k, i = pick(kinds), id(cat)
  if k == "deaths" or k == "accidents" then
    return R.over_target{ i, "控制", max = max, floor = floor, count = k, target = k .. "_cap", per = points(0, 12) }
  elseif k == "double_decline" then
    return R.double_decline{ i, "双下降", max = max, floor = floor, partial = rnd(0, 4) * max / 4 }
  elseif k == "per_accident" then
    local spec = { i, "按起扣分", max = max, floor = floor }
    for _ = 1, rnd(1, 3) do spec[#spec + 1] = clause() end
    return R.per_accident(spec)
  elseif k == "rectification" then
    return R.rectification{ i, "整改", max = max, floor = floor, full_at = rnd(50, 100) / 100 }
  elseif k == "inspections" then
    return R.completion{ i, "执法", max = max, floor = floor, count = "inspections", target = "inspections_plan" }
  elseif k == "drills" then
    return R.completion{ i, "演练", max = max, floor = floor, indicator = "drills", target = "drills_min",
                         default = rnd(1, 4) }
  elseif k == "at_least" then
    return R.at_least{ i, "演练", max = max, floor = floor, indicator = "drills", min = rnd(0, 3) }
  else
    return R.indicator_points{ i, "培训", max = max, floor = floor, indicator = "training_score" }
  end
end

local spec = { title = "随机方案 " .. seed, year = year,
               grades = S.grades{ 90, "优秀", 60, "合格", "不合格" } }
local sum = 0
for c = 1, rnd(1, 4) do
  local cid = string.char(64 + c)
  local items, cat_sum = {}, 0
  for _ = 1, rnd(1, 4) do
    local it = item(cid)
    items[#items + 1] = it
    cat_sum = cat_sum + it.max
  end
  if rnd(1, 3) == 1 then                         -- category-wide deductions
    local s = { id(cid), "扣本类分", scope = "category" }
    for _ = 1, rnd(1, 2) do s[#s + 1] = clause() end
    items[#items + 1] = R.per_accident(s)
  end
  local max = rnd(1, 3) > 1 and points(1, math.max(1, math.floor(cat_sum))) or nil
  local floor = max and rnd(1, 3) == 1 and points(0, math.floor(max)) or nil
  local cat = { cid, "类别" .. cid, max = max, floor = floor }
  for _, it in ipairs(items) do cat[#cat + 1] = it end
  spec[#spec + 1] = S.category(cat)
  sum = sum + (max or cat_sum)
end
if indicators.bonus and rnd(1, 2) == 1 then
  spec[#spec + 1] = S.category{ "X", "加分", bonus = true,
    R.bonus{ "X", "加分", max = points(0, 6), indicator = "bonus" } }
  sum = sum + 6
end
if rnd(1, 2) == 1 then spec.max = points(1, math.max(1, math.floor(sum))) end

return S.main(S.scheme(spec), ...)
