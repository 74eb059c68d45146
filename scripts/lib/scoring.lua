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
local C = require "scoring_check"
local titles = require "titles"

local M = {}
local floor, abs, tointeger, format = math.floor, math.abs, math.tointeger, string.format

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
  if x == floor(x) and abs(x) < 1e15 then return format("%d", x) end
  local s = format("%.2f", M.round(x, 2))
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

-- The empty list an item holds until it has deductions, awards, caps or notes of its own
-- (most items of most units have none: 33,000 items need not make 130,000 empty tables).
-- The methods below replace it by a list of the item's own before adding; writing into
-- it directly is an error.
local NONE = setmetatable({}, {
  __newindex = function() error("scoring: an item's lists are added to through it:deduct, it:award and it:note", 2) end,
  __metatable = false,
})
M.NONE = NONE

-- What every item of one unit shares, read through the metatable new_item gives them:
-- the unit, its year, its sheet, and the empty lists (NONE). An item holds only its own
-- fields, so that most items fit in 8 slots of a table rather than 16.
local function item_shared(unit, sheet)
  return { __index = setmetatable({ unit = unit, year = unit.year, sheet = sheet,
                                    deductions = NONE, awards = NONE, caps = NONE, notes = NONE },
                                  Item) }
end

-- An item of `spec` for the unit whose item_shared is `shared`. The fields given nil are
-- set later (points and shown when scored, deductions on the first it:deduct): naming
-- them sizes the table for them at once.
local function new_item(spec, shared, bonus)
  local it
  if bonus then
    it = { id = spec.id, title = spec.title, max = spec.max or 0, spec = spec, bonus = true,
           awards = {}, caps = {}, points = nil, shown = nil }
  else
    it = { id = spec.id, title = spec.title, max = spec.max or 0, spec = spec,
           points = nil, shown = nil, deductions = nil }
  end
  if shared.__index.sheet.explain then it.notes = {} end
  return setmetatable(it, shared)
end

-- Takes `points` (> 0) off the item, for `reason`, citing the record ids in `ids`
-- (an array, may be empty). The cap that keeps the item at its floor is applied later.
function Item:deduct(points, reason, ids)
  if self.bonus then
    error(string.format("item %s is a bonus item: it awards points (it:award), it cannot deduct", self.id), 2)
  end
  if points > 0 then
    local list = self.deductions
    if list == NONE then list = {}; self.deductions = list end
    list[#list + 1] = { points = points, reason = reason, ids = ids or NONE }
  end
end

-- Adds `points` to a bonus item, for `reason`; capped at the item's max later.
function Item:award(points, reason, ids)
  if not self.bonus then
    error(string.format("item %s deducts points (it:deduct): only an item of a bonus = true category awards", self.id), 2)
  end
  if points ~= 0 then
    local list = self.awards
    if list == NONE then list = {}; self.awards = list end
    list[#list + 1] = { points = points, reason = reason, ids = ids or NONE }
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
  local list = self.notes
  if list == NONE then list = {}; self.notes = list end
  list[#list + 1] = select("#", ...) > 0 and string.format(fmt, ...) or fmt
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
  local ds = it.deductions
  for i = 1, #ds do
    local d = ds[i]
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
-- item says otherwise), or for a bonus item the sum of its awards capped at max and
-- floored at 0, each bite of the cap or floor a row of it.caps (signed points).
local function finish_item(it)
  if it.bonus then
    local sum = 0
    local awards = it.awards
    for i = 1, #awards do sum = sum + awards[i].points end
    it.points = sum
    if sum > it.max then
      local text = string.format("加分合计 %s 分，封顶 %s 分", M.num(sum), M.num(it.max))
      it:note(text)
      if it.caps == NONE then it.caps = {} end
      it.caps[1] = { points = it.max - sum, reason = text }
      it.points = it.max
    elseif sum < 0 then
      local text = string.format("加分合计 %s 分，不低于 0 分", M.num(sum))
      it:note(text)
      if it.caps == NONE then it.caps = {} end
      it.caps[1] = { points = -sum, reason = text }
      it.points = 0
    end
  else
    local floor = it.spec.floor or 0
    it.points = it.max - cap_deductions(it, it.max - floor)
  end
end

-- }==================================================================

-- {==================================================================
-- Declaring a scheme
-- ===================================================================

local CATEGORY = {
  max = { type = "number", min = 0 },
  floor = { type = "number", min = 0 },
  bonus = "boolean",
}

-- Checks an item of a category: a table { id =, title =, rule = function } (what the
-- constructors of scoring_rules return, or a rule of the scheme's own).
local function check_item(item, what, at)
  if type(item) ~= "table" or type(item.rule) ~= "function" or type(item.id) ~= "string" then
    C.fail(at, what .. ": an item must be a rule such as R.over_target{...} or a table { id =, title =, max =, rule = function(u, it) }")
  end
end

-- A category: { "A", "控制指标", max = 40, floor = 0, item, item, ... }.
-- floor: the category as a whole never goes below it (only category-wide deductions,
-- items with scope = "category", can push it there). bonus = true: its items award.
-- Checked here: an error names the scheme's line.
function M.category(spec, at)
  at = at or C.where(2)
  if type(spec) ~= "table" or type(spec[1]) ~= "string" or type(spec[2]) ~= "string" then
    C.fail(at, "category: expected { ID, TITLE, max = ..., item, ... }")
  end
  local what = "category " .. spec[1]
  C.options(spec, CATEGORY, what, at)
  local c = { id = spec[1], title = spec[2], max = spec.max, floor = spec.floor,
              bonus = spec.bonus, items = {}, where = at, is_category = true }
  for i = 3, #spec do
    check_item(spec[i], what, at)
    c.items[#c.items + 1] = spec[i]
  end
  return c
end

-- Grade thresholds: M.grades{ 90, "优秀", 80, "良好", 60, "合格", "不合格" } — the
-- first grade whose minimum the score reaches (inclusive), else the last name.
function M.grades(spec)
  local at = C.where(2)
  local g = { steps = {}, names = {} }
  local i = 1
  while spec[i + 1] ~= nil do
    local min, name = spec[i], spec[i + 1]
    if type(min) ~= "number" or type(name) ~= "string" then
      C.fail(at, string.format("grades: expected pairs of minimum and name, then the last name; got %s, %s at %d",
        tostring(min), tostring(name), i))
    end
    local prev = g.steps[#g.steps]
    if prev and min >= prev.min then
      C.fail(at, string.format("grades: minima must decrease (%s after %s)", M.num(min), M.num(prev.min)))
    end
    g.steps[#g.steps + 1] = { min = min, name = name }
    g.names[#g.names + 1] = name
    i = i + 2
  end
  if type(spec[i]) ~= "string" then C.fail(at, "grades: the last entry must be the grade below every minimum") end
  g.fallback = spec[i]
  g.names[#g.names + 1] = spec[i]
  return g
end

function M.grade_of(grades, score)
  for _, s in ipairs(grades.steps) do
    if score >= s.min then return s.name end
  end
  return grades.fallback
end

local QUOTA = {
  grade = { type = "string", required = true },
  demote = { type = "string", required = true },
  share = { type = "number", more = 0, max = 1 },
  count = { type = "integer", min = 1 },
  min = { type = "integer", min = 0 },
}

local SCHEME = {
  title = { type = "string", required = true },
  year = "integer",
  units = "table",
  max = { type = "number", min = 0 },
  veto = "table",
  grades = { type = "table", required = true },
  quota = "table",
  veto_grade = "string",
  sections = "table",
}

-- Checks a scheme as a whole (options, grades, quota, unique ids), failing at `at`.
local function check_scheme(s, at)
  if not (s.grades and s.grades.steps) then C.fail(at, "scheme: grades must be S.grades{...}") end
  local function has_grade(name)
    for _, n in ipairs(s.grades.names) do if n == name then return true end end
    return false
  end
  if s.quota then
    C.options(s.quota, QUOTA, "scheme quota", at)
    if (s.quota.share == nil) == (s.quota.count == nil) then
      C.fail(at, "scheme quota: give either share = (0..1] or count = N")
    end
    for _, k in ipairs({ "grade", "demote" }) do
      if not has_grade(s.quota[k]) then
        C.fail(at, string.format("scheme quota: %s '%s' is not a grade of the scheme%s", k, s.quota[k],
          C.did_you_mean(s.quota[k], s.grades.names)))
      end
    end
  end
  for i, v in ipairs(s.veto) do
    if type(v) ~= "function" then C.fail(at, string.format("scheme veto %d: expected a rule such as R.veto_accidents{...}", i)) end
  end
  for _, k in ipairs(s.kinds) do
    if k ~= "township" and k ~= "street" and k ~= "zone" and k ~= "department" then
      C.fail(at, string.format("scheme units: unknown kind '%s' (kinds: township, street, zone, department)", tostring(k)))
    end
  end
  local seen = {}
  for _, c in ipairs(s.categories) do
    if type(c) ~= "table" or not c.is_category then C.fail(at, "scheme: expected categories made with S.category{...}") end
    if seen[c.id] and seen[c.id] ~= "item" then C.fail(at, "scheme: two categories " .. c.id) end
    seen[c.id] = "category"
    for _, it in ipairs(c.items) do
      if seen[it.id] == "item" or (seen[it.id] == "category" and it.id ~= c.id) then
        C.fail(it.where or at, "scheme: two items " .. it.id)
      end
      seen[it.id] = "item"
    end
  end
end

-- A scheme: { title = ..., year = 2020, units = {kinds}, max = 105, category, category, ...,
--   veto = { rule, ... }, grades = M.grades{...}, quota = { grade =, share =, demote = },
--   veto_grade = "不合格", sections = { section, ... } }.
-- year: the year the scheme scores when run without --set year=. units: the kinds scored
-- (default facts.AREA_KINDS). sections: further tables scored beside the units, each an
-- object with three methods (scoring_tasks.section is one, for the departments):
--   section:evaluate(year) → result
--   section:table(result) → { name, columns, rows, problems = {...} }, published after
--     the deductions, its problems with the units' problems
--   section:scores(result, code) → true when code is one of its units
--   section:explain(result, code) → publishes that unit's sheet (--set unit=CODE) and
--     returns true, or false when code is not one of its units
-- Every option is checked here; an error names the line of the scheme file.
function M.scheme(spec)
  local at = C.where(2)
  C.options(spec, SCHEME, "scheme", at)
  local s = { title = spec.title, year = spec.year, kinds = spec.units or F.AREA_KINDS,
              max = spec.max, veto = spec.veto or {}, grades = spec.grades,
              quota = spec.quota, veto_grade = spec.veto_grade, sections = spec.sections or {},
              categories = {}, where = at }
  for i = 1, #spec do s.categories[i] = spec[i] end
  check_scheme(s, at)
  return s
end

-- }==================================================================

-- {==================================================================
-- Extending a scheme: next year's rules as a list of changes
-- ===================================================================

-- Each change records the line that wrote it; M.extend applies them in order to a copy
-- of the base, so the base scheme (and its results) never change.
local function change(op, args) args.op = op; args.where = C.where(3); return args end

-- Changes the options of an item (any option of its rule: max, per, full_at, ...;
-- title = renames it) or of a category (max, floor, title).
function M.set(id, options) return change("set", { id = id, options = options }) end
-- Removes an item or a whole category.
function M.remove(id) return change("remove", { id = id }) end
-- Replaces the item (or category) of the same id by a new one.
function M.replace(new) return change("replace", { new = new }) end
-- Adds an item or a category at a place: { after = ID }, { before = ID }, or for an
-- item { category = ID } (at its end); a category without a place goes last.
function M.add(new, place) return change("add", { new = new, place = place or {} }) end
-- Moves an item or a category to a place, as for add.
function M.move(id, place) return change("move", { id = id, place = place or {} }) end

local EXTEND = {}
for k, v in pairs(SCHEME) do EXTEND[k] = v end
EXTEND.grades = "table"
EXTEND.title = "string"

local function ids_of(s)
  local ids = {}
  for _, c in ipairs(s.categories) do
    ids[#ids + 1] = c.id
    for _, it in ipairs(c.items) do if it.id ~= c.id then ids[#ids + 1] = it.id end end
  end
  return ids
end

-- Where `id` is: the item (its category and index), else the category (index). An id
-- naming a one-item category and its item (the bonus "C") is the item, unless
-- `category_first` (removing, moving, placing: the category goes with its item).
local function locate(s, id, category_first)
  if category_first then
    for ci, c in ipairs(s.categories) do
      if c.id == id then return "category", ci end
    end
  end
  for ci, c in ipairs(s.categories) do
    for ii, it in ipairs(c.items) do
      if it.id == id then return "item", c, ii end
    end
  end
  for ci, c in ipairs(s.categories) do
    if c.id == id then return "category", ci end
  end
  return nil
end

local function find(s, id, at, category_first)
  if type(id) ~= "string" then C.fail(at, "expected an item or category id, got " .. tostring(id)) end
  local kind, a, b = locate(s, id, category_first)
  if not kind then
    C.fail(at, string.format("no item or category '%s' in the scheme%s (ids: %s)", id,
      C.did_you_mean(id, ids_of(s)), C.known(id, ids_of(s), 20)))
  end
  return kind, a, b
end

local function copy(t)
  local o = {}
  for k, v in pairs(t) do o[k] = v end
  return o
end

local function place_item(s, new, place, at)
  local n = 0
  for _ in pairs(place) do n = n + 1 end
  local key = place.after and "after" or place.before and "before" or place.category and "category"
  if n ~= 1 or not key then
    C.fail(at, "an item's place is one of { after = ID }, { before = ID }, { category = ID }")
  end
  local kind, c, i = find(s, place[key], at, key == "category")
  if key == "category" then
    if kind ~= "category" then C.fail(at, place[key] .. " is an item, not a category") end
    c = s.categories[c]
    c.items[#c.items + 1] = new
  else
    if kind ~= "item" then C.fail(at, string.format("%s = '%s': name an item (to place a category, add a category)", key, place[key])) end
    table.insert(c.items, key == "after" and i + 1 or i, new)
  end
end

local function place_category(s, new, place, at)
  local key = place.after and "after" or place.before and "before"
  if not key then s.categories[#s.categories + 1] = new; return end
  local _, i = locate(s, place[key])
  for ci, c in ipairs(s.categories) do if c.id == place[key] then i = ci end end
  if type(i) ~= "number" or s.categories[i].id ~= place[key] then
    C.fail(at, string.format("no category '%s'%s", tostring(place[key]), C.did_you_mean(tostring(place[key]), ids_of(s))))
  end
  table.insert(s.categories, key == "after" and i + 1 or i, new)
end

local function apply(s, ch)
  local at = ch.where ~= "" and ch.where or s.where   -- "" when written as a tail call
  if ch.op == "set" then
    local kind, c, i = find(s, ch.id, at)
    if type(ch.options) ~= "table" then C.fail(at, "set: expected { option = value, ... }") end
    if kind == "item" then
      local old = c.items[i]
      if old.make then
        local spec = copy(old.spec)
        for k, v in pairs(ch.options) do
          if k == "title" then spec[2] = v else spec[k] = v end
        end
        c.items[i] = old.make(spec, at)
      else
        local new = copy(old)
        for k, v in pairs(ch.options) do
          if k ~= "max" and k ~= "title" and k ~= "floor" then
            C.fail(at, string.format("set %s: a rule of the scheme's own takes only max, title, floor here; replace it to change '%s'", ch.id, k))
          end
          new[k] = v
        end
        c.items[i] = new
      end
    else
      local cat = s.categories[c]
      local spec = { cat.id, cat.title, max = cat.max, floor = cat.floor, bonus = cat.bonus }
      for k, v in pairs(ch.options) do
        if k == "title" then spec[2] = v else spec[k] = v end
      end
      for _, it in ipairs(cat.items) do spec[#spec + 1] = it end
      s.categories[c] = M.category(spec, at)
    end
  elseif ch.op == "remove" then
    local kind, c, i = find(s, ch.id, at, true)
    if kind == "item" then table.remove(c.items, i) else table.remove(s.categories, c) end
  elseif ch.op == "replace" then
    local new = ch.new
    if type(new) ~= "table" or type(new.id) ~= "string" then C.fail(at, "replace: expected an item or a category") end
    local kind, c, i = find(s, new.id, at)
    if new.is_category then
      if kind ~= "category" then C.fail(at, "replace: " .. new.id .. " is an item, the replacement a category") end
      s.categories[c] = new
    else
      if kind ~= "item" then C.fail(at, "replace: " .. new.id .. " is a category, the replacement an item") end
      check_item(new, "replace " .. new.id, at)
      c.items[i] = new
    end
  elseif ch.op == "add" or ch.op == "move" then
    local new = ch.new
    if ch.op == "move" then
      local kind, c, i = find(s, ch.id, at, true)
      if kind == "item" then new = table.remove(c.items, i) else new = table.remove(s.categories, c) end
    elseif type(new) ~= "table" or type(new.id) ~= "string" then
      C.fail(at, "add: expected an item or a category")
    elseif locate(s, new.id) then
      C.fail(at, string.format("add: the scheme already has '%s' (use S.replace or S.set)", new.id))
    end
    if type(ch.place) ~= "table" then C.fail(at, ch.op .. ": the place must be a table such as { after = ID }") end
    if new.is_category then place_category(s, new, ch.place, at)
    else
      check_item(new, ch.op .. " " .. new.id, at)
      place_item(s, new, ch.place, at)
    end
  else
    C.fail(at, "extend: expected S.set, S.remove, S.replace, S.add or S.move")
  end
end

-- A scheme defined as `base` plus changes: { title =, year =, max =, units =, veto =,
-- grades =, quota =, veto_grade =, sections = (each replaces the base's),
-- S.set(...), S.remove(...), S.add(...), S.move(...), S.replace(...) (applied in order) }.
-- The base itself is not changed.
function M.extend(base, spec)
  local at = C.where(2)
  if type(base) ~= "table" or not base.categories then
    C.fail(at, "extend: the base must be a scheme (require \"scoring_2020\", say)")
  end
  C.options(spec, EXTEND, "extend", at)
  local s = copy(base)
  s.categories = {}
  for i, c in ipairs(base.categories) do
    local cc = copy(c)
    cc.items = {}
    for j, it in ipairs(c.items) do cc.items[j] = it end
    s.categories[i] = cc
  end
  for k in pairs(SCHEME) do
    if spec[k] ~= nil then s[k == "units" and "kinds" or k] = spec[k] end
  end
  s.where, s.base = at, base
  for i = 1, #spec do
    local ch = spec[i]
    if type(ch) ~= "table" or not ch.op then
      C.fail(at, string.format("extend: entry %d is not a change (S.set, S.remove, S.add, S.move, S.replace)", i))
    end
    apply(s, ch)
  end
  check_scheme(s, at)
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

-- How many ids the text output lists before "… and N more".
M.EVIDENCE_SHOWN = 10

-- The evidence as printed: the full list in CSV and JSON (what a spreadsheet or a
-- program reads); in text (a terminal) up to M.EVIDENCE_SHOWN ids in full, beyond that
-- the count, the first ids and how many more ("(60) A;B;… … and 50 more").
local function evidence_text(ids)
  if not ids or #ids == 0 then return nil end
  local n = M.EVIDENCE_SHOWN
  if ctx.format ~= "text" or #ids <= n then return ids_text(ids) end
  return string.format("(%d) %s … and %d more", #ids, table.concat(ids, ";", 1, n), #ids - n)
end
M.evidence_text = evidence_text

-- A row of its own for a cap that bites: an item of max 0 whose one deduction is the
-- points the cap cut (`id`, `title`, the excess, the reason).
local function cap_item(id, title, excess, reason)
  return { id = id, title = title, max = 0, points = -excess, cap = true, awards = {}, caps = {},
           notes = {}, deductions = { { points = excess, taken = excess, reason = reason, ids = {} } } }
end

-- The invariant every sheet keeps (issue 15): each deduction item's points are its max
-- minus its deduction rows; each bonus item's points are its awards after their cap
-- rows; the total is the sum of the item points. An error here is a bug of the library,
-- never of a scheme: it stops the run rather than publish points nobody can explain.
-- |a - b| <= 1e-9 × max(1, |a|, |b|), the absolute values and the maximum compared here
-- rather than called (it runs for every item).
local function close(a, b)
  local d, x, y, m = a - b, a, b, 1
  if d < 0 then d = -d end
  if x < 0 then x = -x end
  if y < 0 then y = -y end
  if m < x then m = x end
  if m < y then m = y end
  return d <= 1e-9 * m
end

local function assert_sheet(sheet)
  local sum, scale = 0, 1
  local items = sheet.items
  for i = 1, #items do
    local it = items[i]
    local want
    if it.bonus then
      want = 0
      local awards, caps = it.awards, it.caps
      for j = 1, #awards do want = want + awards[j].points end
      for j = 1, #caps do want = want + caps[j].points end
    else
      want = it.max
      local ds = it.deductions
      for j = 1, #ds do want = want - ds[j].taken end
    end
    if not close(it.points, want) then
      error(string.format("scoring: internal error: unit %s item %s has %.17g points, its rows explain %.17g",
        sheet.unit, it.id, it.points, want), 0)
    end
    sum = sum + it.points
    scale = scale + math.abs(it.points)
  end
  if math.abs(sum - sheet.total) > 1e-9 * scale then
    error(string.format("scoring: internal error: unit %s items add up to %.17g, its total is %.17g",
      sheet.unit, sum, sheet.total), 0)
  end
end
M.assert_sheet = assert_sheet

-- The sheet of one unit: every item with its points, deductions, notes; categories;
-- vetoes; problems. Nothing rounded yet. A cap that bites (a category's max, the
-- scheme's max) is an item of its own (cap_item) so that every point is on a row.
local function evaluate_unit(scheme, u, explain)
  local sheet = { unit = u.code, name = u.name, facts = u, items = {}, categories = {},
                  vetoes = {}, problems = {}, explain = explain }
  local total = 0
  local items = sheet.items
  local shared = item_shared(u, sheet)
  for _, c in ipairs(scheme.categories) do
    local its, sum, wide = {}, 0, false
    local specs = c.items
    for i, spec in ipairs(specs) do            -- items of their own first
      if spec.scope ~= "category" then
        local it = new_item(spec, shared, c.bonus or spec.bonus)
        spec.rule(u, it)
        finish_item(it)
        its[i] = it
        sum = sum + it.points
      else
        wide = true
      end
    end
    if wide then
      for i, spec in ipairs(specs) do          -- then deductions from the category
        if spec.scope == "category" then
          local it = new_item(spec, shared, false)
          spec.rule(u, it)
          local room = c.floor and math.max(sum - c.floor, 0) or math.huge
          it.points = -cap_deductions(it, room)
          its[i] = it
          sum = sum + it.points
        end
      end
    end
    for i = 1, #specs do items[#items + 1] = its[i] end
    if c.max and sum > c.max then
      sheet.items[#sheet.items + 1] = cap_item(c.id .. "封顶", c.title .. "封顶", sum - c.max,
        string.format("%s各项合计 %s 分，超过本类满分 %s 分，超出 %s 分不计", c.title, M.num(sum),
          M.num(c.max), M.num(sum - c.max)))
      sum = c.max
    end
    sheet.categories[#sheet.categories + 1] = { id = c.id, title = c.title, max = c.max, points = sum }
    total = total + sum
  end
  if scheme.max and total > scheme.max then
    sheet.items[#sheet.items + 1] = cap_item("总分封顶", "总分封顶", total - scheme.max,
      string.format("各类合计 %s 分，超过总分上限 %s 分，超出 %s 分不计", M.num(total), M.num(scheme.max),
        M.num(total - scheme.max)))
    total = scheme.max
  end
  sheet.total = total
  assert_sheet(sheet)
  if #scheme.veto > 0 then
    local v = {
      veto = function(_, reason, ids)
        sheet.vetoes[#sheet.vetoes + 1] = { reason = reason, ids = ids or {} }
      end,
      unit = u, year = u.year,
    }
    for _, rule in ipairs(scheme.veto) do rule(u, v) end
  end
  return sheet
end

-- The targets and indicators the scheme's items need must exist in the year's data
-- (in some unit's rows): a misspelt name is an error at the item's line, with the names
-- the year has. A dataset with no row of the year at all is not checked here: that is
-- missing data (problems rows and a warning), not a misspelling.
local function check_names(scheme, year)
  local known = { target = {}, indicator = {} }
  for r in sql.rows("SELECT DISTINCT indicator FROM targets WHERE year = ?", year) do
    known.target[#known.target + 1] = r.indicator
  end
  for r in sql.rows("SELECT DISTINCT indicator FROM assessments WHERE year = ? AND period = 'annual'", year) do
    known.indicator[#known.indicator + 1] = r.indicator
  end
  local set = { target = {}, indicator = {} }
  for k, list in pairs(known) do for _, n in ipairs(list) do set[k][n] = true end end
  for _, c in ipairs(scheme.categories) do
    for _, it in ipairs(c.items) do
      for _, need in ipairs(it.needs or {}) do
        local kind, name = need[1], need[2]
        if #known[kind] > 0 and not set[kind][name] then
          local s = C.suggest(name, known[kind])
          C.fail(it.where, string.format("no %s '%s' in %d (%sknown: %s)", kind, name, year,
            s and string.format("did you mean '%s'? ", s) or "", C.known(name, known[kind])))
        end
      end
    end
  end
end

-- Evaluates `scheme` for `year` over every unit of its kinds, and each of its sections.
-- Returns { year, as_of, scheme, sheets = {...ranked, each with score, grade, rank,
--   vetoed...; facts: the unit without its year's records, released once it is scored},
--   problems = {...}, sections = { {section =, result =}, ... },
--   missing = { "accidents", ... } (datasets with no row of the year) }. Publishes nothing.
function M.evaluate(scheme, year)
  check_names(scheme, year)
  local units = data.load(year, scheme.kinds)
  local sheets, problems = {}, {}
  local explain = ctx.params.unit ~= nil and M.find_unit(tostring(ctx.params.unit))
  for i = 1, #units do
    local u = units[i]
    local s = evaluate_unit(scheme, u, explain and explain.code == u.code)
    -- The unit's records of the year are read by its rules only: once its sheet is
    -- done they go (the sheet keeps the unit's id, code, name, kind and year), so the
    -- collector can reuse their memory for the sheets and rows still to come.
    u.accidents, u.prev, u.inspections, u.indicators, u.targets = nil, nil, nil, nil, nil
    s.score = M.round(s.total, 2)
    s.vetoed = #s.vetoes > 0
    if s.vetoed then
      local parts = {}
      for j = 1, #s.vetoes do
        local x = s.vetoes[j]
        parts[#parts + 1] = x.reason .. (#x.ids > 0 and "：" .. table.concat(x.ids, "、") or "")
      end
      s.veto_reason = table.concat(parts, "；")
    end
    sheets[#sheets + 1] = s
    local probs = s.problems
    for j = 1, #probs do problems[#problems + 1] = probs[j] end
  end
  M.rank(sheets)
  M.grade_rows(sheets, scheme.grades, scheme.quota, scheme.veto_grade or "不合格")
  local sections = {}
  for i, sec in ipairs(scheme.sections) do
    sections[i] = { section = sec, result = sec:evaluate(year) }
  end
  return { year = year, as_of = ctx.as_of:iso(), scheme = scheme, sheets = sheets,
           problems = problems, sections = sections, missing = data.missing(year) }
end

-- }==================================================================

-- {==================================================================
-- Units by code, name or alias
-- ===================================================================

-- The unit `text` names: its code in any case, its name, or an alias, as the importer
-- resolves them. Returns {id, code, name, kind}, or fails with the closest units.
function M.find_unit(text)
  local u = sql.query([[
      SELECT id, code, name, kind FROM units WHERE code = :t COLLATE NOCASE OR name = :t
      UNION
      SELECT u.id, u.code, u.name, u.kind FROM unit_aliases a JOIN units u ON u.id = a.unit_id
       WHERE a.alias = :t]], { t = text })
  if #u >= 1 then return u[1] end
  local names, label = {}, {}
  for r in sql.rows([[SELECT u.code, u.name, a.alias FROM units u
                       LEFT JOIN unit_aliases a ON a.unit_id = u.id]]) do
    local l = r.code .. " " .. r.name
    for _, n in ipairs({ r.code, r.name, r.alias }) do
      if n and not label[n] then names[#names + 1] = n; label[n] = l end
    end
  end
  local close, seen = {}, {}
  for _, n in ipairs(C.by_closeness(text, names)) do
    if #close >= 3 then break end
    if not seen[label[n]] then seen[label[n]] = true; close[#close + 1] = label[n] end
  end
  C.fail("", string.format("--set unit=%s: no such unit (code, name or alias)%s", text,
    #close > 0 and "; closest: " .. table.concat(close, ", ") or ""))
end

-- }==================================================================

-- {==================================================================
-- Publishing
-- ===================================================================

local EVALUATION_COLS = { "scheme", "year", "as_of" }
local SCORE_COLS = { "unit", "name", "score", "grade", "vetoed", "veto_reason", "rank" }
local ITEM_COLS = { "unit", "item", "title", "points", "max" }
local DEDUCTION_COLS = { "unit", "item", "points", "reason", "evidence" }
local PROBLEM_COLS = { "unit", "item", "problem" }

-- x in whole cents: math.tointeger(F.round(x * 100, 0)), written out (it runs for every
-- item and deduction of every unit): |x| as a comparison and floor as `// 1` (floor
-- division by 1 is floor itself), so only tointeger is a call.
local function cents(x)
  x = x * 100
  local y = ((x < 0 and -x or x) + 0.5 + 1e-7) // 1
  if x < 0 then y = -y end
  return tointeger(y + 0.0)
end
M.cents = cents

-- Rounds `values` to whole cents so that they add up to `total` cents: each to its
-- nearest, then the cents still missing (or too many) go to the values whose rounding
-- lost (or gained) the most — largest remainder; values already whole in cents are
-- touched last. Returns an array of integers (cents).
local function apportion(values, total)
  local out, rest, sum = {}, {}, 0
  for i, v in ipairs(values) do
    out[i] = cents(v)
    rest[i] = v * 100 - out[i]
    sum = sum + out[i]
  end
  local diff = total - sum
  while diff ~= 0 do
    local best
    for i = 1, #values do
      local exact = math.abs(rest[i]) < 1e-7
      local key = (diff > 0 and rest[i] or -rest[i]) - (exact and 10 or 0)
      if diff < 0 and out[i] <= 0 and values[i] >= 0 then key = key - 100 end
      if not best or key > best.key then best = { i = i, key = key } end
    end
    if not best then break end
    local step = diff > 0 and 1 or -1
    out[best.i] = out[best.i] + step
    rest[best.i] = rest[best.i] - step
    diff = diff - step
  end
  return out
end
M.apportion = apportion

-- The figures of a sheet as displayed: the items rounded to cents so that they add up
-- to the rounded score, each item's deduction rows so that max plus its rows is its
-- displayed points. Sets it.shown and d.shown (numbers with two decimals).
-- When the figures rounded each to its cent already add up (most sheets), apportion
-- would give exactly those: they are taken as they are, without its tables.
local function display(s)
  if s.displayed then return end
  local items = s.items
  local sum, shown = 0, nil
  for i = 1, #items do sum = sum + cents(items[i].points) end
  if sum ~= cents(s.score) then
    local vals = {}
    for i, it in ipairs(items) do vals[i] = it.points end
    shown = apportion(vals, cents(s.score))
  end
  for i = 1, #items do
    local it = items[i]
    local c = shown and shown[i] or cents(it.points)
    it.shown = c / 100
    local ds = it.deductions
    if not it.bonus and #ds > 0 then
      local want, dsum = cents(it.max) - c, 0
      for j = 1, #ds do dsum = dsum + cents(ds[j].taken) end
      if dsum == want then
        for j = 1, #ds do ds[j].shown = cents(ds[j].taken) / 100 end
      else
        local dv = {}
        for j, d in ipairs(ds) do dv[j] = d.taken end
        local a = apportion(dv, want)
        for j, d in ipairs(ds) do d.shown = a[j] / 100 end
      end
    end
  end
  s.displayed = true
end
M.display = display

-- The deduction rows of a sheet, appended to out as arrays in the order of
-- DEDUCTION_COLS (with_unit) or of the explain sheet's columns (without the unit).
local function deduction_rows(sheet, out, with_unit)
  local items = sheet.items
  for i = 1, #items do
    local it, ds = items[i], items[i].deductions
    for j = 1, #ds do
      local d = ds[j]
      if with_unit then
        out[#out + 1] = { sheet.unit, it.id, -d.shown + 0.0, d.reason, evidence_text(d.ids) }
      else
        out[#out + 1] = { it.id, -d.shown + 0.0, d.reason, evidence_text(d.ids) }
      end
    end
  end
  return out
end

-- The explain sheet of one unit: what the office hands a unit disputing its score.
local function sheet_tables(res, s, out)
  display(s)
  out[#out + 1] = { "sheet", { "unit", "name", "score", "grade", "vetoed", "veto_reason", "rank", "grade_note" },
    { { unit = s.unit, name = s.name, score = s.score, grade = s.grade, vetoed = s.vetoed,
        veto_reason = s.veto_reason, rank = s.rank, grade_note = s.grade_note } } }
  local rows, k = {}, 1
  local by_spec = {}
  for _, it in ipairs(s.items) do by_spec[it.spec or it] = it end
  for _, c in ipairs(s.categories) do
    local cat = res.scheme.categories[k]
    local c_items, c_shown = cat.items, 0
    local list = {}
    for _, spec in ipairs(c_items) do list[#list + 1] = by_spec[spec] end
    for _, it in ipairs(s.items) do
      if it.cap and it.id == c.id .. "封顶" then list[#list + 1] = it end
    end
    for _, it in ipairs(list) do
      local basis = {}
      for _, n in ipairs(it.notes) do basis[#basis + 1] = n end
      for _, a in ipairs(it.awards) do
        basis[#basis + 1] = a.reason .. (#a.ids > 0 and "（" .. evidence_text(a.ids) .. "）" or "")
      end
      if it.cap then basis[#basis + 1] = it.deductions[1].reason end
      rows[#rows + 1] = { item = it.id, title = it.title, points = it.shown + 0.0,
                          max = it.max, basis = table.concat(basis, "；") }
      c_shown = c_shown + math.tointeger(F.round(it.shown * 100, 0))
    end
    if not (#c_items == 1 and c_items[1].id == c.id and #list == 1) then   -- a one-item category is its item
      rows[#rows + 1] = { item = c.id, title = c.title .. "小计", points = c_shown / 100, max = c.max }
    end
    k = k + 1
  end
  for _, it in ipairs(s.items) do
    if it.cap and it.id == "总分封顶" then
      rows[#rows + 1] = { item = it.id, title = it.title, points = it.shown + 0.0, max = it.max,
                          basis = it.deductions[1].reason }
    end
  end
  rows[#rows + 1] = { item = "合计", title = "总分", points = s.score, max = res.scheme.max }
  out[#out + 1] = { "items", { "item", "title", "points", "max", "basis" }, rows }
  out[#out + 1] = { "deductions", { "item", "points", "reason", "evidence" }, deduction_rows(s, {}, false),
                    arrays = true }
  local probs = {}
  for _, p in ipairs(s.problems) do probs[#probs + 1] = { item = p.item, problem = p.problem } end
  out[#out + 1] = { "problems", { "item", "problem" }, probs }
  return out
end

-- The tables of a result of M.evaluate, unpublished: an array of { name, columns, rows }
-- (and `problems`, the number of problems rows). First `evaluation` (the scheme, the
-- year, the as-of date the data was cut at: the same data scored at another date may
-- score differently). Normally then scores, items, deductions, the table of each
-- section of the scheme, problems (the units' and the sections'). With --set unit=X
-- (code in any case, name or alias): only that unit's explain sheet, or the sheet of
-- the section that scores it. Displayed items add up to the displayed score.
function M.tables(res)
  local out = { { "evaluation", EVALUATION_COLS,
    { { scheme = res.scheme.title, year = res.year, as_of = res.as_of } } } }
  local sections = res.sections or {}
  if ctx.params.unit ~= nil then
    local u = M.find_unit(tostring(ctx.params.unit))
    for _, s in ipairs(res.sheets) do
      if s.unit == u.code then
        sheet_tables(res, s, out)
        out.problems = #s.problems
        return out
      end
    end
    for _, x in ipairs(sections) do
      if x.section:scores(x.result, u.code) then
        out.explained_by = x
        out.problems = 0
        return out
      end
    end
    C.fail("", string.format("unit %s (%s) is not scored by this scheme in %d", u.code, u.name, res.year))
  end
  local scores, items, deds = {}, {}, {}
  local sheets = res.sheets
  for i = 1, #sheets do
    local s = sheets[i]
    display(s)
    scores[#scores + 1] = { s.unit, s.name, s.score, s.grade, s.vetoed, s.veto_reason, s.rank }
    local its = s.items
    for j = 1, #its do
      local it = its[j]
      items[#items + 1] = { s.unit, it.id, it.title, it.shown + 0.0, it.max }
    end
    deduction_rows(s, deds, true)
  end
  -- rows as arrays in their columns' order (publish's `arrays` option): 40,000 rows of a
  -- province take half the memory of rows keyed by column
  out[#out + 1] = { "scores", SCORE_COLS, scores, arrays = true }
  out[#out + 1] = { "items", ITEM_COLS, items, arrays = true }
  out[#out + 1] = { "deductions", DEDUCTION_COLS, deds, arrays = true }
  local problems = {}
  for _, p in ipairs(res.problems) do problems[#problems + 1] = p end
  for _, x in ipairs(sections) do
    local t = x.section:table(x.result)
    out[#out + 1] = { t[1], t[2], t[3] }
    for _, p in ipairs(t.problems or {}) do problems[#problems + 1] = p end
  end
  out[#out + 1] = { "problems", PROBLEM_COLS, problems }
  out.problems = #problems
  return out
end

local DATASETS = { accidents = "accidents", inspections = "inspections", targets = "targets",
                   assessments = "annual assessments" }

-- A year the database has nothing of cannot be scored: no accidents, inspections and
-- targets of the year is an error (exit 4) naming what is missing. Otherwise problems
-- are rows of the problems table, and one warning line on stderr says how many.
function M.check_data(res, nproblems)
  local m = {}
  for _, k in ipairs(res.missing or {}) do m[k] = true end
  if m.accidents and m.inspections and m.targets then
    local names = {}
    for _, k in ipairs(res.missing) do names[#names + 1] = DATASETS[k] end
    C.fail("", string.format("no data to score %d on (as of %s): the database has no %s of %d",
      res.year, res.as_of, table.concat(names, ", "), res.year))
  end
  if nproblems and nproblems > 0 then
    local names = {}
    for _, k in ipairs(res.missing or {}) do names[#names + 1] = DATASETS[k] end
    print(string.format("warning: scoring %d (as of %s): %d problem%s with the data, see the problems table%s",
      res.year, res.as_of, nproblems, nproblems == 1 and "" or "s",
      #names > 0 and ("; no " .. table.concat(names, ", ") .. " of " .. res.year) or ""))
  end
end

-- Publishes a result of M.evaluate: the tables of M.tables, in their order, after
-- checking the year had data (M.check_data, which also warns of problems).
function M.publish(res)
  M.check_data(res)
  local code = ctx.params.unit
  local out = M.tables(res)
  if code ~= nil and out.explained_by then    -- a section's unit: the section publishes its sheet
    local x = out.explained_by
    publish(out[1][1], out[1][2], out[1][3], titles.options(out[1][2]))
    x.section:explain(x.result, M.find_unit(tostring(code)).code)
    return
  end
  M.check_data(res, out.problems)
  for _, t in ipairs(out) do
    local options = titles.options(t[2])
    options.arrays = t.arrays
    publish(t[1], t[2], t[3], options)
  end
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
    local year = M.year(scheme.year)
    if not year then C.fail(scheme.where, "the scheme names no year (year = YYYY): run it with --set year=YYYY") end
    M.publish(M.evaluate(scheme, year))
  end
  return scheme
end

-- }==================================================================

return M
