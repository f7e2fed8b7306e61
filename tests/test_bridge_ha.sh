#!/usr/bin/env bash
# rscp-bridge and Home Assistant discovery against a real mosquitto broker
# (tests/broker.sh) and two simulators:
#   - a retained discovery config cleared by someone comes back when
#     "online" is published on homeassistant/status (rediscovery);
#   - removing a site from the configuration and sending SIGHUP clears
#     every retained discovery config of that site; the other site's stay;
#   - with [homeassistant] prefix set, the configs go under that prefix and
#     rediscovery listens on <prefix>/status.
# Usage: test_bridge_ha.sh BUILD_DIR SOURCE_DIR
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

# The retained messages under $1 now, "topic payload" lines (empty ones
# dropped: an empty retained message is a cleared one).
retained() {
    mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "$1" -v --retained-only -W 1 2>/dev/null | grep ' .' || true
}
# The retained message on topic $1 ("topic payload"), at once if there is one.
one() {
    mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "$1" -v --retained-only -C 1 -W 1 2>/dev/null | grep ' .'
}
gone() { ! one "$1" >/dev/null; }
# Wait until the retained message on $1 matches $2 (a grep pattern).
wait_retained() {
    for _ in $(seq 30); do
        one "$1" | grep -q -- "$2" && return 0
        sleep 0.2
    done
    return 1
}

# Wait until a retained config under $2 (default homeassistant/#) holds $1
# (a fixed string, e.g. a state topic).
wait_config() {
    for _ in $(seq 50); do
        retained "${2:-homeassistant/#}" | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}

export RSCP_HOST=127.0.0.1
START=2025-06-14T10:00:00Z
start_sim a --model s10e --start "$START" --seed 21
PA=$PORT
start_sim b --model s10mini --start "$START" --seed 22
PB=$PORT

site() {
    cat <<EOF
[site $1]
host = 127.0.0.1
port = $2
user = sim-user
password = sim-password
key = sim-key
interval = 1
EOF
}
# start_bridge NAME: the bridge on $TMP/NAME.conf, its log in $TMP/NAME.log.
start_bridge() {
    chmod 600 "$TMP/$1.conf"
    "$BRIDGE" --config "$TMP/$1.conf" >"$TMP/$1.log" 2>&1 &
    BRIDGE_PID=$!
    SIM_PIDS+=("$BRIDGE_PID")
}
{
    printf '[mqtt]\nhost = 127.0.0.1\nport = %s\nclient_id = ha-test-1\n' "$BPORT"
    site a "$PA"
    site b "$PB"
} >"$TMP/bridge.conf"
start_bridge bridge

check "site a online" wait_retained 'e3dc/a/status' ' online$'
check "site b online" wait_retained 'e3dc/b/status' ' online$'
# The battery modules come a cycle after the first values: their entities
# must be discovered without Home Assistant restarting.
check "site a: a battery module's entities are discovered" wait_config '"stat_t":"e3dc/a/battery/dcb/1/'
check "site b: a battery module's entities are discovered" wait_config '"stat_t":"e3dc/b/battery/dcb/1/'
sleep 1
retained 'homeassistant/#' >"$TMP/disc1"
# Which configs belong to which site: by the site's state topic in the config.
grep 'e3dc/a/' "$TMP/disc1" | cut -d' ' -f1 >"$TMP/a.topics"
grep 'e3dc/b/' "$TMP/disc1" | cut -d' ' -f1 >"$TMP/b.topics"
NA=$(wc -l <"$TMP/a.topics")
NB=$(wc -l <"$TMP/b.topics")
check "site a has discovery configs ($NA)" test "$NA" -gt 10
check "site b has discovery configs ($NB)" test "$NB" -gt 10
check "every config is a site's ($(wc -l <"$TMP/disc1") = $NA + $NB)" test "$(wc -l <"$TMP/disc1")" -eq $((NA + NB))

# Rediscovery: clear one config, Home Assistant comes online, it is back.
T=$(head -1 "$TMP/a.topics")
mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t "$T" -r -n
check "the cleared config $T is gone" gone "$T"
mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t homeassistant/status -m online
check "homeassistant/status online: $T is published again" wait_retained "$T" "^$T {"
check "... as it was" test "$(one "$T")" = "$(grep -F "$T " "$TMP/disc1")"
check "the log says so" grep -q 'home assistant is online' "$TMP/bridge.log"

# SIGHUP without site b: all of b's configs cleared, a's stay.
{
    printf '[mqtt]\nhost = 127.0.0.1\nport = %s\nclient_id = ha-test-1\n' "$BPORT"
    site a "$PA"
} >"$TMP/bridge.conf"
kill -HUP "$BRIDGE_PID"
check "the log says site b left with its $NB configs removed" bash -c "for i in \$(seq 50); do grep -q 'site b left the configuration: $NB discovery configs removed' '$TMP/bridge.log' && exit 0; sleep 0.2; done; exit 1"
sleep 1
retained 'homeassistant/#' | cut -d' ' -f1 | sort >"$TMP/disc2"
LEFT=$(sort "$TMP/b.topics" | comm -12 - "$TMP/disc2" | wc -l)
check "none of site b's $NB configs is retained any more ($LEFT left)" test "$LEFT" -eq 0
check "site a still has discovery configs" test "$(wc -l <"$TMP/disc2")" -gt 10
check "the bridge still runs" kill -0 "$BRIDGE_PID"
kill -TERM "$BRIDGE_PID"
wait "$BRIDGE_PID"
check "SIGTERM: exit 0" test $? -eq 0

# A configured discovery prefix.
{
    printf '[mqtt]\nhost = 127.0.0.1\nport = %s\nclient_id = ha-test-2\nprefix = other\n' "$BPORT"
    printf '[homeassistant]\nprefix = hatest\n'
    site a "$PA"
} >"$TMP/bridge2.conf"
start_bridge bridge2
check "prefix hatest: configs published under it" wait_retained 'hatest/#' ' {'
check "prefix hatest: a battery module's entities are discovered" wait_config '"stat_t":"other/battery/dcb/1/' 'hatest/#'
sleep 1
T=$(retained 'hatest/#' | head -1 | cut -d' ' -f1)
mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t "$T" -r -n
mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t homeassistant/status -m online
sleep 1
check "homeassistant/status is not hatest's: $T stays cleared" gone "$T"
mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t hatest/status -m online
check "hatest/status online: $T is published again" wait_retained "$T" "^$T {"
check "no secret in the logs" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log' '$TMP/bridge2.log'"
summary
