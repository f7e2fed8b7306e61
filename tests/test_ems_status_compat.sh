#!/usr/bin/env bash
# The EMS.STATUS bits of include/rscp/ems.h (which the library names and the
# simulator sets) are the ones rscp2mqtt publishes: each RSCP_EMS_STATUS_*
# constant has the bit of its rscp2mqtt topic in
# data/compat/rscp2mqtt-tag-topics.tsv (rows of tag EMS_STATUS with a
# bit_to_bool), every such topic has its constant, and RSCP_EMS_STATUS_KNOWN
# is their union.
# Usage: bash test_ems_status_compat.sh BUILD_DIR SOURCE_DIR
set -u
SRC=$(cd "${2:?source dir}" && pwd)
command -v python3 >/dev/null || { echo "FAIL: python3 is needed by this test" >&2; exit 1; }
exec python3 - "$SRC" <<'PY'
import csv, os, re, sys

src = sys.argv[1]
# rscp2mqtt's topic -> the constant of ems.h with that meaning
meaning = {
    "ems/charging_lock": "CHARGE_LOCKED",
    "ems/discharging_lock": "DISCHARGE_LOCKED",
    "ems/emergency_power_available": "EMERGENCY_READY",
    "ems/charging_throttled": "WEATHER_THROTTLED",
    "grid_in_limit": "FEED_IN_LIMITED",
    "ems/charging_time_lock": "CHARGE_IDLE_PERIOD",
    "ems/discharging_time_lock": "DISCHARGE_IDLE_PERIOD",
}
consts = {}
with open(os.path.join(src, "include/rscp/ems.h")) as f:
    for m in re.finditer(r"#define RSCP_EMS_STATUS_(\w+) (0x[0-9A-Fa-f]+)u", f.read()):
        consts[m.group(1)] = int(m.group(2), 16)
bits = {}
with open(os.path.join(src, "data/compat/rscp2mqtt-tag-topics.tsv")) as f:
    for row in csv.DictReader(f, delimiter="\t"):
        if row["tag"] == "EMS_STATUS" and int(row["bit_to_bool"] or 0):
            bits[row["topic"]] = int(row["bit_to_bool"])
fails = []
if len(bits) < 7:
    fails.append("only %d EMS_STATUS bit topics in rscp2mqtt-tag-topics.tsv" % len(bits))
for topic, bit in sorted(bits.items()):
    name = meaning.get(topic)
    if name is None:
        fails.append("rscp2mqtt publishes bit 0x%02X as %s, which ems.h does not name" % (bit, topic))
    elif consts.get(name) != bit:
        fails.append("RSCP_EMS_STATUS_%s is %s, rscp2mqtt's %s is bit 0x%02X"
                     % (name, hex(consts[name]) if name in consts else "missing", topic, bit))
for topic in meaning:
    if topic not in bits:
        fails.append("%s is not an EMS_STATUS bit topic of rscp2mqtt-tag-topics.tsv" % topic)
union = 0
for b in bits.values():
    union |= b
if consts.get("KNOWN") != union:
    fails.append("RSCP_EMS_STATUS_KNOWN is %s, the bits rscp2mqtt names are 0x%02X" % (hex(consts.get("KNOWN", 0)), union))
for f in fails:
    print("FAIL: " + f, file=sys.stderr)
if fails:
    sys.exit(1)
print("ok: %d EMS.STATUS bits as rscp2mqtt publishes them" % len(bits))
PY
