-- briefing_charts.lua — the engine's side of bench_briefing.sh's "chart drawing alone" row:
-- exactly what bench/briefing_matplotlib.py does (the same queries, the same five charts —
-- monthly trend, units, sectors, control-target pace, rectification ranking — with the
-- same top/bottom selection of units, one chart per A4 page), with the chart module
-- instead of matplotlib, so the pair compares chart drawing, not the briefing's scoring
-- and tables.
--   yingji --db DB run bench/briefing_charts.lua --as-of 2020-06-30 -o OUT.pdf
local chart = require "chart"

local as_of = ctx.as_of
local year = as_of.year
local first, as_of_iso = string.format("%d-01-01", year), as_of:iso()
local prev_first = string.format("%d-01-01", year - 1)
local prev_last = string.format("%d%s", year - 1, as_of_iso:sub(5))
local COUNTED = "production = 1 AND written_off = 0"
local PAGE = { height_mm = 230 }

local function totals(from, last, by)
  local t = {}
  for r in sql.rows("SELECT " .. by .. " AS k, count(*) AS n, sum(deaths + missing) AS d FROM accidents "
      .. "WHERE occurred_at >= ? AND occurred_at < date(?, '+1 day') AND " .. COUNTED .. " GROUP BY k",
      from, last) do
    t[r.k] = { r.n, r.d }
  end
  return t
end
local ZERO = { 0, 0 }

local function top_bottom(rows)
  if #rows <= 30 then return rows end
  local out = {}
  for i = 1, 20 do out[#out + 1] = rows[i] end
  for i = #rows - 9, #rows do out[#out + 1] = rows[i] end
  return out
end

local units = sql.query("SELECT id, code, name FROM units WHERE kind IN ('township','street','zone') ORDER BY code")
local now_u, prev_u = totals(first, as_of_iso, "unit_id"), totals(prev_first, prev_last, "unit_id")
local now_s, prev_s = totals(first, as_of_iso, "sector"), totals(prev_first, prev_last, "sector")

local doc = chart.document{ title = "charts", date = as_of_iso }
local pages = 0
local function page(spec)   -- one chart per page, like the baseline's savefig per figure
  if pages > 0 then doc:page_break() end
  pages = pages + 1
  spec.height_mm = PAGE.height_mm
  doc:chart(spec)
end

-- monthly trend: bars and lines on two axes
local q = "SELECT CAST(substr(occurred_at, 6, 2) AS INTEGER) AS m, count(*) AS n, sum(deaths + missing) AS d "
  .. "FROM accidents WHERE occurred_at >= ? AND occurred_at < date(?, '+1 day') AND " .. COUNTED .. " GROUP BY 1"
local cur, prv = {}, {}
for r in sql.rows(q, first, as_of_iso) do cur[r.m] = { r.n, r.d } end
for r in sql.rows(q, prev_first, string.format("%d-12-31", year - 1)) do prv[r.m] = { r.n, r.d } end
local months, s = {}, { {}, {}, {}, {} }
for m = 1, 12 do
  months[m] = m .. "月"
  s[1][m], s[2][m] = (cur[m] or ZERO)[1], (prv[m] or ZERO)[1]
  s[3][m], s[4][m] = (cur[m] or ZERO)[2], (prv[m] or ZERO)[2]
end
page{ kind = "combo", title = "各月事故起数、死亡人数", categories = months,
  series = { { name = year .. "年事故起数", values = s[1] }, { name = (year - 1) .. "年事故起数", values = s[2] },
             { name = year .. "年死亡人数", values = s[3], line = true },
             { name = (year - 1) .. "年死亡人数", values = s[4], line = true } } }

-- units: grouped bars of the top and bottom units
local rows = {}
for i, u in ipairs(units) do
  rows[i] = { now = now_u[u.id] or ZERO, prev = prev_u[u.id] or ZERO, code = u.code, name = u.name }
end
table.sort(rows, function(x, y)
  if x.now[1] ~= y.now[1] then return x.now[1] > y.now[1] end
  if x.now[2] ~= y.now[2] then return x.now[2] > y.now[2] end
  return x.code < y.code
end)
rows = top_bottom(rows)
local cats, a, b = {}, {}, {}
for i, r in ipairs(rows) do cats[i], a[i], b[i] = r.name, r.now[1], r.prev[1] end
page{ kind = "grouped", title = "各单位事故起数", categories = cats,
  series = { { name = tostring(year), values = a }, { name = (year - 1) .. "年同期", values = b } } }

-- sectors
cats, a, b = {}, {}, {}
for i, r in ipairs(sql.query("SELECT code, name FROM sectors")) do
  cats[i], a[i], b[i] = r.name, (now_s[r.code] or ZERO)[1], (prev_s[r.code] or ZERO)[1]
end
page{ kind = "grouped", title = "各行业领域事故起数", categories = cats,
  series = { { name = tostring(year), values = a }, { name = tostring(year - 1), values = b } } }

local function ranking(list, title)
  table.sort(list, function(x, y) if x[1] ~= y[1] then return x[1] > y[1] end return x[2] > y[2] end)
  list = top_bottom(list)
  local c, v = {}, {}
  for i, r in ipairs(list) do c[i], v[i] = r[2], r[1] end
  page{ kind = "hbar", title = title, categories = c,
    series = { { name = title, values = v } } }
  end

-- control-target pace
local caps = {}
for r in sql.rows("SELECT unit_id, value FROM targets WHERE year = ? AND indicator = 'deaths_cap'", year) do
  caps[r.unit_id] = r.value
end
local pace = {}
for _, u in ipairs(units) do
  local cap = caps[u.id]
  if cap then pace[#pace + 1] = { cap ~= 0 and (now_u[u.id] or ZERO)[2] / cap * 100 or 0, u.name } end
end
ranking(pace, "死亡人数控制指标使用进度（%）")

-- rectification ranking
local names = {}
for _, u in ipairs(units) do names[u.id] = u.name end
local rates = {}
for r in sql.rows("SELECT unit_id, sum(hazards_found) AS f, sum(hazards_rectified) AS r FROM inspections "
    .. "WHERE inspected_on >= ? AND inspected_on < date(?, '+1 day') GROUP BY unit_id", first, as_of_iso) do
  if r.f and r.f ~= 0 and names[r.unit_id] then rates[#rates + 1] = { r.r / r.f * 100, names[r.unit_id] } end
end
ranking(rates, "隐患整改率排名（%）")

doc:save(ctx.output)
