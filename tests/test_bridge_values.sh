#!/usr/bin/env bash
# rscp-bridge's published values against the simulated plant they come from:
# a simulator run almost frozen (--speed 0.001: a millisecond of plant time
# per second), a real mosquitto broker, the bridge with one site (prefix
# e3dc) and /metrics. tests/bridge_values_check.py takes every retained
# topic under e3dc/# and homeassistant/# and the /metrics text, reads the
# plant with the rscp tool's JSON and compares value by value, in the units
# of docs/bridge-topics.md (which the discovery configs must announce too).
# Before the bridge starts, the plant's settings are moved away from their
# defaults (power limits, weather regulation, power save, reserve, an idle
# period, the wallbox's mode, current and phases) so that a topic showing a
# default, or another setting's value, does not pass.
# Usage: test_bridge_values.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"
. "$SRC/tests/bridge_lib.sh"

bridge_need

bridge_broker_start
MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
# An April morning with seed 11: PV, a car charging in mixed mode (from the
# grid too), the battery charging at its limit, neither full nor empty.
start_sim plant --model s10e --start 2025-04-13T07:20:00Z --seed 11 --speed 0.001
export RSCP_PORT=$PORT

cat >"$TMP/idle.json" <<'JSON'
{"enabled": true, "periods": [
 {"type": "charge", "day": "wednesday", "active": true, "start": "01:30", "end": "05:45"},
 {"type": "discharge", "day": "saturday", "active": true, "start": "18:15", "end": "22:00"}]}
JSON
check "set limits" "$RSCP" set limits --charge 1500 --discharge 2500 --discharge-start 120 >/dev/null
check "set weather on" "$RSCP" set weather on >/dev/null
check "set powersave on" "$RSCP" set powersave on >/dev/null
check "set reserve 15%" "$RSCP" set reserve 15% >/dev/null
check "set idle-periods" "$RSCP" set idle-periods "$TMP/idle.json" >/dev/null
check "wallbox set mixed, 12 A, 1 phase" "$RSCP" wallbox set --mode mixed --current 12 --phases 1 >/dev/null

bridge_site_conf "$TMP/bridge.conf" "$PORT" "[prometheus]
listen = 127.0.0.1:$MPORT"
bridge_start "$TMP/bridge.conf"

if python3 "$SRC/tests/bridge_values_check.py" "$RSCP" "$BPORT" "$MPORT" e3dc main "$SRC/docs/bridge-topics.md"; then ok
else bad "bridge_values_check.py (above)"; tail -20 "$TMP/bridge.log" >&2; fi
summary
