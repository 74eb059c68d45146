-- scoring_2021_example.lua — an example of next year's rules drafted as changes to 2020
-- (2021年度考核方案修订示例): not an adopted scheme, so scripts/lib/schemes.lua does not
-- name it. docs/scoring.md "Drafting next year's rules" walks through it;
-- tests/lua/scoring_extend_test.lua pins what each change does.
-- yingji run scripts/scoring_2021_example.lua --set year=2020   (the new rules on 2020's data)
local S = require "scoring"
local R = require "scoring_rules"
local T = require "scoring_tasks"
local base = require "scoring_2020"

local scheme = S.extend(base, {
  title = "2021年度安全生产目标管理责任制考核（示例）",
  year = 2021,

  S.set("A1", { max = 25 }),                    -- 死亡人数控制 20 → 25 分
  S.set("A", { max = 45 }),                     -- 控制指标 40 → 45 分
  S.set("B2", { full_at = 0.90 }),              -- 隐患整改率 90% 即得满分（原 95%）
  S.replace(R.per_accident{ "B4", "信息报送", max = 10,   -- 迟报每起扣 4 分（原 3 分）
    { where = { report_status = "late" }, per = 4, reason = "迟报" },
    { where = { report_status = "omitted" }, per = 5, reason = "漏报" } }),
  S.remove("B6"),                               -- 宣传培训不再单列
  S.set("B", { max = 55 }),                     -- 重点工作 60 → 55 分
  S.move("B5", { before = "B4" }),              -- 调查结案排在信息报送之前

  quota = { grade = "优秀", share = 0.20, demote = "良好" },   -- 优秀不超过 20%（原 30%）
  sections = {                                  -- 市直部门：牵头权重 3（原 2）
    T.section{ weights = { lead = 3, cooperating = 1 }, indicator = "task.%d",
               grades = base.grades, quota = { grade = "优秀", share = 0.20, demote = "良好" } },
  },
})

return S.main(scheme, ...)
