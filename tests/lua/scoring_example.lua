-- scoring_example.lua — the example scheme of docs/scoring.md ("Writing your own rule"),
-- run by tests/lua/scoring_lib_test.lua so the documentation cannot drift.
local S = require "scoring"
local R = require "scoring_rules"

-- A rule of our own: 2 points off per inspection that found a major hazard (重大隐患)
-- left unrectified — here simply any inspection with open hazards, cited by id.
local function open_hazards(spec)
  return { id = spec[1], title = spec[2], max = spec.max, rule = function(u, it)
    local ids = u.inspections.open_ids
    it:note("有未整改隐患的检查 %d 次", #ids)
    if #ids > 0 then
      it:deduct(#ids * spec.per, string.format("未整改隐患的检查 %d 次，每次扣 %s 分", #ids, S.num(spec.per)), ids)
    end
  end }
end

local scheme = S.scheme{
  title = "示例方案",
  max = 30,
  S.category{ "A", "事故控制", max = 20, floor = 0,
    R.over_target{ "A1", "死亡人数控制", max = 20, count = "deaths", target = "deaths_cap", per = 10 },
  },
  S.category{ "B", "隐患治理", max = 10,
    open_hazards{ "B1", "隐患整改", max = 10, per = 2 },
  },
  grades = S.grades{ 25, "好", "差" },
  quota = { grade = "好", count = 1, demote = "差" },
}

S.publish(S.evaluate(scheme, S.year(2020)))
