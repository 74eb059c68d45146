-- scoring_params.lua — tests/lua/scoring_params_test.lua: small schemes that set one
-- documented parameter to a value other than the sample schemes' (issue 15, defect 3:
-- every documented parameter works for any sensible value); --set case=NAME picks one.
local S = require "scoring"
local R = require "scoring_rules"

local g = S.grades{ 60, "合格", "不合格" }
local function one(item, extra)
  local spec = { title = "参数 " .. ctx.params.case, year = 2020, grades = g,
                 S.category{ "A", "甲", item } }
  for k, v in pairs(extra or {}) do spec[k] = v end
  return S.scheme(spec)
end

local cases = {
  over_target = function() return one(R.over_target{ "A1", "起数", max = 7.5, count = "accidents",
    target = "accidents_cap", per = 2.5 }) end,
  partial_0 = function() return one(R.double_decline{ "A1", "双下降", max = 10, partial = 0 }) end,
  partial_max = function() return one(R.double_decline{ "A1", "双下降", max = 10, partial = 10 }) end,
  partial_half = function() return one(R.double_decline{ "A1", "双下降", max = 10, partial = 2.5 }) end,
  per_accident = function() return one(R.per_accident{ "A1", "按起", max = 3,
    { where = { level = { "一般", "较大" } }, per = 0.5, reason = "事故" },
    { where = function(a) return a.deaths >= 2 end, per = 1.25, reason = "死亡2人以上" } }) end,
  completion_default = function() return one(R.completion{ "A1", "演练", max = 10, indicator = "drills",
    target = "drills_min", default = 3 }) end,
  completion_zero_plan = function() return one(R.completion{ "A1", "执法", max = 10, count = "inspections",
    target = "inspections_plan" }) end,
  full_at_1 = function() return one(R.rectification{ "A1", "整改", max = 10, full_at = 1 }) end,
  full_at_half = function() return one(R.rectification{ "A1", "整改", max = 10, full_at = 0.5 }) end,
  at_least = function() return one(R.at_least{ "A1", "演练", max = 4, indicator = "drills", min = 2.5 }) end,
  at_least_0 = function() return one(R.at_least{ "A1", "演练", max = 4, indicator = "drills", min = 0 }) end,
  points_cap = function() return one(R.indicator_points{ "A1", "培训", max = 3, indicator = "training_score" }) end,
  item_floor = function() return one(R.over_target{ "A1", "起数", max = 10, floor = 4, count = "accidents",
    target = "accidents_cap", per = 5 }) end,
  category_floor = function()
    return S.scheme{ title = "类别下限", year = 2020, grades = g,
      S.category{ "A", "甲", max = 20, floor = 12,
        R.over_target{ "A1", "死亡", max = 20, count = "deaths", target = "deaths_cap", per = 1 },
        R.per_accident{ "A2", "较大", scope = "category", { where = { level = "较大" }, per = 10, reason = "较大事故" } } } }
  end,
  veto_grade = function() return one(R.over_target{ "A1", "起数", max = 10, count = "accidents",
    target = "accidents_cap", per = 1 }, { veto = { R.veto_accidents{ where = { level = "较大" }, reason = "较大事故" } },
    veto_grade = "否决" }) end,
  quota_min = function() return one(R.over_target{ "A1", "起数", max = 100, count = "accidents",
    target = "accidents_cap", per = 1 }, { quota = { grade = "合格", share = 0.1, min = 2, demote = "不合格" } }) end,
  streets = function() return one(R.over_target{ "A1", "起数", max = 10, count = "accidents",
    target = "accidents_cap", per = 1 }, { units = { "street" } }) end,
}

return S.main(cases[ctx.params.case](), ...)
