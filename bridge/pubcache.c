/* rscp-bridge: the per-site cache of published values (see pubcache.h). */
#include "pubcache.h"

#include "hash.h"

#include <math.h> /* fabs: a builtin */
#include <stdlib.h>
#include <string.h>

/* Never 0 (0 is not a valid topic hash). */
static uint64_t hash_bytes(const void *p, size_t n)
{
    uint64_t h = bridge_hash_words(p, n);
    return h ? h : 1;
}

void bridge_pubcache_init(struct bridge_pubcache *c) { memset(c, 0, sizeof *c); }

void bridge_pubcache_free(struct bridge_pubcache *c)
{
    free(c->slots);
    bridge_pubcache_init(c);
}

void bridge_pubcache_cycle(struct bridge_pubcache *c) { c->cursor = 0; }

void bridge_pubcache_forget(struct bridge_pubcache *c)
{
    c->n = 0;
    c->cursor = 0;
    c->epoch++;
}

uint32_t bridge_pubcache_epoch(const struct bridge_pubcache *c) { return c->epoch; }

size_t bridge_pubcache_size(const struct bridge_pubcache *c) { return c->n; }

bool bridge_pubcache_forget_topic(struct bridge_pubcache *c, const char *topic)
{
    uint64_t th = hash_bytes(topic, strlen(topic));
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].topic_hash == th) {
            /* A payload no value has and a number no deadband holds: it
             * goes out next time; the cursor stays where the cycle expects. */
            c->slots[i].payload_hash = 0;
            c->slots[i].number = NAN;
            return true;
        }
    return false;
}

static struct bridge_pub_slot *find(struct bridge_pubcache *c, uint64_t th)
{
    if (c->cursor < c->n && c->slots[c->cursor].topic_hash == th)
        return &c->slots[c->cursor++];
    for (size_t i = 0; i < c->n; i++)
        if (c->slots[i].topic_hash == th) {
            c->cursor = i + 1;
            return &c->slots[i];
        }
    return NULL;
}

static struct bridge_pub_slot *append(struct bridge_pubcache *c, uint64_t th)
{
    if (c->n == c->cap) {
        if (c->cap >= BRIDGE_PUBCACHE_MAX)
            return NULL;
        size_t cap = c->cap ? 2 * c->cap : 64;
        if (cap > BRIDGE_PUBCACHE_MAX)
            cap = BRIDGE_PUBCACHE_MAX;
        struct bridge_pub_slot *p = realloc(c->slots, cap * sizeof *p);
        if (!p)
            return NULL;
        c->slots = p;
        c->cap = cap;
    }
    /* In the order of the cycle: at the cursor, so the next cycle finds
     * it there (an append at the end when values only grow). */
    size_t at = c->cursor <= c->n ? c->cursor : c->n;
    memmove(&c->slots[at + 1], &c->slots[at], (c->n - at) * sizeof *c->slots);
    c->n++;
    c->cursor = at + 1;
    struct bridge_pub_slot *s = &c->slots[at];
    s->topic_hash = th;
    return s;
}

bool bridge_pubcache_take(struct bridge_pubcache *c, const char *topic, const char *payload, size_t len,
                          bool is_number, double number, double deadband, int64_t now_ms, int64_t max_age_ms)
{
    uint64_t th = hash_bytes(topic, strlen(topic));
    uint64_t ph = hash_bytes(payload, len);
    uint32_t now32 = (uint32_t)now_ms;
    struct bridge_pub_slot *s = find(c, th);
    if (s) {
        bool old = max_age_ms <= 0 || (max_age_ms <= (int64_t)UINT32_MAX && now32 - s->at_ms >= (uint32_t)max_age_ms);
        bool changed = s->payload_hash != ph;
        /* a float keeps 24 bits: the deadband compares to about 1e-7 of the value */
        if (changed && is_number && deadband > 0 && fabs(number - (double)s->number) < deadband)
            changed = false;
        if (!changed && !old)
            return false;
    } else if (!(s = append(c, th))) {
        return true;
    }
    s->payload_hash = ph;
    s->number = (float)number;
    s->at_ms = now32;
    return true;
}
