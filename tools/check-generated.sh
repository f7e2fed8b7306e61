#!/bin/sh
# Regenerates the tag dictionary into a scratch folder and fails if the
# committed output under src/dict/ differs (someone edited generated code or
# changed data/*.tsv without regenerating).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tools/gen_dict.py --data data --out "$tmp"
status=0
for f in "$tmp"/*; do
    name=$(basename "$f")
    if ! cmp -s "$f" "src/dict/$name"; then
        echo "generated file src/dict/$name is out of date; run: python3 tools/gen_dict.py --data data --out src/dict" >&2
        diff -u "src/dict/$name" "$f" | head -20 >&2 || true
        status=1
    fi
done
[ $status -eq 0 ] && echo "generated dictionary is up to date"
exit $status
