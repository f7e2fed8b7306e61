#!/usr/bin/env bash
# Every rscp-bridge command against a real mosquitto broker and a simulated
# plant: tests/bridge_commands_check.py sends each command's good and bad
# payloads and reads the plant back with the rscp tool (the bridge's own
# commands: what it publishes and writes to its log).
# Usage: test_bridge_commands.sh BUILD_DIR SOURCE_DIR
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

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
# A morning in April: the battery neither full nor empty, PV above the house.
start_sim plant --model s10e --start 2025-04-14T09:00:00Z --seed 11
export RSCP_PORT=$PORT
bridge_site_conf "$TMP/bridge.conf" "$PORT"
bridge_start "$TMP/bridge.conf"
bridge_check_online
if python3 "$SRC/tests/bridge_commands_check.py" "$RSCP" "$BPORT" e3dc "$TMP/bridge.log"; then ok; else bad "bridge_commands_check.py (above)"; tail -20 "$TMP/bridge.log" >&2; fi
check "no secret in the bridge's log" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log'"
summary
