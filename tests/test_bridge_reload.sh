#!/usr/bin/env bash
# rscp-bridge's SIGHUP reload against three simulators and a real mosquitto
# broker. Checked: a command published just before the reload gets exactly
# one result and takes effect; a reload that adds site c and changes site
# b's interval leaves site a's connection alone (its simulator counts one
# connection over the whole run), reconnects b (two) and brings c online;
# a reload that removes b turns e3dc/b/status offline, makes no further
# connection to b's simulator, and keeps a and c online; a configuration
# with a mistake is refused on reload (logged with its line) and the
# running sites go on. The simulators' own "stopped after N connections"
# lines are the witnesses.
# Usage: test_bridge_reload.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"

need_tools mosquitto mosquitto_sub mosquitto_pub python3
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

BPORT=$(sh "$SRC/tests/broker.sh" start "$TMP/broker") || exit 1
stop_all() { sh "$SRC/tests/broker.sh" stop "$TMP/broker"; cleanup; }
trap stop_all EXIT

get() { mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "$1" -C 1 -W "${2:-10}" 2>/dev/null; }
# Wait until topic $1 reads $2 (retained or new), up to about 15 s.
wait_for() {
    for _ in $(seq 30); do
        [ "$(get "$1" 1)" = "$2" ] && return 0
        sleep 0.4
    done
    return 1
}
# The connections simulator $1 counted, from its line when stopped (after
# stop_sim, in this shell: a subshell cannot wait for it).
connections() {
    sed -n 's/^rscp sim: stopped after \([0-9]*\) connections.*/\1/p' "$TMP/sim-$1.log"
}

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
start_sim a --model s10e --start 2025-06-14T10:00:00Z --seed 1
PA=$PORT
start_sim b --model s10e --start 2025-06-14T10:00:00Z --seed 2
PB=$PORT
start_sim c --model s10mini --start 2025-06-14T10:00:00Z --seed 3
PC=$PORT

site() { # name port interval
    printf '[site %s]\nhost = 127.0.0.1\nport = %s\nuser = sim-user\npassword = sim-password\nkey = sim-key\ninterval = %s\n' "$1" "$2" "$3"
}
conf() { # the sites' lines follow on stdin
    { printf '[mqtt]\nhost = 127.0.0.1\nport = %s\nmax_age = 60\n' "$BPORT"; cat; } >"$TMP/bridge.conf"
    chmod 600 "$TMP/bridge.conf"
}
{ site a "$PA" 1; site b "$PB" 1; } | conf

"$BRIDGE" --config "$TMP/bridge.conf" >"$TMP/bridge.log" 2>&1 &
BRIDGE_PID=$!
SIM_PIDS+=("$BRIDGE_PID")
check "a online" wait_for e3dc/a/status online
check "b online" wait_for e3dc/b/status online

# A command in flight across a reload: published, then SIGHUP at once.
mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t e3dc/a/set/power_mode/result -C 2 -W 8 >"$TMP/results" 2>/dev/null &
SUB=$!
sleep 0.3
{ site a "$PA" 1; site b "$PB" 2; site c "$PC" 1; } | conf
mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t e3dc/a/set/power_mode -m "charge:1500:20"
kill -HUP "$BRIDGE_PID"
wait "$SUB"
check "the command published just before SIGHUP got exactly one result" test "$(grep -c . "$TMP/results")" -eq 1
check "... and it is ok" grep -q '"ok": *true' "$TMP/results"
check "c online after the reload" wait_for e3dc/c/status online
check "the hold of a is on after the reload (ems/set_power/mode charge)" wait_for e3dc/a/ems/set_power/mode charge
check "a online" wait_for e3dc/a/status online
check "b online after its change" wait_for e3dc/b/status online

# Remove b.
{ site a "$PA" 1; site c "$PC" 1; } | conf
kill -HUP "$BRIDGE_PID"
check "b offline after it left the configuration" wait_for e3dc/b/status offline
sleep 3 # several cycles: b must not be polled again
check "a still online" wait_for e3dc/a/status online
check "c still online" wait_for e3dc/c/status online

# A broken configuration: refused, the sites go on.
printf '[site a]\nhots = 127.0.0.1\n' | conf
kill -HUP "$BRIDGE_PID"
sleep 2
check "a broken configuration on reload is logged with its line" grep -q "bridge.conf:[0-9]*.*hots" "$TMP/bridge.log"
check "the bridge still runs" kill -0 "$BRIDGE_PID"
check "a still online after the refused reload" wait_for e3dc/a/status online
check "c still online after the refused reload" wait_for e3dc/c/status online

kill -TERM "$BRIDGE_PID"
wait "$BRIDGE_PID" 2>/dev/null
stop_sim a
stop_sim b
stop_sim c
NA=$(connections a)
NB=$(connections b)
NC=$(connections c)
check "a was connected once over all reloads (got ${NA:-?})" test "${NA:-0}" -eq 1
check "b was connected twice: at start and after its change (got ${NB:-?})" test "${NB:-0}" -eq 2
check "c was connected once (got ${NC:-?})" test "${NC:-0}" -eq 1
check "no secret in the bridge's log" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log'"
[ "$fail" -eq 0 ] || tail -n 30 "$TMP/bridge.log" >&2
summary
