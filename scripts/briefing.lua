-- briefing.lua — 安全生产形势月度通报: the monthly briefing as an A4 PDF (shared/spec/briefing.md).
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

local P = ctx.params
local as_of = ctx.as_of
local year = as_of.year
local city = P.city or "本市"
local issuer = P.issuer or (city .. "应急管理局")
local max_units = math.tointeger(P.max_units) or 30
local charts_dir = P.charts_dir

local ytd = period.ytd(as_of)
local month = periods.choose("month", as_of)
local ytd_label = ytd:label()                       -- 1—6月
local month_label = string.format("%d月", as_of.month)
local title = string.format("%s安全生产形势通报（%d年%d月）", city, year, as_of.month)

-- {==== wording ============================================================

local function num(x)
  if math.type(x) == "float" and x == math.floor(x) then return string.format("%d", x) end
  return tostring(x)
end

-- A change for tables: "+8.3%", "-14.3%", "持平", or "—" without a baseline.
local function pct_text(p)
  if p == nil then return "—" end
  if p == 0 then return "持平" end
  return string.format("%+.1f%%", p)
end

-- A change for sentences: "下降14.3%", "上升8.3%", "持平", "去年同期为零".
local function pct_words(p, zero_text)
  if p == nil then return zero_text or "去年同期为零" end
  if p == 0 then return "持平" end
  return string.format("%s%.1f%%", p < 0 and "下降" or "上升", math.abs(p))
end

-- "同比分别下降A%、B%" / "同比分别下降A%、上升B%" / … ; none_text when the baseline
-- had no accidents at all (then neither change has a baseline).
local function pair_words(basis, pa, pd, none_text)
  if pa == nil and pd == nil then return none_text end
  local a, d = pct_words(pa), pct_words(pd)
  if pa and pd and pa ~= 0 and pd ~= 0 and (pa < 0) == (pd < 0) then
    d = string.format("%.1f%%", math.abs(pd))
  end
  return basis .. "分别" .. a .. "、" .. d
end

-- "甲、乙、丙等5个单位" from a list of names.
local function name_list(names, what)
  if #names <= 4 then return table.concat(names, "、") end
  return table.concat(names, "、", 1, 4) .. string.format("等%d个%s", #names, what)
end

-- }====

-- {==== figures =============================================================

local cmp = data.compare(ytd)
local overall = cmp.overall
local m_now, m_prev_year, m_prev = data.city(month), data.city(month:last_year()), data.city(month:previous())
local serious_now, serious_prev = data.serious(ytd), data.serious(ytd:last_year())
local double_ok = overall.double_decline

local risen_units, risen_sectors, dd_units = {}, {}, 0
for _, r in ipairs(cmp.units) do
  if r.accidents > r.accidents_prev then risen_units[#risen_units + 1] = r.name end
  if r.double_decline then dd_units = dd_units + 1 end
end
for _, r in ipairs(cmp.sectors) do
  if r.accidents > r.accidents_prev then risen_sectors[#risen_sectors + 1] = r.name end
end

-- The headline figures as a table too (`--format json` without -o prints just these).
local m_yoy_a, m_yoy_d = yoy.change_pct(m_now.accidents, m_prev_year.accidents),
                         yoy.change_pct(m_now.deaths, m_prev_year.deaths)
local m_mom_a, m_mom_d = yoy.change_pct(m_now.accidents, m_prev.accidents),
                         yoy.change_pct(m_now.deaths, m_prev.deaths)
publish("headline", { "item", "value", "last_year", "yoy_pct", "last_month", "mom_pct" }, {
  { item = "ytd_accidents", value = overall.accidents, last_year = overall.accidents_prev,
    yoy_pct = overall.accidents_change_pct },
  { item = "ytd_deaths", value = overall.deaths, last_year = overall.deaths_prev,
    yoy_pct = overall.deaths_change_pct },
  { item = "month_accidents", value = m_now.accidents, last_year = m_prev_year.accidents,
    yoy_pct = m_yoy_a, last_month = m_prev.accidents, mom_pct = m_mom_a },
  { item = "month_deaths", value = m_now.deaths, last_year = m_prev_year.deaths,
    yoy_pct = m_yoy_d, last_month = m_prev.deaths, mom_pct = m_mom_d },
  { item = "serious_accidents", value = serious_now, last_year = serious_prev,
    yoy_pct = yoy.change_pct(serious_now, serious_prev) },
  { item = "double_decline", value = double_ok and 1 or 0 },
  { item = "units_double_decline", value = dd_units },
})

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
    chart.save(spec, base .. ".png")
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

doc:title_block{ city = city, title = "安全生产形势通报", period = string.format("%d年%d月", year, as_of.month),
                 issuer = issuer, cutoff = as_of:iso() }

-- 一、总体情况 ---------------------------------------------------------------
doc:section("一、总体情况")
doc:tiles({
  { label = ytd_label .. "事故起数", value = overall.accidents, unit = "起",
    basis = "同比", change = overall.accidents_change_pct },
  { label = ytd_label .. "死亡人数", value = overall.deaths, unit = "人",
    basis = "同比", change = overall.deaths_change_pct },
  { label = month_label .. "事故起数", value = m_now.accidents, unit = "起",
    changes = { { basis = "同比", change = m_yoy_a }, { basis = "环比", change = m_mom_a } } },
  { label = month_label .. "死亡人数", value = m_now.deaths, unit = "人",
    changes = { { basis = "同比", change = m_yoy_d }, { basis = "环比", change = m_mom_d } } },
  { label = "较大及以上事故", value = serious_now, unit = "起",
    basis = "同比", change = yoy.change_pct(serious_now, serious_prev) },
  { label = "“双下降”", value = double_ok and "实现" or "未实现",
    note = string.format("%d个单位实现“双下降”", dd_units) },
}, { per_row = 3 })

local text = string.format("%s，全市共发生生产安全事故%s起、死亡%s人，%s。",
  ytd_label, num(overall.accidents), num(overall.deaths),
  pair_words("同比", overall.accidents_change_pct, overall.deaths_change_pct, "去年同期未发生事故"))
text = text .. string.format("其中，%s发生事故%s起、死亡%s人，%s；%s。",
  month_label, num(m_now.accidents), num(m_now.deaths),
  pair_words("同比", m_yoy_a, m_yoy_d, "去年同月未发生事故"),
  pair_words("环比", m_mom_a, m_mom_d, "上月未发生事故"))
if serious_now > 0 then
  text = text .. string.format("发生较大及以上事故%s起。", num(serious_now))
else
  text = text .. "未发生较大及以上事故。"
end
if #risen_units > 0 then
  text = text .. "从地区看，" .. name_list(risen_units, "单位") .. "事故起数同比上升；"
else
  text = text .. "从地区看，各单位事故起数均未同比上升；"
end
if #risen_sectors > 0 then
  text = text .. "从行业看，" .. name_list(risen_sectors, "行业领域") .. "事故起数同比上升。"
else
  text = text .. "从行业看，各行业领域事故起数均未同比上升。"
end
text = text .. (double_ok and "全市实现事故起数、死亡人数“双下降”。" or "全市未实现事故起数、死亡人数“双下降”。")
doc:paragraph(text)

-- 二、月度趋势 ---------------------------------------------------------------
doc:section("二、月度趋势")
local a_now, d_now = data.monthly(year, as_of)
local a_prev, d_prev = data.monthly(year - 1, date.ymd(year - 1, 12, 31))
local months = {}
for m = 1, 12 do months[m] = m .. "月" end
add_chart("trend", { kind = "combo", title = string.format("%d年与%d年各月事故起数、死亡人数", year, year - 1),
  categories = months,
  series = { { name = year .. "年事故起数", values = a_now },
             { name = (year - 1) .. "年事故起数", values = a_prev },
             { name = year .. "年死亡人数", values = d_now, line = true },
             { name = (year - 1) .. "年死亡人数", values = d_prev, line = true } },
  y_label = "事故（起）", y2_label = "死亡（人）", height_mm = 78 })

-- 三、分地区情况 -------------------------------------------------------------
doc:section("三、分地区情况")
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
  cats[i], now_v[i], prev_v[i] = r.name, r.accidents, r.accidents_prev
  now_d[i], prev_d[i] = r.deaths, r.deaths_prev
  marks[i] = r.double_decline and "双降" or false
end
if #cmp.units == 0 then
  doc:paragraph("暂无乡镇、街道、开发区数据。", { style = "note" })
else
  add_chart("units", { kind = "grouped", title = ytd_label .. "各单位事故起数（标注“双降”者实现双下降）",
    categories = cats, series = { { name = year .. "年", values = now_v },
                                  { name = (year - 1) .. "年同期", values = prev_v } },
    marks = marks, y_label = "单位：起", values_on_bars = true, height_mm = 80,
    note = left_out })
  add_chart("unit-deaths", { kind = "grouped", title = ytd_label .. "各单位死亡人数",
    categories = cats, series = { { name = year .. "年", values = now_d },
                                  { name = (year - 1) .. "年同期", values = prev_d } },
    marks = marks, y_label = "单位：人", values_on_bars = true, height_mm = 72,
    note = left_out })
  local rows = {}
  for i, r in ipairs(shown) do
    rows[i] = { r.name, r.accidents, r.accidents_prev, pct_text(r.accidents_change_pct),
                r.deaths, r.deaths_prev, pct_text(r.deaths_change_pct), r.double_decline and "是" or "否" }
  end
  rows[#rows + 1] = { "全市", overall.accidents, overall.accidents_prev, pct_text(overall.accidents_change_pct),
                      overall.deaths, overall.deaths_prev, pct_text(overall.deaths_change_pct),
                      overall.double_decline and "是" or "否" }
  doc:table{ caption = "表1  " .. ytd_label .. "各单位事故情况",
    columns = { "单位", "事故起数", "去年同期", "同比", "死亡人数", "去年同期", "同比", "双下降" },
    widths = { 2.6, 1, 1, 1.1, 1, 1, 1.1, 0.9 },
    align = { "left", "right", "right", "right", "right", "right", "right", "center" },
    rows = rows, bold_rows = { #rows } }
  if left_out then doc:paragraph("注：" .. left_out .. "“全市”含市直部门。", { style = "note" }) end
end

-- 四、分行业情况 -------------------------------------------------------------
doc:section("四、分行业情况")
local s_cats, s_now, s_prev, s_rows = {}, {}, {}, {}
for i, r in ipairs(cmp.sectors) do
  s_cats[i], s_now[i], s_prev[i] = r.name, r.accidents, r.accidents_prev
  s_rows[i] = { r.name, r.accidents, r.accidents_prev, pct_text(r.accidents_change_pct),
                r.deaths, r.deaths_prev, pct_text(r.deaths_change_pct) }
end
add_chart("sectors", { kind = "grouped", title = ytd_label .. "各行业领域事故起数",
  categories = s_cats, series = { { name = year .. "年", values = s_now },
                                  { name = (year - 1) .. "年同期", values = s_prev } },
  y_label = "单位：起", values_on_bars = true, height_mm = 72 })
doc:table{ caption = "表2  " .. ytd_label .. "各行业领域事故情况",
  columns = { "行业领域", "事故起数", "去年同期", "同比", "死亡人数", "去年同期", "同比" },
  widths = { 2.2, 1, 1, 1.1, 1, 1, 1.1 },
  align = { "left", "right", "right", "right", "right", "right", "right" }, rows = s_rows }

-- 五、控制指标进度 ------------------------------------------------------------
doc:section("五、控制指标进度")
local caps = data.death_caps(year)
local elapsed = period.elapsed_share(as_of) * 100
local pace = {}
for _, r in ipairs(cmp.units) do
  local cap = caps[r.id]
  if cap then
    local share = cap > 0 and r.deaths / cap * 100 or (r.deaths > 0 and math.huge or 0)
    pace[#pace + 1] = { name = r.name, cap = cap, deaths = r.deaths, share = share,
                        ahead = r.deaths > 0 and share > elapsed }
  end
end
table.sort(pace, function(x, y)
  if x.share ~= y.share then return x.share > y.share end
  return x.name < y.name
end)
if #pace == 0 then
  doc:paragraph(string.format("%d年未下达死亡人数控制指标。", year), { style = "note" })
else
  local ahead = {}
  for _, p in ipairs(pace) do if p.ahead then ahead[#ahead + 1] = p.name end end
  doc:paragraph(string.format("截至%d月%d日，时间进度为%.1f%%。%s", as_of.month, as_of.day, elapsed,
    #ahead > 0 and (name_list(ahead, "单位") .. "死亡人数控制指标使用进度超过时间进度（超进度）。")
               or "各单位死亡人数控制指标使用进度均未超过时间进度。"))
  local shown_pace, pace_note = top_bottom(pace, max_units - 10, 10)
  local p_cats, p_vals, p_marks, p_rows = {}, {}, {}, {}
  for i, p in ipairs(shown_pace) do
    p_cats[i] = p.name
    p_vals[i] = p.share ~= math.huge and F.round(p.share, 1) or false
    p_marks[i] = p.ahead and "超进度" or false
    p_rows[i] = { p.name, num(p.cap), p.deaths,
                  p.share == math.huge and "—" or string.format("%.1f%%", p.share),
                  p.ahead and "超进度" or "正常" }
  end
  add_chart("pace", { kind = "hbar", title = "死亡人数控制指标使用进度（%）",
    categories = p_cats, series = { { name = "使用进度", values = p_vals } },
    marks = p_marks, mark_color = "#C00000", values_on_bars = true, decimals = 1,
    ref_value = elapsed, ref_label = string.format("时间进度 %.1f%%", elapsed), note = pace_note,
    height_mm = math.min(40 + 7 * #p_cats, 150) })
  doc:table{ caption = "表3  死亡人数控制指标进度",
    columns = { "单位", "全年控制指标（人）", "已死亡（人）", "使用进度", "状态" },
    widths = { 2.4, 1.4, 1.2, 1.1, 1 }, align = { "left", "right", "right", "right", "center" },
    rows = p_rows }
end

-- 六、执法检查 ---------------------------------------------------------------
doc:section("六、执法检查")
local enf, enf_total = data.enforcement(ytd)
local e_rows, ranking = {}, {}
local function rate(found, rectified)
  if found == 0 then return nil end
  return rectified / found * 100
end
local function rate_text(r) return r and string.format("%.1f%%", r) or "—" end
local e_units = {}
for _, r in ipairs(cmp.units) do
  local e = enf[r.id] or { inspections = 0, found = 0, rectified = 0, major = 0, cases = 0, fine = 0 }
  e_units[#e_units + 1] = { name = r.name, e = e, rate = rate(e.found, e.rectified) }
end
table.sort(e_units, function(x, y)
  local rx, ry = x.rate or -1, y.rate or -1
  if rx ~= ry then return rx > ry end
  return x.name < y.name
end)
local shown_e, e_note = top_bottom(e_units, max_units - 10, 10)
for _, u in ipairs(shown_e) do
  local e = u.e
  e_rows[#e_rows + 1] = { u.name, e.inspections, e.found, e.rectified, rate_text(u.rate), e.major,
                          e.cases, string.format("%.2f", e.fine / 10000) }
  if u.rate then ranking[#ranking + 1] = u end
end
local t_rate = rate(enf_total.found, enf_total.rectified)
doc:paragraph(string.format("%s，全市共开展执法检查%s家次，发现隐患%s项、已整改%s项，整改率%s；" ..
  "发现重大隐患%s项；立案处罚%s起，罚款%.2f万元。", ytd_label, num(enf_total.inspections),
  num(enf_total.found), num(enf_total.rectified), rate_text(t_rate), num(enf_total.major),
  num(enf_total.cases), enf_total.fine / 10000))
if #ranking > 0 then
  local r_cats, r_vals = {}, {}
  for i, u in ipairs(ranking) do
    r_cats[i], r_vals[i] = u.name, F.round(u.rate, 1)
  end
  add_chart("rectification", { kind = "hbar", title = "隐患整改率排名（%）", categories = r_cats,
    series = { { name = "整改率", values = r_vals } }, values_on_bars = true, decimals = 1,
    note = e_note, height_mm = math.min(40 + 7 * #r_cats, 150) })
end
e_rows[#e_rows + 1] = { "全市", enf_total.inspections, enf_total.found, enf_total.rectified,
                        rate_text(t_rate), enf_total.major, enf_total.cases,
                        string.format("%.2f", enf_total.fine / 10000) }
doc:table{ caption = "表4  " .. ytd_label .. "各单位执法检查情况",
  columns = { "单位", "检查（家次）", "发现隐患", "已整改", "整改率", "重大隐患", "立案", "罚款（万元）" },
  widths = { 1.9, 1.3, 1, 1, 1, 1, 0.75, 1.4 },
  align = { "left", "right", "right", "right", "right", "right", "right", "right" },
  rows = e_rows, bold_rows = { #e_rows } }

-- 七、考核进展 ---------------------------------------------------------------
doc:section("七、考核进展")
local scheme_name = P.scheme ~= nil and tostring(P.scheme) or require("schemes")[year]
local function evaluate_scheme()
  if not scheme_name then error("scripts/lib/schemes.lua names no scheme for " .. year, 0) end
  return scoring.evaluate(require(scheme_name), year)
end
local has_assessments = data.has_assessments(year)
local ok_scheme, scored = false, nil
if has_assessments then ok_scheme, scored = pcall(evaluate_scheme) end
if has_assessments and ok_scheme then
  local sheets = {}
  for i, s in ipairs(scored.sheets) do sheets[i] = s end
  table.sort(sheets, function(x, y) return x.rank < y.rank or (x.rank == y.rank and x.unit < y.unit) end)
  local grade_colors = { ["优秀"] = "#1F4E79", ["良好"] = "#5B87B5", ["合格"] = "#A6A6A6", ["不合格"] = "#C00000" }
  local g_cats, g_vals, g_cols, g_rows = {}, {}, {}, {}
  for i, s in ipairs(sheets) do
    g_cats[i], g_vals[i] = s.name, s.score
    g_cols[i] = grade_colors[s.grade] or "#808080"
    g_rows[i] = { s.rank, s.name, string.format("%.2f", s.score), s.grade,
                  s.vetoed and ("一票否决：" .. s.veto_reason) or "" }
  end
  add_chart("assessment", { kind = "hbar", title = year .. "年度考核当前得分（按等次着色）",
    categories = g_cats, series = { { name = "得分", values = g_vals } }, colors = g_cols,
    values_on_bars = true, decimals = 2, height_mm = math.min(40 + 7 * #g_cats, 150) })
  doc:table{ caption = "表5  考核当前排名", columns = { "排名", "单位", "得分", "等次", "说明" },
    widths = { 0.7, 2.4, 1, 1, 2.8 }, align = { "center", "left", "right", "center", "left" },
    rows = g_rows }
elseif has_assessments then
  doc:paragraph(string.format("%d年度已有考核数据，但没有可用的考核方案（%s）：%s",
                              year, scheme_name or "未指定", tostring(scored)), { style = "note" })
else
  doc:paragraph(string.format("%d年度暂无考核数据。", year), { style = "note" })
end

-- 八、数据来源 ---------------------------------------------------------------
doc:section("八、数据来源")
local i_rows = {}
for i, imp in ipairs(data.imports()) do
  i_rows[i] = { imp.id, imp.dataset, imp.file:match("[^/]*$"), imp.sha256, imp.rows }
end
doc:table{ columns = { "批次", "数据集", "文件", "SHA-256", "行数" }, widths = { 0.55, 1.2, 2.55, 3.2, 0.5 },
  align = { "center", "left", "left", "left", "right" }, rows = i_rows }
doc:paragraph(string.format("生成脚本：scripts/briefing.lua%s；引擎：yingji%s；数据截至%s。",
  ctx.script_sha256 and ("（SHA-256：" .. ctx.script_sha256 .. "）") or "",
  ctx.version and (" " .. ctx.version) or "", as_of:iso()), { style = "note" })

-- }====

if ctx.output then doc:save(ctx.output) end   -- without -o: only the headline table
