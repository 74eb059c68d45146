# make_build.sh — the Makefile (issue 11 item 8): warnings are errors only with WERROR=1
# (.ci/run, make dev), not in a plain make; a test binary is rebuilt when a header it
# includes changes (its -MMD dependency file is included); PKGS declares glib, which
# core/ includes directly; make test never runs sudo: it names what is missing and fails.
# Only `make -n` and a target that fails before building: nothing in the tree changes.
. "$(dirname "$0")/../lib.sh"
case "$BUILD" in */san) S=1 B=build/san ;; *) S=0 B=build/rel ;; esac
# A plain make: not the settings of the make that runs this test (CI passes WERROR=1).
mk() { env -u MAKEFLAGS -u MAKEOVERRIDES -u MFLAGS -u WERROR make --no-print-directory -C "$ROOT" SANITIZE=$S "$@"; }

mk -n -W core/db.c "$B/core/db.o" >plain.txt 2>&1
check "a plain make compiles without -Werror" sh -c '! grep -q -- -Werror plain.txt && grep -q -- "-Wall" plain.txt'
mk -n -W core/db.c "$B/core/db.o" WERROR=1 >strict.txt 2>&1
contains strict.txt "-Werror" "WERROR=1 compiles with -Werror"
contains "$ROOT/.ci/run" "make test WERROR=1" "CI builds with WERROR=1"
mk -n dev >dev.txt 2>&1
contains dev.txt "WERROR=1" "make dev builds with WERROR=1"

# Whether BIN would be rebuilt, the library taken as up to date (-o), with ARGS.
rebuilds() { bin=$1; shift; mk -n -o "$B/libyingji.a" "$@" "$B/tests/$bin" 2>&1 | grep -q "tests/unit/$bin.c"; }
if [ -x "$ROOT/$B/tests/test_chart_render" ] && [ -x "$ROOT/$B/tests/test_db" ] &&
   ! rebuilds test_chart_render && ! rebuilds test_db; then
    # the name as the compiler wrote it (tests/unit/../charts/fixtures.h): make's -W
    # matches names, not files
    fx=$(grep -o '[^ ]*charts/fixtures\.h' "$ROOT/$B/tests/test_chart_render.d" 2>/dev/null | head -1)
    check "a changed tests/charts/fixtures.h rebuilds test_chart_render" \
        rebuilds test_chart_render -W "${fx:-tests/charts/fixtures.h}"
    check "a changed core/db.h rebuilds test_db" rebuilds test_db -W core/db.h
    if rebuilds test_db -W core/sha256.h; then not_ok "… and a header it does not include does not"
    else ok "… and a header it does not include does not"; fi
else
    skip "test binary dependencies" "the test binaries are not built and up to date"
fi

pkgs=$(sed -n 's/^PKGS *= *//p' "$ROOT/Makefile")
if grep -q '#include <glib.h>' "$ROOT"/core/*.c; then
    check "PKGS declares glib-2.0, which core/ includes ($pkgs)" sh -c "echo ' $pkgs ' | grep -q ' glib-2.0 '"
fi

# make test with a package missing: a fake sudo on PATH records any call.
mkdir -p fake && chmod 755 . fake
printf '#!/bin/sh\necho "sudo $*" >>"%s/sudo.log"\nexit 1\n' "$TMP" >fake/sudo
chmod 755 fake/sudo
: >sudo.log && chmod 666 sudo.log
as_user=""
if [ "$(id -u)" = 0 ]; then
    command -v runuser >/dev/null 2>&1 && as_user="runuser -u nobody --"
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
    $as_user env PATH="$TMP/fake:$PATH" make --no-print-directory -C "$ROOT" test SANITIZE=$S \
        DEB_PKGS="yingji-no-such-package" >test.txt 2>&1
    st=$?
    check "make test with a package missing fails (exit $st)" test "$st" -ne 0
    contains test.txt "missing Debian packages: yingji-no-such-package" "… and names the package"
    contains test.txt "make deps" "… and how to install it"
    check "… without running sudo" test ! -s sudo.log
    check "… before building or testing anything" sh -c '! grep -q "passed, " test.txt'
else
    skip "make test without sudo" "running as root without runuser"
fi
