# chart_lazy.sh — the chart library is loaded only when a script requires it (issue 18):
# the yingji binary is not linked with cairo, pango or fontconfig; a run without
# require "chart" never loads them (the dynamic loader's own log, LD_DEBUG=libs); the
# first require loads yingji-chart.so from beside the binary or from ../lib/yingji/ (the
# make install layout) and draws the same bytes; without the file, require "chart" is a
# plain error naming where it looked, and runs that draw nothing still work.
. "$(dirname "$0")/../lib.sh"
SO=$(dirname "$YINGJI")/yingji-chart.so
"$YINGJI" --db t.db init >/dev/null || exit 1
printf 'print(sql.value("SELECT count(*) FROM units"))\n' >plain.lua
cat >draw.lua <<'LUA'
local chart = require "chart"
chart.save({ kind = "bar", title = "事故起数", categories = { "一月", "二月" },
             series = { { name = "2020年", values = { 3, 1 } } } }, ctx.output)
print("drawn")
LUA

if ldd "$YINGJI" >ldd.txt 2>&1; then
    check "the yingji binary is not linked with cairo, pango or fontconfig" \
        sh -c '! grep -q "libcairo\|libpango\|libfontconfig" ldd.txt'
    check "… yingji-chart.so is, beside it ($SO)" sh -c "ldd '$SO' | grep -q libpangocairo"
else
    skip "ldd of the binary" "ldd failed"
fi

# ld_run LOG COMMAND...: the command with the loader's log in LOG (print goes to err.txt)
ld_run() { log=$1; shift; rm -f ld.*; LD_DEBUG=libs LD_DEBUG_OUTPUT="$TMP/ld" "$@" >out.txt 2>err.txt
           cat ld.* >"$log" 2>/dev/null; }
ld_run ld.txt "$YINGJI" --db t.db run plain.lua
check "a run without the chart module works" grep -qx 0 err.txt
check "… and loads neither cairo nor pango nor yingji-chart.so (LD_DEBUG=libs)" \
    sh -c '! grep -q "libcairo\|libpango\|libfontconfig\|yingji-chart" ld.txt'
ld_run ld2.txt "$YINGJI" --db t.db run draw.lua -o a.pdf
check "require \"chart\" draws" sh -c 'grep -qx drawn err.txt && test -s a.pdf'
contains ld2.txt "yingji-chart.so" "… having loaded yingji-chart.so on the first require"
contains ld2.txt "libpangocairo" "… and pango with it"

# Another copy of the binary: alone, then in the make install layout.
mkdir -p alone inst/bin inst/lib/yingji
cp "$YINGJI" alone/yingji && cp "$YINGJI" inst/bin/yingji && cp "$SO" inst/lib/yingji/
expect_status 0 "without yingji-chart.so, a run that draws nothing works" \
    alone/yingji --db t.db run plain.lua
expect_status 4 "… and require \"chart\" fails" alone/yingji --db t.db run draw.lua -o b.pdf
contains err.txt "chart library is not installed" "… saying the chart library is not installed"
contains err.txt "$TMP/alone/yingji-chart.so" "… naming where it looked"
contains err.txt "lib/yingji/yingji-chart.so" "… both places"
check "… and writes nothing" test ! -e b.pdf
expect_status 0 "installed as make install lays it out (bin/, lib/yingji/), require \"chart\" works" \
    inst/bin/yingji --db t.db run draw.lua -o c.pdf
check "… and draws the same bytes" cmp -s a.pdf c.pdf
printf 'not a shared object\n' >alone/yingji-chart.so
expect_status 4 "a damaged yingji-chart.so is an error" alone/yingji --db t.db run draw.lua -o b.pdf
contains err.txt "cannot load the chart library $TMP/alone/yingji-chart.so" "… naming the file"
# A yingji-chart.so from another build (an older install beside a newer binary): its
# entry points are refused before they are called, not called with another layout.
cat >other.c <<'C'
struct other_api { unsigned abi; const char *version; void *set_policy, *open; };
const struct other_api chart_lua_linked = { 999u, "0.0.1-other", 0, 0 };
C
if ${CC:-cc} -shared -fPIC -o alone/yingji-chart.so other.c 2>cc.txt; then
    expect_status 4 "a yingji-chart.so from another build is refused" \
        alone/yingji --db t.db run draw.lua -o b.pdf
    contains err.txt "$TMP/alone/yingji-chart.so is from another build of yingji" "… naming the file and why"
    check "… and writes nothing" test ! -e b.pdf
else
    skip "a yingji-chart.so from another build" "no C compiler: $(head -1 cc.txt)"
fi
