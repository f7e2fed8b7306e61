/* rscp-bridge: Home Assistant MQTT discovery. From a site's snapshot it
 * produces the retained configs that make Home Assistant create one device
 * per site with an entity per published value and per command. Pure:
 * snapshot in, (config topic, JSON) pairs out through a callback; no
 * allocation, no I/O.
 *
 *     static void one(void *ctx, const char *topic, const char *json, size_t n) {
 *         ... publish json[0..n) retained on topic ...
 *     }
 *     struct bridge_discovery_site ds = {"home", "e3dc", "homeassistant",
 *                                        "e3dc/bridge/status", NULL};
 *     bridge_discovery_each(&ds, &snap, site->groups, one, ctx);
 *
 * What Home Assistant gets (keys abbreviated as its MQTT discovery allows):
 *   - the device of the site: identifiers [serial], manufacturer "E3/DC",
 *     model from the serial (bridge_discovery_model()), serial_number,
 *     sw_version INFO.SW_RELEASE, name the site name; battery strings and
 *     wallboxes as devices of their own, linked with via_device;
 *   - per value of the topic table (topics.h): a sensor, or a binary_sensor
 *     for true/false values (payload_on "true", payload_off "false"), with
 *     state_topic "<prefix>/<topic>", the meta's unit, device_class,
 *     state_class, suggested display precision and entity_category
 *     "diagnostic" where the meta says so; unique_id "<serial>_<topic with
 *     '/' as '_'>", default_entity_id "<domain>.e3dc_<site>_<same>";
 *   - per command of command.h that the plant can take: select, number,
 *     switch and button entities on "<prefix>/set/..." (entity_category
 *     "config" for settings), with a state_topic where the topic table has
 *     the value. The wallbox's commands are on the wallbox's device; with
 *     several wallboxes (values on wallbox/<n>/...) each wallbox has its
 *     own, on its device: object id set_wallbox_<n>_<command>, command
 *     topic "<prefix>/set/wallbox/<n>/<command>", state wallbox/<n>/...
 *     (the battery-and-car settings are the site's: once, on the first
 *     wallbox's device, as with one);
 *   - availability: "<prefix>/status" and the bridge's will topic, both
 *     "online" (availability_mode all).
 * Config topics: "<disc_prefix>/<component>/<node_id>/<object_id>/config",
 * node_id the serial with every character outside [A-Za-z0-9_-] as '_'.
 * Without the serial (INFO not read yet) there is nothing to announce. */
#ifndef RSCP_BRIDGE_DISCOVERY_H
#define RSCP_BRIDGE_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* Limits. A config longer than BRIDGE_DISCOVERY_CONFIG_MAX (only with
 * prefixes of hundreds of bytes) is left out rather than cut. */
#define BRIDGE_DISCOVERY_CONFIG_MAX 8192u /* one config's JSON, NUL included   */
#define BRIDGE_DISCOVERY_TOPIC_MAX 512u   /* one config topic, NUL included    */
#define BRIDGE_DISCOVERY_NODE_MAX 64u     /* node_id, NUL included             */

/* The site as discovery needs it. All strings NUL-terminated, not NULL
 * unless said. */
struct bridge_discovery_site {
    const char *name;          /* site name: the device's name            */
    const char *prefix;        /* the site's topic prefix: "e3dc" or "e3dc/home" */
    const char *disc_prefix;   /* discovery prefix: "homeassistant"       */
    const char *bridge_status; /* the bridge's will topic (online/offline);
                                  NULL: availability from the site alone  */
    const char *origin_version;/* origin sw_version; NULL: the library's  */
};

typedef void (*bridge_discovery_fn)(void *ctx, const char *config_topic, const char *json, size_t len);
typedef void (*bridge_discovery_topic_fn)(void *ctx, const char *config_topic);

/* Call emit once per config of the site (see above), in a fixed order:
 * the values of bridge_topics_each(snap, groups) first, then the commands.
 * json[0..len) is NUL-terminated; topic and json are valid during the call
 * only. Returns the number of configs, 0 when snap lacks the serial
 * (BRIDGE_HAVE_INFO with RSCP_INFO_SERIAL) or site is incomplete. */
size_t bridge_discovery_each(const struct bridge_discovery_site *site, const struct bridge_snapshot *snap,
                             uint32_t groups, bridge_discovery_fn emit, void *ctx);

/* The config topics bridge_discovery_each() would use for the same
 * arguments, each once, in the same order: publish an empty retained
 * payload on each to remove the site's entities (a site left the
 * configuration, or a group was switched off: compare the two lists).
 * Returns their number. */
size_t bridge_discovery_topics(const struct bridge_discovery_site *site, const struct bridge_snapshot *snap,
                               uint32_t groups, bridge_discovery_topic_fn fn, void *ctx);

/* The subscription filter that matches every config of the device with
 * this serial, "<disc_prefix>/+/<node_id>/+/config", into buf[0..cap):
 * what the broker retains under it are configs of ours, also from an
 * earlier run with other groups. Returns its length, or the length needed
 * when that is >= cap (buf then holds no filter). */
size_t bridge_discovery_filter(const char *disc_prefix, const char *serial, char *buf, size_t cap);

/* The node_id of a serial into buf[0..cap) (see above; "unknown" for an
 * empty serial). Returns its length, cut to cap - 1 (cap > 0). */
size_t bridge_discovery_node_id(const char *serial, char *buf, size_t cap);

/* The plant's model from its serial number, as E3/DC numbers them: the
 * digits after an optional four-character prefix ("S10-", "Q10-", "P10-",
 * "H20-") begin with
 *   4 or 72  S10 E              74  S10 E Compact
 *   70       S10 E PRO          75  S10 E PRO Compact
 *   5        S10 mini           6   Quattroporte
 *   8        S10 X
 * Otherwise the prefix decides ("Q10-" Quattroporte, "P10-" S10 E PRO,
 * "H20-" S10 X, "S10-" "S10 (model not known)"), else "E3/DC (model not
 * known)". Never NULL; a static string. */
const char *bridge_discovery_model(const char *serial);

#endif
