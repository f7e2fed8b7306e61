#!/usr/bin/env bash
# `rscp sim` as a program: help and usage errors, then a simulator on a free
# port queried by `rscp live` and `rscp get`, stopped by SIGTERM.
# Usage: test_sim_cli.sh BUILD_DIR SOURCE_DIR
set -u
B="$1/rscp"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$1"; fi; }

[ -x "$B" ] || { echo "no rscp binary at $B" >&2; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$B" sim --help >"$tmp/help" 2>"$tmp/help.err"; rc=$?
check '[ $rc -eq 0 ] && grep -q -- "--pm-index" "$tmp/help" && [ ! -s "$tmp/help.err" ]'
check 'grep -q -- "--model NAME" "$tmp/help" && grep -q "s10mini" "$tmp/help"'
for args in "--bogus" "--port" "--port 70000" "--speed 0" "--batteries 9" "--start yesterday" "stray" "--reset=1" \
    "--model s11" "--model"; do
    # shellcheck disable=SC2086
    "$B" sim $args >"$tmp/out" 2>"$tmp/err"; rc=$?
    check '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "rscp sim" "$tmp/err"'
done

# Secrets from the environment; never printed.
export RSCP_USER=cli-user RSCP_PASSWORD=cli-secret-pw RSCP_KEY=cli-secret-key
"$B" sim --port 0 --seed 5 --speed 120 --start 2024-06-21T12:00 --pm-index 6 >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
for _ in $(seq 50); do grep -q "listening on" "$tmp/sim.out" 2>/dev/null && break; sleep 0.1; done
check 'grep -Eq "^listening on 127\.0\.0\.1:[0-9]+$" "$tmp/sim.out"'
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/sim.out")
export RSCP_HOST=127.0.0.1 RSCP_PORT="$port"

"$B" live --json >"$tmp/live.json" 2>"$tmp/live.err"; rc=$?
check '[ $rc -eq 0 ] && grep -q "\"pv\"" "$tmp/live.json"'
if command -v python3 >/dev/null; then
    check 'python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
flat={}
def walk(o):
    if isinstance(o,dict):
        for k,v in o.items():
            flat.setdefault(k,v); walk(v)
walk(d)
assert flat[\"pv\"] > 0, flat
" "$tmp/live.json"'
    # The reading time is simulated time: 2024-06-21 12:00 Berlin is 10:00 UTC
    # and --speed 120 makes an hour of two real minutes at most.
    check 'python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert 1718964000 <= d[\"seconds\"] < 1718964000 + 3600, d
assert d[\"time\"].startswith(\"2024-06-21T10:\"), d
" "$tmp/live.json"'
fi
"$B" live >"$tmp/live.txt" 2>&1; rc=$?
check '[ $rc -eq 0 ] && grep -q "^Reading at 2024-06-21T10:" "$tmp/live.txt"'

"$B" get 'PM.REQ_DATA{PM.INDEX=6,PM.REQ_TYPE}' 'PM.REQ_DATA{PM.INDEX=0,PM.REQ_TYPE}' BAT.REQ_RSOC 0x01000999 \
    >"$tmp/get.txt" 2>&1; rc=$?
check 'grep -q "PM.TYPE .*UINT16 = 1" "$tmp/get.txt"'
check 'grep -q "NOT_AVAILABLE" "$tmp/get.txt"'
check 'grep -q "BAT.RSOC .*FORMAT" "$tmp/get.txt"'
check 'grep -q "UNKNOWN_TAG" "$tmp/get.txt"'
RSCP_PASSWORD=wrong "$B" live >/dev/null 2>&1; rc=$?
check '[ $rc -eq 4 ]'

kill -TERM "$sim_pid"; wait "$sim_pid"; rc=$?; sim_pid=
check '[ $rc -eq 0 ]'
check '! grep -q "cli-secret" "$tmp/sim.out" "$tmp/sim.err"'

# A port in use: exit 3 with a message.
"$B" sim --port 0 >"$tmp/a.out" 2>/dev/null &
sim_pid=$!
for _ in $(seq 50); do grep -q "listening on" "$tmp/a.out" 2>/dev/null && break; sleep 0.1; done
busy=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/a.out")
"$B" sim --port "$busy" >/dev/null 2>"$tmp/b.err"; rc=$?
check '[ $rc -eq 3 ] && grep -q "cannot listen" "$tmp/b.err"'
kill -INT "$sim_pid"; wait "$sim_pid"; rc=$?; sim_pid=
check '[ $rc -eq 0 ]'

# --model: the S10 mini's root meter answers at 6, no meter at 0, no wallbox
# (and -p, the short --port of the help)
"$B" sim -p 0 --model s10mini --start 2024-06-21T12:00 >"$tmp/m.out" 2>"$tmp/m.err" &
sim_pid=$!
for _ in $(seq 50); do grep -q "listening on" "$tmp/m.out" 2>/dev/null && break; sleep 0.1; done
mport=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/m.out")
RSCP_PORT="$mport" "$B" get 'PM.REQ_DATA{PM.INDEX=6,PM.REQ_TYPE}' 'PM.REQ_DATA{PM.INDEX=0,PM.REQ_TYPE}' \
    'WB.REQ_DATA{WB.INDEX=0,WB.REQ_DEVICE_STATE}' >"$tmp/mget.txt" 2>&1; rc=$?
check 'grep -q "PM.TYPE .*UINT16 = 1" "$tmp/mget.txt"'
check '[ "$(grep -c NOT_AVAILABLE "$tmp/mget.txt")" -eq 2 ]'
kill -INT "$sim_pid"; wait "$sim_pid"; rc=$?; sim_pid=
check '[ $rc -eq 0 ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
