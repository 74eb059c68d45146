# i18n_complete.sh — every message of the sources has a Chinese translation (issue 17):
# xgettext over the sources (po/extract.sh) into a fresh template, and po/zh_CN.po covers
# every msgid of it, none fuzzy or empty; the catalog compiles with msgfmt -c (format
# strings agree with the English), and the build installed it where yingji finds it.
. "$(dirname "$0")/../lib.sh"

if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgcmp >/dev/null 2>&1; then
    skip "translations complete" "xgettext/msgcmp missing (install gettext: make deps)"
    exit 0
fi
po=$ROOT/po/zh_CN.po
check "po/extract.sh writes the template" sh "$ROOT/po/extract.sh" "$TMP/new.pot"
if msgcmp "$po" "$TMP/new.pot" >cmp.txt 2>&1; then
    ok "po/zh_CN.po translates every message of the sources"
else
    not_ok "po/zh_CN.po lacks translations (add them: po/README)"
    grep 'msgid\|this message' cmp.txt | head -20 | sed 's/^/    /'
fi
msgfmt --statistics -o /dev/null "$po" >stats.txt 2>&1
check "no fuzzy or untranslated entry" sh -c '! grep -q "fuzzy\|untranslated" stats.txt'
check "zh_CN.po compiles with msgfmt -c (formats agree)" msgfmt -c -o /dev/null "$po"
# the template in the tree is the sources' (make pot)
msgcmp --use-untranslated "$TMP/new.pot" "$ROOT/po/yingji.pot" >/dev/null 2>&1 &&
msgcmp --use-untranslated "$ROOT/po/yingji.pot" "$TMP/new.pot" >/dev/null 2>&1
case $? in 0) ok "po/yingji.pot is up to date" ;;
*) not_ok "po/yingji.pot is not the sources' messages: run make pot" ;; esac
check "the build compiled the catalog" test -s "$BUILD/locale/zh_CN/LC_MESSAGES/yingji.mo"

# the check itself fails on a message without a translation
mkdir -p tree/po tree/core tree/util tree/charts
cp "$ROOT/po/extract.sh" tree/po/
printf '#include "i18n.h"\nconst char *f(void) { return _("a message nobody translated"); }\n' > tree/core/x.c
touch tree/util/x.c tree/charts/x.c tree/core/db_check.c tree/core/archive.c tree/core/imp_xlsx.c tree/core/imp_xls.c
sh tree/po/extract.sh "$TMP/x.pot"
contains "$TMP/x.pot" 'msgid "a message nobody translated"' "the template has the new message"
check "a new untranslated message makes msgcmp fail" sh -c "! msgcmp '$po' '$TMP/x.pot' >/dev/null 2>&1"
