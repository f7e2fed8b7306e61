# Shared helpers of the shell tests that run the rscp tool against simulators.
# Sourced by a test script after it has set RSCP (the rscp binary); sourcing
# creates the scratch folder $TMP. At exit every process in SIM_PIDS (each
# simulator start_sim starts, and any the script adds) is stopped and $TMP is
# removed.
#   ok, bad MESSAGE          count a passed or a failed check
#   check DESCRIPTION CMD... run CMD: a pass if it succeeds, else a failure
#   start_sim NAME ARGS...   `rscp sim --port 0 ARGS...` logging to $TMP/sim-NAME.log;
#                            sets PORT once it listens, ends the test if it does not
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

summary() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}
