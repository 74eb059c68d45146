-- scoring_params_bad.lua — tests/lua/scoring_params_test.lua: a one-item scheme whose
-- item is the Lua text of --set src=... (and a section, --set section=...), to check
-- what a constructor refuses.
local S = require "scoring"
local R = require "scoring_rules"
local T = require "scoring_tasks"
local item = load("local R = ...; local it = " .. ctx.params.src .. "; return it", "=src")(R)
local section = ctx.params.section and load("local T = ...; local s = " .. ctx.params.section .. "; return s", "=section")(T)
S.scheme{ title = "x", grades = S.grades{ 60, "合格", "不合格" }, sections = { section },
  S.category{ "A", "甲", item } }
