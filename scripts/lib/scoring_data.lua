-- scoring_data.lua — the facts a scoring scheme reads, loaded for all units at once.
--
-- A handful of grouped queries (GROUP BY unit_id / one ordered scan), never one query per
-- unit per item, so 3,000 units cost the same few statements as 30. The year's data
-- (docs/scoring.md): accidents by occurred_at within the calendar year, only
-- production ones not written off; deaths include missing persons; inspections by
-- inspected_on; assessment rows of the year with period 'annual'; targets of the year.
-- Which accidents count and which units are scored by default is facts.lua's.
local F = require "facts"

local M = {}

-- The accidents that count (facts.COUNTED), between :from and :to.
local COUNTED = F.COUNTED .. " AND occurred_at >= :from AND occurred_at < :to"

-- [from, to) of the year's data; nothing after --as-of counts (a run during the year
-- gives the current standing, a run after it the whole year).
local function year_bounds(year)
  local from, to = string.format("%04d-01-01", year), string.format("%04d-01-01", year + 1)
  local cut = ctx.as_of:add_days(1):iso()
  if cut < to then to = cut end
  return from, to
end
M.year_bounds = year_bounds

-- Splits "a;b;c" (group_concat output) into a sorted array, so evidence never depends
-- on the order SQLite happened to scan rows in.
local function sorted_ids(s)
  local ids, n, sorted = {}, 0, true
  if s then
    for id in s:gmatch("[^;]+") do
      n = n + 1
      ids[n] = id
      if sorted and n > 1 and id < ids[n - 1] then sorted = false end
    end
  end
  if not sorted then table.sort(ids) end   -- a scan in id order gives them sorted already
  return ids
end
M.sorted_ids = sorted_ids

-- The units scored, ordered by code; kinds is an array such as facts.AREA_KINDS.
M.units = F.units

-- The numbers of days after occurring for which schemes ask accidents' due dates
-- (R.not_closed_within(60) asks for 60 when the scheme is built): the accidents' query
-- computes those dates with the rest of the row.
local due_days = {}

-- Asks for `a.due[days]` to be loaded with the accidents (days: a whole number >= 0).
function M.want_due(days)
  if math.type(days) ~= "integer" or days < 0 then
    error("accident due date: days must be a whole number >= 0, got " .. tostring(days), 2)
  end
  due_days[days] = true
end

-- `a.due[days]`, the date `days` after accident a occurred (an investigation deadline):
-- loaded with the accidents for the days asked for by M.want_due, else computed in SQL
-- on first use, for every counted accident of the year at once (one query per number of
-- days). by: the accidents per unit_id, to look them up by id; like by once the units
-- hold their lists, the lookup holds the accidents weakly: those of units already scored
-- (and released) are no longer asked for.
local function due_dates(from, to, by)
  local by_id
  return { __index = function(due, days)
    if math.type(days) ~= "integer" or days < 0 then
      error("accident due date: days must be a whole number >= 0, got " .. tostring(days), 2)
    end
    if not by_id then
      by_id = setmetatable({}, { __mode = "v" })
      for _, list in pairs(by) do
        for _, a in ipairs(list) do by_id[a.id] = a end
      end
    end
    for r in sql.rows([[
        SELECT id, date(occurred_at, '+' || :days || ' days') AS due
          FROM accidents
         WHERE ]] .. COUNTED, { from = from, to = to, days = days }) do
      local a = by_id[r.id]
      if a then rawset(a.due, days, r.due) end
    end
    return rawget(due, days)
  end }
end

-- Counted accidents of one year, per unit_id: arrays of
-- {id, occurred_at, deaths (incl. missing), level, report_status, closed_on, due}
-- where due[days] = the date `days` after occurring (see due_dates); accidents of the same
-- day may share their due table.
local function accidents_of(year)
  local from, to = year_bounds(year)
  local by = {}
  local due_mt = due_dates(from, to, by)
  local days, keys, cols = {}, {}, {}
  for d in pairs(due_days) do days[#days + 1] = d end
  table.sort(days)
  for i, d in ipairs(days) do
    keys[i] = "due_" .. d
    cols[i] = string.format(", date(occurred_at, '+%d days') AS due_%d", d, d)
  end
  -- Accidents with the same due dates (for the days asked) occurred on the same day, so
  -- every other due date of theirs is the same too: they share one due table (about 365
  -- a year instead of one an accident), found by their dates in same_dates (a tree, one
  -- level a number of days; nil stored as false). Without days asked, nothing tells
  -- the days apart: each accident gets a table of its own.
  local n, same_dates = #days, {}
  for a in sql.rows([[
      SELECT id, unit_id, occurred_at, ]] .. F.DEATHS .. [[ AS deaths, level, report_status,
             closed_on]] .. table.concat(cols) .. [[
        FROM accidents
       WHERE ]] .. COUNTED .. [[
       ORDER BY unit_id, occurred_at, id]], { from = from, to = to }) do
    local due
    if n > 0 then                  -- the due table of the same dates, else a new one
      local node = same_dates
      for i = 1, n - 1 do
        local v = a[keys[i]]
        if v == nil then v = false end
        local next_node = node[v]
        if not next_node then next_node = {}; node[v] = next_node end
        node = next_node
      end
      local v = a[keys[n]]
      if v == nil then v = false end
      due = node[v]
      if not due then
        due = {}
        for i = 1, n do due[days[i]] = a[keys[i]] end
        setmetatable(due, due_mt)
        node[v] = due
      end
      for i = 1, n do a[keys[i]] = nil end
    else
      due = setmetatable({}, due_mt)
    end
    a.due = due
    local list = by[a.unit_id]
    if not list then list = {}; by[a.unit_id] = list end
    list[#list + 1] = a
  end
  return by
end

-- Accident count and deaths per unit_id for one year (the previous year's baseline).
local function accident_totals(year)
  local from, to = year_bounds(year)
  local by = {}
  for r in sql.rows([[
      SELECT unit_id, count(*) AS accidents, sum(]] .. F.DEATHS .. [[) AS deaths
        FROM accidents
       WHERE ]] .. COUNTED .. [[
       GROUP BY unit_id]], { from = from, to = to }) do
    by[r.unit_id] = { accidents = r.accidents, deaths = r.deaths }
  end
  return by
end

-- `open_ids` of an inspections record is built on first use: most units never need it.
local LAZY_OPEN = { __index = function(t, k)
  if k ~= "open_ids" then return nil end
  local ids = sorted_ids(rawget(t, "open"))
  rawset(t, "open_ids", ids)
  return ids
end }

-- Inspections per unit_id: count, hazards found and rectified, and the ids of the
-- inspections whose hazards were not all rectified (open_ids, the evidence of a shortfall).
-- sql.group totals the year's rows by unit in one pass (a GROUP BY would sort the
-- year's million rows first: twice the cost of the scan).
local function inspections_of(year)
  local from, to = year_bounds(year)
  local by = sql.group([[
      SELECT unit_id, 1 AS n, hazards_found AS found, hazards_rectified AS rectified,
             CASE WHEN hazards_rectified < hazards_found THEN id END AS open
        FROM inspections NOT INDEXED   -- a sequential scan: a date index would cost a lookup a row
       WHERE inspected_on >= :from AND inspected_on < :to]], { from = from, to = to })
  for unit, r in pairs(by) do
    by[unit] = setmetatable({ count = r.n, found = r.found, rectified = r.rectified,
                              open = r.open }, LAZY_OPEN)
  end
  return by
end

-- Annual assessment indicators per unit_id: {indicator = {value=, evidence=}}.
local function indicators_of(year)
  local by = {}
  for r in sql.rows([[
      SELECT unit_id, indicator, value, evidence FROM assessments
       WHERE year = ? AND period = 'annual']], year) do
    local t = by[r.unit_id]
    if not t then t = {}; by[r.unit_id] = t end
    t[r.indicator] = { value = r.value, evidence = r.evidence }
  end
  return by
end

-- Targets per unit_id: {indicator = value}.
local function targets_of(year)
  local by = {}
  for r in sql.rows("SELECT unit_id, indicator, value FROM targets WHERE year = ?", year) do
    local t = by[r.unit_id]
    if not t then t = {}; by[r.unit_id] = t end
    t[r.indicator] = r.value
  end
  return by
end

-- Everything a unit scheme needs for `year`, for every unit of the given kinds.
-- Returns an array of unit facts, ordered by code:
--   {id, code, name, kind, year, accidents = {...}, prev = {accidents, deaths},
--    inspections = {count, found, rectified, open_ids}, indicators = {...}, targets = {...}}
-- Units without rows get empty tables / zero counts; rules decide what absence means.
function M.load(year, kinds)
  local units = M.units(kinds)
  local acc, prev = accidents_of(year), accident_totals(year - 1)
  local insp, ind, tgt = inspections_of(year), indicators_of(year), targets_of(year)
  for _, u in ipairs(units) do
    u.year = year
    u.accidents = acc[u.id] or {}
    u.prev = prev[u.id] or { accidents = 0, deaths = 0 }
    u.inspections = insp[u.id] or { count = 0, found = 0, rectified = 0, open_ids = {} }
    u.indicators = ind[u.id] or {}
    u.targets = tgt[u.id] or {}
  end
  -- Each unit now holds its accidents; the index by unit_id (which the due dates' lookup
  -- keeps, see due_dates) must not keep them alive once a unit lets its facts go.
  setmetatable(acc, { __mode = "v" })
  return units
end

-- The datasets with no row of `year` (as scored: counted accidents and inspections up
-- to --as-of, targets, annual assessments), an array in that order; empty when the
-- year has some of everything.
function M.missing(year)
  local from, to = year_bounds(year)
  local r = sql.query([[
      SELECT EXISTS (SELECT 1 FROM accidents WHERE ]] .. COUNTED .. [[) AS accidents,
             EXISTS (SELECT 1 FROM inspections WHERE inspected_on >= :from AND inspected_on < :to) AS inspections,
             EXISTS (SELECT 1 FROM targets WHERE year = :year) AS targets,
             EXISTS (SELECT 1 FROM assessments WHERE year = :year AND period = 'annual') AS assessments]],
    { from = from, to = to, year = year })[1]
  local out = {}
  for _, k in ipairs({ "accidents", "inspections", "targets", "assessments" }) do
    if r[k] == 0 then out[#out + 1] = k end
  end
  return out
end

-- The work items of `year` with the units of the given kinds (default: departments)
-- taking part: an array ordered by code, each {id, code, name, kind, tasks = {{no,
-- title, role}}, indicators = {...}}, where a unit both leading and cooperating on one
-- item appears once with role 'lead'. Townships named on an item are not listed.
function M.task_units(year, kinds)
  kinds = kinds or F.DEPARTMENT_KINDS
  local by, list = {}, {}
  for r in sql.rows([[
      SELECT x.no, x.role, t.title, u.id, u.code, u.name, u.kind
        FROM task_units x JOIN tasks t USING (year, no) JOIN units u ON u.id = x.unit_id
       WHERE x.year = ? AND u.kind IN (]] .. F.marks(kinds) .. [[)
       ORDER BY u.code, x.no, x.role DESC]], year, table.unpack(kinds)) do   -- 'lead' before 'cooperating'
    local d = by[r.id]
    if not d then
      d = { id = r.id, code = r.code, name = r.name, kind = r.kind, tasks = {}, seen = {} }
      by[r.id] = d
      list[#list + 1] = d
    end
    local t = d.seen[r.no]
    if not t then
      t = { no = r.no, title = r.title, role = r.role }
      d.seen[r.no] = t
      d.tasks[#d.tasks + 1] = t
    end
  end
  local ind = indicators_of(year)
  for _, d in ipairs(list) do
    d.seen = nil
    d.indicators = ind[d.id] or {}
  end
  return list
end

return M
