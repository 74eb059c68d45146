# archive_bitflip.sh — single-bit flips in seeds/archive_2019.yjar (issue 12): every flip
# is either refused by `yingji verify` or leaves every table's content unchanged — 0
# undetected content changes. A bounded sample here (YJ_BITFLIPS flips, default 300, at
# seeded random non-zero bytes, where the content is); YJ_BITFLIPS=all sweeps every bit
# of every non-zero byte. YJ_BITFLIP_FILE names another archive: `make fuzz` sweeps all
# of fuzz/corpus/fuzz_archive/small2.yjar (a signed format-2 archive, 22 KB, 512-byte
# pages) this way. Figures: docs/reliability.md.
. "$(dirname "$0")/../lib.sh"
A="${YJ_BITFLIP_FILE:-$ROOT/seeds/archive_2019.yjar}"

python3 - "$A" "$YINGJI" "${YJ_BITFLIPS:-300}" <<'PY' >sweep.txt
import random, sqlite3, subprocess, sys
src, yingji, n = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read()
def dump(path):
    db = sqlite3.connect(path)
    try: return list(db.iterdump())
    finally: db.close()
base = dump(src)
nonzero = [i for i, b in enumerate(data) if b]
if n == 'all':
    flips = [(i, bit) for i in nonzero for bit in range(8)]
else:
    rnd = random.Random(2026)
    flips = [(o, rnd.randrange(8)) for o in rnd.sample(nonzero, int(n))]
refused = same = undetected = 0
for off, bit in flips:
    flipped = bytearray(data)
    flipped[off] ^= 1 << bit
    open('f.yjar', 'wb').write(flipped)
    rc = subprocess.run([yingji, 'verify', '--timeout', '20', 'f.yjar'],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if rc != 0:
        refused += 1
        continue
    try: same_content = dump('f.yjar') == base
    except Exception: same_content = False
    if same_content: same += 1
    else:
        undetected += 1
        print('undetected: byte %d bit %d' % (off, bit))
print('flips %d refused %d unchanged %d undetected %d' % (len(flips), refused, same, undetected))
PY
tail -1 sweep.txt | sed 's/^/# /'
check "every bit flip is refused or changes no content ($(tail -1 sweep.txt))" grep -q ' undetected 0$' sweep.txt
check "the sample did flip something verify refused" sh -c "! grep -q ' refused 0 ' sweep.txt"
