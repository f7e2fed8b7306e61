#!/usr/bin/env bash
# The fleet bench: one rscp-bridge polling N simulated sites every second,
# publishing to a real mosquitto broker, measured from outside.
#
#   bench/fleet.sh [--sites N] [--duration S] [--warmup S] [--port BASE]
#                  [--build DIR] [--start TIME] [--stand-in]
#
# Starts `rscp sim --sites N --port BASE` (defaults 1000 sites from port
# 20000; 0: a free range), a mosquitto broker on a loopback port with a temporary
# configuration, and `DIR/rscp-bridge --config CONF` with a generated
# configuration: an [mqtt] section for the broker, a [prometheus] section,
# and one [site sNNNN] section per site (host, port, user, password, key,
# interval 1 s). The simulated plants start at a fixed sunny moment (--start,
# default 2025-06-14T11:00:00Z: PV producing, batteries charging, cars
# charging, export, so that values change every cycle, the busy case for
# change-driven publishing) so that runs on different days and at different
# hours are comparable; --start now takes the wall clock. After the warm-up
# (default 10 s: every site connected) it measures for the duration (default 60 s) and prints:
#   fleet_sites N
#   fleet_cpu_pct X           the bridge's utime+stime (/proc/PID/stat) over
#                             the run / wall time x 100 (% of one core)
#   fleet_rss_mib X           the bridge's VmRSS at the end (VmHWM too)
#   fleet_missed_polls_pct X  1 - (polls that succeeded over the run: the
#                             deltas of rscp_polls_total minus
#                             rscp_poll_failures_total, summed over sites) /
#                             (N x duration / interval), from GET /metrics
#   fleet_mqtt_msgs_per_s X   rscp_bridge_mqtt_messages_total over the run
#                             / duration
# and, for context, fleet_hwm_mib, fleet_seconds and fleet_sim_cpu_pct.
# --stand-in runs rscp_fleet_load (bench/fleet/fleet_load.c, the same
# request a bridge sends, once a second per site) instead of the bridge and
# prints the simulator's own CPU share and memory (fleet_sim_*): the
# simulator side of the bench, usable before the bridge exists.
# Exit status: 0 measured; 1 something missing or failed (with a message).
set -u
N=1000
DURATION=60
WARMUP=10
BASE=20000
START=2025-06-14T11:00:00Z
BUILD=build
STAND_IN=0
while [ $# -gt 0 ]; do
    case "$1" in
    --sites) N=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --port) BASE=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --stand-in) STAND_IN=1; shift ;;
    --start) START=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
die() { echo "fleet.sh: $*" >&2; exit 1; }
[ -x "$BUILD/rscp" ] || die "$BUILD/rscp not built"
if [ "$STAND_IN" -eq 0 ]; then
    [ -x "$BUILD/rscp-bridge" ] || die "$BUILD/rscp-bridge not built (use --stand-in to measure the simulator side)"
    command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || die "mosquitto not installed (Debian: mosquitto)"
    command -v curl >/dev/null || die "curl not installed"
else
    [ -x "$BUILD/rscp_fleet_load" ] || die "$BUILD/rscp_fleet_load not built"
fi

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null

# Credentials of the simulated sites (a test fleet: not secrets of anyone).
export RSCP_USER=fleet-user RSCP_PASSWORD=fleet-password RSCP_KEY=fleet-key
"$BUILD/rscp" sim --sites "$N" --port "$BASE" --start "$START" >"$TMP/sim.out" 2>"$TMP/sim.err" &
SIM=$!
PIDS+=("$SIM")
for _ in $(seq 200); do grep -q "^listening on" "$TMP/sim.out" 2>/dev/null && break
    kill -0 "$SIM" 2>/dev/null || break; sleep 0.05; done
grep -q "^listening on" "$TMP/sim.out" || die "the simulator did not start: $(cat "$TMP/sim.err")"
BASE=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)-[0-9]* .*/\1/p; s/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$TMP/sim.out")

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
status_mib() { awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

if [ "$STAND_IN" -eq 1 ]; then
    echo "fleet_sites $N"
    "$BUILD/rscp_fleet_load" --port "$BASE" --sites "$N" --duration "$DURATION" --pid "$SIM" ||
        die "the stand-in load failed"
    exit 0
fi

# A free loopback port (python3 binds port 0).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MQTT_PORT=$(free_port)
PROM_PORT=$(free_port)
cat >"$TMP/mosquitto.conf" <<EOF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
max_queued_messages 100000
EOF
MOSQ=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQ" -c "$TMP/mosquitto.conf" >"$TMP/mosquitto.log" 2>&1 &
PIDS+=($!)

umask 077
{
    printf '[mqtt]\nhost = 127.0.0.1\nport = %s\nclient_id = rscp-fleet-bench\n\n' "$MQTT_PORT"
    printf '[prometheus]\nlisten = 127.0.0.1:%s\n\n' "$PROM_PORT"
    for i in $(seq 0 $((N - 1))); do
        printf '[site s%04d]\nhost = 127.0.0.1\nport = %d\nuser = %s\npassword = %s\nkey = %s\ninterval = 1\n\n' \
            "$i" $((BASE + i)) "$RSCP_USER" "$RSCP_PASSWORD" "$RSCP_KEY"
    done
} >"$TMP/bridge.conf"
"$BUILD/rscp-bridge" --config "$TMP/bridge.conf" >"$TMP/bridge.log" 2>&1 &
BRIDGE=$!
PIDS+=("$BRIDGE")
sleep "$WARMUP"
kill -0 "$BRIDGE" 2>/dev/null || die "the bridge stopped: $(tail -5 "$TMP/bridge.log")"

# Sum of a counter family over all its samples.
counter() { awk -v f="$1" '$1 == f || index($1, f "{") == 1 { s += $NF } END { printf "%.0f", s }' "$2"; }
scrape() { curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" >"$1" || die "GET /metrics on 127.0.0.1:$PROM_PORT failed"; }

scrape "$TMP/m0"
t0=$(date +%s.%N)
c0=$(ticks "$BRIDGE"); s0=$(ticks "$SIM")
sleep "$DURATION"
c1=$(ticks "$BRIDGE"); s1=$(ticks "$SIM")
t1=$(date +%s.%N)
scrape "$TMP/m1"
kill -0 "$BRIDGE" 2>/dev/null || die "the bridge stopped: $(tail -5 "$TMP/bridge.log")"

HZ=$(getconf CLK_TCK)
# Polls that succeeded: started (rscp_polls_total) minus failed.
p0=$(( $(counter rscp_polls_total "$TMP/m0") - $(counter rscp_poll_failures_total "$TMP/m0") ))
p1=$(( $(counter rscp_polls_total "$TMP/m1") - $(counter rscp_poll_failures_total "$TMP/m1") ))
q0=$(counter rscp_bridge_mqtt_messages_total "$TMP/m0"); q1=$(counter rscp_bridge_mqtt_messages_total "$TMP/m1")
awk -v n="$N" -v c0="$c0" -v c1="$c1" -v hz="$HZ" -v t0="$t0" -v t1="$t1" -v p0="$p0" -v p1="$p1" \
    -v q0="$q0" -v q1="$q1" -v s0="$s0" -v s1="$s1" -v rss="$(status_mib "$BRIDGE" VmRSS)" -v hwm="$(status_mib "$BRIDGE" VmHWM)" 'BEGIN {
    wall = t1 - t0
    expected = n * wall / 1.0
    missed = expected > 0 ? (1 - (p1 - p0) / expected) * 100 : 100
    if (missed < 0) missed = 0
    printf "fleet_sites %d\n", n
    printf "fleet_cpu_pct %.1f\n", (c1 - c0) / hz / wall * 100
    printf "fleet_rss_mib %.1f\n", rss
    printf "fleet_hwm_mib %.1f\n", hwm
    printf "fleet_missed_polls_pct %.2f\n", missed
    printf "fleet_mqtt_msgs_per_s %.1f\n", (q1 - q0) / wall
    printf "fleet_seconds %.1f\n", wall
    printf "fleet_sim_cpu_pct %.1f\n", (s1 - s0) / hz / wall * 100
}'
