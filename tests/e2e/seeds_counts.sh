# seeds_counts.sh — `make demo`'s loader (seeds/demo.sh) on a fresh database: every seed
# file imports with zero rejected rows and only the intended warning, the counts per
# dataset and year are the ones seeds/README.md records, the corrections file makes
# exactly three revisions, and every record matches seeds/expect.py's own reading.
. "$(dirname "$0")/../lib.sh"

# q SQL: one value from the demo database.
q() { sqlite3 seed.db "$1"; }
# pin DESCRIPTION SQL WANT: ok when the query gives WANT.
pin() {
    got=$(q "$2")
    if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: got '$got', want '$3'"; fi
}

expect_status 0 "seeds/demo.sh loads the seed city" \
    env YINGJI_DB="$TMP/seed.db" sh "$ROOT/seeds/demo.sh" "$YINGJI"
cat out.txt err.txt >demo.txt

pin "13 imports recorded (白沙镇's workbook among them)" "SELECT count(*) FROM imports" 13
pin "no row rejected" "SELECT total(rows_rejected) FROM imports" 0.0
pin "units: 34 (4 streets, 6 townships, 1 zone, 23 departments)" \
    "SELECT group_concat(kind || '=' || n, ' ') FROM
       (SELECT kind, count(*) n FROM units GROUP BY kind ORDER BY kind)" \
    "department=23 street=4 township=6 zone=1"
# per_year DESCRIPTION TABLE YEAR-EXPRESSION WANT: row counts per year, "Y=N Y=N ...".
per_year() {
    pin "$1" "SELECT group_concat(y || '=' || n, ' ') FROM
                (SELECT $3 y, count(*) n FROM $2 GROUP BY y ORDER BY y)" "$4"
}
per_year "accidents per year: 45, 47, 39" accidents "substr(occurred_at, 1, 4)" \
    "2018=45 2019=47 2020=39"
per_year "inspections per year: 2926, 3305" inspections "substr(inspected_on, 1, 4)" \
    "2019=2926 2020=3305"
per_year "targets per year: 44, 43" targets year "2019=44 2020=43"
per_year "assessments per year: 16, 177" assessments year "2019=16 2020=177"
pin "23 tasks in 2020" "SELECT count(*) FROM tasks WHERE year = 2020" 23
pin "task units: 23 leads, 320 cooperating" \
    "SELECT group_concat(role || '=' || n, ' ') FROM
       (SELECT role, count(*) n FROM task_units GROUP BY role ORDER BY role)" \
    "cooperating=320 lead=23"
pin "corrections: 0 new, 3 updated, 1 unchanged" \
    "SELECT rows_new || ' ' || rows_updated || ' ' || rows_unchanged FROM imports
       WHERE file LIKE '%accidents_2020_corrections.csv'" "0 3 1"
pin "the corrections made 3 revisions" "SELECT count(*) FROM revisions" 3
pin "revised: SG2020-004, SG2020-007, SG2020-029" \
    "SELECT group_concat(record_key, ' ') FROM (SELECT record_key FROM revisions ORDER BY 1)" \
    "SG2020-004 SG2020-007 SG2020-029"
pin "SG2020-007 corrected to 3 deaths, level re-derived 较大" \
    "SELECT deaths || ' ' || level FROM accidents WHERE id = 'SG2020-007'" "3 较大"
pin "SG2019-009: 9 dead + 1 missing derive 重大" \
    "SELECT (deaths + missing) || ' ' || level FROM accidents WHERE id = 'SG2019-009'" "10 重大"
pin "SG2018-029: the given level 较大 is kept" \
    "SELECT level FROM accidents WHERE id = 'SG2018-029'" "较大"
pin "2020 loss given in 元 is stored in 万元 (SG2020-025: 1250)" \
    "SELECT direct_loss FROM accidents WHERE id = 'SG2020-025'" "1250.0"
pin "2019 fines given in 万元 are stored in 元" \
    "SELECT total(fine) = round(total(fine)) AND max(fine) >= 5000 FROM inspections
       WHERE inspected_on LIKE '2019%'" 1
pin "counted accidents and deaths per year (production, not written off)" \
    "SELECT group_concat(y || '=' || n || '/' || d, ' ') FROM
       (SELECT substr(occurred_at, 1, 4) y, count(*) n, sum(deaths + missing) d FROM accidents
        WHERE production AND NOT written_off GROUP BY y ORDER BY y)" \
    "2018=39/39 2019=41/48 2020=31/30"
# 白沙镇's workbook: its title rows and its 合计 / 填表人 rows are skipped, each kind
# with the one warning that lists them (intended: a township's workbook as sent)
contains demo.txt "accidents_2020_白沙镇.xlsx:事故台账!3: warning: skipped 2 rows above the header: 1 '白沙镇2020年生产安全事故台账', 2 '填报单位：白沙镇人民政府'" \
  "白沙镇's workbook: the title rows skipped with one warning"
contains demo.txt "accidents_2020_白沙镇.xlsx:事故台账: warning: skipped 2 rows of totals or notes: 7 '合计', 8 '填表人：陈静'" \
  "白沙镇's workbook: the 合计 and 填表人 rows skipped with one warning"
contains demo.txt "accidents_2020_白沙镇.xlsx: 3 rows: 3 new, 0 updated, 0 unchanged, 0 rejected (encoding xlsx)" \
  "白沙镇's workbook: its 3 accidents imported (the township's name merged down over them)"
pin "白沙镇's accidents of 2020 are T03's" \
    "SELECT group_concat(a.id, ' ') FROM (SELECT * FROM accidents ORDER BY id) a JOIN units u ON u.id = a.unit_id
       WHERE u.code = 'T03' AND a.occurred_at LIKE '2020%'" "SG2020-005 SG2020-019 SG2020-034"
n=$(grep -i 'warning:' demo.txt | grep -vc 'accidents_2020_白沙镇.xlsx')
if [ "$n" -eq 1 ] && grep -i 'warning' demo.txt | grep -q 'SG2018-029\|accidents_2018.csv'; then
    ok "one other warning, the intended level of SG2018-029"
else
    not_ok "warnings: $n, want only the intended one"; grep -i 'warning' demo.txt | head -5
fi
# info_row DATASET WANT: the fields after the dataset's name in `yingji info`'s table.
info_row() {
    got=$(awk -v d="$1" '$1 == d { $1 = ""; sub(/^ /, ""); print; exit }' demo.txt)
    if [ "$got" = "$2" ]; then ok "info: $1 $2"; else not_ok "info: $1: got '$got', want '$2'"; fi
}
info_row units "34"
info_row accidents "131 2018-01-11 2020-12-12"
info_row inspections "6231 2019-01-02 2020-12-27"
info_row assessments "193 2019 2020"
info_row targets "87 2019 2020"
info_row tasks "23 2020 2020"
info_row revisions "3"
expect_status 0 "every record is what seeds/expect.py reads from the files (check_db.py)" \
    python3 "$ROOT/seeds/check_db.py" seed.db
