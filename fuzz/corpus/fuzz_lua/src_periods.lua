�-- periods.lua — choosing the reporting period of a script from --set period=...
local M = {}

-- The period named kind that ends on as_of:
--   "ytd"    1 January .. as_of (年初至今, the default)
--   "month"  the 1st of as_of's month .. as_of (the whole month when as_of is its last day)
function M.choose(kind, as_of)
  kind = kind or "ytd"
  if kind == "ytd" then
    return period.ytd(as_of)
  elseif kind == "month" then
    local m = period.month(as_of)
    if as_of == m.to then return m end
    return period.between(m.from, as_of)
  end
  error("unknown period '" .. tostring(kind) .. "' (use ytd or month)", 2)
end

return M
