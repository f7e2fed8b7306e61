#!/usr/bin/env bash
# rscp-bridge's /metrics of a fleet, streamed: a simulator of N sites
# (rscp sim --sites, default 300), a real mosquitto broker, the bridge
# polling every site. The page (~12 KB a site) is taken by slow readers
# (tests/bridge_metrics_slow.py: a 4 KiB receive buffer, 8 KiB reads with
# pauses), three at once, over HTTP/1.1 (chunked) and 1.0 (to the close):
#   - each page arrives whole, passes `promtool check metrics`, has every
#     site, every family's TYPE once, and the same series as a fast scrape;
#   - the bridge's peak memory (VmHWM, reset before the scrapes through
#     /proc/PID/clear_refs) grows by less than LIMIT_KIB (default 4 MiB)
#     over its resident size before them: the page is not held whole (it
#     was: ~N x 12 KB of text and N x 120 x 64 bytes of samples per scrape,
#     6.8 MiB more for three; now about 0.6 MiB, 2.4 MiB under ASan);
#   - a reload (SIGHUP) that drops half the sites while a page is being
#     streamed ends that page unfinished, and the bridge serves the next
#     one with the remaining sites.
# Usage: test_bridge_metrics_stream.sh BUILD_DIR SOURCE_DIR [N] [LIMIT_KIB]
set -u
BUILD=$1
SRC=$2
N=${3:-300}
LIMIT_KIB=${4:-4096}
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"

need_tools mosquitto python3 curl promtool
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

BPORT=$(sh "$SRC/tests/broker.sh" start "$TMP/broker") || exit 1
stop_all() { sh "$SRC/tests/broker.sh" stop "$TMP/broker"; cleanup; }
trap stop_all EXIT
MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ulimit -n "$(ulimit -Hn)" 2>/dev/null

export RSCP_USER=fleet-user RSCP_PASSWORD=fleet-password RSCP_KEY=fleet-key
"$RSCP" sim --sites "$N" --port 0 --start 2025-06-14T11:00:00Z >"$TMP/sim.log" 2>&1 &
SIM_PIDS+=($!)
BASE=
for _ in $(seq 200); do
    BASE=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)-[0-9]* .*/\1/p; s/^listening on .*:\([0-9][0-9]*\)-[0-9]*$/\1/p' "$TMP/sim.log")
    [ -n "$BASE" ] && break
    sleep 0.05
done
[ -n "$BASE" ] || { echo "FAIL: the simulator did not start: $(cat "$TMP/sim.log")" >&2; exit 1; }

# The configuration of sites FROM..TO-1.
config() {
    printf '[mqtt]\nhost = 127.0.0.1\nport = %s\n\n[prometheus]\nlisten = 127.0.0.1:%s\n\n' "$BPORT" "$MPORT"
    for i in $(seq "$1" $(($2 - 1))); do
        printf '[site s%04d]\nhost = 127.0.0.1\nport = %d\nuser = %s\npassword = %s\nkey = %s\ninterval = 1\n\n' \
            "$i" $((BASE + i)) "$RSCP_USER" "$RSCP_PASSWORD" "$RSCP_KEY"
    done
}
umask 077
config 0 "$N" >"$TMP/bridge.conf"
# Under AddressSanitizer freed memory waits in its quarantine (256 MiB by
# default) instead of being used again, so the peak would count every chunk
# ever sent: the bridge runs without it (other builds ignore the variable).
ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=0" \
    "$BRIDGE" --config "$TMP/bridge.conf" >"$TMP/bridge.log" 2>&1 &
BRIDGE_PID=$!
SIM_PIDS+=("$BRIDGE_PID")

# Until every site has been polled (a sample of rscp_battery_soc_ratio each).
up=0
for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$MPORT/metrics" -o "$TMP/fast.txt" 2>/dev/null &&
        up=$(grep -c '^rscp_battery_soc_ratio{' "$TMP/fast.txt")
    [ "$up" -ge "$N" ] && break
    sleep 0.5
done
check "all $N sites polled (got $up)" test "$up" -ge "$N"

# The series of a page: "name{labels}" of every sample, sorted.
series() { grep -v '^#' "$1" | sed 's/ [^ ]*$//' | sort; }
# Every family's TYPE once and its samples in one run of lines.
grouped() {
    awk '/^# TYPE / { if (seen[$3]++) { print "TYPE twice: " $3; bad = 1 } next }
         /^#/ { next }
         { n = $1; sub(/\{.*/, "", n); if (n != last && done[n]) { print "family split: " n; bad = 1 }
           if (n != last) { done[last] = 1; last = n } }
         END { exit bad }' "$1"
}
page_ok() {
    local f=$1 what=$2
    check "$what: promtool check metrics" promtool check metrics <"$f"
    check "$what: every site (rscp_up)" test "$(grep -c '^rscp_up{' "$f")" -eq "$3"
    check "$what: families grouped" grouped "$f"
    check "$what: ends with the bridge's counters" \
        sh -c "tail -1 '$f' | grep -q '^rscp_bridge_http_requests_total [0-9]*$'"
}

rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$BRIDGE_PID/status"; }
hwm_kib() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$BRIDGE_PID/status"; }
curl -fsS "http://127.0.0.1:$MPORT/metrics" -o "$TMP/fast.txt"
sleep 1
rss0=$(rss_kib)
echo 5 >"/proc/$BRIDGE_PID/clear_refs" # the peak starts again from now
SLOW="$SRC/tests/bridge_metrics_slow.py"
python3 "$SLOW" "$MPORT" "$TMP/slow1.txt" >"$TMP/slow1.out" 2>&1 &
p1=$!
python3 "$SLOW" "$MPORT" "$TMP/slow2.txt" --piece 4096 >"$TMP/slow2.out" 2>&1 &
p2=$!
python3 "$SLOW" "$MPORT" "$TMP/slow3.txt" --version 1.0 >"$TMP/slow3.out" 2>&1 &
p3=$!
for p in 1 2 3; do
    pid_var=p$p
    if wait "${!pid_var}"; then ok; else bad "slow reader $p: $(cat "$TMP/slow$p.out")"; fi
done
hwm=$(hwm_kib)
grow=$((hwm - rss0))
echo "page $(wc -c <"$TMP/slow1.txt") bytes; VmRSS before $rss0 KiB, VmHWM during three slow scrapes $hwm KiB (+$grow)"
check "the peak memory grew by $grow KiB (< $LIMIT_KIB KiB) for three slow scrapes" test "$grow" -lt "$LIMIT_KIB"
page_ok "$TMP/slow1.txt" "slow HTTP/1.1" "$N"
page_ok "$TMP/slow2.txt" "slow HTTP/1.1, 4 KiB reads" "$N"
page_ok "$TMP/slow3.txt" "slow HTTP/1.0" "$N"
page_ok "$TMP/fast.txt" "fast" "$N"
series "$TMP/fast.txt" >"$TMP/fast.series"
series "$TMP/slow1.txt" >"$TMP/slow1.series"
check "the slow page has the fast page's series" cmp -s "$TMP/fast.series" "$TMP/slow1.series"

# A reload dropping half the sites while a slow page (~0.8 MB/s, well within
# the write deadline) is on its way.
half=$((N / 2))
python3 "$SLOW" "$MPORT" "$TMP/hup.txt" --pause 0.01 >"$TMP/hup.out" 2>&1 &
ph=$!
sleep 1
config 0 "$half" >"$TMP/bridge.conf"
kill -HUP "$BRIDGE_PID"
wait "$ph"
rc=$?
check "the page across the reload ended unfinished (rc $rc: $(cat "$TMP/hup.out"))" test "$rc" -eq 1
sleep 1
check "the bridge runs after the reload" kill -0 "$BRIDGE_PID"
python3 "$SLOW" "$MPORT" "$TMP/after.txt" >"$TMP/after.out" 2>&1
check "a page after the reload: $(cat "$TMP/after.out")" grep -q '^complete' "$TMP/after.out"
page_ok "$TMP/after.txt" "after the reload" "$half"
summary
