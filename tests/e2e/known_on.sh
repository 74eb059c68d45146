# known_on.sh — `yingji run --known-on DATE` (issue 13 item 3): the script sees every
# dataset as known at the end of DATE, transparently (plain `FROM accidents`), and
# ctx.known_on says which date. Figures are checked against an independent model of
# the versions computed in Python from the tables and revisions.
. "$(dirname "$0")/../lib.sh"
S=$ROOT/seeds
"$YINGJI" --db t.db init >/dev/null
imp() { "$YINGJI" --db t.db import "$@" >/dev/null 2>&1; }
imp --received 2020-01-01 units "$S/units.csv"
imp --received 2020-07-03 accidents "$S/accidents_2020.csv"
imp --received 2020-08-15 accidents "$S/accidents_2020_corrections.csv"
# a second correction of SG2020-007 received later, and inspections in two batches
sed -n '1p' "$S/accidents_2020_corrections.csv" > fix2.csv
printf '%s\n' 'SG2020-007,2020-03-13 15:15,2020-03-13 16:54:00,T02,建筑施工,4,0,1,3,260,,normal,2020-05-27,是,,第二次更正' >> fix2.csv
imp --received 2020-09-30 accidents fix2.csv
head -200 "$S/inspections_2020.csv" > in1.csv
{ head -1 "$S/inspections_2020.csv"; sed -n '150,400p' "$S/inspections_2020.csv" | sed 's/,0,0,0,0,0,/,1,0,0,0,0,/'; } > in2.csv
imp --received 2020-03-01 inspections in1.csv
imp --received 2020-06-01 inspections in2.csv
imp --received 2020-01-10 targets "$S/targets_2020.csv"

cat > q.lua <<'X'
local a = sql.query("SELECT id, deaths, level, unit FROM accidents_v ORDER BY id")
local out = {}
for _, r in ipairs(a) do out[#out + 1] = {id = r.id, deaths = r.deaths, level = r.level, unit = r.unit} end
publish("accidents", {"id", "deaths", "level", "unit"}, out)
publish("n", {"accidents", "inspections", "hazards", "targets", "imports", "revisions", "known_on"}, {{
  accidents = sql.value("SELECT count(*) FROM accidents"),
  inspections = sql.value("SELECT count(*) FROM inspections"),
  hazards = sql.value("SELECT sum(hazards_found) FROM inspections_v"),
  targets = sql.value("SELECT count(*) FROM targets"),
  imports = sql.value("SELECT count(*) FROM imports"),
  revisions = sql.value("SELECT count(*) FROM revisions"),
  known_on = ctx.known_on and tostring(ctx.known_on) or "none"}})
X
# The model: each record's versions (revisions by id, then the table row), each known
# from its import's received date (an accident's first version: its reported_at date
# when given); the latest version known on D is shown.
cat > model.py <<'X'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); D = sys.argv[2]
recv = dict(db.execute("SELECT id, received FROM imports"))
def shown(table, key, cols):
    cur = {}
    for row in db.execute(f"SELECT {key}, batch, {', '.join(cols)} FROM {table}"):
        cur[row[0]] = (row[1], dict(zip(cols, row[2:])))
    out = {}
    for k, (batch, vals) in cur.items():
        vs = [(ob, json.loads(v)) for ob, v in db.execute(
            "SELECT old_batch, old_values FROM revisions WHERE dataset = ? AND record_key = ? ORDER BY id",
            (table, k))] + [(batch, vals)]
        pick = None
        for i, (b, v) in enumerate(vs):
            when = recv[b]
            if i == 0 and table == "accidents" and v.get("reported_at"): when = v["reported_at"][:10]
            if when <= D: pick = v
        if pick is not None: out[k] = pick
    return out
acc = shown("accidents", "id", ["deaths", "level", "unit_id", "reported_at"])
ins = shown("inspections", "id", ["hazards_found"])
tg = shown("targets", "year || '|' || unit_id || '|' || indicator", ["value"])
code = dict(db.execute("SELECT id, code FROM units"))
for k in sorted(acc): print(k, acc[k]["deaths"], acc[k]["level"], code[acc[k]["unit_id"]])
print(len(acc), len(ins), sum(v["hazards_found"] for v in ins.values()) if ins else None, len(tg))
X
for day in 2020-02-01 2020-03-01 2020-06-01 2020-06-30 2020-07-05 2020-08-15 2020-09-29 2020-09-30 2020-12-31; do
    expect_status 0 "run --known-on $day" "$YINGJI" --db t.db run --known-on "$day" --format json q.lua
    check "as known on $day: accidents, versions and counts match the model" test \
      "$(python3 -c '
import json, sys
r = json.load(open("out.txt"))
for a in r["accidents"]: print(a["id"], a["deaths"], a["level"], a["unit"])
n = r["n"][0]
print(n["accidents"], n["inspections"], n["hazards"], n["targets"])')" = "$(python3 model.py t.db "$day")"
    check "ctx.known_on is $day" grep -q "\"known_on\": *\"$day\"" out.txt
    check "imports and revisions as known on $day" test \
      "$(python3 -c 'import json; n = json.load(open("out.txt"))["n"][0]; print(n["imports"], n["revisions"])')" = \
      "$(sqlite3 t.db "SELECT count(*) FROM imports WHERE received <= '$day'; " | tr '\n' ' ')$(sqlite3 t.db "SELECT count(*) FROM revisions WHERE new_batch IN (SELECT id FROM imports WHERE received <= '$day')")"
done
expect_status 0 "--known-on 2020-07-05 (text)" "$YINGJI" --db t.db run --known-on 2020-07-05 q.lua
check "SG2020-012 (reported 2020-10-19) is absent on 2020-07-05" sh -c '! grep -q SG2020-012 out.txt'
check "SG2020-007 shows 2 deaths as first reported" grep -Eq '^SG2020-007 +2 ' out.txt
expect_status 0 "--known-on 2020-08-20" "$YINGJI" --db t.db run --known-on 2020-08-20 q.lua
check "SG2020-007 shows the first correction (3, 较大)" grep -Eq '^SG2020-007 +3 +较大' out.txt
expect_status 0 "without --known-on" "$YINGJI" --db t.db run --format json q.lua
check "without --known-on: today's data, ctx.known_on nil" test \
  "$(python3 -c 'import json; n = json.load(open("out.txt"))["n"][0]; print(n["accidents"], n["inspections"], n["known_on"])')" = \
  "$(sqlite3 t.db "SELECT count(*) FROM accidents; SELECT count(*) FROM inspections" | tr '\n' ' ')none"
today=$(date +%Y-%m-%d)
expect_status 0 "--known-on today equals today's data" "$YINGJI" --db t.db run --known-on "$today" q.lua
"$YINGJI" --db t.db run q.lua > plain.txt
check "… the same output but for ctx.known_on" test "$(head -n -2 out.txt)" = "$(head -n -2 plain.txt)"
expect_status 0 "other date forms: 2020年7月5日" "$YINGJI" --db t.db run --known-on 2020年7月5日 --format json q.lua
check "… read as 2020-07-05" grep -q '"known_on": *"2020-07-05"' out.txt
expect_status 0 "--known-on earlier than --as-of is allowed" "$YINGJI" --db t.db run --as-of 2020-06-30 --known-on 2020-06-01 q.lua
tomorrow=$(date -d tomorrow +%Y-%m-%d 2>/dev/null || date -v+1d +%Y-%m-%d)
expect_status 1 "--known-on in the future is a usage error" "$YINGJI" --db t.db run --known-on "$tomorrow" q.lua
contains err.txt "--known-on: $tomorrow is in the future" "names the option"
expect_status 1 "--known-on not a date" "$YINGJI" --db t.db run --known-on soon q.lua
contains err.txt "--known-on" "names the option"
# the sandbox is unchanged: the views are read, nothing else becomes possible
printf 'sql.query("DROP VIEW accidents")\n' > drop.lua
expect_status 4 "a script cannot drop the as-known views" "$YINGJI" --db t.db run --known-on 2020-07-05 drop.lua
printf 'sql.query("CREATE TEMP VIEW x AS SELECT 1")\n' > mk.lua
expect_status 4 "nor create its own" "$YINGJI" --db t.db run --known-on 2020-07-05 mk.lua
printf 'publish("n", {"n"}, {{n = sql.value("SELECT count(*) FROM main.accidents")}})\n' > main.lua
expect_status 0 "main.accidents names today's table explicitly" "$YINGJI" --db t.db run --known-on 2020-07-05 main.lua
check "… all of it" grep -q "^$(sqlite3 t.db 'SELECT count(*) FROM accidents')\$" out.txt
check "the database is unchanged by a --known-on run" test "$(sqlite3 t.db "SELECT count(*) FROM sqlite_schema WHERE type = 'view'")" -eq 5
# --as-of takes every date form the importer accepts too
printf 'publish("d", {"as_of"}, {{as_of = ctx.as_of:iso()}})\n' > asof.lua
for form in 2020/6/30 2020.6.30 2020年6月30日 20200630; do
    expect_status 0 "--as-of '$form'" "$YINGJI" --db t.db run --as-of "$form" asof.lua
    check "… is 2020-06-30" grep -qx "2020-06-30" out.txt
done
expect_status 1 "--as-of 2020-02-30 is still refused" "$YINGJI" --db t.db run --as-of 2020-02-30 asof.lua
