#!/usr/bin/env bash
# Every example output of the README is what the tool prints today. An
# output block is a ``` block whose lines start with "$ rscp ..." (the
# commands) followed by what they print (stdout, then stderr). Each block runs
# on a fresh simulator started with the options the README states last
# before it: "`rscp sim OPTIONS`" in the text, or a "rscp sim OPTIONS &" line
# of a shell block; OPTIONS must hold --start. Commands run in the order
# shown, against that simulator, with the connection in the environment.
#
# Shown and printed lines must agree: text exactly (runs of blanks count as
# one), a number within 2 units of its last digit plus 0.5 % (the simulator
# runs in real time: a reading is a second or two later than the README's),
# a time of day HH:MM (an idle window) exactly, a date-time within 3 s,
# nanoseconds not at all. The commands start 1 s after the simulator listens
# (the Quick start's `sleep 1`). A shown line "..." stands for one or more
# printed lines.
# Usage: bash test_readme_outputs.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "${1:?build dir}" && pwd)
SRC=$(cd "${2:?source dir}" && pwd)
[ -x "$BUILD/rscp" ] || { echo "FAIL: no $BUILD/rscp" >&2; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 is needed by this test" >&2; exit 1; }
exec python3 - "$BUILD" "$SRC" <<'PY'
import calendar, os, re, shlex, signal, subprocess, sys, tempfile, time

build, src = sys.argv[1], sys.argv[2]
rscp = os.path.join(build, "rscp")
readme = open(os.path.join(src, "README.md")).read().split("\n")

# ---- the README's output blocks and the simulator options stated before each
blocks, opts, inblock, shell, cur = [], None, False, False, None
prose_sim = re.compile(r"`rscp sim ([^`]*--start [^`]*)`")
for no, line in enumerate(readme, 1):
    if line.startswith("```"):
        if not inblock:
            inblock, shell, cur = True, line.strip() in ("```sh", "```bash"), None
        else:
            inblock = False
            if cur is not None:
                blocks.append(cur)
        continue
    if not inblock:
        m = re.search(r"`rscp sim [^`]*$", line)
        if m and line.count("`") % 2 and "--start" in m.group(0) + " " + readme[no].split("`")[0]:
            blocks.append({"line": no, "opts": None, "steps": [], "broken": True})
        for m in prose_sim.finditer(line):
            opts = m.group(1)
        continue
    if shell:
        m = re.match(r"^rscp sim (.*--start .*?)\s*&", line)
        if m:
            opts = m.group(1)
        continue
    if line.startswith("$ rscp ") or (cur is None and line.startswith("$ ")):
        if cur is None:
            cur = {"line": no, "opts": opts, "steps": []}
        cur["steps"].append({"cmd": line[2:], "line": no, "shown": []})
    elif cur is not None:
        cur["steps"][-1]["shown"].append(line)

# ---- comparing a shown line with a printed one
stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?")
token = re.compile(r"(?P<stamp>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?)"
                   r"|(?P<clock>(?<![\w:.])\d\d:\d\d(?![\w:.]))"
                   r"|(?P<ns>\d+(?= ns\)))"
                   r"|(?<![\w.])(?<!\d\.)(?P<num>[-+]?\d+(?:\.\d+)?)(?!\w|\.\d)")


def parts(line):
    out, pos = [], 0
    for m in token.finditer(line):
        out.append(("text", " ".join(line[pos:m.start()].split())))
        out.append((m.lastgroup, m.group(0)))
        pos = m.end()
    out.append(("text", " ".join(line[pos:].split())))
    return out


def seconds(s):
    s = s.rstrip("Z")
    date, t = s.split("T")
    hms = (t.split(".")[0] + ":00")[:8] if t.count(":") == 1 else t.split(".")[0]
    return calendar.timegm(time.strptime(date + "T" + hms, "%Y-%m-%dT%H:%M:%S"))


def same(shown, got):
    a, b = parts(shown), parts(got)
    if len(a) != len(b):
        return False
    for (ka, va), (kb, vb) in zip(a, b):
        if ka != kb:
            return False
        if ka == "text" and va != vb:
            return False
        if ka == "clock" and va != vb:  # a time of day set by the user (idle periods): exact
            return False
        if ka == "stamp" and abs(seconds(va) - seconds(vb)) > 3:
            return False
        if ka == "num":
            want, have = float(va), float(vb)
            unit = 10.0 ** -(len(va.split(".")[1]) if "." in va else 0)
            if abs(want - have) > 2 * unit + 0.005 * abs(want):
                return False
            if va.startswith("+") != vb.startswith("+"):
                return False
    return True


def match(shown, got):
    """Whether got (printed lines) matches shown, where "..." is 1+ lines."""
    if not shown:
        return not got
    if shown[0].strip() == "...":
        return any(match(shown[1:], got[k:]) for k in range(1, len(got) + 1))
    return bool(got) and same(shown[0], got[0]) and match(shown[1:], got[1:])


def skeleton(line):
    return [v if k == "text" else k for k, v in parts(line)]


def first_difference(shown, got):
    """The first shown line that the printed ones do not account for."""
    pos, skip = 0, False
    for s in shown:
        if s.strip() == "...":
            skip, pos = True, pos + 1
            continue
        where = range(pos, len(got)) if skip else range(pos, min(pos + 1, len(got)))
        hit = next((i for i in where if same(s, got[i])), None)
        if hit is None:
            like = next((got[i] for i in where if skeleton(got[i]) == skeleton(s)), None)
            like = like if like is not None else (got[pos] if pos < len(got) else None)
            return "shown   %r\n      printed %r" % (s, like) if like is not None else "shown %r, not printed" % s
        pos, skip = hit + 1, False
    if pos < len(got) and not skip:
        return "printed more lines than shown: %r" % (got[pos:][:2],)
    return "(no single line: check the '...' lines)"


# ---- running the blocks
tmp = tempfile.mkdtemp()
fails, checked = [], 0


def start_sim(options):
    log = open(os.path.join(tmp, "sim.log"), "w+")
    p = subprocess.Popen([rscp, "sim", "--port", "0"] + shlex.split(options), stdout=log, stderr=subprocess.STDOUT,
                         env={"PATH": "/usr/bin:/bin"})
    for _ in range(200):
        log.seek(0)
        m = re.search(r"^listening on 127\.0\.0\.1:(\d+)$", log.read(), re.M)
        if m:
            return p, m.group(1)
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    log.seek(0)
    sys.exit("FAIL: rscp sim %s did not start: %s" % (options, log.read()))


if len(blocks) < 10:
    fails.append("only %d output blocks found in README.md" % len(blocks))
for blk in blocks:
    if blk.get("broken"):
        fails.append("README.md:%d: a `rscp sim ...` span broken over two lines (the options would not be seen)"
                     % blk["line"])
        continue
    if not blk["opts"]:
        fails.append("README.md:%d: no simulator options (`rscp sim --start ...`) stated before this block" % blk["line"])
        continue
    sim, port = start_sim(blk["opts"])
    time.sleep(1)  # as the Quick start's `sleep 1`: the README's readings are a second in
    env = {"PATH": build + ":/usr/bin:/bin", "HOME": tmp, "RSCP_HOST": "127.0.0.1", "RSCP_PORT": port,
           "RSCP_USER": "sim-user", "RSCP_PASSWORD": "sim-password", "RSCP_KEY": "sim-key"}
    try:
        for st in blk["steps"]:
            r = subprocess.run(["bash", "-c", st["cmd"]], cwd=tmp, env=env, capture_output=True, text=True,
                               timeout=60)
            got = (r.stdout + r.stderr).rstrip("\n").split("\n") if (r.stdout + r.stderr).strip() else []
            shown = list(st["shown"])
            while shown and not shown[-1].strip():
                shown.pop()
            checked += 1
            if not match(shown, got):
                fails.append("README.md:%d: `%s` (rscp sim %s) prints otherwise:\n      %s\n    printed:\n%s" % (
                    st["line"], st["cmd"], blk["opts"], first_difference(shown, got),
                    "\n".join("      | " + g for g in got[:60])))
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()

for f in fails:
    print("FAIL: " + f, file=sys.stderr)
if fails:
    sys.exit(1)
print("ok: %d commands of %d README blocks print what the README shows" % (checked, len(blocks)))
PY
