# run_docs_examples.sh — every ```lua example of docs/scripting.md runs as documented.
# Directives on an example's first lines:
#   -- file: NAME          the block is saved as NAME (a module, script or test) and
#                          run with `yingji test` when NAME ends in _test.lua, else
#                          with `yingji run` (a module must load, a script must run)
#   -- run: ARGS           extra arguments for `yingji run`
#   -- expect error: TEXT  the run must fail with exit 4 and TEXT on stderr
# Other blocks run with `yingji run --as-of 2020-06-30` and must succeed (they check
# their results with assert).
. "$(dirname "$0")/../lib.sh"

"$YINGJI" init >/dev/null 2>&1
sqlite3 yingji.db <"$ROOT/tests/e2e/run_sample.sql"

awk '/^```lua$/ { n++; f = sprintf("block_%03d.lua", n); inblock = 1; next }
     /^```$/ && inblock { inblock = 0; close(f); next }
     inblock { print > f }' "$ROOT/docs/scripting.md"

count=$(ls block_*.lua 2>/dev/null | wc -l)
check "the guide has examples ($count)" test "$count" -ge 10

for b in block_*.lua; do
    file=$(sed -n 's/^-- file: //p' "$b" | head -1)
    args=$(sed -n 's/^-- run: //p' "$b" | head -1)
    err=$(sed -n 's/^-- expect error: //p' "$b" | head -1)
    what="docs example $b ($(grep -v '^-- ' "$b" | head -1 | cut -c1-50))"
    if [ -n "$file" ]; then
        cp "$b" "$file"
        case "$file" in
        *_test.lua)
            expect_status 0 "$what: $file passes" "$YINGJI" test --tap "$file"
            contains out.txt "0 failed" "$what: reports N passed, 0 failed" ;;
        *) check "$what: saved as $file" cmp -s "$b" "$file"
           expect_status 0 "$what: $file loads and runs" "$YINGJI" run --as-of 2020-06-30 "$file" ;;
        esac
    elif [ -n "$err" ]; then
        # shellcheck disable=SC2086
        expect_status 4 "$what: fails" "$YINGJI" run --as-of 2020-06-30 $args "$b"
        contains err.txt "$err" "$what: says '$err'"
    else
        # shellcheck disable=SC2086
        expect_status 0 "$what: runs" "$YINGJI" run --as-of 2020-06-30 $args "$b"
    fi
done

# The output shown for publish is the real output.
pub=$(grep -l 'publish("accidents_by_unit"' block_*.lua)
"$YINGJI" run --as-of 2020-06-30 "$pub" >got.txt 2>/dev/null
awk 'state == 2 && /^```$/ { exit } state == 2 { print }
     state == 1 && /^```$/ { state = 2 } /^prints with `--format text`/ { state = 1 }' \
    "$ROOT/docs/scripting.md" >want.txt
check "the text output shown in the guide is what publish prints" cmp got.txt want.txt
