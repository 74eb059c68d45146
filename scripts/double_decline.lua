-- double_decline.lua — 双下降: production-safety accidents and deaths in the period
-- against the same period last year, for the whole city, each township/street/zone and
-- each sector.
--
--   yingji run scripts/double_decline.lua --as-of 2020-06-30                 (1—6月)
--   yingji run scripts/double_decline.lua --as-of 2020-06-30 --set period=month  (6月)
--
-- Tables: overall, by_unit, by_sector; the columns are yoy.COLUMNS. A change percent is
-- empty (null) when last year was zero; double_decline is true when both accidents and
-- deaths are strictly lower than last year.
local accidents = require "accidents"
local F = require "facts"
local periods = require "periods"
local yoy = require "yoy"
local titles = require "titles"

local this_year = periods.choose(ctx.params.period, ctx.as_of)
local last_year = this_year:last_year()

local now = accidents.totals(this_year)
local before = accidents.totals(last_year)

-- The whole city.
publish("overall", yoy.COLUMNS, {
  yoy.row("all", "全市", now.total, before.total),
}, titles.options(yoy.COLUMNS))

-- Every township, street and development zone, also those with no accidents.
local by_unit = {}
local get, now_unit, before_unit = accidents.get, now.unit, before.unit
for i, unit in ipairs(F.units(F.AREA_KINDS)) do
  by_unit[i] = yoy.row(unit.code, unit.name, get(now_unit, unit.id), get(before_unit, unit.id))
end
publish("by_unit", yoy.COLUMNS, by_unit, titles.options(yoy.COLUMNS))

-- Every sector.
local by_sector = {}
for sector in sql.rows("SELECT code, name FROM sectors ORDER BY code") do
  by_sector[#by_sector + 1] = yoy.row(sector.code, sector.name,
                                      accidents.get(now.sector, sector.code),
                                      accidents.get(before.sector, sector.code))
end
publish("by_sector", yoy.COLUMNS, by_sector, titles.options(yoy.COLUMNS))
