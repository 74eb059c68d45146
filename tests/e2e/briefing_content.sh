# briefing_content.sh — what the monthly briefing says (issue 16, items 1–9), each figure
# checked against SQL written here independently of scripts/lib: the notable accidents,
# reporting discipline, limits broken against limits ahead of pace (with the 全市 row and
# the accident cap), the narrative's risen deaths and 双下降 count, small-base wording,
# 死亡（含失踪）, the year-end briefing, periods without data (an error) and a year without
# comparison data (无上年同期数据), and a missing scheme said in words (no Lua error text).
. "$(dirname "$0")/../lib.sh"

(cd "$ROOT" && YINGJI_DB="$TMP/seed.db" BRIEFING="$TMP/demo.pdf" sh seeds/demo.sh "$YINGJI") >/dev/null 2>&1
check "the seed city loads" test -s seed.db
brief() {  # AS_OF NAME [ARGS...]: NAME.pdf, its text in NAME.txt (lines joined)
    b_as_of=$1 b_name=$2; shift 2
    "$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of "$b_as_of" -o "$b_name.pdf" \
        --set city=云岚市 "$@" >/dev/null || return $?
    pdftotext -enc UTF-8 "$b_name.pdf" - | tr -d '\n' >"$b_name.txt"
}
# table AS_OF NAME [ARGS...]: the published table NAME as CSV rows (no header)
table() {
    t_as_of=$1 t_name=$2; shift 2
    "$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of "$t_as_of" --format csv "$@" 2>/dev/null |
        awk -v t="# $t_name" '$0 == t { on = 1; getline; next } /^# / { on = 0 } on && NF'
}
q() { sqlite3 -separator , seed.db "$1"; }
lacks() {  # FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then not_ok "$3: '$2' is in $1"; else ok "$3"; fi
}
C="production = 1 AND written_off = 0"

expect_status 0 "the June 2020 briefing" brief 2020-06-30 jun

# 1. Notable accidents: 较大及以上 in 1—6月, every death accident of June, every 迟报/漏报/谎报/瞒报.
q "SELECT id FROM accidents WHERE occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01' AND $C
     AND (level <> '一般' OR report_status <> 'normal'
          OR (occurred_at >= '2020-06-01' AND deaths + missing > 0)) ORDER BY id" >want.txt
table 2020-06-30 notable | cut -d, -f1 | sort >got.txt
check "1. the notable accidents are the ones SQL selects ($(wc -l <want.txt))" \
    sh -c '[ -s want.txt ] && cmp -s want.txt got.txt'
q "SELECT a.id, substr(occurred_at, 1, 10), u.name, deaths + missing, level, report_status
   FROM accidents a JOIN units u ON u.id = a.unit_id WHERE a.id = 'SG2020-007'" >want.txt
table 2020-06-30 notable | awk -F, '$1 == "SG2020-007" { print $1","$2","$3","$5","$7","$8 }' >got.txt
check "1. … with date, unit, deaths (incl. missing), level and status as recorded" cmp -s want.txt got.txt
contains jun.txt "3·13石桥镇建筑施工较大事故（死亡3人）" "1. the page names the 3·13 石桥镇 accident"
contains jun.txt "石桥镇某安置房项目脚手架局部坍塌" "1. … with the summary from its record"
contains jun.txt "直接经济损失（万元）" "1. … and the loss column"
n6=$(q "SELECT count(*) FROM accidents WHERE occurred_at >= '2020-06-01' AND occurred_at < '2020-07-01' AND $C AND deaths + missing > 0")
d6=$(q "SELECT sum(deaths + missing) FROM accidents WHERE occurred_at >= '2020-06-01' AND occurred_at < '2020-07-01' AND $C AND deaths + missing > 0")
contains jun.txt "6月发生亡人事故${n6}起、死亡（含失踪）${d6}人" "1. the month's death accidents match SQL ($n6, $d6)"
expect_status 0 "the December 2020 briefing" brief 2020-12-31 dec
contains dec.txt "8·18南湖街道火灾较大事故" "1. December names the 8·18 南湖街道 fire"
contains dec.txt "1250.0" "1. … and its loss of 1250万元"

# 2. Reporting discipline.
for st in late omitted false concealed; do
    now=$(q "SELECT count(*) FROM accidents WHERE occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01' AND $C AND report_status = '$st'")
    prev=$(q "SELECT count(*) FROM accidents WHERE occurred_at >= '2019-01-01' AND occurred_at < '2019-07-01' AND $C AND report_status = '$st'")
    got=$(table 2020-06-30 reporting | awk -F, -v s="$st" '$1 == s { print $2","$3 }')
    check "2. $st: $now this year, $prev last year (got $got)" test "$got" = "$now,$prev"
done
late=$(q "SELECT count(*) FROM accidents WHERE occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01' AND $C AND report_status = 'late'")
contains jun.txt "迟报${late}起" "2. the paragraph says 迟报${late}起"
contains jun.txt "瞒报1起（黄桥镇）" "2. … and names the unit that concealed one"
contains jun.txt "事故信息报告情况" "2. … with its table"

# 3. Limits: over the annual cap (突破) apart from ahead of pace (超进度); 全市; accident cap.
q "WITH u AS (SELECT u.id, u.name,
       (SELECT value FROM targets WHERE year = 2020 AND unit_id = u.id AND indicator = 'deaths_cap') AS cap,
       (SELECT value FROM targets WHERE year = 2020 AND unit_id = u.id AND indicator = 'accidents_cap') AS acap,
       (SELECT coalesce(sum(deaths + missing), 0) FROM accidents WHERE unit_id = u.id AND $C
          AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01') AS d,
       (SELECT count(*) FROM accidents WHERE unit_id = u.id AND $C
          AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01') AS a
     FROM units u WHERE kind IN ('township', 'street', 'zone'))
   SELECT name, CAST(cap AS INTEGER), d, CAST(acap AS INTEGER), a,
     CASE WHEN d > cap OR a > acap THEN '突破全年控制指标'
          WHEN (d > 0 AND d * 100.0 / cap > 182 * 100.0 / 366) OR (a > 0 AND a * 100.0 / acap > 182 * 100.0 / 366)
          THEN '超进度' ELSE '正常' END
   FROM u WHERE cap IS NOT NULL ORDER BY name" >want.txt
table 2020-06-30 pace | grep -v '^全市,' | sort >got.txt
sort want.txt >want.sorted
check "3. every unit's caps, deaths, accidents and status match SQL" cmp -s want.sorted got.txt
grep -q '^石桥镇,3,4,4,3,突破全年控制指标$' got.txt && ok "3. 石桥镇 (4 of 3) is 突破全年控制指标" ||
    not_ok "3. 石桥镇 (4 of 3) is 突破全年控制指标"
grep -q '^城西街道,2,2,3,2,超进度$' got.txt && ok "3. 城西街道 (2 of 2) is 超进度" || not_ok "3. 城西街道 (2 of 2) is 超进度"
tot=$(awk -F, '{ c += $2; d += $3; ac += $4; a += $5 } END { printf "全市,%d,%d,%d,%d,", c, d, ac, a }' want.txt)
check "3. the 全市 row sums the units ($tot)" sh -c "table_out=\$(cat); [ \"\$table_out\" = '$tot' ]" <<EOT
$(table 2020-06-30 pace | grep '^全市,')
EOT
contains jun.txt "石桥镇（死亡4人、控制指标3人），已突破全年控制指标" "3. page 1 says 石桥镇 broke its annual cap"
contains jun.txt "事故控制指标（起）" "3. the accident cap is shown beside the death cap"

# 4. The narrative names units whose deaths rose, and counts 双下降.
q "WITH c AS (SELECT u.name,
       (SELECT coalesce(sum(deaths + missing), 0) FROM accidents WHERE unit_id = u.id AND $C
          AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01') AS d,
       (SELECT coalesce(sum(deaths + missing), 0) FROM accidents WHERE unit_id = u.id AND $C
          AND occurred_at >= '2019-01-01' AND occurred_at < '2019-07-01') AS dp
     FROM units u WHERE kind IN ('township', 'street', 'zone'))
   SELECT name || '死亡' || d || '人，同比' ||
     CASE WHEN dp = 0 THEN '新增' || d || '人' WHEN dp < 5 THEN '增加' || (d - dp) || '人'
          ELSE printf('上升%.1f%%', round((d - dp) * 100.0 / dp, 1)) END
   FROM c WHERE d > dp" >rose.txt
check "4. SQL finds units whose deaths rose" test -s rose.txt
while read -r phrase; do contains jun.txt "$phrase" "4. the narrative says $phrase"; done <rose.txt
dd=$(q "SELECT count(*) FROM units u WHERE kind IN ('township', 'street', 'zone') AND
   (SELECT count(*) FROM accidents WHERE unit_id = u.id AND $C AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01')
   < (SELECT count(*) FROM accidents WHERE unit_id = u.id AND $C AND occurred_at >= '2019-01-01' AND occurred_at < '2019-07-01')
   AND (SELECT coalesce(sum(deaths + missing), 0) FROM accidents WHERE unit_id = u.id AND $C AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01')
   < (SELECT coalesce(sum(deaths + missing), 0) FROM accidents WHERE unit_id = u.id AND $C AND occurred_at >= '2019-01-01' AND occurred_at < '2019-07-01')")
nu=$(q "SELECT count(*) FROM units WHERE kind IN ('township', 'street', 'zone')")
contains jun.txt "${dd}个单位（共${nu}个）实现“双下降”" "4. ${dd}个单位（共${nu}个）实现双下降, as SQL counts"

# 5. Small bases: a difference below 5, 新增 from zero, 均为0 never failing 双下降.
q "WITH c AS (SELECT u.name,
       (SELECT count(*) FROM accidents WHERE unit_id = u.id AND $C AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01') AS a,
       (SELECT count(*) FROM accidents WHERE unit_id = u.id AND $C AND occurred_at >= '2019-01-01' AND occurred_at < '2019-07-01') AS ap
     FROM units u WHERE kind IN ('township', 'street', 'zone'))
   SELECT name, CASE WHEN a = 0 AND ap = 0 THEN '均为0' WHEN a = ap THEN '持平'
     WHEN ap = 0 THEN '新增' || a || '起'
     WHEN ap < 5 THEN (CASE WHEN a > ap THEN '增加' ELSE '减少' END) || abs(a - ap) || '起'
     ELSE printf('%+.1f%%', round((a - ap) * 100.0 / ap, 1)) END FROM c ORDER BY name" >want.txt
table 2020-06-30 units | awk -F, '{ print $1","$4 }' | sort >got.txt
sort want.txt >want.sorted
check "5. each unit's change in accidents is worded as SQL computes it" cmp -s want.sorted got.txt
contains jun.txt "增加1起" "5. 石桥镇's 2 → 3 reads 增加1起"
lacks jun.txt "+50.0%" "5. … not +50.0%"
zero=$(q "SELECT name FROM units u WHERE kind IN ('township', 'street', 'zone') AND NOT EXISTS (SELECT 1 FROM accidents
   WHERE unit_id = u.id AND $C AND ((occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01') OR (occurred_at >= '2019-01-01' AND occurred_at < '2019-07-01')))" | head -1)
check "5. SQL finds a unit with no accident in either year ($zero)" test -n "$zero"
got=$(table 2020-06-30 units | awk -F, -v u="$zero" '$1 == u { print $8 }')
check "5. … its 双下降 status is 均为0, not 否 (got $got)" test "$got" = "均为0"
got=$(table 2020-06-30 units --set small_base=1 | awk -F, '$1 == "石桥镇" { print $4 }')
check "5. --set small_base=1 gives the percentage again (got $got)" test "$got" = "+50.0%"

# 6. 死亡（含失踪）.
d=$(q "SELECT sum(deaths + missing) FROM accidents WHERE occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01' AND $C")
contains jun.txt "全市共发生生产安全事故15起、死亡（含失踪）${d}人" "6. the narrative says 死亡（含失踪）${d}人"
contains jun.txt "1—6月死亡（含失踪）" "6. … and the tile"
contains jun.txt "各单位死亡（含失踪）人数" "6. … and the unit chart"

# 7. Year end: 全年, met/broken (no 超进度), 年度考核结果.
contains dec.txt "全年，全市共发生生产安全事故" "7. December 31 is the year's summary (全年)"
contains dec.txt "控制指标完成情况" "7. … the control targets say met or broken"
lacks dec.txt "超进度（" "7. … with no 超进度 in the text"
contains dec.txt "年度考核结果" "7. … and the ranking is the year's result"
lacks dec.txt "当前得分" "7. … not the current score"
table 2020-12-31 pace >pace12.txt
check "7. the year-end briefing publishes the control targets" grep -q '^石桥镇,' pace12.txt
check "7. every year-end status is 突破全年控制指标 or 控制在指标内" \
    sh -c "! grep -v '^全市,' pace12.txt | grep -v ',突破全年控制指标\$' | grep -v ',控制在指标内\$' | grep -q ."

# 8. No data for the period: an error; no comparison data: 无上年同期数据.
expect_status 4 "8. --as-of 2022-03-31 beyond the data is an error (exit 4)" brief 2022-03-31 none
contains err.txt "no data for 2022-01-01..2022-03-31" "8. … naming the period"
contains err.txt "accidents_2020.csv" "8. … and what was imported"
check "8. … and writes no PDF" test ! -e none.pdf
expect_status 4 "8. a month after the data end is an error too" brief 2021-01-31 jan21
expect_status 0 "8. --as-of 2018-06-30 (no 2017 data) gives a briefing" brief 2018-06-30 y2018
contains y2018.txt "无上年同期数据" "8. … saying 无上年同期数据"
lacks y2018.txt "去年同期未发生事故" "8. … not 去年同期未发生事故"
contains err.txt "no accident data for 2017-01-01..2017-06-30" "8. … with a note on stderr"
"$YINGJI" --db empty.db init >/dev/null
expect_status 4 "8. an empty database is an error" \
    "$YINGJI" --db empty.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 -o empty.pdf
contains err.txt "no accidents have been imported" "8. … saying nothing was imported"

# 9. A year's scheme missing: a sentence in the PDF, the reason on stderr.
q "INSERT INTO assessments(year, period, unit_id, indicator, value, evidence, batch)
     SELECT 2021, period, unit_id, indicator, value, evidence, batch FROM assessments WHERE year = 2020;
   INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, level, batch)
     SELECT 'X' || id, '2021' || substr(occurred_at, 5), unit_id, sector, deaths, level, batch
     FROM accidents WHERE occurred_at < '2020-04-01' AND occurred_at >= '2020-01-01';
   INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, hazards_found, batch)
     SELECT 'X' || id, '2021' || substr(inspected_on, 5), unit_id, sector, enterprise, hazards_found, batch
     FROM inspections WHERE inspected_on < '2020-04-01' AND inspected_on >= '2020-01-01'"
expect_status 0 "9. 2021 with assessments and no scheme gives a briefing" brief 2021-03-31 y2021
contains y2021.txt "2021年考核办法未配置，本节从略" "9. … saying 2021年考核办法未配置，本节从略"
lacks y2021.txt "module" "9. … without a Lua error"
lacks y2021.txt "scripts/lib" "9. … or a local path"
contains err.txt "no scoring scheme for 2021" "9. … and a warning on stderr"
expect_status 0 "9. an unknown --set scheme= gives a briefing" brief 2021-03-31 nope --set scheme=no_such_scheme
contains nope.txt "2021年考核办法（no_such_scheme）无法使用，本节从略" "9. … saying the scheme cannot be used"
lacks nope.txt "module" "9. … without a Lua error"
contains err.txt "no_such_scheme" "9. … and why on stderr"

# Same input, same bytes, for each kind of briefing.
for n in dec y2018; do
    case $n in dec) a=2020-12-31 ;; y2018) a=2018-06-30 ;; esac
    "$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of $a -o again.pdf --set city=云岚市 >/dev/null 2>&1
    check "the $a briefing is byte-identical when rebuilt" cmp -s $n.pdf again.pdf
done

# 11. Enforcement: plan completion, suspensions, the year-on-year comparison, the city
# average on the ranking, whose axis starts near the lowest rate.
ins() { q "SELECT $1 FROM inspections WHERE inspected_on >= '$2-01-01' AND inspected_on < '$2-07-01'"; }
for item in "inspections:count(*)" "hazards_found:sum(hazards_found)" "hazards_rectified:sum(hazards_rectified)" \
            "suspended:sum(suspended)" \
            "fine:CASE WHEN sum(fine) = CAST(sum(fine) AS INTEGER) THEN CAST(sum(fine) AS INTEGER) ELSE sum(fine) END"; do
    name=${item%%:*} expr=${item#*:}
    want="$(ins "$expr" 2020),$(ins "$expr" 2019)"
    got=$(table 2020-06-30 enforcement | awk -F, -v i="$name" '$1 == i { print $2","$3 }')
    check "11. $name: $want (this year, last year) as SQL sums (got $got)" test "$got" = "$want"
done
plan=$(q "SELECT CAST(sum(value) AS INTEGER) FROM targets t JOIN units u ON u.id = t.unit_id
          WHERE year = 2020 AND indicator = 'inspections_plan' AND kind IN ('township', 'street', 'zone')")
got=$(table 2020-06-30 enforcement | awk -F, '$1 == "plan" { print $2 }')
check "11. the inspection plan is the units' sum ($plan, got $got)" test "$got" = "$plan"
contains jun.txt "完成年度检查计划（${plan}家次）" "11. the text gives the plan"
susp=$(ins "sum(suspended)" 2020)
contains jun.txt "责令停产停业${susp}家次" "11. … and the suspensions"
contains jun.txt "与去年同期相比，检查家次" "11. … and the comparison with last year"
contains jun.txt "1—6月各单位隐患整改率排名" "11. the ranking's title names the period"
rate=$(q "SELECT printf('%.1f', sum(hazards_rectified) * 100.0 / sum(hazards_found)) FROM inspections
          WHERE inspected_on >= '2020-01-01' AND inspected_on < '2020-07-01'")
contains jun.txt "全市平均 ${rate}%" "11. … with the city average line ($rate%)"
contains jun.txt "横轴自70%起" "11. … and an axis that starts at 70%"
contains y2018.txt "1—6月无执法检查数据，本节从略" "8. a period without inspection data says so"
lacks y2018.txt "执法检查0家次" "8. … instead of zeros"

# 12. Back-office material last, in Chinese, short hashes; one form of date.
pages=$(pdfinfo jun.pdf | awk '/^Pages:/ { print $2 }')
pdftotext -enc UTF-8 -f "$pages" -l "$pages" jun.pdf - | tr -d '\n' >last.txt
contains last.txt "附：数据来源" "12. the data sources are the last page's 附：数据来源"
lacks jun.txt "八、数据来源" "12. … not a numbered section"
contains last.txt "生产安全事故" "12. … naming datasets in Chinese"
check "12. no 64-character hash is printed" sh -c "! grep -qE '[0-9a-f]{64}' jun.txt"
h12=$(q "SELECT substr(sha256, 1, 12) FROM imports WHERE file LIKE '%accidents_2020.csv'")
contains last.txt "$h12" "12. … a 12-character one is ($h12)"
check "12. no ISO date is printed" sh -c "! grep -qE '20[0-9]{2}-[01][0-9]-[0-3][0-9]' jun.txt"
contains jun.txt "数据截至：2020年6月30日" "12. the cut-off reads 2020年6月30日"
contains jun.txt "云岚市应急管理局2020年6月30日" "16. the text closes with the issuer and the date (落款)"

# 14. Chart labels: short names (aliases, 危化品), never broken inside a word.
pdftotext -enc UTF-8 jun.pdf jun-lines.txt
check "14. no chart label breaks 危险化/学品" sh -c "! grep -qx '危险化' jun-lines.txt"
check "14. no chart label breaks 云岚经/开区 or 云岚经济技术开发区 into lines" \
    sh -c "! grep -qxE '云岚经|开区|云岚经济|技术开|发区' jun-lines.txt"
contains jun.txt "危化品" "14. the sector chart says 危化品"
check "14. the unit charts use the alias 经开区" grep -qx "经开区" jun-lines.txt
contains jun.txt "云岚经济技术开发区" "14. … while tables keep the full name"

# 15. yingji run creates a missing charts_dir (one level), and says so when it cannot.
rm -rf newcharts
expect_status 0 "15. a missing charts_dir is created" brief 2020-06-30 nodir --set charts_dir=newcharts
check "15. … and holds the charts" test -s newcharts/01-trend.png
expect_status 4 "15. a charts_dir two levels deep that cannot be made is an error" \
    brief 2020-06-30 nodir2 --set charts_dir=no/such/dir
contains err.txt "cannot create charts_dir no/such/dir" "15. … naming the folder"

# 16. 下一步工作 from --set next_steps= (paragraphs split at |), then the 落款.
expect_status 0 "16. a briefing with next steps" brief 2020-06-30 next \
    --set "next_steps=一是持续开展建筑施工领域专项整治。|二是严格落实事故信息报告制度。"
contains next.txt "九、下一步工作" "16. … has the section 下一步工作"
contains next.txt "一是持续开展建筑施工领域专项整治。" "16. … with the first paragraph"
contains next.txt "二是严格落实事故信息报告制度。云岚市应急管理局2020年6月30日" "16. … the second, then the 落款"
lacks jun.txt "下一步工作" "16. without next_steps there is no such section"
# … or from a text file (--set-file): one paragraph a line, BOM and CRLF as Windows saves them
printf '\357\273\277一是强化隐患排查治理。\r\n\r\n二是做好汛期安全防范。\r\n' >next.txt.in
expect_status 0 "16. next steps from --set-file" brief 2020-06-30 nextf --set-file next_steps=next.txt.in
contains nextf.txt "一是强化隐患排查治理。" "16. … the file's first paragraph"
contains nextf.txt "二是做好汛期安全防范。云岚市应急管理局2020年6月30日" "16. … its second, then the 落款"
printf 'a\377b' >bad.txt.in
expect_status 1 "16. --set-file of a non-UTF-8 file is a usage error" brief 2020-06-30 badf --set-file next_steps=bad.txt.in
contains err.txt "not UTF-8 text" "16. … saying why"
expect_status 1 "16. --set-file of a folder is a usage error" brief 2020-06-30 dirf --set-file next_steps=.
