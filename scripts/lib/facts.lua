-- facts.lua — the facts every report and scheme shares, owned here once: which accidents
-- count, which units are ranked, and how a figure is rounded (docs/scoring.md).
-- accidents.lua, briefing_data.lua, scoring_data.lua, yoy.lua, scoring.lua and the
-- scripts read them from here instead of writing their own.
local F = {}

-- {==================================================================
-- Counted accidents
-- ===================================================================

-- An accident counts in production-safety statistics when it is production-related
-- (生产经营性) and not written off (核销): the SQL condition over the accidents table.
F.COUNTED = "production = 1 AND written_off = 0"

-- Its deaths always include missing persons (失踪): the SQL expression.
F.DEATHS = "deaths + missing"

-- }==================================================================

-- {==================================================================
-- Unit kinds
-- ===================================================================

-- The units ranked and scored by area: townships, streets and development zones
-- (乡镇、街道、开发区). City departments are scored on their work items instead.
F.AREA_KINDS = { "township", "street", "zone" }
F.DEPARTMENT_KINDS = { "department" }

-- "?,?,?" for the kinds, to write `kind IN (...)` with the kinds bound.
function F.marks(kinds)
  local m = {}
  for i = 1, #kinds do m[i] = "?" end
  return table.concat(m, ",")
end

-- The units of the given kinds (default F.AREA_KINDS), ordered by code: an array of
-- {id, code, name, kind}.
function F.units(kinds)
  kinds = kinds or F.AREA_KINDS
  return sql.query("SELECT id, code, name, kind FROM units WHERE kind IN (" .. F.marks(kinds) ..
    ") ORDER BY code", table.unpack(kinds))
end

-- }==================================================================

-- {==================================================================
-- Rounding
-- ===================================================================

-- Rounds x to `places` decimals (default 0), half away from zero, as the office rounds
-- by hand (12.25 → 12.3, -2.345 → -2.35). The tiny epsilon absorbs binary representation
-- error (89.995 is stored as 89.99499999...), so a figure exactly on the half in decimal
-- rounds away from zero. Returns a float. Every published figure is rounded with it.
local floor = math.floor
-- 10 ^ places for the usual places: the same floats (powers of ten up to 10^22 are exact),
-- without a call to pow for every figure.
local POW10 = {[0] = 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0}
function F.round(x, places)
  local f = POW10[places or 0] or 10 ^ places
  -- |x| rounded, negated back for x < 0; -0.0 + 0.0 is 0.0, and the result a float
  if x < 0 then return -(floor(-x * f + 0.5 + 1e-7) / f) + 0.0 end
  return floor(x * f + 0.5 + 1e-7) / f + 0.0
end

-- }==================================================================

return F
