/* The bridge's values collected from bridge_topics_each() for the topic
 * tests (test_bridge_topics, test_bridge_topic_units): each value's topic,
 * payload text and metadata, and the checks on one topic. The payload's
 * length contract is checked for every value collected. */
#ifndef RSCP_TEST_TOPICS_COLLECT_H
#define RSCP_TEST_TOPICS_COLLECT_H

#include "harness.h"

#include "topics.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define VALUES_MAX 4096u
struct got {
    char topic[BRIDGE_TOPIC_SUFFIX_MAX];
    char payload[BRIDGE_PAYLOAD_TEXT_MAX];
    int kind, decimals, unit;
    double number;
    bool flag;
    const struct bridge_topic_meta *meta;
};
struct values {
    struct got v[VALUES_MAX];
    size_t n;
};

static inline void collect(void *ctx, const struct bridge_value *v)
{
    struct values *x = ctx;
    if (x->n >= VALUES_MAX)
        return;
    struct got *g = &x->v[x->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->topic, sizeof g->topic, "%s", v->topic);
    size_t n = bridge_value_payload(v, g->payload, sizeof g->payload);
    CHECK(n < sizeof g->payload);
    CHECK_INT(strlen(g->payload), n);
    g->kind = v->kind;
    g->decimals = v->decimals;
    g->unit = v->unit_index;
    g->number = v->number;
    g->flag = v->flag;
    g->meta = v->meta;
    if (v->kind == BRIDGE_VAL_STRING)
        CHECK(v->text != NULL && strlen(v->text) > 0);
}

static inline const struct got *find(const struct values *x, const char *topic)
{
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i].topic, topic) == 0)
            return &x->v[i];
    return NULL;
}

static inline void expect_num(const struct values *x, const char *topic, double want)
{
    const struct got *g = find(x, topic);
    if (!g || g->kind != BRIDGE_VAL_NUMBER || !(fabs(g->number - want) <= 1e-9 * (1 + fabs(want))))
        fprintf(stderr, "  %s: %s, want %.10g\n", topic, g ? g->payload : "missing", want);
    CHECK(g && g->kind == BRIDGE_VAL_NUMBER && fabs(g->number - want) <= 1e-9 * (1 + fabs(want)));
}

static inline void expect_bool(const struct values *x, const char *topic, bool want)
{
    const struct got *g = find(x, topic);
    if (!g || g->kind != BRIDGE_VAL_BOOL || g->flag != want)
        fprintf(stderr, "  %s: %s, want %s\n", topic, g ? g->payload : "missing", want ? "true" : "false");
    CHECK(g && g->kind == BRIDGE_VAL_BOOL && g->flag == want);
    if (g)
        CHECK(strcmp(g->payload, want ? "true" : "false") == 0);
}

/* The grid energies' names (Home Assistant's entity names, the metrics'
 * HELP) say the direction: grid/energy/in carries DB.GRID_POWER_IN, the
 * feed-in (export), grid/energy/out DB.GRID_POWER_OUT, the import; both
 * are Energy-dashboard sensors (energy, total_increasing). */
static inline void expect_grid_direction(const struct values *x, const char *topic, const char *word, const char *not_word)
{
    const struct got *g = find(x, topic);
    const struct bridge_topic_meta *m = g ? g->meta : NULL;
    bool good = m && m->label && strstr(m->label, word) && !strstr(m->label, not_word) && m->device_class &&
                strcmp(m->device_class, "energy") == 0 && m->state_class &&
                strcmp(m->state_class, "total_increasing") == 0;
    if (!good)
        fprintf(stderr, "  %s: label \"%s\", want \"%s\" in it, no \"%s\"\n", topic, m && m->label ? m->label : "-",
                word, not_word);
    CHECK(good);
}

static inline void expect_str(const struct values *x, const char *topic, const char *want)
{
    const struct got *g = find(x, topic);
    if (!g || g->kind != BRIDGE_VAL_STRING || strcmp(g->payload, want) != 0)
        fprintf(stderr, "  %s: %s, want %s\n", topic, g ? g->payload : "missing", want);
    CHECK(g && g->kind == BRIDGE_VAL_STRING && strcmp(g->payload, want) == 0);
}

#endif
