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

# --- a missing script file is a usage error, one line, no traceback
"$YINGJI" --db t.db init >/dev/null 2>&1
echo 'print("hi")' > ok.lua
mkdir adir
expect_status 1 "run of a missing script is a usage error" "$YINGJI" --db t.db run nope.lua
check "run names the missing file on one line" sh -c \
    '[ "$(cat err.txt)" = "yingji run: nope.lua: no such file" ]'
expect_status 1 "run of a folder is a usage error" "$YINGJI" --db t.db run adir
check "no traceback for a folder" sh -c '! grep -q traceback err.txt'
expect_status 1 "archive of a missing script is a usage error" \
    "$YINGJI" --db t.db archive nope.lua -o a.yja
contains err.txt "yingji archive: nope.lua: no such file" "archive names the missing file"
check "archive of a missing script writes nothing" test ! -e a.yja
expect_status 1 "compare with a missing first script is a usage error" \
    "$YINGJI" --db t.db compare nope.lua ok.lua
contains err.txt "yingji compare: nope.lua: no such file" "compare names the missing first"
expect_status 1 "compare with a missing second script is a usage error" \
    "$YINGJI" --db t.db compare ok.lua nope2.lua
contains err.txt "yingji compare: nope2.lua: no such file" "compare names the missing second"
check "compare: no traceback" sh -c '! grep -q traceback err.txt'
expect_status 1 "test of a missing file is a usage error" "$YINGJI" test nope_test.lua
contains err.txt "nope_test.lua: no such file" "test names the missing file"

# --- unknown options: did you mean, for each command's own list
sugg() {   # sugg CMD... -- BADOPT GOOD: exit 1, "did you mean --GOOD?"
    good=$1; shift
    expect_status 1 "$* is a usage error" "$YINGJI" --db t.db "$@"
    contains err.txt "did you mean --$good?" "$* suggests --$good"
}
sugg format run ok.lua --fromat text
sugg as-of run ok.lua --as-off 2020-01-01
sugg known-on run ok.lua --known_on=2020-01-01
sugg timeout run ok.lua --timout 5
sugg max-memory archive ok.lua -o b.yja --max-memroy 5
sugg format compare ok.lua ok.lua --formt text
sugg received import --recieved 2020-01-01 x.csv
sugg encoding import --encodng gbk x.csv
sugg format show --fromat json x
sugg format history --fromat json x
sugg tap test --tpa
sugg timeout verify --timeot 5 x.yja
sugg check info --chek
sugg version --verison
expect_status 1 "a far option suggests nothing" "$YINGJI" --db t.db run ok.lua --zzzzzzzz
contains err.txt "unknown option '--zzzzzzzz'" "a far option is named"
check "a far option gets no 'did you mean'" sh -c '! grep -q "did you mean" err.txt'

# --- an unknown sector lists the valid ones, codes and Chinese names
printf 'id,inspected_on,unit,sector,enterprise,hazards_found\nJC-1,2020-03-02,T01,不存在行业,某厂,1\n' > sect.csv
"$YINGJI" --db t.db import inspections sect.csv >out.txt 2>err.txt
contains err.txt "unknown sector (got '不存在行业')" "the unknown sector is named"
contains err.txt "valid sectors: " "the valid sectors are listed"
contains err.txt "road 道路运输" "... with code and Chinese name (road)"
contains err.txt "other 其他" "... every one of them (other)"
n=$(sqlite3 t.db "SELECT count(*) FROM sectors")
got=$(grep -o 'valid sectors: .*' err.txt | tr ',' '\n' | wc -l)
check "... as many as the sectors table has ($n)" test "$got" -eq "$n"

# --- a briefing without -o says where to put -o
(cd "$ROOT" && YINGJI_DB="$TMP/seed.db" BRIEFING="$TMP/demo.pdf" sh seeds/demo.sh "$YINGJI") >/dev/null 2>&1
expect_status 0 "a briefing without -o runs" \
    "$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30
contains err.txt "no PDF written (no -o given)" "a briefing without -o says no PDF was written"
contains err.txt "-o briefing-2020-06.pdf" "... and shows where to put -o"
contains out.txt "headline" "... and still prints the headline table"
expect_status 0 "a briefing with -o runs" \
    "$YINGJI" --db seed.db run "$ROOT/scripts/briefing.lua" --as-of 2020-06-30 -o b.pdf
check "with -o there is no such word" sh -c '! grep -q "no -o given" err.txt'
