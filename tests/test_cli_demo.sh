#!/usr/bin/env bash
# `rscp demo`: the default simulated moment shows every flow (PV producing,
# battery charging, a car charging, export) and the values move between
# readings; --start, --seed, --speed reach the simulator; --now is the
# wall clock.
# Usage: bash test_cli_demo.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
RSCP="$BUILD/rscp"
# shellcheck source-path=SCRIPTDIR source=cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"

expect_rc() {
    local want=$1 d=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$d: exit $rc, want $want"; cat "$TMP/err" >&2; fi
}
# jlines FILE EXPR: EXPR over ls, the JSON lines of FILE.
jlines() {
    if python3 -c "import json,sys; ls=[json.loads(x) for x in open(sys.argv[1]) if x.strip()]; sys.exit(0 if ($2) else 1)" "$1"
    then ok; else bad "json check: $2"; head -c 1200 "$1" >&2; echo >&2; fi
}
[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }
export HOME="$TMP" XDG_CONFIG_HOME=
unset RSCP_CONFIG RSCP_TIMEOUT RSCP_HOST RSCP_PORT RSCP_USER RSCP_PASSWORD RSCP_KEY

# The default moment: every flow shows, with margins, and balances.
expect_rc 0 "demo --once --json" "$RSCP" demo --once --json
cp "$TMP/out" "$TMP/once.json"
jlines "$TMP/once.json" 'len(ls) == 1'
jlines "$TMP/once.json" 'ls[0]["pv"] > 1000'
jlines "$TMP/once.json" 'ls[0]["battery"] > 500'
jlines "$TMP/once.json" 'ls[0]["wallbox_all"] > 1000'
jlines "$TMP/once.json" 'ls[0]["grid"] < -300'
jlines "$TMP/once.json" 'all(j["pv"] + j["additional"] + j["grid"] == j["house"] + j["battery"] + j["wallbox_all"] for j in ls)'
jlines "$TMP/once.json" 'ls[0]["time"].startswith("2026-05-03T09:20")'

# The table says so too.
expect_rc 0 "demo --once" "$RSCP" demo --once
check "demo: battery charging" grep -q "Battery .*(charging)" "$TMP/out"
check "demo: export" grep -q "Grid .*(export)" "$TMP/out"

# Readings move: simulated time runs 10 times faster and the values change.
expect_rc 0 "demo --count 3" "$RSCP" demo --count 3 --watch 0.3 --json
cp "$TMP/out" "$TMP/three.json"
jlines "$TMP/three.json" 'len(ls) == 3'
jlines "$TMP/three.json" 'ls[2]["seconds"] - ls[0]["seconds"] >= 4'
jlines "$TMP/three.json" 'len(set((j["pv"], j["grid"], j["house"]) for j in ls)) > 1'
jlines "$TMP/three.json" 'all(j["pv"] > 0 and j["battery"] > 0 and j["wallbox_all"] > 0 and j["grid"] < 0 for j in ls)'

# --start, --seed and --speed go to the simulator.
expect_rc 0 "demo --start" "$RSCP" demo --once --json --start 2026-01-10T03:00 --seed 3 --speed 1
cp "$TMP/out" "$TMP/night.json"
jlines "$TMP/night.json" 'ls[0]["time"].startswith("2026-01-10T02:00") and ls[0]["pv"] == 0'
expect_rc 0 "demo --seed" "$RSCP" demo --once --json --seed 16
cp "$TMP/out" "$TMP/seed.json"
check "demo: another seed, other values" python3 -c "
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
sys.exit(0 if (a['pv'], a['house']) != (b['pv'], b['house']) else 1)" "$TMP/once.json" "$TMP/seed.json"

# --now: the wall clock.
before=$(date +%s)
expect_rc 0 "demo --now" "$RSCP" demo --once --json --now
jlines "$TMP/out" "abs(ls[0]['seconds'] - $before) < 120"

# Usage errors.
expect_rc 2 "demo --now --start" "$RSCP" demo --once --now --start 2026-01-01
expect_rc 2 "demo --start bad" "$RSCP" demo --once --start yesterday
expect_rc 2 "demo --seed bad" "$RSCP" demo --once --seed -1

summary
