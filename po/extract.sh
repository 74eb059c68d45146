#!/bin/sh
# extract.sh — writes the message template (po/yingji.pot, or the file named) from the
# C sources with xgettext. The messages are the literals marked _() / N_() and the format
# argument of the message funnels, which translate it themselves (a call needs no
# marking): listed here with the argument's position, and --flag so that xgettext checks
# them as printf formats. A new funnel is added here and in po/README.
# Usage: sh po/extract.sh OUT.pot   (run from anywhere)
set -eu
out=${1:?usage: extract.sh OUT.pot}
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
cd "$(dirname "$0")/.."
funnels="cli_usage_error:2 imp_error:4 imp_warning:4 imp_row_error:3 yj_script_fail:2 archive_msgf:1"
common="-k --keyword=_ --keyword=N_"
for f in $funnels; do
    common="$common --keyword=$f --flag=$f:pass-c-format"
done
# The whole tree with the funnels every file shares; then the files with funnels of their
# own, whose names other files use for other things (db_check.c's say,
# the workbook readers' fail).
files=$(ls core/*.c util/*.c charts/*.c | LC_ALL=C sort)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2086
xgettext -o "$tmp" --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
    --package-name=yingji --package-version=0.1 --msgid-bugs-address=yingji --no-wrap --add-location=file --sort-by-file \
    $common $files
sed -i 's/charset=CHARSET/charset=UTF-8/' "$tmp"
x() {  # keywords, files...
    kw=$1; shift
    # shellcheck disable=SC2086
    xgettext -j -o "$tmp" --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
        --no-wrap --add-location=file --sort-by-file -k $kw "$@"
}
x "--keyword=say:2 --flag=say:2:c-format" core/db_check.c
x "--keyword=fail:3 --flag=fail:3:c-format --keyword=xml_fail:2 --flag=xml_fail:2:c-format --keyword=cell_fail:5 --flag=cell_fail:5:c-format" core/imp_xlsx.c
x "--keyword=fail:3" core/imp_xls.c
# no creation date: the template changes only when a message does
sed -e '/^"POT-Creation-Date:/d' -e 's/PACKAGE VERSION/yingji/' \
    -e '1,4c\\
# The messages of yingji, for translators: written by po/extract.sh (po/README).' "$tmp" > "$out"
