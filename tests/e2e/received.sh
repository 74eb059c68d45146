# received.sh — `yingji import --received DATE` (issue 13 item 1): the day the bureau
# received the file, stored in the import log (default today, local date), shown by
# `info`; every date form the importer accepts; not a date or in the future: exit 1.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/units.csv "$ROOT"/tests/data/import/accidents_correction.csv .
"$YINGJI" --db t.db init >/dev/null
today=$(date +%Y-%m-%d)
expect_status 0 "import without --received" "$YINGJI" --db t.db import units units.csv
check "default received date is today (local)" \
  test "$(sqlite3 t.db "SELECT received FROM imports WHERE id = 1")" = "$today"
n=2
for form in 2020-07-03 2020/7/3 2020.7.3 2020年7月3日 20200703 "2020-07-03 00:00" 44015; do
    expect_status 0 "--received '$form'" "$YINGJI" --db t.db import --received "$form" \
      accidents accidents_correction.csv
    check "--received '$form' stored as 2020-07-03" \
      test "$(sqlite3 t.db "SELECT received FROM imports WHERE id = $n")" = 2020-07-03
    n=$((n + 1))
done
expect_status 0 "--received=DATE form" "$YINGJI" --db t.db import --received=2019-12-31 units units.csv
check "--received=DATE stored" test "$(sqlite3 t.db "SELECT received FROM imports ORDER BY id DESC LIMIT 1")" = 2019-12-31
expect_status 0 "--received today" "$YINGJI" --db t.db import --received "$today" units units.csv
before=$(sqlite3 t.db "SELECT count(*) FROM imports")
for bad in 2020-02-30 yesterday "" 2020-13-01 "2020-07-03 12:30"; do
    expect_status 1 "--received '$bad' is a usage error" "$YINGJI" --db t.db import --received "$bad" units units.csv
    contains err.txt "--received" "the message of '$bad' names the option"
done
tomorrow=$(date -d tomorrow +%Y-%m-%d 2>/dev/null || date -v+1d +%Y-%m-%d)
expect_status 1 "--received in the future is a usage error" "$YINGJI" --db t.db import --received "$tomorrow" units units.csv
contains err.txt "--received: $tomorrow is in the future" "names the option and the date"
check "refused imports record nothing" test "$(sqlite3 t.db "SELECT count(*) FROM imports")" -eq "$before"
expect_status 0 "info" "$YINGJI" --db t.db info
check "info shows the received date" grep -Eq '^   2  [0-9-]{10} [0-9:]{8}  2020-07-03  accidents ' out.txt
contains out.txt "received" "info has a received column"
