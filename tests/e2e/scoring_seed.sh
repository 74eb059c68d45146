# scoring_seed.sh — the seed city's full 2019 and 2020 results, and one explain sheet,
# pinned (tests/data/scoring/): any change in a score, item, deduction, reason, evidence
# or problem shows as a diff. Also the state before the 2020 corrections.
. "$(dirname "$0")/../lib.sh"
PIN="$ROOT/tests/data/scoring"

cd "$ROOT" || exit 1   # scripts and seeds by their short names, as the office runs them
expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI"
cp out.txt "$TMP/demo.out" 2>/dev/null; rm -f out.txt err.txt
cd "$TMP" || exit 1

# same DESCRIPTION PINNED-FILE yingji-run-args... (as of a fixed date: the pins show it)
same() {
    d=$1 pin=$2; shift 2
    if (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run "$@" --as-of 2021-03-31 --format csv) >got.csv 2>err.txt \
       && cmp -s got.csv "$PIN/$pin"; then ok "$d"; else
        not_ok "$d"; diff "$PIN/$pin" got.csv | head -20 | sed 's/^/    /'; sed 's/^/    stderr: /' err.txt | head -5; fi
}
same "2019 results pinned (scores, items, deductions, problems)" seed_2019.csv scripts/scoring_2019.lua --set year=2019
same "2020 results pinned (with department_scores)" seed_2020.csv scripts/scoring_2020.lua --set year=2020
same "2020 explain sheet of T02 pinned" seed_2020_T02.csv scripts/scoring_2020.lua --set year=2020 --set unit=T02

# Spot checks in plain words, so a regenerated pin cannot silently lose them.
(cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run scripts/scoring_2020.lua --format csv) >s2020.csv
contains s2020.csv "T06,黄桥镇,99.98,不合格,true,瞒报事故：SG2020-012,11" "2020: T06 vetoed for 瞒报, ranked last, score still shown"
contains s2020.csv "S01,城东街道,102,优秀,false,,2" "2020: S01 and T01 share rank 2 at the quota's edge"
contains s2020.csv "Z01,云岚经济技术开发区,99.5,良好,false,,4" "2020: Z01 beyond the 优秀 quota is 良好"
contains s2020.csv "D20,云岚市卫生健康委员会,94,优秀,6" "2020 departments: D13 and D20 tie at the quota's edge, both 优秀"
contains s2020.csv "T05,B1,缺少2020年控制指标 inspections_plan" "2020: T05's missing plan is a problem"
(cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run scripts/scoring_2019.lua --set year=2019 --format csv) >s2019.csv
contains s2019.csv "T03,白沙镇,74.77,不合格,true,重大事故：SG2019-009,11" "2019: T03 vetoed for the 重大 accident, after T04"

# Before the corrections file: the same imports without it; T02 and S02 score as
# seeds/README.md says, nobody else changes.
imp() { (cd "$ROOT" && "$YINGJI" --db "$TMP/before.db" import "$@") >/dev/null 2>&1 || not_ok "import $*"; }
"$YINGJI" --db before.db init >/dev/null
imp units seeds/units.csv
imp accidents seeds/accidents_2018.csv seeds/accidents_2019.csv seeds/accidents_2020.csv seeds/accidents_2020_白沙镇.xlsx
imp inspections seeds/inspections_2019.csv seeds/inspections_2020.csv
imp targets seeds/targets_2019.csv seeds/targets_2020.csv
imp assessments seeds/assessments_2019.csv seeds/assessments_2020.csv
imp tasks seeds/tasks_2020.csv
(cd "$ROOT" && "$YINGJI" --db "$TMP/before.db" run scripts/scoring_2020.lua --format csv) >b2020.csv
contains b2020.csv "T02,石桥镇,65.76,合格" "before the corrections T02 scores 65.76"
contains b2020.csv "S02,城西街道,86.12,良好,false,,6" "before the corrections S02 scores 86.12, rank 6"
sed -n '/^# scores/,/^# items/p' s2020.csv | grep -v '^T02,\|^S02,' | cut -d, -f1,3 | sort >after.txt
sed -n '/^# scores/,/^# items/p' b2020.csv | grep -v '^T02,\|^S02,' | cut -d, -f1,3 | sort >before.txt
check "before the corrections, every other unit scores the same" cmp -s after.txt before.txt

# Every point is explained: for each item (bonus aside) max + its deductions = its points,
# and a unit's items add up to its score — exactly as displayed (issue 15) — both years.
for y in 2019 2020; do
    (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run scripts/scoring_$y.lua --set year=$y --format json) >s$y.json
    got=$(sqlite3 :memory: "
      WITH j(doc) AS (SELECT readfile('s$y.json')),
      items AS (SELECT json_extract(value, '\$.unit') u, json_extract(value, '\$.item') i,
                       json_extract(value, '\$.points') p, json_extract(value, '\$.max') m
                  FROM j, json_each(doc, '\$.items')),
      deds AS (SELECT json_extract(value, '\$.unit') u, json_extract(value, '\$.item') i,
                      sum(json_extract(value, '\$.points')) d
                 FROM j, json_each(doc, '\$.deductions') GROUP BY 1, 2),
      scores AS (SELECT json_extract(value, '\$.unit') u, json_extract(value, '\$.score') s
                   FROM j, json_each(doc, '\$.scores'))
      SELECT (SELECT count(*) FROM items WHERE i <> 'C' AND abs(m + coalesce((SELECT d FROM deds
                WHERE deds.u = items.u AND deds.i = items.i), 0) - p) > 0.0001)
          || ' ' || (SELECT count(*) FROM scores WHERE abs((SELECT sum(p) FROM items
                WHERE items.u = scores.u) - s) > 0.0001)
          || ' ' || (SELECT count(*) FROM items)")
    case $y in 2019) want="0 0 88" ;; *) want="0 0 121" ;; esac
    check "$y: every item's deductions explain it, items add up to the score ($got)" test "$got" = "$want"
done
