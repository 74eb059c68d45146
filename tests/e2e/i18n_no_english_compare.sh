# i18n_no_english_compare.sh — code that decided by comparing a message with English
# text took the other branch in Chinese, whose messages are translated: a date option's
# reason was said twice ("不是日期（不是日期（应为 YYYY-MM-DD））", cli.c), and
# `info --check` of a file that is not SQLite said something else than in English
# (db_check.c). Needs the zh_CN.UTF-8 locale (make deps).
. "$(dirname "$0")/../lib.sh"
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    skip "language-independent decisions" "no zh_CN.UTF-8 locale (make deps)"; exit 0
fi
zh() { LANG=zh_CN.UTF-8 "$YINGJI" "$@"; }
en() { LANG=C "$YINGJI" "$@"; }
"$YINGJI" --db t.db init >/dev/null || exit 1
echo 'publish("t", { "n" }, { { n = 1 } })' >c.lua
for cmd in run import; do
    case $cmd in run) args="--known-on abc c.lua" opt=known-on ;; import) args="--received abc units u.csv" opt=received ;; esac
    # shellcheck disable=SC2086
    expect_status 1 "zh: $cmd --$opt abc is a usage error" zh --db t.db $cmd $args
    contains err.txt "yingji $cmd：--$opt：“abc”不是日期（应为 YYYY-MM-DD）" "zh: $cmd --$opt: the reason said once, in Chinese"
    # shellcheck disable=SC2086
    expect_status 1 "en: $cmd --$opt abc is a usage error" en --db t.db $cmd $args
    contains err.txt "yingji $cmd: --$opt: 'abc' is not a date (use YYYY-MM-DD)" "en: $cmd --$opt: the reason said once"
done
expect_status 1 "zh: --known-on 2020-02-30" zh --db t.db run --known-on 2020-02-30 c.lua
contains err.txt "“2020-02-30”不是日期（日期不存在）" "zh: another reason as it is"

printf 'id,name\n1,x\n' >notdb.db
expect_status 5 "en: info --check of a CSV file" en --db notdb.db info --check
contains out.txt "notdb.db: cannot read the database: file is not a database" "en: SQLite's words"
expect_status 5 "zh: info --check of a CSV file" zh --db notdb.db info --check
contains out.txt "notdb.db：无法读取数据库：file is not a database" "zh: the same message, in Chinese"
