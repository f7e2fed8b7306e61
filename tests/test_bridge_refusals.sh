#!/usr/bin/env bash
# rscp-bridge's answers when the device refuses: a real mosquitto broker and
# a simulated plant that refuses every write (rscp sim --refuse-writes: the
# power settings' results -2 "not possible now", START_MANUAL_CHARGE false,
# every other write ERROR ACCESS_DENIED). Each command gets exactly one
# answer, {"ok":false,...} with the device's reason by name, and the plant
# is unchanged.
# Usage: test_bridge_refusals.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
. "$SRC/tests/cli_lib.sh"

need_tools mosquitto mosquitto_sub mosquitto_pub python3
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

BPORT=$(sh "$SRC/tests/broker.sh" start "$TMP/broker") || exit 1
stop_all() { sh "$SRC/tests/broker.sh" stop "$TMP/broker"; cleanup; }
trap stop_all EXIT

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
start_sim plant --model s10e --refuse-writes --start 2025-04-14T09:00:00Z --seed 11
export RSCP_PORT=$PORT
cat >"$TMP/bridge.conf" <<CONF
[mqtt]
host = 127.0.0.1
port = $BPORT
[site main]
host = 127.0.0.1
port = $PORT
user = sim-user
password = sim-password
key = sim-key
interval = 1
CONF
chmod 600 "$TMP/bridge.conf"
"$BRIDGE" --config "$TMP/bridge.conf" >"$TMP/bridge.log" 2>&1 &
SIM_PIDS+=($!)
check "the site is online" bash -c "for i in \$(seq 40); do [ \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t e3dc/status -C 1 -W 2)\" = online ] && exit 0; sleep 0.3; done; exit 1"

plant() { "$RSCP" settings --json >"$1" 2>&1 && "$RSCP" wallbox --json >>"$1" 2>&1; }
plant "$TMP/before"

# topic, payload, a text the error must hold
cat >"$TMP/cases" <<'CASES'
reserve/percent	30	the device refused the reserve: ACCESS_DENIED
max_charge_power	2000	the device refused max_charge_power: not possible now
power_limits	true	the device refused power_limits: not possible now
weather_regulation	true	the device refused weather_regulation: not possible now
manual_charge	1000	the device refused the manual charge
wallbox/max_current	10	the device refused the wallbox setting: ACCESS_DENIED
wallbox/min_current	8	ACCESS_DENIED
wallbox/auto_phase_switch	true	ACCESS_DENIED
wallbox/discharge_battery_to_car	true	ACCESS_DENIED
idle_period	monday:charge:true:01:00-02:00	ACCESS_DENIED
power_mode	charge:1000:5	the device refused
CASES
cat >"$TMP/refusals.py" <<'PY'
import json, subprocess, sys, threading, time
bport, cases = sys.argv[1], [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
results, cond = [], threading.Condition()
sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", bport, "-v", "-t", "e3dc/set/#"],
                       stdout=subprocess.PIPE, text=True)
def reader():
    for line in sub.stdout:
        t, _, p = line.rstrip("\n").partition(" ")
        if t.endswith("/result"):
            with cond:
                results.append((t, p))
                cond.notify_all()
threading.Thread(target=reader, daemon=True).start()
time.sleep(0.5)
failed = 0
for topic, payload, want in cases:
    rt = "e3dc/set/%s/result" % topic
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", bport, "-t", "e3dc/set/" + topic, "-m", payload],
                   check=True)
    with cond:
        cond.wait_for(lambda: any(r[0] == rt for r in results), timeout=15)
        got = [p for t, p in results if t == rt]
    try:
        r = json.loads(got[0]) if got else None
    except ValueError:
        r = None
    if not r or r.get("ok") is not False or want not in r.get("error", ""):
        print("FAIL: set/%s %s answered %r, want ok false with %r" % (topic, payload, got, want), file=sys.stderr)
        failed += 1
time.sleep(1.5)
with cond:
    for topic, _, _ in cases:
        n = sum(1 for t, _ in results if t == "e3dc/set/%s/result" % topic)
        if n != 1:
            print("FAIL: set/%s: %d answers" % (topic, n), file=sys.stderr)
            failed += 1
sub.terminate()
print("%d refusals checked, %d failed" % (len(cases), failed), file=sys.stderr)
sys.exit(1 if failed else 0)
PY
if python3 "$TMP/refusals.py" "$BPORT" "$TMP/cases"; then ok; else bad "refusals (above)"; fi
plant "$TMP/after"
check "the plant is unchanged" cmp -s "$TMP/before" "$TMP/after"
check "each refusal is logged" bash -c "[ \$(grep -c 'failed: the device refused' '$TMP/bridge.log') -ge 5 ]"
check "no secret in the bridge's log" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log'"
summary
