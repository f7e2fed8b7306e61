#!/usr/bin/env bash
# The rscp tool end to end against `rscp sim --port 0` over TCP with
# encryption and authentication: live, info, get (containers, JSON request,
# device errors), history, error exit codes, several clients, demo.
# Usage: bash test_cli_sim.sh BUILD_DIR SOURCE_DIR
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
jcheck() {
    if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; then ok
    else bad "json check: $2"; head -c 800 "$1" >&2; echo >&2; fi
}

[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }
"$RSCP" sim --help >/dev/null 2>&1 || { echo "rscp built without the simulator"; exit 1; }

export RSCP_USER=test-user RSCP_PASSWORD=test-password RSCP_KEY=test-key
export HOME="$TMP" XDG_CONFIG_HOME=
unset RSCP_CONFIG RSCP_TIMEOUT

start_sim main --start 2024-06-21T12:00 --seed 7
MAIN=$PORT
export RSCP_HOST=127.0.0.1 RSCP_PORT=$MAIN

# ---- live -----------------------------------------------------------------------
expect_rc 0 "live" "$RSCP" live
check "live table shows PV" grep -q "PV" "$TMP/out"
check "live table shows SOC" grep -q "State of charge" "$TMP/out"
expect_rc 0 "live --json" "$RSCP" live --json
cp "$TMP/out" "$TMP/live.json"
jcheck "$TMP/live.json" 'all(j[k] is not None for k in ("pv","battery","grid","house","wallbox_all","wallbox_solar","additional","soc","autarky","self_consumption","status"))'
jcheck "$TMP/live.json" 'j["pv"] + j["additional"] + j["grid"] == j["house"] + j["battery"] + j["wallbox_all"]'
jcheck "$TMP/live.json" '0 <= j["soc"] <= 100 and 0 <= j["autarky"] <= 100 and 0 <= j["self_consumption"] <= 100'
jcheck "$TMP/live.json" 'j["pv"] > 0 and 0 <= j["wallbox_solar"] <= max(j["wallbox_all"], 0) and j["additional"] >= 0'
jcheck "$TMP/live.json" 'j["device_errors"] == 0 and j["time"].endswith("Z") and j["seconds"] > 1700000000'
# the device's local time beside UTC: the simulator runs in Europe/Berlin (UTC+2 in June)
jcheck "$TMP/live.json" 'j["utc_offset_seconds"] == 7200 and j["local_time"] == __import__("datetime").datetime.utcfromtimestamp(j["seconds"] + 7200).strftime("%Y-%m-%dT%H:%M:%S")'
# FLOAT32 values as the shortest decimal that reads back as the same float
check "live: floats without noise" python3 -c "
import re, struct, sys
t = open(sys.argv[1]).read()
for k in ('soc', 'autarky', 'self_consumption'):
    v = re.search('\"%s\": *([-0-9.e+]+)' % k, t).group(1)
    digits = re.sub('[^0-9]', '', v.split('e')[0]).lstrip('0')
    f = struct.unpack('f', struct.pack('f', float(v)))[0]
    assert len(digits) <= 9 and repr(struct.unpack('f', struct.pack('f', f))[0]) == repr(f), (k, v)
" "$TMP/live.json"
expect_rc 0 "live table" "$RSCP" live
check "live table: local time and offset" grep -Eq '^Reading at .*Z, device local time .* \(UTC\+2:00\)$' "$TMP/out"
# the same reading through get: the raw reply agrees with the typed parse
expect_rc 0 "get EMS powers" "$RSCP" get --json EMS.REQ_POWER_PV EMS.REQ_POWER_BAT EMS.REQ_POWER_GRID EMS.REQ_POWER_HOME EMS.REQ_POWER_ADD EMS.REQ_POWER_WB_ALL
cp "$TMP/out" "$TMP/powers.json"
jcheck "$TMP/powers.json" '[b["name"] for b in j["blocks"]] == ["EMS.POWER_PV","EMS.POWER_BAT","EMS.POWER_GRID","EMS.POWER_HOME","EMS.POWER_ADD","EMS.POWER_WB_ALL"]'
jcheck "$TMP/powers.json" '(lambda v: v[0] - v[4] + v[2] == v[3] + v[1] + v[5])([b["value"] for b in j["blocks"]])'
# watch: several readings on one connection
expect_rc 0 "live --watch --count" "$RSCP" live --json --watch 0.2 --count 3
check "three JSON lines" test "$(wc -l <"$TMP/out")" -eq 3
check "every line parses" python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$TMP/out"

# ---- info -----------------------------------------------------------------------
expect_rc 0 "info --json" "$RSCP" info --json
cp "$TMP/out" "$TMP/info.json"
jcheck "$TMP/info.json" 'all(j[k] for k in ("serial_number","sw_release","mac_address","ip_address","time_zone","local_time","utc_time"))'
jcheck "$TMP/info.json" 'j["utc_time"].startswith("2024-06-21") and j["utc_offset_seconds"] is not None and j["utc_offset_seconds"] % 900 == 0'
jcheck "$TMP/info.json" 'len(j["mac_address"].split(":")) == 6'
expect_rc 0 "info table" "$RSCP" info
check "info table shows the serial" grep -q "Serial number" "$TMP/out"

# ---- get with containers ----------------------------------------------------------
expect_rc 0 "get BAT container" "$RSCP" get --json 'BAT.REQ_DATA{BAT.INDEX=0,BAT.REQ_RSOC,BAT.REQ_MODULE_VOLTAGE,BAT.REQ_CURRENT}'
cp "$TMP/out" "$TMP/bat.json"
jcheck "$TMP/bat.json" 'j["blocks"][0]["name"] == "BAT.DATA" and j["blocks"][0]["type"] == "CONTAINER"'
jcheck "$TMP/bat.json" '{b["name"]: b["value"] for b in j["blocks"][0]["value"]}["BAT.INDEX"] == 0'
jcheck "$TMP/bat.json" '0 <= {b["name"]: b["value"] for b in j["blocks"][0]["value"]}["BAT.RSOC"] <= 100'
jcheck "$TMP/bat.json" 'set(b["name"] for b in j["blocks"][0]["value"]) >= {"BAT.INDEX","BAT.RSOC","BAT.MODULE_VOLTAGE","BAT.CURRENT"}'
expect_rc 0 "get with :TYPE override" "$RSCP" get 'BAT.REQ_DATA{BAT.INDEX:UINT16=0,BAT.REQ_RSOC}'
check "text dump of the container" grep -q "BAT.RSOC" "$TMP/out"
# a battery that does not exist: a device error block, exit 1
expect_rc 1 "get missing battery" "$RSCP" get --json 'BAT.REQ_DATA{BAT.INDEX=9,BAT.REQ_RSOC}'
jcheck "$TMP/out" 'j["blocks"][0]["type"] == "ERROR"'
expect_rc 1 "unknown request tag" "$RSCP" get 0x0AFFFF00
# a JSON request in the encode form, from stdin
echo '{"blocks": [{"name": "EMS.REQ_BAT_SOC"}, {"name": "BAT.REQ_DATA", "value": [{"name": "BAT.INDEX", "value": 0}, {"name": "BAT.REQ_RSOC"}]}]}' >"$TMP/req.json"
"$RSCP" get --json --json-request - <"$TMP/req.json" >"$TMP/jr.json"
check "get --json-request exit 0" test $? -eq 0
jcheck "$TMP/jr.json" 'j["blocks"][0]["name"] == "EMS.BAT_SOC" and j["blocks"][1]["name"] == "BAT.DATA"'
# the live SOC agrees with the battery's RSOC within a few percent
jcheck "$TMP/jr.json" 'abs(j["blocks"][0]["value"] - [b for b in j["blocks"][1]["value"] if b["name"] == "BAT.RSOC"][0]["value"]) <= 2'

# the request form of go-rscp's e3dc tool: tag names with '_', tuples with an optional type
echo '[["EMS_REQ_START_MANUAL_CHARGE", 0], "INFO_REQ_MAC_ADDRESS", ["INFO_REQ_UTC_TIME"], ["BAT_REQ_DATA", [["BAT_INDEX", "Uint16", 0], "BAT_REQ_RSOC"]]]' >"$TMP/go.json"
expect_rc 0 "get --json-request: go-rscp tuples" "$RSCP" get --json --json-request "$TMP/go.json"
jcheck "$TMP/out" '[b["name"] for b in j["blocks"]] == ["EMS.START_MANUAL_CHARGE", "INFO.MAC_ADDRESS", "INFO.UTC_TIME", "BAT.DATA"] and j["blocks"][0]["type"] == "BOOL"'

# ---- history ----------------------------------------------------------------------
expect_rc 0 "history day" "$RSCP" history day 2024-06-20 --json
cp "$TMP/out" "$TMP/day.json"
jcheck "$TMP/day.json" 'j["range"] == "day" and j["start"] == "2024-06-20" and j["interval_seconds"] == 900 and len(j["rows"]) == 96'
jcheck "$TMP/day.json" 'all(abs(sum(r[k] for r in j["rows"]) - j["totals"][k]) <= 1 + 1e-3 * abs(j["totals"][k]) for k in ("pv","battery_in","battery_out","grid_import","grid_export","house"))'
jcheck "$TMP/day.json" 'j["totals"]["pv"] > 1000 and j["totals"]["house"] > 0 and 0 <= j["totals"]["autarky"] <= 100'
jcheck "$TMP/day.json" 'j["rows"][0]["pv"] < 1 and j["rows"][48]["pv"] > 100'
jcheck "$TMP/day.json" 'j["rows"][1]["start"] == "2024-06-20T00:15"'
expect_rc 0 "history week" "$RSCP" history week 2024-06-19 --json
jcheck "$TMP/out" 'j["start"] == "2024-06-17" and len(j["rows"]) == 7 and j["interval_seconds"] == 86400'
cp "$TMP/out" "$TMP/week.json"
# the day inside the week agrees with the day query
python3 - "$TMP/day.json" "$TMP/week.json" <<'PY' && ok || bad "week row of 2024-06-20 equals the day totals"
import json, sys
d = json.load(open(sys.argv[1])); w = json.load(open(sys.argv[2]))
row = [r for r in w["rows"] if r["start"] == "2024-06-20"][0]
sys.exit(0 if all(abs(row[k] - d["totals"][k]) <= 1 + 1e-3 * abs(row[k]) for k in ("pv", "house", "grid_import")) else 1)
PY
expect_rc 0 "history month" "$RSCP" history month 2024-02 --json
jcheck "$TMP/out" 'j["start"] == "2024-02-01" and len(j["rows"]) == 29'
expect_rc 0 "history year" "$RSCP" history year 2023 --json
jcheck "$TMP/out" 'len(j["rows"]) == 12 and j["rows"][1]["start"] == "2023-02-01" and j["rows"][5]["pv"] > j["rows"][11]["pv"]'
expect_rc 0 "history today (table)" "$RSCP" history day
check "history table has a total" grep -q "^total" "$TMP/out"

# ---- errors: exit codes --------------------------------------------------------------
expect_rc 4 "wrong password" env RSCP_PASSWORD=nope "$RSCP" live
check "auth message" grep -qi "auth" "$TMP/err"
check "password not printed" bash -c "! grep -q nope '$TMP/err'"
expect_rc 4 "wrong key" env RSCP_KEY=wrong-key "$RSCP" live --timeout 2000
check "wrong key hint" grep -qi "key" "$TMP/err"
check "key not printed" bash -c "! grep -q wrong-key '$TMP/err'"
expect_rc 3 "connection refused" "$RSCP" live --port 1
start_sim slow --delay 3000
expect_rc 5 "timeout" "$RSCP" live --port "$PORT" --timeout 500
start_sim broken --corrupt-crc
expect_rc 6 "corrupt reply" "$RSCP" live --port "$PORT"

# ---- several clients at once -----------------------------------------------------------
pids=()
for i in 1 2 3 4 5 6; do
    "$RSCP" live --json --watch 0.1 --count 3 >"$TMP/multi$i.json" 2>"$TMP/multi$i.err" &
    pids+=($!)
done
for i in 1 2 3 4 5 6; do
    wait "${pids[$((i - 1))]}"
    check "client $i exit 0" test $? -eq 0
    check "client $i readings" python3 -c "
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
assert len(ls) == 3
for j in ls:
    assert j['pv'] + j['additional'] + j['grid'] == j['house'] + j['battery'] + j['wallbox_all']
" "$TMP/multi$i.json"
done

# ---- demo ---------------------------------------------------------------------------------
expect_rc 0 "demo --once" "$RSCP" demo --once
check "demo shows a reading" grep -q "State of charge" "$TMP/out"
expect_rc 0 "demo --once --json" "$RSCP" demo --once --json
jcheck "$TMP/out" 'j["pv"] + j["additional"] + j["grid"] == j["house"] + j["battery"] + j["wallbox_all"]'

summary
