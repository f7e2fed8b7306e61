#!/usr/bin/env bash
# The README's Quick start, extracted and run as written (its `make` lines
# skipped: the build exists), from a folder whose build/ is this build, on a
# free port given through RSCP_PORT (which the README does not set, so both
# `rscp sim` and `rscp live` take it). Checks that the commands succeed,
# show what the README shows, and that no command needs editing.
# Usage: bash test_readme_quickstart.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "${1:?build dir}" && pwd)
SRC=${2:?source dir}
# shellcheck source-path=SCRIPTDIR source=cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"
[ -x "$BUILD/rscp" ] || { echo "no $BUILD/rscp"; exit 1; }

# The first sh block after "## Quick start", and the output block after it.
awk '/^## Quick start/{q=1} q&&/^```sh$/{b=1;next} b&&/^```$/{exit} b{print}' "$SRC/README.md" >"$TMP/quick.sh"
awk '/^## Quick start/{q=1} q&&/^```$/&&!o{n++; if(n==2){o=1;next}} o&&/^```$/{exit} o{print}' "$SRC/README.md" \
    >"$TMP/shown.txt"
check "README has a Quick start block" test -s "$TMP/quick.sh"
check "README quick start shows 'rscp live' output" grep -q '^\$ rscp live$' "$TMP/shown.txt"
check "no placeholder to type by hand" bash -c "! grep -Eq '(^|[^_A-Za-z])(PORT|HOST|PASSWORD|KEY)([^_A-Za-z]|$)|<[a-z]' '$TMP/quick.sh'"

mkdir "$TMP/tree"
ln -s "$BUILD" "$TMP/tree/build"
grep -v '^make\( \|$\)' "$TMP/quick.sh" >"$TMP/run.sh"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(
    cd "$TMP/tree" || exit 99
    trap 'kill $(jobs -p) 2>/dev/null' EXIT
    env -i PATH="/usr/bin:/bin" HOME="$TMP" RSCP_PORT="$PORT" bash -e "$TMP/run.sh"
) >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "quick start exited $rc"; cat "$TMP/run.sh" "$TMP/err" >&2; fi
check "demo reading printed" grep -q "Simulator listening on 127.0.0.1:" "$TMP/out"
check "live reading printed" grep -q "^Reading at 2026-06-21T10:30:0" "$TMP/out"
# The heading as the README shows it, up to the seconds (a second or two
# pass between the simulator's start and the reading).
shown_head=$(sed -n 's/^\(Reading at 2026-06-21T10:30:\)[0-9][0-9]Z, \(device local time 2026-06-21T12:30:\)[0-9][0-9]\(.*\)/\1 \2 \3/p' "$TMP/shown.txt")
got_head=$(sed -n 's/^\(Reading at 2026-06-21T10:30:\)[0-9][0-9]Z, \(device local time 2026-06-21T12:30:\)[0-9][0-9]\(.*\)/\1 \2 \3/p' "$TMP/out")
check "live heading as the README shows it" test -n "$shown_head" -a "$shown_head" = "$got_head"
# The live table as the README shows it (the values of the same moment).
labels() { sed -n 's/^  \([^ ]\+\( [^ ]\+\)*\)  .*/\1/p'; }
sed -n '/^Reading at 2026-06-21T10:30/,$p' "$TMP/out" | labels >"$TMP/got.keys"
labels <"$TMP/shown.txt" >"$TMP/want.keys"
check "live shows the README's rows" bash -c "[ -s '$TMP/want.keys' ] && cmp -s '$TMP/got.keys' '$TMP/want.keys'"
shown_pv=$(sed -n 's/^  PV  *\([0-9-]*\) W.*/\1/p' "$TMP/shown.txt")
got_pv=$(sed -n '/^Reading at 2026-06-21T10:30/,$p' "$TMP/out" | sed -n 's/^  PV  *\([0-9-]*\) W.*/\1/p')
check "live PV within 5 % of the README's ($got_pv vs $shown_pv)" \
    python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if abs(a-b) <= 0.05*b else 1)" \
    "${got_pv:-0}" "${shown_pv:-1}"
check "the simulator was stopped" python3 -c "
import socket,sys,time
time.sleep(0.2)
s=socket.socket()
sys.exit(0 if s.connect_ex(('127.0.0.1', int(sys.argv[1]))) != 0 else 1)" "$PORT"
summary
