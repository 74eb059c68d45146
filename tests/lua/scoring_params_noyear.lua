-- scoring_params_noyear.lua — tests/lua/scoring_params_test.lua: a scheme without a year, run without --set year=.
local S = require "scoring"
local R = require "scoring_rules"
local scheme = S.scheme{ title = "无年度", grades = S.grades{ 60, "合格", "不合格" },
  S.category{ "A", "甲", R.at_least{ "A1", "演练", max = 4, indicator = "drills", min = 1 } } }
return S.main(scheme, ...)
