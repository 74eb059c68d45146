# run_provenance.sh — ctx.script_sha256 and ctx.version name exactly what ran.
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null
cat > prov.lua <<'LUA'
publish("prov", { "sha", "version" }, { { sha = ctx.script_sha256, version = ctx.version } })
LUA
expect_status 0 "a script reads its own provenance" "$YINGJI" --db t.db run prov.lua --format csv
first=$(sha256sum prov.lua | cut -d' ' -f1)
contains out.txt "$first," "ctx.script_sha256 is the SHA-256 of the script's bytes"
contains out.txt ",$("$YINGJI" --version | cut -d' ' -f2)" "ctx.version is the engine version"
echo "-- changed" >> prov.lua
expect_status 0 "the edited script runs" "$YINGJI" --db t.db run prov.lua --format csv
second=$(sha256sum prov.lua | cut -d' ' -f1)
contains out.txt "$second," "an edited script has the SHA-256 of its new bytes"
check "the edit changed the file's digest" test "$first" != "$second"
if grep -qF "$first" out.txt; then not_ok "… and the old digest is gone"; else ok "… and the old digest is gone"; fi
