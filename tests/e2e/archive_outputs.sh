# archive_outputs.sh — the files an archived run wrote are part of the archive (issue 12,
# format 2): each by name (relative to --set charts_dir) and SHA-256 in
# yj_archive_outputs, under the manifest; `verify` hashes the re-run's files (written in
# its private temp folder) and a changed, missing or extra file fails, naming it. And
# `archive --set charts_dir=DIR` creates a missing DIR as `run` does.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null || exit 1
mkdir tmp
# v: the chart's value; under verify (the snapshot has yj_archive) it may differ
cat >charts.lua <<'LUA'
local chart = require("chart")
local under_verify = sql.query("SELECT count(*) AS n FROM sqlite_master WHERE name = 'yj_archive'")[1].n > 0
local mode = ctx.params.mode or "same"
local v = (mode == "change" and under_verify) and 2 or 1
chart.save({ kind = "bar", categories = { "a" }, series = { { values = { v } } } },
           ctx.params.charts_dir .. "/01-bar.svg")
if not (mode == "drop" and under_verify) then
  chart.save({ kind = "bar", categories = { "b" }, series = { { values = { 3 } } } },
             ctx.params.charts_dir .. "/sub-02.svg")
end
publish("t", { "x" }, { { x = 1 } })
LUA

expect_status 0 "archive with --set charts_dir=DIR, DIR missing" \
    "$YINGJI" --db t.db archive -o same.yjar --set charts_dir=new charts.lua
check "archive creates the missing charts_dir" test -d new
check "… and the script's charts are in it" test -s new/01-bar.svg -a -s new/sub-02.svg
contains out.txt "2 output(s)" "archive counts the outputs it recorded"
check "the outputs are recorded by name and SHA-256" test \
    "$(sqlite3 same.yjar "SELECT name || ' ' || sha256 FROM yj_archive_outputs ORDER BY seq")" = \
    "$(cd new && sha256sum 01-bar.svg sub-02.svg | awk '{print $2 " " $1}')"
rm -r new
TMPDIR=$TMP/tmp expect_status 0 "the same outputs verify" "$YINGJI" verify same.yjar
contains out.txt "table(s) and output(s) identical" "verify says the outputs are identical"
check "verify wrote nothing into the archived charts_dir" test ! -e new
check "the private temp folder is removed" test -z "$(ls tmp)"

mkdir -p made
expect_status 0 "archive a run whose chart differs under verify" \
    "$YINGJI" --db t.db archive -o change.yjar --set charts_dir=made --set mode=change charts.lua
TMPDIR=$TMP/tmp expect_status 5 "a changed output fails verification" "$YINGJI" verify change.yjar
contains out.txt "output 01-bar.svg: changed" "… naming the file"
contains out.txt "verification failed" "… reported as a failure"

expect_status 0 "archive a run that writes fewer files under verify" \
    "$YINGJI" --db t.db archive -o drop.yjar --set charts_dir=made2 --set mode=drop charts.lua
TMPDIR=$TMP/tmp expect_status 5 "an output the re-run did not write fails" "$YINGJI" verify drop.yjar
contains out.txt "output sub-02.svg: the re-run did not write it" "… naming the file"
check "the private temp folder is removed after a failure too" test -z "$(ls tmp)"

# the record of outputs is under the manifest
cp same.yjar t1.yjar && sqlite3 t1.yjar "UPDATE yj_archive_outputs SET sha256 = replace(sha256, substr(sha256, 1, 1), 'f') WHERE seq = 1"
expect_status 5 "an edited output hash is detected" "$YINGJI" verify t1.yjar
contains out.txt "manifest" "… as a manifest mismatch"
cp same.yjar t2.yjar && sqlite3 t2.yjar "DELETE FROM yj_archive_outputs WHERE seq = 2"
expect_status 5 "a deleted output is detected" "$YINGJI" verify t2.yjar
cp same.yjar t3.yjar && sqlite3 t3.yjar "UPDATE yj_archive_outputs SET name = '../x.svg' WHERE seq = 1"
expect_status 5 "an output named outside its folder is refused" "$YINGJI" verify t3.yjar
contains out.txt "not a name inside the output folder" "… by the strict reader"
cp same.yjar t4.yjar && sqlite3 t4.yjar "DROP TABLE yj_archive_outputs"
expect_status 5 "a format-2 archive without its outputs table is refused" "$YINGJI" verify t4.yjar
cp "$ROOT/tests/data/archive/archive_2019_format1.yjar" t5.yjar
sqlite3 t5.yjar "CREATE TABLE yj_archive_outputs (seq INTEGER PRIMARY KEY, name TEXT NOT NULL,  sha256 TEXT NOT NULL)"
expect_status 5 "a format-1 archive with an outputs table is refused" "$YINGJI" verify t5.yjar
contains out.txt "a format-1 archive with yj_archive_outputs" "… saying so"

# a run that writes no chart records none, and verifies
cat >plain.lua <<'LUA'
publish("t", { "x" }, { { x = 1 } })
LUA
expect_status 0 "archive a run without outputs" "$YINGJI" --db t.db archive -o plain.yjar plain.lua
contains out.txt "0 output(s)" "… none recorded"
expect_status 0 "… verifies" "$YINGJI" verify plain.yjar

# charts_dir exists as a file: refused as by run
: >afile
expect_status 4 "charts_dir naming a file is an error" \
    "$YINGJI" --db t.db archive -o f.yjar --set charts_dir=afile/sub charts.lua
check "… and no archive is written" test ! -e f.yjar
