-- titles.lua — the Chinese titles (and number formats) of the shipped scripts' result
-- columns, for publish's 4th argument: `publish(name, cols, rows, titles.options(cols))`.
-- xlsx headers its sheets with them; text and CSV on request (`yingji run --titles`).
-- One name, one title, whatever table it is in; a column without an entry keeps its
-- name as its header (tests/e2e/run_xlsx.sh checks the shipped scripts leave none).
local M = {}

M.TITLES = {
  -- scoring: evaluation, scores, items, deductions, problems, explain sheets
  scheme = "考核方案", year = "年度", as_of = "数据截至",
  unit = "单位代码", name = "单位名称", score = "得分", grade = "等次",
  vetoed = "一票否决", veto_reason = "否决原因", rank = "名次", grade_note = "等次说明",
  item = "考核项目", title = "项目名称", points = "分值", max = "满分", basis = "计分依据",
  reason = "扣分原因", evidence = "依据（编号）", problem = "数据问题",
  -- departments' tasks
  no = "序号", role = "承担方式", weight = "权重", completion = "完成率", weighted = "加权得分",
  -- double decline (yoy.COLUMNS)
  key = "代码", accidents = "事故起数", accidents_prev = "去年同期起数",
  accidents_change_pct = "起数同比", deaths = "死亡人数", deaths_prev = "去年同期死亡",
  deaths_change_pct = "死亡同比", double_decline = "双下降",
}

-- Columns whose numbers are percentages (12.5 means 12.5%).
M.FORMATS = { accidents_change_pct = "pct", deaths_change_pct = "pct" }

-- The options for publish of a table with these columns: the titles and formats of
-- those that have one.
function M.options(columns)
  local titles, formats = {}, {}
  for _, c in ipairs(columns) do
    titles[c] = M.TITLES[c]
    formats[c] = M.FORMATS[c]
  end
  return { titles = titles, formats = formats }
end

return M
