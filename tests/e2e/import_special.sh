# import_special.sh — inputs that are not regular files (issue 10, item 16): a FIFO,
# /dev/stdin on a pipe, /dev/zero, a directory, are refused at once with a message
# naming the file and what it is; a symlink to a regular file (and /dev/stdin
# redirected from one) is ordinary input. Every import runs under `timeout` so that a
# regression (blocking on open or reading forever) fails instead of hanging the suite.
. "$(dirname "$0")/../lib.sh"
cp "$ROOT"/tests/data/import/units.csv .
"$YINGJI" --db t.db init >/dev/null
T="timeout 10"

# refused NAME FILE KIND: exit 2 within the timeout, "FILE: not a regular file (KIND...".
refused() {
    expect_status 2 "$1: refused, not hung" $T "$YINGJI" --db t.db import units "$2"
    contains err.txt "$2: not a regular file ($3" "$1: says what it is"
    contains err.txt "$2: rejected (1 error), nothing imported" "$1: rejected"
}

mkfifo fifo
refused "a FIFO with no writer" fifo "a named pipe"
# a FIFO with a writer waiting: refused all the same (never read)
( printf 'code,name,kind\n' > fifo ) 2>/dev/null &
writer=$!
refused "a FIFO with a writer" fifo "a named pipe"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
refused "/dev/zero" /dev/zero "a character device"
mkdir dir.csv
refused "a directory" dir.csv "a directory"
expect_status 2 "/dev/stdin on a pipe: refused" sh -c "cat units.csv | $T \"\$YINGJI\" --db t.db import units /dev/stdin"
contains err.txt "/dev/stdin: not a regular file (a named pipe" "/dev/stdin on a pipe: says so"
expect_status 2 "/dev/stdin on a terminal-like device: refused" sh -c "$T \"\$YINGJI\" --db t.db import units /dev/stdin < /dev/null"
contains err.txt "/dev/stdin: not a regular file (a character device" "/dev/stdin on /dev/null: says so"
check "nothing imported" test "$(sqlite3 t.db 'SELECT count(*) FROM units')" = 0

ln -s units.csv link.csv
expect_status 0 "a symlink to a regular file is imported" $T "$YINGJI" --db t.db import units link.csv
expect_status 0 "/dev/stdin redirected from a regular file is imported" sh -c "$T \"\$YINGJI\" --db t.db import units /dev/stdin < units.csv"
contains out.txt "no changes" "  (the same rows: nothing new)"
ln -s fifo fifolink.csv
refused "a symlink to a FIFO" fifolink.csv "a named pipe"
ln -s nowhere dangling.csv
expect_status 2 "a dangling symlink" $T "$YINGJI" --db t.db import units dangling.csv
contains err.txt "dangling.csv: cannot open: No such file or directory" "dangling symlink: named"
