# import_progress.sh — a progress bar on stderr for a large file when stderr is a
# terminal (util-linux `script` provides one), and nothing of it otherwise.
. "$(dirname "$0")/../lib.sh"
GEN=${BUILD:-$ROOT/build/rel}/bench/gen
if [ ! -x "$GEN" ] || ! command -v script >/dev/null 2>&1; then
    skip "progress bar checks" "needs bench/gen and util-linux script"
    exit 0
fi
"$GEN" units 200 >units.csv
"$GEN" --units 200 inspections 500000 >big.csv          # about 36 MB: above the 32 MiB bar
"$YINGJI" --db t.db init >/dev/null
"$YINGJI" --db t.db import units units.csv >/dev/null
script -qec "\"$YINGJI\" --db t.db import inspections big.csv" /dev/null >tty.txt 2>&1
contains tty.txt "100%" "a terminal sees the bar reach 100%"
contains tty.txt "big.csv: 500000 rows: 500000 new" "and the summary line after it"
"$YINGJI" --db u.db init >/dev/null
"$YINGJI" --db u.db import units units.csv >/dev/null
"$YINGJI" --db u.db import inspections big.csv >out.txt 2>err.txt
if grep -q '%' err.txt; then not_ok "no bar when stderr is not a terminal"; else ok "no bar when stderr is not a terminal"; fi
