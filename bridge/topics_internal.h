/* rscp-bridge: the topic table's parts (topics.h), shared between the
 * plant-level values (topics.c) and the units' (topics_units.c). */
#ifndef RSCP_BRIDGE_TOPICS_INTERNAL_H
#define RSCP_BRIDGE_TOPICS_INTERNAL_H

#include "config.h"
#include "topics.h"

/* One run of bridge_topics_each(). */
struct topics_run {
    const struct bridge_snapshot *s;
    uint32_t groups;
    bridge_value_fn fn; /* NULL: count only */
    void *ctx;
    size_t n;
};

/* The values below are produced only when their topic fits
 * BRIDGE_TOPIC_SUFFIX_MAX and (numbers) when x is finite. unit: the
 * unit's index for component values, -1 for plant values. */
void topics_num(struct topics_run *r, const struct bridge_topic_meta *m, int unit, int decimals, double x,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void topics_bool(struct topics_run *r, const struct bridge_topic_meta *m, int unit, bool b, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A string value; an empty text is not produced. */
void topics_str(struct topics_run *r, const struct bridge_topic_meta *m, int unit, const char *text,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Whether the run wants group g (BRIDGE_GROUP_*) and the snapshot has
 * part have (BRIDGE_HAVE_*). */
bool topics_wants(const struct topics_run *r, uint32_t g, uint32_t have);

/* The units' values: battery strings, DCB modules, PV inverters, meters,
 * wallboxes (topics_units.c). */
void topics_batteries(struct topics_run *r);
void topics_dcbs(struct topics_run *r);
void topics_inverters(struct topics_run *r);
void topics_meters(struct topics_run *r);
void topics_wallboxes(struct topics_run *r);

/* Metadata shorthands: label, unit, device class, state class, component,
 * metric, metric scale, deadband, group, diagnostic. */
#define TOPIC_META(name, label, unit, dc, sc, comp, metric, scale, group, diag) \
    static const struct bridge_topic_meta name = {label, unit, dc, sc, comp, metric, scale, 0, group, diag}

#endif
