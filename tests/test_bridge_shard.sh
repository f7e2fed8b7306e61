#!/usr/bin/env bash
# rscp-bridge --shard K/N: two instances over one configuration of six
# sites (`rscp sim --sites 6`) and one real mosquitto broker. Checked:
#  - bad --shard arguments are refused (exit 2) with a message naming them;
#  - --check-config of 1/2 and 2/2 plans every site exactly once, with a
#    client id of its own per shard;
#  - running, every site's status is online under <prefix>/<site> (also
#    the one site of shard 2: the names hash to 5 and 1), and its values
#    arrive; each site is polled by exactly one instance (its /metrics and
#    its log), none by both, none by neither;
#  - the instances do not take each other's broker connection (one
#    connect each, the broker sees two client ids), each has its own
#    bridge status; a command gets one answer, for a site of either shard
#    and for an unknown site.
# Usage: test_bridge_shard.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"

need_tools mosquitto mosquitto_sub mosquitto_pub python3
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

# ---- bad arguments ----------------------------------------------------------
for a in 0/2 3/2 1/0 abc 1/2/3 "" /2 1/ -1/2; do
    expect_rc 2 "--shard '$a' refused" "$BRIDGE" --shard "$a" --check-config
    errhas "rscp-bridge: --shard needs K/N with 1 <= K <= N <= 1000, not: $a\$"
done
expect_rc 2 "--shard without a value refused" "$BRIDGE" --shard
errhas "rscp-bridge: --shard needs K/N"

# ---- six sites, one configuration -------------------------------------------
"$RSCP" sim --sites 6 --port 0 --seed 3 --start 2025-04-14T09:00:00Z >"$TMP/sim.out" 2>"$TMP/sim.err" &
SIM_PIDS+=($!)
for _ in $(seq 100); do grep -q "^listening on" "$TMP/sim.out" 2>/dev/null && break; sleep 0.05; done
BASE=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)-[0-9]* (6 sites)$/\1/p' "$TMP/sim.out")
[ -n "$BASE" ] || { echo "FAIL: rscp sim --sites 6 did not start" >&2; cat "$TMP/sim.out" "$TMP/sim.err" >&2; exit 1; }

BPORT=$(sh "$SRC/tests/broker.sh" start "$TMP/broker") || exit 1
stop_all() { sh "$SRC/tests/broker.sh" stop "$TMP/broker"; cleanup; }
trap stop_all EXIT

# FNV-1a of the names modulo 2: shop is shard 2's only site, the five
# others are shard 1's.
SITES="home cabin barn shop garage lake"
{
    printf '[mqtt]\nhost = 127.0.0.1\nport = %s\n' "$BPORT"
    i=0
    for s in $SITES; do
        printf '[site %s]\nhost = 127.0.0.1\nport = %s\nuser = sim-user\npassword = sim-password\nkey = sim-key\ninterval = 1\n' \
            "$s" $((BASE + i))
        i=$((i + 1))
    done
} >"$TMP/bridge.conf"
chmod 600 "$TMP/bridge.conf"

# ---- the plans ----------------------------------------------------------------
for k in 1 2; do
    expect_rc 0 "--check-config --shard $k/2" "$BRIDGE" --config "$TMP/bridge.conf" --check-config --shard $k/2
    sed -n 's/^site \([a-z]*\):.*/\1/p' "$TMP/out" | sort >"$TMP/plan.$k"
    sed -n 's/.*, client id \([^,]*\),.*/\1/p' "$TMP/out" >"$TMP/id.$k"
done
check "the plans: shard 1 has five sites" test "$(wc -l <"$TMP/plan.1")" -eq 5
check "the plans: shard 2 has shop alone" test "$(cat "$TMP/plan.2")" = shop
check "the plans: no site in both" test -z "$(comm -12 "$TMP/plan.1" "$TMP/plan.2")"
check "the plans: every site in one" test "$(sort -u "$TMP/plan.1" "$TMP/plan.2" | tr '\n' ' ')" = "$(printf '%s\n' home cabin barn shop garage lake | sort | tr '\n' ' ')"
check "the plans: client ids rscp-bridge-1-of-2 and rscp-bridge-2-of-2" \
    test "$(cat "$TMP/id.1") $(cat "$TMP/id.2")" = "rscp-bridge-1-of-2 rscp-bridge-2-of-2"

# ---- two instances ------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for k in 1 2; do
    mp=$(free_port)
    eval "MPORT_$k=$mp"
    "$BRIDGE" --config "$TMP/bridge.conf" --shard $k/2 --metrics "127.0.0.1:$mp" --verbose >"$TMP/bridge.$k.log" 2>&1 &
    SIM_PIDS+=($!)
done

# Every site's retained status, as "site status" lines.
statuses() {
    mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t 'e3dc/+/status' -W 1 -v 2>/dev/null |
        sed -n 's|^e3dc/\([a-z]*\)/status \(.*\)$|\1 \2|p' | sort
}
all_online() { [ "$(statuses | grep -c ' online$')" -eq 6 ]; }
for _ in $(seq 30); do all_online && break; sleep 0.5; done
statuses >"$TMP/statuses"
for s in $SITES; do
    check "e3dc/$s/status is online" grep -qx "$s online" "$TMP/statuses"
done
check "no status topic but the six sites'" test "$(wc -l <"$TMP/statuses")" -eq 6
mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t 'e3dc/+/battery/soc' -W 2 -v >"$TMP/soc" 2>/dev/null
for s in $SITES; do
    check "e3dc/$s/battery/soc arrived" grep -Eq "^e3dc/$s/battery/soc [0-9.]+$" "$TMP/soc"
done
check "nothing under the one-site prefix (e3dc/battery/soc)" \
    test -z "$(mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t e3dc/battery/soc -W 1 2>/dev/null)"

# Who polls which site: each instance's /metrics and log.
for k in 1 2; do
    eval "mp=\$MPORT_$k"
    python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" \
        "http://127.0.0.1:$mp/metrics" >"$TMP/metrics.$k"
    sed -n 's/^rscp_up{site="\([a-z]*\)"} 1$/\1/p' "$TMP/metrics.$k" | sort >"$TMP/up.$k"
    sed -n 's/^.*site \([a-z]*\): online$/\1/p' "$TMP/bridge.$k.log" | sort -u >"$TMP/logged.$k"
done
check "metrics: shard 1's instance polls its five sites" cmp -s "$TMP/up.1" "$TMP/plan.1"
check "metrics: shard 2's instance polls shop" cmp -s "$TMP/up.2" "$TMP/plan.2"
check "metrics: no site in both instances" test -z "$(comm -12 "$TMP/up.1" "$TMP/up.2")"
check "metrics: every site in one instance" test "$(sort -u "$TMP/up.1" "$TMP/up.2" | wc -l)" -eq 6
check "logs: each site online in exactly one instance" \
    test "$(sort "$TMP/logged.1" "$TMP/logged.2" | uniq -c | awk '$1 == 1' | wc -l)" -eq 6

# One connection each, kept: distinct client ids, no takeover.
for k in 1 2; do
    check "instance $k connected once" test "$(grep -c "mqtt 127.0.0.1:$BPORT: connected" "$TMP/bridge.$k.log")" -eq 1
    check "instance $k lost no connection" bash -c "! grep -q 'connection lost' '$TMP/bridge.$k.log'"
    check "e3dc/bridge/$k-of-2/status is online" \
        test "$(mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "e3dc/bridge/$k-of-2/status" -C 1 -W 2 2>/dev/null)" = online
    check "the broker sees client rscp-bridge-$k-of-2" grep -q "as rscp-bridge-$k-of-2 " "$TMP/broker/mosquitto.log"
done
check "the broker closed no connection for a taken client id" bash -c "! grep -q 'already connected' '$TMP/broker/mosquitto.log'"

# A command gets one answer: a bad payload (nothing changes) for a site of
# each shard and for a site of no shard.
one_answer() {
    local t=$1
    mosquitto_sub -h 127.0.0.1 -p "$BPORT" -t "$t/result" -W 3 >"$TMP/answers" 2>/dev/null &
    local sub=$!
    sleep 0.5
    mosquitto_pub -h 127.0.0.1 -p "$BPORT" -t "$t" -m bogus
    wait "$sub"
    [ "$(wc -l <"$TMP/answers")" -eq 1 ] && grep -q '"ok":false' "$TMP/answers" ||
        { echo "answers on $t/result:" >&2; cat "$TMP/answers" >&2; return 1; }
}
check "a command for home (shard 1) gets one answer" one_answer e3dc/home/set/power_mode
check "a command for shop (shard 2) gets one answer" one_answer e3dc/shop/set/power_mode
check "a command for no site gets one answer" one_answer e3dc/attic/set/power_mode
check "  ... saying there is no such site" grep -q "no such site" "$TMP/answers"

check "no secret in the logs" bash -c "! grep -q -e sim-password -e sim-key '$TMP'/bridge.*.log"
if [ "$fail" -gt 0 ]; then
    for k in 1 2; do echo "--- bridge $k" >&2; tail -8 "$TMP/bridge.$k.log" >&2; done
fi
summary
