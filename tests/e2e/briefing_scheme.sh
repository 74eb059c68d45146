# briefing_scheme.sh — the briefing's assessment progress (七、考核进展) uses the scheme it
# is told: --set scheme=NAME, else the year's scheme in scripts/lib/schemes.lua; it never
# guesses one from the year. The ranking shown is the one the scheme itself publishes.
. "$(dirname "$0")/../lib.sh"

(cd "$ROOT" && YINGJI_DB="$TMP/seed.db" BRIEFING="$TMP/demo.pdf" sh seeds/demo.sh "$YINGJI") >/dev/null 2>&1
check "the seed city loads" test -s seed.db
brief() {  # DB AS_OF OUT [ARGS...]: the briefing's text in OUT.txt
    db=$1 as_of=$2 out=$3; shift 3
    "$YINGJI" --db "$db" run "$ROOT/scripts/briefing.lua" --as-of "$as_of" -o "$out.pdf" "$@" >/dev/null &&
        pdftotext -enc UTF-8 "$out.pdf" - | tr -d '\n' >"$out.txt"
}
# first_row SCHEME YEAR: "1NAMESCORE" of the scheme's own ranking as of 2020-06-30, as
# table 5 prints it (rank, name, score with two decimals).
first_row() {
    "$YINGJI" --db seed.db run "$ROOT/scripts/$1.lua" --set year="$2" --as-of 2020-06-30 --format csv |
        sed -n '/^# scores/{n;n;p;q;}' | awk -F, '{ printf "1%s%.2f", $2, $3 }'
}

expect_status 0 "the June 2020 briefing, no scheme named" brief seed.db 2020-06-30 default
expect_status 0 "… and with --set scheme=scoring_2020" brief seed.db 2020-06-30 s2020 --set scheme=scoring_2020
check "schemes.lua names scoring_2020 for 2020: the same bytes" cmp -s default.pdf s2020.pdf
want=$(first_row scoring_2020 2020)
contains default.txt "考核当前排名排名单位得分等次$want" "table 5 starts with scoring_2020's first row ($want)"

expect_status 0 "--set scheme=scoring_2019 scores 2020 under the 2019 rules" brief seed.db 2020-06-30 s2019 --set scheme=scoring_2019
want=$(first_row scoring_2019 2020)
contains s2019.txt "考核当前排名排名单位得分等次$want" "table 5 starts with scoring_2019's first row ($want)"
check "… which differs from the 2020 ranking" test "$want" != "$(first_row scoring_2020 2020)"

expect_status 0 "an unknown scheme still gives a briefing" brief seed.db 2020-06-30 nope --set scheme=no_such_scheme
contains nope.txt "2020年考核办法（no_such_scheme）无法使用，本节从略" "… which says the scheme is not usable"

check "2021 gets assessment, accident and inspection rows" sqlite3 seed.db "INSERT INTO assessments(year, period, unit_id, indicator, value, evidence, batch)
    SELECT 2021, period, unit_id, indicator, value, evidence, batch FROM assessments WHERE year = 2020;
  INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, hazards_found, batch)
    SELECT 'X' || id, '2021' || substr(inspected_on, 5), unit_id, sector, enterprise, hazards_found, batch
    FROM inspections WHERE inspected_on >= '2020-01-01' AND inspected_on < '2020-04-01'"
expect_status 0 "a year with assessments and no scheme in schemes.lua" brief seed.db 2021-03-31 y2021
contains y2021.txt "2021年考核办法未配置，本节从略" "… says no scheme is configured for it"
contains err.txt "scripts/lib/schemes.lua, or --set scheme=NAME" "… and stderr says where to name one"
