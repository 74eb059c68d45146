# archive_strict.sh — `yingji verify` reads an archive strictly before any SQL of its
# snapshot runs (issue 12, docs/archive.md): a damaged page or index, a schema the
# engine did not write (generated column, trigger, view, extra table), unknown keys,
# text after a NUL and bytes after the database are refused, exit 5, with a message.
. "$(dirname "$0")/../lib.sh"
A="$ROOT/seeds/archive_2019.yjar"

refused() {  # description, text the message must contain
    expect_status 5 "$1 is refused" "$YINGJI" verify t.yjar
    contains out.txt "$2" "$1: the message says why"
}
edit() { cp "$A" t.yjar && sqlite3 t.yjar "$1" || not_ok "edit failed: $1"; }

# One bit flipped in an indexed text column (SG2018-015 -> SG2018)015): wherever the id
# is stored — the table's row, the unique index — the archive is refused.
python3 - "$A" <<'PY' >offsets.txt
import sys
data = open(sys.argv[1], 'rb').read()
i = data.find(b'SG2018-015')
while i >= 0:
    print(i + 6)
    i = data.find(b'SG2018-015', i + 1)
PY
check "the accident id is stored more than once (table and index)" test "$(wc -l <offsets.txt)" -ge 2
n=0
while read -r off; do
    n=$((n + 1))
    cp "$A" t.yjar
    python3 -c 'import sys; f = open("t.yjar", "r+b"); f.seek(int(sys.argv[1])); f.write(b")")' "$off"
    expect_status 5 "flip $n of the indexed id SG2018-015 (byte $off) is detected" "$YINGJI" verify t.yjar
done <offsets.txt

edit "INSERT INTO yj_archive VALUES ('comment', 'trust me')"
refused "an unknown key" "unknown key 'comment'"
edit "UPDATE yj_archive SET value = value || char(0) || 'hidden' WHERE key = 'results_json'"
refused "text after a NUL" "text after a NUL"
edit "UPDATE yj_archive_params SET param = param || char(0) || 'x'"
refused "a parameter with a NUL" "text after a NUL"
edit "UPDATE yj_archive SET value = CAST(value AS BLOB) WHERE key = 'as_of'"
refused "a blob where text belongs" "is not text"
edit "UPDATE yj_archive SET value = upper(value) WHERE key = 'data_sha256'"
refused "a hash that is not lower-case hex" "not a SHA-256"
edit "DELETE FROM yj_archive WHERE key = 'engine'"
refused "a missing key" "has no engine"
edit "UPDATE yj_archive_tables SET seq = seq + 10 WHERE seq = 2"
refused "a gap in the numbering of result tables" "not numbered"

cp "$A" t.yjar && head -c 1048576 /dev/zero >>t.yjar
refused "1 MiB appended" "1048576 trailing byte(s)"
cp "$A" t.yjar && printf 'x' >>t.yjar
refused "one byte appended" "1 trailing byte(s)"
head -c 409600 "$A" >t.yjar
refused "a truncated archive" "truncated"

# A snapshot schema the engine did not write: refused before its SQL runs. (The
# generated column would fail with "integer overflow" if it were ever evaluated.)
edit "ALTER TABLE sectors ADD COLUMN b AS (abs(-9223372036854775807 - 1))"
refused "a generated column" "table sectors is not defined as yingji defines it"
check "… and it was never evaluated" test ! -s err.txt
edit "CREATE TRIGGER tr AFTER INSERT ON units BEGIN SELECT 1; END"
refused "a trigger" "trigger tr is not one yingji creates"
edit "CREATE VIEW zz AS SELECT abs(-9223372036854775807 - 1)"
refused "a view" "view zz is not one yingji creates"
edit "CREATE TABLE extra(x); INSERT INTO extra VALUES (1)"
refused "a table of its own" "table extra is not one yingji creates"
edit "CREATE INDEX units_by_name ON units(name)"
refused "an index of its own" "index units_by_name"
edit "DROP VIEW accidents_v"
refused "a missing view" "no view accidents_v"
edit "PRAGMA user_version = 99"
refused "an unknown schema version" "schema version 99"
edit "PRAGMA journal_mode = WAL"
refused "an archive in WAL mode" "rollback-journal"

# A schema entry whose text was turned into a blob (one bit of a record's serial type:
# found by the full bit-flip sweep of a small archive, `make fuzz`): SQLite still reads
# the schema, but it is not what the engine wrote (and `type = 'table'` no longer
# matches it). Each column of sqlite_master, for a table, an index and a view.
for col in type name tbl_name sql; do
    for obj in yj_archive_params sqlite_autoindex_units_1 accidents_v; do
        [ "$col" = sql ] && [ "$obj" = sqlite_autoindex_units_1 ] && continue   # its sql is NULL
        edit "PRAGMA writable_schema = ON; UPDATE sqlite_master SET $col = CAST($col AS BLOB) WHERE name = '$obj'"
        refused "sqlite_master's $col of $obj as a blob" "sqlite_master's $col of"
    done
done

sqlite3 plain.db "CREATE TABLE t(x)"
expect_status 2 "an SQLite file that is not an archive" "$YINGJI" verify plain.db
contains err.txt "no yj_archive table" "… says so"

expect_status 0 "the seed archive itself still verifies" "$YINGJI" verify "$A"

# archive refuses, at once, a database verify would refuse later (an index of its own).
"$YINGJI" --db own.db init >/dev/null && sqlite3 own.db "CREATE INDEX my_units ON units(name)"
printf 'publish("t", { "x" }, { { x = 1 } })\n' >one.lua
expect_status 2 "archive of a database with an index of its own is refused" \
    "$YINGJI" --db own.db archive -o own.yjar one.lua
contains err.txt "cannot be archived: index my_units is not one yingji creates" "  and says why"
check "  no archive is written" test ! -e own.yjar
"$YINGJI" --db fresh.db init >/dev/null
expect_status 0 "archive of a fresh database" "$YINGJI" --db fresh.db archive -o fresh.yjar one.lua
expect_status 0 "  verifies" "$YINGJI" verify fresh.yjar

# A refused cell after good ones in the same row (found by fuzz_archive: the record was
# freed with the rest of that row uninitialised).
edit "UPDATE yj_archive_files SET path = CAST(path AS BLOB) WHERE seq = 1"
refused "a file path that is a blob" "file 1: path is not text"
edit "UPDATE yj_archive_tables SET json = CAST(json AS BLOB) WHERE seq = 2"
refused "a table's JSON that is a blob" "result table 2: json is not text"
edit "UPDATE yj_archive_files SET content = CAST(content AS TEXT) WHERE seq = 1"
refused "a file content that is text" "file 1: content is not a blob"
