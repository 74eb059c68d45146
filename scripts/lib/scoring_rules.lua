-- scoring_rules.lua — the kinds of rule a scoring table is made of, as item constructors.
--
-- Each constructor takes the row of the office's table — { "B1", "执法计划完成率",
-- max = 15, ... } — and returns an item for scoring.category{}: { id, title, max, rule }
-- where rule(u, it) reads the unit's facts (scoring_data.lua) and calls it:deduct /
-- it:award / it:note / it:problem (scoring.lua). Reasons are in Chinese, for the unit.
local S = require "scoring"
local C = require "scoring_check"
local data = require "scoring_data"

local R = {}
local num, pct = S.num, S.pct

-- Options every item takes besides its own: max (points), floor (the item never goes
-- below it, default 0), scope = "category" (deductions come off the category; max 0).
local COMMON = {
  max = { type = "number", min = 0 },
  floor = { type = "number", min = 0 },
  scope = { type = "string", one_of = { "category" } },
}

-- Defines the item constructor R[name]: ctor{ ID, TITLE, option = ..., ... } checks the
-- options against COMMON + `schema` where the scheme writes them (scoring_check.lua),
-- then build(spec, at) checks what the schema cannot and returns the rule function
-- (u, it). The item keeps its constructor and spec, so scoring.extend can rebuild it
-- with changed options (ctor(spec, at) with an explicit place for the errors), and the
-- names of the target and indicator it needs, checked against the year's data.
local function define(name, schema, build, opts)
  opts = opts or {}
  local full = {}
  for k, v in pairs(COMMON) do full[k] = v end
  for k, v in pairs(schema) do full[k] = v end
  local ctor
  ctor = function(spec, at)
    at = at or C.where(2)
    if type(spec) ~= "table" then
      C.fail(at, string.format("%s: expected a table { ID, TITLE, ... }, got %s", name, type(spec)))
    end
    if type(spec[1]) ~= "string" or type(spec[2]) ~= "string" then
      C.fail(at, string.format("%s: an item starts with its id and title, as { \"B1\", \"执法计划完成率\", ... }", name))
    end
    local what = name .. " " .. spec[1]
    C.options(spec, full, what, at)
    if spec.scope == "category" and (spec.max or 0) ~= 0 then
      C.fail(at, what .. ": an item with scope = \"category\" has no max of its own (its points come off the category)")
    end
    if spec.floor and spec.floor > (spec.max or 0) then
      C.fail(at, string.format("%s: floor %s is above max %s", what, num(spec.floor), num(spec.max or 0)))
    end
    local rule = build(spec, at, what)
    local needs = {}
    if spec.target and spec.default == nil then needs[#needs + 1] = { "target", spec.target } end
    if spec.indicator and not opts.optional_indicator then needs[#needs + 1] = { "indicator", spec.indicator } end
    return { id = spec[1], title = spec[2], max = spec.max or 0, floor = spec.floor,
             scope = spec.scope, rule = rule, where = at, make = ctor, spec = spec, kind = name,
             needs = needs }
  end
  R[name] = ctor
  return ctor
end
R.define = define

-- {==================================================================
-- Matching accidents
-- ===================================================================

-- A matcher from a `where` spec: a function(a, u) → bool, or a table of field = value
-- or field = {value, value...} (all fields must match). The table is read once, here:
-- rules build their matchers when the scheme is built.
local function matcher(where)
  if type(where) == "function" then return where end
  local keys, wants = {}, {}
  for k, want in pairs(where) do keys[#keys + 1] = k; wants[#wants + 1] = want end
  if #keys == 1 and type(wants[1]) ~= "table" then      -- { level = "较大" }
    local k, want = keys[1], wants[1]
    return function(a) return a[k] == want end
  end
  return function(a)
    for i = 1, #keys do
      local v, want = a[keys[i]], wants[i]
      if type(want) == "table" then
        local hit = false
        for _, w in ipairs(want) do if v == w then hit = true; break end end
        if not hit then return false end
      elseif v ~= want then
        return false
      end
    end
    return true
  end
end
R.matcher = matcher

-- The unit's accidents of the year matching `where`, and their ids.
local function accidents_where(u, where)
  local match, list, ids = matcher(where), {}, {}
  for _, a in ipairs(u.accidents) do
    if match(a, u) then list[#list + 1] = a; ids[#ids + 1] = a.id end
  end
  return list, ids
end
R.accidents_where = accidents_where

-- How many of the unit's accidents of the year match, and their ids (nil when none):
-- accidents_where without the tables nobody reads. The accidents matching are those for
-- which `match` (a matcher) is true, or, when `k` is given, those whose field k equals
-- `want` (compared in the loop itself, without a call per accident).
local function count_where(u, match, k, want)
  local n, ids = 0, nil
  local list = u.accidents
  for i = 1, #list do
    local a = list[i]
    local hit
    if k ~= nil then hit = a[k] == want else hit = match(a, u) end
    if hit then
      n = n + 1
      if ids then ids[n] = a.id else ids = { a.id } end
    end
  end
  return n, ids
end

-- A counter from a `where` spec: function(u) → count_where(u, matcher(where)). A table of
-- one field = one value ({ level = "较大" }: most clauses and vetoes) has its field
-- compared by count_where itself; the same accidents match, in the same order.
local function counter(where)
  if type(where) == "table" then
    local k, want = next(where)
    if k ~= nil and next(where, k) == nil and type(want) ~= "table" then
      return function(u) return count_where(u, nil, k, want) end
    end
  end
  local match = matcher(where)
  return function(u) return count_where(u, match) end
end

-- An accident whose investigation deadline (`days` after occurring, computed in SQL by
-- scoring_data) falls within the year, and that was not closed by then (B5 of the 2020
-- scheme: R.not_closed_within(60)).
function R.not_closed_within(days)
  if math.type(days) ~= "integer" or days < 0 then
    C.fail(C.where(2), "not_closed_within: days must be a whole number >= 0, got " .. tostring(days))
  end
  data.want_due(days)                  -- loaded with the accidents
  local year_end = {}                  -- year → "YYYY-12-31"
  return function(a, u)
    local due = a.due[days]
    local y = u.year
    local last = year_end[y]
    if not last then
      last = string.format("%04d-12-31", y)
      year_end[y] = last
    end
    return due <= last and (a.closed_on == nil or a.closed_on:sub(1, 10) > due)
  end
end

-- }==================================================================

-- {==================================================================
-- Control indicators
-- ===================================================================

-- What over_target{} can count: count(u) → the value; ids(u) → the ids of the
-- accidents behind it (asked only when the item deducts).
local counters = {
  deaths = { what = "死亡（含失踪）", unit = "人",
    count = function(u)
      local n = 0
      for _, a in ipairs(u.accidents) do
        if a.deaths > 0 then n = n + a.deaths end
      end
      return n
    end,
    ids = function(u)
      local ids = {}
      for _, a in ipairs(u.accidents) do
        if a.deaths > 0 then ids[#ids + 1] = a.id end
      end
      return ids
    end },
  accidents = { what = "事故", unit = "起",
    count = function(u) return #u.accidents end,
    ids = function(u)
      local ids = {}
      for i, a in ipairs(u.accidents) do ids[i] = a.id end
      return ids
    end },
}

-- { "A1", "死亡人数控制", max = 20, count = "deaths", target = "deaths_cap", per = 5 }:
-- full marks at or below the target, `per` points off for each one over it. A missing
-- target scores nothing and is reported.
define("over_target", {
  count = { type = "string", one_of = { "accidents", "deaths" }, required = true },
  target = { type = "string", required = true },
  per = { type = "number", min = 0, required = true },
}, function(spec)
  local counter = counters[spec.count]
  local count, what, unit = counter.count, counter.what, counter.unit
  return function(u, it)
    local n = count(u)
    local cap = it:target(spec.target)
    local explain = it.sheet.explain
    if explain then it:note("%s %s %s", what, num(n), unit) end
    if cap == nil then
      return it:zero("缺少控制指标 " .. spec.target .. "，本项不得分")
    end
    if explain then it:note("控制指标 %s %s", num(cap), unit) end
    if n > cap then
      it:deduct((n - cap) * spec.per,
        string.format("%s %s %s，超控制指标（%s %s）%s %s，每%s扣 %s 分",
          what, num(n), unit, num(cap), unit, num(n - cap), unit, unit, num(spec.per)), counter.ids(u))
    end
  end
end)

-- { "A3", "双下降", max = 10, partial = 5 }: full marks with no accident and no death in
-- the year, or with accidents and deaths both strictly below the previous year;
-- `partial` when neither is above the previous year; else nothing.
define("double_decline", {
  partial = { type = "number", min = 0, required = true },
}, function(spec, at, what)
  if spec.partial > (spec.max or 0) then
    C.fail(at, string.format("%s: partial %s is above max %s", what, num(spec.partial), num(spec.max or 0)))
  end
  return function(u, it)
    local accs = u.accidents
    local n, d = #accs, 0
    for _, a in ipairs(accs) do d = d + a.deaths end
    local pn, pd = u.prev.accidents, u.prev.deaths
    local facts = string.format("本年事故 %d 起、死亡 %d 人，上年 %d 起、%d 人", n, d, pn, pd)
    it:note(facts)
    if n == 0 and d == 0 then return end
    if n < pn and d < pd then return end
    local ids = {}
    for i, a in ipairs(accs) do ids[i] = a.id end
    if n <= pn and d <= pd then
      it:deduct(it.max - spec.partial, "事故起数、死亡人数未双下降（" .. facts .. "）", ids)
    else
      it:deduct(it.max, "事故起数或死亡人数上升（" .. facts .. "）", ids)
    end
  end
end)

-- }==================================================================

-- {==================================================================
-- Per-occurrence deductions
-- ===================================================================

-- { "B4", "信息报送", max = 10,
--   { where = { report_status = "late" }, per = 3, reason = "迟报" }, ... }:
-- `per` points off for each accident of the year matching a clause, one deduction row
-- per clause citing the accidents; not below the floor (0). With scope = "category"
-- (and max 0) the points come off the category instead, down to its floor.
local CLAUSE = {
  where = { type = "where", required = true },
  per = { type = "number", min = 0, required = true },
  reason = { type = "string", required = true },
}
define("per_accident", {}, function(spec, at, what)
  local match = {}
  for i = 3, #spec do
    local clause = spec[i]
    C.options(clause, CLAUSE, string.format("%s clause %d", what, i - 2), at)
    C.where_spec(clause.where, string.format("%s clause %d", what, i - 2), at)
    match[i] = counter(clause.where)
  end
  return function(u, it)
    for i = 3, #spec do
      local clause = spec[i]
      local n, ids = match[i](u)
      if n > 0 then
        it:deduct(n * clause.per, string.format("%s %d 起，每起扣 %s 分",
          clause.reason, n, num(clause.per)), ids)
      end
    end
  end
end)

-- }==================================================================

-- {==================================================================
-- Proportional and threshold items
-- ===================================================================

-- { "B1", "执法计划完成率", max = 15, count = "inspections", target = "inspections_plan", unit = "次" }
-- or { "B3", "应急演练", max = 10, indicator = "drills", target = "drills_min", default = 2 }:
-- max × min(1, done ÷ target). Without a target (and no default) the item scores
-- nothing and is reported; a missing indicator likewise.
define("completion", {
  count = { type = "string", one_of = { "inspections" } },
  indicator = "string",
  target = { type = "string", required = true },
  default = { type = "number", min = 0 },
  unit = "string",
}, function(spec, at, what)
  if (spec.count == nil) == (spec.indicator == nil) then
    C.fail(at, what .. ": give either count = \"inspections\" or indicator = NAME (one of them)")
  end
  return function(u, it)
    local done, what
    if spec.count == "inspections" then
      done, what = u.inspections.count, "执法检查"
    else
      done, what = it:indicator(spec.indicator), it.title
      if done == nil then
        return it:zero("缺少考核数据 " .. spec.indicator .. "，本项不得分")
      end
    end
    local plan = it:target(spec.target, spec.default)
    local u = spec.unit or ""
    local explain = it.sheet.explain
    if explain then it:note("%s %s%s", what, num(done), u) end
    if plan == nil then
      return it:zero("缺少目标 " .. spec.target .. "，本项不得分")
    end
    local rate = plan > 0 and math.min(1, done / plan) or 1
    if explain then it:note("目标 %s%s，完成率 %s", num(plan), u, pct(rate)) end
    if rate < 1 then
      it:deduct(it.max * (1 - rate), string.format("%s完成 %s%s，目标 %s%s，完成率 %s，按比例得分",
        what, num(done), u, num(plan), u, pct(rate)), {})
    end
  end
end)

-- { "B2", "隐患整改率", max = 15, full_at = 0.95 }: rate = hazards rectified ÷ found over
-- the year's inspections; at or above full_at → max, else max × rate ÷ full_at; nothing
-- found → max. Cites the inspections with hazards left open.
define("rectification", {
  full_at = { type = "number", more = 0, max = 1, required = true },
}, function(spec)
  return function(u, it)
    local x = u.inspections
    it:note("检查 %d 次，发现隐患 %d 处，整改 %d 处", x.count, x.found, x.rectified)
    if x.found == 0 then return end
    local rate = x.rectified / x.found
    if rate < spec.full_at then
      it:deduct(it.max * (1 - rate / spec.full_at),
        string.format("隐患整改率 %s（%d/%d），低于 %s，按比例得分", pct(rate), x.rectified,
          x.found, pct(spec.full_at)), x.open_ids)
    end
  end
end)

-- { "B3", "应急演练", max = 10, indicator = "drills", min = 1, unit = "次" }: all or nothing.
define("at_least", {
  indicator = { type = "string", required = true },
  min = { type = "number", required = true },
  unit = "string",
}, function(spec)
  return function(u, it)
    local v = it:indicator(spec.indicator)
    if v == nil then return it:zero("缺少考核数据 " .. spec.indicator .. "，本项不得分") end
    if it.sheet.explain then it:note("%s %s%s", it.title, num(v), spec.unit or "") end
    if v < spec.min then
      it:deduct(it.max, string.format("%s %s%s，少于 %s%s", it.title, num(v), spec.unit or "",
        num(spec.min), spec.unit or ""), {})
    end
  end
end)

-- { "B6", "宣传培训", max = 5, indicator = "training_score" }: the indicator's value as
-- points, capped at max (and not below 0).
define("indicator_points", {
  indicator = { type = "string", required = true },
}, function(spec)
  return function(u, it)
    local v, ev = it:indicator(spec.indicator)
    if v == nil then return it:zero("缺少考核数据 " .. spec.indicator .. "，本项不得分") end
    if it.sheet.explain then it:note("%s得分 %s%s", it.title, num(v), ev and "（" .. ev .. "）" or "") end
    if v < it.max then
      it:deduct(it.max - math.max(v, 0), string.format("%s得 %s 分", it.title, num(math.max(v, 0))), {})
    end
  end
end)

-- { "C", "加分", max = 5, indicator = "bonus" } in a bonus category: the indicator's
-- value, capped at max. No bonus row means no bonus (not a problem).
define("bonus", {
  indicator = { type = "string", required = true },
}, function(spec)
  return function(u, it)
    local v, ev = it:indicator(spec.indicator, 0)
    if v ~= 0 then
      it:award(v, string.format("加分 %s 分%s", num(v), ev and "：" .. ev or ""))
    end
  end
end, { optional_indicator = true })

-- }==================================================================

-- {==================================================================
-- Vetoes
-- ===================================================================

-- { where = { level = {"重大", "特别重大"} }, reason = "重大及以上事故" }: a veto for
-- any accident of the year matching, citing them.
local VETO = {
  where = { type = "where", required = true },
  reason = { type = "string", required = true },
}
function R.veto_accidents(spec)
  local at = C.where(2)
  C.options(spec, VETO, "veto_accidents", at)
  C.where_spec(spec.where, "veto_accidents", at)
  local count = counter(spec.where)
  return function(u, v)
    local n, ids = count(u)
    if n > 0 then v:veto(spec.reason, ids) end
  end
end

-- }==================================================================

return R
