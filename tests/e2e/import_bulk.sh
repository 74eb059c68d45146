# import_bulk.sh — the bulk path of an import into an empty table (issue 18): its
# secondary indexes (accidents_by_date, accidents_by_unit) are dropped for the load and
# built after it inside the same transaction, so their pages follow the table's; keys and
# duplicates are checked as before (the UNIQUE(id) index stays); a rejected file, an
# --on-error skip file and an import into a table that has rows leave the schema exactly
# as `init` made it; a table with more rows than the file keeps its indexes, one with
# fewer has them built again; every query plan still finds the indexes.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/seeds/units.csv .
q() { sqlite3 t.db "$1"; }
idx() { sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name = 'accidents' ORDER BY name"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
"$YINGJI" --db fresh.db init >/dev/null
idx fresh.db > schema.want

# 3,000 accidents over the seed's units, dates in no order: several pages per index
gen() {   # gen FIRST COUNT: accident rows SG9FIRST.. (header included)
    echo "id,occurred_at,unit,sector,deaths,missing,serious_injuries,injuries,direct_loss,report_status,production,written_off,summary"
    awk -v a="$1" -v n="$2" 'BEGIN { split("S01 S02 T01 T02 T03 T04 T05", u, " ");
        for (i = a; i < a + n; i++)
            printf "SG9%06d,2020-%02d-%02d 10:%02d,%s,construction,%d,0,0,1,%d.5,normal,1,0,row %d\n",
                   i, (i * 7) % 12 + 1, (i * 13) % 28 + 1, i % 60, u[i % 7 + 1], i % 3, i, i }'
}
gen 1 3000 > a1.csv
gen 3001 500 > a2.csv

expect_status 0 "3,000 accidents into an empty table" "$YINGJI" --db t.db import accidents a1.csv
contains out.txt "3000 rows: 3000 new" "all new"
check "the indexes are there again, as init made them" test "$(idx t.db)" = "$(cat schema.want)"
check "integrity_check ok (the indexes hold every row)" test "$(q 'PRAGMA integrity_check')" = ok
check "accidents_by_date was built after the load: its pages follow the table's" test \
  "$(q "SELECT (SELECT min(pageno) FROM dbstat WHERE name = 'accidents_by_date') >
               (SELECT max(pageno) FROM dbstat WHERE name = 'accidents')")" = 1
check "so was accidents_by_unit" test \
  "$(q "SELECT (SELECT min(pageno) FROM dbstat WHERE name = 'accidents_by_unit') >
               (SELECT max(pageno) FROM dbstat WHERE name = 'accidents')")" = 1
check "a date query uses accidents_by_date" sh -c \
  "sqlite3 t.db \"EXPLAIN QUERY PLAN SELECT count(*) FROM accidents WHERE occurred_at >= '2020-05'\" | grep -q accidents_by_date"
check "a unit query uses accidents_by_unit" sh -c \
  "sqlite3 t.db \"EXPLAIN QUERY PLAN SELECT count(*) FROM accidents WHERE unit_id = 3 AND occurred_at >= '2020-05'\" | grep -q accidents_by_unit"
check "the index counts match the table's" test \
  "$(q "SELECT count(*) FROM accidents INDEXED BY accidents_by_date WHERE occurred_at > ''")" = 3000

# a table with rows: the indexes are kept (not rebuilt): their root pages stay
roots() { q "SELECT group_concat(rootpage) FROM (SELECT rootpage FROM sqlite_master WHERE tbl_name = 'accidents' ORDER BY name)"; }
before=$(roots)
expect_status 0 "500 more into the table that has rows" "$YINGJI" --db t.db import accidents a2.csv
check "its indexes were not dropped (same root pages)" test "$(roots)" = "$before"
check "integrity_check ok after the second import" test "$(q 'PRAGMA integrity_check')" = ok
check "3,500 rows" test "$(q 'SELECT count(*) FROM accidents')" = 3500

# an empty table again: a file with a duplicate id and a bad row
"$YINGJI" --db e.db init >/dev/null
"$YINGJI" --db e.db import units units.csv >/dev/null
{ gen 1 40; sed -n '11p' a1.csv; echo "SG9999999,2020-13-40 10:00,S01,construction,1,0,0,1,1,normal,1,0,bad date"; } > dup.csv
expect_status 2 "a duplicate and a bad date: rejected" "$YINGJI" --db e.db import accidents dup.csv
contains err.txt "dup.csv:42:1: id: duplicate 'SG9000010' (an earlier row of this file has it)" \
  "the duplicate within the file is still found (the UNIQUE index stays)"
check "rejected: nothing stored" test "$(sqlite3 e.db 'SELECT count(*) FROM accidents')" = 0
check "rejected: the indexes are back as init made them" test "$(idx e.db)" = "$(cat schema.want)"
check "rejected: no accidents import in the log" test \
  "$(sqlite3 e.db "SELECT count(*) FROM imports WHERE dataset = 'accidents'")" = 0
expect_status 3 "the same file with --on-error skip (partial)" "$YINGJI" --db e.db import --on-error skip accidents dup.csv
contains out.txt "42 rows: 40 new, 0 updated, 0 unchanged, 2 rejected" "skip: 40 stored, 2 rejected"
check "skip: the indexes are there, as init made them" test "$(idx e.db)" = "$(cat schema.want)"
check "skip: integrity_check ok" test "$(sqlite3 e.db 'PRAGMA integrity_check')" = ok
check "skip: the date index holds the 40 rows" test \
  "$(sqlite3 e.db "SELECT count(*) FROM accidents INDEXED BY accidents_by_date WHERE occurred_at > ''")" = 40

# a file large against the table (3,000 rows onto 40): the indexes are built again
eroots() { sqlite3 e.db "SELECT group_concat(rootpage) FROM (SELECT rootpage FROM sqlite_master WHERE tbl_name = 'accidents' AND sql LIKE 'CREATE INDEX%' ORDER BY name)"; }
before=$(eroots)
expect_status 0 "3,000 rows onto 40" "$YINGJI" --db e.db import accidents a1.csv
contains out.txt "3000 rows: 2960 new, 0 updated, 40 unchanged" "the 40 known rows unchanged"
check "the indexes were built again (new root pages)" test "$(eroots)" != "$before"
check "and are as init made them" test "$(idx e.db)" = "$(cat schema.want)"
check "integrity_check ok" test "$(sqlite3 e.db 'PRAGMA integrity_check')" = ok
check "the unit index holds the 3,000 rows" test \
  "$(sqlite3 e.db "SELECT count(*) FROM accidents INDEXED BY accidents_by_unit WHERE unit_id > 0")" = 3000

# corrections then go through revisions as ever (issue 13)
sed 's/,row 5$/,row 5 corrected/' a1.csv | sed -n '1p;6p' > fix.csv
expect_status 0 "a correction" "$YINGJI" --db t.db import accidents fix.csv
contains out.txt "1 rows: 0 new, 1 updated" "one update"
check "its old version is kept in revisions" test \
  "$(q "SELECT count(*) FROM revisions WHERE dataset = 'accidents' AND record_key = 'SG9000005'")" = 1

# Only the engine's own indexes take the bulk path. An index someone added to the table
# (a UNIQUE one here) stays in place for the load, so --on-error skip rejects the one row
# it refuses instead of failing the whole file when the index is built at the end.
"$YINGJI" --db u.db init >/dev/null
"$YINGJI" --db u.db import units units.csv >/dev/null
sqlite3 u.db "CREATE UNIQUE INDEX local_one_summary ON accidents(summary)"
gen 1 50 | sed 's/,row 7$/,row 6/' > dup.csv
expect_status 3 "a user's UNIQUE index: skip mode rejects the duplicate row only" \
    "$YINGJI" --db u.db import --on-error skip accidents dup.csv
contains out.txt "50 rows: 49 new" "… and the other 49 rows land"
check "the user's index is still there" test \
    "$(sqlite3 u.db "SELECT count(*) FROM sqlite_master WHERE name = 'local_one_summary'")" = 1
check "integrity_check ok" test "$(sqlite3 u.db 'PRAGMA integrity_check')" = ok
