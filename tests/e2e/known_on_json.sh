# known_on_json.sh — `run --known-on` reads a record's old version from revisions.old_values
# with a JSON reader of its own (db_known.c), falling back to SQLite's for a text it does
# not read. A \u escape must have four hex digits: one digit short stepped over the
# closing quote and the text's end (a crash), a non-hex digit gave a wrong character.
# Such text is not what json_object writes: the run says which record, as SQLite would.
# Valid escapes (\uXXXX, \", \\) still read back as their characters.
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null || exit 1
printf 'code,name,kind,aliases\nT01,甲镇,township,\n' >u.csv
printf 'id,inspected_on,unit,sector,enterprise,hazards_found\nI1,2020-02-10,T01,road,某厂,2\n' >i1.csv
printf 'id,inspected_on,unit,sector,enterprise,hazards_found\nI1,2020-02-10,T01,road,某厂,5\n' >i2.csv
"$YINGJI" --db t.db import --received 2020-01-01 units u.csv >/dev/null || exit 1
"$YINGJI" --db t.db import --received 2020-03-01 inspections i1.csv >/dev/null || exit 1
"$YINGJI" --db t.db import --received 2020-08-01 inspections i2.csv >/dev/null || exit 1
cat >q.lua <<'X'
print(sql.value("SELECT enterprise || ':' || hazards_found FROM inspections"))
X
cp t.db base.db
# old_values with enterprise's text replaced by $1 (JSON text, as stored)
with() { cp base.db t.db; sqlite3 t.db "UPDATE revisions SET old_values = replace(old_values, '\"某厂\"', '$1')"; }

with '"\u0041\"b\\c"'
expect_status 0 "valid escapes: read" "$YINGJI" --db t.db run --known-on 2020-03-01 q.lua
contains err.txt 'A"b\c:2' "valid escapes: their characters"

for bad in '"x\u12"' '"\u12"' '"\u4e2g"' '"\uzzzz"'; do
    with "$bad"
    # the last value: the text's end right after the short escape
    sqlite3 t.db "UPDATE revisions SET old_values = '{\"id\":\"I1\",\"hazards_found\":2,\"enterprise\":$bad}'"
    expect_status 4 "$bad: refused, no crash" "$YINGJI" --db t.db run --known-on 2020-03-01 q.lua
    contains err.txt "inspections: the old values of record I1 (table revisions) are not readable JSON" \
        "$bad: the message names the record"
done
