# crash_unwritable.sh — an import into a database that cannot be written: a clear error
# naming the database or the file, exit status 2, and the database unchanged.
# The test runs as root in CI, and root ignores file permissions, so:
# - a read-only bind mount of the database's directory in a private mount namespace
#   (`unshare -m`, root only; skipped elsewhere);
# - the directory trick: the WAL file or the WAL index (t.db-wal, t.db-shm) replaced by
#   a directory, so SQLite cannot open it for writing whoever runs;
# - when not root, plain permissions (chmod a-w on the file and its directory).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/harden.inc"
gen_units 50 >units.csv
gen_inspections 500 50 >i.csv
fresh() { rm -rf d && mkdir d && "$YINGJI" --db d/t.db init >/dev/null &&
          "$YINGJI" --db d/t.db import units units.csv >/dev/null; before=$(sha256sum <d/t.db); }
same() {
    check "$1: database file unchanged" test "$(sha256sum <d/t.db)" = "$before"
    check "$1: no rows landed" test "$(q d/t.db 'SELECT count(*) FROM inspections')" -eq 0
}

fresh
mkdir d/t.db-wal
expect_status 2 "WAL file is a directory: rejected" "$YINGJI" --db d/t.db import inspections i.csv
contains err.txt "yingji import: d/t.db: cannot read the database: unable to open database file" "WAL file is a directory: names the database"
rmdir d/t.db-wal
same "WAL file is a directory"

fresh
mkdir d/t.db-shm
expect_status 2 "WAL index is a directory: rejected" "$YINGJI" --db d/t.db import inspections i.csv
contains err.txt "i.csv: database: attempt to write a readonly database" "WAL index is a directory: says read-only"
contains err.txt "i.csv: rejected (1 error), nothing imported" "WAL index is a directory: nothing imported"
rm -rf d/t.db-shm d/t.db-wal
same "WAL index is a directory"

fresh
if [ "$(id -u)" = 0 ]; then
    if unshare -m sh -c "mount --bind -o ro '$TMP/d' '$TMP/d'" 2>/dev/null; then
        unshare -m sh -c 'mount --bind -o ro d d && exec "$@"' sh \
            "$YINGJI" --db d/t.db import inspections i.csv >out.txt 2>err.txt
        st=$?
        check "read-only mount: exit status 2 (got $st)" test "$st" -eq 2
        contains err.txt "yingji import: d/t.db: " "read-only mount: names the database"
        same "read-only mount"
    else
        skip "read-only mount" "unshare -m not permitted here"
    fi
else
    chmod a-w d/t.db d
    expect_status 2 "read-only file and directory: rejected" "$YINGJI" --db d/t.db import inspections i.csv
    contains err.txt "d/t.db" "read-only file and directory: names the database"
    chmod u+w d/t.db d
    same "read-only file and directory"
fi
expect_status 0 "the database passes the check afterwards" "$YINGJI" --db d/t.db info --check
