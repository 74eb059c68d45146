# run_provenance.sh — ctx.script_sha256 and ctx.version name exactly what ran.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null
cat > prov.lua <<'LUA'
publish("prov", { "sha", "version" }, { { sha = ctx.script_sha256, version = ctx.version } })
LUA
expect_status 0 "a script reads its own provenance" "$YINGJI" --db t.db run prov.lua --format csv
want=$(sha256sum prov.lua | cut -d' ' -f1)
contains out.txt "$want," "ctx.script_sha256 is the SHA-256 of the script's bytes"
contains out.txt ",$("$YINGJI" --version | cut -d' ' -f2)" "ctx.version is the engine version"
echo "-- changed" >> prov.lua
"$YINGJI" --db t.db run prov.lua --format csv > out2.txt 2>&1
if grep -qF "$want" out2.txt; then not_ok "an edited script has another digest"; else ok "an edited script has another digest"; fi
