#!/usr/bin/env python3
"""Every rscp-bridge command over MQTT, checked on the simulated plant.

Usage: bridge_commands_check.py RSCP BROKER_PORT PREFIX [BRIDGE_LOG]
The bridge serves one site (a simulator that RSCP_HOST/RSCP_PORT/... name
for the `rscp` tool) under PREFIX on the broker at 127.0.0.1:BROKER_PORT.
For each command of rscp-bridge(1): one good payload (plain or JSON) gets
exactly one {"ok":true} result on <topic>/result and the plant shows the
change (read back with `rscp settings|wallbox|idle-periods|live --json`);
bad payloads (wrong syntax, out of range, above the device's system specs,
wrong JSON) get {"ok":false} with a reason and leave the plant's settings
as they were. The bridge's own commands (force, interval, requests/...,
log/..., health) are checked on what the bridge publishes and, with
BRIDGE_LOG (the bridge's stderr), on what it writes to its log; rscp2mqtt's
features it lacks are refused with what to use instead. Prints one line per failed check and "N passed, N failed";
exit 0 only when every check passed. Python standard library only.
"""
import json
import os
import subprocess
import sys
import time

from bridge_results import Results, Tally

RSCP, BPORT, PREFIX = sys.argv[1], sys.argv[2], sys.argv[3]
BRIDGE_LOG = sys.argv[4] if len(sys.argv) > 4 else None
TALLY = Tally()
check = TALLY.check


# One subscriber for every result, for the whole run (bridge_results.py).
R = Results(BPORT, PREFIX)
results, cond, sent, sub = R.results, R.cond, R.sent, R.sub
wait_subscribed, command = R.wait_subscribed, R.command


def rscp_json(*args):
    out = subprocess.run([RSCP] + list(args) + ["--json"], capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise RuntimeError("rscp %s: exit %d: %s" % (" ".join(args), out.returncode, out.stderr.strip()))
    return json.loads(out.stdout)


WB_SETTINGS = ("mode", "current", "phases", "suspended", "min_current", "auto_phase_switch")
CAR_TAGS = {"EMS.BATTERY_TO_CAR_MODE": "EMS.REQ_BATTERY_TO_CAR_MODE",
            "EMS.BATTERY_BEFORE_CAR_MODE": "EMS.REQ_BATTERY_BEFORE_CAR_MODE",
            "EMS.GET_WB_DISCHARGE_BAT_UNTIL": "EMS.REQ_GET_WB_DISCHARGE_BAT_UNTIL",
            "EMS.GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT": "EMS.REQ_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT"}


def car():
    """The battery-and-car settings, read raw with `rscp get`: {answer tag name: value}."""
    blocks = rscp_json("get", *CAR_TAGS.values())["blocks"]
    return {b["name"]: b["value"] for b in blocks if b["name"] in CAR_TAGS}


def plant():
    """The plant's settings: what a command may change and nothing that moves by itself."""
    s = rscp_json("settings")
    s.pop("specs", None)
    w = rscp_json("wallbox")["wallboxes"][0]
    i = rscp_json("idle-periods")
    return {"settings": s, "wallbox": {k: w.get(k) for k in WB_SETTINGS}, "idle": i, "car": car()}


def eventually(fn, what, timeout=8.0):
    """Poll fn() (reading the plant) until it is true."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = fn()
            if last:
                check(True, what)
                return True
        except (RuntimeError, ValueError, KeyError, IndexError) as e:
            last = e
        time.sleep(0.4)
    check(False, "%s (last: %r)" % (what, last))
    return False


def good(topic, payload, what, fn, info=None):
    r = command(topic, payload)
    ok = r is not None and r.get("ok") is True
    check(ok, "set/%s %r -> ok (got %r)" % (topic, payload, r))
    if info is not None and ok:
        check(info(r), "set/%s %r: the result says %r" % (topic, payload, r))
    if ok:
        eventually(fn, "set/%s %r: %s" % (topic, payload, what))


def bads(cases):
    """Each (topic, payload, reason) is refused with an error containing reason,
    and none of them changes the plant's settings."""
    before = plant()
    for topic, payload, reason in cases:
        r = command(topic, payload)
        if os.environ.get("SHOW_ERRORS"):
            print("ERR", topic, payload, r, file=sys.stderr)
        check(r is not None and r.get("ok") is False and reason in r.get("error", ""),
              "set/%s %r -> error naming %r (got %r)" % (topic, payload, reason, r))
    time.sleep(1.2)  # a cycle: a wrongly sent request would show now
    after = plant()
    check(before == after, "%s changed nothing (before %r, after %r)"
          % (", ".join("set/%s %r" % (t, p) for t, p, _ in cases), before, after))


def st(key):
    return rscp_json("settings")[key]


def wb(key):
    return rscp_json("wallbox")["wallboxes"][0][key]


def battery():
    return rscp_json("live")["battery"]


check(wait_subscribed(), "the result subscriber is subscribed")

# The power settings (read-modify-write on the device).
good("power_limits", "true", "limits used", lambda: st("limits_used") is True)
good("max_charge_power", "3000", "max charge 3000 W", lambda: st("max_charge") == 3000)
good("max_discharge_power", "2500", "max discharge 2500 W", lambda: st("max_discharge") == 2500)
check(st("max_charge") == 3000, "max charge stays 3000 W after another limit is set")
good("discharge_start_power", "100", "discharge start 100 W", lambda: st("discharge_start") == 100)
good("weather_regulation", "true", "weather regulated", lambda: st("weather_regulated") is True)
good("power_save", "on", "power save on", lambda: st("power_save") is True)
good("power_save", "false", "power save off", lambda: st("power_save") is False)
good("power_limits", "false", "limits not used", lambda: st("limits_used") is False)
bads([
    ("power_limits", "maybe", "expected true or false"),
    ("max_charge_power", "-5", "whole number in 0..1000000"),
    ("max_charge_power", "12.5", "whole number"),
    ("max_charge_power", "7000", "out of range"),  # above the s10e's 6000 W
    ("max_discharge_power", "99999999", "in 0..1000000"),
    ("discharge_start_power", "abc", "bad payload 'abc' for discharge_start_power"),
    ("weather_regulation", "2", "expected true or false"),
    ("max_charge_power", '"3000"', "not a string"),
])

# The emergency-power reserve (the s10e's battery: 13800 Wh).
good("reserve/percent", "10", "reserve 10 %", lambda: abs(st("reserve_percent") - 10) < 0.01)
good("reserve/energy", "2760", "reserve 2760 Wh (20 %)",
     lambda: abs(st("reserve_wh") - 2760) < 1 and abs(st("reserve_percent") - 20) < 0.01)
bads([
    ("reserve/percent", "101", "in 0..100"),
    ("reserve/energy", "-1", "in 0..1000000"),
    ("reserve/energy", "13801", "above the device's maximum reserve of 13800 Wh"),
])

# Idle periods.
def idle_has(day, kind, active, start, end):
    for p in rscp_json("idle-periods")["periods"]:
        if p["day"] == day and p["type"] == kind:
            return p["active"] == active and p["start"] == start and p["end"] == end
    return False


good("idle_period", "tuesday:discharge:true:08:15-09:45", "tuesday's discharge window",
     lambda: idle_has("tuesday", "discharge", True, "08:15", "09:45"))
good("idle_period", '{"day":"friday","mode":"charge","active":true,"start":"00:00","end":"06:30"}',
     "friday's charge window (JSON)", lambda: idle_has("friday", "charge", True, "00:00", "06:30"))
check(idle_has("tuesday", "discharge", True, "08:15", "09:45"), "tuesday's window stays after friday's is set")
bads([
    ("idle_period", "funday:charge:true:00:00-01:00", "monday..sunday"),
    ("idle_period", "monday:charge:true:25:00-01:00", "the hour must be a whole number in 0..23"),
    ("idle_period", "monday:charge:true:00:00", "HH:MM-HH:MM"),
    ("idle_period", '{"day":"monday","mode":"charge","active":true,"start":"00:00"}', '"end" is missing'),
])

# The wallbox (toggles only when the state differs).
good("wallbox/sun_mode", "false", "mixed mode", lambda: wb("mode") == "mixed",
     info=lambda r: '"changed":true' in json.dumps(r, separators=(",", ":")))
good("wallbox/sun_mode", "false", "still mixed mode", lambda: wb("mode") == "mixed",
     info=lambda r: '"changed":false' in json.dumps(r, separators=(",", ":")))
good("wallbox/sun_mode", "true", "sun mode", lambda: wb("mode") == "sun")
good("wallbox/max_current", "10", "10 A", lambda: wb("current") == 10)
good("wallbox/number_phases", "1", "one phase", lambda: wb("phases") == 1)
good("wallbox/number_phases", "3", "three phases", lambda: wb("phases") == 3)
good("wallbox/suspended", "true", "suspended", lambda: wb("suspended") is True)
good("wallbox/suspended", "true", "still suspended", lambda: wb("suspended") is True,
     info=lambda r: '"changed":false' in json.dumps(r, separators=(",", ":")))
good("wallbox/toggle", "true", "toggled back", lambda: wb("suspended") is False)
bads([
    ("wallbox/max_current", "33", "in 1..32"),
    ("wallbox/max_current", "0", "in 1..32"),
    ("wallbox/number_phases", "2", "1 or 3"),
    ("wallbox/suspended", "yes", "expected true or false"),
    ("wallbox/toggle", "false", "send true"),
])

# The wallbox's minimum current and phase switch (inside WB.REQ_DATA).
good("wallbox/min_current", "8", "min current 8 A", lambda: wb("min_current") == 8,
     info=lambda r: r.get("min_current") == 8)
good("wallbox/auto_phase_switch", "true", "automatic phase switch on", lambda: wb("auto_phase_switch") is True)
good("wallbox/auto_phase_switch", "off", "automatic phase switch off", lambda: wb("auto_phase_switch") is False)
bads([
    ("wallbox/min_current", "5", "allowed 6..10 A"),  # the wallbox's least current
    ("wallbox/min_current", "12", "not above the charge current set now"),  # 10 A set above
    ("wallbox/min_current", "33", "in 1..32"),
    ("wallbox/min_current", "eight", "whole number"),
    ("wallbox/auto_phase_switch", "maybe", "expected true or false"),
])
# What rscp-bridge publishes of them, on rscp2mqtt's topic names.
def published(topic, timeout=6.0):
    out = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", BPORT, "-t", PREFIX + "/" + topic,
                          "-C", "1", "-W", str(int(timeout))], capture_output=True, text=True)
    return out.stdout.strip()


eventually(lambda: published("wallbox/min_current") == "8", "wallbox/min_current is published as 8")
eventually(lambda: published("wallbox/auto_phase_switch") == "false", "wallbox/auto_phase_switch is published")

# The battery and the car (EMS settings of the plant).
good("wallbox/discharge_battery_to_car", "true", "battery to car on",
     lambda: car()["EMS.BATTERY_TO_CAR_MODE"] == 1)
good("wallbox/charge_battery_before_car", "false", "the car before the battery",
     lambda: car()["EMS.BATTERY_BEFORE_CAR_MODE"] == 0)
good("wallbox/discharge_battery_until", "35", "battery to car until 35 %",
     lambda: car()["EMS.GET_WB_DISCHARGE_BAT_UNTIL"] == 35)
good("wallbox/disable_battery_at_mix_mode", "true", "no battery charging in mixed mode",
     lambda: car()["EMS.GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT"] is True)
eventually(lambda: published("wallbox/discharge_battery_until") == "35", "wallbox/discharge_battery_until is published")
eventually(lambda: published("wallbox/discharge_battery_to_car") == "true", "wallbox/discharge_battery_to_car is published")
eventually(lambda: published("wallbox/charge_battery_before_car") == "false",
           "wallbox/charge_battery_before_car is published")
eventually(lambda: published("wallbox/disable_battery_at_mix_mode") == "true",
           "wallbox/disable_battery_at_mix_mode is published")
bads([
    ("wallbox/discharge_battery_until", "101", "in 0..100"),
    ("wallbox/discharge_battery_until", "-1", "in 0..100"),
    ("wallbox/discharge_battery_until", "half", "whole number"),
    ("wallbox/discharge_battery_until", '"35"', "not a string"),
    ("wallbox/discharge_battery_to_car", "2", "expected true or false"),
    ("wallbox/charge_battery_before_car", "yes", "expected true or false"),
    ("wallbox/disable_battery_at_mix_mode", "{}", "true or false"),
])
good("wallbox/discharge_battery_to_car", "false", "battery to car off",
     lambda: car()["EMS.BATTERY_TO_CAR_MODE"] == 0)
good("wallbox/charge_battery_before_car", "true", "the battery before the car",
     lambda: car()["EMS.BATTERY_BEFORE_CAR_MODE"] == 1)
good("wallbox/disable_battery_at_mix_mode", "false", "battery charging in mixed mode",
     lambda: car()["EMS.GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT"] is False)

# The power mode, held by the bridge.
good("power_mode", "idle:0", "the battery idles", lambda: abs(battery()) < 50)
good("power_mode", "charge:1500:0", "the battery charges 1500 W", lambda: abs(battery() - 1500) < 50)
good("power_mode", '{"mode":"grid_charge","power":2000,"cycles":0}', "the battery charges 2000 W from the grid",
     lambda: abs(battery() - 2000) < 50)
good("power_mode", "discharge:1200:0", "the battery discharges 1200 W", lambda: abs(battery() + 1200) < 50)
bads([
    ("power_mode", "turbo", "the mode must be"),
    ("power_mode", "charge:2000", "':N'"),
    ("power_mode", "charge:-1:0", "W must be a whole number in 1..1000000"),
    ("power_mode", "charge:7000:0", "out of range"),  # above the s10e's 6000 W
    ("power_mode", '{"mode":"charge","cycles":0}', '"power" is missing'),
])
check(abs(battery() + 1200) < 50, "the discharge hold is kept through the bad commands")
good("power_mode", "auto", "the battery is free again", lambda: abs(battery() + 1200) > 50)

# Manual charge: started once, then ignored (about once a day).
r = command("manual_charge", "300")
check(r is not None and r.get("ok") is True and r.get("started") is True, "set/manual_charge 300 -> started (%r)" % r)
r = command("manual_charge", "300")
check(r is not None and r.get("ok") is False and "ignored" in r.get("error", ""),
      "set/manual_charge 300 again -> ignored by the device (%r)" % r)
bads([
    ("manual_charge", "0", "in 1..1000000"),
    ("manual_charge", "many", "whole number"),
])

# A history day.
r = command("request/day", "2025-06-13")
check(r is not None and r.get("ok") is True, "set/request/day 2025-06-13 -> ok (%r)" % r)
bads([
    ("request/day", "2025-02-30", "1..29"),
    ("request/day", "2025-06", "YYYY-MM-DD"),
])

# ---- the bridge's own commands ----------------------------------------------

def states(n, timeout=20.0):
    """The next n messages on PREFIX/state (one per cycle): [(arrival time, dict)]."""
    p = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", BPORT, "-t", PREFIX + "/state",
                          "-C", str(n), "-W", str(int(timeout))], stdout=subprocess.PIPE, text=True)
    got = []
    for line in p.stdout:
        got.append((time.monotonic(), json.loads(line)))
    p.wait()
    return got


def period(n=4):
    """The mean time between cycles, s, over n cycles."""
    t = [g[0] for g in states(n + 1)]
    return (t[-1] - t[0]) / n if len(t) == n + 1 else None


def log_lines():
    if not BRIDGE_LOG:
        return []
    with open(BRIDGE_LOG, errors="replace") as f:
        return f.read().splitlines()


p1 = period()
check(p1 is not None and 0.7 < p1 < 1.4, "cycles every 1 s before set/interval (%r)" % p1)
r = command("interval", "3")
check(r is not None and r.get("ok") is True and r.get("interval") == 3, "set/interval 3 -> ok (%r)" % r)
p3 = period(3)
check(p3 is not None and 2.6 < p3 < 3.5, "cycles every 3 s after set/interval 3 (%r)" % p3)
for payload, reason in (("0", "in 1..300"), ("301", "in 1..300"), ("fast", "whole number"), ("1.5", "whole number"),
                        ('"2"', "not a string")):
    r = command("interval", payload)
    check(r is not None and r.get("ok") is False and reason in r.get("error", ""),
          "set/interval %r -> error naming %r (%r)" % (payload, reason, r))
p3 = period(2)
check(p3 is not None and 2.6 < p3 < 3.5, "still every 3 s after the bad set/interval payloads (%r)" % p3)
r = command("interval", "1")
check(r is not None and r.get("ok") is True, "set/interval 1 -> ok (%r)" % r)
p1 = period()
check(p1 is not None and 0.7 < p1 < 1.4, "cycles every 1 s again (%r)" % p1)


def keys_after(n=3):
    """The state's keys a couple of cycles from now."""
    got = states(n)
    return set(got[-1][1].keys()) if got else set()


full = keys_after()


slow = set()  # values of the groups read once a minute, switched off and on: not back at once


def all_back():
    missing = full - slow - keys_after(2)
    if missing:
        raise ValueError("missing: %s" % sorted(missing)[:8])
    return True


for topic, gone_prefix, must in (("requests/pm", "pm/", "pm/power"), ("requests/pvi", "pvi/", "pvi/power/string_1"),
                                 ("requests/dcb", "battery/dcb/", None), ("requests/history", None, "solar/energy"),
                                 ("requests/ems", None, "grid/power")):
    r = command(topic, "false")
    check(r is not None and r.get("ok") is True and "groups" in r, "set/%s false -> ok (%r)" % (topic, r))
    off = keys_after()
    gone = full - off
    check(len(gone) > 0 and (must is None or must in gone) and
          (gone_prefix is None or all(k.startswith(gone_prefix) for k in gone)),
          "set/%s false: its values leave the state (gone: %s)" % (topic, sorted(gone)[:8]))
    r = command(topic, "true")
    check(r is not None and r.get("ok") is True, "set/%s true -> ok (%r)" % (topic, r))
    if topic in ("requests/dcb", "requests/history"):
        slow |= gone
    else:
        eventually(all_back, "set/%s true: its values are back" % topic, timeout=12)
for payload in ("maybe", "2", "[true]"):
    r = command("requests/pm", payload)
    check(r is not None and r.get("ok") is False and "true or false" in r.get("error", ""),
          "set/requests/pm %r -> error (%r)" % (payload, r))
check("pm/power" in keys_after(), "the meters are still polled after the bad payloads")

# force: a value that does not change is published again (max_age is 300 s).
def wait_for_message(topic, seconds):
    """A non-retained message on topic within seconds (mosquitto_sub -R skips the retained copy)."""
    return subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", BPORT, "-R", "-t", PREFIX + "/" + topic,
                             "-C", "1", "-W", str(seconds)], stdout=subprocess.PIPE, text=True)


quiet = wait_for_message("system/installed_battery_capacity", 3)
out, _ = quiet.communicate()
check(out.strip() == "", "system/installed_battery_capacity is not published again by itself (%r)" % out)
waiter = wait_for_message("system/installed_battery_capacity", 8)
time.sleep(0.5)
r = command("force", "1")
check(r is not None and r.get("ok") is True, "set/force 1 -> ok (%r)" % r)
out, _ = waiter.communicate()
check(out.strip() == "13800", "set/force: system/installed_battery_capacity published again (%r)" % out)
# rscp2mqtt's pattern: the topics it matches whole, and only those.
waiter = wait_for_message("system/installed_battery_capacity", 8)
other = wait_for_message("system/max_ac_power", 8)
time.sleep(0.5)
r = command("force", PREFIX + "/system/installed_.*")
check(r is not None and r.get("ok") is True and r.get("topics", 0) >= 2, "set/force PATTERN -> ok (%r)" % r)
out, _ = waiter.communicate()
check(out.strip() == "13800", "set/force PATTERN: a matched topic published again (%r)" % out)
out, _ = other.communicate()
check(out.strip() == "", "set/force PATTERN: a topic it does not match is not (%r)" % out)
for payload, reason in (("0", "send 1 or true"), (PREFIX + "/system/(", "not a regular expression"),
                        (PREFIX + "/nothing/.*", "no topic of the site matches"),
                        ("system/installed_.*", "no topic of the site matches")):  # whole topics, with the prefix
    r = command("force", payload)
    check(r is not None and r.get("ok") is False and reason in r.get("error", ""),
          "set/force %r -> error naming %r (%r)" % (payload, reason, r))

# The log: recent errors, every current topic and payload, the internal state.
if BRIDGE_LOG:
    before = len(log_lines())
    r = command("log/errors", "1")
    check(r is not None and r.get("ok") is True and r.get("lines", 0) >= 1, "set/log/errors 1 -> ok (%r)" % r)
    time.sleep(0.3)
    new = [l for l in log_lines()[before:] if ": error: " in l]
    check(len(new) == r.get("lines") and any("set/wallbox/min_current failed: out of range" in l for l in new),
          "set/log/errors: one line per error, the refused min current among them (%r)" % new[-3:])
    before = len(log_lines())
    r = command("log/cache", "true")
    check(r is not None and r.get("ok") is True and r.get("lines", 0) > 50, "set/log/cache -> ok (%r)" % r)
    time.sleep(0.3)
    new = [l for l in log_lines()[before:] if ": cache: " in l]
    check(len(new) == r.get("lines") and any(l.endswith("cache: %s/system/installed_battery_capacity 13800" % PREFIX)
                                             for l in new),
          "set/log/cache: one line per topic with its payload (%d lines)" % len(new))
    before = len(log_lines())
    r = command("health", "1")
    check(r is not None and r.get("ok") is True and r.get("lines") == 3, "set/health -> ok (%r)" % r)
    time.sleep(0.3)
    new = [l for l in log_lines()[before:] if ": health: " in l]
    check(len(new) == 3 and any("health: site online" in l and "interval 1000 ms" in l for l in new)
          and any("broker 127.0.0.1" in l for l in new), "set/health: the bridge's and the site's state (%r)" % new)
    for payload in ("0", "please"):
        r = command("health", payload)
        check(r is not None and r.get("ok") is False and "send 1 or true" in r.get("error", ""),
              "set/health %r -> error (%r)" % (payload, r))

# rscp2mqtt's own features: refused, with what to use instead.
for topic, payload, instead in (("soc_limiter", "true", "set/max_charge_power"),
                                ("limit/discharge/soc", "30", "set/idle_period"),
                                ("limit/discharge/by_home_power", "500", "set/discharge_start_power"),
                                ("limit/discharge/durable", "true", "durable"),
                                ("limit/charge/soc", "80", "set/max_charge_power"),
                                ("limit/charge/durable", "true", "durable"),
                                ("daily_values", "true", "set/request/day"),
                                ("statistic_values", "true", "Prometheus"),
                                ("raw_mode", "true", "rscp get")):
    r = command(topic, payload)
    check(r is not None and r.get("ok") is False and "not supported by rscp-bridge" in r.get("error", "")
          and instead in r.get("error", ""), "set/%s -> not supported, use %s (%r)" % (topic, instead, r))

# An unknown command is answered too.
r = command("nonsense", "1")
check(r is not None and r.get("ok") is False and "unknown" in r.get("error", ""), "set/nonsense -> error naming it unknown (%r)" % r)

# Exactly one result per command: none came twice (a late double would be here now).
time.sleep(1.0)
with cond:
    for t, n in sorted(sent.items()):
        got = sum(1 for r in results if r[0] == t)
        check(got == n, "%s: %d results for %d commands" % (t, got, n))
sub.terminate()
sys.exit(TALLY.finish())
