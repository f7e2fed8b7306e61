# Shared helpers of the shell tests that run the rscp tool against simulators.
# Sourced by a test script after it has set RSCP (the rscp binary); sourcing
# creates the scratch folder $TMP. At exit every process in SIM_PIDS (each
# simulator start_sim starts, and any the script adds) is stopped and $TMP is
# removed.
#   ok, bad MESSAGE          count a passed or a failed check
#   check DESCRIPTION CMD... run CMD: a pass if it succeeds, else a failure
#   start_sim NAME ARGS...   `rscp sim --port 0 ARGS...` logging to $TMP/sim-NAME.log;
#                            sets PORT once it listens, ends the test if it does not
#   stop_sim NAME            stop that simulator (SIGTERM) and wait: its log then ends
#                            with what it served ("stopped after N connections, N
#                            requests, N writes")
#   expect_rc RC DESC CMD... run CMD (stdout in $TMP/out, stderr in $TMP/err): a pass
#                            if it exits RC
#   jcheck FILE EXPR         a pass if the Python EXPR over j (FILE's JSON) holds
#   jlines FILE EXPR         the same over L, the list of FILE's JSON lines
#   errhas TEXT              a pass if $TMP/err contains TEXT
#   summary                  prints "N passed, N failed"; fails if a check failed
#                            or none ran
# shellcheck shell=bash
TMP=$(mktemp -d)
SIM_PIDS=()
cleanup() {
    for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }

start_sim() {
    local name=$1; shift
    "$RSCP" sim --port 0 "$@" >"$TMP/sim-$name.log" 2>&1 &
    SIM_PIDS+=($!)
    echo "pid $!" >"$TMP/sim-$name.pid"
    PORT=
    for _ in $(seq 100); do
        PORT=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$TMP/sim-$name.log" 2>/dev/null | head -1)
        [ -n "$PORT" ] && return 0
        sleep 0.05
    done
    echo "simulator $name did not start:" >&2
    cat "$TMP/sim-$name.log" >&2
    exit 1
}

stop_sim() {
    local pid
    pid=$(sed -n 's/^pid //p' "$TMP/sim-$1.pid" 2>/dev/null)
    [ -n "$pid" ] || { bad "stop_sim $1: no such simulator"; return; }
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

summary() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}

expect_rc() {
    local want=$1 d=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$d: exit $rc, want $want"; cat "$TMP/err" >&2; fi
}
# jcheck FILE PYTHON-EXPR: the expression over j (the JSON document) holds.
jcheck() {
    if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; then ok
    else bad "json check: $2"; head -c 1500 "$1" >&2; echo >&2; fi
}
# jlines FILE PYTHON-EXPR: the expression over L (the list of JSON lines) holds.
jlines() {
    if python3 -c "import json,sys; L=[json.loads(x) for x in open(sys.argv[1]) if x.strip()]; sys.exit(0 if ($2) else 1)" "$1"; then ok
    else bad "json lines check: $2"; cat "$1" >&2; fi
}
# need_tools PROGRAM...: stop the test (as failed) when one is not installed.
need_tools() {
    for p in "$@"; do
        command -v "$p" >/dev/null || { echo "FAIL: $p is not installed (tools/install-deps.sh installs it)" >&2; exit 1; }
    done
}
errhas() { if grep -q -- "$1" "$TMP/err"; then ok; else bad "stderr lacks '$1'"; cat "$TMP/err" >&2; fi; }
