/* rscp-bridge: the daemon's state, shared by daemon.c (the loop, signals,
 * sites and reloads), daemon_mqtt.c (topics, commands, discovery) and
 * daemon_http.c (the metrics endpoint). Not a public interface. */
#ifndef RSCP_BRIDGE_DAEMON_INTERNAL_H
#define RSCP_BRIDGE_DAEMON_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "pubcache.h"
#include "daemon.h"
#include "site.h"

struct bridge_mqtt_conn;
struct bridge_http_server;

#define DAEMON_TOPIC_MAX 256u

struct dsite {
    struct daemon *d;                   /* the daemon it belongs to          */
    struct bridge_site_rt *rt;          /* its events' ctx is this dsite     */
    char prefix[DAEMON_TOPIC_MAX];      /* "e3dc" or "e3dc/<site>"          */
    struct bridge_pubcache pub;         /* what was published, per topic     */
    bool discovery_sent;
    uint32_t discovery_shape;           /* units when discovery was sent      */
    size_t discovery_values;            /* most values in one cycle so far    */
    /* The configs published since the broker or Home Assistant last needed
     * them all: hashes of topic and payload, sorted. A later discovery
     * publishes only what is not among them (new entities, changed
     * configs), not every config again. */
    uint64_t *disc_sent;
    size_t disc_n, disc_cap;
    int reg_fd;                         /* descriptor registered with epoll   */
    uint32_t reg_events;
    uint64_t reg_conn;                  /* bridge_site_conn_id() then          */
    int64_t due_ms;
    bool once_done;
    /* The battery modules' JSON state members ("k":v,... without a leading
     * comma) and value count from the last cycle that walked them: they
     * change with a new DCB reading (BRIDGE_SLOW_EVERY_MS), so the cycles
     * in between copy them instead of formatting them again. Valid while
     * the snapshot's dcb_gen and DCB/plant bits, the groups and the
     * published-value cache's epoch are the ones they were made with, and
     * for at most max_age. */
    char *dcb_json;
    size_t dcb_json_len, dcb_json_cap;
    size_t dcb_values;
    bool dcb_valid;
    uint32_t dcb_gen, dcb_groups, dcb_have, dcb_epoch;
    int64_t dcb_walk_ms;
};

struct daemon {
    struct bridge_opts opts;
    struct bridge_config cfg;
    struct dsite **sites;
    size_t nsites;
    uint64_t sites_gen;                 /* changes whenever sites[] does      */
    struct bridge_mqtt_conn *mqtt;
    struct bridge_http_server *http;
    int epfd;
    int sigfd;
    bool stopping;
    char bridge_status[DAEMON_TOPIC_MAX];  /* <prefix>/bridge/status (the will) */
    uint64_t mqtt_messages;
    uint64_t commands;
    uint64_t next_tag;
};

/* daemon_mqtt.c */
/* The events of a site: their ctx is ds (ds->d set). */
void daemon_mqtt_events(struct dsite *ds, struct bridge_site_events *ev);
int daemon_mqtt_start(struct daemon *d, char *err, size_t cap);
void daemon_mqtt_publish(struct daemon *d, const char *topic, const char *payload, size_t len, bool retain);
void daemon_site_added(struct daemon *d, struct dsite *ds);
void daemon_site_removing(struct daemon *d, struct dsite *ds, bool forget);
void daemon_publish_cycle(struct daemon *d, struct dsite *ds);
/* The answer to a command on <prefix>/set/<its topic>/result: kind > 0
 * names the topic ({"ok":true,<info>} or {"ok":false,"error":...}). */
void daemon_publish_result(struct daemon *d, const char *prefix, int kind, bool ok, const char *error,
                           const char *info);

/* daemon_control.c: run the bridge's own command c for site ds (answered
 * at once); payload[0..len) is its payload as it came (set/force's
 * pattern). false when c is not one of them (a command for the device). */
bool daemon_control_command(struct daemon *d, struct dsite *ds, const struct bridge_command *c, const char *payload,
                            size_t len);

/* daemon_http.c */
int daemon_http_start(struct daemon *d, char *err, size_t cap);

#endif
