#!/usr/bin/env bash
# rscp power against `rscp sim`: a mode held with the power hold (the
# battery follows it in the live values read in the same frames), then
# auto exactly once, at the end of --for and after Ctrl-C (exit 130);
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
expect_rc 0 "power auto" "$RSCP" power auto --json
jlines "$TMP/out" "len(L) == 1 and L[0]['mode'] == 'auto'"
expect_rc 2 "power above the system specs" "$RSCP" power charge $((MAXC + 1))
errhas "maxChargePower of the device); nothing sent"
# on the simulator's side: no SET_POWER arrived (one would lock discharging
# for the hold time)
expect_rc 0 "live after the refused power" "$RSCP" live --json
jcheck "$TMP/out" "j['status'] & 3 == 0 and 'discharge_locked' not in j['status_names']"


summary
