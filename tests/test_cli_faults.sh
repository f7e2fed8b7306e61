#!/usr/bin/env bash
# Every fault option of `rscp sim`, end to end with the rscp tool over TCP:
# the right exit code and message within the deadline, and `live --watch`
# reconnecting (fresh IVs, fresh authentication) and reporting the gap.
# Also: device busy errors, Ctrl-C, the watch schedule, settings precedence
# (options > environment > config file), IPv6, terminal output, and that no
# secret appears in any output.
# Usage: bash test_cli_faults.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
RSCP="$BUILD/rscp"
# shellcheck source-path=SCRIPTDIR source=cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"

# run NAME CMD...: runs CMD with stdout/stderr in $TMP/NAME.{out,err}; sets RC
# and MS (elapsed milliseconds).
run() {
    local name=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    RC=$?
    t1=$(date +%s%N)
    MS=$(((t1 - t0) / 1000000))
}
# expect NAME RC MAX_MS CMD...
expect() {
    local name=$1 want=$2 max=$3; shift 3
    run "$name" "$@"
    if [ "$RC" -eq "$want" ] && [ "$MS" -le "$max" ]; then ok
    else bad "$name: exit $RC in $MS ms, want $want within $max ms"; sed 's/^/    /' "$TMP/$name.err" >&2; fi
}
lines() { wc -l <"$1" | tr -d ' '; }
has() { grep -q -- "$2" "$TMP/$1"; }

[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }

SECRET_PW=pw-Fault-7f3a9c
SECRET_KEY=key-Fault-41d2e8
export RSCP_USER=fault-user RSCP_PASSWORD=$SECRET_PW RSCP_KEY=$SECRET_KEY RSCP_HOST=127.0.0.1
export HOME="$TMP/home" XDG_CONFIG_HOME=
mkdir -p "$HOME"
unset RSCP_CONFIG RSCP_TIMEOUT RSCP_PORT

T=800          # --timeout of the clients (ms)
DEADLINE=2500  # one command with one timeout: T plus slack for loaded machines

# ---- one-shot commands: exit code, message and deadline per fault ------------------
start_sim plain
expect plain 0 $DEADLINE "$RSCP" live --json --port "$PORT" --timeout $T

start_sim delay-short --delay 200
expect delay-short 0 $DEADLINE "$RSCP" live --json --port "$PORT" --timeout 2000
start_sim delay-long --delay 5000
expect delay-long 5 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T
check "delay: timeout message" has delay-long.err "timed out"

# the authentication reply is 32 bytes: 100 stops inside the first reply
start_sim stall --stall-after 100
expect stall 5 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T
check "stall: names the bytes received" has stall.err "68 bytes received"
start_sim stall-auth --stall-after 10
expect stall-auth 5 $DEADLINE "$RSCP" info --port "$PORT" --timeout $T

start_sim close --close-after 100
expect close 3 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T
check "close: message" has close.err "connection closed by peer: 127.0.0.1:[0-9]* (68 bytes of the reply received)"
start_sim close-auth --close-after 10
expect close-auth 3 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T
check "close inside the auth reply is not blamed on the key" bash -c "! grep -qi 'RSCP key' '$TMP/close-auth.err'"

start_sim reset --reset
expect reset 3 $DEADLINE "$RSCP" get EMS.REQ_POWER_PV --port "$PORT" --timeout $T
check "reset: message" has reset.err "reset the connection"

start_sim chunk --chunk 1
expect chunk 0 $DEADLINE "$RSCP" get --json 'BAT.REQ_DATA{BAT.INDEX=0,BAT.REQ_RSOC,BAT.REQ_DCB_COUNT}' --port "$PORT" --timeout $T
check "chunk 1: whole reply" python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert len(j['blocks'][0]['value']) == 3" "$TMP/chunk.out"
expect chunk-watch 0 10000 "$RSCP" live --json --watch 0.1 --count 3 --port "$PORT" --timeout $T
check "chunk 1: three readings" test "$(lines "$TMP/chunk-watch.out")" -eq 3

# a client that waits for each reply never completes a held pair: a timeout
start_sim coalesce --coalesce 2
expect coalesce 5 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T

start_sim crc --corrupt-crc
expect crc 6 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T
check "crc: message" has crc.err "CRC-32 mismatch"

start_sim drop --drop-frame 1
expect drop 5 $DEADLINE "$RSCP" info --port "$PORT" --timeout $T

start_sim refuse --refuse-auth
expect refuse 4 $DEADLINE "$RSCP" live --port "$PORT" --timeout $T
check "refused: message" has refuse.err "user name and password"
check "refused: said once" test "$(grep -o 'refused' "$TMP/refuse.err" | wc -l)" -eq 1
expect refuse-watch 4 $DEADLINE "$RSCP" live --watch 0.2 --port "$PORT" --timeout $T

start_sim busy --busy-every 1
for cmd in live info "history day" "get EMS.REQ_POWER_PV"; do
    n=busy-${cmd%% *}
    # shellcheck disable=SC2086
    expect "$n" 1 $DEADLINE "$RSCP" $cmd --port "$PORT" --timeout $T
    check "$n: names the busy error" grep -q "AGAIN" "$TMP/$n.out" "$TMP/$n.err"
done
check "history: busy, not a protocol error" bash -c "! grep -q 'malformed' '$TMP/busy-history.err'"
expect busy-json 1 $DEADLINE "$RSCP" live --json --port "$PORT" --timeout $T
check "busy: JSON counts the error" python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j['device_errors'] == 1 and j['pv'] is None" "$TMP/busy-json.out"
check "busy: get prints the error block" has busy-get.out "GENERAL_ERROR.*AGAIN"
# the second request of history (after INFO) is the busy one
start_sim busy2 --busy-every 2
expect busy-history2 1 $DEADLINE "$RSCP" history day 2024-06-20 --json --port "$PORT" --timeout $T
check "history reply busy: named" has busy-history2.err "AGAIN"
check "history reply busy: no JSON" test ! -s "$TMP/busy-history2.out"
expect busy-history3 0 $DEADLINE "$RSCP" history day 2024-06-20 --json --utc-offset 7200 --port "$PORT" --timeout $T
# a write answered GENERAL_ERROR AGAIN in place of its answer (the second
# request: after the read of the current values) is a refusal with the
# device's reason named (exit 1), not a malformed reply
printf '{"periods": [{"type": "charge", "day": "monday", "active": false, "start": "01:00", "end": "02:00"}]}' >"$TMP/ip.json"
i=0
for w in "set weather on" "set limits --charge 3000" "set reserve 10%" "charge 100" "set idle-periods $TMP/ip.json"; do
    n=busy-write-$((++i))
    # shellcheck disable=SC2086
    expect "$n" 1 $DEADLINE "$RSCP" $w --port "$PORT" --timeout $T
    check "$n ($w): refused, reason named" has "$n.err" "the device refused .*:"
    check "$n ($w): AGAIN" has "$n.err" "GENERAL_ERROR = AGAIN"
    check "$n ($w): not a malformed reply" bash -c "! grep -q malformed '$TMP/$n.err'"
done
# the wallbox set is its third request (after discovery and the state)
start_sim busy3 --busy-every 3
# the read back is the third request of the other writes: the write went
# through, the read back is not answered and says why (exit 1)
i=0
for w in "set weather on" "set reserve 10%" "set idle-periods $TMP/ip.json"; do
    n=busy-readback-$((++i))
    # shellcheck disable=SC2086
    expect "$n" 1 $DEADLINE "$RSCP" $w --port "$PORT" --timeout $T
    check "$n ($w): could not be read back" has "$n.err" "could not be read back"
    check "$n ($w): AGAIN" has "$n.err" "GENERAL_ERROR = AGAIN"
    check "$n ($w): not called ignored" bash -c "! grep -q ignored '$TMP/$n.err'"
done
expect busy-wallbox 1 $DEADLINE "$RSCP" wallbox set --mode mixed --port "$PORT" --timeout $T
check "busy wallbox set: refused, reason named" has busy-wallbox.err "the device refused the wallbox set:"
check "busy wallbox set: AGAIN" has busy-wallbox.err "GENERAL_ERROR = AGAIN"
# a hold whose resend (the third request, after the specs and the first
# SET_POWER) is answered AGAIN: refused by name, auto sent once, exit 1
expect busy-power 1 6000 "$RSCP" power charge 1000 --for 4s --interval 1000 --json --port "$PORT" --timeout $T
check "busy power: refused, reason named" has busy-power.err "the device refused SET_POWER charge:"
check "busy power: AGAIN" has busy-power.err "GENERAL_ERROR = AGAIN"
check "busy power: not a malformed reply" bash -c "! grep -q malformed '$TMP/busy-power.err'"
check "busy power: back to auto once, at the end" python3 -c "
import json, sys
L = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert L[0]['mode'] == 'charge' and L[-1]['mode'] == 'auto' and L[-1]['closing']
assert sum(1 for x in L if x['mode'] == 'auto') == 1" "$TMP/busy-power.out"

# ---- live --watch survives connection faults ------------------------------------------
# Each reading after a reconnect has device_errors 0: the simulator only answers
# after a fresh authentication, and only decrypts with fresh IVs.
watch_ok() {
    local name=$1
    check "$name: four readings" test "$(lines "$TMP/$name.out")" -eq 4
    check "$name: readings are complete" python3 -c "
import json, sys
for l in open(sys.argv[1]):
    j = json.loads(l)
    assert j['device_errors'] == 0 and j['pv'] is not None, j
" "$TMP/$name.out"
    check "$name: reports the loss" has "$name.err" "connection lost"
    check "$name: reports the gap" has "$name.err" "reconnected: no reading for"
}
start_sim w-close --close-after 400
expect w-close 0 15000 "$RSCP" live --json --watch 0.2 --count 4 --port "$PORT" --timeout $T
watch_ok w-close
start_sim w-stall --stall-after 400
expect w-stall 0 15000 "$RSCP" live --json --watch 0.2 --count 4 --port "$PORT" --timeout $T
watch_ok w-stall
start_sim w-drop --drop-frame 2
expect w-drop 0 15000 "$RSCP" live --json --watch 0.2 --count 4 --port "$PORT" --timeout $T
watch_ok w-drop
check "w-drop: counts the missed readings" grep -Eq "\(([1-9][0-9]*) readings? missed\)" "$TMP/w-drop.err"
start_sim w-busy --busy-every 2
expect w-busy 1 15000 "$RSCP" live --json --watch 0.1 --count 4 --port "$PORT" --timeout $T
check "w-busy: four readings, two busy" python3 -c "
import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
assert [j['device_errors'] for j in ls] == [0, 1, 0, 1], ls
" "$TMP/w-busy.out"

# a simulator that resets every request: the watch keeps trying with growing
# delays until it is stopped; then it exits with 128 + the signal
start_sim w-reset --reset
"$RSCP" live --json --watch 0.2 --port "$PORT" --timeout $T >"$TMP/w-reset.out" 2>"$TMP/w-reset.err" &
wpid=$!
sleep 2.5
kill -TERM $wpid
wait $wpid
rc=$?
check "w-reset: exit 143 after SIGTERM, got $rc" test $rc -eq 143
check "w-reset: no readings" test "$(lines "$TMP/w-reset.out")" -eq 0
check "w-reset: several attempts" test "$(grep -c 'request failed' "$TMP/w-reset.err")" -ge 3
check "w-reset: delays grow" python3 -c "
import re, sys
d = [float(x) for x in re.findall(r'next attempt in ([0-9.]+) s', open(sys.argv[1]).read())]
assert len(d) >= 2 and max(d) > d[0] and max(d) <= 30, d
" "$TMP/w-reset.err"

# the simulator goes away and comes back on the same port
start_sim w-back
BACK=$PORT
BACKPID=${SIM_PIDS[-1]}
"$RSCP" live --json --watch 0.2 --port "$BACK" --timeout $T >"$TMP/w-back.out" 2>"$TMP/w-back.err" &
wpid=$!
sleep 0.7
kill "$BACKPID"; wait "$BACKPID" 2>/dev/null
sleep 1.2
"$RSCP" sim --port "$BACK" >"$TMP/sim-back2.log" 2>&1 &
SIM_PIDS+=($!)
sleep 4.5 # the backoff's fourth delay ends at most 3.5 s after the loss
kill -INT $wpid
wait $wpid
rc=$?
check "w-back: exit 130 after Ctrl-C, got $rc" test $rc -eq 130
check "w-back: reports the refused reconnects" has w-back.err "Connection refused"
check "w-back: reports the gap" has w-back.err "reconnected: no reading for"
check "w-back: readings before and after" python3 -c "
import json, sys
ts = [json.loads(l)['seconds'] for l in open(sys.argv[1])]
gaps = [b - a for a, b in zip(ts, ts[1:])]
assert len(ts) >= 4 and max(gaps) >= 1, ts
" "$TMP/w-back.out"

# a reconnect that meets a device accepting and closing at once (no free
# connection), then one refusing the authentication, does not end the watch:
# each failure is reported and retried until the device answers again
start_sim w-full-ok
OKP=$PORT
start_sim w-full-refuse --refuse-auth
REFP=$PORT
python3 "$(dirname "$0")/fault_proxy.py" "$OKP@500" close close "$REFP" "$OKP" >"$TMP/proxy.log" 2>&1 &
SIM_PIDS+=($!)
PXP=
for _ in $(seq 100); do
    PXP=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$TMP/proxy.log" 2>/dev/null)
    [ -n "$PXP" ] && break
    sleep 0.05
done
expect w-full 0 15000 "$RSCP" live --json --watch 0.2 --count 5 --port "$PXP" --timeout $T
check "w-full: five readings" test "$(lines "$TMP/w-full.out")" -eq 5
check "w-full: the accept-and-close named with both causes" \
    has w-full.err "reconnect failed: no reply to the authentication: check the RSCP key, or the device accepts no more connections"
check "w-full: the refusal reported and retried" has w-full.err "reconnect failed: authentication refused"
check "w-full: three failed reconnects" test "$(grep -c 'reconnect failed' "$TMP/w-full.err")" -eq 3
check "w-full: then the gap" has w-full.err "reconnected: no reading for"
check "w-full: no message says a thing twice" bash -c "! grep -E 'RSCP key.*RSCP key|refused.*refused|closed.*closed' '$TMP/w-full.err'"

# ---- schedule and stopping --------------------------------------------------------------
start_sim sched
expect sched 0 5000 "$RSCP" live --json --watch 0.25 --count 5 --port "$PORT" --timeout $T
# (bounds wide enough for a loaded 2-core CI machine; a schedule that
# drifted by a reading's own time would still go beyond them)
check "schedule: 5 readings in about 1 s" test "$MS" -ge 950 -a "$MS" -le 3000
# on the fixed schedule a late reading does not shift the next ones: the
# four gaps add up to about 1 s even when single ones stretch on a loaded machine
check "schedule: readings 0.25 s apart on average" python3 -c "
import json, sys
t = [j['seconds'] + j['nanoseconds'] / 1e9 for j in map(json.loads, open(sys.argv[1]))]
assert len(t) == 5 and 0.85 <= t[-1] - t[0] <= 1.6 and all(0.05 <= b - a <= 1.0 for a, b in zip(t, t[1:])), t
" "$TMP/sched.out"
# Ctrl-C while a reply is awaited: out at once, readings so far intact
start_sim slow --delay 1500
(ulimit -c unlimited 2>/dev/null; exec "$RSCP" live --json --watch 0.1 --port "$PORT" --timeout 5000 >"$TMP/int.out" 2>"$TMP/int.err") &
wpid=$!
for _ in $(seq 100); do [ -s "$TMP/int.out" ] && break; sleep 0.05; done
# the process holds the password: no core dump, whatever the shell allowed
check "core dumps disabled" grep -Eq '^Max core file size +0 +0 ' /proc/$wpid/limits
sleep 0.3
t0=$(date +%s%N)
kill -INT $wpid
wait $wpid
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "Ctrl-C during a request: exit 130, got $rc" test $rc -eq 130
# (the reply is 1.5 s away: well before it, even on a loaded machine)
check "Ctrl-C during a request: within 1000 ms, took $ms" test $ms -le 1000
check "Ctrl-C: the first reading is whole" python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$TMP/int.out"

# ---- terminal and pipe ------------------------------------------------------------------
start_sim tty
expect pipe 0 5000 "$RSCP" live --watch 0.1 --count 2 --port "$PORT"
check "piped: no terminal control sequences" bash -c "! grep -q $'\e' '$TMP/pipe.out'"
check "piped: two tables" test "$(grep -c '^Reading at' "$TMP/pipe.out")" -eq 2
if script -qec true /dev/null >/dev/null 2>&1; then
    TERM=xterm script -qec "'$RSCP' live --watch 0.1 --count 2 --port $PORT" /dev/null >"$TMP/tty.out" 2>&1
    check "terminal: each table redraws the screen" test "$(grep -c $'\e\[H' "$TMP/tty.out")" -eq 2
fi

# ---- settings: options > environment > config file ------------------------------------------
start_sim cfg
mkdir -p "$HOME/.config/rscp"
CFG="$HOME/.config/rscp/config"
printf 'host = 127.0.0.2\nport = 1\nuser = fault-user\npassword = "%s"\nkey = %s\ncolour = blue\n' \
    "$SECRET_PW" "$SECRET_KEY" >"$CFG"
chmod 644 "$CFG"
expect cfg-env 0 $DEADLINE env RSCP_PORT="$PORT" "$RSCP" live --json
check "config: warns about permissions" has cfg-env.err "accessible by group/others"
check "config: warns about an unknown key" has cfg-env.err "unknown key 'colour'"
chmod 600 "$CFG"
expect cfg-opt 0 $DEADLINE env RSCP_PORT=1 "$RSCP" live --json --port "$PORT"
check "config: no warning at mode 600" bash -c "! grep -q 'accessible' '$TMP/cfg-opt.err'"
# only the config file gives the secrets
expect cfg-only 0 $DEADLINE env -u RSCP_PASSWORD -u RSCP_KEY RSCP_PORT="$PORT" "$RSCP" live --json
# the config file's port is used when nothing else gives one: 1 is refused
expect cfg-port 3 $DEADLINE env -u RSCP_PORT "$RSCP" live
expect cfg-bad 2 $DEADLINE env RSCP_CONFIG="$TMP/none" "$RSCP" live --port "$PORT"
rm -f "$CFG"
expect secret-opts 0 $DEADLINE env -u RSCP_PASSWORD -u RSCP_KEY "$RSCP" live --json --port "$PORT" \
    --password "$SECRET_PW" --key "$SECRET_KEY"
check "warns about --password" has secret-opts.err "password on the command line"
check "warns about --key" has secret-opts.err "key on the command line"
expect wrong-pw 4 $DEADLINE env RSCP_PASSWORD="$SECRET_PW-x" "$RSCP" live --port "$PORT"
expect wrong-key 4 $DEADLINE env RSCP_KEY="$SECRET_KEY-x" "$RSCP" live --port "$PORT" --timeout $T
check "wrong key: hint" has wrong-key.err "RSCP key"
expect no-user 2 $DEADLINE env -u RSCP_USER "$RSCP" live --port "$PORT"
# config lines of any length: a 3000-byte password is read whole and never shown
LONG_PW=$(python3 -c "print('L0ngPw-' + 'x' * 2990 + '-END9')")
start_sim long-pw --password "$LONG_PW"
printf 'port = %s\nuser = fault-user\npassword = %s\nkey = %s\n' "$PORT" "$LONG_PW" "$SECRET_KEY" >"$CFG"
chmod 600 "$CFG"
expect long-line 0 $DEADLINE env -u RSCP_PASSWORD -u RSCP_PORT "$RSCP" live --json
check "long line: no warning" test ! -s "$TMP/long-line.err"
printf 'port = %s\nuser = fault-user\npassword = %s\nkey = %s\ncolour%s = blue\n' "$PORT" "$LONG_PW" "$SECRET_KEY" "$(printf 'z%.0s' $(seq 1500))" >"$CFG"
expect long-key 0 $DEADLINE env -u RSCP_PASSWORD -u RSCP_PORT "$RSCP" live --json
check "long unknown key: one warning naming the line" test "$(grep -c "config:5: unknown key" "$TMP/long-key.err")" -eq 1
check "long line: no part of the password in any message" bash -c "! grep -q -e 'xxxxxxxx' -e 'END9' '$TMP/long-line.err' '$TMP/long-key.err'"
rm -f "$CFG"

# a reply that holds none of the requested values (no value, no device
# error) is said and is an error
"$BUILD/tests/fake_device" >"$TMP/fake.log" 2>&1 &
SIM_PIDS+=($!)
FAKE=
for _ in $(seq 100); do
    FAKE=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$TMP/fake.log")
    [ -n "$FAKE" ] && break
    sleep 0.05
done
for cmd in live info "get EMS.REQ_POWER_PV"; do
    n=empty-${cmd%% *}
    # shellcheck disable=SC2086
    expect "$n" 6 $DEADLINE "$RSCP" $cmd --port "$FAKE" --timeout $T
    check "$n: says so" has "$n.err" "the reply holds none of the requested values"
    check "$n: no n/a table" bash -c "! grep -q 'n/a' '$TMP/$n.out'"
done
# an authentication reply that is a valid frame nested 9,000 deep: a
# protocol error, not the key
"$BUILD/tests/fake_device" deep >"$TMP/deep.log" 2>&1 &
SIM_PIDS+=($!)
DEEP=
for _ in $(seq 100); do
    DEEP=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$TMP/deep.log")
    [ -n "$DEEP" ] && break
    sleep 0.05
done
expect deep-auth 6 $DEADLINE "$RSCP" live --port "$DEEP" --timeout $T
check "deep-auth: the reader's error named" has deep-auth.err "containers nested deeper than the limit: the authentication reply from"
check "deep-auth: not blamed on the key" bash -c "! grep -qi 'RSCP key' '$TMP/deep-auth.err'"
expect empty-watch 130 $DEADLINE timeout --preserve-status -s INT 1 "$RSCP" live --watch 0.2 --port "$FAKE" --timeout $T
check "empty-watch: said for every reading, the watch goes on" test "$(grep -c 'none of the requested values' "$TMP/empty-watch.err")" -ge 3

# ---- IPv6 ---------------------------------------------------------------------------------
if "$RSCP" sim --port 0 --bind ::1 >"$TMP/sim-v6.log" 2>&1 & then
    SIM_PIDS+=($!)
    for _ in $(seq 100); do grep -q "listening" "$TMP/sim-v6.log" && break; sleep 0.05; done
    if grep -Eq '^listening on \[::1\]:[0-9]+$' "$TMP/sim-v6.log"; then
        ok
        V6=$(sed -n 's/^listening on \[::1\]:\([0-9]*\)$/\1/p' "$TMP/sim-v6.log")
        expect v6 0 $DEADLINE "$RSCP" live --json --host ::1 --port "$V6"
        expect v6-brackets 0 $DEADLINE "$RSCP" info --json --host '[::1]' --port "$V6"
        expect v6-not-v4 3 $DEADLINE "$RSCP" live --host 127.0.0.1 --port "$V6"
    elif grep -q "cannot listen" "$TMP/sim-v6.log"; then
        echo "note: no IPv6 loopback, IPv6 checks skipped" >&2
    else
        bad "IPv6 listen line: $(cat "$TMP/sim-v6.log")"
    fi
fi

# ---- no message says a thing twice ("timed out: ... timed out") ---------------------------------
check "no message repeats a phrase of three words" python3 - "$TMP" <<'PY'
import glob, re, sys
bad = []
for name in glob.glob(sys.argv[1] + "/*.err"):
    for line in open(name, errors="replace"):
        words = re.findall(r"[a-z]+", re.sub(r"\S*/\S*", " ", line.lower()))  # paths may repeat
        grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
        if len(grams) != len(set(grams)):
            bad.append(line.strip())
assert not bad, bad[:5]
PY

# ---- secrets never appear in any output ------------------------------------------------------
leaks=$(grep -l -e "$SECRET_PW" -e "$SECRET_KEY" "$TMP"/*.out "$TMP"/*.err "$TMP"/*.log 2>/dev/null)
check "no secret in any output: $leaks" test -z "$leaks"

summary
