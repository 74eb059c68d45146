-- scoring_2019.lua — 2019年度安全生产目标管理责任制考核（乡镇、街道、开发区）.
-- yingji run scripts/scoring_2019.lua [--set year=2019] [--set unit=CODE] [--format json]
-- Rules: the 2019 sample scheme (docs/scoring.md); mechanics: scripts/lib/scoring*.lua.
-- Run, it publishes the evaluation; required (by the briefing), it returns the scheme.
local S = require "scoring"
local R = require "scoring_rules"

local scheme = S.scheme{
  title = "2019年度安全生产目标管理责任制考核",
  year = 2019,
  units = { "township", "street", "zone" },
  max = 103,

  S.category{ "A", "控制指标", max = 40, floor = 0,     -- 2019 has no A3 (双下降)
    R.over_target{ "A1", "死亡人数控制", max = 25, count = "deaths", target = "deaths_cap", per = 5 },
    R.over_target{ "A2", "事故起数控制", max = 15, count = "accidents", target = "accidents_cap", per = 3 },
    R.per_accident{ "A4", "较大事故", scope = "category",
      { where = { level = "较大" }, per = 10, reason = "较大事故" } },
  },

  S.category{ "B", "重点工作", max = 60,
    R.completion{ "B1", "执法计划完成率", max = 20, count = "inspections", target = "inspections_plan",
      unit = "次" },
    R.rectification{ "B2", "隐患整改率", max = 20, full_at = 0.90 },
    R.at_least{ "B3", "应急演练", max = 10, indicator = "drills", min = 1, unit = "次" },
    R.per_accident{ "B4", "信息报送", max = 10,
      { where = { report_status = "late" }, per = 5, reason = "迟报" },
      { where = { report_status = "omitted" }, per = 10, reason = "漏报" } },
  },

  S.category{ "C", "加分", bonus = true,
    R.bonus{ "C", "加分", max = 3, indicator = "bonus" },
  },

  veto = {
    R.veto_accidents{ where = { level = "特别重大" }, reason = "特别重大事故" },
    R.veto_accidents{ where = { level = "重大" }, reason = "重大事故" },
    R.veto_accidents{ where = { report_status = "concealed" }, reason = "瞒报事故" },
  },
  grades = S.grades{ 90, "优秀", 60, "合格", "不合格" },
}

return S.main(scheme, ...)
