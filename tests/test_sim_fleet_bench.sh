#!/usr/bin/env bash
# bench/fleet.sh, the simulator side: --stand-in polls a small fleet once a
# second and prints the simulator's figures; without rscp-bridge the bridge
# run stops with a clear message. (No timing is asserted.)
# Usage: test_sim_fleet_bench.sh BUILD_DIR SOURCE_DIR
set -u
B=$1
S=$2
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -x "$B/rscp_fleet_load" ] || { echo "no $B/rscp_fleet_load" >&2; echo "0 passed, 1 failed"; exit 1; }

bash "$S/bench/fleet.sh" --build "$B" --stand-in --sites 3 --duration 2 --port 0 >"$TMP/out" 2>"$TMP/err"; rc=$?
if [ $rc -eq 0 ]; then ok; else bad "stand-in run failed ($rc): $(cat "$TMP/err")"; fi
if grep -qx "fleet_sites 3" "$TMP/out"; then ok; else bad "no fleet_sites 3"; fi
# 3 sites once a second for 2 s: up to 6 polls (fewer only on a stalled
# machine), every one answered.
sent=$(sed -n 's/^fleet_load_polls_sent //p' "$TMP/out")
answered=$(sed -n 's/^fleet_load_polls_answered //p' "$TMP/out")
if [ -n "$sent" ] && [ "$sent" -ge 3 ] && [ "$sent" -le 6 ] && [ "$answered" = "$sent" ] &&
    grep -qx "fleet_load_failures 0" "$TMP/out"; then ok; else bad "polls: $(cat "$TMP/out")"; fi
for k in fleet_sim_cpu_pct fleet_sim_rss_mib; do
    if grep -Eq "^$k [0-9]+\.[0-9]$" "$TMP/out"; then ok; else bad "no $k number"; fi
done

mkdir "$TMP/nobridge"
ln -s "$(cd "$B" && pwd)/rscp" "$TMP/nobridge/rscp"
bash "$S/bench/fleet.sh" --build "$TMP/nobridge" --sites 3 >"$TMP/out2" 2>"$TMP/err2"; rc=$?
if [ $rc -eq 1 ] && grep -q "rscp-bridge not built" "$TMP/err2" && [ ! -s "$TMP/out2" ]; then ok; else
    bad "without the bridge: rc $rc, $(cat "$TMP/err2")"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
