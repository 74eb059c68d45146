# import_encoding.sh — how `import` decides a file's encoding (issue 10, item 17; the
# rule: docs/yingji.1 under import, and imp_scan_decide in core/imp_encoding.h). A
# UTF-8 file with a few bad lines stays UTF-8: those lines are rejected
# (FILE:LINE:COL: invalid UTF-8 byte sequence) and kept byte-for-byte in the rejects
# file, while every other row's Chinese text is stored intact (never the whole file
# decoded as GB18030 into mojibake). GB18030 is chosen only when the lines with
# non-ASCII bytes are not UTF-8 and mostly decode as GB18030; a file valid in neither,
# a file of mixed encodings and UTF-16 are refused.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/units.csv .
q() { sqlite3 t.db "$1"; }
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
H='id,inspected_on,unit,sector,enterprise,hazards_found'
GBK_CESHI=$(printf '\262\342\312\324')           # 测试 in GBK
gbk() { iconv -f UTF-8 -t GB18030; }

# rejected NAME FILE [OPTIONS...] < expected stderr: exit 2, exact errors, nothing stored.
rejected() {
    name=$1 file=$2; shift 2
    cat >expected.txt
    before=$(dbdump t.db)
    expect_status 2 "$name: rejected" "$YINGJI" --db t.db import "$@" inspections "$file"
    if cmp -s err.txt expected.txt; then ok "$name: exact errors"; else
        not_ok "$name: exact errors"; diff expected.txt err.txt | head -10 | sed 's/^/    /'; fi
    check "$name: database unchanged" test "$(dbdump t.db)" = "$before"
}

# --- a UTF-8 file with one stray GBK byte pair ---
{ echo "$H"; for i in 1 2; do echo "S-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done
  echo "S-3,2020-03-03,T01,industry,${GBK_CESHI}事故3,1"
  for i in 4 5; do echo "S-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done; } > stray.csv
rejected "stray GBK pair" stray.csv <<'X'
stray.csv:4:5: invalid UTF-8 byte sequence (bytes B2 E2)
stray.csv: rejected (1 error), nothing imported
X
expect_status 3 "stray GBK pair, skip: partial" "$YINGJI" --db t.db import --on-error skip inspections stray.csv
check "stray GBK pair: encoding utf-8, one row rejected" test "$(cat out.txt)" = \
  "stray.csv: 5 rows: 4 new, 0 updated, 0 unchanged, 1 rejected (encoding utf-8); rejected rows in stray.rejects.csv"
check "stray GBK pair: the other rows' Chinese is intact (no mojibake)" \
  test "$(q "SELECT group_concat(enterprise, '|') FROM (SELECT enterprise FROM inspections WHERE id LIKE 'S-%' ORDER BY id)")" = \
  "测试事故1|测试事故2|测试事故4|测试事故5"
printf '\357\273\277%s,error\r\nS-3,2020-03-03,T01,industry,%s事故3,1,invalid UTF-8 byte sequence (bytes B2 E2)\r\n' "$H" "$GBK_CESHI" > want.csv
check "stray GBK pair: the rejects file keeps the line's original bytes" cmp stray.rejects.csv want.csv

# --- a lone FF FE in the middle of a line ---
{ echo "$H"; echo "F-1,2020-03-01,T01,industry,测试,1"; printf 'F-2,2020-03-02,T01,industry,a\377\376b,1\n'
  echo "F-3,2020-03-03,T01,industry,测试,1"; } > fffe.csv
rejected "lone FF FE" fffe.csv <<'X'
fffe.csv:3:5: invalid UTF-8 byte sequence (bytes FF FE)
fffe.csv: rejected (1 error), nothing imported
X
expect_status 3 "lone FF FE, skip" "$YINGJI" --db t.db import --on-error skip inspections fffe.csv
check "lone FF FE: the others stored as UTF-8" test "$(q "SELECT count(*) FROM inspections WHERE id LIKE 'F-%' AND enterprise = '测试'")" = 2
check "lone FF FE: kept verbatim in the rejects file" test "$(sed -n 2p fffe.rejects.csv | cut -d, -f5)" = "$(printf 'a\377\376b')"

# --- a stray byte in the header line: the encoding is named, not "unknown column" ---
{ printf 'id,inspected_on,unit,sector,\306\363\322\265\303\373\263\306,hazards_found\n'
  for i in 1 2 3; do echo "HD-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done; } > header.csv
rejected "GBK bytes in the header line" header.csv --on-error skip <<'X'
header.csv:1:5: invalid UTF-8 byte sequence in the header (bytes C6 F3)
header.csv: rejected (1 error), nothing imported
X

# --- in the last line, which has no newline ---
{ echo "$H"; for i in 1 2 3; do echo "L-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done
  printf 'L-4,2020-03-04,T01,industry,%s' "$GBK_CESHI"; printf ',1'; } > last.csv
rejected "stray pair in the last line (no newline)" last.csv <<'X'
last.csv:5:5: invalid UTF-8 byte sequence (bytes B2 E2)
last.csv: rejected (1 error), nothing imported
X
expect_status 3 "last line, skip" "$YINGJI" --db t.db import --on-error skip inspections last.csv
check "last line: the other three stored" test "$(q "SELECT count(*) FROM inspections WHERE id LIKE 'L-%'")" = 3

# --- a GB18030 file with one invalid sequence: GB18030, that row rejected ---
{ echo "$H"; for i in 1 2 3 4; do echo "G-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done; } | gbk |
  awk 'NR == 3 { sub(/,1\r?$/, ""); printf "%s\201 x,1\n", $0; next } { print }' > gb.csv
rejected "GB18030 with one invalid sequence" gb.csv <<'X'
gb.csv:3:5: invalid GB18030 byte sequence
gb.csv: rejected (1 error), nothing imported
X
expect_status 3 "GB18030 with one invalid sequence, skip" "$YINGJI" --db t.db import --on-error skip inspections gb.csv
contains out.txt "(encoding gb18030)" "GB18030 with one invalid sequence: still GB18030"
check "GB18030 with one invalid sequence: the others decoded" \
  test "$(q "SELECT group_concat(enterprise, '|') FROM (SELECT enterprise FROM inspections WHERE id LIKE 'G-%' ORDER BY id)")" = \
  "测试事故1|测试事故3|测试事故4"

# --- a UTF-8 BOM decides outright, even when most lines are GBK ---
{ printf '\357\273\277%s\n' "$H"; echo "B-1,2020-03-01,T01,industry,测试事故1,1"
  for i in 2 3 4; do echo "B-$i,2020-03-0$i,T01,industry,测试事故$i,1" | gbk; done; } > bom.csv
rejected "BOM UTF-8 file with GBK lines" bom.csv <<'X'
bom.csv:3:5: invalid UTF-8 byte sequence (bytes B2 E2)
bom.csv:4:5: invalid UTF-8 byte sequence (bytes B2 E2)
bom.csv:5:5: invalid UTF-8 byte sequence (bytes B2 E2)
bom.csv: rejected (3 errors), nothing imported
X
expect_status 3 "BOM UTF-8 file with GBK lines, skip" "$YINGJI" --db t.db import --on-error skip inspections bom.csv
check "BOM: the UTF-8 row stored intact" test "$(q "SELECT enterprise FROM inspections WHERE id = 'B-1'")" = "测试事故1"

# --- UTF-16 (both byte orders) is refused by name ---
{ echo "$H"; echo "U-1,2020-03-01,T01,industry,测试,1"; } | iconv -f UTF-8 -t UTF-16LE | { printf '\377\376'; cat; } > u16.csv
rejected "UTF-16LE" u16.csv <<'X'
u16.csv:1: UTF-16 text (byte-order mark FF FE): save the file as UTF-8 (or GB18030) CSV
u16.csv: rejected (1 error), nothing imported
X
{ echo "$H"; echo "U-1,2020-03-01,T01,industry,测试,1"; } | iconv -f UTF-8 -t UTF-16BE | { printf '\376\377'; cat; } > u16be.csv
rejected "UTF-16BE" u16be.csv --on-error skip <<'X'
u16be.csv:1: UTF-16 text (byte-order mark FE FF): save the file as UTF-8 (or GB18030) CSV
u16be.csv: rejected (1 error), nothing imported
X

# --- valid in neither: refused as a whole, naming the first bad line ---
{ echo "$H"; echo "N-1,2020-03-01,T01,industry,plain,1"
  for i in 2 3; do printf 'N-%s,2020-03-0%s,T01,industry,caf\351 cr\350me,1\n' $i $i; done; } > latin1.csv
rejected "Latin-1: neither UTF-8 nor GB18030" latin1.csv --on-error skip <<'X'
latin1.csv:3: neither UTF-8 nor GB18030 text (bytes E9 20): save the file as UTF-8
latin1.csv: rejected (1 error), nothing imported
X
{ echo "$H"; printf 'N-1,2020-03-01,T01,industry,a\377\376b,1\n'; } > neither.csv
rejected "only a lone FF FE: neither" neither.csv --on-error skip <<'X'
neither.csv:2: neither UTF-8 nor GB18030 text (bytes FF FE): save the file as UTF-8
neither.csv: rejected (1 error), nothing imported
X

# --- mixed encodings: refused rather than half of it garbled ---
{ echo "$H"; for i in 1 2 3; do echo "M-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done
  for i in 4 5 6 7 8; do echo "M-$i,2020-03-0$i,T01,industry,测试事故$i,1" | gbk; done; } > mixed.csv
rejected "mixed encodings" mixed.csv --on-error skip <<'X'
mixed.csv:5: mixed encodings: 5 lines are not UTF-8 (the first shown here) but 3 are (the first: line 2): save the file in one encoding
mixed.csv: rejected (1 error), nothing imported
X

# --- plain GB18030 is still detected: Chinese only in the header, and in every row ---
{ printf '检查编号,检查日期,属地,行业领域,企业名称,发现隐患数\n'; echo "P-1,2020-03-01,T01,industry,x,1"; } | gbk > gbhead.csv
expect_status 0 "GB18030 header, ASCII rows" "$YINGJI" --db t.db import inspections gbhead.csv
contains out.txt "(encoding gb18030)" "GB18030 header, ASCII rows: gb18030"
{ echo "$H"; for i in 1 2 3; do echo "Q-$i,2020-03-0$i,T01,industry,测试事故$i,1"; done; } | gbk > gball.csv
expect_status 0 "GB18030 rows" "$YINGJI" --db t.db import inspections gball.csv
check "GB18030 rows: decoded" test "$(q "SELECT enterprise FROM inspections WHERE id = 'Q-2'")" = "测试事故2"

# --- a GB18030 header with an invalid sequence: named, not "unknown column" ---
printf '\201 ,' > tail.bin; { printf '检查编号,检查日期,属地,行业领域,企业' | gbk; cat tail.bin; printf '发现隐患数\n' | gbk
  for i in 1 2; do echo "R-$i,2020-03-0$i,T01,industry,测试事故$i,1" | gbk; done; } > gbhdr.csv
rejected "invalid GB18030 in the header" gbhdr.csv <<'X'
gbhdr.csv:1:5: invalid GB18030 byte sequence in the header
gbhdr.csv: rejected (1 error), nothing imported
X
