#!/usr/bin/env bash
# rscp-bridge's documentation keeps up with the program: every option of
# --help is in rscp-bridge(1), every configuration key the
# parser knows is in the man page, bad usage exits 2 with a message, and
# --shard 1/2 and 2/2 over one configuration take every site exactly once.
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
# --shard K/N: two instances over one configuration take every site once.
CONF=$(mktemp)
chmod 600 "$CONF"
printf '[prometheus]\nlisten = 127.0.0.1:9\n' >"$CONF"
for i in $(seq 1 40); do
    printf '[site s%02d]\nhost = 127.0.0.1\nuser = u\npassword = p\nkey = k\n' "$i" >>"$CONF"
done
"$BUILD/rscp-bridge" --config "$CONF" --check-config --shard 1/2 | sed -n 's/^site \([a-z0-9]*\):.*/\1/p' | sort >"$CONF.1"
"$BUILD/rscp-bridge" --config "$CONF" --check-config --shard 2/2 | sed -n 's/^site \([a-z0-9]*\):.*/\1/p' | sort >"$CONF.2"
n1=$(wc -l <"$CONF.1"); n2=$(wc -l <"$CONF.2")
both=$(comm -12 "$CONF.1" "$CONF.2" | wc -l)
all=$(sort -u "$CONF.1" "$CONF.2" | wc -l)
if [ "$all" -eq 40 ] && [ "$both" -eq 0 ] && [ "$n1" -gt 5 ] && [ "$n2" -gt 5 ]; then ok; else bad "--shard 1/2 ($n1) and 2/2 ($n2): $all sites of 40, $both in both"; fi
rm -f "$CONF" "$CONF.1" "$CONF.2"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
