# archive_verify.sh — `yingji archive` / `yingji verify`: round trip, the frozen script
# comes from the archive (not disk), --db reports later corrections, and tampering with
# data, script or results is detected (exit 5).
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db city.db init >/dev/null || exit 1
sqlite3 city.db <<'SQL' || exit 1
INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at) VALUES (1, 'units', 'u.csv', 'x', 'utf-8', '2021-01-05');
INSERT INTO units(id, code, name, kind, batch) VALUES (1, 'T01', '甲镇', 'township', 1), (2, 'T02', '乙镇', 'street', 1);
INSERT INTO accidents(id, occurred_at, unit_id, sector, deaths, level, report_status, closed_on, batch)
  VALUES ('A1', '2019-03-01', 1, 'road', 2, '一般', 'late', '2019-03-20', 1),
         ('A2', '2019-05-01', 2, 'industry', 0, '一般', 'normal', '2019-05-10', 1);
INSERT INTO inspections(id, inspected_on, unit_id, sector, enterprise, hazards_found, hazards_rectified, batch)
  VALUES ('I1', '2019-02-01', 1, 'industry', '甲厂', 10, 9, 1), ('I2', '2019-02-02', 2, 'industry', '乙厂', 4, 2, 1);
INSERT INTO targets(year, unit_id, indicator, value, batch) VALUES
  (2019, 1, 'deaths_cap', 1, 1), (2019, 1, 'accidents_cap', 2, 1), (2019, 1, 'inspections_plan', 2, 1),
  (2019, 2, 'deaths_cap', 1, 1), (2019, 2, 'accidents_cap', 2, 1), (2019, 2, 'inspections_plan', 1, 1);
INSERT INTO assessments(year, period, unit_id, indicator, value, batch) VALUES
  (2019, 'annual', 1, 'drills', 1, 1), (2019, 'annual', 2, 'drills', 0, 1), (2019, 'annual', 2, 'bonus', 2, 1);
SQL
mkdir -p s/lib
cp "$ROOT/scripts/scoring_2019.lua" s/
cp "$ROOT"/scripts/lib/scoring*.lua s/lib/ 2>/dev/null
rm -f s/lib/*_test.lua

expect_status 0 "archive the 2019 evaluation" "$YINGJI" --db city.db archive -o e2019.yjar s/scoring_2019.lua --set year=2019 --as-of 2020-01-31
contains out.txt "manifest sha256" "archive prints the manifest hash"
check "the archive is one file" test ! -e e2019.yjar-wal -a ! -e e2019.yjar-journal -a ! -e e2019.yjar.tmp
files=$(sqlite3 e2019.yjar "SELECT count(*) FROM yj_archive_files WHERE name IS NULL OR name LIKE 'scoring%'")
check "the script and its four modules are frozen ($files)" test "$files" = 5
check "parameters and as_of are recorded" test "$(sqlite3 e2019.yjar "SELECT param FROM yj_archive_params") $(sqlite3 e2019.yjar "SELECT value FROM yj_archive WHERE key = 'as_of'")" = "year=2019 2020-01-31"
expect_status 1 "archive refuses to overwrite" "$YINGJI" --db city.db archive -o e2019.yjar s/scoring_2019.lua

"$YINGJI" --db city.db run s/scoring_2019.lua --set year=2019 --as-of 2020-01-31 --format json >run.json
sqlite3 e2019.yjar "SELECT writefile('frozen.json', value) FROM yj_archive WHERE key = 'results_json'" >/dev/null
check "the frozen results are what 'yingji run' prints" cmp -s run.json frozen.json

expect_status 0 "verify reproduces the evaluation" "$YINGJI" verify e2019.yjar
contains out.txt "5 table(s) identical" "verify says every table is identical (evaluation, scores, items, deductions, problems)"

# The frozen script is loaded from the archive: changing the files on disk changes nothing.
sed -i 's/max = 20, full_at = 0.90/max = 20, full_at = 0.99/' s/scoring_2019.lua
echo 'error("the disk copy must not be loaded")' >>s/lib/scoring_rules.lua
expect_status 0 "verify ignores the scripts on disk" "$YINGJI" verify e2019.yjar

# Later corrections: today's database differs; the archive does not.
sqlite3 city.db "UPDATE accidents SET deaths = 3, level = '较大' WHERE id = 'A1'"
expect_status 0 "the archive still verifies after a correction in the database" "$YINGJI" verify e2019.yjar
expect_status 5 "verify --db reports what today's data changes" "$YINGJI" verify e2019.yjar --db city.db
contains out.txt "table scores:" "the changed scores table is named"
contains out.txt '- row 2: ["T01","甲镇",80,"合格",false,null,2]' "the archived row of T01 is shown"
contains out.txt '+ row 2: ["T01","甲镇",65,"合格",false,null,2]' "the re-run row of T01 is shown"
contains out.txt 'scores T01: score 80 → 65' "the change of T01 is keyed by unit, by column name"
contains out.txt "changed" "the summary says the results changed"

tamper() {  # description, SQL
    cp e2019.yjar t.yjar
    sqlite3 t.yjar "$2" || not_ok "$1: tamper SQL failed"
    expect_status 5 "tampered $1 fails verification" "$YINGJI" verify t.yjar
    contains out.txt "verification failed" "tampered $1 is reported"
}
tamper "data" "UPDATE inspections SET hazards_rectified = 10 WHERE id = 'I1'"
tamper "data (a row nobody scores)" "INSERT INTO sectors(code, name) VALUES ('zz', '虚构')"
tamper "script" "UPDATE yj_archive_files SET content = replace(content, 'per = 5', 'per = 1') WHERE name IS NULL"
tamper "library" "UPDATE yj_archive_files SET content = CAST(replace(CAST(content AS TEXT), '0.90', '0.50') AS BLOB) WHERE name = 'scoring_rules' OR name IS NULL"
tamper "results" "UPDATE yj_archive_tables SET json = replace(json, ',80,', ',90,') WHERE name = 'scores'"
tamper "results hash too" "UPDATE yj_archive SET value = 'x' || substr(value, 2) WHERE key = 'results_sha256'"
tamper "parameters" "UPDATE yj_archive_params SET param = 'year=2020'"
tamper "as_of" "UPDATE yj_archive SET value = '2020-02-01' WHERE key = 'as_of'"
contains out.txt "manifest" "an edited field shows as a manifest mismatch"

expect_status 2 "verify of a missing file" "$YINGJI" verify nope.yjar
printf 'not sqlite' >junk.yjar
expect_status 2 "verify of a file that is not an archive" "$YINGJI" verify junk.yjar
expect_status 1 "verify without an archive is a usage error" "$YINGJI" verify

# A script that fails is not archived: exit 4, no file, no leftover.
printf 'error("boom")\n' >bad.lua
expect_status 4 "a failing script is not archived" "$YINGJI" --db city.db archive -o bad.yjar bad.lua
contains err.txt "bad.lua:1: boom" "the script's error is shown"
check "no archive and no temporary file are left" test ! -e bad.yjar -a ! -e bad.yjar.tmp
expect_status 1 "an impossible --as-of is a usage error" "$YINGJI" --db city.db archive -o x.yjar s/scoring_2019.lua --as-of 2019-02-30
expect_status 1 "archive without -o is a usage error" "$YINGJI" --db city.db archive s/scoring_2019.lua
expect_status 0 "archive --help" "$YINGJI" archive --help
contains out.txt "SHA-256" "archive --help says what is frozen"
expect_status 0 "verify --help" "$YINGJI" verify --help
contains out.txt "exit status: 0 every table and output identical; 5" "verify --help documents its exit status"

# A forger who also recomputes every stored hash (tables, results, manifest): only the
# comparison with the re-run can catch it (issue 12, attack 1).
cp "$ROOT/tests/e2e/archive_rehash.py" rehash.py
forge() {  # description, SQL (then every hash is recomputed)
    cp e2019.yjar f.yjar
    sqlite3 f.yjar "$2" && python3 rehash.py f.yjar || not_ok "$1: forging failed"
    expect_status 5 "forged $1 (hashes recomputed) fails verification" "$YINGJI" verify f.yjar
    contains out.txt "verification failed" "forged $1 is reported"
}
cp e2019.yjar f.yjar && python3 rehash.py f.yjar
expect_status 0 "rehashing an untouched archive changes nothing (the forger's tool is right)" "$YINGJI" verify f.yjar
forge "results JSON" "UPDATE yj_archive SET value = replace(value, '\"score\": 80,', '\"score\": 1080,') WHERE key = 'results_json'"
contains out.txt "results" "the forged results JSON is named"
forge "result table" "UPDATE yj_archive_tables SET json = replace(json, ',80,', ',1080,') WHERE name = 'scores'"
contains out.txt "table scores" "the forged table is named"
forge "data and results" "UPDATE inspections SET hazards_rectified = 10 WHERE id = 'I1'"
