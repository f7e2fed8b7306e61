#!/usr/bin/env python3
"""Check a dump of Home Assistant MQTT discovery configs (rscp-bridge).

The dump has one record per line:
    P <site prefix>          the site's topic prefix ("e3dc")
    D <discovery prefix>     "homeassistant"
    B <bridge will topic>    the bridge's availability topic
    S <topic>                a state topic the topic table produces
    C <config topic> <json>  one config
Checks: the JSON parses without repeated keys; every key is one Home
Assistant knows (abbreviations expanded); the required keys of each
component; config topics "<disc>/<component>/<node>/<object>/config";
device classes, state classes and units that Home Assistant accepts for
sensors and numbers (energy only as total/total_increasing in Wh/kWh/...,
so that the Energy dashboard takes it); binary sensors on true/false;
unique ids unique; every state_topic one the table produces; availability
on the site's status and the bridge's will topic with mode all; a device
with identifiers and a name in every config. Exit 0 when all is well, 1
with one line per problem otherwise. Python standard library only.
"""
import json
import re
import sys

ABBREVIATIONS = {
    "avty": "availability", "avty_mode": "availability_mode", "avty_t": "availability_topic",
    "cmd_t": "command_topic", "cmd_tpl": "command_template", "dev": "device", "dev_cla": "device_class",
    "ent_cat": "entity_category", "o": "origin", "ops": "options", "pl_on": "payload_on",
    "pl_off": "payload_off", "pl_prs": "payload_press", "pl_avail": "payload_available",
    "pl_not_avail": "payload_not_available", "stat_t": "state_topic", "stat_cla": "state_class",
    "stat_on": "state_on", "stat_off": "state_off", "sug_dsp_prc": "suggested_display_precision",
    "uniq_id": "unique_id", "unit_of_meas": "unit_of_measurement", "val_tpl": "value_template",
    "json_attr_t": "json_attributes_topic", "ic": "icon", "exp_aft": "expire_after",
    "def_ent_id": "default_entity_id", "en": "enabled_by_default", "opt": "optimistic", "ret": "retain",
    "frc_upd": "force_update",
}
DEVICE_ABBREVIATIONS = {
    "ids": "identifiers", "mf": "manufacturer", "mdl": "model", "mdl_id": "model_id",
    "sn": "serial_number", "sw": "sw_version", "hw": "hw_version", "sa": "suggested_area",
    "cu": "configuration_url", "cns": "connections",
}
ORIGIN_ABBREVIATIONS = {"sw": "sw_version", "url": "support_url"}
AVAILABILITY_KEYS = {"t": "topic", "pl_avail": "payload_available", "pl_not_avail": "payload_not_available",
                     "val_tpl": "value_template"}

COMMON = {"name", "unique_id", "default_entity_id", "device", "origin", "availability", "availability_mode",
          "entity_category", "icon", "enabled_by_default", "qos", "json_attributes_topic"}
KEYS = {
    "sensor": COMMON | {"state_topic", "unit_of_measurement", "device_class", "state_class",
                        "suggested_display_precision", "value_template", "expire_after", "force_update"},
    "binary_sensor": COMMON | {"state_topic", "device_class", "payload_on", "payload_off", "value_template",
                               "expire_after"},
    "number": COMMON | {"command_topic", "command_template", "state_topic", "value_template", "min", "max",
                        "step", "mode", "unit_of_measurement", "device_class", "optimistic", "retain"},
    "select": COMMON | {"command_topic", "command_template", "state_topic", "value_template", "options",
                        "optimistic", "retain"},
    "switch": COMMON | {"command_topic", "state_topic", "value_template", "payload_on", "payload_off",
                        "state_on", "state_off", "device_class", "optimistic", "retain"},
    "button": COMMON | {"command_topic", "command_template", "payload_press", "device_class", "retain"},
}
REQUIRED = {
    "sensor": {"state_topic"}, "binary_sensor": {"state_topic"}, "number": {"command_topic"},
    "select": {"command_topic", "options"}, "switch": {"command_topic"}, "button": {"command_topic"},
}
COMMON_REQUIRED = {"name", "unique_id", "device", "availability", "availability_mode", "origin"}
DEVICE_KEYS = {"identifiers", "name", "manufacturer", "model", "model_id", "serial_number", "sw_version",
               "hw_version", "via_device", "suggested_area", "configuration_url", "connections"}

ENERGY_UNITS = {"J", "kJ", "MJ", "GJ", "mWh", "Wh", "kWh", "MWh", "GWh", "TWh", "cal", "kcal", "Mcal", "Gcal"}
# Sensor device classes this bridge may use: allowed units, allowed state classes.
SENSOR_CLASSES = {
    "power": ({"W", "kW", "MW", "GW", "TW"}, {"measurement"}),
    "energy": (ENERGY_UNITS, {"total", "total_increasing"}),
    "energy_storage": (ENERGY_UNITS, {"measurement"}),
    "battery": ({"%"}, {"measurement"}),
    "temperature": ({"°C", "°F", "K"}, {"measurement"}),
    "voltage": ({"µV", "mV", "V", "kV", "MV"}, {"measurement"}),
    "current": ({"mA", "A"}, {"measurement"}),
    "frequency": ({"Hz", "kHz", "MHz", "GHz"}, {"measurement"}),
    "apparent_power": ({"mVA", "VA", "kVA"}, {"measurement"}),
    "reactive_power": ({"var", "mvar", "kvar"}, {"measurement"}),
    "power_factor": ({"%", None}, {"measurement"}),
    "duration": ({"d", "h", "min", "s", "ms"}, {"measurement", "total", "total_increasing"}),
    "timestamp": ({None}, set()),
    "date": ({None}, set()),
    "enum": ({None}, set()),
}
NUMBER_CLASSES = {k: v[0] for k, v in SENSOR_CLASSES.items() if k not in ("timestamp", "date", "enum")}
BINARY_CLASSES = {"battery", "battery_charging", "carbon_monoxide", "cold", "connectivity", "door",
                  "garage_door", "gas", "heat", "light", "lock", "moisture", "motion", "moving", "occupancy",
                  "opening", "plug", "power", "presence", "problem", "running", "safety", "smoke", "sound",
                  "tamper", "update", "vibration", "window"}
STATE_CLASSES = {"measurement", "measurement_angle", "total", "total_increasing"}
ENTITY_ID = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
NODE = re.compile(r"^[A-Za-z0-9_-]+$")


def no_repeats(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("key %r twice" % k)
        d[k] = v
    return d


def expand(obj, table, where, problems):
    out = {}
    for k, v in obj.items():
        full = table.get(k, k)
        if full in out:
            problems.append("%s: %r given twice (abbreviated and in full)" % (where, full))
        out[full] = v
    return out


def check(lines):
    problems = []
    prefix = disc = bridge = None
    states, configs = set(), []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line:
            continue
        kind, _, rest = line.partition(" ")
        if kind == "P":
            prefix = rest
        elif kind == "D":
            disc = rest
        elif kind == "B":
            bridge = rest
        elif kind == "S":
            states.add(rest)
        elif kind == "C":
            topic, _, payload = rest.partition(" ")
            configs.append((n, topic, payload))
        else:
            problems.append("line %d: unknown record %r" % (n, kind))
    if prefix is None or disc is None:
        problems.append("dump lacks the P and D records")
        return problems
    if not configs:
        problems.append("no configs")
    unique_ids, entity_ids, topics = {}, {}, set()
    for n, topic, payload in configs:
        where = "line %d (%s)" % (n, topic)
        if topic in topics:
            problems.append("%s: config topic repeated" % where)
        topics.add(topic)
        parts = topic[len(disc) + 1:].split("/") if topic.startswith(disc + "/") else []
        if len(parts) != 4 or parts[3] != "config":
            problems.append("%s: not <disc>/<component>/<node>/<object>/config" % where)
            continue
        component, node, obj = parts[0], parts[1], parts[2]
        if component not in KEYS:
            problems.append("%s: unknown component %r" % (where, component))
            continue
        if not NODE.match(node) or not NODE.match(obj):
            problems.append("%s: node_id/object_id outside [A-Za-z0-9_-]" % where)
        try:
            raw = json.loads(payload, object_pairs_hook=no_repeats)
        except ValueError as e:
            problems.append("%s: bad JSON: %s" % (where, e))
            continue
        if not isinstance(raw, dict):
            problems.append("%s: not a JSON object" % where)
            continue
        c = expand(raw, ABBREVIATIONS, where, problems)
        for k in sorted(set(c) - KEYS[component]):
            problems.append("%s: key %r unknown for %s" % (where, k, component))
        for k in sorted((REQUIRED[component] | COMMON_REQUIRED) - set(c)):
            problems.append("%s: required key %r missing" % (where, k))
        for k, v in c.items():
            if k.endswith("_topic") and (not isinstance(v, str) or not v or "#" in v or "+" in v):
                problems.append("%s: %s %r is not a topic" % (where, k, v))
        uid = c.get("unique_id")
        if uid in unique_ids:
            problems.append("%s: unique_id %r also in line %d" % (where, uid, unique_ids[uid]))
        unique_ids[uid] = n
        ent = c.get("default_entity_id")
        if ent is not None:
            if not isinstance(ent, str) or not ENTITY_ID.match(ent) or ent.split(".")[0] != component:
                problems.append("%s: default_entity_id %r is not %s.<id>" % (where, ent, component))
            elif ent in entity_ids:
                problems.append("%s: default_entity_id %r also in line %d" % (where, ent, entity_ids[ent]))
            entity_ids[ent] = n
        dev = c.get("device")
        if isinstance(dev, dict):
            dev = expand(dev, DEVICE_ABBREVIATIONS, where + " device", problems)
            for k in sorted(set(dev) - DEVICE_KEYS):
                problems.append("%s: device key %r unknown" % (where, k))
            ids = dev.get("identifiers")
            if not (isinstance(ids, list) and ids and all(isinstance(i, str) and i for i in ids)):
                problems.append("%s: device without identifiers" % where)
            if not dev.get("name"):
                problems.append("%s: device without a name" % where)
        elif dev is not None:
            problems.append("%s: device is not an object" % where)
        org = c.get("origin")
        if isinstance(org, dict):
            org = expand(org, ORIGIN_ABBREVIATIONS, where + " origin", problems)
            if not org.get("name"):
                problems.append("%s: origin without a name" % where)
        avty = c.get("availability")
        if isinstance(avty, list):
            ts = []
            for a in avty:
                if not isinstance(a, dict):
                    problems.append("%s: availability entry not an object" % where)
                    continue
                a = expand(a, AVAILABILITY_KEYS, where, problems)
                ts.append(a.get("topic"))
                if a.get("payload_available", "online") != "online" or \
                        a.get("payload_not_available", "offline") != "offline":
                    problems.append("%s: availability payloads not online/offline" % where)
            want = [prefix + "/status"] + ([bridge] if bridge else [])
            if sorted(t for t in ts if t) != sorted(want):
                problems.append("%s: availability %r, want %r" % (where, ts, want))
            if c.get("availability_mode") != "all":
                problems.append("%s: availability_mode %r, want all" % (where, c.get("availability_mode")))
        ecat = c.get("entity_category")
        if ecat is not None and ecat not in ("diagnostic", "config"):
            problems.append("%s: entity_category %r" % (where, ecat))
        if ecat == "config" and component in ("sensor", "binary_sensor"):
            problems.append("%s: a %s cannot have entity_category config" % (where, component))
        st = c.get("state_topic")
        if st is not None and st not in states:
            problems.append("%s: state_topic %r is not a topic the table produces" % (where, st))
        for k in ("command_topic",):
            if k in c and not str(c[k]).startswith(prefix + "/set/"):
                problems.append("%s: command_topic %r not under %s/set/" % (where, c[k], prefix))
        dc, sc, unit = c.get("device_class"), c.get("state_class"), c.get("unit_of_measurement")
        if component == "sensor":
            if sc is not None and sc not in STATE_CLASSES:
                problems.append("%s: state_class %r unknown" % (where, sc))
            if dc is not None:
                if dc not in SENSOR_CLASSES:
                    problems.append("%s: sensor device_class %r not known here" % (where, dc))
                else:
                    units, classes = SENSOR_CLASSES[dc]
                    if unit not in units:
                        problems.append("%s: unit %r not allowed for device_class %s" % (where, unit, dc))
                    if sc is not None and sc not in classes:
                        problems.append("%s: state_class %s not allowed for device_class %s" % (where, sc, dc))
                    if dc == "energy" and sc is None:
                        problems.append("%s: energy without state_class: not in the Energy dashboard" % where)
            if unit == "%" and dc not in (None, "battery", "power_factor"):
                problems.append("%s: %% with device_class %s" % (where, dc))
        elif component == "binary_sensor":
            if dc is not None and dc not in BINARY_CLASSES:
                problems.append("%s: binary_sensor device_class %r unknown" % (where, dc))
            if c.get("payload_on") != "true" or c.get("payload_off") != "false":
                problems.append("%s: payload_on/off not true/false" % where)
        elif component == "number":
            lo, hi, step = c.get("min", 1), c.get("max", 100), c.get("step", 1)
            if not all(isinstance(x, (int, float)) for x in (lo, hi, step)) or not lo < hi or step <= 0:
                problems.append("%s: min %r max %r step %r" % (where, lo, hi, step))
            if c.get("mode", "auto") not in ("auto", "box", "slider"):
                problems.append("%s: mode %r" % (where, c.get("mode")))
            if dc is not None and (dc not in NUMBER_CLASSES or unit not in NUMBER_CLASSES[dc]):
                problems.append("%s: number device_class %r with unit %r" % (where, dc, unit))
        elif component == "select":
            ops = c.get("options")
            if not (isinstance(ops, list) and ops and all(isinstance(o, str) and o for o in ops)) or \
                    len(set(ops)) != len(ops):
                problems.append("%s: options %r" % (where, ops))
        elif component == "switch":
            if c.get("payload_on") != "true" or c.get("payload_off") != "false":
                problems.append("%s: payload_on/off not true/false" % where)
    return problems


def main(argv):
    if len(argv) != 2:
        print("usage: ha_discovery_check.py DUMP", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        problems = check(f.readlines())
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
