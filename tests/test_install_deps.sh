#!/usr/bin/env bash
# tools/install-deps.sh (the first step of `make check`) with stand-ins for
# dpkg-query, id and apt-get on PATH:
#   - everything installed: exit 0, nothing printed, apt-get not called;
#   - a package missing, not root: exit 1, the package named on stderr,
#     apt-get not called;
#   - a package missing, root: apt-get install called with that package.
#   usage: test_install_deps.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$tmp/bin"
# dpkg-query -W -f=... PKG: "installed" unless PKG is listed in $MISSING.
cat >"$tmp/bin/dpkg-query" <<'EOF'
#!/bin/sh
for a in "$@"; do pkg=$a; done
case " $MISSING " in
*" $pkg "*) echo "dpkg-query: no packages found matching $pkg" >&2; exit 1 ;;
esac
printf 'install ok installed'
EOF
cat >"$tmp/bin/id" <<'EOF'
#!/bin/sh
echo "$FAKE_UID"
EOF
cat >"$tmp/bin/apt-get" <<'EOF'
#!/bin/sh
echo "$*" >>"$APT_LOG"
EOF
chmod +x "$tmp/bin/"*
export APT_LOG=$tmp/apt.log
run() { PATH="$tmp/bin:$PATH" MISSING="$1" FAKE_UID="$2" sh "$src/tools/install-deps.sh" >"$tmp/out" 2>"$tmp/err"; }

: >"$APT_LOG"
run "" 1000 || fail "all installed: exit $?"
[ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] || fail "all installed: printed something"
[ ! -s "$APT_LOG" ] || fail "all installed: apt-get called"

rc=0
run "libmcrypt-dev" 1000 || rc=$?
[ $rc -ne 0 ] || fail "missing package as non-root: exit 0"
grep -q "libmcrypt-dev" "$tmp/err" || fail "missing package as non-root: not named on stderr"
[ ! -s "$APT_LOG" ] || fail "missing package as non-root: apt-get called"

rc=0
run "zlib1g-dev libclang-rt-14-dev" 1000 || rc=$?
[ $rc -ne 0 ] || fail "two missing packages: exit 0"
grep -q "zlib1g-dev" "$tmp/err" && grep -q "libclang-rt-14-dev" "$tmp/err" || fail "two missing packages: not both named"

run "libmcrypt-dev" 0 || fail "missing package as root: exit $?"
grep -q "install.*libmcrypt-dev" "$APT_LOG" || fail "missing package as root: apt-get install not called with it"

echo "install-deps: all present, missing as user, missing as root: ok"
