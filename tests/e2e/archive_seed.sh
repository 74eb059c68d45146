# archive_seed.sh — the seed city's archived 2019 evaluation (seeds/archive_2019.yjar,
# made by seeds/archive_2019.sh from what the office held on 2020-01-20) reproduces on
# every run, is not touched by verifying it, and later data — all of 2020, the
# corrections, a late change to a 2019 record — never changes what it proves.
. "$(dirname "$0")/../lib.sh"
A="$ROOT/seeds/archive_2019.yjar"

before=$(sha256sum "$A" | cut -d' ' -f1)
expect_status 0 "the archived 2019 evaluation verifies" "$YINGJI" verify "$A"
contains out.txt "5 table(s) identical" "every table of the 2019 evaluation is identical"
contains out.txt "signed by 5b39c069d68eff273aff5f361d8fd7d3572ad100ea47831cbe169482d26a56bf" \
    "the seed archive is signed by the test key (seeds/README.md gives its fingerprint)"
check "the seed archive is format 2, made as known on 2020-01-20" test \
    "$(sqlite3 "$A" "SELECT group_concat(value, ' ') FROM (SELECT value FROM yj_archive WHERE key IN ('format', 'known_on', 'as_known') ORDER BY key)")" \
    = "1 yingji-archive 2 2020-01-20"
expect_status 0 "the seed archive verifies against the test key" \
    "$YINGJI" verify --trust "$ROOT/tests/data/archive/seed_test.pub" "$A"
contains out.txt "signed by 5b39c069d68eff273aff5f361d8fd7d3572ad100ea47831cbe169482d26a56bf (trusted)" \
    "verify --trust prints the signer's fingerprint"

# Its format-1 predecessor (the seed archive until issue 12's format 2) keeps verifying
# through the same command: format 1 is read as it was written (docs/archive.md).
F1="$ROOT/tests/data/archive/archive_2019_format1.yjar"
expect_status 0 "the format-1 seed archive still verifies" "$YINGJI" verify "$F1"
contains out.txt "4 table(s) identical" "every table of the format-1 archive is identical"
contains out.txt "unsigned" "a format-1 archive is reported unsigned"
expect_status 5 "a format-1 archive under --trust fails: it has no signature" \
    "$YINGJI" verify --trust "$ROOT/tests/data/archive/seed_test.pub" "$F1"
contains out.txt "unsigned (format 1" "… and says why"
check "verifying does not change the archive file" test "$(sha256sum "$A" | cut -d' ' -f1)" = "$before"
check "verifying leaves no journal beside it" test ! -e "$A-journal" -a ! -e "$A-wal"

sqlite3 "$A" "SELECT json FROM yj_archive_tables WHERE name = 'scores'" >scores.json
contains scores.json '["S01","城东街道",102,"优秀",false,null,1]' "the frozen 2019 ranking starts with S01 at 102"
contains scores.json '["T03","白沙镇",74.77,"不合格",true,"重大事故：SG2019-009",11]' "the frozen 2019 veto of T03"
check "the snapshot holds nothing of 2020" test "$(sqlite3 "$A" "SELECT count(*) FROM accidents WHERE occurred_at >= '2020'")" = 0

# The scripts of today (scripts/lib changes too) on the archived data give the archived
# results: verify re-runs the frozen sources, this runs the current ones. Today's output
# has one table the 2019 archive predates, `evaluation` (scheme, year, as-of date; issue
# 15): it must say 2019 as of 2020-01-20, and every other table is the archived one.
cp "$A" snapshot.yjar
"$YINGJI" --db snapshot.yjar run "$ROOT/scripts/scoring_2019.lua" --set year=2019 --as-of 2020-01-20 \
    --format json >now.json 2>err.txt
sqlite3 snapshot.yjar "SELECT value FROM yj_archive WHERE key = 'results_json'" >frozen.json
check "today's scoring_2019.lua and library on the archived data give the archived results" \
    python3 -c 'import json, sys
now, frozen = json.load(open("now.json")), json.load(open("frozen.json"))
ev, fev = now.pop("evaluation", None), frozen.pop("evaluation", None)
want = [{"scheme": "2019年度安全生产目标管理责任制考核", "year": 2019, "as_of": "2020-01-20"}]
sys.exit(ev != want or fev != want or now != frozen)'

# Today's database: the whole seed city, 2020 and its corrections included.
(cd "$ROOT" && YINGJI_DB="$TMP/today.db" sh seeds/demo.sh "$YINGJI") >/dev/null 2>&1
expect_status 0 "2020 data and the 2020 corrections change nothing of 2019" "$YINGJI" verify "$A" --db today.db
contains out.txt "identical on today's data" "verify --db says so"

# A late correction to a 2019 record: the archive still proves the original result,
# and verify --db shows exactly what the correction would change.
cp today.db corrected.db
sqlite3 corrected.db "UPDATE accidents SET report_status = 'normal' WHERE id = 'SG2019-018'"
expect_status 0 "the archive still verifies after a 2019 correction" "$YINGJI" verify "$A"
expect_status 5 "verify --db reports the corrected 2019 result" "$YINGJI" verify "$A" --db corrected.db
contains out.txt '- row 6: ["T06","黄桥镇",95,"优秀",false,null,6]' "the archived T06 row"
contains out.txt '+ row 4: ["T06","黄桥镇",100,"优秀",false,null,4]' "T06 after the correction"
contains out.txt 'scores T06: score 95 → 100; rank 6 → 4' "the changed row, keyed by unit, by column name"
contains out.txt 'scores T01: rank 4 → 5' "a row that only moved shows its rank"
contains out.txt 'items T06 B4: points 5 → 10' "items are keyed by unit and item (the unit alone repeats)"

cp "$A" tampered.yjar
sqlite3 tampered.yjar "UPDATE accidents SET deaths = 0 WHERE id = 'SG2019-009'"
expect_status 5 "a tampered copy of the seed archive fails" "$YINGJI" verify tampered.yjar
