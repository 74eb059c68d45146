-- group.lua — a script for sql_group_test.lua: sql.group on the query named by
-- ctx.params.what, published as rows {key, column, value, type} sorted by key and column
-- (and for "compare", sql.group's totals beside GROUP BY's).
local what = ctx.params.what
local queries = {
  inspections = { [[SELECT unit_id, 1 AS n, hazards_found AS found, hazards_rectified AS rectified,
                           CASE WHEN hazards_rectified < hazards_found THEN id END AS open
                      FROM inspections WHERE inspected_on >= :from AND inspected_on < :to]],
                  { from = "2020-01-01", to = "2021-01-01" } },
  ["text key"] = { "SELECT u.code, i.hazards_found AS found FROM inspections i JOIN units u ON u.id = i.unit_id" },
  reals = { "SELECT 1, 1 AS a, 0.5 AS b UNION ALL SELECT 1, 2.5, 2 UNION ALL SELECT 2, 3, NULL" },
  nulls = { "SELECT 1 AS k, NULL AS x, 'a' AS t UNION ALL SELECT 1, NULL, NULL UNION ALL SELECT 1, NULL, 'b'" },
  ["mixed"] = { "SELECT 1, 2 AS x UNION ALL SELECT 1, 'two'" },
  ["null key"] = { "SELECT NULL AS k, 1 AS x" },
  overflow = { "SELECT 1, 9223372036854775807 AS x UNION ALL SELECT 1, 1" },
  positional = { "SELECT unit_id, 1 AS n FROM inspections WHERE hazards_found >= ? AND hazards_found <= ?", 1, 2 },
  write = { "DELETE FROM inspections" },
  ["bad function"] = { "SELECT load_extension('x'), 1" },
  ["no rows"] = { "SELECT unit_id, 1 AS n FROM inspections WHERE 0" },
  ["float key"] = { "SELECT 0.0, 1 AS n UNION ALL SELECT -0.0, 1 UNION ALL SELECT 1.5, 1 UNION ALL SELECT 0, 1"
                    .. " UNION ALL SELECT 2, 1 UNION ALL SELECT 2.0, 1 UNION ALL SELECT 2.5, 1" },
}
local q = queries[what]
local by = sql.group(table.unpack(q))
local rows = {}
for k, t in pairs(by) do
  for c, v in pairs(t) do
    rows[#rows + 1] = { key = k, column = c, value = v, type = math.type(v) or type(v) }
  end
end
table.sort(rows, function(a, b)
  if a.key ~= b.key then return tostring(a.key) < tostring(b.key) end
  return a.column < b.column
end)
publish("g", { "key", "column", "value", "type" }, rows)
if what == "inspections" then
  local want = {}
  for r in sql.rows([[SELECT unit_id AS key, count(*) AS n, sum(hazards_found) AS found,
                             sum(hazards_rectified) AS rectified,
                             group_concat(CASE WHEN hazards_rectified < hazards_found THEN id END, ';') AS open
                        FROM inspections WHERE inspected_on >= :from AND inspected_on < :to
                       GROUP BY unit_id ORDER BY unit_id]], q[2]) do
    local g = by[r.key]
    local function sorted(s)
      if not s then return nil end
      local ids = {}
      for id in s:gmatch("[^;]+") do ids[#ids + 1] = id end
      table.sort(ids)
      return table.concat(ids, ";")
    end
    want[#want + 1] = { key = r.key, same = g.n == r.n and g.found == r.found and g.rectified == r.rectified
                                            and sorted(g.open) == sorted(r.open) }
  end
  publish("compare", { "key", "same" }, want)
end
