# archive_sign.sh — signed archives (issue 12, docs/archive.md "Keys and signatures"):
# `yingji keygen` (a 0600 secret key, the public key beside it, the fingerprint; never
# over an existing file), `archive --sign KEY`, and `verify --trust FILE`, which fails
# (exit 5) on a missing, invalid, untrusted or revoked signature and names the signer on
# success; an unsigned archive still verifies without --trust and says "unsigned".
. "$(dirname "$0")/../lib.sh"

"$YINGJI" --db t.db init >/dev/null || exit 1
cat >s.lua <<'LUA'
publish("t", { "x", "y" }, { { x = 1, y = "a" }, { x = 2, y = "b" } })
LUA

# keygen
expect_status 0 "keygen -o bureau.key" "$YINGJI" keygen -o bureau.key
check "the secret key has mode 0600" test "$(stat -c %a bureau.key)" = 600
check "the public key is written beside it as bureau.pub" test -s bureau.pub
fp=$(sed -n 's/^fingerprint //p' out.txt)
check "keygen prints a fingerprint of 64 hex digits ($fp)" sh -c "echo '$fp' | grep -qE '^[0-9a-f]{64}$'"
check "the fingerprint is the SHA-256 of the public key's 32 bytes" test "$fp" = \
    "$(python3 -c 'import hashlib,sys; k=[l.split()[1] for l in open("bureau.pub") if l.startswith("ed25519 ")][0]; print(hashlib.sha256(bytes.fromhex(k)).hexdigest())')"
contains bureau.pub "$fp" "the public key file names its fingerprint"
before=$(sha256sum bureau.key bureau.pub)
expect_status 2 "keygen refuses to overwrite a key" "$YINGJI" keygen -o bureau.key
contains err.txt "bureau.key: already exists" "… and says so"
check "… and both files are unchanged" test "$(sha256sum bureau.key bureau.pub)" = "$before"
printf 'mine\n' >lone.pub
expect_status 2 "keygen refuses when only the public file exists" "$YINGJI" keygen -o lone.key
check "… and leaves no secret key behind" test ! -e lone.key
check "… nor changes the public file" test "$(cat lone.pub)" = mine
ln -s elsewhere.key link.key
expect_status 2 "keygen refuses a symlink at the key path" "$YINGJI" keygen -o link.key
check "… and creates nothing through it" test ! -e elsewhere.key
(umask 000 && "$YINGJI" keygen -o loose >/dev/null)
check "under umask 000 the secret key is still 0600" test "$(stat -c %a loose)" = 600
check "a key path without .key gets .pub appended" test -s loose.pub
expect_status 1 "keygen without -o is a usage error" "$YINGJI" keygen
"$YINGJI" keygen -o other.key >other.txt || exit 1
ofp=$(sed -n 's/^fingerprint //p' other.txt)

# archive --sign and verify --trust
expect_status 0 "archive --sign" "$YINGJI" --db t.db archive -o signed.yjar --sign bureau.key s.lua
contains out.txt "signed by $fp" "archive names the signer's fingerprint"
expect_status 0 "verify --trust the bureau's key" "$YINGJI" verify --trust bureau.pub signed.yjar
contains out.txt "signed by $fp (trusted)" "verify prints the signer's fingerprint"
expect_status 0 "a signed archive verifies without --trust" "$YINGJI" verify signed.yjar
contains out.txt "signed by $fp (not checked against a --trust key)" "… and says the key was not checked"
expect_status 0 "verify --trust=FILE form" "$YINGJI" verify --trust=bureau.pub signed.yjar

expect_status 0 "archive without --sign" "$YINGJI" --db t.db archive -o plain.yjar s.lua
contains out.txt "unsigned" "archive says it is unsigned"
expect_status 0 "an unsigned archive verifies its integrity without --trust" "$YINGJI" verify plain.yjar
contains out.txt "unsigned" "… and the report says unsigned"
expect_status 5 "an unsigned archive under --trust fails" "$YINGJI" verify --trust bureau.pub plain.yjar
contains out.txt "the archive is unsigned" "… saying it is unsigned"

# a signature by another key
expect_status 0 "archive signed with another key" "$YINGJI" --db t.db archive -o other.yjar --sign other.key s.lua
expect_status 5 "a signature by a key not trusted fails" "$YINGJI" verify --trust bureau.pub other.yjar
contains out.txt "signed by key $ofp, which no --trust file trusts" "… naming the signer's fingerprint"
expect_status 0 "two --trust files: either key is trusted" "$YINGJI" verify --trust bureau.pub --trust other.pub other.yjar

# the signature stripped: no hash covers it, but --trust wants one
cp signed.yjar strip.yjar && sqlite3 strip.yjar "DELETE FROM yj_archive WHERE key IN ('signer', 'signature')"
expect_status 5 "a stripped signature fails under --trust" "$YINGJI" verify --trust bureau.pub strip.yjar
contains out.txt "unsigned" "… as unsigned"
cp signed.yjar half.yjar && sqlite3 half.yjar "DELETE FROM yj_archive WHERE key = 'signer'"
expect_status 5 "a signature without its signer is refused" "$YINGJI" verify half.yjar
contains out.txt "signature without a signer" "… saying so"

# the signature truncated, or one bit of it changed
cp signed.yjar trunc.yjar && sqlite3 trunc.yjar "UPDATE yj_archive SET value = substr(value, 1, 100) WHERE key = 'signature'"
expect_status 5 "a truncated signature is refused" "$YINGJI" verify trunc.yjar
contains out.txt "not an Ed25519 signature" "… by the strict reader"
expect_status 5 "… under --trust too" "$YINGJI" verify --trust bureau.pub trunc.yjar
cp signed.yjar bit.yjar
sqlite3 bit.yjar "UPDATE yj_archive SET value = (CASE substr(value, 1, 1) WHEN '0' THEN '1' ELSE '0' END) || substr(value, 2) WHERE key = 'signature'"
expect_status 5 "a signature with one digit changed fails under --trust" "$YINGJI" verify --trust bureau.pub bit.yjar
contains out.txt "the signature is not valid" "… as not valid"
expect_status 5 "… and without --trust" "$YINGJI" verify bit.yjar

# the signer's key swapped for another (the signature no longer matches it)
okey=$(sed -n 's/^ed25519 //p' other.pub)
cp signed.yjar swap.yjar && sqlite3 swap.yjar "UPDATE yj_archive SET value = '$okey' WHERE key = 'signer'"
expect_status 5 "a signer swapped for another key fails" "$YINGJI" verify --trust bureau.pub --trust other.pub swap.yjar
contains out.txt "not valid" "… as not valid"

# a tampered manifest: data edited and every hash recomputed (the forger's tool); the
# signature of the old manifest no longer matches
cp "$ROOT/tests/e2e/archive_rehash.py" rehash.py
cp signed.yjar forged.yjar
sqlite3 forged.yjar "UPDATE yj_archive SET value = '2099-01-01' WHERE key = 'as_of'" && python3 rehash.py forged.yjar
expect_status 5 "a re-hashed manifest fails under --trust" "$YINGJI" verify --trust bureau.pub forged.yjar
contains out.txt "the signature is not valid" "… the signature does not match the new manifest"
expect_status 5 "… and without --trust" "$YINGJI" verify forged.yjar
cp signed.yjar forged2.yjar
sqlite3 forged2.yjar "UPDATE yj_archive_tables SET json = replace(json, '[1,', '[7,')" && python3 rehash.py forged2.yjar
expect_status 5 "a forged result table with recomputed hashes fails under --trust" "$YINGJI" verify --trust bureau.pub forged2.yjar
contains out.txt "the signature is not valid" "… as not valid"

# revocation: a "revoked FINGERPRINT" line in a trust file
{ cat bureau.pub; echo "revoked $fp"; } >revoked.trust
expect_status 5 "a signature by a revoked key fails" "$YINGJI" verify --trust revoked.trust signed.yjar
contains out.txt "signed by a revoked key $fp" "… naming the revoked fingerprint"
echo "revoked $fp" >revocations.txt
expect_status 5 "a revocation in a second --trust file wins over the key's own file" \
    "$YINGJI" verify --trust bureau.pub --trust revocations.txt signed.yjar
expect_status 0 "another key's archive is not affected by the revocation" \
    "$YINGJI" verify --trust other.pub --trust revocations.txt other.yjar

# trust files are checked as input
printf 'ed25519 %s\nbogus line\n' "$okey" >bad.trust
expect_status 1 "a malformed trust file is a usage error" "$YINGJI" verify --trust bad.trust signed.yjar
contains err.txt "bad.trust:2:1:" "… naming file:line:col"
printf 'ed25519 %s\n' "${okey%?}" >short.trust
expect_status 1 "a trust key one digit short is refused" "$YINGJI" verify --trust short.trust signed.yjar
expect_status 1 "a missing trust file is a usage error" "$YINGJI" verify --trust nowhere.pub signed.yjar

# the secret key file: mode 0600, well formed
chmod 644 bureau.key
expect_status 1 "a secret key others may read is refused" "$YINGJI" --db t.db archive -o loose.yjar --sign bureau.key s.lua
contains err.txt "mode 0644" "… naming its mode"
check "… and no archive is written" test ! -e loose.yjar
chmod 600 bureau.key
expect_status 1 "a public key given to --sign is refused" "$YINGJI" --db t.db archive -o pub.yjar --sign bureau.pub s.lua
check "… (no archive)" test ! -e pub.yjar
printf 'yingji-secret-key ed25519 %0128d\n' 0 >zero.key && chmod 600 zero.key
expect_status 1 "a damaged secret key is refused" "$YINGJI" --db t.db archive -o zero.yjar --sign zero.key s.lua
expect_status 1 "a missing key file is refused" "$YINGJI" --db t.db archive -o none.yjar --sign nowhere.key s.lua
