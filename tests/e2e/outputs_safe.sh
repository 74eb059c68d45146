# outputs_safe.sh — files the engine writes are written beside their target and renamed
# over it, never truncated in place, and never over the database (issue 10 items 13, 15):
# -o naming the database under any spelling (./, absolute, dir/.., symlink, hard link,
# -wal, -shm, -journal) is refused before the script runs; a script cannot save over the
# database through charts_dir either; a hard link or symlink planted at an output name is
# replaced, its target untouched; nothing of ours is left beside the outputs.
. "$(dirname "$0")/../lib.sh"
units_db t.db
sqlite3 t.db "PRAGMA journal_mode" >jm.txt
dbdump t.db >before.sql
units=$(sqlite3 t.db "SELECT count(*) FROM units")

cat >doc.lua <<'LUA'
local chart = require "chart"
local doc = chart.document{ title = "测试", date = "2020-06-30" }
doc:section("一、总体情况")
doc:paragraph("全市共发生生产安全事故12起。")
doc:save(ctx.params.target or ctx.output)
LUA

intact() {   # intact DESCRIPTION: the database still holds what it held
    if [ "$(sqlite3 t.db "PRAGMA integrity_check")" = ok ] && dbdump t.db | cmp -s - before.sql \
        && [ "$(head -c 15 t.db)" = "SQLite format 3" ]; then ok "$1"; else not_ok "$1"; fi
}

# -o is the database, spelled every way: refused with a usage error, nothing written.
mkdir sub
ln -s t.db link.db
ln t.db hard.db
for o in t.db ./t.db "$PWD/t.db" sub/../t.db link.db hard.db t.db-wal t.db-shm t.db-journal \
         ./t.db-wal "$PWD/t.db-shm"; do
    expect_status 1 "run -o $o (the database) is refused" "$YINGJI" --db t.db run doc.lua -o "$o"
    contains err.txt "is the database" "  and the message says why ($o)"
done
intact "the database is intact after every refused -o"
check "no -wal/-shm file was made into a PDF" sh -c '! head -c 5 t.db-wal 2>/dev/null | grep -q %PDF && ! head -c 5 t.db-shm 2>/dev/null | grep -q %PDF'
# the database named through a symlink: -o the real file is refused too
expect_status 1 "run --db link.db -o t.db is refused" "$YINGJI" --db link.db run doc.lua -o t.db
expect_status 1 "run --db link.db -o t.db-wal is refused" "$YINGJI" --db link.db run doc.lua -o t.db-wal

# A script cannot write over the database by another route: charts_dir holding it.
expect_status 4 "doc:save over the database inside charts_dir is refused" \
    "$YINGJI" --db t.db run doc.lua -o out.pdf --set charts_dir=. --set target=t.db
contains err.txt "is the database" "  with the reason"
expect_status 4 "doc:save over a hard link to the database inside charts_dir is refused" \
    "$YINGJI" --db t.db run doc.lua -o out.pdf --set charts_dir=. --set target=./hard.db
expect_status 4 "doc:save over the -wal name inside charts_dir is refused" \
    "$YINGJI" --db t.db run doc.lua -o out.pdf --set charts_dir=. --set target=t.db-wal
intact "the database is intact after the refused saves"

# An ordinary -o still works, replaces an older file, and leaves no temp behind.
echo old >out.pdf
expect_status 0 "run -o out.pdf writes the document" "$YINGJI" --db t.db run doc.lua -o out.pdf
check "  the PDF replaced the old file" sh -c 'head -c 5 out.pdf | grep -q "%PDF-"'
check "  no temp file is left beside it" sh -c '! ls -a | grep -q yingji-tmp'

# Hard links and symlinks planted at an output name: replaced, never written through.
mkdir charts elsewhere
echo "victim" >elsewhere/victim.png
ln elsewhere/victim.png charts/units.png
echo "victim" >elsewhere/victim.pdf
ln elsewhere/victim.pdf hard_out.pdf
cat >save.lua <<'LUA'
local chart = require "chart"
local spec = { kind = "bar", categories = { "a", "b" }, series = { { values = { 1, 2 } } } }
for _, ext in ipairs{ "png", "svg", "pdf" } do chart.save(spec, ctx.params.charts_dir .. "/units." .. ext) end
local doc = chart.document{ date = "2020-06-30" }
doc:chart(spec)
doc:save(ctx.output)
LUA
ln elsewhere/victim.pdf charts/units.pdf
expect_status 0 "chart.save and doc:save over planted hard links" \
    "$YINGJI" --db t.db run save.lua -o hard_out.pdf --set charts_dir=charts
check "issue 10.15: the hard link's target in charts_dir is untouched" \
    test "$(cat elsewhere/victim.png)" = victim
check "  the -o hard link's target is untouched" test "$(cat elsewhere/victim.pdf)" = victim
check "  charts/units.png is a new PNG" sh -c 'head -c 4 charts/units.png | grep -q PNG'
check "  charts/units.pdf is a new PDF, no longer linked" \
    sh -c 'head -c 5 charts/units.pdf | grep -q %PDF && [ "$(stat -c %h charts/units.pdf)" = 1 ]'
check "  hard_out.pdf is a new PDF" sh -c 'head -c 5 hard_out.pdf | grep -q %PDF'
check "  no temp file is left in charts_dir" sh -c '! ls -a charts | grep -q yingji-tmp'

# A symlink in charts_dir to a file inside charts_dir is allowed by the policy: the link
# is replaced by the file, the file it pointed to keeps its bytes.
echo "inside" >charts/keep.png
rm -f charts/units.png && ln -s keep.png charts/units.png
expect_status 0 "chart.save over a symlink inside charts_dir" \
    "$YINGJI" --db t.db run save.lua -o out2.pdf --set charts_dir=charts
check "  the link's target keeps its bytes" test "$(cat charts/keep.png)" = inside
check "  the link became the PNG" sh -c '[ ! -L charts/units.png ] && head -c 4 charts/units.png | grep -q PNG'

# The same bytes as before: writing through a temp does not change the output.
"$YINGJI" --db t.db run save.lua -o again.pdf --set charts_dir=charts >/dev/null 2>&1
cmp -s hard_out.pdf again.pdf && ok "the same script gives the same PDF bytes" || not_ok "the same script gives the same PDF bytes"

# A failed save leaves the old file and no temp.
echo old >keep.pdf
cat >fail.lua <<'LUA'
local chart = require "chart"
chart.save({ kind = "bar", categories = { "a" }, series = { { values = { 1 } } }, width_mm = 420, height_mm = 297 },
           ctx.params.charts_dir .. "/huge.png", { dpi = 600 })
LUA
cp keep.pdf charts/huge.png
expect_status 4 "a refused chart.save" "$YINGJI" --db t.db run fail.lua -o out3.pdf --set charts_dir=charts
check "  leaves the old file as it was" cmp -s keep.pdf charts/huge.png
check "  and no temp file" sh -c '! ls -a charts | grep -q yingji-tmp'

# Stale temps of dead processes are swept by the next write in their folder; a temp of a
# live process is left alone.
echo stale >charts/units.png.yingji-tmp-999999999
echo stale >charts/other.pdf.yingji-tmp-999999998-2
echo stale >charts/x.yjar.yingji-tmp-999999997-journal
sleep 300 & live=$!
echo live >charts/units.png.yingji-tmp-$live
echo mine >charts/notes.yingji-tmp-x
expect_status 0 "a run writing into charts_dir" "$YINGJI" --db t.db run save.lua -o out4.pdf --set charts_dir=charts
check "  removes temps of dead processes" sh -c '! ls charts | grep -q yingji-tmp-99999999'
check "  keeps the temp of a live process" test -e charts/units.png.yingji-tmp-$live
check "  and files that only look alike" test -e charts/notes.yingji-tmp-x
kill $live 2>/dev/null
wait $live 2>/dev/null
intact "the database is intact at the end"
