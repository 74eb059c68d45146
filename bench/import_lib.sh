# import_lib.sh — what bench_import.sh and import_floor.sh share (sourced with $here set
# to bench/; it sources lib.sh): YINGJI and BUILD required, ROWS (default 1,000,000), the
# generated files and the two sides of the import pair (run in $BL_DIR).
: "${YINGJI:?}" "${BUILD:?}"
. "$here/lib.sh"
ROWS=${ROWS:-1000000}
#
# il_setup ROWS: units.csv (3,000 units), inspections.csv (ROWS rows from bench/gen),
# base.db (yingji's schema holding the units) and shell.sql (the sqlite3 shell's `.import`
# of the same CSV into a plain typed table, which validates nothing).
il_setup() {
    "$BUILD/bench/gen" units 3000 > units.csv
    "$BUILD/bench/gen" inspections "$1" > inspections.csv
    "$YINGJI" --db base.db init >/dev/null
    "$YINGJI" --db base.db import units units.csv >/dev/null || exit 1
    cat > shell.sql <<'SQL'
CREATE TABLE inspections(id TEXT, inspected_on TEXT, unit TEXT, sector TEXT, enterprise TEXT,
  kind TEXT, hazards_found INTEGER, major_hazards INTEGER, hazards_rectified INTEGER,
  penalty_cases INTEGER, fine REAL, suspended INTEGER, inspector TEXT);
.import --csv --skip 1 inspections.csv inspections
SQL
}

# il_yingji FILE: one timed `yingji import` of inspections.csv onto a fresh copy of
# base.db (y.db), its sample appended to FILE.
il_yingji() { cp base.db y.db; rm -f y.db-wal y.db-shm
              bl_run "$1" /dev/null "$YINGJI" --db y.db import inspections inspections.csv; }

# il_shell FILE: one timed `.import` of the same file into a new s.db.
il_shell() { rm -f s.db; bl_run "$1" shell.sql sqlite3 s.db; }
