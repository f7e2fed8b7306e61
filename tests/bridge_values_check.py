#!/usr/bin/env python3
"""rscp-bridge's retained topics and /metrics, value by value against the plant.

Usage: bridge_values_check.py RSCP BROKER_PORT METRICS_PORT PREFIX SITE TOPICS_MD
The bridge serves one site SITE (a simulator that RSCP_HOST/RSCP_PORT/...
name for the `rscp` tool) under PREFIX on the broker at 127.0.0.1:BROKER_PORT
and serves /metrics on 127.0.0.1:METRICS_PORT. The plant must stand still
(the simulator at --speed 0.001) so that what the bridge read and what the
rscp tool reads afterwards are the same values.

Waits until the bridge has published a full cycle, takes every retained
message under PREFIX/# and homeassistant/# (mosquitto_sub --retained-only)
and GET /metrics, reads the plant (`rscp live|info|battery|pv|meters|
wallbox|settings|idle-periods|history --json` and `rscp get` for what those
do not show) and compares: numbers within the rounding the payload shows
(half its last digit; energies of the day also within a few Wh the plant
gains meanwhile), in the topic's unit (docs/bridge-topics.md: W, Wh, kWh
for meters and days, % ...); metrics in base units (J, ratio). Every Home
Assistant discovery config with a state topic must name a retained one,
and its unit (unit_of_meas) must be the unit TOPICS_MD (docs/bridge-topics.md)
gives that topic. Three consecutive JSON states must hold the same members
(the battery modules' too, copied between their readings), each equal to its
retained topic.
Prints one line per mismatch (topic, bridge value, simulator value), the
number of comparisons; exit 0 only when nothing mismatched and at least
MIN_COMPARISONS of each kind were made (an empty capture cannot pass).
Python standard library only.
"""
import datetime
import json
import re
import subprocess
import sys
import time
import urllib.request

RSCP, BPORT, MPORT, PREFIX, SITE, TOPICS_MD = sys.argv[1:7]
# Fewer comparisons than these (a run against the s10e makes 460 of topics,
# every retained one, 113 of metrics and 1887 of discovery) means values
# went unchecked.
MIN_COMPARISONS = {"topic": 440, "metric": 105, "discovery": 1500}
HA_PREFIX = "homeassistant"

compared = {"topic": 0, "metric": 0, "discovery": 0}
mismatches = []
checked = set()  # the topics compared


def mismatch(where, bridge, sim, why="", against="simulator"):
    mismatches.append(where)
    print("MISMATCH %s: bridge %s, %s %s%s" % (where, bridge, against, sim, " (" + why + ")" if why else ""),
          file=sys.stderr)


# ---- what the bridge published --------------------------------------------

def capture():
    """Every retained message under PREFIX/# and homeassistant/#: {topic: payload}."""
    out = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", BPORT, "-v", "--retained-only", "-W", "4",
                          "-t", PREFIX + "/#", "-t", HA_PREFIX + "/#"],
                         capture_output=True, text=True, timeout=20)
    msgs = {}
    for line in out.stdout.splitlines():
        topic, _, payload = line.partition(" ")
        msgs[topic] = payload
    return msgs


def metrics():
    """/metrics as {(name, frozenset of label pairs): value}."""
    text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % MPORT, timeout=5).read().decode()
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
        if not m:
            mismatch("/metrics line %r" % line, "unparsable", "name{labels} value", against="expected")
            continue
        labels = frozenset(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


# The cycle is complete when these are retained (live, info, plant, units,
# settings, idle periods, both history days, discovery).
WANTED = ["status", "solar/power", "system/serial_number", "system/installed_battery_capacity",
          "battery/dcb/6/cell_voltage/14", "pvi/power/string_2", "pm/1/energy/total", "wallbox/energy/L3",
          "ems/max_charge/power", "reserve/energy", "idle_period/discharge/sunday", "solar/energy",
          "yesterday/consumed"]

end = time.monotonic() + 25
while True:
    retained = capture()
    missing = [t for t in WANTED if PREFIX + "/" + t not in retained]
    discovery = [t for t in retained if t.startswith(HA_PREFIX + "/")]
    if not missing and retained.get(PREFIX + "/status") == "online" and len(discovery) > 20:
        break
    if time.monotonic() > end:
        print("FAIL: the bridge did not publish a full cycle in 25 s (missing: %s; %d retained, %d discovery)"
              % (", ".join(missing) or "-", len(retained), len(discovery)), file=sys.stderr)
        sys.exit(1)
    time.sleep(0.5)
time.sleep(1.5)  # one more cycle: anything published late is retained now
retained = capture()
samples = metrics()


# ---- what the plant says --------------------------------------------------

def rscp_json(*args):
    out = subprocess.run([RSCP] + list(args) + ["--json"], capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise SystemExit("FAIL: rscp %s: exit %d: %s" % (" ".join(args), out.returncode, out.stderr.strip()))
    return json.loads(out.stdout)


def rscp_get(*tags):
    """A `rscp get` reply as a list of (name, value); a container's value is such a list too."""
    def items(blocks):
        return [(b["name"], items(b["value"]) if b.get("type") == "CONTAINER" else b.get("value")) for b in blocks]
    return items(rscp_json("get", *tags)["blocks"])


def leaves(items):
    """The values of the items that are not containers: {name: value}."""
    return {n: v for n, v in items if not isinstance(v, list)}


def inner(items, name):
    """The containers called name among items, each a list of (name, value)."""
    return [v for n, v in items if n == name and isinstance(v, list)]


live = rscp_json("live")
info = rscp_json("info")
bat = rscp_json("battery")["batteries"]
pv = rscp_json("pv")
meters = rscp_json("meters")["meters"]
wbs = rscp_json("wallbox")["wallboxes"]
settings = rscp_json("settings")
idle = rscp_json("idle-periods")
today = rscp_json("history", "day")["totals"]
local_day = datetime.date.fromisoformat(info["local_time"][:10])
yesterday = rscp_json("history", "day", (local_day - datetime.timedelta(days=1)).isoformat())["totals"]
# What those commands do not show, asked for by tag.
dcb_requests = ",".join("BAT.REQ_DCB_INFO=%d" % d["index"] for d in bat[0]["dcbs"]) if bat else ""
extra = rscp_get("BAT.REQ_DATA{BAT.INDEX=0,BAT.REQ_TERMINAL_VOLTAGE,BAT.REQ_MAX_DCB_CELL_VOLTAGE,"
                 "BAT.REQ_MIN_DCB_CELL_VOLTAGE,BAT.REQ_USABLE_CAPACITY,BAT.REQ_USABLE_REMAINING_CAPACITY,"
                 "BAT.REQ_EOD_VOLTAGE,BAT.REQ_MAX_CHARGE_CURRENT,BAT.REQ_MAX_DISCHARGE_CURRENT,"
                 "BAT.REQ_TRAINING_MODE,%s}" % dcb_requests,
                 "WB.REQ_DATA{WB.INDEX=0,WB.REQ_PM_ENERGY_L1,WB.REQ_PM_ENERGY_L2,WB.REQ_PM_ENERGY_L3,"
                 "WB.REQ_KEY_STATE,WB.REQ_DEVICE_STATE,WB.REQ_EXTERN_DATA_ALG}",
                 "PVI.REQ_DATA{PVI.INDEX=0,PVI.REQ_TYPE,PVI.REQ_DC_MAX_STRING_COUNT}",
                 "EMS.REQ_GET_MANUAL_CHARGE", "EMS.REQ_GET_POWER_SETTINGS", "SE.REQ_EP_RESERVE")
bat_data = inner(extra, "BAT.DATA")[0]
bat_extra = leaves(bat_data)
dcb_info = {leaves(c)["BAT.DCB_INDEX"]: leaves(c) for c in inner(bat_data, "BAT.DCB_INFO")}
wb_data = inner(extra, "WB.DATA")[0]
wb_extra = leaves(wb_data)
wb_state = leaves(inner(wb_data, "WB.DEVICE_STATE")[0])
wb_alg = bytes.fromhex(leaves(inner(wb_data, "WB.EXTERN_DATA_ALG")[0])["WB.EXTERN_DATA"])
reserve = leaves(inner(extra, "SE.EP_RESERVE")[0])
pvi_extra = leaves(inner(extra, "PVI.DATA")[0])
manual = leaves(inner(extra, "EMS.GET_MANUAL_CHARGE")[0])
power_settings = leaves(inner(extra, "EMS.GET_POWER_SETTINGS")[0])
pm_extra = {m["index"]: leaves(inner(rscp_get("PM.REQ_DATA{PM.INDEX=%d,PM.REQ_DEVICE_ID,PM.REQ_MODE,"
                                              "PM.REQ_ERROR_CODE}" % m["index"]), "PM.DATA")[0])
            for m in meters}

# The checks below assume the s10e's shape: one string, one inverter, one
# wallbox, the root meter and an additional producer's meter.
if len(bat) != 1 or len(pv["inverters"]) != 1 or len(wbs) != 1 or len(meters) < 2:
    raise SystemExit("FAIL: the plant is not an s10e (%d strings, %d inverters, %d wallboxes, %d meters)"
                     % (len(bat), len(pv["inverters"]), len(wbs), len(meters)))


# ---- comparing ------------------------------------------------------------

def payload(topic):
    """The retained payload of PREFIX/topic, or None (a mismatch) when there is none."""
    compared["topic"] += 1
    checked.add(PREFIX + "/" + topic)
    p = retained.get(PREFIX + "/" + topic)
    if p is None:
        return None
    return p


def num(topic, sim, scale=1.0, slack=0.0):
    """PREFIX/topic is the number sim*scale within the payload's rounding (and slack)."""
    p = payload(topic)
    want = sim * scale
    if p is None:
        return mismatch(topic, "(not retained)", want)
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", p) or p.startswith("-0") and float(p) == 0:
        return mismatch(topic, repr(p), want, "not a plain number")
    decimals = len(p.partition(".")[2])
    tol = 0.5 * 10 ** -decimals * 1.001 + abs(want) * 2e-7 + slack
    if abs(float(p) - want) > tol:
        mismatch(topic, p, want, "off by %.6g, rounding allows %.3g" % (float(p) - want, tol))


def text(topic, want):
    p = payload(topic)
    if p != want:
        mismatch(topic, "(not retained)" if p is None else repr(p), repr(want))


def flag(topic, want):
    text(topic, "true" if want else "false")


def metric(name, sim, scale=1.0, slack=0.0, **labels):
    """The sample name{site=SITE, labels} is sim*scale (to float32 precision, and slack)."""
    compared["metric"] += 1
    labels["site"] = SITE
    key = (name, frozenset(labels.items()))
    want = sim * scale
    where = "%s{%s}" % (name, ",".join('%s="%s"' % kv for kv in sorted(labels.items())))
    if key not in samples:
        return mismatch(where, "(no sample)", want)
    if abs(samples[key] - want) > abs(want) * 1e-6 + 1e-9 + slack:
        mismatch(where, samples[key], want)


# ---- live values and the EMS status ---------------------------------------

L = live
for topic, key, name in (("solar/power", "pv", "rscp_pv_power_watts"),
                         ("battery/power", "battery", "rscp_battery_power_watts"),
                         ("grid/power", "grid", "rscp_grid_power_watts"),
                         ("home/power", "house", "rscp_house_power_watts"),
                         ("addon/power", "additional", "rscp_additional_power_watts"),
                         ("wallbox/total/power", "wallbox_all", "rscp_wallbox_power_watts"),
                         ("wallbox/solar/power", "wallbox_solar", "rscp_wallbox_solar_power_watts")):
    num(topic, L[key])
    metric(name, L[key])
for topic, key, name in (("battery/soc", "soc", "rscp_battery_soc_ratio"),
                         ("autarky", "autarky", "rscp_autarky_ratio"),
                         ("consumed", "self_consumption", "rscp_self_consumption_ratio")):
    num(topic, L[key])
    metric(name, L[key], 0.01)
text("grid/state", "IN" if L["grid"] < 0 else "OUT")
text("battery/state", "CHARGING" if L["battery"] > 0 else "DISCHARGING" if L["battery"] < 0
     else "FULL" if L["soc"] >= 100 else "EMPTY" if L["soc"] <= 0 else "PENDING")
num("ems/status", L["status"])
STATUS_BITS = (("charge_locked", "ems/charging_lock"), ("discharge_locked", "ems/discharging_lock"),
               ("emergency_ready", "ems/emergency_power_available"), ("weather_throttled", "ems/charging_throttled"),
               ("feed_in_limited", "grid_in_limit"), ("charge_idle_period", "ems/charging_time_lock"),
               ("discharge_idle_period", "ems/discharging_time_lock"))
for bit, topic in STATUS_BITS:
    flag(topic, bit in L["status_names"])
    metric("rscp_ems_status", 1 if bit in L["status_names"] else 0, bit=bit)

# ---- system -----------------------------------------------------------------

text("system/serial_number", info["serial_number"])
text("system/software", info["sw_release"])
text("system/production_date", info["production_date"])
text("time/zone", info["time_zone"])
num("system/battery_count", len(bat))
num("system/inverter_count", len(pv["inverters"]))
num("system/meter_count", len(meters))
num("system/wallbox_count", len(wbs))
specs = settings["specs"]
num("system/installed_battery_capacity", specs["installedBatteryCapacity"])
metric("rscp_installed_battery_capacity_joules", specs["installedBatteryCapacity"], 3600)
num("system/installed_peak_power", specs["maxPvPower"])
metric("rscp_installed_pv_power_watts", specs["maxPvPower"])
num("system/max_ac_power", specs["maxAcPower"])
num("system/max_charge_power", specs["maxChargePower"])
num("system/max_discharge_power", specs["maxDischargePower"])

# ---- the battery string and its modules -------------------------------------

b = bat[0]
BL = {"battery": "0"}
for topic, key, name, scale in (("soc_float", "soc", "rscp_battery_string_soc_ratio", 0.01),
                                ("rsoc_real", "soc_real", "rscp_battery_real_soc_ratio", 0.01),
                                ("voltage", "voltage", "rscp_battery_voltage_volts", 1),
                                ("current", "current", "rscp_battery_current_amperes", 1),
                                ("cycles", "cycles", "rscp_battery_charge_cycles_total", 1),
                                ("status", "status_code", None, 1),
                                ("error", "error_code", None, 1),
                                ("temperature/max", "temp_max", "rscp_battery_temperature_max_celsius", 1),
                                ("temperature/min", "temp_min", "rscp_battery_temperature_min_celsius", 1),
                                ("full_charge_capacity", "full_charge_capacity_ah", None, 1),
                                ("remaining_capacity", "remaining_capacity_ah", None, 1),
                                ("design_capacity", "design_capacity_ah", None, 1),
                                ("soh", "soh", "rscp_battery_soh_ratio", 0.01),
                                ("dcb/count", "dcb_count", None, 1)):
    num("battery/" + topic, b[key])
    if name:
        metric(name, b[key], scale, **BL)
text("battery/name", b["name"])
num("battery/training", bat_extra["BAT.TRAINING_MODE"])
for topic, tag, name in (("terminal_voltage", "BAT.TERMINAL_VOLTAGE", "rscp_battery_terminal_volts"),
                         ("cell_voltage/max", "BAT.MAX_DCB_CELL_VOLTAGE", "rscp_battery_cell_voltage_max_volts"),
                         ("cell_voltage/min", "BAT.MIN_DCB_CELL_VOLTAGE", "rscp_battery_cell_voltage_min_volts"),
                         ("usable_capacity", "BAT.USABLE_CAPACITY", None),
                         ("usable_remaining_capacity", "BAT.USABLE_REMAINING_CAPACITY", None),
                         ("eod_voltage", "BAT.EOD_VOLTAGE", None),
                         ("max_charge_current", "BAT.MAX_CHARGE_CURRENT", None),
                         ("max_discharge_current", "BAT.MAX_DISCHARGE_CURRENT", None)):
    num("battery/" + topic, bat_extra[tag])
    if name:
        metric(name, bat_extra[tag], **BL)
for d in b["dcbs"]:
    x = "battery/dcb/%d/" % (d["index"] + 1)
    num(x + "soc", d["soc"])
    num(x + "soh", d["soh"])
    num(x + "voltage", d["voltage"])
    num(x + "current", d["current"])
    num(x + "cycles", d["cycles"])
    num(x + "cell_temperature/min", d["temp_min"])
    num(x + "cell_temperature/max", d["temp_max"])
    text(x + "serial_number", str(d["serial_number"]))
    temps = [c["temperature"] for c in d["cells"] if c["temperature"] is not None]
    num(x + "cell_temperature/mean", sum(temps) / len(temps))
    info_k = dcb_info[d["index"]]
    for topic, tag in (("full_charge_capacity", "FULL_CHARGE_CAPACITY"), ("remaining_capacity", "REMAINING_CAPACITY"),
                       ("design_capacity", "DESIGN_CAPACITY"), ("design_voltage", "DESIGN_VOLTAGE"),
                       ("max_charge_voltage", "MAX_CHARGE_VOLTAGE"), ("end_of_discharge", "END_OF_DISCHARGE"),
                       ("max_charge_current", "MAX_CHARGE_CURRENT"),
                       ("max_discharge_current", "MAX_DISCHARGE_CURRENT"), ("nr_series_cell", "NR_SERIES_CELL"),
                       ("nr_parallel_cell", "NR_PARALLEL_CELL"), ("nr_sensor", "NR_SENSOR"), ("status", "STATUS"),
                       ("warning", "WARNING"), ("alarm", "ALARM"), ("error", "ERROR")):
        num(x + topic, info_k["BAT.DCB_" + tag])
    for c in d["cells"]:
        # The bridge publishes a cell again only past its deadband (2 mV,
        # 0.5 °C); the plant stands still, so the rounding is all there is.
        num(x + "cell_voltage/%d" % (c["index"] + 1), c["voltage"])
        if c["temperature"] is not None:
            num(x + "cell_temperature/%d" % (c["index"] + 1), c["temperature"])
    ml = {"battery": "0", "dcb": str(d["index"] + 1)}  # 1-based, as in the topic
    metric("rscp_dcb_soc_ratio", d["soc"], 0.01, **ml)
    metric("rscp_dcb_voltage_volts", d["voltage"], **ml)

# ---- PV: trackers and AC phases ---------------------------------------------

inv = pv["inverters"][0]
for t in pv["trackers"]:
    k = t["index"] + 1
    TL = {"inverter": "0", "tracker": str(k)}
    num("pvi/power/string_%d" % k, t["power"])
    metric("rscp_pv_tracker_power_watts", t["power"], **TL)
    num("pvi/voltage/string_%d" % k, t["voltage"])
    metric("rscp_pv_tracker_voltage_volts", t["voltage"], **TL)
    num("pvi/current/string_%d" % k, t["current"])
    num("pvi/energy_all/string_%d" % k, t["energy"])  # Wh
    metric("rscp_pv_tracker_energy_joules_total", t["energy"], 3600, **TL)
for k, ph in enumerate(inv["phases"], 1):
    PL = {"inverter": "0", "phase": "L%d" % k}
    num("pvi/power/L%d" % k, ph["power"])
    metric("rscp_pv_phase_power_watts", ph["power"], **PL)
    num("pvi/voltage/L%d" % k, ph["voltage"])
    num("pvi/current/L%d" % k, ph["current"])
    num("pvi/energy_all/L%d" % k, ph["energy"])  # Wh
    metric("rscp_pv_phase_energy_joules_total", ph["energy"], 3600, **PL)
for k, temp in enumerate(inv["temperatures"], 1):
    num("pvi/temperature/%d" % k, temp)
num("pvi/temperature/count", len(inv["temperatures"]))
num("pvi/phase_count", len(inv["phases"]))
num("pvi/used_string_count", len(pv["trackers"]))
num("pvi/max_string_count", pvi_extra["PVI.DC_MAX_STRING_COUNT"])
num("pvi/type", pvi_extra["PVI.TYPE"])
flag("pvi/on_grid", inv["on_grid"])
text("pvi/state", inv["state"])
num("pvi/frequency", inv["frequency"])

# ---- power meters -----------------------------------------------------------

for m in meters:
    x = "pm/" if m["root"] else "pm/%d/" % m["index"]
    ML = {"meter": str(m["index"])}
    num(x + "power", m["power"])
    metric("rscp_meter_sum_power_watts", m["power"], **ML)
    total = 0.0
    for k in (1, 2, 3):
        num(x + "power/L%d" % k, m["power_l%d" % k])
        metric("rscp_meter_power_watts", m["power_l%d" % k], phase="L%d" % k, **ML)
        num(x + "voltage/L%d" % k, m["voltage_l%d" % k])
        num(x + "energy/L%d" % k, m["energy_l%d" % k], 0.001)  # kWh from Wh
        metric("rscp_meter_energy_joules_total", m["energy_l%d" % k], 3600, phase="L%d" % k, **ML)
        flag(x + "active_phases/L%d" % k, (m["active_phases"] >> (k - 1)) & 1)
        total += m["energy_l%d" % k]
    num(x + ("energy" if m["root"] else "energy/total"), total, 0.001)
    metric("rscp_meter_sum_energy_joules_total", total, 3600, **ML)
    num(x + "type", m["type"])
    num(x + "device_id", pm_extra[m["index"]]["PM.DEVICE_ID"])
    num(x + "mode", pm_extra[m["index"]]["PM.MODE"])
    num(x + "error", pm_extra[m["index"]]["PM.ERROR_CODE"])

# ---- the wallbox ------------------------------------------------------------

w = wbs[0]
WL = {"wallbox": "0"}
num("wallbox/index", w["index"])
num("wallbox/power", w["power"])
metric("rscp_wallbox_charge_power_watts", w["power"], **WL)
num("wallbox/power_solar", w["power_solar"])
powered = [w["power_l%d" % k] > 0 for k in (1, 2, 3)]
for k in (1, 2, 3):
    num("wallbox/power/L%d" % k, w["power_l%d" % k])
    metric("rscp_wallbox_phase_power_watts", w["power_l%d" % k], phase="L%d" % k, **WL)
    e = wb_extra["WB.PM_ENERGY_L%d" % k]
    num("wallbox/energy/L%d" % k, e)  # Wh
    metric("rscp_wallbox_phase_energy_joules_total", e, 3600, phase="L%d" % k, **WL)
if sum(powered) == w["phases_in_use"]:
    # The phases in use are the ones that carry power (the rscp tool shows
    # only their count): each phases/Lk says whether Lk does.
    for k in (1, 2, 3):
        flag("wallbox/phases/L%d" % k, powered[k - 1])
else:
    on = sum(retained.get(PREFIX + "/wallbox/phases/L%d" % k) == "true" for k in (1, 2, 3))
    compared["topic"] += 1
    if on != w["phases_in_use"]:
        mismatch("wallbox/phases/L1..L3", "%d true" % on, "%d phases in use" % w["phases_in_use"])
num("wallbox/energy/total", w["energy_all"])
metric("rscp_wallbox_energy_joules_total", w["energy_all"], 3600, **WL)
num("wallbox/energy/solar", w["energy_solar"])
metric("rscp_wallbox_solar_energy_joules_total", w["energy_solar"], 3600, **WL)
num("wallbox/number_phases", w["phases"])
num("wallbox/min_current", w["min_current"])
num("wallbox/max_charge_current", w["max_charge_current"])
num("wallbox/max_current", w["current"])
metric("rscp_wallbox_max_current_amperes", w["current"], **WL)
for key in ("plugged", "locked", "charging", "suspended", "connected"):
    flag("wallbox/" + key, w[key])
num("wallbox/status", wb_alg[2])  # the ALG state byte: plugged, locked, charging ... bits
flag("wallbox/working", wb_state["WB.DEVICE_WORKING"])
flag("wallbox/in_service", wb_state["WB.DEVICE_IN_SERVICE"])
flag("wallbox/key_state", wb_extra["WB.KEY_STATE"] != 0)
metric("rscp_wallbox_plugged", 1 if w["plugged"] else 0, **WL)
metric("rscp_wallbox_charging", 1 if w["charging"] else 0, **WL)
flag("wallbox/sun_mode", w["mode"] == "sun")
num("wallbox/soc", w["soc"])

# ---- settings, reserve, idle periods ----------------------------------------

S = settings
flag("ems/power_limits", S["limits_used"])
metric("rscp_power_limits_enabled", 1 if S["limits_used"] else 0)
for topic, key, name in (("ems/max_charge/power", "max_charge", "rscp_max_charge_power_watts"),
                         ("ems/max_discharge/power", "max_discharge", "rscp_max_discharge_power_watts"),
                         ("ems/discharge_start/power", "discharge_start", "rscp_discharge_start_power_watts")):
    num(topic, S[key])
    metric(name, S[key])
flag("ems/power_save", S["power_save"])
metric("rscp_power_save_enabled", 1 if S["power_save"] else 0)
flag("ems/weather_regulation", S["weather_regulated"])
metric("rscp_weather_regulation_enabled", 1 if S["weather_regulated"] else 0)
num("ems/weather_forecast_mode", power_settings["EMS.WEATHER_FORECAST_MODE"])
num("reserve/procent", S["reserve_percent"])
metric("rscp_reserve_ratio", S["reserve_percent"], 0.01)
num("reserve/energy", S["reserve_wh"])  # Wh
metric("rscp_reserve_energy_joules", S["reserve_wh"], 3600)
num("reserve/max", S["reserve_max_wh"])
metric("rscp_reserve_max_energy_joules", S["reserve_max_wh"], 3600)
num("reserve/last_soc", reserve["SE.PARAM_LAST_SOC"])
flag("idle_period/enabled", idle["enabled"])
for q in idle["periods"]:
    text("idle_period/%s/%s" % (q["type"], q["day"]), "%s:%s:%s:%s-%s" % (
        q["day"], q["type"], "true" if q["active"] else "false", q["start"], q["end"]))

flag("manual_charge/active", manual["EMS.MANUAL_CHARGE_ACTIVE"])
metric("rscp_manual_charge_active", 1 if manual["EMS.MANUAL_CHARGE_ACTIVE"] else 0)
num("manual_charge/energy", manual["EMS.MANUAL_CHARGE_ENERGY_COUNTER"])  # Wh
metric("rscp_manual_charge_energy_joules", manual["EMS.MANUAL_CHARGE_ENERGY_COUNTER"], 3600)
num("manual_charge/start_counter", manual["EMS.MANUAL_CHARGE_START_COUNTER"])

# ---- the bridge's own: online, and no power-mode hold (none was sent) -------

text("status", "online")
text("bridge/status", "online")
text("ems/power_mode", "auto")
text("ems/set_power/mode", "auto")
num("ems/set_power/power", 0)
metric("rscp_bridge_set_power_watts", 0)
metric("rscp_up", 1)

# ---- today's and yesterday's energies (kWh on MQTT, J in /metrics) ----------

# grid/energy/in is DB.GRID_POWER_IN, the feed-in (rscp history's
# grid_export); grid/energy/out DB.GRID_POWER_OUT, the import.
DAYS = (("solar/energy", "pv", "pv"), ("grid/energy/in", "grid_export", "grid_in"),
        ("grid/energy/out", "grid_import", "grid_out"), ("battery/energy/charge", "battery_in", "battery_charge"),
        ("battery/energy/discharge", "battery_out", "battery_discharge"), ("home/energy", "house", "house"),
        ("pm_0/energy", "pm0", "pm0"), ("pm_1/energy", "pm1", "pm1"))
for topic, key, name in DAYS:
    # Today grows while the plant runs on (a millisecond a second): 1 Wh is
    # hours of this run's drift.
    num(topic, today[key], 0.001, slack=0.001)
    metric("rscp_today_%s_energy_joules" % name, today[key], 3600, slack=3600)
    num("yesterday/" + topic, yesterday[key], 0.001)
    metric("rscp_yesterday_%s_energy_joules" % name, yesterday[key], 3600)
num("battery/rsoc", today["soc"], slack=0.05)
num("yesterday/battery/rsoc", yesterday["soc"])
num("yesterday/autarky", yesterday["autarky"])
metric("rscp_yesterday_autarky_ratio", yesterday["autarky"], 0.01)
num("yesterday/consumed", yesterday["consumed_production"])
metric("rscp_yesterday_self_consumption_ratio", yesterday["consumed_production"], 0.01)

# ---- Home Assistant discovery: every state topic holds a retained value -----

def doc_units():
    """docs/bridge-topics.md's table: [(regex of the topic, unit)]; <n> is any unit number."""
    rows = []
    for line in open(TOPICS_MD, encoding="utf-8"):
        m = re.match(r"\| `([^`]+)` \| ([^|]*) \|", line)
        if m:
            pat = re.escape(m.group(1)).replace(re.escape("<n>"), "[0-9]+")
            rows.append((re.compile(pat + "$"), m.group(2).strip()))
    return rows


UNITS = doc_units()
if len(UNITS) < 100:
    raise SystemExit("FAIL: %s has %d topic rows, not the table of topics" % (TOPICS_MD, len(UNITS)))


configs = 0
for topic, body in sorted(retained.items()):
    if not topic.startswith(HA_PREFIX + "/") or not topic.endswith("/config"):
        continue
    configs += 1
    try:
        c = json.loads(body)
    except ValueError:
        compared["discovery"] += 1
        mismatch(topic, "not JSON: " + body[:80], "a discovery config", against="expected")
        continue
    base = c.get("~", "")

    def expand(t):
        return base + t[1:] if t.startswith("~") else t[:-1] + base if t.endswith("~") else t
    st = c.get("stat_t", c.get("state_topic"))
    component = topic.split("/")[1]
    compared["discovery"] += 1
    if st is None:
        # Buttons have no state; a number without one is optimistic (the
        # power-mode watts and manual charge are commands, not values).
        if component not in ("button", "number") or "cmd_t" not in c and "command_topic" not in c:
            mismatch(topic, "no state topic", "a retained state topic", against="expected")
        continue
    st = expand(st)
    if not retained.get(st):
        mismatch(topic, "state topic %s" % st, "a retained value there", against="expected")
    if st.startswith(PREFIX + "/") and "val_tpl" not in c and "value_template" not in c:
        # The table lists a unit's topics once, without its number: pm/1/power as pm/power.
        rel = re.sub(r"^(battery|pvi|wallbox|pm)/[0-9]+/", r"\1/", st[len(PREFIX) + 1:])
        units = [u for pat, u in UNITS if pat.match(rel)]
        compared["discovery"] += 1
        unit = c.get("unit_of_meas", c.get("unit_of_measurement", ""))
        if not units:
            mismatch(topic, "state topic %s" % st, "a topic of %s" % TOPICS_MD, against="expected")
        elif unit not in units:
            mismatch(topic, "unit %r for %s" % (unit, st), "%r" % units[0], against=TOPICS_MD)
    for a in c.get("avty", c.get("availability", [])):
        compared["discovery"] += 1
        at = expand(a.get("t", a.get("topic", "")))
        if retained.get(at) != "online":
            mismatch(topic, "availability topic %s is %r" % (at, retained.get(at)), "online", against="expected")
compared["discovery"] += 1
if configs < 100:
    mismatch("homeassistant/#", "%d discovery configs" % configs, "about 470 for an s10e", against="expected")

# ---- the JSON state ---------------------------------------------------------
# Three consecutive <prefix>/state messages: each holds every retained value
# (the statuses aside), the same members each time (the battery modules' members, read once
# a minute, are copied between readings), each equal to its retained topic.
out = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", BPORT, "-t", PREFIX + "/state", "-C", "3", "-W", "10"],
                     capture_output=True, text=True, timeout=20)
states = []
for line in out.stdout.splitlines():
    try:
        states.append(json.loads(line))
    except ValueError as e:
        mismatch(PREFIX + "/state", "invalid JSON (%s)" % e, "a JSON object", against="expected")
compared["state"] = 0
MIN_COMPARISONS["state"] = 3 * 400
if len(states) != 3:
    mismatch(PREFIX + "/state", "%d messages in 10 s" % len(states), "3 (one a cycle)", against="expected")
for i, st in enumerate(states):
    keys = set(st) - {"site", "time"}
    # every retained value is a member (the statuses are not values)
    absent = sorted(t[len(PREFIX) + 1:] for t in retained if t.startswith(PREFIX + "/") and
                    t[len(PREFIX) + 1:] not in keys and not t.endswith("status"))
    compared["state"] += 1
    if absent:
        mismatch(PREFIX + "/state #%d" % (i + 1), "%d retained values missing: %s" % (len(absent), " ".join(absent[:6])),
                 "every retained value", against="expected")
    if i > 0 and keys != set(states[0]) - {"site", "time"}:
        diff = sorted(keys ^ (set(states[0]) - {"site", "time"}))
        mismatch(PREFIX + "/state #%d" % (i + 1), "members differ from #1: %s" % " ".join(diff[:8]),
                 "the same members every cycle", against="expected")
    if not any(k.startswith("battery/dcb/") for k in keys):
        mismatch(PREFIX + "/state #%d" % (i + 1), "no battery/dcb/ member", "the modules' values", against="expected")
    for k in sorted(keys):
        compared["state"] += 1
        v = st[k]
        r = retained.get(PREFIX + "/" + k)
        if r is None:
            mismatch(PREFIX + "/state #%d %s" % (i + 1, k), json.dumps(v), "a retained topic", against="expected")
        elif isinstance(v, bool):
            if r != ("true" if v else "false"):
                mismatch(PREFIX + "/state #%d %s" % (i + 1, k), json.dumps(v), r, against="retained")
        elif isinstance(v, (int, float)):
            # the plant stands still: within the deadband a retained value
            # may be an earlier cycle's; the modules' must be the same
            tol = 0 if k.startswith("battery/dcb/") else max(1.0, abs(v) * 0.01)
            try:
                if abs(float(r) - v) > tol:
                    mismatch(PREFIX + "/state #%d %s" % (i + 1, k), json.dumps(v), r, against="retained")
            except ValueError:
                mismatch(PREFIX + "/state #%d %s" % (i + 1, k), json.dumps(v), r, against="retained")
        elif v != r:
            mismatch(PREFIX + "/state #%d %s" % (i + 1, k), json.dumps(v), r, against="retained")

print("%d comparisons (%s; %d retained topics, %d metric samples, %d discovery configs), %d mismatches"
      % (sum(compared.values()), ", ".join("%d %s" % (n, k) for k, n in compared.items()), len(retained),
         len(samples), configs, len(mismatches)))
unchecked = sorted(t for t in retained if t.startswith(PREFIX + "/") and t not in checked)
if unchecked:  # a topic new to the bridge: compare it here too
    print("%d retained topics not compared: %s" % (len(unchecked), " ".join(unchecked)))
few = [k for k in MIN_COMPARISONS if compared[k] < MIN_COMPARISONS[k]]
for k in few:
    print("FAIL: only %d %s comparisons, expected at least %d" % (compared[k], k, MIN_COMPARISONS[k]),
          file=sys.stderr)
sys.exit(1 if mismatches or few else 0)
