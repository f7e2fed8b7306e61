#!/usr/bin/env bash
# The shared library exports exactly the functions declared RSCP_API in
# include/rscp/*.h: nothing internal (rscp__*, rscp_crypto_*, ...), nothing
# without the rscp_ prefix, and no declared function missing.
#   usage: test_exports.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2

lib=$(find "$build" -maxdepth 1 -name 'librscp.so.*.*.*' | head -n 1)
[ -n "$lib" ] || { echo "FAIL: no librscp.so.X.Y.Z in $build" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols (functions and data), without versioned duplicates.
nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u >"$tmp/exported"
# Declared: "RSCP_API <type> name(" possibly with '*' before the name.
grep -hv '^#define RSCP_API' "$src"/include/rscp/*.h | tr '\n' ' ' | grep -o 'RSCP_API [^;(]*(' |
    sed 's/($//; s/.*[ *]//' | sort -u >"$tmp/declared"

status=0
if grep -v '^rscp_' "$tmp/exported" >"$tmp/foreign"; then
    echo "FAIL: exported without the rscp_ prefix:" >&2
    sed 's/^/  /' "$tmp/foreign" >&2
    status=1
fi
comm -23 "$tmp/exported" "$tmp/declared" >"$tmp/extra"
if [ -s "$tmp/extra" ]; then
    echo "FAIL: exported but not declared RSCP_API in include/rscp/:" >&2
    sed 's/^/  /' "$tmp/extra" >&2
    status=1
fi
comm -13 "$tmp/exported" "$tmp/declared" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
    echo "FAIL: declared RSCP_API but not exported:" >&2
    sed 's/^/  /' "$tmp/missing" >&2
    status=1
fi
[ $status -eq 0 ] && echo "$(wc -l <"$tmp/exported") exported symbols, all declared RSCP_API: ok"
exit $status
