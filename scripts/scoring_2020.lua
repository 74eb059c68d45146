-- scoring_2020.lua — 2020年度安全生产目标管理责任制考核（乡镇、街道、开发区；市直部门）.
-- yingji run scripts/scoring_2020.lua [--set year=2020] [--set unit=CODE] [--format json]
-- Rules: the 2020 sample scheme (docs/scoring.md); mechanics: scripts/lib/scoring*.lua.
-- Run, it publishes the evaluation; required (by the briefing), it returns the scheme.
local S = require "scoring"
local R = require "scoring_rules"
local T = require "scoring_tasks"

local grades = S.grades{ 90, "优秀", 80, "良好", 60, "合格", "不合格" }
local quota = { grade = "优秀", share = 0.30, demote = "良好" }   -- 优秀不超过 30%

local scheme = S.scheme{
  title = "2020年度安全生产目标管理责任制考核",
  year = 2020,
  units = { "township", "street", "zone" },
  max = 105,

  S.category{ "A", "控制指标", max = 40, floor = 0,
    R.over_target{ "A1", "死亡人数控制", max = 20, count = "deaths", target = "deaths_cap", per = 5 },
    R.over_target{ "A2", "事故起数控制", max = 10, count = "accidents", target = "accidents_cap", per = 2 },
    R.double_decline{ "A3", "双下降", max = 10, partial = 5 },
    R.per_accident{ "A4", "较大事故", scope = "category",
      { where = { level = "较大" }, per = 10, reason = "较大事故" } },
  },

  S.category{ "B", "重点工作", max = 60,
    R.completion{ "B1", "执法计划完成率", max = 15, count = "inspections", target = "inspections_plan",
      unit = "次" },
    R.rectification{ "B2", "隐患整改率", max = 15, full_at = 0.95 },
    R.completion{ "B3", "应急演练", max = 10, indicator = "drills", target = "drills_min", default = 2,
      unit = "次" },
    R.per_accident{ "B4", "信息报送", max = 10,
      { where = { report_status = "late" }, per = 3, reason = "迟报" },
      { where = { report_status = "omitted" }, per = 5, reason = "漏报" } },
    R.per_accident{ "B5", "调查结案", max = 5,
      { where = R.not_closed_within(60), per = 1, reason = "未在事故发生后60日内结案" } },
    R.indicator_points{ "B6", "宣传培训", max = 5, indicator = "training_score" },
  },

  S.category{ "C", "加分", bonus = true,
    R.bonus{ "C", "加分", max = 5, indicator = "bonus" },
  },

  veto = {
    R.veto_accidents{ where = { level = "特别重大" }, reason = "特别重大事故" },
    R.veto_accidents{ where = { level = "重大" }, reason = "重大事故" },
    R.veto_accidents{ where = { report_status = "false" }, reason = "谎报事故" },
    R.veto_accidents{ where = { report_status = "concealed" }, reason = "瞒报事故" },
  },
  grades = grades,
  quota = quota,

  sections = {
    -- 市直部门重点工作：牵头权重 2，协同权重 1，得分 = 100 × 加权平均完成率。
    T.section{
      weights = { lead = 2, cooperating = 1 },
      indicator = "task.%d",
      grades = grades,
      quota = quota,
    },
  },
}

return S.main(scheme, ...)
