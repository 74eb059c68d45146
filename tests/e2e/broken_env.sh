# broken_env.sh — clear messages for broken environments (issue 17): a database made by
# a newer yingji, a negative or foreign user_version, an SQLite file that is not
# yingji's, a file that is not SQLite, a folder given as --db, read-only media (info,
# run and show work; import and init fail clearly and change nothing), a folder where
# the WAL files cannot be made. Exit status 2 (docs/yingji.1), the file left as it was.
. "$(dirname "$0")/../lib.sh"
"$YINGJI" --db t.db init >/dev/null
cp "$ROOT"/tests/data/import/units.csv .
"$YINGJI" --db t.db import units units.csv >/dev/null 2>&1
echo 'print(1)' > x.lua
echo 'for r in sql.rows("SELECT count(*) AS n FROM units") do print("units " .. r.n) end' > count.lua
latest=$(sqlite3 t.db 'PRAGMA user_version')
version=$("$YINGJI" --version | sed 's/^yingji //')
newer=$((latest + 1))

# every command that opens the database, on FILE: exit 2, the message, file unchanged
each() { # FILE TEXT WHAT
    sum=$(sha256sum "$1" 2>/dev/null)
    for c in info init "import units units.csv" "run x.lua" "show T01"; do
        # shellcheck disable=SC2086
        expect_status 2 "$3: $c exits 2" "$YINGJI" --db "$1" $c
        contains err.txt "$1: $2" "$3: $c says so"
        check "$3: $c advises no 'yingji init'" sh -c '! grep -q "run .yingji init" err.txt'
    done
    check "$3: the file is unchanged" test "$(sha256sum "$1" 2>/dev/null)" = "$sum"
}

cp t.db new.db
sqlite3 new.db "PRAGMA user_version = $newer"
each new.db "made by a newer yingji (schema $newer); this is yingji $version with schema $latest" "a newer schema"

cp t.db neg.db
sqlite3 neg.db "PRAGMA user_version = -1"
each neg.db "not a yingji database: its schema version (user_version -1) is not one yingji writes" "user_version -1"
check "user_version -1: never 'not an error'" sh -c '! grep -q "not an error" err.txt'

sqlite3 foreign.db "CREATE TABLE contacts(name, phone); INSERT INTO contacts VALUES('a', 1)"
each foreign.db "not a yingji database: an SQLite database with other tables (user_version 0)" "a foreign SQLite file"
sqlite3 foreign7.db "CREATE TABLE x(a); PRAGMA user_version = 7"
each foreign7.db "not a yingji database: an SQLite database with other tables (user_version 7)" "a foreign user_version"
check "a foreign database keeps its own tables only" test "$(sqlite3 foreign.db "SELECT group_concat(name) FROM sqlite_master")" = contacts

printf 'code,name\nT01,x\n' > text.db
each text.db "not a yingji database: not an SQLite database at all" "a CSV file as the database"

mkdir dir.db
each dir.db "is a folder, not a database file (--db names the file" "a folder as --db"
check "a folder as --db: nothing made in it" test -z "$(ls dir.db)"

# info --check names the same problems
expect_status 5 "info --check of a newer schema fails" "$YINGJI" --db new.db info --check
contains out.txt "new.db: made by a newer yingji (schema $newer)" "info --check names the newer schema"
expect_status 5 "info --check of user_version -1 fails" "$YINGJI" --db neg.db info --check
contains out.txt "neg.db: not a yingji database: its schema version (user_version -1)" "info --check: user_version -1"

# an empty file: init makes it a database, info says to run init
: > empty.db
expect_status 2 "info of an empty file" "$YINGJI" --db empty.db info
contains err.txt "empty.db: an empty database (run 'yingji init'" "an empty file: run init"
expect_status 0 "init of an empty file makes the database" "$YINGJI" --db empty.db init
expect_status 0 "then info works" "$YINGJI" --db empty.db info

# an older schema still says to run init (and init then works: no loop)
cp t.db old.db
sqlite3 old.db "PRAGMA user_version = 1"
expect_status 2 "info of an older schema" "$YINGJI" --db old.db info
contains err.txt "old.db: schema version 1, this yingji needs $latest (run 'yingji init')" "an older schema: run init"

# --- read-only media: a read-only bind mount in a private mount namespace (root), or
# plain permissions (not root; root ignores them)
mkdir ro
cp t.db ro/t.db
sum=$(sha256sum < ro/t.db)
printf 'code,name,kind\nT99,新镇,乡镇\n' > more.csv
# (read-only media only: a folder merely not writable by this user may be written by
# another user, and is not opened as immutable)
if [ "$(id -u)" = 0 ] && unshare -m sh -c "mount --bind -o ro '$TMP/ro' '$TMP/ro'" 2>/dev/null; then
    ro() { unshare -m sh -c 'mount --bind -o ro ro ro && exec "$@"' sh "$@"; }
fi
if command -v ro >/dev/null 2>&1; then
    expect_status 0 "read-only media: info works" ro "$YINGJI" --db ro/t.db info
    contains out.txt "units                 7" "read-only media: info shows the counts"
    expect_status 0 "read-only media: run works" ro "$YINGJI" --db ro/t.db run count.lua
    contains err.txt "units 7" "read-only media: run reads the data (print: stderr)"
    expect_status 0 "read-only media: show works" ro "$YINGJI" --db ro/t.db show T01
    expect_status 0 "read-only media: info --check works" ro "$YINGJI" --db ro/t.db info --check
    expect_status 2 "read-only media: import fails" ro "$YINGJI" --db ro/t.db import units more.csv
    contains err.txt "yingji import: ro/t.db: the database file is read-only (read-only media or permissions): nothing can be written" \
        "read-only media: import says read-only"
    expect_status 2 "read-only media: init fails" ro "$YINGJI" --db ro/t.db init
    contains err.txt "ro/t.db: the database file is read-only" "read-only media: init says read-only"
    check "read-only media: the database is unchanged" test "$(sha256sum < ro/t.db)" = "$sum"
    check "read-only media: no WAL files left" test ! -e ro/t.db-wal
else
    skip "read-only media" "needs root and unshare -m (a read-only bind mount)"
fi

# --- a folder that cannot be written, the file itself writable: SQLite cannot make the
# WAL files. As root: the folder mounted read-only and the file bound writable over it.
mkdir rw src && cp t.db src/t.db && cp t.db rw/t.db
sum=$(sha256sum < src/t.db)
if [ "$(id -u)" = 0 ]; then
    if unshare -m sh -c "mount --bind -o ro '$TMP/rw' '$TMP/rw' && mount --bind '$TMP/src/t.db' '$TMP/rw/t.db'" 2>/dev/null; then
        rw() { unshare -m sh -c 'mount --bind -o ro rw rw && mount --bind src/t.db rw/t.db && exec "$@"' sh "$@"; }
    fi
else
    chmod a-w rw
    rm -f src/t.db && ln -s ../rw/t.db src/t.db 2>/dev/null
    rw() { "$@"; }
fi
if command -v rw >/dev/null 2>&1; then
    expect_status 2 "unwritable folder: import fails" rw "$YINGJI" --db rw/t.db import units more.csv
    contains err.txt "yingji import: rw/t.db: its folder cannot be written (read-only media or permissions), and SQLite must make its journal files" \
        "unwritable folder: says why"
    expect_status 0 "unwritable folder: info works" rw "$YINGJI" --db rw/t.db info
    expect_status 0 "unwritable folder: run works" rw "$YINGJI" --db rw/t.db run count.lua
    [ "$(id -u)" = 0 ] || chmod u+w rw
    check "unwritable folder: the database is unchanged" test "$(sha256sum < src/t.db)" = "$sum"
else
    skip "unwritable folder, writable file" "unshare -m not permitted here"
fi
