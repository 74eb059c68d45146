# info_check.sh — `yingji info --check`: a whole database passes; damaged copies (flipped
# page bytes, a broken file header, a truncated file), orphaned records and a wrong schema
# version are each detected and named, exit status 5; plain `yingji info` on a damaged
# file fails with an error instead of printing figures.
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units "$ROOT"/seeds/units.csv >/dev/null
"$YINGJI" --db t.db import inspections "$ROOT"/seeds/inspections_2020.csv >/dev/null 2>&1
"$YINGJI" --db t.db import accidents "$ROOT"/seeds/accidents_2020.csv >/dev/null 2>&1
"$YINGJI" --db t.db import tasks "$ROOT"/seeds/tasks_2020.csv >/dev/null 2>&1
sqlite3 t.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

expect_status 0 "a whole database passes" "$YINGJI" --db t.db info --check
contains out.txt "t.db: integrity: ok" "integrity reported"
contains out.txt "t.db: schema version 2: current" "schema version reported"
contains out.txt "t.db: orphans: none" "no orphans"
contains out.txt "t.db: ok" "verdict ok"

pagesize=$(sqlite3 t.db 'PRAGMA page_size')
pages=$(sqlite3 t.db 'PRAGMA page_count')
check "the database spans many pages ($pages)" test "$pages" -gt 20

# flip COPY OFFSET: overwrite 8 bytes at OFFSET with 0xFF.
flip() { printf '\377\377\377\377\377\377\377\377' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

# damaged NAME FILE TEXT: --check exits 5 and names the file and TEXT.
damaged() {
    expect_status 5 "$1: check fails" "$YINGJI" --db "$2" info --check
    contains out.txt "$2: $3" "$1: named"
    expect_status 2 "$1: plain info refuses to read it" "$YINGJI" --db "$2" info
    check "$1: plain info prints no figures" sh -c '! grep -q "^inspections " out.txt'
}

# Flipping every page header in the middle third (b-tree page type and cell counts).
cp t.db mid.db
p=$((pages / 3))
while [ "$p" -lt $((pages * 2 / 3)) ]; do flip mid.db $((p * pagesize)); p=$((p + 1)); done
damaged "page headers flipped" mid.db "integrity: "

# The 100-byte file header: the magic string.
cp t.db head.db
flip head.db 0
damaged "file header flipped" head.db "cannot read the database: file is not a database"

# Truncated to half its pages.
cp t.db half.db
truncate -s $((pages / 2 * pagesize)) half.db
damaged "truncated file" half.db "cannot read the database: database disk image is malformed"

# An index that no longer matches its table: an accident's occurred_at (indexed by
# accidents_by_date) changed in place, in whichever copy, table or index, comes first.
cp t.db idx.db
when=$(sqlite3 t.db "SELECT occurred_at FROM accidents WHERE length(occurred_at) = 19 LIMIT 1")
off=$(grep -boa "$when" idx.db | head -1 | cut -d: -f1)
check "the indexed value is in the file" test -n "$off"
printf '1999' | dd of=idx.db bs=1 seek="${off:-0}" conv=notrunc 2>/dev/null
expect_status 5 "indexed value changed in place: check fails" "$YINGJI" --db idx.db info --check
contains out.txt "idx.db: integrity: " "indexed value changed in place: named"

# Orphans the schema does not forbid, written behind the importer's back.
cp t.db orphan.db
sqlite3 orphan.db "PRAGMA foreign_keys = OFF;
  UPDATE inspections SET unit_id = 9999 WHERE id IN (SELECT id FROM inspections LIMIT 3);
  INSERT INTO task_units(year, no, unit_id, role) VALUES (2020, 999, 1, 'lead');
  INSERT INTO revisions(dataset, record_key, old_values, old_batch, new_batch) VALUES ('accidents', 'x', '{}', 77, 78);
  UPDATE accidents SET batch = 555 WHERE rowid = (SELECT min(rowid) FROM accidents);"
expect_status 5 "orphans: check fails" "$YINGJI" --db orphan.db info --check
contains out.txt "orphan.db: orphans: 3 inspections without their unit" "inspections without unit named"
contains out.txt "orphan.db: orphans: 1 task_units without their task" "task_units without task named"
contains out.txt "orphan.db: orphans: 1 revisions pointing nowhere" "revision pointing nowhere named"
contains out.txt "orphan.db: orphans: 1 records whose batch names no import" "record with unknown batch named"
contains out.txt "orphan.db: foreign keys: a task_units row refers to a missing tasks row" "foreign key violation named"
contains out.txt "orphan.db: 5 problems" "each finding counted once"

# A schema version this build does not know.
cp t.db ver.db
sqlite3 ver.db 'PRAGMA user_version = 99'
expect_status 5 "future schema version: check fails" "$YINGJI" --db ver.db info --check
contains out.txt "ver.db: made by a newer yingji (schema 99)" "schema version named"

# Not a database at all, and a missing file.
printf 'id,name\n1,x\n' >notdb.db
expect_status 5 "a CSV file: check fails" "$YINGJI" --db notdb.db info --check
contains out.txt "notdb.db: cannot read the database: file is not a database" "a CSV file named"
expect_status 5 "missing file: check fails" "$YINGJI" --db missing.db info --check
contains out.txt "missing.db: cannot open" "missing file named"
check "missing file not created" test ! -e missing.db
