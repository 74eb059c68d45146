# scoring_checks.sh — issue 15 on the seed city: 100 generated schemes add up; a
# misspelt option or name is an error at the scheme's own line with a suggestion;
# --set unit= takes a code in any case, a name or an alias, and an unknown unit is one
# line; a year with no data is an error (exit 4), partial data a one-line warning; the
# as-of date is in every scoring output; the 2021 example scheme runs.
. "$(dirname "$0")/../lib.sh"

(cd "$ROOT" && YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI") >/dev/null 2>&1
check "the seed city loads" test -s seed.db
run() { (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run "$@"); }

# 1. 100 generated schemes × the seed city (2019 for odd seeds, 2020 for even): for
# every unit each item's max plus its deductions is its points (bonus aside), and the
# items add up to the score, as displayed.
bad=0 caps=0
for seed in $(seq 1 100); do
    y=$((2019 + seed % 2))
    if ! run tests/lua/scoring_random.lua --set seed=$seed --set year=$y --as-of 2021-03-31 --format json >r.json 2>r.err; then
        bad=$((bad + 1)); sed "s/^/    seed $seed: /" r.err | head -3; continue
    fi
    got=$(sqlite3 :memory: "
      WITH j(doc) AS (SELECT readfile('r.json')),
      items AS (SELECT json_extract(value, '\$.unit') u, json_extract(value, '\$.item') i,
                       json_extract(value, '\$.title') t,
                       round(json_extract(value, '\$.points') * 100) p, round(json_extract(value, '\$.max') * 100) m
                  FROM j, json_each(doc, '\$.items')),
      deds AS (SELECT json_extract(value, '\$.unit') u, json_extract(value, '\$.item') i,
                      sum(round(json_extract(value, '\$.points') * 100)) d
                 FROM j, json_each(doc, '\$.deductions') GROUP BY 1, 2),
      scores AS (SELECT json_extract(value, '\$.unit') u, round(json_extract(value, '\$.score') * 100) s
                   FROM j, json_each(doc, '\$.scores'))
      SELECT ((SELECT count(*) FROM items WHERE t <> '加分' AND m + coalesce((SELECT d FROM deds
                WHERE deds.u = items.u AND deds.i = items.i), 0) <> p)
           + (SELECT count(*) FROM scores WHERE (SELECT sum(p) FROM items WHERE items.u = scores.u) <> s))
          || ' ' || (SELECT count(*) FROM items WHERE i LIKE '%封顶')")
    [ "${got% *}" = 0 ] || { bad=$((bad + 1)); echo "    seed $seed: ${got% *} unit(s) or item(s) do not add up"; }
    caps=$((caps + ${got#* }))
done
check "100 generated schemes on the seed city: every point on a row, items add up ($bad bad)" test "$bad" = 0
check "… and caps bit often enough to matter ($caps cap rows)" test "$caps" -ge 50

# 2. Misspellings are errors at the scheme's line, with a suggestion, no traceback.
mkdir -p s
sed 's/target = "deaths_cap", per = 5/target = "death_cap", per = 5/' "$ROOT/scripts/scoring_2020.lua" >s/typo_target.lua
expect_status 4 "a misspelt target is an error" run "$TMP/s/typo_target.lua"
contains err.txt "typo_target.lua:19: no target 'death_cap' in 2020 (did you mean 'deaths_cap'? known: deaths_cap," "… at the item's line, with the year's targets"
check "… in one line" test "$(wc -l <err.txt)" = 1
sed 's/target = "accidents_cap", per = 2/target = "accidents_cap", pre = 2/' "$ROOT/scripts/scoring_2020.lua" >s/typo_option.lua
expect_status 4 "an unknown option is an error" run "$TMP/s/typo_option.lua"
contains err.txt "typo_option.lua:20: over_target A2: unknown option 'pre' (did you mean 'per'?)" "… at the user's line, with the option meant"
sed 's/full_at = 0.95/full_at = "95%"/' "$ROOT/scripts/scoring_2020.lua" >s/typo_type.lua
expect_status 4 "an option of the wrong type is an error" run "$TMP/s/typo_type.lua"
contains err.txt "typo_type.lua:29: rectification B2: option 'full_at' expected a number, got '95%'" "… naming the option and what it got"
sed 's/report_status = "late"/report_status = "lat"/' "$ROOT/scripts/scoring_2020.lua" >s/typo_where.lua
expect_status 4 "a misspelt value in where is an error" run "$TMP/s/typo_where.lua"
contains err.txt "typo_where.lua:32: per_accident B4 clause 1: where: report_status must be one of normal, late, omitted, false, concealed, got 'lat' (did you mean 'late'?)" "… with the values it may take"

# 3. --set unit=: code in any case, name, alias; unknown → one line with close matches.
run scripts/scoring_2020.lua --set unit=T02 --as-of 2021-03-31 --format csv >t02.csv 2>/dev/null
for u in t02 石桥镇; do
    run scripts/scoring_2020.lua --set unit=$u --as-of 2021-03-31 --format csv >u.csv 2>/dev/null
    check "--set unit=$u is T02's sheet" cmp -s u.csv t02.csv
done
alias=$(sqlite3 seed.db "SELECT alias FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE u.kind = 'department' LIMIT 1")
code=$(sqlite3 seed.db "SELECT u.code FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE a.alias = '$alias'")
run scripts/scoring_2020.lua --set unit="$alias" --format csv >a.csv 2>/dev/null
contains a.csv "$code," "--set unit=$alias (an alias) is $code's department sheet"
expect_status 4 "an unknown unit is an error" run scripts/scoring_2020.lua --set unit=石桥
contains err.txt "--set unit=石桥: no such unit (code, name or alias); closest: T02 石桥镇" "… listing the closest units"
check "… in one line, no traceback" test "$(wc -l <err.txt)" = 1
expect_status 4 "a department under the 2019 scheme is not scored" run scripts/scoring_2019.lua --set unit="$code"
contains err.txt "unit $code (" "… and says which unit"

# 4. A year without data; partial data.
expect_status 4 "scoring 2021 with no 2021 data is an error" run scripts/scoring_2020.lua --set year=2021
contains err.txt "no data to score 2021 on (as of " "… naming the year"
contains err.txt "the database has no accidents, inspections, targets, annual assessments of 2021" "… and what is missing"
expect_status 0 "2020 with a missing plan scores" run scripts/scoring_2020.lua --as-of 2021-03-31
contains err.txt "warning: scoring 2020 (as of 2021-03-31): 3 problems with the data, see the problems table" "… with a one-line warning counting the problems"
check "… only that line on stderr" test "$(wc -l <err.txt)" = 1

# 5. The as-of date is in every output and changes the score.
run scripts/scoring_2020.lua --as-of 2020-06-30 --format csv >mid.csv 2>/dev/null
run scripts/scoring_2020.lua --as-of 2021-03-31 --format csv >end.csv 2>/dev/null
contains mid.csv "2020年度安全生产目标管理责任制考核,2020,2020-06-30" "csv: the evaluation table names the as-of date"
contains mid.csv "T02,石桥镇,60.99," "as of 2020-06-30 T02 scores 60.99"
contains end.csv "T02,石桥镇,50.76," "… and 50.76 on the whole year"
run scripts/scoring_2020.lua --as-of 2020-06-30 --format json >mid.json 2>/dev/null
contains mid.json '"as_of": "2020-06-30"' "json: as_of too"
run scripts/scoring_2020.lua --as-of 2020-06-30 --set unit=T02 >mid.txt 2>/dev/null
contains mid.txt "2020-06-30" "the text explain sheet too"

# 6. The 2021 example: a short diff of 2020, run on the 2020 data.
expect_status 0 "scoring_2021_example.lua runs on 2020's data" run scripts/scoring_2021_example.lua --set year=2020 --as-of 2021-03-31 --format csv
contains out.txt "2021年度安全生产目标管理责任制考核（示例）,2020,2021-03-31" "… and says which scheme, year and date"
