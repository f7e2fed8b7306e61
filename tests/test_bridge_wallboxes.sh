#!/usr/bin/env bash
# rscp-bridge's per-wallbox commands (set/wallbox/<n>/...) against a real
# mosquitto broker and a simulated plant with two wallboxes (rscp sim
# --wallboxes 2): tests/bridge_wallboxes_check.py commands each wallbox and
# reads the plant back with the rscp tool. Also: the simulator's option
# and its bounds.
# Usage: test_bridge_wallboxes.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"
. "$SRC/tests/bridge_lib.sh"

bridge_need

expect_rc 2 "rscp sim --wallboxes 9 is refused" "$RSCP" sim --wallboxes 9
errhas "invalid number of wallboxes (1..8) '9'"
expect_rc 2 "rscp sim --wallboxes 0 is refused" "$RSCP" sim --wallboxes 0
check "rscp sim --help names --wallboxes" bash -c "'$RSCP' sim --help | grep -q -- '--wallboxes N'"

bridge_broker_start

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
start_sim plant --model s10e --wallboxes 2 --start 2025-04-14T09:00:00Z --seed 11
export RSCP_PORT=$PORT
bridge_site_conf "$TMP/bridge.conf" "$PORT"
bridge_start "$TMP/bridge.conf"
bridge_check_online
if python3 "$SRC/tests/bridge_wallboxes_check.py" "$RSCP" "$BPORT" e3dc; then ok; else bad "bridge_wallboxes_check.py (above)"; tail -20 "$TMP/bridge.log" >&2; fi
check "the log names wallbox 2's command" grep -q "set/wallbox/2/max_current done" "$TMP/bridge.log"
check "no secret in the bridge's log" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log'"
summary
