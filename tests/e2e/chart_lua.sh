# chart_lua.sh — the chart module through `yingji run`: a document and single charts are
# written only where the output policy allows (-o, --set charts_dir), in every format,
# with the Chinese text embedded; mistakes are script errors (exit 4) naming the field.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null
mkdir charts
cat >doc.lua <<'LUA'
local chart = require "chart"
local doc = chart.document{ title = "测试通报", author = "某市应急管理局", date = "2020-06-30" }
doc:title_block{ city = "某市", title = "安全生产形势通报", period = "2020年6月",
                 issuer = "某市应急管理局", cutoff = "2020-06-30" }
doc:section("一、总体情况")
doc:paragraph("1—6月，全市共发生生产安全事故12起、死亡13人。")
local spec = { kind = "grouped", title = "各地区事故起数", categories = { "城关区", "东湖区" },
               series = { { name = "2020年", values = { 3, 2 } }, { name = "2019年", values = { 4, 1 } } } }
doc:chart(spec)
assert(doc:save(ctx.output) == 1, "one page")
if ctx.params.charts_dir then
  for _, ext in ipairs{ "png", "svg", "pdf" } do
    chart.save(spec, ctx.params.charts_dir .. "/units." .. ext)
  end
end
LUA
expect_status 0 "a script writes its -o document (doc:save returns 1 page)" "$YINGJI" --db t.db run doc.lua --as-of 2020-06-30 \
    -o out.pdf --set charts_dir=charts
check "the PDF opens in poppler" sh -c "pdfinfo out.pdf >/dev/null"
pdftotext -enc UTF-8 out.pdf text.txt
contains text.txt "全市共发生生产安全事故12起、死亡13人" "pdftotext gives the Chinese text back"
check "charts_dir gets a PNG" sh -c 'head -c 4 charts/units.png | grep -q PNG'
check "charts_dir gets an SVG" grep -q "<svg" charts/units.svg
check "charts_dir gets a PDF" sh -c "pdfinfo charts/units.pdf >/dev/null"
pdffonts out.pdf | tail -n +3 >fonts.txt
check "every font is embedded" sh -c '[ -s fonts.txt ] && ! grep -v " yes yes yes " fonts.txt'
"$YINGJI" --db t.db run doc.lua --as-of 2020-06-30 -o again.pdf >/dev/null 2>&1
check "the same script gives the same bytes" cmp -s out.pdf again.pdf

cat >escape.lua <<'LUA'
local chart = require "chart"
chart.save({ kind = "bar", categories = { "a" }, series = { { values = { 1 } } } }, "elsewhere.png")
LUA
expect_status 4 "writing outside -o and charts_dir is a script error" "$YINGJI" --db t.db run escape.lua \
    -o out2.pdf
contains err.txt "may write only" "the error gives the reason"
check "nothing was written" test ! -e elsewhere.png

cat >bad.lua <<'LUA'
require("chart").document():chart{ kind = "pie", categories = {}, series = {} }
LUA
expect_status 4 "an unknown chart kind is a script error" "$YINGJI" --db t.db run bad.lua
contains err.txt "unknown chart kind 'pie'" "the error names the kind"
contains err.txt "bad.lua:1:" "and the script line"
