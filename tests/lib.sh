# lib.sh — helpers for the end-to-end shell tests (sourced, not run).
# Each test runs in its own temporary directory, removed at exit.
set -u
: "${YINGJI:?YINGJI must name the binary under test}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Messages in English, whatever the caller's locale (a test of another language sets LANG itself).
LANG=C.UTF-8
export LANG
unset LC_ALL LC_MESSAGES LANGUAGE
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
# skip NAME REASON: a check that could not run here; tests/run.sh counts it as skipped,
# never as passed.
skip()   { echo "ok - $1 # SKIP $2"; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }

# expect_status N DESCRIPTION COMMAND...: runs COMMAND, output to out.txt / err.txt.
# Its variables are es_*, so that a test's own $want or $got survive the call.
expect_status() {
    es_want=$1 es_d=$2; shift 2
    "$@" >out.txt 2>err.txt
    es_got=$?
    if [ "$es_got" -eq "$es_want" ]; then ok "$es_d"; else
        not_ok "$es_d: exit $es_got, want $es_want"; sed 's/^/    stderr: /' err.txt | head -5; fi
}

# contains FILE TEXT DESCRIPTION: ok when FILE contains TEXT (fixed string).
contains() {
    if grep -qF -- "$2" "$1"; then ok "$3"; else
        not_ok "$3: '$2' not in $1"; head -5 "$1" | sed 's/^/    /'; fi
}

# python_with 'MODULE[, MODULE]': the first python3 (Debian's, then the PATH's) that imports
# the modules, or nothing (the workbook tests make their files with python3-openpyxl/-xlwt).
python_with() {
    for pw in /usr/bin/python3 python3; do
        if "$pw" -c "import $1" 2>/dev/null; then echo "$pw"; return 0; fi
    done
    return 0
}

# python_or_skip 'MODULE[, MODULE]' NAME: sets PY to python_with's python3, or reports the
# test NAME skipped (the modules missing: `make deps` installs them) and ends the test.
python_or_skip() {
    PY=$(python_with "$1")
    if [ -z "$PY" ]; then skip "$2" "no python3 with $1 (make deps installs it)"; exit 0; fi
}

# units_db FILE: a database FILE holding the test city's units (tests/data/import/units.csv,
# copied here as units.csv), as most import tests start.
units_db() {
    cp "$ROOT"/tests/data/import/units.csv . &&
    "$YINGJI" --db "$1" init >/dev/null &&
    "$YINGJI" --db "$1" import units units.csv >/dev/null || { not_ok "a database with the test units"; exit 1; }
}

# dbdump FILE: a canonical text dump of a database, for before/after comparisons.
dbdump() { sqlite3 "$1" .dump; }
