# known_on_seed.sh — the seed city tells the story (issue 13 items 4, 6): seeds/demo.sh
# imports every file with the day it was received, so the June 2020 briefing as known on
# 2020-07-05 differs from today's in exactly the documented records (seeds/README.md
# "Knowledge dates"): SG2020-012 (瞒报, reported 2020-10-19) and the corrections of
# SG2020-004 and SG2020-007 (received 2021-03-15). Headline figures pinned and checked
# against SQL over the tables and revisions (first versions, known by reported_at).
. "$(dirname "$0")/../lib.sh"
expect_status 0 "seeds/demo.sh loads the seed city" env YINGJI_DB="$TMP/seed.db" BRIEFING="$TMP/b.pdf" \
    sh "$ROOT/seeds/demo.sh" "$YINGJI"
check "every seed import has its received date" test "$(sqlite3 seed.db \
  "SELECT file || '=' || received FROM imports ORDER BY id" | sed 's|.*/||' | tr '\n' ' ')" = \
  "units.csv=2018-01-02 accidents_2018.csv=2019-01-10 accidents_2019.csv=2020-01-10 accidents_2020.csv=2021-01-08 accidents_2020_白沙镇.xlsx=2021-01-08 accidents_2020_corrections.csv=2021-03-15 inspections_2019.csv=2020-01-10 inspections_2020.csv=2021-01-08 targets_2019.csv=2019-01-15 targets_2020.csv=2020-01-15 assessments_2019.csv=2020-01-20 assessments_2020.csv=2021-01-20 tasks_2020.csv=2020-02-15 "
headline() {   # the headline table as "item value last_year last_month" lines
    "$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 --format json "$@" 2>/dev/null |
      python3 -c 'import json, sys
for r in json.load(sys.stdin)["headline"]: print(r["item"], r["value"], r.get("last_year"), r.get("last_month"))'
}
headline > today.txt
headline --known-on 2020-07-05 > known.txt
check "today: the June 2020 headline" test "$(cat today.txt)" = "ytd_accidents 15 20 None
ytd_deaths 16 28 None
month_accidents 3 6 4
month_deaths 3 6 3
serious_accidents 1 2 None
double_decline 1 None None
units_double_decline 6 None None"
check "as known on 2020-07-05: without SG2020-012 and before the corrections" test "$(cat known.txt)" = "ytd_accidents 14 20 None
ytd_deaths 15 28 None
month_accidents 3 6 3
month_deaths 3 6 2
serious_accidents 0 2 None
double_decline 1 None None
units_double_decline 6 None None"
# independent: first versions (the revision's old values) known by reported_at; today's rows
first="WITH v AS (SELECT a.id, coalesce(json_extract(r.old_values, '\$.occurred_at'), a.occurred_at) AS occ,
  coalesce(json_extract(r.old_values, '\$.reported_at'), a.reported_at) AS rep,
  coalesce(json_extract(r.old_values, '\$.deaths'), a.deaths) + coalesce(json_extract(r.old_values, '\$.missing'), a.missing) AS d,
  coalesce(json_extract(r.old_values, '\$.production'), a.production) AS p,
  coalesce(json_extract(r.old_values, '\$.written_off'), a.written_off) AS w
  FROM accidents a LEFT JOIN revisions r ON r.dataset = 'accidents' AND r.record_key = a.id
  AND r.id = (SELECT min(id) FROM revisions x WHERE x.dataset = 'accidents' AND x.record_key = a.id))"
check "as known: 1—6月 accidents and deaths match SQL" test "$(sed -n '1,2p' known.txt | cut -d' ' -f2 | tr '\n' ' ')" = \
  "$(sqlite3 seed.db "$first SELECT count(*) || ' ' || sum(d) || ' ' FROM v WHERE p = 1 AND w = 0
     AND occ >= '2020-01-01' AND occ < '2020-07-01' AND date(rep) <= '2020-07-05'")"
check "as known: May accidents and deaths match SQL" test "$(sed -n '3,4p' known.txt | cut -d' ' -f4 | tr '\n' ' ')" = \
  "$(sqlite3 seed.db "$first SELECT count(*) || ' ' || sum(d) || ' ' FROM v WHERE p = 1 AND w = 0
     AND occ >= '2020-05-01' AND occ < '2020-06-01' AND date(rep) <= '2020-07-05'")"
check "today: 1—6月 accidents and deaths match SQL" test "$(sed -n '1,2p' today.txt | cut -d' ' -f2 | tr '\n' ' ')" = \
  "$(sqlite3 seed.db "SELECT count(*) || ' ' || sum(deaths + missing) || ' ' FROM accidents WHERE production = 1
     AND written_off = 0 AND occurred_at >= '2020-01-01' AND occurred_at < '2020-07-01'")"
# the PDFs: header dates and the note of what became known later
"$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 --set city=云岚市 -o today.pdf >/dev/null 2>&1
"$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 --set city=云岚市 \
    --known-on 2020-07-05 -o known.pdf >/dev/null 2>&1
pdftotext -raw today.pdf today.txt; pdftotext -raw known.pdf known.txt
contains today.txt "统计于2021年3月15日" "today's header: known as of the last received date"
contains known.txt "统计于2020年7月5日" "as-known header: 统计于 the --known-on date"
contains known.txt "数据截至：2020年6月30日" "… and 数据截至 the as-of date"
contains today.txt "注：5月瞒报事故SG2020-012于2020年10月19日查实补录" "today's note: the concealed accident found later"
contains today.txt "SG2020-004死亡人数于2021年3月15日由2更正为1" "… the correction of SG2020-004"
contains today.txt "SG2020-007死亡人数于2021年3月15日由2更正为3" "… and of SG2020-007"
check "the as-known briefing has no such note" sh -c '! grep -Eq "查实补录|更正为" known.txt'
check "the re-issued briefing does not name SG2020-012" sh -c '! grep -q SG2020-012 known.txt'
contains today.txt "SG2020-012" "today's does"
"$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 --set city=云岚市 \
    --known-on 2020-06-30 -o asof.pdf >/dev/null 2>&1
pdftotext -raw asof.pdf asof.txt
check "as known at the as-of date: no note either" sh -c '! grep -Eq "查实补录|更正为" asof.txt'
"$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 --set city=云岚市 \
    --known-on 2020-07-05 -o again.pdf >/dev/null 2>&1
check "re-issuing as known on 2020-07-05 gives the same bytes" cmp -s known.pdf again.pdf
