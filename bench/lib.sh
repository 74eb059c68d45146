# lib.sh — the paired timing every bench/bench_*.sh shares (sourced, not run): one run
# timed into a file of samples, two sides alternated round by round, medians and the median
# of the per-pair ratios, and the summary row of issue 18's table with its verdict.
#
#   . "$here/lib.sh"
#   side_a() { bl_run "$BL_DIR/a" /dev/null "$YINGJI" ...; }    # one sample per call
#   side_b() { bl_run "$BL_DIR/b" script.sql sqlite3 ...; }
#   bl_paired 7 side_a side_b          # a, b; b, a; a, b; ... (drift favours neither)
#   bl_median "$BL_DIR/a" wall         # wall | cpu | rss
#   bl_ratio "$BL_DIR/b" "$BL_DIR/a" cpu   # median over pairs of b[i] / a[i]
#   bl_row "work" "yingji ..." "baseline ..." "now ..." "target ..." "met"
#
# A sample line is "wall_s cpu_s rss_kb": wall from the monotonic clock, CPU (user +
# system of the command and its children) and peak RSS from wait4, in microseconds, by
# bench/rusage.c ($BUILD/bench/rusage, built by make bench); without it, from GNU time
# (/usr/bin/time: CPU in 10 ms steps, wall from date +%s%N).
# bl_row also appends the row to $BENCH_SUMMARY when set (bench/run.sh prints the table).
# BL_DIR is a scratch folder made here and removed at exit (callers add their own traps
# with bl_cleanup in them).

BL_TIME=/usr/bin/time
[ -x "${BUILD:-}/bench/rusage" ] || [ -x "$BL_TIME" ] ||
    { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
BL_DIR=$(mktemp -d)
bl_cleanup() { rm -rf "$BL_DIR"; }
trap bl_cleanup EXIT

# bl_run FILE STDIN COMMAND...: runs COMMAND once (stdin from STDIN, stdout discarded,
# stderr shown only on failure), appends "wall cpu rss" to FILE; a failing command ends the bench.
bl_run() {
    _f=$1 _in=$2; shift 2
    if [ -x "${BUILD:-}/bench/rusage" ]; then
        "$BUILD/bench/rusage" "$_f" "$@" <"$_in" >/dev/null 2>"$BL_DIR/.err" ||
            { cat "$BL_DIR/.err" >&2; echo "bench: failed: $*" >&2; exit 1; }
        return 0
    fi
    _t0=$(date +%s%N)
    "$BL_TIME" -f "%U %S %M" -o "$BL_DIR/.time" "$@" <"$_in" >/dev/null 2>"$BL_DIR/.err" ||
        { cat "$BL_DIR/.err" >&2; echo "bench: failed: $*" >&2; exit 1; }
    _t1=$(date +%s%N)
    awk -v ns=$((_t1 - _t0)) '{ printf "%.4f %.3f %d\n", ns / 1e9, $1 + $2, $3 }' \
        "$BL_DIR/.time" >>"$_f"
}

# bl_paired N A B: calls the functions A and B N times each, alternating which goes first.
bl_paired() {
    _n=$1 _i=0
    while [ "$_i" -lt "$_n" ]; do
        if [ $((_i % 2)) -eq 0 ]; then "$2"; "$3"; else "$3"; "$2"; fi
        _i=$((_i + 1))
    done
}

_bl_col() { case $1 in wall) echo 1 ;; cpu) echo 2 ;; rss) echo 3 ;; *) echo "$1" ;; esac; }

# The median of a list of numbers on stdin.
bl_median_stdin() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
        else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bl_median FILE COLUMN: the median of a column (wall, cpu, rss) of FILE.
bl_median() { cut -d' ' -f"$(_bl_col "$2")" "$1" | bl_median_stdin; }

# bl_max FILE COLUMN: the largest value of a column (peak RSS over all runs).
bl_max() { cut -d' ' -f"$(_bl_col "$2")" "$1" | sort -g | tail -1; }

# bl_ratio NUM DEN COLUMN: the median over the pairs (line i of each file) of NUM / DEN.
bl_ratio() {
    _c=$(_bl_col "$3")
    paste -d' ' "$1" "$2" | awk -v c="$_c" -v w=3 '$(c + w) > 0 { print $c / $(c + w) }' | bl_median_stdin
}

# bl_met CONDITION: "met" when the awk condition holds, else "not met".
bl_met() { awk "BEGIN { exit !($1) }" && echo met || echo "not met"; }

# bl_row WORK YINGJI BASELINE NOW TARGET VERDICT: one row of the issue's table.
bl_row() {
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" |
        tee -a "${BENCH_SUMMARY:-/dev/null}"
}

# bl_load: the load average now, for the report (the machine is shared).
bl_load() { cut -d' ' -f1-3 /proc/loadavg; }
