#!/bin/sh
# include_graph.sh — prints the include graph of util/, core/ and charts/ (one line per
# edge: "FROM -> TO", quoted includes only) and fails on an edge the layers forbid or on
# a cycle.
#
# The layers, lowest first (data flows up): util/ (the base: files, strings, JSON,
# version) < charts/ (drawing and the chart Lua module) and util/ < core/ (database,
# importer, script runtime, commands). A file may include its own layer and the layers
# below it, with one narrowing: core/ includes charts/ only through charts/chart_lua.h,
# and only in core/script_modules.c, the runtime's table of built-in Lua modules. charts/
# and util/ never include core/, util/ includes only util/. (The Makefile compiles util/
# with -Iutil and charts/ with -Icharts -Iutil, so such an edge does not even compile.)
#
# Usage: sh tools/include_graph.sh [ROOT]   (default: the tree this script is in)
# Exit status: 0 when the graph keeps the rules, 1 otherwise (each violation on stderr).
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
for f in util/*.[ch] charts/*.[ch] core/*.[ch]; do
    [ -f "$f" ] || continue
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
    while read -r inc; do
        dir=${f%/*}
        # resolved as the compiler does: the file's own folder first, then -I folders
        to=""
        for d in "$dir" util charts core; do
            if [ -f "$d/$inc" ]; then to="$d/$inc"; break; fi
        done
        [ -n "$to" ] && echo "$f -> $to"
    done
done | awk '
function layer(p) { sub(/\/.*/, "", p); return p }
function rank(l) { return l == "util" ? 0 : l == "charts" ? 1 : 2 }
{
    print
    from = $1; to = $3
    lf = layer(from); lt = layer(to)
    if (lf != lt) {
        if (rank(lt) > rank(lf)) bad[++nbad] = "upward edge: " from " -> " to " (" lf "/ may not include " lt "/)"
        else if (lf == "core" && lt == "charts" && !(from == "core/script_modules.c" && to == "charts/chart_lua.h"))
            bad[++nbad] = "core/ includes charts/ only as core/script_modules.c -> charts/chart_lua.h: " from " -> " to
    }
    n = ++deg[from]; adj[from, n] = to; node[from] = 1; node[to] = 1
}
function dfs(v,    i, w) {
    state[v] = 1; stack[++depth] = v
    for (i = 1; i <= deg[v]; i++) {
        w = adj[v, i]
        if (state[w] == 1) {
            cyc = w
            for (k = depth; k >= 1 && stack[k] != w; k--) cyc = stack[k] " -> " cyc
            bad[++nbad] = "cycle: " w " -> " cyc
        } else if (!state[w]) dfs(w)
    }
    state[v] = 2; depth--
}
END {
    for (v in node) if (!state[v]) dfs(v)
    for (i = 1; i <= nbad; i++) print "include_graph: " bad[i] > "/dev/stderr"
    exit nbad ? 1 : 0
}'
