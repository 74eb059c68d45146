-- probe.lua — a script for runtime_test.lua: runs the query of ctx.params.q (with the
-- arguments of ctx.params.a and ctx.params.b when given) and publishes every row.
local args = {}
if ctx.params.a ~= nil then args[#args + 1] = ctx.params.a end
if ctx.params.b ~= nil then args[#args + 1] = ctx.params.b end
local rows = sql.query(ctx.params.q, table.unpack(args))
local cols = {}
for name in (ctx.params.cols or "x"):gmatch("[^,]+") do cols[#cols + 1] = name end
publish("rows", cols, rows)
