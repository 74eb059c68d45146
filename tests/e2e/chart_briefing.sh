# briefing.sh — scripts/briefing.lua end to end: the June 2020 briefing of the seed city
# (seeds/demo.sh) opens in poppler, embeds its fonts, has every section, gives back the
# headline figures computed here independently in SQL, is byte-identical when rebuilt,
# writes each chart to charts_dir; and the edge cases of the briefing (docs/charts.md) (no
# previous year, zero baselines, long unit names, 200 units) render, while a database with
# no data at all is refused (tests/e2e/briefing_content.sh checks what the text says).
. "$(dirname "$0")/../lib.sh"

YINGJI_DB=seed.db sh "$ROOT/seeds/demo.sh" "$YINGJI" >/dev/null 2>&1
check "the seed city loads" test -s seed.db
brief() {  # DB AS_OF OUT [ARGS...]
    db=$1 as_of=$2 out=$3; shift 3
    "$YINGJI" --db "$db" run "$ROOT/scripts/briefing.lua" --as-of "$as_of" -o "$out" "$@"
}
mkdir charts
expect_status 0 "the June 2020 briefing is written" brief seed.db 2020-06-30 b.pdf \
    --set city=云岚市 --set charts_dir=charts
pages=$(pdfinfo b.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')
check "pdfinfo reads it (${pages:-no} pages)" test "${pages:-0}" -ge 4
pdffonts b.pdf | tail -n +3 >fonts.txt
check "pdffonts shows every font embedded" sh -c '[ -s fonts.txt ] && ! grep -v " yes yes yes " fonts.txt'
# Three faces: Sans (the 黑体 role: the title, headings, charts, tables) regular and bold,
# Serif regular (body text). Each embedded face costs the run its whole CFF table (19 to
# 27 MB read twice by cairo), so no fourth one for the title (docs/performance.md).
awk '{ print $1 }' fonts.txt | sed 's/^[A-Z]*+//' | sort >faces.txt
printf 'NotoSansCJKsc-Bold\nNotoSansCJKsc-Regular\nNotoSerifCJKsc-Regular\n' >faces-want.txt
check "three faces: Noto Sans CJK SC regular and bold, Noto Serif CJK SC regular ($(tr '\n' ' ' <faces.txt))" \
    cmp -s faces.txt faces-want.txt
brief seed.db 2020-06-30 again.pdf --set city=云岚市 >/dev/null 2>&1
check "rebuilding gives identical bytes" cmp -s b.pdf again.pdf
pdftotext -enc UTF-8 b.pdf b.txt
for s in 一、总体情况 二、重点事故及事故报告情况 三、月度趋势 四、分地区情况 五、分行业情况 \
         六、控制指标进度 七、执法检查 八、考核进展 附：数据来源; do
    contains b.txt "$s" "section $s"
done
contains b.txt "云岚市安全生产形势通报" "the title"
tr -d ' ' <b.txt >b-nospace.txt   # pdftotext spaces the footer by the width of its digits
contains b-nospace.txt "第1页/共${pages}页" "the footer counts the pages"

q() { sqlite3 seed.db "$1"; }
counted="production = 1 AND written_off = 0"
n=$(q "SELECT count(*) FROM accidents WHERE occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01' AND $counted")
d=$(q "SELECT sum(deaths + missing) FROM accidents WHERE occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01' AND $counted")
contains b.txt "全市共发生生产安全事故${n}起、死亡（含失踪）${d}人" "year-to-date figures match SQL ($n, $d)"
mn=$(q "SELECT count(*) FROM accidents WHERE occurred_at >= '2020-06-01' AND occurred_at < '2020-07-01' AND $counted")
md=$(q "SELECT coalesce(sum(deaths + missing), 0) FROM accidents WHERE occurred_at >= '2020-06-01' AND occurred_at < '2020-07-01' AND $counted")
contains b.txt "6月发生事故${mn}起、死亡${md}人" "the month's figures match SQL ($mn, $md)"
ins=$(q "SELECT count(*) FROM inspections WHERE inspected_on >= '2020-01-01' AND inspected_on < '2020-07-01'")
contains b.txt "全市共开展执法检查${ins}家次" "inspections match SQL ($ins)"
sha=$(q "SELECT sha256 FROM imports WHERE file LIKE '%units.csv'" | cut -c1-12)
check "the data sources list the import hashes" sh -c "tr -d '\n' <b.txt | grep -q '$sha'"
check "charts_dir has a PNG and an SVG of each chart" \
    sh -c '[ "$(ls charts/*.png | wc -l)" -ge 5 ] && [ "$(ls charts/*.png | wc -l)" = "$(ls charts/*.svg | wc -l)" ]'

python3 - charts/*.png >dpi.txt <<'PY'
import struct, sys
for f in sys.argv[1:]:
    d = open(f, "rb").read()
    p, dpi = 8, None
    while p < len(d):
        n, = struct.unpack(">I", d[p:p + 4])
        if d[p + 4:p + 8] == b"pHYs":
            x, y, unit = struct.unpack(">IIB", d[p + 8:p + 17])
            dpi = round(x * 0.0254) if unit == 1 and x == y else None
        p += 12 + n
    print(f, dpi)
PY
check "every exported PNG records 300 dpi (pHYs)" sh -c '[ -s dpi.txt ] && ! grep -v " 300$" dpi.txt'

# Edge cases.
"$YINGJI" --db empty.db init >/dev/null
expect_status 4 "a database with no data at all is refused" brief empty.db 2020-06-30 empty.pdf
check "… and no PDF is written" test ! -e empty.pdf

sh "$ROOT/bench/gen_province.sh" "$YINGJI" gen.db 11 3
sqlite3 gen.db "DELETE FROM accidents WHERE occurred_at < '2020-01-01';
                UPDATE units SET name = name || '高新技术产业开发区管理委员会安全生产监督管理局' WHERE id % 4 = 1;"
expect_status 0 "no previous year and long unit names render" brief gen.db 2020-06-30 noprev.pdf
pdftotext -enc UTF-8 noprev.pdf noprev.txt
contains noprev.txt "无上年同期数据" "no previous year is said in words"
contains noprev.txt "—" "and shown as — in the tables"

sh "$ROOT/bench/gen_province.sh" "$YINGJI" gen200.db 200 3
expect_status 0 "200 units render" brief gen200.db 2020-06-30 u200.pdf
pdftotext -enc UTF-8 u200.pdf u200.txt
contains u200.txt "共200个单位，列出前20位和后10位" "200 units: the top and bottom units are shown"
check "200 units: the narrative names a few units whose deaths rose and counts the rest" \
    sh -c "tr -d '\n' <u200.txt | grep -qE '等[0-9]+个单位死亡人数同比上升'"
sqlite3 gen200.db "DELETE FROM accidents WHERE occurred_at >= '2020-06-01' AND occurred_at < '2020-07-01'"
expect_status 0 "a month without accidents renders" brief gen200.db 2020-06-30 empty-month.pdf
pdftotext -enc UTF-8 empty-month.pdf empty-month.txt
contains empty-month.txt "6月发生事故0起、死亡0人" "… with the month's zeros"

# The benchmark's province: 3,000 units still give a briefing (the narrative's lists are
# cut, so no paragraph passes the 64 KiB limit).
sh "$ROOT/bench/gen_province.sh" "$YINGJI" gen3000.db 3000 4
expect_status 0 "3,000 units render" brief gen3000.db 2020-06-30 u3000.pdf
