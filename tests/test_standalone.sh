#!/usr/bin/env bash
# The repository stands on its own: a user's clone has nothing beside it.
#  1. No tracked file refers to a place outside the repository: a folder
#     beside the checkout (../something from the source root), the source
#     root's parent in CMake or a script, or an absolute path of the machine
#     the project was written on.
#  2. The tests that read fixtures pass when the source tree they read is a
#     copy of the tracked files alone, in an otherwise empty directory: a
#     fixture that is untracked, or found only beside the checkout, fails.
# Usage: bash test_standalone.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "${1:?build dir}" && pwd)
SRC=$(cd "${2:?source dir}" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# ---- the tracked files (or, outside a git checkout, every file)
if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$SRC" ls-files -z >"$TMP/files"
    how="tracked files"
else
    (cd "$SRC" && find . -path ./build -prune -o -type f -print0) >"$TMP/files"
    how="files (not a git checkout)"
fi
[ -s "$TMP/files" ] || { echo "FAIL: no files listed in $SRC" >&2; exit 1; }

# ---- 1. references to outside places
# The patterns are assembled so that this file does not match itself.
dots='\.\.'
patterns=(
    "$dots/(shared|compat|bench|rscp)/"       # a folder beside the checkout
    "RSCP_SHARED"                             # the old variable for it
    "(SOURCE_DIR\}?|\\\$SRC|\\\$\\{SRC\\})/$dots(/|\"|\$)" # the source root's parent
    "(^|[^A-Za-z0-9_.~-])/(work|home|root)/[A-Za-z0-9_.-]+/" # absolute paths of a machine
                                              # (not an MQTT topic's e3dc/home/...)
)
self=tests/test_standalone.sh
for pat in "${patterns[@]}"; do
    hits=$(cd "$SRC" && tr '\0' '\n' <"$TMP/files" | grep -v -E "^(fuzz/corpus/|$self\$)" |
           tr '\n' '\0' | xargs -0 grep -I -n -E -- "$pat" 2>/dev/null)
    if [ -n "$hits" ]; then
        bad "a tracked file refers to a place outside the repository (pattern $pat):"
        printf '%s\n' "$hits" | head -n 10 >&2
    fi
done

# ---- 2. the fixture tests against a copy of the tracked files only
copy="$TMP/empty/clone"
mkdir -p "$copy"
(cd "$SRC" && xargs -0 cp --parents -t "$copy" <"$TMP/files") || bad "cannot copy the $how"
for t in test_cipher test_reader test_values test_dump_errors test_vectors; do
    exe="$BUILD/tests/$t"
    [ -x "$exe" ] || { bad "$exe not built"; continue; }
    if ! (cd "$TMP/empty" && RSCP_SOURCE_DIR="$copy" "$exe" >"$TMP/out" 2>&1); then
        bad "$t fails with only the $how as its source tree:"
        tail -n 5 "$TMP/out" >&2
    fi
done
if ! (cd "$TMP/empty" && bash "$copy/tests/test_cli_offline.sh" "$BUILD" "$copy" >"$TMP/out" 2>&1); then
    bad "test_cli_offline fails with only the $how as its source tree:"
    tail -n 5 "$TMP/out" >&2
fi
# The benchmark reads its workloads from bench/data: every file it opens
# there is among the tracked files.
names=$(cd "$SRC" && grep -h -o -E 'bench_read_file\([^,]+, *"[^"]+"' bench/*.c | sed -E 's/.*"([^"]+)"/\1/' | sort -u)
[ -n "$names" ] || bad "no bench_read_file() calls found in bench/*.c"
for n in $names; do
    [ -f "$copy/bench/data/$n" ] || bad "the benchmark reads bench/data/$n, which is not among the $how"
done

[ "$fail" -eq 0 ] || { echo "test_standalone: $fail failure(s)" >&2; exit 1; }
echo "test_standalone: the $how refer to nothing outside the repository; fixture tests pass on a copy of them"
