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
# In sim/, the request handler too: handler.c -> handler_*.c -> reply.c.
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

# Inside the simulator the request handler points down as well: handler.c
# dispatches to the areas (handler_*.c, declared in areas.h), which use the
# reply helpers of reply.h and what is below. No area or reply file
# includes handler.h, reply.[ch] include no area header, and handler.c
# defines no function but sim_handle() (nothing an area could call back).
areas=0
for f in sim/handler_*.c sim/areas.h sim/reply.c sim/reply.h; do
    [ -f "$f" ] || continue
    areas=$((areas + 1))
    grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*"handler\.h"' "$f" &&
        bad "$f includes handler.h: the dispatcher is above the areas and the reply helpers"
done
for f in sim/reply.c sim/reply.h; do
    grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*"areas\.h"' "$f" &&
        bad "$f includes areas.h: the reply helpers are below the areas"
done
[ "$areas" -ge 8 ] || bad "only $areas simulator area and reply files found"
defs=$(grep -E '^[A-Za-z_][A-Za-z0-9_ *]*\(' sim/handler.c | grep -Ev '^static ' | grep -Ev '^int sim_handle\(')
[ -z "$defs" ] || bad "sim/handler.c defines functions the areas could call back into: $defs"
grep -q '^int sim_handle(' sim/handler.c || bad "sim/handler.c: sim_handle() not found where expected"

# The check itself must have looked at something.
[ "$checked" -gt 100 ] || bad "only $checked includes checked: the source tree is not where expected"
[ "$fail" -eq 0 ] || exit 1
echo "ok: $checked includes, every one in its layer"
