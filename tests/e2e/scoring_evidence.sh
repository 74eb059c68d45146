# scoring_evidence.sh — the evidence column of scoring outputs (issue 15): in text, the
# count and the first ten ids then "… and N more", so that a deduction backed by 65
# inspections stays one readable line; CSV and JSON keep the full list.
. "$(dirname "$0")/../lib.sh"

cd "$ROOT" || exit 1
expect_status 0 "the seed city loads" env YINGJI_DB="$TMP/seed.db" sh seeds/demo.sh "$YINGJI"
rm -f out.txt err.txt
cd "$TMP" || exit 1
yj() { (cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run scripts/scoring_2020.lua --set year=2020 --as-of 2021-03-31 "$@") 2>/dev/null; }

yj --format json >s.json
yj --format csv >s.csv
yj >s.txt
full=$(sqlite3 :memory: "SELECT json_extract(value, '\$.evidence') FROM json_each(readfile('s.json'), '\$.deductions')
  WHERE json_extract(value, '\$.unit') = 'T03' AND json_extract(value, '\$.item') = 'B2'")
n=$(printf '%s' "$full" | tr ';' '\n' | grep -c .)
first=$(printf '%s' "$full" | tr ';' '\n' | head -10 | paste -sd';')
check "json: T03 B2's evidence is the full list ($n ids)" test "$n" -gt 10
contains s.csv "$full" "csv: the full list too"
contains s.txt "($n) $first … and $((n - 10)) more" "text: the count, the first ten ids and how many more"
grep -F "$full" s.txt >/dev/null && not_ok "text: no full list of $n ids" || ok "text: no full list of $n ids"
contains s.txt "SG2020-016;SG2020-031;SG2020-036" "text: three ids stay as they are"
w=$(awk '{ print length($0) }' s.txt | sort -n | tail -1)
check "text: the widest line is under 300 characters ($w)" test "$w" -lt 300
(cd "$ROOT" && "$YINGJI" --db "$TMP/seed.db" run scripts/scoring_2020.lua --set year=2020 --set unit=T03 --as-of 2021-03-31) >t03.txt 2>/dev/null
contains t03.txt "($n) $first … and $((n - 10)) more" "text: the explain sheet shortens it the same way"
