#!/usr/bin/env bash
# rscp-bridge's documentation keeps up with the program: every option of
# --help is in rscp-bridge(1) and the README, every configuration key the
# parser knows is in the man page, and bad usage exits 2 with a message.
# Usage: test_bridge_docs.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
[ -x "$BUILD/rscp-bridge" ] || { echo "FAIL: $BUILD/rscp-bridge not built" >&2; exit 1; }
MAN=$SRC/docs/rscp-bridge.1
opts=$("$BUILD/rscp-bridge" --help | grep -o -- '--[a-z0-9-]*' | sort -u)
[ -n "$opts" ] || bad "--help lists no option"
for o in $opts; do
    # the man page writes options as \-\-name
    if grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$MAN"; then ok; else bad "option $o is not in rscp-bridge(1)"; fi
done
for k in $(grep -o '{"[a-z_]*", K_' "$SRC/bridge/config_parse.c" | sed 's/{"\([a-z_]*\)".*/\1/' | sort -u); do
    if grep -q "^$k = \|^$k\b" "$MAN"; then ok; else bad "configuration key $k is not in rscp-bridge(1)"; fi
done
"$BUILD/rscp-bridge" --bogus >/dev/null 2>"$BUILD/bridge-docs.err"
if [ $? -eq 2 ] && grep -q "unknown option: --bogus" "$BUILD/bridge-docs.err"; then ok; else bad "--bogus: exit 2 with a message"; fi
"$BUILD/rscp-bridge" --shard 3/2 >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "--shard 3/2 refused"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
