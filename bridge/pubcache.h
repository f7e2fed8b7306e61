/* rscp-bridge: what was last published on each topic of one site, to
 * decide whether a value goes out again (changed beyond its deadband, or
 * older than max_age). Pure: no sockets, no clock (times are passed in).
 *
 * A site's values come in the same order every cycle, so the cache is an
 * array in that order with a cursor: the next value is looked for at the
 * cursor first (one comparison, memory read in sequence), then in the
 * whole array (a value missing from a cycle, or a changed plant shape),
 * then appended. Memory is 32 bytes per topic the site has published. */
#ifndef RSCP_BRIDGE_PUBCACHE_H
#define RSCP_BRIDGE_PUBCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_PUBCACHE_MAX 8192u /* topics remembered per site; beyond it every value is published */

/* 24 bytes: a slot for every topic of every site (1,000 sites of about
 * 500 topics each keep 12 MB of them). */
struct bridge_pub_slot {
    uint64_t topic_hash;   /* never 0                                   */
    uint64_t payload_hash; /* never 0; 0 after forget_topic: published   */
    float number;          /* for the deadband; NAN after forget_topic   */
    uint32_t at_ms;        /* when it was last published: the low 32 bits
                              of the monotonic ms; ages up to 49 days are
                              exact (max_age is at most one day)          */
};

struct bridge_pubcache {
    struct bridge_pub_slot *slots;
    size_t n, cap;
    size_t cursor;         /* where the next value is expected */
    uint32_t epoch;        /* counts bridge_pubcache_forget()  */
};

/* An empty cache (no allocation until the first value). */
void bridge_pubcache_init(struct bridge_pubcache *c);

/* Frees the slots; c is empty again. */
void bridge_pubcache_free(struct bridge_pubcache *c);

/* A new cycle: values are expected from the first slot again. */
void bridge_pubcache_cycle(struct bridge_pubcache *c);

/* Forget what was published (after a broker restart everything goes out
 * again); keeps the memory. */
void bridge_pubcache_forget(struct bridge_pubcache *c);

/* How many times the cache was forgotten: a copy of what was published
 * kept elsewhere is stale when this changed. */
uint32_t bridge_pubcache_epoch(const struct bridge_pubcache *c);

/* Whether the value on topic (its payload text payload[0..len), and for a
 * number its value and deadband, 0 for none) must be published at now_ms;
 * when so, it is remembered as published then. A payload is published
 * when it is new, when its text changed (a number: by at least the
 * deadband), or when it was last published max_age_ms or longer ago.
 * When memory runs out or BRIDGE_PUBCACHE_MAX topics are known, the
 * answer is true: nothing is lost, only published more often. */
bool bridge_pubcache_take(struct bridge_pubcache *c, const char *topic, const char *payload, size_t len,
                          bool is_number, double number, double deadband, int64_t now_ms, int64_t max_age_ms);

/* Forget what was published on one topic: its next value is published
 * whatever it is. Returns whether the topic was known. */
bool bridge_pubcache_forget_topic(struct bridge_pubcache *c, const char *topic);

/* Slots in use (for tests and the memory figure). */
size_t bridge_pubcache_size(const struct bridge_pubcache *c);

#endif
