# run_text_widths.sh — the text writer keeps each cell's formatted text and width from
# the width pass for the write pass (issue 18), for a table's first 131,072 cells only:
# a table of 250,000 cells whose widest number, text and real come after that bound must
# come out byte for byte as the writer that formatted every cell twice wrote it (the
# checksums below are of that writer's output, main at 037e23c), in every format.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db db.sqlite init >/dev/null 2>&1 || not_ok "init"
cat >wide.lua <<'LUA'
local rows = {}
for i = 1, 50000 do
  local note
  if i % 4 == 0 then note = "" elseif i % 4 == 2 then note = "注" .. i end
  local flag = i % 3 == 0
  if i % 7 == 0 then flag = nil end
  rows[i] = {
    n = i == 45000 and 12345678901234 or i,
    label = i == 40000 and string.rep("甲", 12) or string.rep("甲", i % 5) .. (i % 11 == 0 and "e\u{301}" or "") .. i,
    x = i == 30000 and -1.2345678901234567e-300 or i / 8,
    flag = flag,
    note = note,
  }
end
publish("wide", { "n", "label", "x", "flag", "note" }, rows)
publish("headers", { "a_long_header", "b" }, { { a_long_header = 1, b = "x" }, { b = "" } })
local ints = {}
for _, v in ipairs({ 0, -1, 7, -10, 100, math.maxinteger, math.mininteger, -999999999999, 2^53 // 1 }) do
  ints[#ints + 1] = { v = v, neg = -v, s = tostring(v) }
end
publish("ints", { "v", "neg", "s" }, ints)
LUA
for pair in "text f1a0092adc8ac2dee54940feb9f81b5203f2953eb70a4105a041d1b83caedbbc" \
            "csv 70b5f97a3231d927530c96664301f460004f7ff08ee1cd8a33f616267454f948" \
            "json f38d658d3a1dcd8471b4328d9b258abb4c628b379f4e8407fc87fcd575d1add1"; do
    set -- $pair
    expect_status 0 "$1: runs" "$YINGJI" --db db.sqlite run --format "$1" wide.lua
    got=$(sha256sum <out.txt | cut -d' ' -f1)
    check "$1: the same bytes as before ($got)" test "$got" = "$2"
    mv out.txt "out.$1"
done
# What the checksum stands for, readable: the first row is padded to widths that only
# rows past the bound set (the number of row 45,000, the twelve wide characters of row
# 40,000, the real of row 30,000), and a row past the bound is padded to them too.
contains out.text "             1  甲1                                          0.125  false" \
    "text: row 1 padded to the widths of rows past the bound"
contains out.text "         49999  甲甲甲甲49999                             6249.875  false" \
    "text: a row past the bound padded alike"
contains out.text "         30000  30000                     -1.2345678901234568e-300  true" \
    "text: a number past the bound written whole"
check "text: 50,000 rows and the other tables ($(wc -l <out.text) lines)" test "$(wc -l <out.text)" -eq 50022
# Integers are written from their digits, not by printf: the edges as "%lld" writes them.
contains out.text "-9223372036854775808  -9223372036854775808  -9223372036854775808" "text: the smallest integer"
contains out.text " 9223372036854775807  -9223372036854775807  9223372036854775807" "text: the largest integer"
contains out.text "                   0                     0  0" "text: zero"
contains out.csv "-10,10,-10" "csv: a negative integer"
