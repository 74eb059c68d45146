# run_large_output.sh — results far larger than the writers' 64 KB chunks (issue 18: the
# text is built in memory and written a chunk at a time) arrive whole and in order on
# stdout and in --results, in every format.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db db.sqlite init >/dev/null 2>&1 || not_ok "init"
cat >many.lua <<'LUA'
local rows = {}
for i = 1, 30000 do rows[i] = { n = i, text = string.rep("甲", i % 7) .. "," .. i, x = i / 4 } end
publish("a", { "n", "text", "x" }, rows)
publish("b", { "n" }, { { n = 1 }, { n = 2 } })
LUA
for f in json csv text; do
    expect_status 0 "$f: runs" "$YINGJI" --db db.sqlite run --format $f many.lua
    mv out.txt "out.$f"
    expect_status 0 "$f: --results runs" "$YINGJI" --db db.sqlite run --format $f --results "res.$f" many.lua
    check "$f: --results holds what stdout shows" cmp -s "out.$f" "res.$f"
done
n=$(sqlite3 :memory: "SELECT count(*), sum(json_extract(value, '\$.n')), count(DISTINCT json_extract(value, '\$.n')),
                              sum(json_extract(value, '\$.text') = substr('甲甲甲甲甲甲', 1, json_extract(value, '\$.n') % 7) || ',' || json_extract(value, '\$.n'))
                       FROM json_each(readfile('out.json'), '\$.a')")
check "json: 30,000 rows, every n once, each text whole ($n)" test "$n" = "30000|450015000|30000|30000"
check "json: the second table follows" test "$(sqlite3 :memory: "SELECT json_array_length(readfile('out.json'), '\$.b')")" = 2
check "csv: header, 30,000 rows, then the second table ($(wc -l <out.csv) lines)" test "$(wc -l <out.csv)" -eq 30006
contains out.csv '29997,"甲甲,29997",7499.25' "csv: a quoted cell near the end"
check "text: 30,000 rows and the second table ($(wc -l <out.text) lines)" test "$(wc -l <out.text)" -eq 30009
