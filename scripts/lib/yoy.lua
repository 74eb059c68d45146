-- yoy.lua — year-on-year comparison (同比): change percentages and the double decline.
local F = require "facts"

local M = {}

-- Rounds x to the given number of decimals, halves away from zero (12.25 → 12.3):
-- facts.round, the one rounding rule.
M.round = F.round

-- (cur - prev) / prev * 100 rounded to one decimal; nil when prev is 0 (no baseline).
function M.change_pct(cur, prev)
  if prev == 0 then return nil end
  return M.round((cur - prev) / prev * 100, 1)
end

-- 双下降: both accidents and deaths strictly lower than last year.
function M.double_decline(cur, prev)
  return cur.accidents < prev.accidents and cur.deaths < prev.deaths
end

-- One comparison row: cur and prev are {accidents = N, deaths = N}.
function M.row(key, name, cur, prev)
  return {
    key = key,
    name = name,
    accidents = cur.accidents,
    accidents_prev = prev.accidents,
    accidents_change_pct = M.change_pct(cur.accidents, prev.accidents),
    deaths = cur.deaths,
    deaths_prev = prev.deaths,
    deaths_change_pct = M.change_pct(cur.deaths, prev.deaths),
    double_decline = M.double_decline(cur, prev),
  }
end

M.COLUMNS = {"key", "name", "accidents", "accidents_prev", "accidents_change_pct",
             "deaths", "deaths_prev", "deaths_change_pct", "double_decline"}

return M
