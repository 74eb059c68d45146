-- scoring_deadline.lua — a one-item scheme for tests/lua/scoring_lib_test.lua: the
-- closure deadline of B5 with its number of days from --set days=N
-- (R.not_closed_within(N)); run as a script, or required as a module by
-- scoring_module.lua the way the briefing uses a year's scheme.
local S = require "scoring"
local R = require "scoring_rules"

local days = math.tointeger(tonumber(tostring(ctx.params.days or 60))) or ctx.params.days

local scheme = S.scheme{
  title = "调查结案期限",
  year = 2020,
  max = 5,
  S.category{ "B", "重点工作", max = 5,
    R.per_accident{ "B5", "调查结案", max = 5,
      { where = R.not_closed_within(days), per = 1, reason = "未按期结案" } },
  },
  grades = S.grades{ 60, "合格", "不合格" },
}

return S.main(scheme, ...)
