# crash_full_disk.sh — the disk fills up during an import: a clear error naming the file,
# exit status 2, and nothing half-written (the dump unchanged, `info --check` clean,
# the import log without the file).
# Two ways to fill the disk, without any test hook in the program:
# - RLIMIT_FSIZE (`ulimit -f`, 512-byte blocks in sh) with SIGXFSZ ignored, so that a
#   write past the limit fails with EFBIG (SQLite: "disk I/O error");
# - a small tmpfs mounted in a private mount namespace (`unshare -m`, root only), where
#   writes fail with ENOSPC (SQLite: "database or disk is full"); skipped when unavailable.
# The failure lands when the open needs its -shm/-wal files, at COMMIT, or in the middle
# of a large import when SQLite spills its cache into the WAL and rolls the transaction
# back by itself (regression: the importer then stored 16 more rows in autocommit mode).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/harden.inc"
gen_units 200 >units.csv
gen_inspections 3000 200 >m.csv
gen_inspections 40000 200 >big.csv

fresh() { rm -rf d && mkdir d && "$YINGJI" --db d/t.db init >/dev/null &&
          "$YINGJI" --db d/t.db import units units.csv >/dev/null; }

# unchanged NAME: the database is as before the failed import and passes the check.
unchanged() {
    check "$1: dump unchanged" test "$(dbdump d/t.db)" = "$before"
    check "$1: no import logged" test "$(q d/t.db 'SELECT count(*) FROM imports')" -eq 1
    expect_status 0 "$1: info --check passes afterwards" "$YINGJI" --db d/t.db info --check
}

# limited NAME BLOCKS FILE TEXT: import FILE under ulimit -f BLOCKS; exit 2 and TEXT.
limited() {
    fresh; before=$(dbdump d/t.db)
    sh -c 'trap "" XFSZ; ulimit -f "$1"; shift; exec "$@"' sh "$2" \
        "$YINGJI" --db d/t.db import inspections "$3" >out.txt 2>err.txt
    st=$?
    check "$1: exit status 2 (got $st)" test "$st" -eq 2
    contains err.txt "$4" "$1: the error says why"
    cp err.txt import_err.txt
    unchanged "$1"
}

limited "no room for the WAL index" 1 m.csv "yingji import: d/t.db: cannot read the database: disk I/O error"
limited "no room to commit" 128 m.csv "m.csv: database: disk I/O error"
contains import_err.txt "m.csv: rejected (1 error), nothing imported" "no room to commit: rejected, nothing imported"
limited "full in the middle of a large import" 2000 big.csv \
    "big.csv: database: disk I/O error"

# tmpfs TEST SIZE FILE TEXT: the same in a tmpfs of SIZE in a private mount namespace.
if [ "$(id -u)" = 0 ] && unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs '$TMP'" 2>/dev/null; then
    tmpfs() {
        fresh; before=$(dbdump d/t.db)
        unshare -m sh -c 'mkdir -p m && mount -t tmpfs -o size="$1" tmpfs m && cp d/t.db m/ &&
            "$2" --db m/t.db import inspections "$3"; st=$?; cp m/t.db* d/; exit $st' \
            sh "$2" "$YINGJI" "$3" >out.txt 2>err.txt
        st=$?
        check "$1: exit status 2 (got $st)" test "$st" -eq 2
        contains err.txt "$4" "$1: the error says why"
        unchanged "$1"
    }
    tmpfs "tmpfs full at commit" 200k m.csv "m.csv: database: database or disk is full"
    tmpfs "tmpfs full in the middle" 1m big.csv \
        "big.csv: database: database or disk is full"
else
    skip "tmpfs full cases" "needs root and unshare -m"
fi
