-- yoy.lua — year-on-year comparison (同比): change percentages and the double decline.
local F = require "facts"

local M = {}

-- Rounds x to the given number of decimals, halves away from zero (12.25 → 12.3):
-- facts.round, the one rounding rule.
local round = F.round
M.round = round

-- (cur - prev) / prev * 100 rounded to one decimal; nil when prev is 0 (no baseline).
local function change_pct(cur, prev)
  if prev == 0 then return nil end
  return round((cur - prev) / prev * 100, 1)
end
M.change_pct = change_pct

-- 双下降: both accidents and deaths strictly lower than last year.
local function double_decline(cur, prev)
  return cur.accidents < prev.accidents and cur.deaths < prev.deaths
end
M.double_decline = double_decline

-- One comparison row: cur and prev are {accidents = N, deaths = N}. (It runs for every
-- unit of a report: the functions are called as locals, each figure read once.)
function M.row(key, name, cur, prev)
  local a, a_prev, d, d_prev = cur.accidents, prev.accidents, cur.deaths, prev.deaths
  return {
    key = key,
    name = name,
    accidents = a,
    accidents_prev = a_prev,
    accidents_change_pct = change_pct(a, a_prev),
    deaths = d,
    deaths_prev = d_prev,
    deaths_change_pct = change_pct(d, d_prev),
    double_decline = double_decline(cur, prev),
  }
end

M.COLUMNS = {"key", "name", "accidents", "accidents_prev", "accidents_change_pct",
             "deaths", "deaths_prev", "deaths_change_pct", "double_decline"}

return M
