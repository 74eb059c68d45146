-- scoring_params_bad.lua — tests/lua/scoring_params_test.lua: a one-item scheme whose
-- item is the Lua text of --set src=..., to check what a constructor refuses.
local S = require "scoring"
local R = require "scoring_rules"
local item = load("local R = ...; return " .. ctx.params.src, "=src")(R)
S.scheme{ title = "x", grades = S.grades{ 60, "合格", "不合格" }, S.category{ "A", "甲", item } }
