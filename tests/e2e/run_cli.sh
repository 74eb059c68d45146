# run_cli.sh — `yingji run`: the output formats, the run context, errors, require.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" init >/dev/null 2>&1
sqlite3 yingji.db <"$ROOT/tests/e2e/run_sample.sql"

cat >units.lua <<'LUA'
local rows = sql.query("SELECT code, name, (SELECT count(*) FROM accidents a WHERE a.unit_id = u.id) AS n, " ..
                       "0.1 * id AS share FROM units u ORDER BY code")
publish("units", {"code", "name", "n", "share", "none"}, rows)
publish("context", {"as_of", "format", "output"}, {{as_of = ctx.as_of, format = ctx.format, output = ctx.output}})
print("this goes to stderr")
LUA

expect_status 0 "text format" "$YINGJI" run units.lua --as-of 2020-06-30
cat >want.txt <<'OUT'
units
code  name    n  share  none
----  ------  -  -----  ----
S01   乙街道  1    0.2
T01   甲镇    2    0.1

context
as_of       format  output
----------  ------  ------
2020-06-30  text
OUT
check "text: aligned, CJK two columns wide, tables in publication order" cmp out.txt want.txt
contains err.txt "this goes to stderr" "print writes to stderr"
check "print does not write to stdout" sh -c '! grep -q "goes to stderr" out.txt'

expect_status 0 "csv format" "$YINGJI" run units.lua --as-of 2020-06-30 --format csv -o x.pdf
cat >want.txt <<'OUT'
# units
code,name,n,share,none
S01,乙街道,1,0.2,
T01,甲镇,2,0.1,
# context
as_of,format,output
2020-06-30,csv,x.pdf
OUT
check "csv: each table after # NAME, null empty, ctx.output is -o" cmp out.txt want.txt

expect_status 0 "json format" "$YINGJI" run units.lua --as-of 2020-06-30 --format json
cat >want.txt <<'OUT'
{
"units": [
  {"code": "S01", "name": "乙街道", "n": 1, "share": 0.2, "none": null},
  {"code": "T01", "name": "甲镇", "n": 2, "share": 0.1, "none": null}
],
"context": [
  {"as_of": "2020-06-30", "format": "json", "output": null}
]
}
OUT
check "json: one object, numbers, null, column order" cmp out.txt want.txt
check "json is valid" test "$(sqlite3 :memory: "SELECT json_valid(readfile('out.txt'))")" = 1

cat >params.lua <<'LUA'
local p = ctx.params
publish("p", {"key", "type", "value"}, {
  {key = "year", type = math.type(p.year), value = p.year},
  {key = "rate", type = math.type(p.rate), value = p.rate},
  {key = "flag", type = type(p.flag), value = p.flag},
  {key = "name", type = type(p.name), value = p.name},
  {key = "code", type = type(p.code), value = p.code},
  {key = "neg", type = math.type(p.neg), value = p.neg},
})
LUA
expect_status 0 "--set is typed" "$YINGJI" run params.lua --set year=2020 --set rate=0.5 --set flag=true --set name=甲镇 --set code=007 --set neg=-0.5 --format csv
cat >want.txt <<'OUT'
# p
key,type,value
year,integer,2020
rate,float,0.5
flag,boolean,true
name,string,甲镇
code,string,007
neg,float,-0.5
OUT
check "--set: integer, float, boolean, string; a leading zero keeps the text" cmp out.txt want.txt

printf 'local x = 1\n\nerror("the data has no units")\n' >bad.lua
expect_status 4 "a script error exits 4" "$YINGJI" run bad.lua
check "the message reads bad.lua:3: message" sh -c 'head -1 err.txt | grep -qx "bad.lua:3: the data has no units"'
contains err.txt "stack traceback:" "with a traceback"
check "no results on stdout after an error" test ! -s out.txt

printf 'local t = {}\nlocal n = t.x.y\n' >nil.lua
expect_status 4 "indexing nil exits 4" "$YINGJI" run nil.lua
contains err.txt "nil.lua:2: attempt to index a nil value (field 'x')" "Lua's own message with file and line"

printf 'local x = = 1\n' >syntax.lua
expect_status 4 "a syntax error exits 4" "$YINGJI" run syntax.lua
contains err.txt "syntax.lua:1: unexpected symbol" "syntax errors name file and line"

mkdir -p office/sub
printf 'return {hello = function() return "你好" end}\n' >office/greet.lua
printf 'return {n = 7}\n' >office/sub/deep.lua
cat >office/main.lua <<'LUA'
local greet = require "greet"          -- the script's own folder
local deep = require "sub.deep"        -- a folder inside it
local yoy = require "yoy"              -- the shipped scripts/lib
assert(require "greet" == greet, "a module is loaded once")
publish("r", {"a", "b", "c"}, {{a = greet.hello(), b = deep.n, c = yoy.change_pct(90, 100)}})
LUA
expect_status 0 "require: own folder, sub-folder, scripts/lib" "$YINGJI" run office/main.lua --format csv
contains out.txt "你好,7,-10" "the modules were used"

printf 'require "nowhere"\n' >office/missing.lua
expect_status 4 "a missing module exits 4" "$YINGJI" run office/missing.lua
contains err.txt "require 'nowhere': module not found" "says module not found"
contains err.txt "office/nowhere.lua" "lists where it looked"

mkdir -p other/lib
printf 'return {change_pct = function() return 42 end}\n' >other/lib/yoy.lua
YINGJI_SCRIPTS=$PWD/other "$YINGJI" run office/main.lua --format csv >out.txt 2>err.txt
contains out.txt "你好,7,42" "YINGJI_SCRIPTS names the scripts folder whose lib/ is searched"

expect_status 1 "a missing script is a usage error (exit 1, issue 17)" "$YINGJI" run nothere.lua
contains err.txt "nothere.lua: no such file" "names the missing script"
expect_status 1 "a bad --format is a usage error" "$YINGJI" run units.lua --format xml
expect_status 1 "a bad --as-of is a usage error" "$YINGJI" run units.lua --as-of 2020-02-30
contains err.txt "2020-02-30" "names the bad date"
expect_status 1 "no script is a usage error" "$YINGJI" run
expect_status 0 "--help" "$YINGJI" run --help
contains out.txt "--max-instructions" "--help lists the limits"
expect_status 2 "a missing database is refused" "$YINGJI" --db none.db run units.lua
check "and not created" test ! -e none.db

expect_status 0 "double decline as JSON" "$YINGJI" run "$ROOT/scripts/double_decline.lua" --as-of 2020-06-30 --format json
# jq-like checks with SQLite's JSON functions.
jget() { sqlite3 :memory: "WITH d(j) AS (SELECT readfile('out.txt')) SELECT $1"; }
check "double decline: valid JSON" test "$(jget 'json_valid(j) FROM d')" = 1
check "double decline: three tables in order" \
    test "$(jget "group_concat(key, ',') FROM d, json_each(d.j)")" = "overall,by_unit,by_sector"
check "double decline: the columns in order" \
    test "$(jget "group_concat(key, ',') FROM d, json_each(d.j, '$.overall[0]')")" = \
    "key,name,accidents,accidents_prev,accidents_change_pct,deaths,deaths_prev,deaths_change_pct,double_decline"
check "double decline: overall accidents 1 against 2, -50 %" \
    test "$(jget "json_extract(j, '$.overall[0].accidents'), json_extract(j, '$.overall[0].accidents_prev'), json_extract(j, '$.overall[0].accidents_change_pct') FROM d")" = "1|2|-50"
check "double decline: deaths 1 against 3 (2 dead + 1 missing), -66.7 %" \
    test "$(jget "json_extract(j, '$.overall[0].deaths_prev'), json_extract(j, '$.overall[0].deaths_change_pct') FROM d")" = "3|-66.7"
check "double decline: double_decline is a JSON true" \
    test "$(jget "json_type(j, '$.overall[0].double_decline') FROM d")" = "true"
check "double decline: every township/street, sorted" \
    test "$(jget "group_concat(json_extract(value, '$.key'), ',') FROM d, json_each(d.j, '$.by_unit')")" = "S01,T01"
check "double decline: twelve sectors" test "$(jget "json_array_length(j, '$.by_sector') FROM d")" = 12
check "double decline: zero baseline is null" \
    test "$(jget "json_type(value, '$.accidents_change_pct') FROM d, json_each(d.j, '$.by_sector') WHERE json_extract(value, '$.key') = 'construction'")" = "null"
