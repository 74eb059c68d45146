# i18n_verify_rows.sh — verify's keyed row lines (table_diff.c, shared with compare) in
# Chinese under LANG=zh_CN.UTF-8 like the lines around them: a row only on one side said
# "only in the re-run" in English amid the Chinese report. Needs the zh_CN.UTF-8 locale
# (make deps).
. "$(dirname "$0")/../lib.sh"
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    skip "verify rows in Chinese" "no zh_CN.UTF-8 locale (make deps)"; exit 0
fi
zh() { LANG=zh_CN.UTF-8 "$YINGJI" "$@"; }
"$YINGJI" --db t.db init >/dev/null || exit 1
printf 'code,name,kind,aliases\nT01,甲镇,township,\nT02,乙镇,township,\n' >u.csv
printf 'code,name,kind,aliases\nT02,乙新镇,township,\nT03,丙镇,township,\n' >u2.csv
"$YINGJI" --db t.db import --received 2020-01-01 units u.csv >/dev/null || exit 1
cat >c.lua <<'X'
publish("t", { "code", "name" }, sql.query("SELECT code, name FROM units ORDER BY code"))
X
"$YINGJI" --db t.db archive -o a.yjar c.lua --as-of 2020-12-31 >/dev/null 2>&1 || not_ok "archive"
"$YINGJI" --db t.db import --received 2020-06-01 units u2.csv >/dev/null || exit 1
expect_status 5 "zh: verify against today's data differs" zh verify --db t.db a.yjar
contains out.txt "  t T02: name 乙镇 → 乙新镇" "zh: the changed row"
contains out.txt "  t T03: 仅见于重新运行结果" "zh: a row only in the re-run, in Chinese"
check "zh: no English left in the row lines" sh -c '! grep -q "only in" out.txt'
expect_status 5 "en: the same in English" "$YINGJI" verify --db t.db a.yjar
contains out.txt "  t T03: only in the re-run" "en: a row only in the re-run"

