-- briefing.lua — 安全生产形势月度通报: the monthly briefing as an A4 PDF (docs/charts.md describes its sections).
--
--   yingji run scripts/briefing.lua --as-of 2020-06-30 -o briefing-2020-06.pdf \
--       [--set city=云岚市] [--set issuer=云岚市应急管理局] [--set charts_dir=DIR] [--set max_units=30]
--       [--set scheme=scoring_2020]
--
-- The month is the month of --as-of; "year to date" runs from 1 January to --as-of, each
-- against the same dates last year (同比) and the month also against the month before
-- (环比). Every figure comes from scripts/lib/briefing_data.lua, so text, tiles, charts
-- and tables agree. With charts_dir set, each chart is also written there as PNG and SVG.
-- With more units than max_units, charts and tables show the top and bottom units and
-- the totals. The assessment progress is scored under the scheme given with --set scheme=
-- (a module name), else the year's scheme in scripts/lib/schemes.lua. The PDF's dates are
-- the cut-off, so the same data give the same bytes.
-- The headline figures are also published as the table "headline" (without -o, only that).
local chart = require "chart"
local data = require "briefing_data"
local periods = require "periods"
local yoy = require "yoy"
local F = require "facts"
local scoring = require "scoring"
local style = require "briefing_style"

local P = ctx.params
local as_of = ctx.as_of
local year = as_of.year
local city = P.city or "本市"
local issuer = P.issuer or (city .. "应急管理局")
local max_units = math.tointeger(P.max_units) or 30
local charts_dir = P.charts_dir
-- Below this many in last year's figure, a change is stated as a difference ("增加3起"),
-- not as a percentage (1 → 4 is "增加3起", not "上升300.0%").
local small_base = tonumber(P.small_base) or 5

-- Sorts rows by row[field] from high to low (missing values last), then by name.
local function sort_desc(rows, field)
  table.sort(rows, function(x, y)
    local vx, vy = x[field] or -1, y[field] or -1
    if vx ~= vy then return vx > vy end
    return x.name < y.name
  end)
end

local ytd = period.ytd(as_of)
local month = periods.choose("month", as_of)
-- At 31 December the briefing is the year's summary (全年).
local year_end = as_of.month == 12 and as_of.day == 31
local ytd_label = year_end and "全年" or ytd:label()      -- 1—6月
local month_label = string.format("%d月", as_of.month)
local period_text = year_end and string.format("%d年全年", year) or string.format("%d年%d月", year, as_of.month)
local title = string.format("%s安全生产形势通报（%s）", city, period_text)

-- "2020年6月30日", the one form of a date in the text.
local function cn_date(d)
  if type(d) == "string" then d = date.parse(d) end
  return string.format("%d年%d月%d日", d.year, d.month, d.day)
end

-- {==== coverage ==========================================================
-- A period the data do not cover is an error, not a page of zeros; a comparison year the
-- data do not cover is "无上年同期数据", not "去年同期未发生事故".

local cover = data.coverage()
do
  local acc, ins = cover.accidents, cover.inspections
  local function span_text(name, c)
    if c.n == 0 then return string.format("no %s have been imported", name) end
    return string.format("the %s imported (%s) run from %s to %s", name,
      #c.files > 0 and table.concat(c.files, ", ") or "no import recorded", c.from, c.to)
  end
  local reach = math.max(acc.n > 0 and date.days_between(month.from, date.parse(acc.to)) or -1e9,
                         ins.n > 0 and date.days_between(month.from, date.parse(ins.to)) or -1e9)
  if not data.covers(acc, ytd) and not data.covers(ins, ytd) then
    error(string.format("no data for %s..%s: %s; %s", ytd.from:iso(), ytd.to:iso(),
      span_text("accidents", acc), span_text("inspections", ins)), 0)
  end
  if reach < 0 then
    error(string.format("no data for the month %s..%s: %s; %s", month.from:iso(), month.to:iso(),
      span_text("accidents", acc), span_text("inspections", ins)), 0)
  end
end
local has_prev = data.covers(cover.accidents, ytd:last_year())           -- 同比 for accidents
local has_prev_month = data.covers(cover.accidents, month:previous())    -- 环比
local has_insp = data.covers(cover.inspections, ytd)
local has_insp_prev = data.covers(cover.inspections, ytd:last_year())
local NO_PREV = "无上年同期数据"
if not has_prev then
  print(string.format("briefing: no accident data for %s..%s; comparisons say %s",
    ytd:last_year().from:iso(), ytd:last_year().to:iso(), NO_PREV))
end

-- }====

-- {==== wording ============================================================

local function num(x)
  if math.type(x) == "float" and x == math.floor(x) then return string.format("%d", x) end
  return tostring(x)
end

-- The change from prev to cur, counted in unit u ("起", "人"), as
--   {words = "下降14.3%" / "增加3起" / "新增1起" / "持平" / "持平（均为0）" / NO_PREV,
--    short = the same for a table cell ("-14.3%", "增加3起", "均为0", "—"),
--    pct = the percentage or nil, trend = 1 / -1 / 0 (for a tile's colour)}.
-- Below a base of small_base the difference is stated, not a percentage; prev == nil
-- means there is no comparison (no data).
local function change(cur, prev, u)
  if prev == nil then return { words = NO_PREV, short = "—", trend = 0 } end
  local d = cur - prev
  local trend = d > 0 and 1 or (d < 0 and -1 or 0)
  if cur == 0 and prev == 0 then return { words = "持平（均为0）", short = "均为0", trend = 0 } end
  if d == 0 then return { words = "持平", short = "持平", pct = 0, trend = 0 } end
  if prev == 0 then
    local w = "新增" .. num(cur) .. u
    return { words = w, short = w, trend = 1 }
  end
  local pct = yoy.change_pct(cur, prev)
  if prev < small_base then
    local w = (d > 0 and "增加" or "减少") .. num(math.abs(d)) .. u
    return { words = w, short = w, pct = pct, trend = trend, diff = true }
  end
  return { words = string.format("%s%.1f%%", d < 0 and "下降" or "上升", math.abs(pct)),
           short = string.format("%+.1f%%", pct), pct = pct, trend = trend }
end

-- "同比分别下降A%、B%" / "同比分别下降A%、上升B%" / "同比分别增加1起、减少2人" / … ;
-- none_text when the baseline had no accidents at all.
local function pair_words(basis, ca, cd, prev_a, none_text)
  if ca.words == NO_PREV then return NO_PREV end
  if prev_a == 0 and ca.short == "均为0" and cd.short == "均为0" then return basis .. "持平（均为0）" end
  if prev_a == 0 then return none_text end
  local a, d = ca.words, cd.words
  if a == "持平" and d == "持平" then return basis .. "均持平" end
  if ca.pct and cd.pct and not ca.diff and not cd.diff and ca.pct ~= 0 and cd.pct ~= 0
     and (ca.pct < 0) == (cd.pct < 0) then
    d = string.format("%.1f%%", math.abs(cd.pct))
  end
  return basis .. "分别" .. a .. "、" .. d
end

-- A tile's comparison line from a change.
local function tile_change(basis, c)
  if c.pct and not c.diff then return { basis = basis, change = c.pct } end
  return { basis = basis, change_text = c.short == "—" and "—" or c.words, trend = c.trend }
end

-- "甲、乙、丙等5个单位" from a list of names.
local function name_list(names, what)
  if #names <= 4 then return table.concat(names, "、") end
  return table.concat(names, "、", 1, 4) .. string.format("等%d个%s", #names, what)
end

-- The first `most` items of list joined by sep, and "等N<what>" when there are more: a
-- province of 3,000 units must not turn a sentence into a page.
local LIST_MAX = 5
local function some(list, sep, what, most)
  most = most or LIST_MAX
  if #list <= most then return table.concat(list, sep) end
  return table.concat(list, sep, 1, most) .. string.format("等%d%s", #list, what)
end

-- }====

-- {==== figures =============================================================

local cmp = data.compare(ytd)
local overall = cmp.overall
local m_now, m_prev_year, m_prev = data.city(month), data.city(month:last_year()), data.city(month:previous())
local serious_now, serious_prev = data.serious(ytd), data.serious(ytd:last_year())
local double_ok = has_prev and overall.double_decline

-- 双下降 of a row: "是", "否", or "均为0" (no accident and no death in either year: not a
-- failure), or "—" without a comparison.
local function dd_status(r)
  if not has_prev then return "—" end
  if r.accidents == 0 and r.accidents_prev == 0 and r.deaths == 0 and r.deaths_prev == 0 then
    return "均为0"
  end
  return r.double_decline and "是" or "否"
end

local risen_units, risen_deaths, risen_sectors, dd_units, zero_units = {}, {}, {}, 0, 0
for _, r in ipairs(cmp.units) do
  if has_prev and r.accidents > r.accidents_prev then risen_units[#risen_units + 1] = r.name end
  if has_prev and r.deaths > r.deaths_prev then risen_deaths[#risen_deaths + 1] = r end
  local st = dd_status(r)
  if st == "是" then dd_units = dd_units + 1 elseif st == "均为0" then zero_units = zero_units + 1 end
end
-- the largest rises first, each with its figures
table.sort(risen_deaths, function(x, y)
  local dx, dy = x.deaths - x.deaths_prev, y.deaths - y.deaths_prev
  if dx ~= dy then return dx > dy end
  return x.key < y.key
end)
for i, r in ipairs(risen_deaths) do
  risen_deaths[i] = string.format("%s死亡%s人，同比%s", r.name, num(r.deaths), change(r.deaths, r.deaths_prev, "人").words)
end
for _, r in ipairs(cmp.sectors) do
  if has_prev and r.accidents > r.accidents_prev then risen_sectors[#risen_sectors + 1] = r.name end
end

-- The headline figures as a table too (`--format json` without -o prints just these).
local function pct_or_nil(cur, prev) return has_prev and yoy.change_pct(cur, prev) or nil end
local m_yoy_a, m_yoy_d = pct_or_nil(m_now.accidents, m_prev_year.accidents),
                         pct_or_nil(m_now.deaths, m_prev_year.deaths)
local m_mom_a, m_mom_d = yoy.change_pct(m_now.accidents, m_prev.accidents),
                         yoy.change_pct(m_now.deaths, m_prev.deaths)
local function prev_or_nil(x) return has_prev and x or nil end
publish("headline", { "item", "value", "last_year", "yoy_pct", "last_month", "mom_pct" }, {
  { item = "ytd_accidents", value = overall.accidents, last_year = prev_or_nil(overall.accidents_prev),
    yoy_pct = prev_or_nil(overall.accidents_change_pct) },
  { item = "ytd_deaths", value = overall.deaths, last_year = prev_or_nil(overall.deaths_prev),
    yoy_pct = prev_or_nil(overall.deaths_change_pct) },
  { item = "month_accidents", value = m_now.accidents, last_year = prev_or_nil(m_prev_year.accidents),
    yoy_pct = m_yoy_a, last_month = m_prev.accidents, mom_pct = m_mom_a },
  { item = "month_deaths", value = m_now.deaths, last_year = prev_or_nil(m_prev_year.deaths),
    yoy_pct = m_yoy_d, last_month = m_prev.deaths, mom_pct = m_mom_d },
  { item = "serious_accidents", value = serious_now, last_year = prev_or_nil(serious_prev),
    yoy_pct = pct_or_nil(serious_now, serious_prev) },
  { item = "double_decline", value = double_ok and 1 or 0 },
  { item = "units_double_decline", value = dd_units },
})

-- Control targets: each unit's deaths and accidents against its annual caps.
local targets = data.targets(year)
local elapsed = period.elapsed_share(as_of) * 100
local pace, pace_total = {}, { cap = 0, deaths = 0, acap = 0, accidents = 0, any_acap = false }
local function share_of(v, cap)
  if not cap then return nil end
  return cap > 0 and v / cap * 100 or (v > 0 and math.huge or 0)
end
-- "突破" (over the annual cap), "超进度" (ahead of the time line), else "正常" — at the
-- year's end "达标" (within the cap).
local function pace_one(v, cap)
  if not cap then return "正常" end
  if v > cap then return "突破" end
  local s = share_of(v, cap)
  if v > 0 and s > elapsed then return "超进度" end
  return "正常"
end
local function pace_status(deaths, cap, accidents, acap)
  local d, a = pace_one(deaths, cap), pace_one(accidents, acap)
  if d == "突破" or a == "突破" then return "突破", d, a end
  if year_end then return "达标", d, a end
  if d == "超进度" or a == "超进度" then return "超进度", d, a end
  return "正常", d, a
end
local STATUS_TEXT = { ["突破"] = "突破全年控制指标", ["超进度"] = "超进度", ["正常"] = "正常", ["达标"] = "控制在指标内" }
for _, r in ipairs(cmp.units) do
  local cap, acap = targets.deaths_cap[r.id], targets.accidents_cap[r.id]
  if cap or acap then
    local p = { name = r.name, short = r.short, cap = cap, deaths = r.deaths, share = share_of(r.deaths, cap),
                acap = acap, accidents = r.accidents, ashare = share_of(r.accidents, acap) }
    p.status, p.d_status, p.a_status = pace_status(r.deaths, cap, r.accidents, acap)
    pace[#pace + 1] = p
    if cap then pace_total.cap, pace_total.deaths = pace_total.cap + cap, pace_total.deaths + r.deaths end
    if acap then
      pace_total.acap, pace_total.accidents = pace_total.acap + acap, pace_total.accidents + r.accidents
      pace_total.any_acap = true
    end
  end
end
sort_desc(pace, "share")
local broken, ahead = {}, {}
for _, p in ipairs(pace) do
  if p.status == "突破" then
    local parts = {}
    if p.cap and p.deaths > p.cap then parts[#parts + 1] = string.format("死亡%s人、控制指标%s人", num(p.deaths), num(p.cap)) end
    if p.acap and p.accidents > p.acap then parts[#parts + 1] = string.format("事故%s起、控制指标%s起", num(p.accidents), num(p.acap)) end
    broken[#broken + 1] = p.name .. "（" .. table.concat(parts, "，") .. "）"
  elseif p.status == "超进度" then ahead[#ahead + 1] = p.name end
end

-- }====

-- {==== the document =======================================================

local doc = chart.document{ title = title, subject = "安全生产形势月度通报", author = issuer,
                            date = as_of:iso() }
local n_chart = 0

-- Adds a chart to the document and, with charts_dir, writes it as PNG and SVG too.
local function add_chart(name, spec)
  doc:chart(spec)
  if charts_dir then
    n_chart = n_chart + 1
    local base = string.format("%s/%02d-%s", charts_dir, n_chart, name)
    chart.save(spec, base .. ".png")   -- yingji run creates charts_dir when missing
    chart.save(spec, base .. ".svg")
  end
end

-- The rows to show when there are many: the first `top` and last `bottom` of rows
-- (already sorted), with a note saying how many were left out.
local function top_bottom(rows, top, bottom)
  if #rows <= top + bottom then return rows, nil end
  local out = {}
  for i = 1, top do out[#out + 1] = rows[i] end
  for i = #rows - bottom + 1, #rows do out[#out + 1] = rows[i] end
  return out, string.format("共%d个单位，列出前%d位和后%d位。", #rows, top, bottom)
end

-- {==== knowledge dates (issue 13) =========================================
-- The header states both dates: 数据截至 (as_of) and 统计于, the day the data were known
-- (ctx.known_on under --known-on, else the latest knowledge date in the data: the last
-- received date of an import or reported_at of an accident; the same data give the
-- same bytes). What became known after as_of and changes the
-- figures (accidents since 1 January last year: records first known later, and
-- corrections received later) is listed in a note, so a re-issued briefing says why it
-- differs from the one sent; run --known-on as_of, there is none.
local has_received = sql.value("SELECT count(*) FROM pragma_table_info('imports') WHERE name = 'received'") > 0
local known_iso = ctx.known_on and ctx.known_on:iso()
  or has_received and sql.value([[SELECT max(k) FROM (SELECT max(received) AS k FROM imports
                 WHERE received <> '' UNION ALL SELECT max(date(reported_at)) FROM accidents)]])
  or nil
-- two lines, right-aligned under each other
local cutoff_text = cn_date(as_of) .. (known_iso and ("；\n统计于" .. cn_date(known_iso)) or "")

local function later_known()
  local from, to = string.format("%d-01-01", year - 1), as_of:iso()
  local STATUS = { late = "迟报", omitted = "漏报", ["false"] = "谎报", concealed = "瞒报" }
  local FIELDS = { { "deaths", "死亡人数" }, { "missing", "失踪人数" }, { "serious_injuries", "重伤人数" },
                   { "level", "事故等级" }, { "sector", "行业领域" }, { "unit_id", "属地" },
                   { "occurred_at", "发生时间" }, { "production", "生产经营性" }, { "written_off", "核销" } }
  local function month_of(occurred)
    local y, m = occurred:match("^(%d+)-(%d+)")
    y, m = tonumber(y), tonumber(m)
    return y == year and string.format("%d月", m) or string.format("%d年%d月", y, m)
  end
  local items = {}
  -- records first known after as_of: the first version's reported_at, else its import's received date
  for r in sql.rows([[
      WITH f AS (SELECT a.id, a.occurred_at, a.report_status,
          (SELECT old_values FROM revisions v WHERE v.dataset = 'accidents' AND v.record_key = a.id
            ORDER BY v.id LIMIT 1) AS v0,
          (SELECT old_batch FROM revisions v WHERE v.dataset = 'accidents' AND v.record_key = a.id
            ORDER BY v.id LIMIT 1) AS b0, a.reported_at, a.batch
        FROM accidents a WHERE date(a.occurred_at) BETWEEN ?1 AND ?2)
      SELECT id, occurred_at, report_status, k FROM (SELECT id, occurred_at, report_status,
          coalesce(date(CASE WHEN v0 IS NULL THEN reported_at ELSE json_extract(v0, '$.reported_at') END),
                   (SELECT received FROM imports WHERE id = coalesce(b0, batch))) AS k FROM f)
      WHERE k > ?2 ORDER BY k, id]], from, to) do
    items[#items + 1] = { k = r.k, text = string.format("%s%s事故%s于%s查实补录", month_of(r.occurred_at),
      STATUS[r.report_status] or "", r.id, cn_date(r.k)) }
  end
  -- corrections received after as_of: each version against the next (or the record now)
  local cols = {}
  for i, f in ipairs(FIELDS) do cols[i] = string.format("'%s', a.%s", f[1], f[1]) end
  for r in sql.rows(string.format([[
      SELECT r.record_key AS id, i.received, r.old_values AS old,
        coalesce((SELECT n.old_values FROM revisions n WHERE n.dataset = r.dataset
                    AND n.record_key = r.record_key AND n.id > r.id ORDER BY n.id LIMIT 1),
                 json_object(%s)) AS new
      FROM revisions r JOIN imports i ON i.id = r.new_batch JOIN accidents a ON a.id = r.record_key
      WHERE r.dataset = 'accidents' AND i.received > ?2 AND date(a.occurred_at) BETWEEN ?1 AND ?2
      ORDER BY i.received, r.id]], table.concat(cols, ", ")), from, to) do
    for _, f in ipairs(FIELDS) do
      local o = sql.value("SELECT json_extract(?, '$.' || ?)", r.old, f[1])
      local n = sql.value("SELECT json_extract(?, '$.' || ?)", r.new, f[1])
      if o ~= n and f[1] == "unit_id" then
        o = sql.value("SELECT name FROM units WHERE id = ?", o) or o
        n = sql.value("SELECT name FROM units WHERE id = ?", n) or n
      end
      if o ~= n then
        items[#items + 1] = { k = r.received, text = string.format("%s%s于%s由%s更正为%s", r.id, f[2],
          cn_date(r.received), tostring(o), tostring(n)) }
      end
    end
  end
  return items
end

local later = has_received and later_known() or {}

doc:title_block{ city = city, title = "安全生产形势通报", period = period_text,
                 issuer = issuer, cutoff = cutoff_text }
if #later > 0 then
  local shown = {}
  for i = 1, math.min(#later, 8) do shown[i] = later[i].text end
  doc:paragraph("注：" .. table.concat(shown, "；") ..
    (#later > 8 and string.format("；等%d项", #later) or "") .. "。", { style = "note" })
end
-- }====

-- Sections are numbered in order: 一、二、…
local CN_NUM = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二" }
local n_section, n_table = 0, 0
local function section(text)
  n_section = n_section + 1
  doc:section(CN_NUM[n_section] .. "、" .. text)
end
local function caption(text)
  n_table = n_table + 1
  return string.format("表%d  %s", n_table, text)
end
local DEATHS = "死亡（含失踪）"

-- 总体情况 ---------------------------------------------------------------------
section("总体情况")
local c_ytd_a = change(overall.accidents, has_prev and overall.accidents_prev or nil, "起")
local c_ytd_d = change(overall.deaths, has_prev and overall.deaths_prev or nil, "人")
local c_m_a = change(m_now.accidents, has_prev and m_prev_year.accidents or nil, "起")
local c_m_d = change(m_now.deaths, has_prev and m_prev_year.deaths or nil, "人")
local c_mom_a = change(m_now.accidents, has_prev_month and m_prev.accidents or nil, "起")
local c_mom_d = change(m_now.deaths, has_prev_month and m_prev.deaths or nil, "人")
local c_serious = change(serious_now, has_prev and serious_prev or nil, "起")
local n_units = #cmp.units
local tiles = {
  { label = ytd_label .. "事故起数", value = overall.accidents, unit = "起", changes = { tile_change("同比", c_ytd_a) } },
  { label = ytd_label .. DEATHS, value = overall.deaths, unit = "人", changes = { tile_change("同比", c_ytd_d) } },
}
if not year_end then
  tiles[#tiles + 1] = { label = month_label .. "事故起数", value = m_now.accidents, unit = "起",
    changes = { tile_change("同比", c_m_a), tile_change("环比", c_mom_a) } }
  tiles[#tiles + 1] = { label = month_label .. DEATHS, value = m_now.deaths, unit = "人",
    changes = { tile_change("同比", c_m_d), tile_change("环比", c_mom_d) } }
end
tiles[#tiles + 1] = { label = "较大及以上事故", value = serious_now, unit = "起", changes = { tile_change("同比", c_serious) } }
tiles[#tiles + 1] = { label = "“双下降”", value = not has_prev and "—" or (double_ok and "实现" or "未实现"),
  note = has_prev and string.format("%d个单位（共%d个）实现“双下降”", dd_units, n_units) or NO_PREV }
doc:tiles(tiles, { per_row = 3 })

local text = string.format("%s，全市共发生生产安全事故%s起、%s%s人，%s。",
  ytd_label, num(overall.accidents), DEATHS, num(overall.deaths),
  pair_words("同比", c_ytd_a, c_ytd_d, overall.accidents_prev, "去年同期未发生事故"))
if not year_end then
  text = text .. string.format("其中，%s发生事故%s起、死亡%s人，%s；%s。",
    month_label, num(m_now.accidents), num(m_now.deaths),
    pair_words("同比", c_m_a, c_m_d, m_prev_year.accidents, "去年同月未发生事故"),
    has_prev_month and pair_words("环比", c_mom_a, c_mom_d, m_prev.accidents, "上月未发生事故")
                   or "无上月数据")
end
if serious_now > 0 then
  text = text .. string.format("发生较大及以上事故%s起。", num(serious_now))
else
  text = text .. "未发生较大及以上事故。"
end
if has_prev then
  if #risen_units > 0 then
    text = text .. "从地区看，" .. name_list(risen_units, "单位") .. "事故起数同比上升"
  else
    text = text .. "从地区看，各单位事故起数均未同比上升"
  end
  if #risen_deaths > 0 then
    text = text .. "；" .. some(risen_deaths, "，", "个单位死亡人数同比上升") .. "。"
  else
    text = text .. "，各单位死亡人数均未同比上升。"
  end
  if #risen_sectors > 0 then
    text = text .. "从行业看，" .. name_list(risen_sectors, "行业领域") .. "事故起数同比上升。"
  else
    text = text .. "从行业看，各行业领域事故起数均未同比上升。"
  end
  text = text .. (double_ok and "全市实现事故起数、死亡人数“双下降”，" or "全市未实现事故起数、死亡人数“双下降”，")
  text = text .. string.format("%d个单位（共%d个）实现“双下降”", dd_units, n_units)
  text = text .. (zero_units > 0 and string.format("，%d个单位两年同期均未发生事故。", zero_units) or "。")
end
if #broken > 0 then
  text = text .. some(broken, "、", "个单位") .. "，已突破全年控制指标。"
end
if #ahead > 0 then
  text = text .. name_list(ahead, "单位") .. "控制指标使用进度超过时间进度（超进度）。"
end
doc:paragraph(text)

-- 重点事故情况 -------------------------------------------------------------------
section("重点事故及事故报告情况")
local notable = data.notable(ytd, month)
local function md(day) local d = date.parse(day); return string.format("%d月%d日", d.month, d.day) end
local function one_line(summary)
  summary = (summary or ""):match("^[^\r\n]*") or ""
  return (summary:gsub("[；;，,。]+$", ""))
end
local level_accidents, month_deaths = {}, { n = 0, dead = 0 }
for _, a in ipairs(notable) do
  if a.level ~= "一般" then
    local d = date.parse(a.day)
    level_accidents[#level_accidents + 1] = string.format("%d·%d%s%s%s事故（%s%s人）", d.month, d.day,
      a.unit, a.sector, a.level, "死亡", num(a.dead))
  end
  if a.day >= month.from:iso() and a.dead > 0 then
    month_deaths.n, month_deaths.dead = month_deaths.n + 1, month_deaths.dead + a.dead
  end
end
local t_notable = string.format("%s，全市%s", ytd_label,
  #level_accidents > 0 and string.format("发生较大及以上事故%d起：%s。", #level_accidents, some(level_accidents, "；", "起"))
                        or "未发生较大及以上事故。")
if not year_end then
  t_notable = t_notable .. (month_deaths.n > 0
    and string.format("%s发生亡人事故%d起、%s%s人。", month_label, month_deaths.n, DEATHS, num(month_deaths.dead))
    or string.format("%s未发生亡人事故。", month_label))
end
doc:paragraph(t_notable)
publish("notable", { "id", "day", "unit", "sector", "deaths", "direct_loss", "level", "report_status" },
  (function()
    local out = {}
    for i, a in ipairs(notable) do
      out[i] = { id = a.id, day = a.day, unit = a.unit, sector = a.sector_code, deaths = a.dead,
                 direct_loss = F.round(a.direct_loss, 2), level = a.level, report_status = a.report_status }
    end
    return out
  end)())
if #notable > 0 then
  local n_rows = {}
  local shown_n = #notable > max_units and max_units or #notable
  for i = 1, shown_n do
    local a = notable[i]
    n_rows[i] = { md(a.day), a.unit, a.sector, one_line(a.summary), num(a.dead),
                  string.format("%.1f", a.direct_loss), a.level,
                  data.REPORT_WORDS[a.report_status] or "按时" }
  end
  doc:table{ caption = caption(ytd_label .. "较大及以上、" .. month_label .. "亡人及迟报漏报瞒报事故"),
    columns = { "日期", "单位", "行业领域", "事故概况", DEATHS .. "（人）", "直接经济损失（万元）", "等级", "报告" },
    widths = { 0.95, 1.25, 1.0, 2.9, 0.95, 1.0, 0.55, 0.55 },
    align = { "left", "left", "left", "left", "right", "right", "center", "center" },
    rows = n_rows }
  if shown_n < #notable then
    doc:paragraph(string.format("注：共%d起，列出最严重的%d起。", #notable, shown_n), { style = "note" })
  end
end

-- Reporting discipline (迟报、漏报、谎报、瞒报).
local rep_now = data.reporting(ytd)
local rep_prev = has_prev and data.reporting(ytd:last_year()) or nil
local rep_units, rep_seen = {}, {}
for _, a in ipairs(notable) do
  if a.report_status ~= "normal" then
    local k = a.report_status
    rep_units[k], rep_seen[k] = rep_units[k] or {}, rep_seen[k] or {}
    if not rep_seen[k][a.unit] then
      rep_seen[k][a.unit] = true
      rep_units[k][#rep_units[k] + 1] = a.unit
    end
  end
end
local parts, r_rows = {}, {}
for _, k in ipairs(data.REPORT_ORDER) do
  local w = data.REPORT_WORDS[k]
  if rep_now[k] > 0 then
    parts[#parts + 1] = string.format("%s%d起（%s）", w, rep_now[k], some(rep_units[k] or {}, "、", "个单位"))
  end
  r_rows[#r_rows + 1] = { w, rep_now[k], rep_prev and rep_prev[k] or "—",
                          rep_prev and change(rep_now[k], rep_prev[k], "起").short or "—",
                          some(rep_units[k] or {}, "、", "个单位") }
end
r_rows[#r_rows + 1] = { "合计", rep_now.total, rep_prev and rep_prev.total or "—",
                        rep_prev and change(rep_now.total, rep_prev.total, "起").short or "—", "" }
do
  local out = {}
  for _, k in ipairs(data.REPORT_ORDER) do
    out[#out + 1] = { status = k, count = rep_now[k], last_year = rep_prev and rep_prev[k] or nil }
  end
  publish("reporting", { "status", "count", "last_year" }, out)
end
doc:paragraph(string.format("%s，全市%s%s", ytd_label,
  rep_now.total > 0 and string.format("发现事故信息报告不及时、不如实问题%d起，其中%s。", rep_now.total, table.concat(parts, "，"))
                    or "未发现迟报、漏报、谎报、瞒报事故。",
  rep_prev and string.format("去年同期%d起。", rep_prev.total) or (NO_PREV .. "。")))
doc:table{ caption = caption(ytd_label .. "事故信息报告情况"),
  columns = { "报告情况", "起数", "去年同期", "同比", "涉及单位" },
  widths = { 1, 0.8, 0.9, 1, 3.5 }, align = { "left", "right", "right", "right", "left" },
  rows = r_rows, bold_rows = { #r_rows } }

-- 月度趋势 ---------------------------------------------------------------------
section("月度趋势")
local a_now, d_now = data.monthly(year, as_of)
local trend_series = { { name = year .. "年事故起数", values = a_now } }
if has_prev then
  local a_prev, d_prev = data.monthly(year - 1, date.ymd(year - 1, 12, 31))
  trend_series = { { name = year .. "年事故起数", values = a_now },
                   { name = (year - 1) .. "年事故起数", values = a_prev },
                   { name = year .. "年" .. DEATHS, values = d_now, line = true },
                   { name = (year - 1) .. "年" .. DEATHS, values = d_prev, line = true } }
else
  trend_series[2] = { name = year .. "年" .. DEATHS, values = d_now, line = true }
end
local months = {}
for m = 1, 12 do months[m] = m .. "月" end
add_chart("trend", { kind = "combo", title = has_prev
    and string.format("%d年与%d年各月事故起数、死亡（含失踪）人数", year, year - 1)
    or string.format("%d年各月事故起数、死亡（含失踪）人数（%s）", year, NO_PREV),
  categories = months, series = trend_series,
  y_label = "事故（起）", y2_label = "死亡（人）", height_mm = 78 })

-- 分地区情况 -------------------------------------------------------------------
section("分地区情况")
local by_unit = {}
for i, r in ipairs(cmp.units) do by_unit[i] = r end
table.sort(by_unit, function(x, y)
  if x.accidents ~= y.accidents then return x.accidents > y.accidents end
  if x.deaths ~= y.deaths then return x.deaths > y.deaths end
  return x.key < y.key
end)
local shown, left_out = top_bottom(by_unit, max_units - 10, 10)
local cats, now_v, prev_v, now_d, prev_d, marks = {}, {}, {}, {}, {}, {}
for i, r in ipairs(shown) do
  cats[i], now_v[i], prev_v[i] = r.short, r.accidents, r.accidents_prev
  now_d[i], prev_d[i] = r.deaths, r.deaths_prev
  marks[i] = dd_status(r) == "是" and "双降" or false
end
local function pair_series(now, prev)
  local s = { { name = year .. "年", values = now } }
  if has_prev then s[2] = { name = (year - 1) .. "年同期", values = prev } end
  return s
end
if #cmp.units == 0 then
  doc:paragraph("暂无乡镇、街道、开发区数据。", { style = "note" })
else
  add_chart("units", { kind = "grouped", title = ytd_label .. "各单位事故起数（标注“双降”者实现双下降）",
    categories = cats, series = pair_series(now_v, prev_v),
    marks = marks, y_label = "单位：起", values_on_bars = true, height_mm = 80,
    note = left_out })
  add_chart("unit-deaths", { kind = "grouped", title = ytd_label .. "各单位死亡（含失踪）人数",
    categories = cats, series = pair_series(now_d, prev_d),
    marks = marks, y_label = "单位：人", values_on_bars = true, height_mm = 72,
    note = left_out })
  local rows, hl = {}, {}
  local function prev_cell(x) return has_prev and x or "—" end
  -- rises and a failed 双下降 are set in red
  local function add_row(name, r)
    local ca = change(r.accidents, has_prev and r.accidents_prev or nil, "起")
    local cd = change(r.deaths, has_prev and r.deaths_prev or nil, "人")
    local st = dd_status(r)
    rows[#rows + 1] = { name, r.accidents, prev_cell(r.accidents_prev), ca.short,
                        r.deaths, prev_cell(r.deaths_prev), cd.short, st }
    if ca.trend > 0 then hl[#hl + 1] = { #rows, 4 } end
    if cd.trend > 0 then hl[#hl + 1] = { #rows, 7 } end
    if st == "否" then hl[#hl + 1] = { #rows, 8 } end
  end
  for _, r in ipairs(shown) do add_row(r.name, r) end
  add_row("全市", overall)
  local pub = {}
  for i, r in ipairs(by_unit) do
    pub[i] = { unit = r.name, accidents = r.accidents, accidents_prev = has_prev and r.accidents_prev or nil,
               accidents_change = change(r.accidents, has_prev and r.accidents_prev or nil, "起").short,
               deaths = r.deaths, deaths_prev = has_prev and r.deaths_prev or nil,
               deaths_change = change(r.deaths, has_prev and r.deaths_prev or nil, "人").short,
               double_decline = dd_status(r) }
  end
  publish("units", { "unit", "accidents", "accidents_prev", "accidents_change", "deaths", "deaths_prev",
                     "deaths_change", "double_decline" }, pub)
  doc:table{ caption = caption(ytd_label .. "各单位事故情况"),
    columns = { "单位", "事故起数", "去年同期", "同比", DEATHS, "去年同期", "同比", "双下降" },
    widths = { 2.4, 0.9, 0.9, 1.2, 1.1, 0.9, 1.2, 0.9 },
    align = { "left", "right", "right", "right", "right", "right", "right", "center" },
    rows = rows, bold_rows = { #rows }, highlight = hl }
  doc:paragraph("注：“死亡（含失踪）”含失踪人数；去年同期不足" .. num(small_base) ..
    "起（人）的，同比以增减数表示；“均为0”指两年同期均未发生事故。" ..
    (left_out and (left_out .. "“全市”含市直部门。") or ""), { style = "note" })
end

-- 分行业情况 -------------------------------------------------------------------
section("分行业情况")
local s_cats, s_now, s_prev, s_rows = {}, {}, {}, {}
local s_tot, s_hl = { a = 0, ap = 0, d = 0, dp = 0 }, {}
for i, r in ipairs(cmp.sectors) do
  s_cats[i], s_now[i], s_prev[i] = r.short, r.accidents, r.accidents_prev
  local ca = change(r.accidents, has_prev and r.accidents_prev or nil, "起")
  local cd = change(r.deaths, has_prev and r.deaths_prev or nil, "人")
  s_rows[i] = { r.name, r.accidents, has_prev and r.accidents_prev or "—", ca.short,
                r.deaths, has_prev and r.deaths_prev or "—", cd.short }
  if ca.trend > 0 then s_hl[#s_hl + 1] = { i, 4 } end
  if cd.trend > 0 then s_hl[#s_hl + 1] = { i, 7 } end
  s_tot.a, s_tot.ap, s_tot.d, s_tot.dp = s_tot.a + r.accidents, s_tot.ap + r.accidents_prev,
                                         s_tot.d + r.deaths, s_tot.dp + r.deaths_prev
end
s_rows[#s_rows + 1] = { "合计", s_tot.a, has_prev and s_tot.ap or "—",
  change(s_tot.a, has_prev and s_tot.ap or nil, "起").short, s_tot.d, has_prev and s_tot.dp or "—",
  change(s_tot.d, has_prev and s_tot.dp or nil, "人").short }
add_chart("sectors", { kind = "grouped", title = ytd_label .. "各行业领域事故起数",
  categories = s_cats, series = pair_series(s_now, s_prev),
  y_label = "单位：起", values_on_bars = true, height_mm = 72 })
doc:table{ caption = caption(ytd_label .. "各行业领域事故情况"),
  columns = { "行业领域", "事故起数", "去年同期", "同比", DEATHS, "去年同期", "同比" },
  widths = { 2.0, 1, 1, 1.2, 1.1, 1, 1.2 },
  align = { "left", "right", "right", "right", "right", "right", "right" }, rows = s_rows,
  bold_rows = { #s_rows }, highlight = s_hl }

-- 控制指标 -------------------------------------------------------------------
section(year_end and "控制指标完成情况" or "控制指标进度")
local PACE_COLORS = style.PACE_COLORS
if #pace == 0 then
  doc:paragraph(string.format("%d年未下达控制指标。", year), { style = "note" })
else
  local t_pace
  if year_end then
    t_pace = string.format("%d年，", year) .. (#broken > 0
      and (some(broken, "、", "个单位") .. "突破全年控制指标；其余单位控制在指标内。")
      or "各单位事故起数、死亡人数均控制在全年控制指标内。")
  else
    t_pace = string.format("截至%d月%d日，时间进度为%.1f%%。", as_of.month, as_of.day, elapsed)
    if #broken > 0 then t_pace = t_pace .. some(broken, "、", "个单位") .. "，已突破全年控制指标。" end
    t_pace = t_pace .. (#ahead > 0 and (name_list(ahead, "单位") .. "控制指标使用进度超过时间进度（超进度）。")
                                  or (#broken > 0 and "" or "各单位控制指标使用进度均未超过时间进度。"))
  end
  t_pace = t_pace .. string.format("全市死亡（含失踪）%s人，占各单位全年控制指标合计%s人的%.1f%%",
    num(pace_total.deaths), num(pace_total.cap), pace_total.cap > 0 and pace_total.deaths / pace_total.cap * 100 or 0)
  if pace_total.any_acap then
    t_pace = t_pace .. string.format("；事故%s起，占事故起数控制指标合计%s起的%.1f%%",
      num(pace_total.accidents), num(pace_total.acap), pace_total.acap > 0 and pace_total.accidents / pace_total.acap * 100 or 0)
  end
  doc:paragraph(t_pace .. "。")
  local shown_pace, pace_note = top_bottom(pace, max_units - 10, 10)
  local p_cats, p_vals, p_marks, p_cols, p_rows = {}, {}, {}, {}, {}
  local function share_text(s) return s == nil and "—" or (s == math.huge and "—" or string.format("%.1f%%", s)) end
  local p_hl = {}
  for i, p in ipairs(shown_pace) do
    if p.status == "突破" or p.status == "超进度" then p_hl[#p_hl + 1] = { i, 8 } end
    p_cats[i] = p.short
    p_vals[i] = p.share and p.share ~= math.huge and F.round(p.share, 1) or false
    -- the chart shows deaths; a status that comes from the accident cap says so
    p_marks[i] = (p.d_status == "突破" and "突破指标") or (p.a_status == "突破" and "事故起数突破指标")
      or (not year_end and ((p.d_status == "超进度" and "超进度") or (p.a_status == "超进度" and "事故起数超进度")))
      or false
    p_cols[i] = PACE_COLORS[p.status]
    p_rows[i] = { p.name, p.cap and num(p.cap) or "—", p.deaths, share_text(p.share),
                  p.acap and num(p.acap) or "—", p.accidents, share_text(p.ashare), STATUS_TEXT[p.status] }
  end
  p_rows[#p_rows + 1] = { "全市", num(pace_total.cap), pace_total.deaths,
    share_text(share_of(pace_total.deaths, pace_total.cap)),
    pace_total.any_acap and num(pace_total.acap) or "—", pace_total.any_acap and pace_total.accidents or "—",
    pace_total.any_acap and share_text(share_of(pace_total.accidents, pace_total.acap)) or "—", "" }
  local pub = {}
  for i, p in ipairs(pace) do
    pub[i] = { unit = p.name, deaths_cap = p.cap, deaths = p.deaths, accidents_cap = p.acap,
               accidents = p.accidents, status = STATUS_TEXT[p.status] }
  end
  pub[#pub + 1] = { unit = "全市", deaths_cap = pace_total.cap, deaths = pace_total.deaths,
                    accidents_cap = pace_total.any_acap and pace_total.acap or nil,
                    accidents = pace_total.accidents }
  publish("pace", { "unit", "deaths_cap", "deaths", "accidents_cap", "accidents", "status" }, pub)
  local legend = { { name = year_end and "控制在指标内" or "正常", color = PACE_COLORS["正常"] } }
  if not year_end then legend[#legend + 1] = { name = "超进度", color = PACE_COLORS["超进度"] } end
  legend[#legend + 1] = { name = "突破全年控制指标", color = PACE_COLORS["突破"] }
  add_chart("pace", { kind = "hbar", title = "死亡（含失踪）人数控制指标使用进度（%）",
    categories = p_cats, series = { { name = "使用进度", values = p_vals } }, colors = p_cols,
    legend = legend, marks = p_marks, mark_color = "#C00000", values_on_bars = true, decimals = 1,
    ref_value = not year_end and elapsed or nil,
    ref_label = not year_end and string.format("时间进度 %.1f%%", elapsed) or nil, note = pace_note,
    height_mm = math.min(48 + 7 * #p_cats, 150) })
  doc:table{ caption = caption(year_end and "控制指标完成情况" or "控制指标进度"),
    columns = { "单位", "死亡控制指标（人）", DEATHS .. "（人）", "使用进度",
                "事故控制指标（起）", "事故起数", "使用进度", "状态" },
    widths = { 1.9, 1.05, 1.05, 0.9, 1.05, 0.8, 0.9, 1.75 },
    align = { "left", "right", "right", "right", "right", "right", "right", "center" },
    rows = p_rows, bold_rows = { #p_rows }, highlight = p_hl }
  doc:paragraph("注：使用进度为已发生数占全年控制指标的比例；“超进度”指使用进度超过时间进度，" ..
    "“突破全年控制指标”指已超过全年控制指标。“全市”为各单位合计。", { style = "note" })
end
-- 执法检查 ---------------------------------------------------------------------
section("执法检查")
local function rate(found, rectified)
  if found == 0 then return nil end
  return rectified / found * 100
end
local function rate_text(r) return r and string.format("%.1f%%", r) or "—" end
if not has_insp then
  print(string.format("briefing: warning: no inspection data for %s..%s; section 执法检查 is left out",
                      ytd.from:iso(), ytd.to:iso()))
  doc:paragraph(string.format("%s无执法检查数据，本节从略。", ytd_label), { style = "note" })
else
local enf, enf_total = data.enforcement(ytd)
local enf_prev_total = has_insp_prev and select(2, data.enforcement(ytd:last_year())) or nil
local plans = targets.inspections_plan
local e_rows, ranking = {}, {}
local e_units = {}
for _, r in ipairs(cmp.units) do
  local e = enf[r.id] or { inspections = 0, found = 0, rectified = 0, major = 0, cases = 0, fine = 0, suspended = 0 }
  e_units[#e_units + 1] = { name = r.name, short = r.short, e = e, rate = rate(e.found, e.rectified), plan = plans[r.id] }
end
sort_desc(e_units, "rate")
local plan_total, any_plan = 0, false
for _, u in ipairs(e_units) do if u.plan then plan_total, any_plan = plan_total + u.plan, true end end
local function plan_text(done, plan)
  if not plan or plan <= 0 then return "—" end
  return string.format("%.1f%%", done / plan * 100)
end
local shown_e, e_note = top_bottom(e_units, max_units - 10, 10)
for _, u in ipairs(shown_e) do
  local e = u.e
  e_rows[#e_rows + 1] = { u.name, e.inspections, plan_text(e.inspections, u.plan), e.found, e.rectified,
                          rate_text(u.rate), e.major, e.cases, e.suspended, string.format("%.2f", e.fine / 10000) }
  if u.rate then ranking[#ranking + 1] = u end
end
local t_rate = rate(enf_total.found, enf_total.rectified)
local t_enf = string.format("%s，全市共开展执法检查%s家次", ytd_label, num(enf_total.inspections))
if any_plan then
  t_enf = t_enf .. string.format("，完成年度检查计划（%s家次）的%s", num(plan_total),
    plan_text(enf_total.inspections, plan_total)) .. (year_end and "" or string.format("（时间进度%.1f%%）", elapsed))
end
t_enf = t_enf .. string.format("；发现隐患%s项、已整改%s项，整改率%s；发现重大隐患%s项；立案处罚%s起，" ..
  "责令停产停业%s家次，罚款%.2f万元。", num(enf_total.found), num(enf_total.rectified), rate_text(t_rate),
  num(enf_total.major), num(enf_total.cases), num(enf_total.suspended), enf_total.fine / 10000)
if enf_prev_total then
  t_enf = t_enf .. string.format("与去年同期相比，检查家次%s，发现隐患%s，罚款%s。",
    change(enf_total.inspections, enf_prev_total.inspections, "家次").words,
    change(enf_total.found, enf_prev_total.found, "项").words,
    change(F.round(enf_total.fine / 10000, 2), F.round(enf_prev_total.fine / 10000, 2), "万元").words)
else
  t_enf = t_enf .. "执法检查" .. NO_PREV .. "。"
end
doc:paragraph(t_enf)
publish("enforcement", { "item", "value", "last_year" }, {
  { item = "inspections", value = enf_total.inspections, last_year = enf_prev_total and enf_prev_total.inspections },
  { item = "plan", value = any_plan and plan_total or nil },
  { item = "hazards_found", value = enf_total.found, last_year = enf_prev_total and enf_prev_total.found },
  { item = "hazards_rectified", value = enf_total.rectified, last_year = enf_prev_total and enf_prev_total.rectified },
  { item = "suspended", value = enf_total.suspended, last_year = enf_prev_total and enf_prev_total.suspended },
  { item = "fine", value = enf_total.fine, last_year = enf_prev_total and enf_prev_total.fine },
})
if #ranking > 0 then
  local r_cats, r_vals, lowest = {}, {}, 100
  for i, u in ipairs(ranking) do
    r_cats[i], r_vals[i] = u.short, F.round(u.rate, 1)
    lowest = math.min(lowest, u.rate)
  end
  -- The axis starts below the lowest rate (in steps of 10), so that 84.3 and 99.6 look apart.
  local from = math.max(0, math.floor((lowest - 5) / 10) * 10)
  add_chart("rectification", { kind = "hbar",
    title = string.format("%s各单位隐患整改率排名（%%）", ytd_label), categories = r_cats,
    series = { { name = "整改率", values = r_vals } }, values_on_bars = true, decimals = 1,
    axis_from = from > 0 and from or nil,
    ref_value = t_rate and F.round(t_rate, 1) or nil,
    ref_label = t_rate and string.format("全市平均 %.1f%%", t_rate) or nil,
    note = (e_note and (e_note .. " ") or "") .. (from > 0 and string.format("横轴自%d%%起。", from) or ""),
    height_mm = math.min(48 + 7 * #r_cats, 150) })
end
e_rows[#e_rows + 1] = { "全市", enf_total.inspections, plan_text(enf_total.inspections, any_plan and plan_total or nil),
                        enf_total.found, enf_total.rectified, rate_text(t_rate), enf_total.major, enf_total.cases,
                        enf_total.suspended, string.format("%.2f", enf_total.fine / 10000) }
doc:table{ caption = caption(ytd_label .. "各单位执法检查情况"),
  columns = { "单位", "检查（家次）", "计划完成率", "发现隐患", "已整改", "整改率", "重大隐患", "立案",
              "停产停业", "罚款（万元）" },
  widths = { 1.9, 1.05, 1.05, 0.9, 0.9, 0.9, 0.9, 0.65, 0.9, 1.1 },
  align = { "left", "right", "right", "right", "right", "right", "right", "right", "right", "right" },
  rows = e_rows, bold_rows = { #e_rows } }
end

-- 考核 -------------------------------------------------------------------------
section(year_end and "年度考核结果" or "考核进展")
local scheme_name = P.scheme ~= nil and tostring(P.scheme) or require("schemes")[year]
local has_assessments = data.has_assessments(year)
local ok_scheme, scored = false, nil
if has_assessments and scheme_name then
  ok_scheme, scored = pcall(function() return scoring.evaluate(require(scheme_name), year) end)
end
local GRADE_COLORS = style.GRADE_COLORS
if has_assessments and ok_scheme then
  local sheets = {}
  for i, s in ipairs(scored.sheets) do sheets[i] = s end
  table.sort(sheets, function(x, y) return x.rank < y.rank or (x.rank == y.rank and x.unit < y.unit) end)
  local short_of = {}
  for _, r in ipairs(cmp.units) do short_of[r.key] = r.short end
  local g_cats, g_vals, g_cols, g_rows, g_hatch, g_marks, over100 = {}, {}, {}, {}, {}, {}, false
  local grades_seen = {}
  for i, s in ipairs(sheets) do
    g_cats[i], g_vals[i] = short_of[s.unit] or s.name, s.score
    g_cols[i] = GRADE_COLORS[s.grade] or "#808080"
    g_hatch[i] = s.vetoed or false
    g_marks[i] = s.vetoed and "一票否决" or (s.score > 100 and "含加分" or false)
    if s.score > 100 then over100 = true end
    grades_seen[s.grade] = true
    g_rows[i] = { s.rank, s.name, string.format("%.2f", s.score), s.grade,
                  s.vetoed and ("一票否决：" .. s.veto_reason) or (s.score > 100 and "含加分" or "") }
  end
  local legend = {}
  for _, g in ipairs(style.GRADES) do
    if grades_seen[g] then legend[#legend + 1] = { name = g, color = GRADE_COLORS[g] } end
  end
  for _, s in ipairs(sheets) do
    if s.vetoed then legend[#legend + 1] = { name = "一票否决（斜线）", color = GRADE_COLORS[s.grade] or "#808080", hatched = true }; break end
  end
  local what = year_end and "年度考核结果" or "年度考核当前得分"
  add_chart("assessment", { kind = "hbar", title = year .. what .. "（按等次着色）",
    categories = g_cats, series = { { name = "得分", values = g_vals } }, colors = g_cols,
    hatched = g_hatch, legend = legend, marks = g_marks, mark_color = "#C00000",
    note = over100 and "注：得分超过100分者含加分。" or nil,
    values_on_bars = true, decimals = 2, height_mm = math.min(48 + 7 * #g_cats, 150) })
  doc:table{ caption = caption(year_end and "年度考核结果" or "考核当前排名"),
    columns = { "排名", "单位", "得分", "等次", "说明" },
    widths = { 0.7, 2.4, 1, 1, 2.8 }, align = { "center", "left", "right", "center", "left" },
    rows = g_rows }
elseif has_assessments then
  if scheme_name then
    print(string.format("briefing: warning: the %d scheme '%s' cannot be used: %s", year, scheme_name, tostring(scored)))
    doc:paragraph(string.format("%d年考核办法（%s）无法使用，本节从略。", year, scheme_name), { style = "note" })
  else
    print(string.format("briefing: warning: no scoring scheme for %d (scripts/lib/schemes.lua, or --set scheme=NAME)", year))
    doc:paragraph(string.format("%d年考核办法未配置，本节从略。", year), { style = "note" })
  end
else
  doc:paragraph(string.format("%d年度暂无考核数据。", year), { style = "note" })
end

-- 下一步工作 (optional) and the 落款 ------------------------------------------------
if P.next_steps ~= nil and tostring(P.next_steps) ~= "" then
  section("下一步工作")
  for para in (tostring(P.next_steps) .. "\n"):gmatch("([^\n|]*)[\n|]") do
    if para:match("%S") then doc:paragraph(para) end
  end
end
doc:paragraph(issuer, { style = "signature" })
doc:paragraph(cn_date(as_of), { style = "signature" })

-- 附：数据来源 ---------------------------------------------------------------------
doc:page_break()
doc:section("附：数据来源")
local DATASET_NAMES = { units = "单位名录", accidents = "生产安全事故", inspections = "执法检查",
                        targets = "控制指标", assessments = "考核数据", tasks = "重点工作任务" }
local i_rows = {}
for i, imp in ipairs(data.imports()) do
  i_rows[i] = { imp.id, DATASET_NAMES[imp.dataset] or imp.dataset, imp.file:match("[^/]*$"),
                imp.sha256:sub(1, 12), imp.rows }
end
doc:table{ caption = caption("导入数据批次"), columns = { "批次", "数据类别", "文件", "校验值（SHA-256前12位）", "行数" },
  widths = { 0.55, 1.2, 2.85, 2.2, 0.6 },
  align = { "center", "left", "left", "left", "right" }, rows = i_rows }
doc:paragraph(string.format("生成脚本：scripts/briefing.lua%s；引擎：yingji%s；数据截至%s。",
  ctx.script_sha256 and ("（SHA-256前12位：" .. ctx.script_sha256:sub(1, 12) .. "）") or "",
  ctx.version and (" " .. ctx.version) or "", cn_date(as_of)), { style = "note" })

-- }====

if ctx.output then
  doc:save(ctx.output)
else   -- without -o: only the headline table, and a word on stderr about where the PDF went
  print(string.format("briefing.lua: no PDF written (no -o given); add -o FILE.pdf, e.g. "
    .. "yingji run scripts/briefing.lua --as-of %04d-%02d-%02d -o briefing-%04d-%02d.pdf",
    as_of.year, as_of.month, as_of.day, as_of.year, as_of.month))
end
