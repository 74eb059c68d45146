# fuzz_short.sh — the CI pass of the libFuzzer harnesses (fuzz/run.sh): each harness for a
# few seconds (FUZZ_SHORT_SECS, default 12; about a minute in all) from its seed corpus,
# plus the crash reproducers of tests/data/fuzz/. Fails on any crash, leak, sanitizer
# report or broken property; skips cleanly when clang's fuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
sh "$ROOT/fuzz/run.sh" -t "${FUZZ_SHORT_SECS:-12}" -s 1 -w "$TMP/work" >report.txt 2>&1
rc=$?
if [ "$rc" -eq 77 ]; then
    skip "fuzz short pass" "$(head -1 report.txt)"
    exit 0
fi
ran=0
while IFS= read -r line; do
    case "$line" in
    fuzz_*": "*", ok") ok "$line"; ran=$((ran + 1)) ;;
    fuzz_*": "*) not_ok "$line"; ran=$((ran + 1)) ;;
    *) echo "    $line" ;;
    esac
done <report.txt
check "every harness ran ($ran)" test "$ran" -eq "$(ls "$ROOT"/fuzz/fuzz_*.c | wc -l)"
check "fuzz/run.sh exit status 0 (got $rc)" test "$rc" -eq 0
if [ "$rc" -ne 0 ]; then
    # keep the inputs that crashed: they become regression files in tests/data/fuzz/NAME/
    mkdir -p "$ROOT/build/fuzz/crashes" && cp "$TMP"/work/crashes/* "$ROOT/build/fuzz/crashes/" 2>/dev/null
    echo "    crashing inputs copied to build/fuzz/crashes/"
    for f in "$TMP"/work/logs/*.log; do
        grep -q 'ERROR\|property failed' "$f" && grep -m20 'ERROR\|#[0-9]\|property failed' "$f" | sed 's/^/    /'
    done
fi
