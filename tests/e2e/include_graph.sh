# include_graph.sh — the layers (issue 11): tools/include_graph.sh passes on the tree and
# fails on each kind of forbidden edge planted in a copy (an upward include from charts/
# or util/, core/ including a charts/ header other than through the module table, a
# cycle); charts/ and util/ compile without core/'s include path.
. "$(dirname "$0")/../lib.sh"
G="$ROOT/tools/include_graph.sh"

sh "$G" "$ROOT" >graph.txt 2>graph.err
check "the tree's include graph keeps the layers and has no cycle" test $? -eq 0
contains graph.txt "core/script_modules.c -> charts/chart_lua.h" "the graph is printed (the module table's edge)"
if grep -q '^charts/.* -> core/\|^util/.* -> \(core\|charts\)/' graph.txt; then
    not_ok "no edge from charts/ or util/ upward"; else ok "no edge from charts/ or util/ upward"; fi

# planted(NAME, SETUP): a copy of the tree with SETUP applied must fail, naming the edge.
planted() {
    rm -rf t && mkdir t && cp -r "$ROOT/util" "$ROOT/charts" "$ROOT/core" t/
    (cd t && eval "$2")
    if sh "$G" t >/dev/null 2>err.txt; then not_ok "$1: not found"
    else contains err.txt "$3" "$1 fails: $3"; fi
}
planted "charts/ including a core/ header" \
    'printf "#include \"script.h\"\n" >>charts/chart_doc.h' "upward edge: charts/chart_doc.h -> core/script.h"
planted "util/ including a charts/ header" \
    'printf "#include \"chart.h\"\n" >>util/out_file.c' "upward edge: util/out_file.c -> charts/chart.h"
planted "a core/ file other than the module table including charts/" \
    'printf "#include \"chart_lua.h\"\n" >>core/cmd_run.c' "core/cmd_run.c -> charts/chart_lua.h"
planted "core/ including a charts/ header other than chart_lua.h" \
    'printf "#include \"chart_doc.h\"\n" >>core/script_modules.c' "core/script_modules.c -> charts/chart_doc.h"
planted "an include cycle" \
    'printf "#include \"x2.h\"\n" >core/x1.h; printf "#include \"x1.h\"\n" >core/x2.h' "cycle: core/x"

# The build enforces the same: charts/ and util/ compile without -Icore.
case "$BUILD" in */san) S=1 B=build/san ;; *) S=0 B=build/rel ;; esac
mk() { env -u MAKEFLAGS -u MAKEOVERRIDES -u MFLAGS make --no-print-directory -C "$ROOT" SANITIZE=$S "$@"; }
mk -n -W charts/chart_lua.c "$B/charts/chart_lua.o" >charts_cc.txt 2>&1
check "charts/ compiles with its own include path (-Icharts -Iutil, no -Icore)" \
    sh -c 'grep -q -- "-Icharts" charts_cc.txt && ! grep -q -- "-Icore" charts_cc.txt'
mk -n -W util/out_file.c "$B/util/out_file.o" >util_cc.txt 2>&1
check "util/ compiles with -Iutil only" \
    sh -c 'grep -q -- "-Iutil" util_cc.txt && ! grep -q -- "-Icore\|-Icharts" util_cc.txt'
