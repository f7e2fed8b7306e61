#!/usr/bin/env bash
# `rscp sim --sites N`: N plants on consecutive ports in one process, each
# with its own serial number and values; a control on one leaves the others
# alone; bad site counts and port ranges are refused.
# Usage: test_sim_sites.sh BUILD_DIR SOURCE_DIR
set -u
RSCP="$1/rscp"
[ -x "$RSCP" ] || { echo "no rscp binary at $RSCP" >&2; echo "0 passed, 1 failed"; exit 1; }
# shellcheck source=cli_lib.sh
. "$2/tests/cli_lib.sh"
command -v python3 >/dev/null || { echo "python3 needed" >&2; echo "0 passed, 1 failed"; exit 1; }
unset RSCP_PORT
export RSCP_HOST=127.0.0.1 RSCP_USER=site-user RSCP_PASSWORD=site-password RSCP_KEY=site-key

# Usage errors: exit 2, the message names what was wrong, nothing on stdout.
refused() {
    local want=$1; shift
    "$RSCP" sim "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
    if [ $rc -eq 2 ] && [ ! -s "$TMP/out" ] && grep -qF -- "$want" "$TMP/err"; then ok; else
        bad "rscp sim $* (rc $rc): $(cat "$TMP/err")"; fi
}
refused "invalid number of sites (1..1000) '0'" --sites 0
refused "invalid number of sites (1..1000) '1001'" --sites 1001
refused "invalid number of sites (1..1000) 'three'" --sites three
refused "invalid number of sites (1..1000) '-1'" --sites -1
refused "missing value for option '--sites'" --sites
refused "10 sites from port 65530 need ports up to 65539, above 65535" --sites 10 --port 65530
check "--sites in --help" bash -c "'$RSCP' sim --help | grep -q -- '--sites N'"

# Three sites on a free range.
"$RSCP" sim --sites 3 --port 0 --seed 7 --start 2024-06-21T12:00 >"$TMP/sim.out" 2>"$TMP/sim.err" &
SIM_PIDS+=($!)
for _ in $(seq 100); do grep -q "^listening on" "$TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
check "one start line with the range" grep -Eq '^listening on 127\.0\.0\.1:[0-9]+-[0-9]+ \(3 sites\)$' "$TMP/sim.out"
P=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)-\([0-9]*\) .*/\1/p' "$TMP/sim.out")
LAST=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)-\([0-9]*\) .*/\2/p' "$TMP/sim.out")
[ -n "$P" ] || { cat "$TMP/sim.out" "$TMP/sim.err" >&2; bad "no start line"; summary; exit 1; }
check "range of three ports" [ "$LAST" -eq $((P + 2)) ]
check "stderr names seeds and serials" grep -q "3 sites on ports $P..$LAST, model default, seeds 7..9, serial numbers S10-" "$TMP/sim.err"
check "no secret in the start lines" bash -c "! grep -q 'site-password\|site-key' '$TMP/sim.out' '$TMP/sim.err'"

for i in 0 1 2; do
    "$RSCP" info --port $((P + i)) --json >"$TMP/info$i.json" 2>"$TMP/info$i.err" || bad "info $i: $(cat "$TMP/info$i.err")"
    "$RSCP" live --port $((P + i)) --json >"$TMP/live$i.json" 2>"$TMP/live$i.err" || bad "live $i: $(cat "$TMP/live$i.err")"
done
check "three serial numbers, consecutive, in the model's format" python3 -c "
import json,re,sys
s=[json.load(open('$TMP/info%d.json' % i))['serial_number'] for i in range(3)]
assert all(re.fullmatch(r'S10-\d{12}', x) for x in s), s
n=[int(x[4:]) for x in s]
assert n[1] == n[0] + 1 and n[2] == n[0] + 2, s
m=[json.load(open('$TMP/info%d.json' % i))['mac_address'] for i in range(3)]
assert len(set(m)) == 3, m
"
check "independent values (own seeds)" python3 -c "
import json
v=[json.load(open('$TMP/live%d.json' % i)) for i in range(3)]
keys=('pv','house','soc','additional')
t=[tuple(x[k] for k in keys) for x in v]
assert len(set(t)) == 3, t
assert all(x['pv'] > 0 for x in v), t  # midsummer noon
"
# Site 0 of --seed 7 has the identity of the single plant of --seed 7.
start_sim single --seed 7 --start 2024-06-21T12:00
"$RSCP" info --port "$PORT" --json >"$TMP/single.json" 2>&1
check "site 0 of seed 7 = plant of seed 7" python3 -c "
import json
a=json.load(open('$TMP/info0.json')); b=json.load(open('$TMP/single.json'))
assert a['serial_number'] == b['serial_number'] and a['mac_address'] == b['mac_address'], (a, b)
"

# A control on site 1 does not change sites 0 and 2.
for i in 0 1 2; do "$RSCP" settings --port $((P + i)) --json >"$TMP/before$i.json" 2>&1; done
check "set reserve 20% on site 1" "$RSCP" set reserve 20% --port $((P + 1)) --json
for i in 0 1 2; do "$RSCP" settings --port $((P + i)) --json >"$TMP/after$i.json" 2>&1; done
check "reserve changed on site 1 only" python3 -c "
import json
b=[json.load(open('$TMP/before%d.json' % i)) for i in range(3)]
a=[json.load(open('$TMP/after%d.json' % i)) for i in range(3)]
def res(j): return round(j['reserve_percent'], 1)
assert abs(res(a[1]) - 20) < 0.5, a[1]
for i in (0, 2):
    assert res(a[i]) == res(b[i]) and res(b[i]) != 20, (i, b[i], a[i])
"

# Stopped by SIGTERM with exit 0.
kill -TERM "${SIM_PIDS[0]}"; wait "${SIM_PIDS[0]}"; rc=$?
check "SIGTERM stops the fleet with 0" [ "$rc" -eq 0 ]

# A port of the range in use: exit 3 naming the site and the port.
start_sim busy
"$RSCP" sim --sites 3 --port "$PORT" >"$TMP/b.out" 2>"$TMP/b.err"; rc=$?
check "busy port refused with 3" [ "$rc" -eq 3 ]
check "message names the busy port" grep -q "site 0 of 3: cannot listen on 127.0.0.1:$PORT: Address already in use" "$TMP/b.err"
summary
