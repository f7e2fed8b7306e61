#!/usr/bin/env bash
# `rscp history` against `rscp sim` over TCP: every field of the device's
# sum and value containers is in the JSON rows, the additional producer is
# shown, and every row and the totals balance:
#   pv + additional + grid import + battery out = house + grid export + battery in.
# The grid's direction: DB.GRID_POWER_IN is the export (feed-in), _OUT the
# import; at 12:30 the simulated plant only exports, so its DB row (read
# raw with `rscp get`) has GRID_POWER_IN > 0 and GRID_POWER_OUT 0, balancing
# that way, and `rscp history` shows it as export.
# The start sent is the device's local midnight written as if UTC.
# Usage: bash test_cli_history.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
RSCP="$BUILD/rscp"
# shellcheck source-path=SCRIPTDIR source=cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"
[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }
command -v python3 >/dev/null || { echo "python3 needed"; exit 1; }

export RSCP_USER=test-user RSCP_PASSWORD=test-password RSCP_KEY=test-key
export HOME="$TMP" XDG_CONFIG_HOME=
unset RSCP_CONFIG RSCP_TIMEOUT
start_sim main --start 2026-06-21T12:30 --seed 7
export RSCP_HOST=127.0.0.1 RSCP_PORT=$PORT

hist() { # NAME ARGS...: rscp history ARGS --json into $TMP/NAME.json
    local name=$1; shift
    if "$RSCP" history "$@" --json >"$TMP/$name.json" 2>"$TMP/$name.err"; then ok
    else bad "history $* exited $?"; cat "$TMP/$name.err" >&2; fi
}

# The helpers of every JSON check: j (the reply), rows (totals + rows).
cat >"$TMP/lib.py" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
rows = [j["totals"]] + j["rows"]
keys = ("start", "pv", "additional", "battery_in", "battery_out", "grid_import", "grid_export", "house",
        "pm0", "pm1", "soc", "autarky", "consumed_production", "cycles", "graph_index")
def balanced(r):
    a = r["pv"] + r["additional"] + r["grid_import"] + r["battery_out"]
    b = r["house"] + r["grid_export"] + r["battery_in"]
    return abs(a - b) <= 1e-5 * max(a, b) + 0.01
def close(a, b):
    return abs(a - b) <= 1e-5 * max(abs(a), abs(b)) + 0.01
PY
# jcheck FILE DESCRIPTION PYTHON
jcheck() {
    if { cat "$TMP/lib.py"; printf '%s\n' "$3"; } | python3 - "$1"; then ok
    else bad "$2"; head -c 600 "$1" >&2; echo >&2; fi
}

for spec in "day 2026-06-20" "week 2026-06-20" "month 2026-05" "year 2025"; do
    name=${spec%% *}
    # shellcheck disable=SC2086
    hist "$name" $spec
    f="$TMP/$name.json"
    jcheck "$f" "$name: every field in every row" \
        'assert all(k in r for r in rows for k in keys), [k for k in keys if k not in rows[1]]
assert all(r[k] is not None for r in rows for k in keys if k != "start"), rows[1]'
    jcheck "$f" "$name: every row and the totals balance" \
        'bad = [r for r in rows if not balanced(r)]
assert not bad, bad[:2]'
    jcheck "$f" "$name: the rows add up to the totals" \
        'for k in ("pv", "additional", "battery_in", "battery_out", "grid_import", "grid_export", "house", "pm0", "pm1"):
    assert close(sum(r[k] for r in j["rows"]), j["totals"][k]), k'
    jcheck "$f" "$name: the additional producer is shown" \
        'assert j["totals"]["additional"] > 0 and j["totals"]["additional"] == j["totals"]["pm0"] + j["totals"]["pm1"]'
done
jcheck "$TMP/day.json" "day: 96 quarter hours, the start as local midnight written as UTC" \
    'assert len(j["rows"]) == 96 and j["rows"][0]["start"] == "2026-06-20T00:00", j["rows"][0]
assert j["start_seconds"] == 1781913600 and j["utc_offset_seconds"] == 7200, j["start_seconds"]
assert [r["graph_index"] for r in j["rows"]] == list(range(96))
assert 0 <= min(r["soc"] for r in rows) and max(r["soc"] for r in rows) <= 100'
# The quarter hour from 12:30 (row 50): the plant feeds in (the live grid
# power is about -2 kW then, and pv + additional far above the house), so it
# is export only, the number the device sent as DB.GRID_POWER_IN.
jcheck "$TMP/day.json" "day 12:30: pure export is grid_export, grid_import 0" \
    'r = j["rows"][50]
assert r["start"] == "2026-06-20T12:30" and r["pv"] + r["additional"] > r["house"] + 1000, r
assert r["grid_export"] > 1000 and r["grid_import"] == 0, r'
jcheck "$TMP/day.json" "autarky and consumed_production from import and export" \
    'r = j["totals"]
assert close(r["autarky"], 100 * (1 - r["grid_import"] / r["house"])), r
assert close(r["consumed_production"], 100 * (1 - r["grid_export"] / (r["pv"] + r["additional"]))), r'
# The same quarter hour as the device's raw DB tags (start 12:30 local
# written as UTC: 1781913600 + 45000).
req='DB.REQ_HISTORY_DATA_DAY{DB.REQ_HISTORY_TIME_START:UINT64=1781958600,DB.REQ_HISTORY_TIME_INTERVAL:UINT64=900,DB.REQ_HISTORY_TIME_SPAN:UINT64=900}'
if "$RSCP" get --json "$req" >"$TMP/raw.json" 2>"$TMP/raw.err"; then ok
else bad "get DB.REQ_HISTORY_DATA_DAY exited $?"; cat "$TMP/raw.err" >&2; fi
check "raw DB row at 12:30: GRID_POWER_IN is the export, it balances so, and history shows it as grid_export" \
    python3 - "$TMP/raw.json" "$TMP/day.json" <<'PY'
import json, sys
raw = json.load(open(sys.argv[1]))
row = json.load(open(sys.argv[2]))["rows"][50]
sums = [b for b in raw["blocks"][0]["value"] if b["name"] == "DB.SUM_CONTAINER"]
v = {b["name"][3:]: b["value"] for b in sums[0]["value"]}
supply = v["DC_POWER"] + v["PM_0_POWER"] + v["PM_1_POWER"] + v["GRID_POWER_OUT"] + v["BAT_POWER_OUT"]
use = v["CONSUMPTION"] + v["GRID_POWER_IN"] + v["BAT_POWER_IN"]
assert v["GRID_POWER_IN"] > 1000 and v["GRID_POWER_OUT"] == 0, v
assert abs(supply - use) <= 1e-5 * supply + 0.01, (supply, use)
assert row["grid_export"] == v["GRID_POWER_IN"] and row["grid_import"] == v["GRID_POWER_OUT"], (row, v)
PY
jcheck "$TMP/week.json" "week: from Monday" \
    'assert j["start"] == "2026-06-15" and len(j["rows"]) == 7 and j["start_seconds"] == 1781481600, j["start"]'
jcheck "$TMP/year.json" "year: twelve months, from the first day of each" \
    'for r in rows:
    assert close(r["autarky"], 100 * (1 - r["grid_import"] / r["house"])), r
    assert close(r["consumed_production"], 100 * (1 - r["grid_export"] / (r["pv"] + r["additional"]))), r
assert [r["start"] for r in j["rows"]] == ["2025-%02d-01" % m for m in range(1, 13)], [r["start"] for r in j["rows"]]
assert j["rows"][1]["graph_index"] == 31, j["rows"][1]
assert close(sum(r["cycles"] for r in j["rows"]), j["totals"]["cycles"])
assert all(0 <= r["soc"] <= 100 and 0 <= r["autarky"] <= 100 and 0 <= r["consumed_production"] <= 100 for r in rows)'

# The JSON is in the tool's one style: compact (no space after ':' or ','),
# one row a line, numbers as the shortest decimal (no float noise).
check "JSON compact, one row a line" python3 -c '
import sys
t = open(sys.argv[1]).read()
lines = t.rstrip("\n").split("\n")
assert "\": " not in t and ", \"" not in t, "spaced JSON"
assert len(lines) == 98 and all(l.startswith("{\"start\":") for l in lines[1:97]), len(lines)
assert lines[-1] == "]}", lines[-1]
import re
assert not re.search(r"\d\.\d{12,}", t), "float noise"' "$TMP/day.json"

# The table shows the additional producer too, and its rows balance
# (integers rounded from the same values: within 3 Wh).
if "$RSCP" history day 2026-06-20 >"$TMP/day.txt" 2>"$TMP/day.err"; then ok; else bad "history day (table)"; fi
check "table: an additional column, grid imp(ort) and exp(ort)" grep -Eq '^start +pv +add\. +bat in +bat out +grid imp +grid exp +house' "$TMP/day.txt"
check "table: 12:30 exports only (grid imp 0, grid exp 1492)" awk '
    $1 == "2026-06-20T12:30" { n++; if ($6 == 0 && $7 == 1492) good++ } END { exit !(n == 1 && good == 1) }' "$TMP/day.txt"
check "table: rows balance" awk '
    /^(2026|total)/ { n++; a = $2 + $3 + $6 + $5; b = $8 + $7 + $4; if (a - b > 3 || b - a > 3) bad++ }
    END { exit !(n == 97 && bad == 0) }' "$TMP/day.txt"
summary
