-- known_on_test.lua — run_script{known_on = ...} (issue 13 item 3): the fixture as known
-- at the end of a day; an accident is known from its reported_at. The fixture's next run
-- without known_on sees today's data again.
local db = fixture{
  units = {{code = "T01", name = "甲镇", kind = "township"}},
  accidents = {
    {id = "A1", occurred_at = "2020-03-01", reported_at = "2020-03-02", unit = "T01", sector = "road", deaths = 1},
    {id = "A2", occurred_at = "2020-05-07", reported_at = "2020-10-19 09:30", unit = "T01", sector = "mining",
     deaths = 2, report_status = "concealed"},
  },
}

local function ids(opts)
  opts.db = db
  opts.params = {q = "SELECT group_concat(id) AS x FROM (SELECT id FROM accidents_v ORDER BY id)"}
  return run_script("scripts/probe.lua", opts).rows[1].x
end

test("known_on leaves out what was reported later", function()
  expect_eq(ids{known_on = date.parse("2020-07-05")}, "A1")
  expect_eq(ids{known_on = date.parse("2020-10-19")}, "A1,A2")
  expect_eq(ids{known_on = date.parse("2020-03-01")}, nil)
end)

test("without known_on the fixture is whole again", function()
  ids{known_on = date.parse("2020-07-05")}
  expect_eq(ids{}, "A1,A2")
end)

test("ctx.known_on tells the script", function()
  local t = run_script("scripts/probe.lua", {db = db, known_on = date.parse("2020-07-05"),
    params = {q = "SELECT 1 AS x"}})
  expect_eq(t.rows, {{x = 1}})
  local m = run_script("scripts/misc.lua", {db = db, known_on = date.parse("2020-07-05"), params = {what = "known_on"}})
  expect_eq(m.k, {{k = "2020-07-05"}})
  expect_eq(run_script("scripts/misc.lua", {db = db, params = {what = "known_on"}}).k, {{k = "none"}})
end)
