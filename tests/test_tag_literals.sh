#!/usr/bin/env bash
# The programs and the typed API name tags by the generated constants of
# include/rscp/tag_ids.h (RSCP_TAG_<NAMESPACE>_<NAME>), never by numbers or
# by run-time lookups of a fixed name. In the C code of src/api/, sim/, cli/,
# bridge/ and common/ (comments and string literals removed), this fails on
#  - a hex literal of 8 digits (the form tag numbers are written in), and
#  - any integer literal whose value is a tag of the dictionary from
#    0x00400000 up (below that, RSCP namespace ids collide with small
#    numbers), and
#  - rscp_tag_lookup() or rscp_tag_type() called with a string literal
#    (the constant exists at compile time).
# Exceptions are listed below, each with the reason; an exception that no
# longer matches anything fails too, so the list cannot go stale.
# Usage: bash test_tag_literals.sh BUILD_DIR SOURCE_DIR
set -u
SRC=$(cd "${2:?source dir}" && pwd)
cd "$SRC" || exit 1
command -v python3 >/dev/null || { echo "FAIL: python3 is needed by this test" >&2; exit 1; }
exec python3 - "$SRC" <<'PY'
import os, re, sys

src = sys.argv[1]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(src, "tests"))
from c_source import strip, line_of

dirs = ["src/api", "sim", "cli", "bridge", "common"]

# file: literal -> why it is not a tag number.
allowed = {
    ("sim/device.c", "0x5E5E5E5Eull"): "a seed mixed into the MAC address hash",
    ("sim/device.c", "0xFFFFFFu"): "a 24-bit mask: bytes 3, 4, 5 of the MAC address",
}

tags = {}
with open(os.path.join(src, "include/rscp/tag_ids.h")) as f:
    for line in f:
        m = re.match(r"#define (RSCP_TAG_\w+) 0x([0-9A-F]+)u ", line)
        if m:
            tags.setdefault(int(m.group(2), 16), m.group(1))
if len(tags) < 3000:
    sys.exit("FAIL: only %d tag constants read from include/rscp/tag_ids.h" % len(tags))


literal = re.compile(r"\b(0[xX][0-9A-Fa-f]+|[0-9]+)([uUlL]*)\b")
lookup = re.compile(r"\brscp_tag_(lookup|type)\s*\(\s*\"")
bad, used, files, literals = [], set(), 0, 0
for d in dirs:
    for root, _, names in os.walk(os.path.join(src, d)):
        for name in sorted(names):
            if not name.endswith((".c", ".h", ".inc")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            files += 1
            with open(path) as f:
                text = f.read()
            for m in lookup.finditer(text):
                line = line_of(text, m.start())
                bad.append("%s:%d: rscp_tag_%s() of a fixed name; use its RSCP_TAG_ constant" % (rel, line, m.group(1)))
            code = strip(text)
            for m in literal.finditer(code):
                # skip digits inside identifiers and floating constants
                if m.start() > 0 and (code[m.start() - 1].isalnum() or code[m.start() - 1] in "_."):
                    continue
                if m.end() < len(code) and code[m.end()] in ".eE" and not m.group(1).lower().startswith("0x"):
                    continue
                literals += 1
                tok = m.group(0)
                digits = m.group(1)
                value = int(digits, 16) if digits.lower().startswith("0x") else int(digits, 8 if len(digits) > 1 and digits[0] == "0" else 10)
                eight = digits.lower().startswith("0x") and len(digits) == 10
                is_tag = value >= 0x00400000 and value in tags
                if not (eight or is_tag):
                    continue
                if (rel, tok) in allowed:
                    used.add((rel, tok))
                    continue
                line = line_of(code, m.start())
                why = "the tag %s" % tags[value] if is_tag else "an 8-digit hex literal, the form of a tag number"
                bad.append("%s:%d: %s is %s" % (rel, line, tok, why))

for key in sorted(set(allowed) - used):
    bad.append("%s: the exception for %s matches nothing any more; remove it" % key)
if files < 100 or literals < 1000:
    bad.append("only %d files, %d literals scanned: the source tree is not where expected" % (files, literals))
for b in bad:
    print("FAIL: " + b, file=sys.stderr)
if bad:
    sys.exit(1)
print("ok: %d files, %d integer literals, none a tag number; %d listed exception(s)" % (files, literals, len(allowed)))
PY
