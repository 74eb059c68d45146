-- briefing_data.lua — the figures of the monthly briefing (scripts/briefing.lua), each
-- from one query, so the numbers in the text, the tiles, the charts and the tables agree.
--
-- Accidents count as facts.lua says (production, not written off; deaths include missing
-- persons). A period p covers p.from .. p.to inclusive.
local accidents = require "accidents"
local F = require "facts"
local yoy = require "yoy"

local M = {}

-- Sectors in the order of the traditional 行业领域 list.
M.SECTOR_ORDER = {"road", "construction", "hazchem", "mining", "industry", "fire",
                  "special_equipment", "gas", "fireworks", "waterway", "agri_machinery", "other"}

local function range(p)
  return {first_day = p.from, day_after = p.to:add_days(1)}
end

-- Townships, streets and zones (the units the briefing ranks, facts.AREA_KINDS), by code.
function M.units()
  return F.units(F.AREA_KINDS)
end

-- Short sector names for chart labels, where the full name would break inside a word
-- (危险化/学品); tables keep the full names.
M.SECTOR_SHORT = {hazchem = "危化品", special_equipment = "特种设备", agri_machinery = "农机"}

-- The label of a unit under a chart: its name when short (at most 5 characters), else the
-- shortest of its aliases of at least 3 characters (units.aliases, "云岚经开区;经开区" →
-- 经开区: a 5-character label still breaks inside a word under a narrow bar), else the
-- name. Tables keep full names.
function M.short_names()
  local out = {}
  for row in sql.rows("SELECT id, name, aliases FROM units") do
    local short = row.name
    if utf8.len(row.name) and utf8.len(row.name) > 5 then
      for alias in (row.aliases or ""):gmatch("[^;]+") do
        alias = alias:match("^%s*(.-)%s*$")
        local n = utf8.len(alias)
        if n and n >= 3 and n < utf8.len(short) then short = alias end
      end
    end
    out[row.id] = short
  end
  return out
end

function M.sectors()
  local names = {}
  for row in sql.rows("SELECT code, name FROM sectors") do names[row.code] = row.name end
  local out = {}
  for _, code in ipairs(M.SECTOR_ORDER) do
    if names[code] then out[#out + 1] = {code = code, name = names[code]} end
  end
  return out
end

-- Year-on-year rows (yoy.row) for the city, each unit and each sector in period p.
function M.compare(p)
  local now, before = accidents.totals(p), accidents.totals(p:last_year())
  local t = {overall = yoy.row("all", "全市", now.total, before.total), units = {}, sectors = {}}
  local short = M.short_names()
  for _, u in ipairs(M.units()) do
    local r = yoy.row(u.code, u.name, accidents.get(now.unit, u.id), accidents.get(before.unit, u.id))
    r.id = u.id
    r.short = short[u.id] or u.name
    t.units[#t.units + 1] = r
  end
  for _, s in ipairs(M.sectors()) do
    local r = yoy.row(s.code, s.name, accidents.get(now.sector, s.code),
                      accidents.get(before.sector, s.code))
    r.short = M.SECTOR_SHORT[s.code] or s.name
    t.sectors[#t.sectors + 1] = r
  end
  return t
end

-- {accidents = N, deaths = N} of the whole city in period p.
function M.city(p)
  -- the total of accidents.totals without its per-unit and per-sector groups
  return sql.one([[SELECT count(*) AS accidents, coalesce(sum(]] .. F.DEATHS .. [[), 0) AS deaths
                   FROM accidents
                   WHERE occurred_at >= :first_day AND occurred_at < :day_after AND ]] .. F.COUNTED,
                 range(p))
end

-- Accidents of level 较大 and above in period p.
function M.serious(p)
  return sql.value([[SELECT count(*) FROM accidents
                     WHERE occurred_at >= :first_day AND occurred_at < :day_after
                       AND level IN ('较大', '重大', '特别重大') AND ]] .. F.COUNTED,
                   range(p))
end

-- Accidents and deaths per month (1..12) of year, counting only up to last_day.
function M.monthly(year, last_day)
  local acc, deaths = {}, {}
  local q = [[SELECT CAST(substr(occurred_at, 6, 2) AS INTEGER) AS month,
                     count(*) AS accidents, sum(]] .. F.DEATHS .. [[) AS deaths
              FROM accidents
              WHERE occurred_at >= :first_day AND occurred_at < :day_after AND ]]
            .. F.COUNTED .. " GROUP BY month"
  for row in sql.rows(q, range(period.between(date.ymd(year, 1, 1), last_day))) do
    acc[row.month], deaths[row.month] = row.accidents, row.deaths
  end
  local a, d = {}, {}
  for m = 1, 12 do
    local counted = m <= (last_day.year == year and last_day.month or 12)
    a[m] = counted and (acc[m] or 0) or false
    d[m] = counted and (deaths[m] or 0) or false
  end
  return a, d
end

-- The date span of each dataset the briefing reads: {accidents = {from=, to=, n=},
-- inspections = {...}} with ISO dates (nil from/to when the table is empty), and the
-- import log's files per dataset (for messages naming what was loaded).
function M.coverage()
  local c = {}
  for _, t in ipairs({{"accidents", "accidents", "occurred_at"}, {"inspections", "inspections", "inspected_on"}}) do
    -- three subqueries: min and max each read one end of the date index, where one
    -- query with all three aggregates scanned the table (3 ms against 0.1 ms for 24,000
    -- accidents); count(*) reads the smallest index
    local row = sql.query("SELECT substr((SELECT min(" .. t[3] .. ") FROM " .. t[2] .. "), 1, 10) AS first, " ..
                          "substr((SELECT max(" .. t[3] .. ") FROM " .. t[2] .. "), 1, 10) AS last, " ..
                          "(SELECT count(*) FROM " .. t[2] .. ") AS n")[1]
    local files = {}
    for r in sql.rows("SELECT file FROM imports WHERE dataset = ? ORDER BY id", t[1]) do
      files[#files + 1] = r.file:match("[^/]*$")
    end
    c[t[1]] = {from = row.first, to = row.last, n = row.n, files = files}
  end
  return c
end

-- Whether the span of one dataset (an entry of M.coverage) overlaps period p.
function M.covers(span, p)
  return span.n > 0 and span.from <= p.to:iso() and span.to >= p.from:iso()
end

-- Report status codes in the data -> the words of a briefing.
M.REPORT_WORDS = {late = "迟报", omitted = "漏报", ["false"] = "谎报", concealed = "瞒报"}
M.REPORT_ORDER = {"late", "omitted", "false", "concealed"}

local NOTABLE_COLUMNS = [[a.id, substr(a.occurred_at, 1, 10) AS day, a.unit_id, u.name AS unit,
  coalesce(s.name, a.sector) AS sector, a.sector AS sector_code, a.deaths, a.missing,
  a.deaths + a.missing AS dead, a.serious_injuries, a.injuries, a.direct_loss, a.level,
  a.report_status, a.summary]]

-- The notable accidents (事故情况) of the briefing: every counted accident of level 较大
-- and above in ytd, every counted accident with deaths (incl. missing) in month, and every
-- counted accident in ytd reported late, omitted, falsely or concealed. Highest level
-- first, then by date and id.
function M.notable(ytd, month)
  return sql.query([[SELECT ]] .. NOTABLE_COLUMNS .. [[,
      CASE a.level WHEN '特别重大' THEN 4 WHEN '重大' THEN 3 WHEN '较大' THEN 2 ELSE 1 END AS grade
    FROM accidents a JOIN units u ON u.id = a.unit_id LEFT JOIN sectors s ON s.code = a.sector
    WHERE a.occurred_at >= :first_day AND a.occurred_at < :day_after AND ]] ..
      F.COUNTED .. [[
      AND (a.level IN ('较大', '重大', '特别重大') OR a.report_status <> 'normal'
           OR (a.occurred_at >= :month_first AND a.deaths + a.missing > 0))
    ORDER BY grade DESC, a.occurred_at, a.id]],
    {first_day = ytd.from, day_after = ytd.to:add_days(1), month_first = month.from})
end

-- Counted accidents in period p by report status: {late = N, omitted = N, ...} (zeros
-- included) and the total not reported normally.
function M.reporting(p)
  local t = {total = 0}
  for _, k in ipairs(M.REPORT_ORDER) do t[k] = 0 end
  for row in sql.rows([[SELECT report_status AS status, count(*) AS n FROM accidents
                        WHERE occurred_at >= :first_day AND occurred_at < :day_after
                          AND report_status <> 'normal' AND ]] .. F.COUNTED ..
                      " GROUP BY report_status", range(p)) do
    t[row.status] = row.n
    t.total = t.total + row.n
  end
  return t
end

-- Targets of year: indicator -> {unit id -> value} for deaths_cap, accidents_cap and
-- inspections_plan.
function M.targets(year)
  local t = {deaths_cap = {}, accidents_cap = {}, inspections_plan = {}}
  for row in sql.rows([[SELECT unit_id, indicator, value FROM targets WHERE year = ?
                        AND indicator IN ('deaths_cap', 'accidents_cap', 'inspections_plan')]], year) do
    t[row.indicator][row.unit_id] = row.value
  end
  return t
end

-- Death caps of year: unit id -> cap.
function M.death_caps(year)
  local caps = {}
  for row in sql.rows("SELECT unit_id, value FROM targets WHERE year = ? AND indicator = 'deaths_cap'",
                      year) do
    caps[row.unit_id] = row.value
  end
  return caps
end

-- Enforcement per unit id in period p, and the city total.
function M.enforcement(p)
  local by, total = {}, {inspections = 0, found = 0, rectified = 0, major = 0, cases = 0, fine = 0,
                         suspended = 0}
  local q = [[SELECT unit_id, count(*) AS inspections, sum(hazards_found) AS found,
                     sum(hazards_rectified) AS rectified, sum(major_hazards) AS major,
                     sum(penalty_cases) AS cases, sum(fine) AS fine, sum(suspended) AS suspended
              FROM inspections WHERE inspected_on >= :first_day AND inspected_on < :day_after
              GROUP BY unit_id]]
  for row in sql.rows(q, range(p)) do
    by[row.unit_id] = row
    for k in pairs(total) do total[k] = total[k] + row[k] end
  end
  return by, total
end

-- Whether year has assessment data.
function M.has_assessments(year)
  return (sql.value("SELECT count(*) FROM assessments WHERE year = ?", year) or 0) > 0
end

-- Every import, oldest first.
function M.imports()
  return sql.query([[SELECT id, dataset, file, sha256, rows_new + rows_updated + rows_unchanged AS rows,
                            imported_at FROM imports ORDER BY id]])
end

return M
