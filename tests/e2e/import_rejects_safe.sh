# import_rejects_safe.sh — the rejects file of --on-error skip is written beside its name
# and renamed into place (issue 10 item 14): a symlink planted at FILE.rejects.csv is
# refused and its target untouched, a planted hard link is replaced (its target untouched),
# the rejects file is never the database, and no temp file is left behind.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/units.csv "$ROOT"/tests/data/import/bad_columns.csv .
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
mkdir elsewhere
echo "precious" >elsewhere/victim

# The reproducer: a symlink planted at the rejects name.
ln -s "$PWD/elsewhere/victim" bad_columns.rejects.csv
before=$(sqlite3 t.db "SELECT count(*) FROM inspections")
expect_status 2 "issue 10.14: a symlink at FILE.rejects.csv is refused" \
    "$YINGJI" --db t.db import --on-error skip inspections bad_columns.csv
contains err.txt "bad_columns.rejects.csv" "  the message names the rejects file"
contains err.txt "symbolic link" "  and says it is a link"
check "  the link's target is untouched" test "$(cat elsewhere/victim)" = precious
check "  the link is still a link" test -L bad_columns.rejects.csv
check "  nothing was imported" test "$(sqlite3 t.db "SELECT count(*) FROM inspections")" = "$before"
rm bad_columns.rejects.csv

# A dangling symlink (the victim does not exist yet) is refused too: nothing is created.
ln -s "$PWD/elsewhere/new_victim" bad_columns.rejects.csv
expect_status 2 "a dangling symlink at FILE.rejects.csv is refused" \
    "$YINGJI" --db t.db import --on-error skip inspections bad_columns.csv
check "  and nothing is created where it points" test ! -e elsewhere/new_victim
rm bad_columns.rejects.csv

# A hard link planted there is replaced by the new rejects file; its target keeps its bytes.
ln elsewhere/victim bad_columns.rejects.csv
expect_status 3 "a hard link at FILE.rejects.csv: the import goes ahead" \
    "$YINGJI" --db t.db import --on-error skip inspections bad_columns.csv
check "  the hard link's target is untouched" test "$(cat elsewhere/victim)" = precious
contains bad_columns.rejects.csv "error" "  the rejects file holds the rejected rows"
check "  and is a file of its own" test "$(stat -c %h bad_columns.rejects.csv)" = 1
check "  no temp file is left" sh -c '! ls -a | grep -q yingji-tmp'

# The rejects file is never the database: a database named like it is refused.
cp t.db bad_columns.rejects.csv
dbdump bad_columns.rejects.csv >db_before.sql
expect_status 2 "a rejects file that would be the database is refused" \
    "$YINGJI" --db bad_columns.rejects.csv import --on-error skip inspections bad_columns.csv
contains err.txt "is the database" "  with the reason"
check "  and the database is intact" sh -c 'sqlite3 bad_columns.rejects.csv .dump | cmp -s - db_before.sql'
rm bad_columns.rejects.csv

# A stale rejects file of an earlier import is removed when the import is clean.
echo "old" >units.rejects.csv
expect_status 0 "a clean import in skip mode" "$YINGJI" --db t.db import --on-error skip units units.csv
check "  removes the stale rejects file" test ! -e units.rejects.csv
check "  and leaves no temp file" sh -c '! ls -a | grep -q yingji-tmp'
