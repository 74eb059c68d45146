# briefing_gray.sh — the assessment chart of the briefing survives grey printing (issue 16
# item 10): the grade colours of scripts/lib/briefing_style.lua differ pairwise by at least
# 40 in luma (and so do the control-target colours), and in a greyscale render of the page each grade shown is there as its own
# grey; the chart has a legend, and the vetoed unit is marked 一票否决 at its bar.
. "$(dirname "$0")/../lib.sh"

(cd "$ROOT" && YINGJI_DB="$TMP/seed.db" BRIEFING="$TMP/demo.pdf" sh seeds/demo.sh "$YINGJI") >/dev/null 2>&1
"$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 -o b.pdf --set city=云岚市 >/dev/null 2>&1
check "the June 2020 briefing is written" test -s b.pdf
pages=$(pdfinfo b.pdf | awk '/^Pages:/ { print $2 }')
page=0 i=1
while [ "$i" -le "${pages:-0}" ]; do
    pdftotext -enc UTF-8 -f "$i" -l "$i" b.pdf - | grep -q "考核当前得分（按等次着色）" && page=$i
    i=$((i + 1))
done
check "the assessment chart is on page $page" test "$page" -gt 0
pdftotext -enc UTF-8 -f "$page" -l "$page" b.pdf - | tr -d '\n' >page.txt
for g in 优秀 良好 合格 不合格 一票否决（斜线）; do
    contains page.txt "$g" "the legend names $g"
done
contains page.txt "一票否决" "the vetoed unit is marked 一票否决"
pdftoppm -gray -r 100 -f "$page" -l "$page" b.pdf gray
grep -E '^ *\["(优秀|良好|合格|不合格)"\] *=' "$ROOT/scripts/lib/briefing_style.lua" |
    grep -oE '"#[0-9A-Fa-f]{6}"' | tr -d '"' >colours.txt
grep -E '^ *\["(突破|超进度|正常)"\] *=' "$ROOT/scripts/lib/briefing_style.lua" |
    grep -oE '"#[0-9A-Fa-f]{6}"' | tr -d '"' >pace.txt
check "briefing_style.lua has four grade colours" test "$(wc -l <colours.txt)" -eq 4
python3 - colours.txt gray*.pgm >gray.txt <<'PY'
import sys
cols = [l.strip() for l in open(sys.argv[1]) if l.strip()]
luma = [round(0.299 * int(c[1:3], 16) + 0.587 * int(c[3:5], 16) + 0.114 * int(c[5:7], 16)) for c in cols]
step = min(abs(a - b) for i, a in enumerate(luma) for b in luma[i + 1:])
print("step", step)
data = open(sys.argv[2], "rb").read()
# P5 header: magic, width, height, maxval, each separated by whitespace
parts, pos = [], 0
while len(parts) < 4:
    while data[pos:pos + 1].isspace(): pos += 1
    start = pos
    while not data[pos:pos + 1].isspace(): pos += 1
    parts.append(data[start:pos])
pix = data[pos + 1:]
hist = [0] * 256
for b in pix: hist[b] += 1
for c, l in zip(cols, luma):
    print("grey", c, l, sum(hist[max(0, l - 3):l + 4]))
PY
python3 - pace.txt gray*.pgm >pace_gray.txt <<'PY'
import sys
cols = [l.strip() for l in open(sys.argv[1]) if l.strip()]
luma = [round(0.299 * int(c[1:3], 16) + 0.587 * int(c[3:5], 16) + 0.114 * int(c[5:7], 16)) for c in cols]
print("step", min(abs(a - b) for i, a in enumerate(luma) for b in luma[i + 1:]) if len(luma) == 3 else 0)
PY
step=$(awk '$1 == "step" { print $2 }' pace_gray.txt)
check "the control-target colours (突破, 超进度, 正常) differ by at least 40 in luma (step $step)" test "${step:-0}" -ge 40
step=$(awk '$1 == "step" { print $2 }' gray.txt)
check "the grade colours differ by at least 40 in luma (step $step)" test "${step:-0}" -ge 40
while read -r w c l n; do
    [ "$w" = grey ] || continue
    check "grade colour $c is its own grey ($l) on the page: $n pixels" test "$n" -ge 150
done <gray.txt
