# import_pipeline.sh — what the two-thread import must keep: lines without quotes split
# exactly as libcsv splits them (blanks trimmed, CRLF, blank and space-only lines
# skipped, a trailing comma is one more field), messages in file order across many
# batches, rows stored 16 at a time falling back to one by one on a duplicate or an
# update, and the rejects file in file order.
. "$(dirname "$0")/../lib.sh"
GEN=$BUILD/bench/gen
q() { sqlite3 t.db "$1"; }
"$GEN" --units 30 units 30 > units.csv
"$GEN" --units 30 inspections 3000 > insp.csv
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null

h=$(head -1 insp.csv)
{
    echo "$h"
    printf ' JC-A ,\t2020-01-02 , U00001,road ,企业 甲 ,plan,3, 0 ,\t2\t, 0,0,0,\r\n'
    printf '   \n\t\r\n\n'
    printf 'JC-B,2020-01-03,U00002,gas,"企业,乙",random,1,0,1,0,0,0,\n'
    printf 'JC-C,2020-01-04,U00002,gas,企业丙,random,1,0,1,0,0,0,,\n'
    printf 'JC-D,2020-01-05,U00003,gas,企业丁,other,2,0,0,0,0,0,D01\n'
} > plain.csv
expect_status 2 "a trailing comma is one field too many" "$YINGJI" --db t.db import inspections plain.csv
check "only that row's error" test "$(cat err.txt)" = "plain.csv:7:14: expected 13 fields, found 14
plain.csv: rejected (1 error), nothing imported"
expect_status 3 "skip mode" "$YINGJI" --db t.db import --on-error skip inspections plain.csv
check "blank and space-only lines are not rows" test "$(cat out.txt)" = \
  "plain.csv: 4 rows: 3 new, 0 updated, 0 unchanged, 1 rejected (encoding utf-8); rejected rows in plain.rejects.csv"
check "blanks and tabs trimmed, inner space kept" test "$(q "SELECT id || '|' || inspected_on || '|' || enterprise || '|' || hazards_rectified FROM inspections WHERE id = 'JC-A'")" = \
  "JC-A|2020-01-02|企业 甲|2"
check "quoted comma beside plain lines" test "$(q "SELECT enterprise FROM inspections WHERE id = 'JC-B'")" = "企业,乙"

# 3000 rows: new rows in blocks, a bad row, an update, a repeated id late in the file.
awk -F, -v OFS=, 'NR == 1001 { $3 = "U99999" } NR == 1500 { $7 = $7 + 1 } { print } NR == 2600 { print line5 } NR == 6 { line5 = $0 }' \
  insp.csv > big.csv
"$YINGJI" --db t.db import inspections insp.csv >/dev/null
expect_status 3 "skip mode over many batches" "$YINGJI" --db t.db import --on-error skip inspections big.csv
check "counts" test "$(cat out.txt)" = \
  "big.csv: 3001 rows: 0 new, 1 updated, 2998 unchanged, 2 rejected (encoding utf-8); rejected rows in big.rejects.csv"
check "errors in file order" test "$(cat err.txt)" = "big.csv:1001:3: unit: unknown unit (got 'U99999')
big.csv:2601:1: id: duplicate 'JC00000005' (an earlier row of this file has it)"
check "rejects in file order" test "$(tail -c +4 big.rejects.csv | cut -d, -f1 | tr '\n' ' ')" = "id JC00001000 JC00000005 "
check "the update has its revision" test "$(q "SELECT count(*) FROM revisions WHERE record_key = 'JC00001499'")" = 1
{ head -1 insp.csv; sed -n '2,41p' insp.csv | sed 's/^JC/JN/'; sed -n '20p' insp.csv | sed 's/^JC/JN/'; } > dup.csv
expect_status 2 "a repeated new id inside a block of 16" "$YINGJI" --db t.db import inspections dup.csv
check "is reported once, at its line" test "$(head -1 err.txt)" = "dup.csv:42:1: id: duplicate 'JN00000019' (an earlier row of this file has it)"
check "nothing of the rejected file stays" test "$(q "SELECT count(*) FROM inspections WHERE id LIKE 'JN%'")" = 0
