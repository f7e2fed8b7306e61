#!/bin/sh
# Regenerates the generated sources into a scratch folder and fails if the
# committed output differs (someone edited generated code or changed its
# input without regenerating): the tag dictionary under src/dict/ from
# data/*.tsv with its public constants (include/rscp/tag_ids.h), and the
# byte tables of the AVX-512 cipher path in src/crypto/.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tools/gen_dict.py --data data --out "$tmp/dict" --public-out "$tmp/public"
status=0
for f in "$tmp"/dict/* "$tmp"/public/*; do
    case $f in */dict/*) dir=src/dict ;; *) dir=include/rscp ;; esac
    name=$(basename "$f")
    if ! cmp -s "$f" "$dir/$name"; then
        echo "generated file $dir/$name is out of date; run:" \
            "python3 tools/gen_dict.py --data data --out src/dict --public-out include/rscp" >&2
        diff -u "$dir/$name" "$f" | head -20 >&2 || true
        status=1
    fi
done
python3 tools/gen_rijndael_layouts.py >"$tmp/rijndael_avx512_tables.h.new"
if ! cmp -s "$tmp/rijndael_avx512_tables.h.new" src/crypto/rijndael_avx512_tables.h; then
    echo "generated file src/crypto/rijndael_avx512_tables.h is out of date; run:" \
        "python3 tools/gen_rijndael_layouts.py > src/crypto/rijndael_avx512_tables.h" >&2
    diff -u src/crypto/rijndael_avx512_tables.h "$tmp/rijndael_avx512_tables.h.new" | head -20 >&2 || true
    status=1
fi
[ $status -eq 0 ] && echo "generated code is up to date"
exit $status
