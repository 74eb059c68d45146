-- known_on_fixture_test.lua — fixtures with knowledge dates (issue 13): a row's
-- `received` is the day its import was received; a row of the same key received later
-- is a correction (the earlier one becomes a revision). run_script{known_on = ...} then
-- shows every dataset as known on that day: records received later absent, corrected
-- ones at their old values, unit aliases and task units following their records.
local db = fixture{
  units = {
    {code = "T01", name = "甲镇", kind = "township", aliases = "甲"},
    {code = "D01", name = "应急局", kind = "department"},
    {code = "T01", name = "甲新镇", kind = "township", aliases = "甲新", received = "2020-08-01"},
    {code = "T02", name = "乙镇", kind = "township", aliases = "甲", received = "2020-08-01"},
  },
  accidents = {
    {id = "A1", occurred_at = "2020-02-01", unit = "T01", sector = "road", deaths = 1, received = "2020-03-01"},
    {id = "A1", occurred_at = "2020-02-01", unit = "T01", sector = "road", deaths = 2, received = "2020-08-01"},
    {id = "A2", occurred_at = "2020-06-01", unit = "甲新", sector = "road", deaths = 1, received = "2020-08-01"},
  },
  inspections = {
    {id = "I1", inspected_on = "2020-02-10", unit = "T01", sector = "road", enterprise = "某厂", hazards_found = 2,
     received = "2020-03-01"},
    {id = "I1", inspected_on = "2020-02-10", unit = "T01", sector = "road", enterprise = "某厂", hazards_found = 5,
     received = "2020-08-01"},
  },
  assessments = {
    {year = 2020, unit = "T01", indicator = "drills", value = 3, received = "2020-03-01"},
    {year = 2020, unit = "T01", indicator = "drills", value = 4, received = "2020-08-01"},
  },
  targets = {
    {year = 2020, unit = "T01", indicator = "deaths_cap", value = 3, received = date.parse("2020-03-01")},
    {year = 2020, unit = "T02", indicator = "deaths_cap", value = 1, received = "2020-08-01"},
  },
  tasks = {
    {year = 2020, no = 1, title = "任务一", lead = "D01", cooperating = "T01", received = "2020-03-01"},
    {year = 2020, no = 1, title = "任务一改", lead = "D01", cooperating = "T02", received = "2020-08-01"},
  },
}

local function q(sql_text, known_on)
  local opts = {db = db, params = {q = "SELECT coalesce(group_concat(x, ','), '-') AS x FROM (" .. sql_text .. ")"}}
  opts.known_on = known_on and date.parse(known_on)
  return run_script("scripts/probe.lua", opts).rows[1].x
end

local cases = {
  {"SELECT code || ':' || name AS x FROM units ORDER BY code", "D01:应急局,T01:甲镇", "D01:应急局,T01:甲新镇,T02:乙镇"},
  {"SELECT alias || '>' || unit AS x FROM (SELECT alias, (SELECT code FROM units u WHERE u.id = a.unit_id) AS unit"
     .. " FROM unit_aliases a) ORDER BY alias", "甲>T01", "甲>T02,甲新>T01"},
  {"SELECT id || ':' || deaths || ':' || unit AS x FROM accidents_v ORDER BY id", "A1:1:T01", "A1:2:T01,A2:1:T01"},
  {"SELECT id || ':' || hazards_found AS x FROM inspections ORDER BY id", "I1:2", "I1:5"},
  {"SELECT unit || ':' || value AS x FROM assessments_v ORDER BY unit", "T01:3.0", "T01:4.0"},
  {"SELECT unit || ':' || value AS x FROM targets_v ORDER BY unit", "T01:3.0", "T01:3.0,T02:1.0"},
  {"SELECT title AS x FROM tasks", "任务一", "任务一改"},
  {"SELECT unit || ':' || role || ':' || title AS x FROM task_units_v ORDER BY role, unit", "T01:cooperating:任务一,D01:lead:任务一",
   "T02:cooperating:任务一改,D01:lead:任务一改"},
  {"SELECT received AS x FROM imports WHERE received <> '' ORDER BY id", "2020-03-01", "2020-03-01,2020-08-01"},
  {"SELECT dataset AS x FROM revisions ORDER BY id", "-", "units,accidents,inspections,assessments,tasks"},
}

test("as known on 2020-07-01: later records absent, corrected ones old", function()
  for _, c in ipairs(cases) do expect_eq(q(c[1], "2020-07-01"), c[2]) end
end)

test("without known_on: today's data", function()
  for _, c in ipairs(cases) do expect_eq(q(c[1]), c[3]) end
end)

test("before any received date only the rows without one", function()
  expect_eq(q("SELECT code AS x FROM units ORDER BY code", "2020-01-01"), "D01,T01")
  expect_eq(q("SELECT id AS x FROM accidents", "2020-01-01"), "-")
end)

test("a bad received date names the row", function()
  expect_error(function() fixture{units = {{code = "T01", name = "甲", kind = "township", received = "soon"}}} end,
    "fixture: units row 1: received: 'soon' is not a date")
end)
