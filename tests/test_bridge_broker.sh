#!/usr/bin/env bash
# rscp-bridge against a mosquitto broker that requires a login: with the
# right user and password (inline, and from password_file) the values
# arrive; with a wrong password, or none, the bridge logs that the broker
# refused the login, keeps running and retries with backoff (no spinning);
# no password ever appears in the bridge's output.
# Usage: test_bridge_broker.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"

command -v mosquitto >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
need_tools mosquitto mosquitto_passwd mosquitto_sub python3
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds or the time is up.
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.2
    done
}
# start_broker NAME: mosquitto on a free loopback port with $TMP/NAME.conf's
# lines added to the listener; sets BPORT once it accepts connections.
start_broker() {
    local name=$1
    BPORT=$(free_port)
    {
        echo "listener $BPORT 127.0.0.1"
        cat "$TMP/$name.conf"
        echo "persistence false"
        echo "log_dest file $TMP/$name.log"
        if [ "$(id -u)" -eq 0 ]; then echo "user root"; fi
    } >"$TMP/$name-mosquitto.conf"
    mosquitto -c "$TMP/$name-mosquitto.conf" >"$TMP/$name.out" 2>&1 &
    local pid=$!
    SIM_PIDS+=("$pid")
    if ! wait_for 10 python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.5).close()' "$BPORT" 2>/dev/null; then
        echo "FAIL: mosquitto ($name) did not start" >&2
        cat "$TMP/$name.out" "$TMP/$name.log" >&2 2>/dev/null
        exit 1
    fi
}
# start_bridge NAME: rscp-bridge --config $TMP/NAME.ini, output in $TMP/NAME.log.
start_bridge() {
    "$BRIDGE" --config "$TMP/$1.ini" >"$TMP/$1.log" 2>&1 &
    BRIDGE_PID=$!
    SIM_PIDS+=("$BRIDGE_PID")
}
stop_bridge() {
    kill -TERM "$BRIDGE_PID" 2>/dev/null
    wait "$BRIDGE_PID" 2>/dev/null
}
# bridge_ini NAME PREFIX MQTT-LINES: a configuration for the simulator $SIMPORT.
bridge_ini() {
    cat >"$TMP/$1.ini" <<EOF
[mqtt]
host = 127.0.0.1
port = $BPORT
prefix = $2
client_id = bridge-$1
$3
[homeassistant]
enabled = false
[site main]
host = 127.0.0.1
port = $SIMPORT
user = sim-user
password_file = $TMP/rscp.password
key_file = $TMP/rscp.key
interval = 1
EOF
    chmod 600 "$TMP/$1.ini"
}
# sub TOPIC [ARGS...]: the first message on TOPIC with the right login (10 s at most).
sub() { local t=$1; shift; mosquitto_sub -h 127.0.0.1 -p "$BPORT" -u bridge -P "$MQTT_PW" -t "$t" -C 1 -W 10 "$@" 2>/dev/null; }
status_is() { [ "$(sub "$1")" = "$2" ]; }
# count_in FILE TEXT: lines of FILE holding TEXT.
count_in() { grep -cF -- "$2" "$1" 2>/dev/null; }

echo sim-password >"$TMP/rscp.password"
echo sim-key >"$TMP/rscp.key"
chmod 600 "$TMP/rscp.password" "$TMP/rscp.key"
start_sim plant --model s10e --start 2025-06-14T10:00:00Z --seed 5
SIMPORT=$PORT

# ---- a broker that requires a login -----------------------------------
MQTT_PW='mqtt-Pa55-word'
WRONG_PW='not-the-Pa55-word'
mosquitto_passwd -b -c "$TMP/passwd" bridge "$MQTT_PW" || { bad "mosquitto_passwd"; summary; exit 1; }
chmod 600 "$TMP/passwd"
printf 'allow_anonymous false\npassword_file %s\n' "$TMP/passwd" >"$TMP/auth.conf"
start_broker auth

check "the broker refuses an anonymous client" bash -c \
    "! mosquitto_sub -h 127.0.0.1 -p $BPORT -t '#' -C 1 -W 3 >/dev/null 2>&1"

# The password inline.
bridge_ini inline inl "user = bridge
password = $MQTT_PW"
start_bridge inline
check "inline password: inl/status online" wait_for 20 status_is inl/status online
check "inline password: inl/bridge/status online" status_is inl/bridge/status online
SOC=$(sub inl/battery/soc)
check "inline password: inl/battery/soc is a number ($SOC)" python3 -c "float('$SOC')"
stop_bridge
check "inline password: inl/bridge/status offline after SIGTERM" wait_for 5 status_is inl/bridge/status offline

# The password from password_file: the configuration holds no secret, so
# it may be world-readable.
printf '%s\n' "$MQTT_PW" >"$TMP/mqtt.password"
chmod 600 "$TMP/mqtt.password"
bridge_ini file pwf "user = bridge
password_file = $TMP/mqtt.password"
chmod 644 "$TMP/file.ini"
start_bridge file
check "password_file: pwf/status online" wait_for 20 status_is pwf/status online
PV=$(sub pwf/solar/power)
check "password_file: pwf/solar/power is a number ($PV)" python3 -c "float('$PV')"
stop_bridge

# A wrong password: refused, logged as such, retried with backoff.
bridge_ini wrong bad "user = bridge
password = $WRONG_PW"
T0=$SECONDS
start_bridge wrong
REFUSED='connect failed: the broker refused the login of user "bridge": not authorised'
check "wrong password: the refusal is logged, and the attempt repeated" \
    wait_for 20 bash -c "[ \$(grep -cF -- '$REFUSED' '$TMP/wrong.log') -ge 2 ]"
check "wrong password: the line is an error naming the configuration keys" \
    grep -qF "error: mqtt 127.0.0.1:$BPORT: $REFUSED (check [mqtt] user and password or password_file); next attempt in" "$TMP/wrong.log"
check "wrong password: the bridge keeps running" kill -0 "$BRIDGE_PID"
# Backoff from 1 s, doubling (each delay in [d/2, d]): a few attempts in
# this time, never dozens. The broker counts the CONNECTs it refused.
N=$(count_in "$TMP/wrong.log" "$REFUSED")
ELAPSED=$((SECONDS - T0 + 1))
check "wrong password: $N refusals in about $ELAPSED s (backoff, no spinning)" test "$N" -le $((ELAPSED + 2))
check "wrong password: nothing was published" bash -c "[ -z \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -u bridge -P '$MQTT_PW' -t 'bad/#' -C 1 -W 2 2>/dev/null)\" ]"
stop_bridge

# No user while the broker requires one.
bridge_ini anon anon ""
start_bridge anon
check "no user: the refusal says a login may be needed" \
    wait_for 20 grep -qF "connect failed: the broker refused the connection: not authorised (it may require a login: set [mqtt] user and password_file)" "$TMP/anon.log"
stop_bridge

for f in inline file wrong anon; do
    check "$f: no password in the bridge's output" bash -c \
        "! grep -q -e '$MQTT_PW' -e '$WRONG_PW' -e sim-password -e sim-key '$TMP/$f.log'"
done
summary
