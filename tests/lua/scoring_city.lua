-- scoring_city.lua — builds fixture cities for the scoring tests (tests/lua/scoring_*_test.lua).
--
-- A unit is described by what differs from a "perfect" unit: targets deaths_cap 1,
-- accidents_cap 2, inspections_plan 10; 10 inspections of the year with nothing found;
-- assessment indicators drills 2 and training_score 5; no accident, no bonus. Under the
-- 2020 scheme such a unit scores exactly 100 (A 40 + B 60), under 2019 also 100.
local M = {}

-- u = { code = "T01", kind = "township", year = 2020,
--       targets = { deaths_cap = 0, ... } (false removes one), inspections = n or
--       { {found, rectified}, ... }, ind = { drills = 1, bonus = 3 } (false removes one),
--       accidents = { { id = "A1", occurred_at = ..., deaths = ... }, ... } }
local function add_unit(spec, u)
  local y = u.year or 2020
  spec.units[#spec.units + 1] = { code = u.code, name = u.name or (u.code .. "镇"), kind = u.kind or "township" }
  if u.bare then return end
  local targets = { deaths_cap = 1, accidents_cap = 2, inspections_plan = 10 }
  for k, v in pairs(u.targets or {}) do targets[k] = v or nil end
  for k, v in pairs(targets) do
    spec.targets[#spec.targets + 1] = { year = y, unit = u.code, indicator = k, value = v }
  end
  local ind = { drills = 2, training_score = 5 }
  for k, v in pairs(u.ind or {}) do ind[k] = v or nil end
  for k, v in pairs(ind) do
    spec.assessments[#spec.assessments + 1] = { year = y, unit = u.code, indicator = k, value = v }
  end
  local insp = u.inspections or 10
  if type(insp) == "number" then
    local list = {}
    for i = 1, insp do list[i] = { 0, 0 } end
    insp = list
  end
  for i, x in ipairs(insp) do
    spec.inspections[#spec.inspections + 1] = {
      id = string.format("%s-I%02d", u.code, i), inspected_on = string.format("%d-03-%02d", y, (i - 1) % 28 + 1),
      unit = u.code, sector = "industry", enterprise = "企业" .. i,
      hazards_found = x[1], hazards_rectified = x[2] }
  end
  for _, a in ipairs(u.accidents or {}) do
    a.unit = u.code
    a.sector = a.sector or "industry"
    a.deaths = a.deaths or 0
    a.level = a.level or "一般"
    spec.accidents[#spec.accidents + 1] = a
  end
end

-- A fixture database holding the given units (and any extra datasets in `extra`).
function M.city(units, extra)
  local spec = { units = {}, targets = {}, assessments = {}, inspections = {}, accidents = {} }
  for _, u in ipairs(units) do add_unit(spec, u) end
  for k, rows in pairs(extra or {}) do
    spec[k] = spec[k] or {}
    for _, r in ipairs(rows) do table.insert(spec[k], r) end
  end
  return fixture(spec)
end

-- Runs a scheme and indexes the result: r.score[code] = scores row,
-- r.item[code][item] = points, r.ded[code][item] = array of deduction rows,
-- r.prob[code] = array of "item: problem" texts.
function M.run(script, db, params)
  local t = run_script(script, { db = db, as_of = "2021-01-31", params = params or {} })
  local r = { raw = t, db = db, score = {}, item = {}, ded = {}, prob = {}, dept = {} }
  for _, s in ipairs(t.scores or {}) do r.score[s.unit] = s end
  for _, it in ipairs(t.items or {}) do
    r.item[it.unit] = r.item[it.unit] or {}
    r.item[it.unit][it.item] = it.points
  end
  for _, d in ipairs(t.deductions or {}) do
    r.ded[d.unit] = r.ded[d.unit] or {}
    r.ded[d.unit][d.item] = r.ded[d.unit][d.item] or {}
    table.insert(r.ded[d.unit][d.item], d)
  end
  for _, p in ipairs(t.problems or {}) do
    r.prob[p.unit] = r.prob[p.unit] or {}
    table.insert(r.prob[p.unit], p.item .. ": " .. p.problem)
  end
  for _, d in ipairs(t.department_scores or {}) do r.dept[d.unit] = d end
  return r
end

-- An accident row: id, occurred_at and any other fields.
function M.acc(id, date, fields)
  local a = { id = id, occurred_at = date }
  for k, v in pairs(fields or {}) do a[k] = v end
  return a
end

-- `found` inspections with one hazard each, the first `fixed` of them rectified.
function M.hazards(found, fixed)
  local l = {}
  for i = 1, found do l[i] = { 1, i <= fixed and 1 or 0 } end
  return l
end

-- The column `col` of rows, in order: for comparing orderings and ranks.
function M.column(rows, col)
  local out = {}
  for i, row in ipairs(rows) do out[i] = row[col] end
  return out
end

return M
