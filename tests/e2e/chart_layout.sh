# chart_layout.sh — page layout of documents (issue 16 item 13): a heading is kept with a
# short paragraph and the chart after it (never alone at a page foot with its chart
# overleaf); a table starts on a page only with at least 3 rows and never leaves fewer
# than 4 rows (its totals row among them) alone on the next page. Each case is laid out
# after 0..44 lines of filler, so that every break position is tried.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db d.db init >/dev/null
cat >doc.lua <<'LUA'
local chart = require "chart"
local P = ctx.params
local doc = chart.document{ title = "版式", date = "2020-06-30" }
doc:section("一、填充")
if P.lines > 0 then
  doc:paragraph(string.rep("填充文字填充文字填充文字填充文字填充文字填充文字填充文字填充文字", P.lines))
end
if P.case == "heading" then
  doc:section("二、测试标题")
  doc:paragraph("一段较短的说明文字，引出下面的图表。")
  doc:chart{ kind = "bar", title = "测试图表", categories = { "甲", "乙" },
             series = { { name = "x", values = { 1, 2 } } }, height_mm = 80 }
else
  local rows = {}
  for i = 1, 40 do rows[i] = { string.format("r%02d", i), i } end
  rows[41] = { "合计", 820 }
  doc:table{ caption = "测试表", columns = { "行", "值" }, rows = rows, bold_rows = { 41 } }
end
doc:save(ctx.output)
LUA
bad_heading=0 bad_widow=0 bad_orphan=0 n=0
lines=0
while [ $lines -le 44 ]; do
    "$YINGJI" --db d.db run doc.lua --set case=heading --set lines=$lines -o h.pdf >/dev/null 2>&1 || bad_heading=$((bad_heading + 1000))
    "$YINGJI" --db d.db run doc.lua --set case=table --set lines=$lines -o t.pdf >/dev/null 2>&1 || bad_widow=$((bad_widow + 1000))
    n=$((n + 1))
    pages=$(pdfinfo h.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
    p=1
    while [ "$p" -le "${pages:-0}" ]; do
        pdftotext -enc UTF-8 -f $p -l $p h.pdf page.txt
        if grep -q "二、测试标题" page.txt && ! grep -q "测试图表" page.txt; then bad_heading=$((bad_heading + 1)); fi
        p=$((p + 1))
    done
    pages=$(pdfinfo t.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
    p=1 first=1
    while [ "$p" -le "${pages:-0}" ]; do
        pdftotext -enc UTF-8 -f $p -l $p t.pdf page.txt
        rows=$(grep -cE '^(r[0-9][0-9]|合计)' page.txt)
        if [ "$rows" -gt 0 ] && [ "$first" = 1 ]; then
            first=0
            [ "$rows" -ge 3 ] || bad_orphan=$((bad_orphan + 1))
        fi
        if grep -q "^合计" page.txt && [ "$rows" -lt 4 ]; then bad_widow=$((bad_widow + 1)); fi
        p=$((p + 1))
    done
    lines=$((lines + 2))
done
check "a heading is never apart from the short paragraph and chart after it ($n layouts, $bad_heading bad)" \
    test "$bad_heading" -eq 0
check "a table never leaves fewer than 4 rows with its totals row on a page ($bad_widow bad)" \
    test "$bad_widow" -eq 0
check "a table never starts with fewer than 3 rows at a page foot ($bad_orphan bad)" test "$bad_orphan" -eq 0
