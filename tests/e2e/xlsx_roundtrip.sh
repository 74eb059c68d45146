# xlsx_roundtrip.sh — scores → xlsx → read back through the importer's own reader
# (core/imp_xlsx.c, via build/.../bench/xlsx_cat) → the values `--format csv` prints,
# table by table (issue 14, Proof: "round trip"). Numbers are compared as doubles (the
# workbook keeps libxlsxwriter's 16 digits, "84.29000000000001", the CSV the shortest
# text, "84.29": the same double); booleans are Excel booleans, read as 1/0.
. "$(dirname "$0")/../lib.sh"
CAT=${BUILD:-$ROOT/build/rel}/bench/xlsx_cat
if [ ! -x "$CAT" ]; then skip "xlsx round trip" "no $CAT (make tools)"; exit 0; fi
cd "$ROOT" || exit 1
expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI"
rm -f out.txt err.txt
cd "$TMP" || exit 1
run() { (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run "$@"); }

# each field that reads as a number printed as its double (%.17g); true/false as 1/0
norm() {
    awk -F, -v OFS=, '{
        for (i = 1; i <= NF; i++) {
            if ($i ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) $i = sprintf("%.17g", $i + 0)
            else if ($i == "true") $i = 1
            else if ($i == "false") $i = 0
        }
        print }'
}

for script in scoring_2020 scoring_2019 double_decline; do
    case $script in
    scoring_2020) args="--as-of 2021-03-31 --set year=2020" ;;
    scoring_2019) args="--as-of 2020-03-31 --set year=2019" ;;
    double_decline) args="--as-of 2021-03-31 --set year=2020" ;;
    esac
    # shellcheck disable=SC2086
    expect_status 0 "$script: written as xlsx" run scripts/$script.lua $args --format xlsx -o "$TMP/$script.xlsx"
    # shellcheck disable=SC2086
    run scripts/$script.lua $args --format csv --titles 2>/dev/null | norm > want.csv
    "$CAT" "$script.xlsx" 2>cat.err | awk '/^# 说明$/ { skip = 1 } !skip' | norm > got.csv
    check "$script: the reader reads the workbook without error" test ! -s cat.err
    check "$script: every table's values read back identical (titles as headers)" cmp -s want.csv got.csv
    cmp -s want.csv got.csv || diff want.csv got.csv | head -6 | sed 's/^/    /'
    check "$script: and not vacuously ($(wc -l < got.csv) lines)" test "$(wc -l < got.csv)" -gt 3
done

# the split workbooks: each unit's rows, read back, are that unit's rows of the CSV
expect_status 0 "split by unit" run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format xlsx --split-by unit --results "$TMP/units"
run scripts/scoring_2020.lua --as-of 2021-03-31 --set year=2020 --format csv --titles --table scores 2>/dev/null | norm > scores.csv
"$CAT" "units/T06_黄桥镇.xlsx" | awk '/^# /{ on = ($0 == "# scores") ; next } on' | norm > t06.csv
check "split: T06's scores row reads back as the CSV's" test "$(sed -n 2p t06.csv)" = "$(grep '^T06,' scores.csv)"
