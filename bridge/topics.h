/* rscp-bridge: the table of published values. From a site's snapshot it
 * produces every value the site has, each with its topic (rscp2mqtt's name
 * wherever rscp2mqtt has the value, data/compat/rscp2mqtt-topics.tsv; new
 * names in the same style otherwise), its plain payload and the metadata
 * that MQTT, Home Assistant discovery, the JSON state and Prometheus need.
 * Pure: snapshot in, values out through a callback; no allocation.
 *
 *     static void one(void *ctx, const struct bridge_value *v) {
 *         char payload[BRIDGE_PAYLOAD_TEXT_MAX];
 *         size_t n = bridge_value_payload(v, payload, sizeof payload);
 *         ... publish "<prefix>/" v->topic with payload[0..n) ...
 *     }
 *     bridge_topics_each(&snap, site->groups, one, ctx);
 */
#ifndef RSCP_BRIDGE_TOPICS_H
#define RSCP_BRIDGE_TOPICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

#define BRIDGE_TOPIC_SUFFIX_MAX 96u  /* topic after "<prefix>/", NUL included */
#define BRIDGE_PAYLOAD_TEXT_MAX 128u /* a plain payload, NUL included          */

enum bridge_value_kind {
    BRIDGE_VAL_NUMBER = 1, /* payload: the number with `decimals` digits   */
    BRIDGE_VAL_BOOL,       /* payload: true | false                        */
    BRIDGE_VAL_STRING      /* payload: the text as is                      */
};

/* What does not change between cycles: one entry of the table. The strings
 * are static. */
struct bridge_topic_meta {
    const char *label;        /* human name, "Battery SOC"                     */
    const char *unit;         /* "W", "Wh", "kWh", "%", "V", "A", "°C", NULL    */
    const char *device_class; /* Home Assistant: "power", "energy", "battery",
                                 "voltage", "current", "temperature", ... or NULL */
    const char *state_class;  /* "measurement", "total", "total_increasing", NULL */
    const char *component;    /* sub-device: NULL (the plant), "battery",
                                 "wallbox", "pvi", "pm" (numbered by the value) */
    const char *metric;       /* Prometheus family ("rscp_battery_soc_ratio") or
                                 NULL when not exported                          */
    double metric_scale;      /* value * scale is the metric (0.01 for % -> ratio) */
    double deadband;          /* a change smaller than this is not published
                                 before max_age (numbers only; 0: any change)   */
    uint32_t group;           /* BRIDGE_GROUP_* (config.h) it belongs to        */
    bool diagnostic;          /* Home Assistant entity_category "diagnostic"    */
};

/* One value of one cycle. */
struct bridge_value {
    char topic[BRIDGE_TOPIC_SUFFIX_MAX]; /* "battery/soc", "pvi/power/string_1" */
    int kind;                            /* enum bridge_value_kind             */
    double number;                       /* NUMBER                             */
    int decimals;                        /* NUMBER: digits after the point     */
    bool flag;                           /* BOOL                               */
    const char *text;                    /* STRING: NUL-terminated, valid during
                                            the callback only                  */
    int unit_index;                      /* the unit's index for component
                                            values (battery string, meter...),
                                            -1 for plant values                */
    const struct bridge_topic_meta *meta;
};

typedef void (*bridge_value_fn)(void *ctx, const struct bridge_value *v);

/* Call fn once per value of *s in the groups (BRIDGE_GROUP_* bits), in a
 * fixed order; a value the snapshot lacks (its HAVE/ok/present bit unset,
 * or not finite) is not produced. Returns the number of values. */
size_t bridge_topics_each(const struct bridge_snapshot *s, uint32_t groups, bridge_value_fn fn, void *ctx);

/* The parts of bridge_topics_each: the battery modules' values (group DCB)
 * change only when the snapshot's dcb_gen does, so a caller that walks
 * every cycle may take them apart. Each part in the order of
 * bridge_topics_each. */
enum bridge_topics_part {
    BRIDGE_TOPICS_ALL,     /* every value: bridge_topics_each           */
    BRIDGE_TOPICS_CYCLE,   /* every value but the battery modules'      */
    BRIDGE_TOPICS_MODULES, /* the battery modules' values alone         */
};

/* bridge_topics_each restricted to one part. Returns the number of values. */
size_t bridge_topics_each_part(const struct bridge_snapshot *s, uint32_t groups, enum bridge_topics_part part,
                               bridge_value_fn fn, void *ctx);

/* The plain payload of v into buf[0..cap) (NUL-terminated when cap > 0).
 * Returns its length, or the length it needs when larger than cap. */
size_t bridge_value_payload(const struct bridge_value *v, char *buf, size_t cap);

#endif
