#!/bin/sh
# One timed libFuzzer run of a target on a scratch copy of its seed corpus.
# The fuzzer's progress goes to LOG; on success one summary line is printed,
# on failure the end of the log (the sanitizer or invariant report) and each
# crash input in hex, with the command that replays it, so that a failure
# in CI can be reproduced from its output alone (also kept in WORKDIR/report,
# which `make check-fuzz` prints again at its end).
# Usage: run_fuzz.sh FUZZER CORPUS WORKDIR SECONDS
set -u
fuzzer=$1 corpus=$2 work=$3 seconds=$4
log=$work/fuzz.log
rm -rf "$work" && mkdir -p "$work/scratch" "$work/artifacts" || exit 1
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/scratch" "$corpus" >"$log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
    grep -E '^(Done|stat::(number_of_executed_units|peak_rss_mb))' "$log" | tr '\n' ' '
    echo
    exit 0
fi
{
    # the crash inputs first, the report last: a log cut to its end keeps the report
    for a in "$work"/artifacts/*; do
        [ -f "$a" ] || continue
        echo "input $a ($(wc -c <"$a") bytes), replay with: $fuzzer $a"
        od -An -tx1 -v "$a" | tr -d ' \n' | fold -w 128
        echo
    done
    echo "$fuzzer exited $rc; the end of $log:"
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|# Uses: ' "$log" | tail -n 40
} >"$work/report"
cat "$work/report"
exit 1
