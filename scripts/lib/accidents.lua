-- accidents.lua — the accidents that count in production-safety statistics, summed.
--
-- Which accidents count and what their deaths are is facts.lua's (production-related,
-- not written off; deaths include missing persons). An accident belongs to a period by
-- the day it occurred (occurred_at may carry a time: '2020-03-01 14:30:00').
local F = require "facts"

local M = {}

local function zero()
  return {accidents = 0, deaths = 0}
end

-- Accidents and deaths within period p:
--   t.total                 the whole city
--   t.unit[unit_id]         each unit (units.id)
--   t.sector[code]          each sector
-- Every entry has accidents = N and deaths = N (it is the query's row, per and key in it
-- too); use M.get to read one that may be absent.
-- One query: the period's counted accidents are picked once (the MATERIALIZED part) and
-- summed three ways, so only one row per unit and per sector comes back.
function M.totals(p)
  local t = {total = zero(), unit = {}, sector = {}}
  local q = [[
    WITH counted AS MATERIALIZED (
      SELECT unit_id, sector, ]] .. F.DEATHS .. [[ AS deaths
      FROM accidents
      WHERE occurred_at >= :first_day AND occurred_at < :day_after
        AND ]] .. F.COUNTED .. [[)
    SELECT 'unit' AS per, unit_id AS key, count(*) AS accidents, sum(deaths) AS deaths
      FROM counted GROUP BY unit_id
    UNION ALL
    SELECT 'sector', sector, count(*), sum(deaths) FROM counted GROUP BY sector
    UNION ALL
    SELECT 'total', NULL, count(*), coalesce(sum(deaths), 0) FROM counted]]
  for row in sql.rows(q, {first_day = p.from, day_after = p.to:add_days(1)}) do
    local per = row.per
    if per == "total" then t.total = row else t[per][row.key] = row end
  end
  return t
end

-- The entry of key in a totals table, or zeros when nothing happened there.
function M.get(t, key)
  return t[key] or zero()
end

return M
