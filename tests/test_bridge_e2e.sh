#!/usr/bin/env bash
# rscp-bridge end to end: simulators, a real mosquitto broker on a loopback
# port, the bridge, and mosquitto_sub/mosquitto_pub as the other clients.
# Checked: --once without MQTT prints rscp2mqtt's topics; with one site the
# topics are rscp2mqtt's exactly (e3dc/battery/soc ...) and match the
# simulator; status topics and the bridge's own; Home Assistant discovery
# configs; commands (plain and JSON) change the plant and get one result each, bad payloads
# get an error and change nothing; /metrics passes promtool and /healthz
# answers; a site going down turns offline and back online; a broker
# restart is survived with retained values back; SIGHUP adds a site;
# SIGTERM publishes offline and exits 0.
# Usage: test_bridge_e2e.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"

need_tools mosquitto mosquitto_sub mosquitto_pub promtool python3
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

BPORT=$(free_port)
start_broker() {
    cat >"$TMP/mosquitto.conf" <<EOF
listener $BPORT 127.0.0.1
allow_anonymous true
persistence false
EOF
    [ "$(id -u)" = 0 ] && echo "user root" >>"$TMP/mosquitto.conf"
    mosquitto -c "$TMP/mosquitto.conf" >"$TMP/mosquitto.log" 2>&1 &
    BROKER_PID=$!
    SIM_PIDS+=("$BROKER_PID")
    for _ in $(seq 100); do
        mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t probe -m x 2>/dev/null && return 0
        sleep 0.05
    done
    echo "FAIL: mosquitto did not start" >&2
    cat "$TMP/mosquitto.log" >&2
    exit 1
}
stop_broker() { kill "$BROKER_PID" 2>/dev/null; wait "$BROKER_PID" 2>/dev/null; }

# Wait until topic $1 has a retained or new message; its payload on stdout.
get() {
    mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "$1" -C 1 -W "${2:-10}" 2>/dev/null
}
# Publish $2 on $1 and wait for the result on $1/result.
command_result() {
    local t=$1 m=$2
    mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "$t/result" -C 1 -W 10 >"$TMP/result" 2>/dev/null &
    local sub=$!
    sleep 0.3
    mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t "$t" -m "$m"
    wait "$sub"
    cat "$TMP/result"
}

live_soc() { RSCP_PORT=$1 "$RSCP" live --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["soc"])'; }

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
START=2025-06-14T10:00:00Z
start_sim one --model s10e --start "$START" --seed 11
P1=$PORT

# --once without MQTT: "topic payload" lines on stdout.
RSCP_PORT=$P1 timeout 20 "$BRIDGE" --once >"$TMP/once.out" 2>"$TMP/once.err"
check "--once exits 0" test $? -eq 0
check "--once prints e3dc/battery/soc" grep -q '^e3dc/battery/soc [0-9.]*$' "$TMP/once.out"
check "--once prints e3dc/solar/power" grep -q '^e3dc/solar/power [0-9.-]*$' "$TMP/once.out"
check "--once logs no secret" bash -c "! grep -q -e sim-password -e sim-key '$TMP/once.err' '$TMP/once.out'"

start_broker
MPORT=$(free_port)
cat >"$TMP/bridge.conf" <<EOF
[mqtt]
host = 127.0.0.1
port = $BPORT
max_age = 60
[prometheus]
listen = 127.0.0.1:$MPORT
[site main]
host = 127.0.0.1
port = $P1
user = sim-user
password = sim-password
key = sim-key
interval = 1
EOF
chmod 600 "$TMP/bridge.conf"
check "--check-config accepts the file" "$BRIDGE" --config "$TMP/bridge.conf" --check-config
"$BRIDGE" --config "$TMP/bridge.conf" --check-config >"$TMP/plan" 2>&1
check "--check-config prints no secret" bash -c "! grep -q -e sim-password -e sim-key '$TMP/plan'"
chmod 644 "$TMP/bridge.conf"
"$BRIDGE" --config "$TMP/bridge.conf" --check-config >"$TMP/plan" 2>&1
check "a world-readable file with secrets is refused (exit 2)" test $? -eq 2
chmod 600 "$TMP/bridge.conf"

# Every discovery config from the bridge's start on (checked below).
mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t 'homeassistant/#' -v -W 8 >"$TMP/disc" 2>/dev/null &
DISC_PID=$!
sleep 0.3
"$BRIDGE" --config "$TMP/bridge.conf" >"$TMP/bridge.log" 2>&1 &
BRIDGE_PID=$!
SIM_PIDS+=("$BRIDGE_PID")

check "e3dc/status online" bash -c "for i in \$(seq 20); do [ \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/status -C 1 -W 2)\" = online ] && exit 0; sleep 0.3; done; exit 1"
check "e3dc/bridge/status online" test "$(get e3dc/bridge/status)" = online
SOC=$(get e3dc/battery/soc)
LSOC=$(live_soc "$P1")
check "e3dc/battery/soc ($SOC) matches the simulator ($LSOC)" \
    python3 -c "import sys; sys.exit(0 if abs(float('$SOC') - float('$LSOC')) < 2 else 1)"
PV=$(get e3dc/solar/power)
check "e3dc/solar/power is a number > 0 at 10:00 in June ($PV)" python3 -c "import sys; sys.exit(0 if float('$PV') > 0 else 1)"
check "e3dc/state is JSON with the site" bash -c "mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/state -C 1 -W 10 | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"site\"]==\"main\" and \"battery/soc\" in d else 1)'"

# Home Assistant discovery: retained configs, each valid JSON with a unique_id.
# The subscription saw every config published in the bridge's first
# seconds, while the slower groups (modules, meters, settings) brought
# their entities: a topic may come again only with a changed config, and
# one entity is one topic.
wait "$DISC_PID"
NDISC=$(wc -l <"$TMP/disc")
check "discovery configs published ($NDISC)" test "$NDISC" -gt 20
check "discovery configs are JSON with unique ids, none published twice alike" python3 - "$TMP/disc" <<'EOF'
import json, sys
last, owner = {}, {}
for n, line in enumerate(open(sys.argv[1]), 1):
    topic, _, payload = line.rstrip("\n").partition(" ")
    if not payload:
        continue
    assert last.get(topic) != payload, "line %d: %s published again unchanged" % (n, topic)
    last[topic] = payload
    c = json.loads(payload)
    uid = c.get("unique_id", c.get("uniq_id"))
    assert uid, "line %d: %s has no unique_id" % (n, topic)
    assert owner.setdefault(uid, topic) == topic, "line %d: %s repeats the unique_id of %s" % (n, topic, owner[uid])
EOF

# Commands: one result each; the plant follows.
R=$(command_result e3dc/set/reserve/percent 20)
check "set/reserve/percent 20 -> ok ($R)" bash -c "echo '$R' | grep -q '\"ok\":true'"
sleep 1.5
RES=$(RSCP_PORT=$P1 "$RSCP" settings --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reserve_percent"])' 2>/dev/null)
check "the simulator's reserve is 20 % ($RES)" python3 -c "import sys; sys.exit(0 if abs(float('$RES') - 20) < 0.01 else 1)"
R=$(command_result e3dc/set/reserve/percent abc)
check "a bad payload gets an error result ($R)" bash -c "echo '$R' | grep -q '\"ok\":false'"
RES2=$(RSCP_PORT=$P1 "$RSCP" settings --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reserve_percent"])' 2>/dev/null)
check "... and changes nothing ($RES2)" test "$RES" = "$RES2"
# The hold in JSON, then a bad JSON payload that must leave it alone.
R=$(command_result e3dc/set/power_mode '{"mode":"discharge","power":1500,"cycles":0}')
check "set/power_mode {\"mode\":\"discharge\",\"power\":1500,\"cycles\":0} -> ok ($R)" bash -c "echo '$R' | grep -q '\"ok\":true'"
R=$(command_result e3dc/set/power_mode '{"mode":"charge","power":"3000","cycles":0}')
echo "$R" >"$TMP/bad-json-result"
check "a JSON power given as a string gets an error naming the member ($R)" python3 -c "
import json, sys
r = json.load(open('$TMP/bad-json-result'))
sys.exit(0 if r['ok'] is False and '\"power\" must be a whole number in 1..1000000, not a string' in r['error'] else 1)"
sleep 2.5
BAT=$(RSCP_PORT=$P1 "$RSCP" live --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["battery"])')
check "the battery discharges 1500 W under the JSON hold, the bad one changed nothing ($BAT)" python3 -c "import sys; sys.exit(0 if abs(float('$BAT') + 1500) < 50 else 1)"
check "ems/power_mode shows the open-ended hold" bash -c "mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/ems/power_mode -C 1 -W 3 | grep -qx 'discharge:1500:0'"
# A hold for 30 cycles counts down on ems/power_mode.
R=$(command_result e3dc/set/power_mode idle:30)
check "set/power_mode idle:30 -> ok ($R)" bash -c "echo '$R' | grep -q '\"ok\":true'"
# The cycles left: read twice, a few cycles apart.
cycles_left() {
    for _ in $(seq 20); do
        v=$(mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t e3dc/ems/power_mode -C 1 -W 3 2>/dev/null)
        case "$v" in idle:*) echo "${v#idle:}"; return 0 ;; esac
        sleep 0.3
    done
    echo none
}
C1=$(cycles_left)
check "ems/power_mode shows idle:N with N in 25..30 ($C1)" bash -c "[ '$C1' != none ] && [ '$C1' -ge 25 ] && [ '$C1' -le 30 ]"
sleep 3
C2=$(cycles_left)
check "... and N counts down ($C1 -> $C2)" bash -c "[ '$C2' != none ] && [ '$C2' -lt '$C1' ] && [ '$C2' -ge $((C1 - 6)) ]"
R=$(command_result e3dc/set/power_mode auto)
check "set/power_mode auto -> ok" bash -c "echo '$R' | grep -q '\"ok\":true'"
check "ems/power_mode shows auto again" bash -c "for i in \$(seq 20); do [ \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/ems/power_mode -C 1 -W 3)\" = auto ] && exit 0; sleep 0.3; done; exit 1"
R=$(command_result e3dc/set/nonsense 1)
check "an unknown command gets an error result" bash -c "echo '$R' | grep -q '\"ok\":false'"

# Prometheus.
python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$MPORT/metrics', timeout=5).read().decode())" >"$TMP/metrics"
check "/metrics has rscp_up{site=\"main\"} 1" grep -q '^rscp_up{site="main"} 1$' "$TMP/metrics"
check "promtool check metrics passes" bash -c "promtool check metrics <'$TMP/metrics'"
check "/healthz answers ok" bash -c "python3 -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$MPORT/healthz', timeout=5).read().decode())\" | grep -q ok"

# A site going down and coming back.
kill "${SIM_PIDS[0]}"; wait "${SIM_PIDS[0]}" 2>/dev/null
check "the site turns offline within a few seconds" bash -c "for i in \$(seq 40); do [ \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/status -C 1 -W 2)\" = offline ] && exit 0; sleep 0.2; done; exit 1"
R=$(command_result e3dc/set/power_save true)
check "a command for an offline site is answered offline ($R)" bash -c "echo '$R' | grep -q offline"
"$RSCP" sim --port "$P1" --model s10e --start "$START" --seed 11 >"$TMP/sim-one2.log" 2>&1 &
SIM_PIDS+=($!)
check "the site turns online again" bash -c "for i in \$(seq 60); do [ \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/status -C 1 -W 2)\" = online ] && exit 0; sleep 0.5; done; exit 1"

# A broker restart (no persistence): the retained values come back.
stop_broker
sleep 1
start_broker
check "after a broker restart e3dc/battery/soc is retained again" bash -c "[ -n \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/battery/soc -C 1 -W 15)\" ]"
check "... and e3dc/status" test "$(get e3dc/status 15)" = online

# SIGHUP adds a site: with two, the prefix holds the site name.
start_sim two --model s10mini --start "$START" --seed 12
cat >>"$TMP/bridge.conf" <<EOF
[site two]
host = 127.0.0.1
port = $PORT
user = sim-user
password = sim-password
key = sim-key
interval = 1
EOF
kill -HUP "$BRIDGE_PID"
check "SIGHUP: e3dc/two/status online" test "$(get e3dc/two/status 15)" = online
check "SIGHUP: e3dc/two/battery/soc published" bash -c "[ -n \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/two/battery/soc -C 1 -W 10)\" ]"
check "SIGHUP: e3dc/main/battery/soc published" bash -c "[ -n \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/main/battery/soc -C 1 -W 10)\" ]"

# SIGTERM: offline, exit 0.
kill -TERM "$BRIDGE_PID"
wait "$BRIDGE_PID"
check "SIGTERM: exit 0" test $? -eq 0
# The broker may serve a new subscriber before it has read the bridge's
# last packets: wait (up to 5 s) for the retained status to become offline.
status_after_stop() {
    local s=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        s=$(get e3dc/bridge/status 2)
        [ "$s" = offline ] && break
        sleep 0.5
    done
    echo "$s"
}
check "SIGTERM: e3dc/bridge/status offline" test "$(status_after_stop)" = offline
check "no secret in the log" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log'"
grep -c . "$TMP/bridge.log" >/dev/null
summary
