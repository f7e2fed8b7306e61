#!/usr/bin/env bash
# Layers only point down: every #include "..." of the library and of the
# programs resolves to a directory that the file's layer may use.
#   src/*/   its own directory, src/, include/      (never a program's code)
#   common/  its own directory, include/           (libc and the public API)
#   bridge/  its own directory, include/, common/
#   sim/     its own directory, include/, common/
#   cli/     its own directory, include/, common/, sim/ (the tool embeds
#            the simulator: `rscp sim`)
# No quoted include climbs out with "..": the directories above are the
# include path, not relative walks.
# Usage: bash test_layers.sh BUILD_DIR SOURCE_DIR
set -u
SRC=$(cd "${2:?source dir}" && pwd)
cd "$SRC" || exit 1
fail=0
checked=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# check FILE DIR...: FILE's quoted includes must be found in one of DIRs.
check() {
    local f=$1
    shift
    local h d found
    while IFS= read -r h; do
        checked=$((checked + 1))
        case $h in
        *..*) bad "$f includes \"$h\" (a relative walk out of its directory)"; continue ;;
        esac
        found=
        for d in "$@"; do
            if [ -f "$d/$h" ]; then
                found=$d
                break
            fi
        done
        [ -n "$found" ] || bad "$f includes \"$h\", which is not in its layer's directories ($*)"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
}

for f in src/*/*.[ch]; do check "$f" "$(dirname "$f")" src include; done
for f in common/*.[ch]; do check "$f" common include; done
for f in bridge/*.[ch]; do check "$f" bridge include common; done
for f in sim/*.[ch] sim/*.inc; do [ -f "$f" ] && check "$f" sim include common; done
for f in cli/*.[ch]; do check "$f" cli include common sim; done

# The library's headers never name a program's directory in its build.
grep -n 'common\|/cli\|/bridge' <(sed -n '/add_library(rscp_objects/,/^$/p' CMakeLists.txt) &&
    bad "rscp_objects gets a program directory on its include path"

# The check itself must have looked at something.
[ "$checked" -gt 100 ] || bad "only $checked includes checked: the source tree is not where expected"
[ "$fail" -eq 0 ] || exit 1
echo "ok: $checked includes, every one in its layer"
