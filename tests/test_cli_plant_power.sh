#!/usr/bin/env bash
# rscp power against `rscp sim`: a mode held with the power hold (the
# battery follows it in the live values read in the same frames), then
# auto exactly once, at the end of --for and after Ctrl-C (exit 130); a
# charge held past the simulator's fall-back, read from another connection;
# a power above the system specs refused before anything is sent.
# Usage: bash test_cli_plant_power.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
RSCP="$BUILD/rscp"
# shellcheck source-path=SCRIPTDIR source=cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"

[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }
"$RSCP" sim --help >/dev/null 2>&1 || { echo "rscp built without the simulator"; exit 1; }
export RSCP_USER=test-user RSCP_PASSWORD=test-password RSCP_KEY=test-key
export HOME="$TMP" XDG_CONFIG_HOME=
unset RSCP_CONFIG RSCP_TIMEOUT
SIMAUTH=(--user test-user --password test-password --key test-key)

# ---- power: held, then back to auto exactly once -------------------------------------------
# at night, with the battery part full, so that charging from the grid shows
start_sim night --start 2024-06-21T03:00 --seed 7 "${SIMAUTH[@]}"
export RSCP_HOST=127.0.0.1 RSCP_PORT=$PORT
MAXC=$("$RSCP" settings --json | python3 -c "import json,sys; print(json.load(sys.stdin)['specs']['maxChargePower'])")
expect_rc 0 "power grid-charge 3000 --for 3s" "$RSCP" power grid-charge 3000 --for 3s --interval 1000 --json
cp "$TMP/out" "$TMP/hold.json"
jlines "$TMP/hold.json" "len(L) >= 3 and all(x['mode'] == 'grid_charge' and x['mirrored'] == 3000 for x in L[:-1])"
jlines "$TMP/hold.json" "any(abs(x['battery'] - 3000) <= 30 for x in L[1:-1])"
jlines "$TMP/hold.json" "L[-1]['mode'] == 'auto' and L[-1]['closing'] and sum(1 for x in L if x['mode'] == 'auto') == 1"
sleep 1
expect_rc 0 "live after the hold" "$RSCP" live --json
jcheck "$TMP/out" "abs(j['battery'] - 3000) > 100"
# Ctrl-C: auto once, exit 130
"$RSCP" power idle --interval 1000 --json >"$TMP/idle.json" 2>"$TMP/err" &
hp=$!
sleep 1.5
kill -INT $hp
wait $hp
check "power stopped by SIGINT exits 130" test $? -eq 130
jlines "$TMP/idle.json" "L[0]['mode'] == 'idle' and L[-1]['mode'] == 'auto' and sum(1 for x in L if x['closing']) == 1"
# discharge: the battery gives the 1500 W asked, the part the house does not
# use is fed in; then auto once
expect_rc 0 "power discharge 1500 --for 2s" "$RSCP" power discharge 1500 --for 2s --interval 1000 --json
jlines "$TMP/out" "len(L) >= 3 and all(x['mode'] == 'discharge' and x['mirrored'] == 1500 for x in L[:-1])"
jlines "$TMP/out" "all(x['battery'] == -1500 and x['grid'] < 0 for x in L[1:]) and L[-1]['mode'] == 'auto'"
sleep 1
expect_rc 0 "live after the discharge hold" "$RSCP" live --json
jcheck "$TMP/out" "-1000 < j['battery'] < 0 and j['grid'] >= 0"
expect_rc 0 "power auto" "$RSCP" power auto --json
jlines "$TMP/out" "len(L) == 1 and L[0]['mode'] == 'auto'"
expect_rc 2 "power above the system specs" "$RSCP" power charge $((MAXC + 1))
errhas "maxChargePower of the device); nothing sent"
# on the simulator's side: no SET_POWER arrived (one would lock discharging
# for the hold time)
expect_rc 0 "live after the refused power" "$RSCP" live --json
jcheck "$TMP/out" "j['status'] & 3 == 0 and 'discharge_locked' not in j['status_names']"


# charge from the surplus on a morning (09:00 local, seed 2: about 5 kW of
# surplus, which the battery takes in automatic mode), the simulator 10
# times faster than real time: the 3 s hold spans 30 simulated seconds,
# more than twice its 12 s fall-back, and the battery stays at +3000 W in
# every reading after the first (the rest fed in); afterwards automatic again
start_sim morning --model s10e --start 2024-06-21T09:00 --seed 2 --speed 10 "${SIMAUTH[@]}"
expect_rc 0 "live before the charge hold" env RSCP_PORT="$PORT" "$RSCP" live --json
jcheck "$TMP/out" "j['battery'] > 4000"
env RSCP_PORT="$PORT" "$RSCP" power charge 3000 --for 3s --interval 1000 --json >"$TMP/charge.json" 2>"$TMP/charge.err" &
hp=$!
# read from another connection between the resends, 15 and 23 simulated
# seconds after the first request (its line printed): past its fall-back
for _ in $(seq 100); do [ -s "$TMP/charge.json" ] && break; sleep 0.05; done
sleep 1.5
env RSCP_PORT="$PORT" "$RSCP" live --json >"$TMP/mid1.json"
sleep 0.8
env RSCP_PORT="$PORT" "$RSCP" live --json >"$TMP/mid2.json"
wait $hp
check "power charge 3000 --for 3s at speed 10 exits 0" test $? -eq 0
jcheck "$TMP/mid1.json" "j['battery'] == 3000 and j['status'] & 2"
jcheck "$TMP/mid2.json" "j['battery'] == 3000 and j['status'] & 2"
jlines "$TMP/charge.json" "len(L) >= 4 and all(x['mode'] == 'charge' and x['mirrored'] == 3000 for x in L[:-1])"
jlines "$TMP/charge.json" "all(x['battery'] == 3000 and x['grid'] < -1000 for x in L[1:])"
jlines "$TMP/charge.json" "L[-1]['mode'] == 'auto' and L[-1]['closing'] and sum(1 for x in L if x['mode'] == 'auto') == 1"
python3 - "$TMP/charge.json" >"$TMP/span" <<'PY'
import datetime, json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
t = [datetime.datetime.fromisoformat(x["time"].replace("Z", "+00:00")) for x in L]
print(int((t[-1] - t[1]).total_seconds()))
PY
# from the first reading under the mode to the last: longer than the fall-back
check "+3000 W held longer than the 12 s fall-back (simulated time)" test "$(cat "$TMP/span")" -ge 15
sleep 0.5
expect_rc 0 "live after the charge hold" env RSCP_PORT="$PORT" "$RSCP" live --json
jcheck "$TMP/out" "j['battery'] > 4000 and j['status'] & 3 == 0"

summary
