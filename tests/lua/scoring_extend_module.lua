-- scoring_extend_module.lua — tests/lua/scoring_extend_test.lua: a base scheme
-- (scoring_invariant_a1.lua, the 2020 rules with A1 at 25) evaluated before and after
-- another scheme extends it with every kind of change, in one run: extending copies, it
-- never changes the base. Publishes the base's results before and after, and the new
-- scheme's.
local S = require "scoring"
local R = require "scoring_rules"

local base = require "scoring_invariant_a1"
local function rows(res)
  local out = {}
  for _, s in ipairs(res.sheets) do
    local items = {}
    for _, it in ipairs(s.items) do items[#items + 1] = it.id .. "=" .. S.num(it.points) end
    out[#out + 1] = { unit = s.unit, score = s.score, grade = s.grade, items = table.concat(items, " ") }
  end
  table.sort(out, function(a, b) return a.unit < b.unit end)
  return out
end
local before = rows(S.evaluate(base, 2020))
local new = S.extend(base, {
  title = "扩展方案",
  max = 100,
  S.set("A1", { max = 20, per = 10, title = "死亡控制" }),
  S.set("A", { max = 35 }),
  S.remove("A3"),
  S.replace(R.rectification{ "B2", "隐患整改率", max = 15, full_at = 0.5 }),
  S.add(R.at_least{ "B7", "演练达标", max = 5, indicator = "drills", min = 3 }, { after = "B3" }),
  S.move("B6", { before = "B1" }),
  S.remove("B5"),
  S.add(S.category{ "D", "附加", max = 5, R.indicator_points{ "D1", "培训", max = 5, indicator = "training_score" } },
        { before = "C" }),
  S.move("C", { before = "A" }),
  veto = { R.veto_accidents{ where = { level = "较大" }, reason = "较大事故" } },
  grades = S.grades{ 60, "过", "不过" },
  quota = { grade = "过", count = 1, demote = "不过" },
  veto_grade = "否决",
  sections = {},
})
local after = rows(S.evaluate(base, 2020))
publish("before", { "unit", "score", "grade", "items" }, before)
publish("after", { "unit", "score", "grade", "items" }, after)
publish("extended", { "unit", "score", "grade", "items" }, rows(S.evaluate(new, 2020)))
