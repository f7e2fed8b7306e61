#!/usr/bin/env bash
# The man page rscp(1) documents every option that `rscp COMMAND --help`
# lists, and every command; each --help goes to stdout with exit 0.
# Usage: bash test_cli_docs.sh BUILD_DIR SOURCE_DIR
set -u
RSCP="${1:?build dir}/rscp"
MAN="${2:?source dir}/docs/rscp.1"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }
[ -r "$MAN" ] || { echo "no $MAN"; exit 1; }

# The man page as plain text: "\-" -> "-", font escapes removed.
man_text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\e/\\/g' "$MAN")

commands=$("$RSCP" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF && $1 != "Commands:" {print $1}')
[ -n "$commands" ] && ok || bad "no command list in rscp --help"
for cmd in $commands; do
    help=$("$RSCP" "$cmd" --help 2>/dev/null)
    rc=$?
    [ $rc -eq 0 ] && [ -n "$help" ] && ok || bad "rscp $cmd --help: exit $rc"
    grep -Eq "^\.(B|BI|TP)? ?$cmd\b|^\.B(I)? $cmd\b" "$MAN" && ok || bad "man page: no entry for '$cmd'"
    for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        [ "$opt" = "--help" ] && continue
        if printf '%s\n' "$man_text" | grep -q -- "$opt\b"; then ok
        else bad "man page lacks $opt of 'rscp $cmd'"; fi
    done
done
# and the global options
for opt in $("$RSCP" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    [ "$opt" = "--help" ] && continue
    printf '%s\n' "$man_text" | grep -q -- "$opt\b" && ok || bad "man page lacks global $opt"
done
# exit codes named in rscp --help are all described
for code in $("$RSCP" --help | sed -n '/^Exit status:/,/^$/p' | awk '$1 ~ /^[0-9]+$/ {print $1}'); do
    grep -A1 '^\.TP' "$MAN" | grep -qx "\.B $code" && ok || bad "man page: exit status $code"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
