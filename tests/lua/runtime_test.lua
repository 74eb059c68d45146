-- runtime_test.lua — the sandbox's SQL, publish, load and random as scripts see them.
local db = fixture{
  units = {{code = "T01", name = "甲镇", kind = "township"}},
  accidents = {{id = "A1", occurred_at = "2020-03-01", unit = "T01", sector = "road", deaths = 1}},
}

local function probe(params)
  return run_script("scripts/probe.lua", {db = db, params = params})
end

local function misc(what)
  return run_script("scripts/misc.lua", {db = db, params = {what = what}})
end

test("sql.query gives rows keyed by column, NULL as absent", function()
  local t = probe{q = "SELECT id AS x, closed_on AS y FROM accidents", cols = "x,y"}
  expect_eq(t.rows, {{x = "A1"}})
end)

test("? parameters bind in order", function()
  local t = probe{q = "SELECT count(*) AS x FROM accidents_v WHERE unit = ? AND deaths >= ?",
                  a = "T01", b = 1}
  expect_eq(t.rows, {{x = 1}})
end)

test("values keep their types", function()
  local t = misc("types")
  expect_eq(t.t, {{i = 1, f = 1.5, s = "x", b = 1, d = "2020-02-29"}})
  expect_eq(math.type(t.t[1].i), "integer")
end)

test(":name parameters bind from a table", function()
  expect_eq(misc("named").t, {{s = 42, a = 40}})
  expect_error(function() misc("named missing") end, "no value for parameter :b")
end)

test("parameter mistakes are errors", function()
  expect_error(function() misc("positional count") end, "the query has 2 parameters, 1 value given")
  expect_error(function() misc("bind a table") end, "parameter 1 is positional but a table of names was given")
end)

test("breaking out of sql.rows closes the statement", function()
  expect_eq(misc("rows early exit").t, {{n = 2, after = 12}})
end)

test("SQL errors name the script line", function()
  local err = expect_error(function() probe{q = "SELECT nope FROM accidents"} end,
                           "sql: no such column: nope")
  expect_eq(err:match("^[^:]+probe%.lua:%d+:") ~= nil, true, err)
end)

test("publish refuses what it cannot print", function()
  expect_error(function() misc("publish twice") end, "table 't' is already published")
  expect_error(function() misc("publish a table") end, "a table cannot be published")
  expect_error(function() misc("publish a bad row") end, "row 1 is a number, not a table")
  expect_error(function() misc("duplicate column") end, "column 'a' appears twice")
end)

test("math.random repeats from run to run", function()
  local a, b = misc("random"), misc("random")
  expect_eq(a.r, b.r)
  expect_error(function() misc("randomseed") end, "number expected")
end)

test("load takes an environment", function()
  expect_eq(misc("load env").t, {{v = 42}})
end)

test("globals: reading or assigning an unknown one fails", function()
  expect_error(function() return no_such_global end, "unknown global 'no_such_global'")
  expect_error(function() new_global = 1 end, "assignment to undeclared global 'new_global'")
  expect_error(function() load("top_level_global = 7")() end,
               "assignment to undeclared global 'top_level_global' %(use a local")
end)

local ok = pcall(function() rawset(_G, "declared_on_purpose", 7) end)
test("rawset on _G declares one on purpose", function()
  expect_eq(ok, true)
  expect_eq(declared_on_purpose, 7)
end)

test("fixture: aliases, task units, defaults", function()
  local f = fixture{
    units = {{code = "Z01", name = "云岚经济技术开发区", kind = "zone", aliases = "经开区；云岚经开区"},
             {code = "D01", name = "市应急管理局", kind = "department"}},
    accidents = {{occurred_at = "2020-01-02", unit = "经开区", sector = "gas", deaths = 0,
                  serious_injuries = 12}},
    inspections = {{inspected_on = "2020-01-03", unit = "Z01", sector = "gas", enterprise = "甲公司",
                    hazards_found = 2, inspector = "市应急管理局"}},
    tasks = {{year = 2020, no = 1, title = "专项整治", lead = "D01", cooperating = {"Z01"}}},
  }
  expect_eq(f:value("SELECT group_concat(alias, ',') FROM (SELECT alias FROM unit_aliases ORDER BY alias)"),
            "云岚经开区,经开区")
  expect_eq(f:value("SELECT level || ',' || production || ',' || written_off || ',' || id FROM accidents"),
            "较大,1,0,A1")
  expect_eq(f:value("SELECT u.code FROM inspections i JOIN units u ON u.id = i.inspector_id"), "D01")
  expect_eq(f:value("SELECT group_concat(unit || ':' || role, ' ') FROM (SELECT * FROM task_units_v ORDER BY unit)"), "D01:lead Z01:cooperating")
  expect_error(function() fixture{accidents = {{unit = "X"}}} end, "accidents row 1: .*unit: unknown unit %(got 'X'%)")
  expect_error(function() fixture{people = {}} end, "unknown dataset 'people'")
end)

-- The fixture stores its rows through the importer (imp_writer.h): every cell read as
-- an imported file's would be, so a test's data looks like imported data.
test("fixture: rows as the importer reads them", function()
  local units = {{code = "T01", name = "甲镇", kind = "乡镇", aliases = " 甲 、 甲乡 ;甲村 "},
                 {code = "D01", name = "市应急管理局", kind = "department"}}
  local f = fixture{
    units = units,
    accidents = {{occurred_at = "2020/1/2 9:05", unit = "t01", sector = "道路运输", deaths = 3,
                  direct_loss = 12.5, production = false}},
    inspections = {{inspected_on = "2020-01-03", unit = "甲村", sector = "gas", enterprise = "甲公司",
                    hazards_found = 2, kind = "双随机"}},
    tasks = {{year = 2020, no = 1, title = "专项整治", lead = " D01 ， T01 ", cooperating = {"甲", "D01"}}},
  }
  expect_eq(f:value("SELECT kind || '|' || aliases FROM units WHERE code = 'T01'"), "township|甲;甲乡;甲村")
  expect_eq(f:value("SELECT group_concat(alias, ',') FROM (SELECT alias FROM unit_aliases ORDER BY alias)"),
            "甲,甲乡,甲村")
  expect_eq(f:value("SELECT occurred_at || '|' || sector || '|' || level || '|' || production || '|' || u.code"
                    .. " FROM accidents a JOIN units u ON u.id = a.unit_id"),
            "2020-01-02 09:05:00|road|较大|0|T01")
  expect_eq(f:value("SELECT id || '|' || kind FROM inspections"), "I1|random")
  expect_eq(f:value("SELECT group_concat(unit || ':' || role, ' ') FROM"
                    .. " (SELECT * FROM task_units_v ORDER BY role, unit)"), "D01:cooperating T01:cooperating D01:lead T01:lead")
  -- what the importer refuses, the fixture refuses, with the importer's reasons
  expect_error(function() fixture{units = units, inspections = {{inspected_on = "2020-01-03", unit = "T01",
      sector = "gas", enterprise = "x", hazards_found = 1, hazards_rectified = 2}}} end,
    "inspections row 1: hazards_rectified: 2 is more than hazards_found 1")
  expect_error(function() fixture{units = units, accidents = {{occurred_at = "2020-02-30", unit = "T01",
      sector = "road", deaths = 0}}} end, "accidents row 1: occurred_at: no such date")
  expect_error(function() fixture{units = units, targets = {{year = 2020, unit = "T01", indicator = "x",
      value = 1}, {year = 2020, unit = "T01", indicator = "x", value = 2}}} end, "targets row 2: .*duplicate")
  expect_error(function() fixture{units = units, targets = {{year = 2020, unit = "T01", indicator = "x",
      value = 1, colour = "red"}}} end, "targets row 1: 'colour' is not a column of targets")
  expect_error(function() fixture{units = {{code = "T01", name = "甲镇", kind = "township", aliases = {1}}}} end,
    "units row 1: aliases: item 1 is not a string")
end)
