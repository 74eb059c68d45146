# sandbox_sql.sh — the SQL half of the sandbox against hostile queries (issue 10, items
# 7, 9, 10): the SQL time limit bounds the run's total time in SQLite whatever the shape
# of the queries (many tiny ones, few huge ones, slow rows); huge strings hit the length
# cap; only an allow-list of functions and table-valued functions may be called, and what
# is refused says what and why; trailing comments after the one statement are fine.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" init >/dev/null 2>&1
sqlite3 yingji.db "INSERT INTO imports(id, dataset, file, sha256, encoding, imported_at)
  VALUES (1, 'units', 'u.csv', '', 'utf-8', '2020-01-01');
  INSERT INTO units(code, name, kind, batch) VALUES ('T01', '甲镇', 'township', 1);
  CREATE VIRTUAL TABLE notes USING fts4(body);
  INSERT INTO notes(body) VALUES ('a note');"
dbdump yingji.db >before.sql
# --timeout is the wall-clock backstop: without the SQL limit a case ends with its
# message instead of the SQL one, not with a hung test.
LIMITS="--max-instructions 2000000000 --max-memory 256 --timeout 60"

# refused NAME MESSAGE LUA [OPTIONS...]: exit 4, MESSAGE on stderr, database unchanged.
refused() {
    name=$1 msg=$2
    printf '%s\n' "$3" >evil.lua
    shift 3
    # shellcheck disable=SC2086
    expect_status 4 "$name: exit 4" "$YINGJI" run $LIMITS "$@" evil.lua
    contains err.txt "$msg" "$name: says '$msg'"
    dbdump yingji.db >after.sql
    check "$name: database unchanged" cmp -s before.sql after.sql
}

# allowed NAME LUA: the script runs (exit 0) and prints what it checks.
allowed() {
    printf '%s\n' "$2" >good.lua
    # shellcheck disable=SC2086
    expect_status 0 "$1" "$YINGJI" run $LIMITS --sql-timeout 10000 good.lua
}

# ---- item 7: the SQL time limit is the total time, whatever the shape ----
refused "200,000 tiny queries" "script exceeded its SQL time limit (1 ms)" \
    'for i = 1, 1e8 do sql.value("SELECT 1") end' --sql-timeout 1
refused "tiny queries inside pcall" "script exceeded its SQL time limit (1 ms)" \
    'for i = 1, 1e8 do pcall(sql.value, "SELECT ?", i) end' --sql-timeout 1
refused "tiny queries through sql.rows" "script exceeded its SQL time limit (1 ms)" \
    'for i = 1, 1e8 do for r in sql.rows("SELECT 1 AS x UNION ALL SELECT 2") do end end' --sql-timeout 1
refused "many statements of one slow step each" "script exceeded its SQL time limit (1000 ms)" \
    'for i = 1, 1e6 do sql.value("SELECT length(printf(\"%.*c\", 20000000, \"x\"))") end' --sql-timeout 1000
refused "a few slow rows in one statement" "script exceeded its SQL time limit (1000 ms)" \
    'sql.value([[WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000)
                 SELECT sum(length(printf("%.*c", 20000000, "x"))) FROM c]])' --sql-timeout 1000
refused "one slow query, then tiny ones" "script exceeded its SQL time limit (200 ms)" \
    'pcall(sql.value, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
     for i = 1, 1e8 do pcall(sql.value, "SELECT 1") end' --sql-timeout 200
refused "preparing counts too" "script exceeded its SQL time limit (1 ms)" \
    'local q = "SELECT 1 WHERE 1 IN (" .. string.rep("1,", 5000) .. "2)"
     for i = 1, 1e8 do pcall(sql.value, q) end' --sql-timeout 1
# printf's '%.*c' costs time in proportion to its precision even past the length cap
# (one step of 20 s for 2^31 - 1): widths and precisions above the cap are refused.
refused "one huge printf (a single slow step)" "printf: a width or precision of 300000000 is more than the SQL length limit" \
    'sql.value("SELECT printf(\"%.*c\", 3e8, \"x\")")' --sql-timeout 100
refused "printf with the largest precision" "printf: a width or precision of 2147483647 is more" \
    'sql.value("SELECT printf(\"%.*c\", 2147483647, \"x\")")' --sql-timeout 100
refused "format(), printf's other name" "printf: a width or precision of 2147483647 is more" \
    'sql.value("SELECT format(\"%.*c\", 2147483647, \"x\")")' --sql-timeout 100
refused "printf with a bound format and a negative precision" "printf: a width or precision of 2147483647 is more" \
    'sql.value("SELECT printf(?, ?, ?, ?)", "%d %.*c", 1, -2147483647, "x")' --sql-timeout 100
refused "printf with a literal precision" "printf: a width or precision of 2000000000 is more" \
    'sql.value("SELECT printf(\"%.2000000000c\", \"x\")")' --sql-timeout 100
refused "huge printfs row after row" "printf: a width or precision" \
    'sql.value("SELECT count(printf(\"%.*c\", 2147483647 - x, \"x\")) FROM (SELECT 1 AS x UNION ALL SELECT 2)")' --sql-timeout 100
cat >good.lua <<'LUA'
local got = sql.value([[SELECT printf('%5.1f|%-4d|%s|%q|%c|%,d|%.*c|%x|%e|%%|%!.3g', 2.25, 7, 'ab', 'it''s',
                                      '中文', 1234567, 2, '字', 255, 1234.5, 0.5)]])
print("printf=" .. got)
LUA
expect_status 0 "printf gives SQLite's own results" "$YINGJI" run $LIMITS good.lua
want=$(sqlite3 :memory: "SELECT printf('%5.1f|%-4d|%s|%q|%c|%,d|%.*c|%x|%e|%%|%!.3g', 2.25, 7, 'ab', 'it''s',
                                      '中文', 1234567, 2, '字', 255, 1234.5, 0.5)")
contains err.txt "printf=$want" "printf gives SQLite's own results: $want"
refused "huge printfs inside pcall" "script exceeded its SQL time limit (1000 ms)" \
    'for i = 1, 1e6 do pcall(sql.value, "SELECT printf(\"%.*c\", 3e8, \"x\")") end' --sql-timeout 1000
refused "randomblob of a gigabyte" "the SQL length limit" \
    'sql.value("SELECT length(randomblob(1000000000))")'
refused "zeroblob of a gigabyte" "the SQL length limit" \
    'sql.value("SELECT length(zeroblob(1000000000))")'
refused "a huge replace" "the SQL length limit" \
    'sql.value("SELECT length(replace(printf(\"%.*c\", 20000000, \"x\"), \"x\", \"xxxx\"))")'
refused "a huge group_concat" "the SQL length limit" \
    'sql.value([[WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100)
                 SELECT length(group_concat(printf("%.*c", 1000000, "x"))) FROM c]])'
refused "a huge SQL text" "the SQL text limit" \
    'sql.value("SELECT 1 WHERE 1 IN (" .. string.rep("1,", 1e6) .. "2)")'
refused "a huge bound string" "the SQL length limit" \
    'sql.value("SELECT length(?)", string.rep("x", 100 * 2^20))'
allowed "the length cap leaves room for ordinary strings" \
    'assert(sql.value("SELECT length(printf(\"%.*c\", 1000000, \"x\"))") == 1000000)'

# ---- item 9: only an allow-list of functions ----
refused "fts3_tokenizer leaking an address" "function fts3_tokenizer() is not allowed" \
    'print(sql.value("SELECT hex(fts3_tokenizer(\"porter\"))"))'
refused "fts3_tokenizer with a bound name" "function fts3_tokenizer() is not allowed" \
    'print(sql.value("SELECT hex(fts3_tokenizer(?))", "porter"))'
refused "fts3_tokenizer writing a pointer" "function fts3_tokenizer() is not allowed" \
    'sql.value("SELECT fts3_tokenizer(?, ?)", "simple", string.rep("\0", 8))'
for f in "load_extension('/tmp/x.so')" "sqlite_compileoption_get(0)" "sqlite_log(1, 'x')" \
         "rtreenode(2, x'00')" "fts5_source_id()" "sqlite_source_id()" "changes()" \
         "total_changes()" "sqlite_compileoption_used('X')"; do
    name=${f%%(*}
    refused "function $name" "function $name() is not allowed" "sql.value(\"SELECT $f\")"
done
refused "a refused function in a subquery" "function fts3_tokenizer() is not allowed" \
    'sql.value("SELECT (SELECT fts3_tokenizer(?)) FROM units", "simple")'
refused "MATCH on an FTS table" "is not allowed" \
    'sql.value("SELECT count(*) FROM notes WHERE notes MATCH ?", "note")'
cat >good.lua <<'LUA'
local v = sql.one([[SELECT abs(-1) AS a, round(2.345, 1) AS r, coalesce(NULL, 2) AS c, ifnull(NULL, 3) AS i,
  iif(1, 'y', 'n') AS y, substr('abc', 2) AS s, upper('a') AS u, lower('A') AS l, length('甲镇') AS n,
  trim(' x ') AS t, replace('aa', 'a', 'b') AS rp, instr('abc', 'c') AS ins, printf('%05.1f', 2.5) AS p,
  format('%d', 7) AS f, hex('A') AS h, typeof(1) AS ty, nullif(1, 1) AS nn, max(1, 2) AS mx, min(1, 2) AS mn,
  date('2020-02-28', '+1 day') AS d, strftime('%Y', '2020-06-30') AS yr,
  julianday('2020-01-02') - julianday('2020-01-01') AS jd, datetime('2020-01-01 10:00') AS dt,
  time('10:00') AS tm, unixepoch('1970-01-02') AS ue, json_extract('{"a": 5}', '$.a') AS je,
  '{"a": 6}' ->> '$.a' AS ja, json_array(1, 2) AS jr, json_object('k', 1) AS jo, sqrt(16) AS sq,
  floor(2.5) AS fl, ceil(2.5) AS ce, power(2, 10) AS pw, ln(1) AS ln0, log10(100) AS lg, pi() > 3 AS pi,
  sign(-3) AS sg, char(20013) AS ch, unicode('中') AS un, quote('x') AS q, 'ab' LIKE 'a%' AS lk,
  'ab' GLOB 'a*' AS gb, zeroblob(2) = x'0000' AS zb, likely(1) AS lk1, cast('3' AS integer) AS ci]])
assert(v.a == 1 and v.r == 2.3 and v.c == 2 and v.i == 3 and v.y == "y" and v.s == "bc")
assert(v.d == "2020-02-29" and v.yr == "2020" and v.jd == 1.0 and v.je == 5 and v.ja == 6)
assert(v.sq == 4.0 and v.pw == 1024.0 and v.ch == "中" and v.un == 20013 and v.lk == 1 and v.gb == 1)
assert(v.p == "002.5" and v.f == "7" and v.ue == 86400 and v.jr == "[1,2]")
local w = sql.query([[WITH c(x) AS (VALUES (1), (2), (3))
  SELECT x, row_number() OVER (ORDER BY x) AS rn, rank() OVER (ORDER BY x) AS rk,
    dense_rank() OVER (ORDER BY x) AS dr, lag(x) OVER (ORDER BY x) AS lg, lead(x) OVER (ORDER BY x) AS ld,
    first_value(x) OVER (ORDER BY x) AS fv, last_value(x) OVER () AS lv, ntile(2) OVER (ORDER BY x) AS nt,
    percent_rank() OVER (ORDER BY x) AS pr, cume_dist() OVER (ORDER BY x) AS cd,
    sum(x) OVER () AS s, count(*) OVER () AS n, avg(x) OVER () AS a, total(x) OVER () AS t,
    group_concat(x) OVER () AS g, max(x) OVER () AS mx, json_group_array(x) OVER () AS ja
  FROM c ORDER BY x]])
assert(#w == 3 and w[3].rn == 3 and w[2].lg == 1 and w[1].s == 6 and w[1].a == 2.0 and w[1].ja == "[1,2,3]")
print("functions ok")
LUA
expect_status 0 "the functions an analytic query needs" "$YINGJI" run $LIMITS good.lua
contains err.txt "functions ok" "the allowed functions give their values"
allowed "reading an FTS table is a read" \
    'assert(sql.value("SELECT count(*) FROM notes") == 1)'

# ---- item 10: table-valued functions and messages ----
allowed "json_each and json_tree are read-only table-valued functions" '
assert(sql.value("SELECT count(*) FROM json_each(?)", "[1, 2, 3]") == 3)
assert(sql.value("SELECT sum(value) FROM json_each(?)", "[1, 2, 3]") == 6)
assert(sql.value("SELECT count(*) FROM json_tree(?)", "{\"a\": [1, 2]}") == 4)
assert(sql.value("SELECT count(*) FROM units, json_each(?)", "[1, 2]") == 2)'
allowed "a read-only pragma function" '
local n = 0
for r in sql.rows("SELECT name FROM pragma_table_info(?)", "units") do n = n + 1 end
assert(n > 3)
assert(sql.value("SELECT count(*) FROM pragma_index_list(?)", "units") >= 0)
assert(sql.value("SELECT user_version FROM pragma_user_version") > 0)'
refused "pragma_database_list() (where the files are)" "pragma_database_list() is not allowed" \
    'sql.value("SELECT file FROM pragma_database_list")'
refused "pragma_journal_mode() with a value" "pragma_journal_mode() is not allowed" \
    'sql.value("SELECT * FROM pragma_journal_mode(?)", "delete")'
refused "pragma_compile_options()" "pragma_compile_options() is not allowed" \
    'sql.value("SELECT count(*) FROM pragma_compile_options")'
for vt in dbstat fts3tokenize sqlite_stmt; do
    refused "the virtual table $vt" "$vt is not allowed" "sql.value(\"SELECT count(*) FROM $vt\")"
done
for q in "SELECT 1; -- a comment" "SELECT 1 -- a comment" "SELECT 1; /* a comment */" \
         "SELECT 1;;  ; " "SELECT 1; -- one
-- two
/* three */ ;" "SELECT 1 /* unterminated"; do
    allowed "trailing comments are fine: $(printf '%s' "$q" | tr '\n' ' ')" \
        "assert(sql.value([==[$q]==]) == 1)"
done
refused "a second statement after a comment" "one statement at a time" \
    'sql.value([[SELECT 1; -- comment
DELETE FROM units]])'
refused "a second statement after a block comment" "one statement at a time" \
    'sql.value("SELECT 1; /* x */ SELECT 2")'
refused "CREATE TEMP TABLE says what" "changing the schema (CREATE, DROP...) is not allowed" \
    'sql.value("CREATE TEMP TABLE t(x)")'
refused "CREATE TEMP VIEW says what" "changing the schema (CREATE, DROP...) is not allowed" \
    'sql.value("CREATE TEMP VIEW v AS SELECT 1")'
refused "BEGIN names the statement" "BEGIN/COMMIT is not allowed" \
    'sql.value("BEGIN")'
refused "SAVEPOINT names the statement" "SAVEPOINT is not allowed" \
    'sql.value("SAVEPOINT x")'
refused "ANALYZE names the statement" "ANALYZE is not allowed" \
    'sql.value("ANALYZE")'
refused "writing to the schema table" "table sqlite_master may not be modified" \
    'sql.value("UPDATE sqlite_master SET sql = ? WHERE name = ?", "x", "units")'

# The reported crash: fts3_tokenizer's two-argument form from a script archived over a
# database with an FTS4 table (the script is refused; archive ends cleanly, no archive).
cat >evil.lua <<'LUA'
pcall(sql.value, "SELECT fts3_tokenizer(?, ?)", "simple", string.rep("\65", 8))
publish("n", {"n"}, {{n = sql.value("SELECT count(*) FROM notes WHERE rowid > 0")}})
print(sql.value("SELECT hex(fts3_tokenizer(?))", "simple"))
LUA
expect_status 4 "archive of a script calling fts3_tokenizer: exit 4" "$YINGJI" archive -o a.yjar evil.lua
contains err.txt "function fts3_tokenizer() is not allowed" "archive: the script is refused by name"
check "archive: no archive written" test ! -e a.yjar
dbdump yingji.db >after.sql
check "archive: database unchanged" cmp -s before.sql after.sql
