# cli_forgiving.sh — a command line that forgives (issue 17): "did you mean" for
# commands and options, yingji help [COMMAND], missing script files as usage errors,
# the valid sectors listed, the briefing without -o.
. "$(dirname "$0")/../lib.sh"

# --- commands: did you mean, help
expect_status 1 "a misspelt command is a usage error" "$YINGJI" improt
contains err.txt "did you mean 'import'" "a misspelt command suggests the nearest"
expect_status 1 "two edits away still suggests" "$YINGJI" verfy
contains err.txt "did you mean 'verify'" "verfy suggests verify"
expect_status 1 "a far word suggests nothing" "$YINGJI" frobnicate
check "a far word gets no 'did you mean'" sh -c '! grep -q "did you mean" err.txt'
expect_status 0 "yingji help exits 0" "$YINGJI" help
contains out.txt "usage: yingji" "yingji help prints the general usage"
expect_status 0 "yingji help import exits 0" "$YINGJI" help import
contains out.txt "yingji import" "yingji help import is import's --help"
"$YINGJI" import --help >want.txt 2>&1
check "help import is the same text as import --help" cmp -s out.txt want.txt
for c in archive compare history info init run show test verify; do
    expect_status 0 "yingji help $c exits 0" "$YINGJI" help "$c"
done
expect_status 1 "yingji help of an unknown command is a usage error" "$YINGJI" help improt
contains err.txt "did you mean 'import'" "help improt suggests import"
