# cli_basics.sh — the binary's global behaviour: help, exit statuses, init.
. "$(dirname "$0")/../lib.sh"

expect_status 0 "--help exits 0" "$YINGJI" --help
contains out.txt "verification failed" "--help documents the exit statuses"
expect_status 1 "no command is a usage error" "$YINGJI"
expect_status 1 "unknown command is a usage error" "$YINGJI" frobnicate
contains err.txt "unknown command 'frobnicate'" "unknown command is named"
expect_status 0 "init creates the database" "$YINGJI" --db t.db init
check "database file exists" test -f t.db
expect_status 0 "init again is harmless" "$YINGJI" init --db t.db
contains out.txt "schema version" "init reports the schema version"
YINGJI_DB=env.db "$YINGJI" init >/dev/null 2>&1
check "YINGJI_DB names the database" test -f env.db
