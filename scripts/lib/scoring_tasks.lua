-- scoring_tasks.lua — scoring the city departments on the year's work items (tasks).
--
-- A department's score is 100 × the weighted mean of its completion of each item it
-- takes part in (assessment indicator "task.<no>", 0 to 1): weight `lead` for items it
-- leads, `cooperating` for items it cooperates on (leading and cooperating on one item
-- weighs as leading). A missing completion counts as 0 and is a problems row; a value
-- outside 0..1 is clamped and reported. Departments with no items are not listed.
-- Grades, quota and ranks as for units (scoring.lua).
local S = require "scoring"
local data = require "scoring_data"
local C = require "scoring_check"
local titles = require "titles"

local T = {}

local COLS = { "unit", "name", "score", "grade", "rank" }

-- Scores every department taking part in `year`'s tasks under
-- spec = { weights = { lead = 2, cooperating = 1 }, indicator = "task.%d",
--          grades = S.grades{...}, quota = {...}, kinds = {"department"} (the default) }.
-- Returns rows ranked ({unit, name, score, grade, rank, tasks, problems}) and problems.
function T.evaluate(spec, year)
  local depts = data.task_units(year, spec.kinds)
  local rows, problems = {}, {}
  for _, d in ipairs(depts) do
    local parts = {}
    local row = { unit = d.code, name = d.name, tasks = {} }
    for _, t in ipairs(d.tasks) do
      local key = string.format(spec.indicator, t.no)
      local w = spec.weights[t.role]
      local r = d.indicators[key]
      local c = r and r.value
      if c == nil then
        c = 0
        problems[#problems + 1] = { unit = d.code, item = key,
          problem = string.format("缺少%d年重点工作第%d项完成情况（%s），按 0 计", year, t.no, key) }
      elseif c < 0 or c > 1 then
        problems[#problems + 1] = { unit = d.code, item = key,
          problem = string.format("重点工作第%d项完成情况 %s 超出 0～1，按 %s 计", t.no,
            S.num(c), c < 0 and "0" or "1") }
        c = math.max(0, math.min(1, c))
      end
      parts[#parts + 1] = { c, w }
      row.tasks[#row.tasks + 1] = { no = t.no, title = t.title, role = t.role, weight = w,
                                    completion = c, weighted = w * c }
    end
    row.total = 100 * S.weighted_mean(parts)
    row.score = S.round(row.total, 2)
    rows[#rows + 1] = row
  end
  S.rank(rows)
  S.grade_rows(rows, spec.grades, spec.quota)
  return { year = year, rows = rows, problems = problems }
end

-- The department_scores table for scoring.publish's `extra`.
function T.table(res)
  local out = {}
  for _, r in ipairs(res.rows) do
    out[#out + 1] = { unit = r.unit, name = r.name, score = r.score, grade = r.grade, rank = r.rank }
  end
  return { "department_scores", COLS, out, problems = res.problems }
end

-- Publishes one department's explain sheet when `code` is among res's departments;
-- returns whether it did.
function T.explain(res, code)
  for _, r in ipairs(res.rows) do
    if r.unit == code then
      local sheet_cols = { "unit", "name", "score", "grade", "rank", "grade_note" }
      publish("sheet", sheet_cols,
        { { unit = r.unit, name = r.name, score = r.score, grade = r.grade, rank = r.rank,
            grade_note = r.grade_note } }, titles.options(sheet_cols))
      local roles = { lead = "牵头", cooperating = "协同" }
      local tasks = {}
      for _, t in ipairs(r.tasks) do
        tasks[#tasks + 1] = { no = t.no, title = t.title, role = roles[t.role], weight = t.weight,
                              completion = t.completion, weighted = S.round(t.weighted, 4) }
      end
      local task_cols = { "no", "title", "role", "weight", "completion", "weighted" }
      publish("tasks", task_cols, tasks, titles.options(task_cols))
      local probs = {}
      for _, p in ipairs(res.problems) do
        if p.unit == code then probs[#probs + 1] = { item = p.item, problem = p.problem } end
      end
      publish("problems", { "item", "problem" }, probs, titles.options({ "item", "problem" }))
      return true
    end
  end
  return false
end

-- The departments as a section of a scheme (scoring.scheme{ sections = {...} }): spec as
-- for T.evaluate; published as the table department_scores, a department's code given
-- to --set unit= prints its sheet (T.explain).
local Section = {}
Section.__index = Section
function Section:evaluate(year) return T.evaluate(self.spec, year) end
function Section:table(res) return T.table(res) end
function Section:explain(res, code) return T.explain(res, code) end
function Section:scores(res, code)
  for _, r in ipairs(res.rows) do if r.unit == code then return true end end
  return false
end

local SECTION = {
  weights = { type = "table", required = true },
  indicator = { type = "string", required = true },
  grades = { type = "table", required = true },
  quota = "table",
  kinds = "table",
}
local WEIGHTS = {
  lead = { type = "number", min = 0, required = true },
  cooperating = { type = "number", min = 0, required = true },
}

function T.section(spec)
  local at = C.where(2)
  C.options(spec, SECTION, "section", at)
  C.options(spec.weights, WEIGHTS, "section weights", at)
  if not select(2, pcall(string.format, spec.indicator, 1)):find("1", 1, true) then
    C.fail(at, "section: indicator must hold %d for the item's number, as \"task.%d\"")
  end
  return setmetatable({ name = "department_scores", spec = spec }, Section)
end

return T
