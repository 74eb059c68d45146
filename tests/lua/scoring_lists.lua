-- scoring_lists.lua — a scheme for tests/lua/scoring_lib_test.lua whose rules look at the
-- item they are given: its lists (deductions, notes) read empty until a method adds to
-- them, and cannot be written into directly; a where-function reading an accident's
-- due date for days no rule asked for (the date computed on first use).
local S = require "scoring"
local R = require "scoring_rules"

local seen = {}
local function look(spec)
  return { id = spec[1], title = spec[2], max = spec.max, rule = function(u, it)
    local before = #it.deductions + #it.notes + #it.awards + #it.caps
    local ok, err = pcall(function() it.deductions[1] = { points = 1, reason = "x", ids = {} } end)
    it:deduct(2, "扣分", { "E" .. u.code })
    it:deduct(0, "不扣", {})
    seen[#seen + 1] = { unit = u.code, before = before, direct = ok and "written" or tostring(err):match("scoring: .*"),
                        after = #it.deductions }
  end }
end

local scheme = S.scheme{
  title = "列表",
  year = 2020,
  max = 10,
  S.category{ "A", "甲", max = 10,
    look{ "A1", "查看", max = 5 },
    R.per_accident{ "A2", "四十五日", max = 5,
      { where = function(a) return a.due[45] < "2020-12-31" and a.closed_on == nil end, per = 1, reason = "未结案" } },
  },
  grades = S.grades{ 60, "合格", "不合格" },
}

local res = S.evaluate(scheme, 2020)
publish("seen", { "unit", "before", "direct", "after" }, seen)
S.publish(res)
