#!/bin/sh
# bench_archive.sh — archive figures of issue 12: verifying the seed archive
# (seeds/archive_2019.yjar, target < 0.5 s) and the cost of signing (target < 10 ms).
# Paired rounds, medians:
#   verify:  each round `yingji verify seeds/archive_2019.yjar` and, back to back, the
#            same with --trust tests/data/archive/seed_test.pub (the signature checked);
#   archive: each round `yingji archive` of the 2019 evaluation without and with --sign
#            (from the database seeds/archive_2019.sh loads), the median of the paired
#            differences being the signing cost inside a whole archive run;
#   sign:    the sign step alone (bench/sign_time.c: read the key, sign; check), medians of
#            200 rounds.
# Wall times by python3's perf_counter (the rounds are tens of ms: /usr/bin/time's 10 ms
# steps are too coarse). Environment: YINGJI (release binary), BUILD; ROUNDS (default 11).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${YINGJI:=$root/yingji}" "${BUILD:=$root/build/rel}" "${ROUNDS:=11}"
tool="$BUILD/bench/sign_time"
[ -x "$tool" ] || { echo "bench_archive: $tool missing (make tools)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root" || exit 1
db=$work/held.db
cp tests/data/archive/seed_test.key "$work/k.key" && chmod 600 "$work/k.key"
imp() { "$YINGJI" --db "$db" import "$@" >/dev/null 2>&1; }
"$YINGJI" --db "$db" init >/dev/null
imp --received 2018-01-02 units       seeds/units.csv
imp --received 2019-01-10 accidents   seeds/accidents_2018.csv
imp --received 2020-01-10 accidents   seeds/accidents_2019.csv
imp --received 2020-01-10 inspections seeds/inspections_2019.csv
imp --received 2019-01-15 targets     seeds/targets_2019.csv
imp --received 2020-01-20 assessments seeds/assessments_2019.csv
python3 - "$YINGJI" "$ROUNDS" "$db" "$work" <<'PY'
import statistics as st, subprocess, sys, time, os
yj, rounds, db, work = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def t(*cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    if r.returncode != 0: sys.exit('bench_archive: failed: %s' % ' '.join(cmd))
    return dt
seed = 'seeds/archive_2019.yjar'
v, vt, a, s = [], [], [], []
for i in range(rounds):
    v.append(t(yj, 'verify', seed))
    vt.append(t(yj, 'verify', '--trust', 'tests/data/archive/seed_test.pub', seed))
    for f in ('u.yjar', 's.yjar'):
        p = os.path.join(work, f)
        if os.path.exists(p): os.remove(p)
    args = ['scripts/scoring_2019.lua', '--set', 'year=2019', '--as-of', '2020-01-20', '--known-on', '2020-01-20']
    a.append(t(yj, '--db', db, 'archive', '-o', os.path.join(work, 'u.yjar'), *args))
    s.append(t(yj, '--db', db, 'archive', '-o', os.path.join(work, 's.yjar'), '--sign', os.path.join(work, 'k.key'), *args))
ms = lambda x: '%.1f ms' % (x * 1000)
print('archive figures (%d paired rounds, medians; machine shared with other jobs):' % rounds)
print('  verify seeds/archive_2019.yjar:            %s  (target < 500 ms)' % ms(st.median(v)))
print('  verify --trust seed_test.pub (signature):  %s  (paired difference %s)' % (
    ms(st.median(vt)), ms(st.median([b - x for x, b in zip(v, vt)]))))
print('  archive 2019 evaluation, unsigned:         %s' % ms(st.median(a)))
print('  archive 2019 evaluation, --sign:           %s  (paired difference %s, ratio %.3f)' % (
    ms(st.median(s)), ms(st.median([b - x for x, b in zip(a, s)])), st.median([b / x for x, b in zip(a, s)])))
PY
set -- $("$tool" seeds/archive_2019.yjar "$work/k.key" 200) || exit 1
echo "  sign step alone (read key, sign): median $1 us; signature check: median $2 us  (target < 10 ms)"
