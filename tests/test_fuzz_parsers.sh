#!/usr/bin/env bash
# Every public *_parse function (an RSCP_API declaration in
# include/rscp/*.h) is called from the code of a fuzz target: a
# fuzz/fuzz_*.c that defines LLVMFuzzerTestOneInput and has a non-empty
# seed corpus in fuzz/corpus/<target>/ (replayed by the gcc builds).
# Comments do not count. Lists each parser with the target(s) calling it.
# Usage: bash test_fuzz_parsers.sh BUILD_DIR SOURCE_DIR
set -u
SRC=$(cd "${2:?source dir}" && pwd)
command -v python3 >/dev/null || { echo "FAIL: python3 is needed by this test" >&2; exit 1; }
exec python3 - "$SRC" <<'PY'
import glob, os, re, sys

src = sys.argv[1]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(src, "tests"))
from c_source import strip, line_of

decl = {}
for h in sorted(glob.glob(os.path.join(src, "include/rscp/*.h"))):
    text = strip(open(h).read())
    for m in re.finditer(r"\bRSCP_API\b[^;{}]*?\b(rscp_\w+_parse)\s*\(", text):
        decl.setdefault(m.group(1), "%s:%d" % (os.path.relpath(h, src), line_of(text, m.start(1))))

targets = {}
bad = []
for f in sorted(glob.glob(os.path.join(src, "fuzz/fuzz_*.c"))):
    name = os.path.basename(f)[:-2]
    code = strip(open(f).read())
    if not re.search(r"\bint\s+LLVMFuzzerTestOneInput\s*\([^;]*\)\s*\{", code):
        continue
    corpus = os.path.join(src, "fuzz/corpus", name[len("fuzz_"):])
    if not os.path.isdir(corpus) or not os.listdir(corpus):
        bad.append("%s has no seed corpus in %s" % (name, os.path.relpath(corpus, src)))
    targets[name] = code

if len(decl) < 20 or len(targets) < 5:
    bad.append("only %d *_parse declarations and %d fuzz targets found: the tree is not where expected"
               % (len(decl), len(targets)))
for fn, where in sorted(decl.items()):
    callers = [t for t, code in sorted(targets.items()) if re.search(r"\b%s\s*\(" % fn, code)]
    if callers:
        print("%-36s %s" % (fn, ", ".join(callers)))
    else:
        bad.append("%s (%s) is called from no fuzz target" % (fn, where))
for b in bad:
    print("FAIL: " + b, file=sys.stderr)
if bad:
    sys.exit(1)
print("ok: %d public *_parse functions, each called from a fuzz target" % len(decl))
PY
