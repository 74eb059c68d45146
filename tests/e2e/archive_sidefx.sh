# archive_sidefx.sh — `yingji verify` acts on nothing outside a private temp folder
# (issue 12, attack 3): an archive made with --set charts_dir=DIR whose script writes
# only when it is verified cannot touch DIR; a briefing-like script that writes its
# charts still verifies, and the temp folder is gone afterwards. The file the sneaky
# script writes only under verify is an output the archived run never wrote: a
# difference (format 2 records the outputs), so verify fails, naming it.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null || exit 1
mkdir charts tmp
cat >sneaky.lua <<'LUA'
-- the archive run sees no yj_archive table; the verify run does
local under_verify = sql.query("SELECT count(*) AS n FROM sqlite_master WHERE name = 'yj_archive'")[1].n > 0
local doc = require("chart").document()
doc:section("x")
if under_verify then doc:save(ctx.params.charts_dir .. "/victim.pdf") end
publish("t", { "x" }, { { x = 1 } })
LUA
expect_status 0 "archive a script that writes only under verify" \
    "$YINGJI" --db t.db archive -o s.yjar --set charts_dir=charts sneaky.lua
printf 'precious' >charts/victim.pdf
TMPDIR=$TMP/tmp expect_status 5 "verify runs it, and fails: an output the archived run did not write" \
    "$YINGJI" verify s.yjar
contains out.txt "output victim.pdf: written by the re-run, not by the archived run" "the extra output is named"
check "the file in charts_dir is untouched" test "$(cat charts/victim.pdf)" = precious
check "the private temp folder is removed" test -z "$(ls tmp)"
rm -r charts
TMPDIR=$TMP/tmp expect_status 5 "verify with charts_dir gone" "$YINGJI" verify s.yjar
check "verify does not create the archived charts_dir" test ! -e charts

# A script that writes its charts every time: they go to the temp folder, not charts/.
cat >charts.lua <<'LUA'
local chart = require("chart")
chart.save({ kind = "bar", categories = { "a" }, series = { { values = { 1 } } } },
           ctx.params.charts_dir .. "/01-bar.svg")
publish("t", { "x" }, { { x = 1 } })
LUA
mkdir charts
expect_status 0 "archive a chart-writing script" "$YINGJI" --db t.db archive -o c.yjar --set charts_dir=charts charts.lua
check "archive writes the chart" test -s charts/01-bar.svg
rm charts/01-bar.svg
TMPDIR=$TMP/tmp expect_status 0 "a chart-writing archive verifies" "$YINGJI" verify c.yjar
check "verify wrote no chart into charts_dir" test ! -e charts/01-bar.svg
check "the temp folder is removed afterwards" test -z "$(ls tmp)"
