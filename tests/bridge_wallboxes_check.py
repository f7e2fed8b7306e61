#!/usr/bin/env python3
"""rscp-bridge's per-wallbox commands over MQTT, on a simulated plant with
two wallboxes (rscp sim --wallboxes 2).

Usage: bridge_wallboxes_check.py RSCP BROKER_PORT PREFIX
The bridge serves one site (the simulator that RSCP_HOST/RSCP_PORT/... name
for the `rscp` tool) under PREFIX on the broker at 127.0.0.1:BROKER_PORT,
with Home Assistant discovery under homeassistant/.
Checks: the values are numbered (PREFIX/wallbox/2/max_current); Home
Assistant's entity of wallbox 2 commands PREFIX/set/wallbox/2/max_current
(and wallbox 1's set/wallbox/1/...); a command there changes wallbox 2
(WB.INDEX 1, read back with `rscp wallbox --json`) and leaves wallbox 1 as
it was, and its answer comes on set/wallbox/2/max_current/result; the
other per-wallbox commands likewise; rscp2mqtt's set/wallbox/max_current
still commands the first wallbox; a wallbox the plant lacks and bad
numbers get {"ok":false} with a reason that names them, and change
nothing; commands published at once (wallbox 2's current, phases and mode;
the power limits) all take effect, none undoing another; every command
gets exactly one answer. Prints one line per failed
check and "N passed, N failed"; exit 0 only when every check passed.
Python standard library only.
"""
import json
import subprocess
import sys
import time

from bridge_results import Results, Tally

RSCP, BPORT, PREFIX = sys.argv[1], sys.argv[2], sys.argv[3]
TALLY = Tally()
check = TALLY.check


R = Results(BPORT, PREFIX)  # every answer, for the whole run (bridge_results.py)
results, cond, sent, sub = R.results, R.cond, R.sent, R.sub
wait_subscribed, command, burst_commands = R.wait_subscribed, R.command, R.burst


def settings():
    """The power settings, read from the plant with the rscp tool."""
    out = subprocess.run([RSCP, "settings", "--json"], capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise RuntimeError("rscp settings: exit %d: %s" % (out.returncode, out.stderr.strip()))
    return json.loads(out.stdout)


SETTINGS = ("mode", "current", "phases", "suspended", "min_current", "auto_phase_switch")


def wallboxes():
    """{WB.INDEX: its settings}, read from the plant with the rscp tool."""
    out = subprocess.run([RSCP, "wallbox", "--json"], capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise RuntimeError("rscp wallbox: exit %d: %s" % (out.returncode, out.stderr.strip()))
    return {w["index"]: {k: w.get(k) for k in SETTINGS} for w in json.loads(out.stdout)["wallboxes"]}


def retained(topic, timeout=10.0):
    """The first retained payload on topic, or None."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", BPORT, "-t", topic, "-C", "1",
                              "-W", "1"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    return None


def wait_value(topic, want, timeout=10.0):
    """Whether the retained value on topic becomes want."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if retained(topic, 2) == want:
            return True
        time.sleep(0.3)
    return False


def changed(before, after):
    """{index: {setting: (before, after)}} of what differs."""
    d = {}
    for i in set(before) | set(after):
        b, a = before.get(i, {}), after.get(i, {})
        diff = {k: (b.get(k), a.get(k)) for k in SETTINGS if b.get(k) != a.get(k)}
        if diff:
            d[i] = diff
    return d


def expect_change(topic, payload, want, what):
    """Send a command; it must answer ok and change exactly want ({index: {setting: value}})."""
    before = wallboxes()
    r = command(topic, payload)
    check(r is not None and r.get("ok") is True, "%s: %s answered %s" % (what, topic, r))
    after = wallboxes()
    d = changed(before, after)
    got = {i: {k: v[1] for k, v in diff.items()} for i, diff in d.items()}
    check(got == want, "%s: set/%s %s changed %s, wanted %s" % (what, topic, payload, d, want))
    # The next command builds on the state the bridge reads: a cycle after this one.
    time.sleep(1.5)


def expect_refusal(topic, payload, reason):
    before = wallboxes()
    r = command(topic, payload)
    check(r is not None and r.get("ok") is False and reason in r.get("error", ""),
          "set/%s %s: wanted a refusal with '%s', got %s" % (topic, payload, reason, r))
    check(wallboxes() == before, "set/%s %s (refused) changed the wallboxes" % (topic, payload))


def main():
    check(wait_subscribed(), "the result subscriber is subscribed")
    wb = wallboxes()
    check(sorted(wb) == [0, 1], "the plant has wallboxes 0 and 1: %s" % sorted(wb))
    check(wb[0]["current"] == 16 and wb[1]["current"] == 16, "both start at 16 A: %s" % wb)

    # The values are numbered; Home Assistant's entities command their own wallbox.
    check(retained(PREFIX + "/wallbox/2/max_current") == "16", "wallbox/2/max_current is published")
    node = None
    for n in (1, 2):
        cfg = retained("homeassistant/number/+/set_wallbox_%d_max_current/config" % n)
        check(cfg is not None, "discovery config of wallbox %d's max current" % n)
        j = json.loads(cfg) if cfg else {}
        check(j.get("cmd_t") == "%s/set/wallbox/%d/max_current" % (PREFIX, n),
              "wallbox %d's entity commands its own topic: %s" % (n, j.get("cmd_t")))
        check(j.get("stat_t") == "%s/wallbox/%d/max_current" % (PREFIX, n),
              "wallbox %d's entity shows its own state: %s" % (n, j.get("stat_t")))
        node = j.get("dev", {}).get("ids", [None])[0]
        check(node is not None and node.endswith("_wallbox_%d" % (n - 1)),
              "wallbox %d's entity is on its device: %s" % (n, node))

    # Wallbox 2 (WB.INDEX 1) alone, its answer on its own result topic.
    expect_change("wallbox/2/max_current", "10", {1: {"current": 10}}, "wallbox 2")
    check(wait_value(PREFIX + "/wallbox/2/max_current", "10"), "the value wallbox/2/max_current follows")
    check(wait_value(PREFIX + "/wallbox/1/max_current", "16"), "the value wallbox/1/max_current stays")
    expect_change("wallbox/2/sun_mode", "false", {1: {"mode": "mixed"}}, "wallbox 2")
    expect_change("wallbox/2/number_phases", "1", {1: {"phases": 1}}, "wallbox 2")
    expect_change("wallbox/2/toggle", "true", {1: {"suspended": True}}, "wallbox 2")
    expect_change("wallbox/2/suspended", "false", {1: {"suspended": False}}, "wallbox 2")
    expect_change("wallbox/2/min_current", "8", {1: {"min_current": 8}}, "wallbox 2")
    expect_change("wallbox/2/auto_phase_switch", "true", {1: {"auto_phase_switch": True}}, "wallbox 2")
    # Wallbox 1 by number, and rscp2mqtt's topic: the first wallbox.
    expect_change("wallbox/1/max_current", "14", {0: {"current": 14}}, "wallbox 1")
    expect_change("wallbox/max_current", "12", {0: {"current": 12}}, "rscp2mqtt's topic")
    expect_change("wallbox/sun_mode", "false", {0: {"mode": "mixed"}}, "rscp2mqtt's topic")
    expect_change("wallbox/2/max_current", "11", {1: {"current": 11}}, "wallbox 2 again")

    # A wallbox the plant lacks, bad numbers, a site setting under a number.
    expect_refusal("wallbox/3/max_current", "8", "the site has no wallbox 3 (it has 1, 2)")
    expect_refusal("wallbox/8/toggle", "true", "the site has no wallbox 8 (it has 1, 2)")
    expect_refusal("wallbox/9/max_current", "8", "bad wallbox number '9' in set/wallbox/9/max_current")
    expect_refusal("wallbox/0/max_current", "8", "bad wallbox number '0'")
    expect_refusal("wallbox/01/max_current", "8", "without a leading zero")
    expect_refusal("wallbox/x/max_current", "8", "bad wallbox number 'x'")
    expect_refusal("wallbox/2/current", "8", "unknown command topic 'set/wallbox/2/current'")
    expect_refusal("wallbox/2/discharge_battery_to_car", "true", "use set/wallbox/discharge_battery_to_car")
    expect_refusal("wallbox/2/max_current", "40", "bad payload '40' for wallbox/2/max_current")
    expect_refusal("wallbox/2/max_current", "{\"value\":8}", "wallbox/2/max_current")

    # Commands sent at once, each not waiting for the other's answer: each
    # one starts from the state the one before left (read from the device
    # before the write), so none undoes another.
    before = wallboxes()
    b1 = before.get(1, {})
    cur = 12 if b1.get("current") != 12 else 13
    ph = 1 if b1.get("phases") != 1 else 3
    sun = not b1.get("mode") == "sun"
    burst = [("wallbox/2/max_current", str(cur)), ("wallbox/2/number_phases", str(ph)),
             ("wallbox/2/sun_mode", "true" if sun else "false")]
    answers = burst_commands(burst)
    for (topic, payload), r in zip(burst, answers):
        check(r is not None and r.get("ok") is True, "burst: %s %s answered %s" % (topic, payload, r))
    after = wallboxes()
    a1 = after.get(1, {})
    check(a1.get("current") == cur and a1.get("phases") == ph and (a1.get("mode") == "sun") == sun,
          "burst on wallbox 2: current %s phases %s mode %s, wanted %d, %d, %s" %
          (a1.get("current"), a1.get("phases"), a1.get("mode"), cur, ph, "sun" if sun else "mixed"))
    check(after.get(0) == before.get(0), "burst on wallbox 2 changed wallbox 1: %s" % changed(before, after))

    s0 = settings()
    mc = 3000 if s0.get("max_charge") != 3000 else 3100
    md = 3500 if s0.get("max_discharge") != 3500 else 3600
    burst = [("power_limits", "true"), ("max_charge_power", str(mc)), ("max_discharge_power", str(md))]
    answers = burst_commands(burst)
    for (topic, payload), r in zip(burst, answers):
        check(r is not None and r.get("ok") is True, "burst: %s %s answered %s" % (topic, payload, r))
    s1 = settings()
    check(s1.get("limits_used") is True and s1.get("max_charge") == mc and s1.get("max_discharge") == md,
          "settings burst: limits_used %s, max_charge %s, max_discharge %s; wanted true, %d, %d" %
          (s1.get("limits_used"), s1.get("max_charge"), s1.get("max_discharge"), mc, md))

    # Exactly one answer per command.
    time.sleep(1.5)
    with cond:
        counts = {}
        for t, _ in results:
            counts[t] = counts.get(t, 0) + 1
    for t, n in sorted(sent.items()):
        check(counts.get(t, 0) == n, "%s: %d answers to %d commands" % (t, counts.get(t, 0), n))
    stray = sorted(t for t in counts if t not in sent and not t.endswith("/set/probe/result"))
    check(not stray, "answers on topics no command was sent to: %s" % stray)
    sub.terminate()
    return TALLY.finish()


sys.exit(main())
