# i18n_golden.sh — the main messages in both languages (issue 17): LANG=C English,
# LANG=zh_CN.UTF-8 Chinese, byte for byte: usage errors, an unknown command with its
# suggestion, import cell errors with their position and the column's Chinese title, the
# rejects file in Chinese (its error column Chinese, its data as given) re-imported after
# the fix, a verify failure, info, help. The Chinese checks need the zh_CN.UTF-8 locale
# (make deps generates it); without it they are skipped, saying so.
. "$(dirname "$0")/../lib.sh"

en() { LANG=C "$YINGJI" "$@"; }
zh() { LANG=zh_CN.UTF-8 "$YINGJI" "$@"; }
# golden FILE DESCRIPTION: FILE is exactly the text on standard input
golden() {
    cat >want.txt
    if cmp -s want.txt "$1"; then ok "$2"; else
        not_ok "$2"; diff want.txt "$1" | head -10 | sed 's/^/    /'; fi
}
have_zh=1
locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8' || have_zh=0

# --- English (the source's messages)
expect_status 1 "en: an unknown command is a usage error" en improt
golden err.txt "en: unknown command, with the suggestion" <<'T'
yingji: unknown command 'improt' (did you mean 'import'?)
T
expect_status 1 "en: a bad --on-error value is a usage error" en import --on-error maybe accidents a.csv
golden err.txt "en: the usage error names the value" <<'T'
yingji import: --on-error takes abort or skip, not 'maybe'
T

"$YINGJI" --db t.db init >/dev/null || exit 1
printf 'code,name,kind\nT01,甲镇,乡镇\n' >units.csv
"$YINGJI" --db t.db import units units.csv >/dev/null || exit 1
cat >acc.csv <<'T'
事故编号,发生时间,属地,行业领域,死亡人数
A1,2020-03-01,T01,road,1
A2,2020-03-02,T01,road,-1
A3,2020-13-40,T01,道路运输,0
T
expect_status 2 "en: a file with bad cells is rejected" en --db t.db import accidents acc.csv
golden err.txt "en: the cell errors name FILE:LINE:COL and the column" <<'T'
acc.csv:3:5: deaths: must not be negative (got '-1')
acc.csv:4:2: occurred_at: no such date (got '2020-13-40')
acc.csv: rejected (2 errors), nothing imported
T

if [ "$have_zh" = 0 ]; then
    skip "Chinese messages" "the zh_CN.UTF-8 locale is not installed (make deps generates it)"
    exit 0
fi

# --- Chinese
expect_status 1 "zh: an unknown command is a usage error" zh improt
golden err.txt "zh: unknown command, with the suggestion" <<'T'
yingji：未知命令“improt”（是否要用“import”？）
T
expect_status 1 "zh: a bad --on-error value is a usage error" zh import --on-error maybe accidents a.csv
golden err.txt "zh: the usage error names the value" <<'T'
yingji import：--on-error 只能是 abort 或 skip，不能是“maybe”
T
expect_status 1 "zh: a misspelt option is a usage error" zh import --on-eror skip accidents a.csv
golden err.txt "zh: the misspelt option, with the suggestion" <<'T'
yingji import：未知选项“--on-eror”（是否要用 --on-error？）
T
expect_status 1 "zh: a date in the future is a usage error" zh import --received 2099-01-01 accidents a.csv
contains err.txt "yingji import：--received：2099-01-01 是将来的日期（今天是 " "zh: the future date is refused in Chinese"

expect_status 2 "zh: a file with bad cells is rejected" zh --db t.db import accidents acc.csv
golden err.txt "zh: the cell errors give line and column, and the column's Chinese title" <<'T'
acc.csv 第3行第5列 死亡人数：不能为负数（实际为“-1”）
acc.csv 第4行第2列 发生时间：日期不存在（实际为“2020-13-40”）
acc.csv：已拒绝（2 个错误），未导入任何数据
T

expect_status 2 "zh: a missing file is rejected" zh --db t.db import accidents nofile.csv
golden err.txt "zh: the file's error, the system's reason in Chinese" <<'T'
nofile.csv：无法打开：没有那个文件或目录
nofile.csv：已拒绝（1 个错误），未导入任何数据
T
expect_status 2 "en: a missing file is rejected" en --db t.db import accidents nofile.csv
golden err.txt "en: the file's error" <<'T'
nofile.csv: cannot open: No such file or directory
nofile.csv: rejected (1 error), nothing imported
T

# the rejects file: the error column in Chinese, the data as given; fixed, it re-imports
expect_status 3 "zh: skip mode imports the good row" zh --db t.db import --on-error skip accidents acc.csv
golden out.txt "zh: the summary names the rejects file" <<'T'
acc.csv：共 3 行：新增 1 行，更新 0 行，未变 0 行，拒绝 2 行（编码 utf-8）；被拒绝的行见 acc.rejects.csv
T
check "zh: the rejects file of a UTF-8 input starts with a BOM (Excel opens it)" \
    test "$(head -c 3 acc.rejects.csv | od -An -tx1 | tr -d ' ')" = efbbbf
tr -d '\r' <acc.rejects.csv | sed '1s/^\xEF\xBB\xBF//' >rej.txt
golden rej.txt "zh: the rejects file: the header and data as given, the reasons in Chinese" <<'T'
事故编号,发生时间,属地,行业领域,死亡人数,error
A2,2020-03-02,T01,road,-1,死亡人数：不能为负数（实际为“-1”）
A3,2020-13-40,T01,道路运输,0,发生时间：日期不存在（实际为“2020-13-40”）
T
sed -e 's/,-1,/,1,/' -e 's/2020-13-40/2020-03-04/' acc.rejects.csv >fixed.csv
expect_status 0 "zh: the fixed rejects file re-imports" zh --db t.db import accidents fixed.csv
contains out.txt "fixed.csv：共 2 行：新增 2 行" "zh: both fixed rows are new"
check "zh: the three accidents are stored" test "$(sqlite3 t.db 'SELECT group_concat(id) FROM accidents')" = "A1,A2,A3"

# a warning, and the count of the others of its kind (quoted values “...” folded)
printf '事故编号,发生时间,属地,行业领域,死亡人数,事故等级\nB1,2020-04-01,T01,road,5,一般\nB2,2020-04-02,T01,road,6,一般\n' >lv.csv
expect_status 0 "zh: a level that contradicts the figures is kept" zh --db t.db import --max-errors 1 accidents lv.csv
golden err.txt "zh: the warning names the level column in Chinese; the second is counted" <<'T'
lv.csv 第2行第6列 警告：事故等级：填报为“一般”，但按伤亡和损失数字应为“较大”（国务院令第493号）；保留“一般”
lv.csv：……另有 1 个警告“事故等级：填报为'...'，但按伤亡和损失数字应为'...'（国务院令第493号）；保留'...'”
T

# verify: a failure in Chinese
printf 'local n = sql.query("SELECT count(*) AS n FROM accidents")[1].n\npublish("t", { "n" }, { { n = n } })\n' >c.lua
"$YINGJI" --db t.db archive -o a.yjar c.lua --as-of 2020-12-31 >/dev/null 2>&1 || not_ok "archive for verify"
expect_status 0 "zh: verify of an intact archive" zh verify a.yjar
contains out.txt "核验通过：c.lua（截至 2020-12-31），1 张表完全一致" "zh: verify says it passed"
sqlite3 a.yjar "UPDATE yj_archive_tables SET json = replace(json, '[5]', '[6]')"
expect_status 5 "zh: verify of a tampered archive fails" zh verify a.yjar
contains out.txt "核验未通过：" "zh: the failure is in Chinese"
expect_status 5 "en: the same failure in English" en verify a.yjar
contains out.txt "verification failed:" "en: the failure is in English"
expect_status 2 "zh: verify of a missing file" zh verify nope.yjar
golden err.txt "zh: the system's reason in Chinese too, in UTF-8" <<'T'
nope.yjar: 没有那个文件或目录
T

# info and help
expect_status 0 "zh: info" zh --db t.db info
contains out.txt "数据集             行数  起始        截止" "zh: info's header, in columns"
contains out.txt "导入记录" "zh: the import log is titled"
expect_status 0 "en: info" en --db t.db info
contains out.txt "dataset            rows  from        to" "en: info's header"
expect_status 0 "zh: help" zh help
contains out.txt "用法：yingji [--db FILE] 命令 [参数...]" "zh: the general usage"
contains out.txt "  import   将 CSV 文件导入数据库" "zh: the commands described"
expect_status 0 "zh: import --help" zh import --help
contains out.txt "将 CSV 文件和 .xlsx 工作簿导入数据集 DATASET" "zh: a command's help"

# the locale's precedence: LC_ALL over LANG, LC_MESSAGES over LANG; an unknown locale is English
LANG=C LC_ALL=zh_CN.UTF-8 "$YINGJI" improt 2>err.txt
contains err.txt "未知命令" "LC_ALL=zh_CN.UTF-8 wins over LANG=C"
LANG=zh_CN.UTF-8 LC_MESSAGES=C "$YINGJI" improt 2>err.txt
contains err.txt "unknown command" "LC_MESSAGES=C keeps English under LANG=zh_CN.UTF-8"
LANG=xx_YY.UTF-8 "$YINGJI" improt 2>err.txt
contains err.txt "unknown command" "a locale that does not exist is English"

# where the catalog is found: an installed layout (PREFIX/bin, PREFIX/share/locale),
# $YINGJI_LOCALEDIR; make install copies it there
mkdir -p inst/bin inst/share/locale/zh_CN/LC_MESSAGES
cp "$YINGJI" inst/bin/yingji
cp "$BUILD/locale/zh_CN/LC_MESSAGES/yingji.mo" inst/share/locale/zh_CN/LC_MESSAGES/
LANG=zh_CN.UTF-8 inst/bin/yingji improt 2>err.txt
contains err.txt "未知命令" "an installed binary finds PREFIX/share/locale"
mkdir -p bare
cp "$YINGJI" bare/yingji
if [ -e /usr/local/share/locale/zh_CN/LC_MESSAGES/yingji.mo ]; then
    skip "a binary without its catalog speaks English" "yingji is installed in /usr/local"
else
    LANG=zh_CN.UTF-8 bare/yingji improt 2>err.txt
    contains err.txt "unknown command" "a binary without its catalog speaks English"
fi
LANG=zh_CN.UTF-8 YINGJI_LOCALEDIR=$TMP/inst/share/locale bare/yingji improt 2>err.txt
contains err.txt "未知命令" "YINGJI_LOCALEDIR names the catalogs' folder"
make -n -C "$ROOT" install DESTDIR="$TMP/d" BUILD="$BUILD" >inst.txt 2>&1
contains inst.txt "share/locale/\$l/LC_MESSAGES/yingji.mo" "make install copies the catalog"
