-- scoring.lua — the mechanics of a target-responsibility scheme (目标管理责任制考核).
--
-- A scheme (scripts/scoring_2020.lua) lists categories and items the way the office's
-- scoring table does; the rules that award or deduct come from scoring_rules.lua; this
-- module evaluates them for every unit and publishes the result tables:
--   categories with maxima and floors, items with maxima, deductions capped so an item
--   (or, for category-wide deductions, the category) never drops below its floor
--   (扣完为止), bonus items capped, vetoes with reasons, grade thresholds, a grade quota
--   by share with ties kept at the edge, ranking with shared ranks (1, 2, 2, 4; vetoed
--   units after all others), rounding half away from zero only at the end.
-- Every point taken is a deduction row with a reason and the ids of the records behind
-- it; every missing piece of data is a `problems` row. Items keep full precision; only
-- the published figures are rounded (items and deductions for display, the total once).
-- docs/scoring.md explains how to write a scheme with it. Rounding and the default unit
-- kinds are facts.lua's.
local data = require "scoring_data"
local F = require "facts"

local M = {}

-- {==================================================================
-- Numbers
-- ===================================================================

-- Rounds x to `places` decimals (default 2), half away from zero: facts.round, the one
-- rounding rule (89.995 → 90, 2.675 → 2.68).
function M.round(x, places)
  return F.round(x, places or 2)
end

-- A number for a Chinese reason text: 3 → "3", 2.5 → "2.5", 4.09090 → "4.09".
function M.num(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then return string.format("%d", x) end
  local s = string.format("%.2f", M.round(x, 2))
  return (s:gsub("0+$", ""):gsub("%.$", ""))
end

-- A share as a percentage text: 0.8421 → "84.21%".
function M.pct(x) return M.num(x * 100) .. "%" end

-- Weighted sub-scores: parts = { {value, weight}, ... } → Σ value·weight ÷ Σ weight
-- (nil when the weights sum to 0). Full precision; round the final score only.
function M.weighted_mean(parts)
  local sum, wsum = 0, 0
  for _, p in ipairs(parts) do
    sum, wsum = sum + p[1] * p[2], wsum + p[2]
  end
  if wsum == 0 then return nil end
  return sum / wsum
end

-- }==================================================================

-- {==================================================================
-- One item of one unit: what rules see as `it`
-- ===================================================================

local Item = {}
Item.__index = Item

local function new_item(spec, unit, sheet)
  return setmetatable({
    id = spec.id, title = spec.title, max = spec.max or 0, spec = spec,
    unit = unit, year = unit.year, sheet = sheet,
    deductions = {}, awards = {}, notes = {},
  }, Item)
end

-- Takes `points` (> 0) off the item, for `reason`, citing the record ids in `ids`
-- (an array, may be empty). The cap that keeps the item at its floor is applied later.
function Item:deduct(points, reason, ids)
  if points > 0 then
    self.deductions[#self.deductions + 1] = { points = points, reason = reason, ids = ids or {} }
  end
end

-- Adds `points` to a bonus item, for `reason`; capped at the item's max later.
function Item:award(points, reason, ids)
  if points ~= 0 then
    self.awards[#self.awards + 1] = { points = points, reason = reason, ids = ids or {} }
  end
end

-- Takes the whole item away: used when the data it needs is missing.
function Item:zero(reason)
  self:deduct(self.max, reason, {})
end

-- A line of the item's basis (the facts it was scored on), shown by the explain sheet
-- (formatted only when a sheet is being explained).
function Item:note(fmt, ...)
  if not self.sheet.explain then return end
  self.notes[#self.notes + 1] = select("#", ...) > 0 and string.format(fmt, ...) or fmt
end

-- Records that the data lacked something this item needed.
function Item:problem(text)
  local p = self.sheet.problems
  p[#p + 1] = { unit = self.unit.code, item = self.id, problem = text }
end

-- The unit's target `name` for the year; when absent, `default` if given, else nil and
-- a problems row.
function Item:target(name, default)
  local v = self.unit.targets[name]
  if v == nil and default == nil then
    self:problem(string.format("缺少%d年控制指标 %s", self.year, name))
  end
  if v == nil then return default end
  return v
end

-- The unit's annual assessment indicator `name` (value, evidence); when absent,
-- `default` if given (no problem), else nil and a problems row.
function Item:indicator(name, default)
  local r = self.unit.indicators[name]
  if r then return r.value, r.evidence end
  if default == nil then
    self:problem(string.format("缺少%d年度考核数据 %s", self.year, name))
  end
  return default
end

-- Applies the deductions in order without passing `room` points in total; a deduction
-- that would pass it is cut and says so. Returns the points taken.
local function cap_deductions(it, room)
  local taken = 0
  for _, d in ipairs(it.deductions) do
    local take = math.min(d.points, math.max(room - taken, 0))
    if take < d.points then
      d.reason = d.reason .. (take > 0 and "（扣完为止，实扣" .. M.num(take) .. "分）"
                                        or "（已扣完，不再扣分）")
    end
    d.taken = take
    taken = taken + take
  end
  return taken
end

-- Final points of a regular item: max minus its capped deductions (floor 0 unless the
-- item says otherwise), or for a bonus item the sum of its awards capped at max.
local function finish_item(it)
  if it.spec.bonus then
    local sum = 0
    for _, a in ipairs(it.awards) do sum = sum + a.points end
    if sum > it.max then it:note("加分合计 %s 分，封顶 %s 分", M.num(sum), M.num(it.max)) end
    it.points = math.max(0, math.min(sum, it.max))
  else
    local floor = it.spec.floor or 0
    it.points = it.max - cap_deductions(it, it.max - floor)
  end
end

-- }==================================================================

-- {==================================================================
-- Declaring a scheme
-- ===================================================================

-- A category: { "A", "控制指标", max = 40, floor = 0, item, item, ... }.
-- floor: the category as a whole never goes below it (only category-wide deductions,
-- items with scope = "category", can push it there). bonus = true: its items award.
function M.category(spec)
  local c = { id = spec[1], title = spec[2], max = spec.max, floor = spec.floor,
              bonus = spec.bonus, items = {} }
  for i = 3, #spec do
    local item = spec[i]
    if c.bonus then item.bonus = true end
    c.items[#c.items + 1] = item
  end
  return c
end

-- Grade thresholds: M.grades{ 90, "优秀", 80, "良好", 60, "合格", "不合格" } — the
-- first grade whose minimum the score reaches (inclusive), else the last name.
function M.grades(spec)
  local g = { steps = {} }
  local i = 1
  while spec[i + 1] ~= nil do
    g.steps[#g.steps + 1] = { min = spec[i], name = spec[i + 1] }
    i = i + 2
  end
  g.fallback = spec[i]
  return g
end

function M.grade_of(grades, score)
  for _, s in ipairs(grades.steps) do
    if score >= s.min then return s.name end
  end
  return grades.fallback
end

-- A scheme: { title = ..., year = 2020, units = {kinds}, max = 105, category, category, ...,
--   veto = { rule, ... }, grades = M.grades{...}, quota = { grade =, share =, demote = },
--   sections = { section, ... } }.
-- year: the year the scheme scores when run without --set year=. units: the kinds scored
-- (default facts.AREA_KINDS). sections: further tables scored beside the units, each an
-- object with three methods (scoring_tasks.section is one, for the departments):
--   section:evaluate(year) → result
--   section:table(result) → { name, columns, rows, problems = {...} }, published after
--     the deductions, its problems with the units' problems
--   section:explain(result, code) → true when code is one of its units and it published
--     that unit's sheet (--set unit=CODE), false otherwise
function M.scheme(spec)
  local s = { title = spec.title, year = spec.year, kinds = spec.units or F.AREA_KINDS,
              max = spec.max, veto = spec.veto or {}, grades = spec.grades,
              quota = spec.quota, sections = spec.sections or {}, categories = {} }
  for i = 1, #spec do s.categories[i] = spec[i] end
  assert(s.grades, "scoring.scheme: grades missing")
  return s
end

-- }==================================================================

-- {==================================================================
-- Ranking, grades and the quota
-- ===================================================================

-- Sorts rows (each with score, unit and optionally vetoed) by rank and sets row.rank:
-- score descending, equal scores share a rank and the next rank skips (1, 2, 2, 4);
-- vetoed rows come after every row that was not vetoed. Ties are listed by unit code.
function M.rank(rows)
  table.sort(rows, function(a, b)
    if (a.vetoed or false) ~= (b.vetoed or false) then return not a.vetoed end
    if a.score ~= b.score then return a.score > b.score end
    return a.unit < b.unit
  end)
  for i, r in ipairs(rows) do
    local p = rows[i - 1]
    if p and p.score == r.score and (p.vetoed or false) == (r.vetoed or false) then
      r.rank = p.rank
    else
      r.rank = i
    end
  end
  return rows
end

-- Grades ranked rows: vetoed rows get `veto_grade`; a quota such as
-- { grade = "优秀", share = 0.30, demote = "良好" } keeps that grade for the best
-- floor(share × n) rows (at least `min`, default one) by rank — rows sharing the rank at
-- the edge all keep it — and gives the others that reached it the `demote` grade.
-- { grade = "优秀", count = 3, demote = "良好" } limits by rank instead of share.
function M.grade_rows(rows, grades, quota, veto_grade)
  local limit
  if quota then
    limit = quota.count or math.max(quota.min or 1, math.floor(#rows * quota.share + 1e-9))
  end
  for _, r in ipairs(rows) do
    if r.vetoed then
      r.grade = veto_grade
      r.grade_note = "一票否决"
    else
      r.grade = M.grade_of(grades, r.score)
      if quota and r.grade == quota.grade and r.rank > limit then
        r.grade = quota.demote
        r.grade_note = quota.count
          and string.format("得分达到%s，但名次 %d 超出%s名额（前%d名）", quota.grade, r.rank, quota.grade, limit)
          or string.format("得分达到%s，但名次 %d 超出%s名额（%d个单位的%s，即前%d名）",
               quota.grade, r.rank, quota.grade, #rows, M.pct(quota.share), limit)
      end
    end
  end
  return rows
end

-- }==================================================================

-- {==================================================================
-- Evaluating a scheme
-- ===================================================================

local function ids_text(ids)
  if not ids or #ids == 0 then return nil end
  return table.concat(ids, ";")
end
M.ids_text = ids_text

-- The sheet of one unit: every item with its points, deductions, notes; categories;
-- vetoes; problems. Nothing rounded yet.
local function evaluate_unit(scheme, u, explain)
  local sheet = { unit = u.code, name = u.name, facts = u, items = {}, categories = {},
                  vetoes = {}, problems = {}, explain = explain }
  local total = 0
  for _, c in ipairs(scheme.categories) do
    local its, sum = {}, 0
    for _, spec in ipairs(c.items) do          -- items of their own first
      if spec.scope ~= "category" then
        local it = new_item(spec, u, sheet)
        spec.rule(u, it)
        finish_item(it)
        its[spec] = it
        sum = sum + it.points
      end
    end
    for _, spec in ipairs(c.items) do          -- then deductions from the category
      if spec.scope == "category" then
        local it = new_item(spec, u, sheet)
        spec.rule(u, it)
        local room = c.floor and math.max(sum - c.floor, 0) or math.huge
        it.points = -cap_deductions(it, room)
        its[spec] = it
        sum = sum + it.points
      end
    end
    if c.max and sum > c.max then sum = c.max end
    for _, spec in ipairs(c.items) do sheet.items[#sheet.items + 1] = its[spec] end
    sheet.categories[#sheet.categories + 1] = { id = c.id, title = c.title, max = c.max, points = sum }
    total = total + sum
  end
  if scheme.max and total > scheme.max then total = scheme.max end
  sheet.total = total
  local v = {
    veto = function(_, reason, ids)
      sheet.vetoes[#sheet.vetoes + 1] = { reason = reason, ids = ids or {} }
    end,
    unit = u, year = u.year,
  }
  for _, rule in ipairs(scheme.veto) do rule(u, v) end
  return sheet
end

-- Evaluates `scheme` for `year` over every unit of its kinds, and each of its sections.
-- Returns { year, scheme, sheets = {...ranked, each with score, grade, rank, vetoed...},
--   problems = {...}, sections = { {section =, result =}, ... } }. Publishes nothing.
function M.evaluate(scheme, year)
  local units = data.load(year, scheme.kinds)
  local sheets, problems = {}, {}
  local explain = ctx.params.unit ~= nil and tostring(ctx.params.unit)
  for _, u in ipairs(units) do
    local s = evaluate_unit(scheme, u, explain == u.code)
    s.score = M.round(s.total, 2)
    s.vetoed = #s.vetoes > 0
    if s.vetoed then
      local parts = {}
      for _, x in ipairs(s.vetoes) do
        parts[#parts + 1] = x.reason .. (#x.ids > 0 and "：" .. table.concat(x.ids, "、") or "")
      end
      s.veto_reason = table.concat(parts, "；")
    end
    sheets[#sheets + 1] = s
    for _, p in ipairs(s.problems) do problems[#problems + 1] = p end
  end
  M.rank(sheets)
  M.grade_rows(sheets, scheme.grades, scheme.quota, scheme.veto_grade or "不合格")
  local sections = {}
  for i, sec in ipairs(scheme.sections) do
    sections[i] = { section = sec, result = sec:evaluate(year) }
  end
  return { year = year, scheme = scheme, sheets = sheets, problems = problems,
           sections = sections }
end

-- }==================================================================

-- {==================================================================
-- Publishing
-- ===================================================================

local SCORE_COLS = { "unit", "name", "score", "grade", "vetoed", "veto_reason", "rank" }
local ITEM_COLS = { "unit", "item", "title", "points", "max" }
local DEDUCTION_COLS = { "unit", "item", "points", "reason", "evidence" }
local PROBLEM_COLS = { "unit", "item", "problem" }

local function deduction_rows(sheet, out, with_unit)
  for _, it in ipairs(sheet.items) do
    for _, d in ipairs(it.deductions) do
      out[#out + 1] = { unit = with_unit and sheet.unit or nil, item = it.id,
                        points = -M.round(d.taken, 2), reason = d.reason,
                        evidence = ids_text(d.ids) }
    end
  end
  return out
end

-- The explain sheet of one unit: what the office hands a unit disputing its score.
local function publish_sheet(res, s)
  publish("sheet", { "unit", "name", "score", "grade", "vetoed", "veto_reason", "rank", "grade_note" },
    { { unit = s.unit, name = s.name, score = s.score, grade = s.grade, vetoed = s.vetoed,
        veto_reason = s.veto_reason, rank = s.rank, grade_note = s.grade_note } })
  local rows, k = {}, 1
  for _, c in ipairs(s.categories) do
    local c_items = res.scheme.categories[k].items
    for _, spec in ipairs(c_items) do
      for _, it in ipairs(s.items) do
        if it.spec == spec then
          local basis = {}
          for _, n in ipairs(it.notes) do basis[#basis + 1] = n end
          for _, a in ipairs(it.awards) do
            basis[#basis + 1] = a.reason .. (#a.ids > 0 and "（" .. ids_text(a.ids) .. "）" or "")
          end
          rows[#rows + 1] = { item = it.id, title = it.title, points = M.round(it.points, 2),
                              max = it.max, basis = table.concat(basis, "；") }
        end
      end
    end
    if not (#c_items == 1 and c_items[1].id == c.id) then   -- a one-item category is its item
      rows[#rows + 1] = { item = c.id, title = c.title .. "小计", points = M.round(c.points, 2),
                          max = c.max }
    end
    k = k + 1
  end
  rows[#rows + 1] = { item = "合计", title = "总分", points = s.score, max = res.scheme.max }
  publish("items", { "item", "title", "points", "max", "basis" }, rows)
  publish("deductions", { "item", "points", "reason", "evidence" }, deduction_rows(s, {}, false))
  local probs = {}
  for _, p in ipairs(s.problems) do probs[#probs + 1] = { item = p.item, problem = p.problem } end
  publish("problems", { "item", "problem" }, probs)
end

-- Publishes a result of M.evaluate. Normally: scores, items, deductions, then the table
-- of each section of the scheme, then problems (the units' and the sections'). With
-- --set unit=CODE: only that unit's explain sheet, or the sheet of the section that
-- scores CODE.
function M.publish(res)
  local code = ctx.params.unit
  local sections = res.sections or {}
  if code ~= nil then
    code = tostring(code)
    for _, s in ipairs(res.sheets) do
      if s.unit == code then return publish_sheet(res, s) end
    end
    for _, x in ipairs(sections) do
      if x.section:explain(x.result, code) then return end
    end
    error(string.format("unit %s is not scored by this scheme in %d", code, res.year), 0)
  end
  local scores, items, deds = {}, {}, {}
  for _, s in ipairs(res.sheets) do
    scores[#scores + 1] = { unit = s.unit, name = s.name, score = s.score, grade = s.grade,
                            vetoed = s.vetoed, veto_reason = s.veto_reason, rank = s.rank }
    for _, it in ipairs(s.items) do
      items[#items + 1] = { unit = s.unit, item = it.id, title = it.title,
                            points = M.round(it.points, 2), max = it.max }
    end
    deduction_rows(s, deds, true)
  end
  publish("scores", SCORE_COLS, scores)
  publish("items", ITEM_COLS, items)
  publish("deductions", DEDUCTION_COLS, deds)
  local problems = {}
  for _, p in ipairs(res.problems) do problems[#problems + 1] = p end
  for _, x in ipairs(sections) do
    local t = x.section:table(x.result)
    publish(t[1], t[2], t[3])
    for _, p in ipairs(t.problems or {}) do problems[#problems + 1] = p end
  end
  publish("problems", PROBLEM_COLS, problems)
end

-- The evaluated year: --set year=YYYY, else `default` (the scheme's own year).
function M.year(default)
  local y = ctx.params.year
  if y == nil then return default end
  y = math.tointeger(tonumber(y))
  if not y then error("--set year=YYYY: not a year: " .. tostring(ctx.params.year), 0) end
  return y
end

-- }==================================================================

-- {==================================================================
-- A scheme file: a script and a module
-- ===================================================================

-- The last line of a scheme file: `return S.main(scheme, ...)`. Run as the script
-- (`yingji run scripts/scoring_2020.lua`: the main chunk gets no arguments) it evaluates
-- the scheme for --set year= (else scheme.year) and publishes the result. Required as a
-- module (require passes the module name), it publishes nothing and returns the scheme,
-- so another script (the briefing) evaluates it with M.evaluate(scheme, year).
function M.main(scheme, ...)
  if select("#", ...) == 0 then
    M.publish(M.evaluate(scheme, M.year(scheme.year)))
  end
  return scheme
end

-- }==================================================================

return M
