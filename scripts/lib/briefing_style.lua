-- briefing_style.lua — the colours of the briefing's charts (scripts/briefing.lua) that
-- carry meaning: the assessment grades and the control-target statuses. They differ in lightness as well as hue, so a
-- grey print still tells them apart (tests/e2e/briefing_gray.sh checks a minimum step in
-- luma between any two of a set, and finds each grade's grey in a greyscale render).
local M = {}

M.GRADES = { "优秀", "良好", "合格", "不合格" }

M.GRADE_COLORS = {
  ["优秀"] = "#1F3864",    -- dark navy        (luma  54)
  ["良好"] = "#8DB3DC",    -- light blue       (luma 172)
  ["合格"] = "#D5E1EE",    -- very light blue  (luma 223)
  ["不合格"] = "#D9534F",  -- red              (luma 123)
}

-- The control-target statuses: over the annual cap, ahead of the time line, within it.
M.PACE_COLORS = {
  ["突破"] = "#C00000",    -- dark red         (luma  57)
  ["超进度"] = "#ED7D31",  -- orange           (luma 150)
  ["正常"] = "#B4CBE4",    -- pale blue        (luma 199)
}
M.PACE_COLORS["达标"] = M.PACE_COLORS["正常"]

-- Rec. 601 luma (0..255) of "#RRGGBB", as a grey print renders it.
function M.luma(hex)
  local r, g, b = tonumber(hex:sub(2, 3), 16), tonumber(hex:sub(4, 5), 16), tonumber(hex:sub(6, 7), 16)
  return 0.299 * r + 0.587 * g + 0.114 * b
end

return M
