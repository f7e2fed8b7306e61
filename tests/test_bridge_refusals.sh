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
. "$SRC/tests/bridge_lib.sh"

bridge_need

bridge_broker_start

export RSCP_HOST=127.0.0.1 RSCP_USER=sim-user RSCP_PASSWORD=sim-password RSCP_KEY=sim-key
start_sim plant --model s10e --refuse-writes --start 2025-04-14T09:00:00Z --seed 11
export RSCP_PORT=$PORT
bridge_site_conf "$TMP/bridge.conf" "$PORT"
bridge_start "$TMP/bridge.conf"
bridge_check_online

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
import sys, time
from bridge_results import Results
bport, cases = sys.argv[1], [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
R = Results(bport, "e3dc")
if not R.wait_subscribed():
    sys.exit("FAIL: the result subscriber did not start")
failed = 0
for topic, payload, want in cases:
    r = R.command(topic, payload, timeout=15)
    if not r or r.get("ok") is not False or want not in r.get("error", ""):
        print("FAIL: set/%s %s answered %r, want ok false with %r" % (topic, payload, r, want), file=sys.stderr)
        failed += 1
time.sleep(1.5)
counts = R.answer_counts()
for t, n in sorted(R.sent.items()):
    if counts.get(t, 0) != n:
        print("FAIL: %s: %d answers to %d commands" % (t, counts.get(t, 0), n), file=sys.stderr)
        failed += 1
R.close()
print("%d refusals checked, %d failed" % (len(cases), failed), file=sys.stderr)
sys.exit(1 if failed else 0)
PY
if PYTHONPATH="$SRC/tests" python3 "$TMP/refusals.py" "$BPORT" "$TMP/cases"; then ok; else bad "refusals (above)"; fi
plant "$TMP/after"
check "the plant is unchanged" cmp -s "$TMP/before" "$TMP/after"
check "each refusal is logged" bash -c "[ \$(grep -c 'failed: the device refused' '$TMP/bridge.log') -ge 5 ]"
check "no secret in the bridge's log" bash -c "! grep -q -e sim-password -e sim-key '$TMP/bridge.log'"
summary
