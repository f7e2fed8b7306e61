#!/bin/sh
# Regenerates the generated sources into a scratch folder and fails if the
# committed output differs (someone edited generated code or changed its
# input without regenerating): the tag dictionary under src/dict/ from
# data/*.tsv, and the byte tables of the AVX-512 cipher path in src/crypto/.
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
python3 tools/gen_rijndael_layouts.py >"$tmp/rijndael_avx512_tables.h.new"
if ! cmp -s "$tmp/rijndael_avx512_tables.h.new" src/crypto/rijndael_avx512_tables.h; then
    echo "generated file src/crypto/rijndael_avx512_tables.h is out of date; run:" \
        "python3 tools/gen_rijndael_layouts.py > src/crypto/rijndael_avx512_tables.h" >&2
    diff -u src/crypto/rijndael_avx512_tables.h "$tmp/rijndael_avx512_tables.h.new" | head -20 >&2 || true
    status=1
fi
[ $status -eq 0 ] && echo "generated code is up to date"
exit $status
