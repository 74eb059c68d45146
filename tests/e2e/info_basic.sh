# info_basic.sh — `yingji info`: datasets, row counts, date ranges and the import log.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/*.csv .
"$YINGJI" --db t.db init >/dev/null
expect_status 0 "info on an empty database" "$YINGJI" --db t.db info
contains out.txt "accidents             0" "empty dataset shows 0 rows"
contains out.txt "  (none)" "no imports yet"
"$YINGJI" --db t.db import units units.csv >/dev/null
"$YINGJI" --db t.db import accidents accidents_gb18030.csv accidents_correction.csv >/dev/null 2>&1
"$YINGJI" --db t.db import inspections inspections_bom.csv >/dev/null 2>&1
"$YINGJI" --db t.db import assessments assessments.csv >/dev/null
"$YINGJI" --db t.db import tasks tasks.csv >/dev/null
expect_status 0 "info" "$YINGJI" --db t.db info
check "dataset table" test "$(sed -n '3,10p' out.txt)" = "$(cat <<'X'
dataset            rows  from        to
units                 7
accidents             6  2020-01-15  2020-06-10
inspections           4  2020-03-02  2020-03-20
assessments           4  2020        2020
targets               0
tasks                 3  2020        2020
revisions             1
X
)"
contains out.txt "database t.db (schema version 2)" "names the database"
check "import log lists every import" test "$(grep -c '\.csv$' out.txt)" -eq 6
check "import log row: counts, encoding and hash" grep -Eq \
  '^   3  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}  [0-9]{4}-[0-9]{2}-[0-9]{2}  accidents +1 +1 +0 +0  utf-8    [0-9a-f]{12}  accidents_correction.csv$' out.txt
contains out.txt "gb18030" "encoding recorded"
expect_status 0 "info --imports 2" "$YINGJI" --db t.db info --imports 2
check "only the last two imports" test "$(grep -c '\.csv$' out.txt)" -eq 2
contains out.txt "(4 earlier imports not shown; --all shows them)" "hidden imports counted"
expect_status 2 "info without a database" "$YINGJI" --db none.db info
check "info does not create a database" test ! -e none.db
