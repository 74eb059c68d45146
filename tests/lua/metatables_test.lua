-- metatables_test.lua — engine metatables are locked in every state, the test harness's
-- too (issue 10 #6): getmetatable gives "locked", so no __gc (finalizers run with hooks
-- off) or replaced method can be planted through them.

test("yingji values and strings give a locked metatable", function()
  local db = fixture{}
  for name, v in pairs{date = date.ymd(2020, 1, 1), period = period.year(2020), fixture = db,
                       string = "s", os = os, debug = debug} do
    expect_eq(getmetatable(v), "locked", name)
  end
  expect_error(function() getmetatable(date.ymd(2020, 1, 1)).__gc = print end, "attempt to index a string value")
  expect_error(function() setmetatable(os, {}) end, "cannot change a protected metatable")
end)

test("a script's own metatables are its own", function()
  local mt = {__index = function(_, k) return k .. "!" end}
  local t = setmetatable({}, mt)
  expect_eq(getmetatable(t), mt)
  expect_eq(t.x, "x!")
  expect_error(function() setmetatable({}, {__gc = print}) end, "__gc metamethods are not allowed")
end)
