/* rscp-bridge: the HTTP endpoint: GET /metrics (the Prometheus text
 * exposition of every site, bridge/metrics.h) and GET /healthz (200 "ok"
 * while the loop runs; 503 while stopping). */
#include "daemon_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_server.h"
#include "log.h"
#include "metrics.h"
#include "mqtt.h"

static bool path_is(const struct bridge_http_request *r, const char *p)
{
    return r->path_len == strlen(p) && memcmp(r->path, p, r->path_len) == 0;
}

/* /metrics is streamed (a thousand sites make ~12 MB): the page is
 * written a chunk at a time as the client takes it, and the daemon's loop
 * runs in between (polls update the snapshots, a reload replaces the site
 * list and frees the sites it drops). So the stream keeps no pointer into
 * the sites: every chunk asks for the list again (page_count) and reads
 * each site's name, counters and snapshot at that moment (page_site); the
 * values of a site may thus come from two cycles on one page, as a scrape
 * is no atomic snapshot anyway. A changed list (sites_gen) ends the page
 * unfinished, rather than mixing two lists (a site twice or missing in a
 * family): the client sees an incomplete response and scrapes again. */
struct page {
    struct daemon *d;
    uint64_t gen;                       /* d->sites_gen at the start          */
    struct bridge_metrics_stream *s;
};

static size_t page_count(void *ctx)
{
    const struct page *pg = ctx;
    return pg->d->sites_gen == pg->gen ? pg->d->nsites : SIZE_MAX;
}

static void page_site(void *ctx, size_t i, struct bridge_site_metrics *sm)
{
    const struct page *pg = ctx;
    const struct bridge_site_rt *rt = pg->d->sites[i]->rt;
    const struct bridge_site_stats *st = bridge_site_stats(rt);
    sm->site = bridge_site_name(rt);
    sm->up = bridge_site_online(rt);
    sm->poll_seconds = st->last_poll_seconds;
    sm->last_success = (double)st->last_success_unix_ms / 1000.0;
    sm->polls = st->polls;
    sm->failures = st->failures;
    sm->reconnects = st->reconnects;
    sm->live = NULL;
    sm->snap = st->polls > 0 ? bridge_site_snapshot(rt) : NULL;
    sm->groups = bridge_site_groups(rt);
}

static long page_next(void *state, char *buf, size_t cap)
{
    return bridge_metrics_stream_next(((struct page *)state)->s, buf, cap);
}

static void page_free(void *state)
{
    struct page *pg = state;
    bridge_metrics_stream_free(pg->s);
    free(pg);
}

static void handler(void *ctx, const struct bridge_http_request *req, struct bridge_http_response *resp)
{
    struct daemon *d = ctx;
    if (path_is(req, "/healthz")) {
        const char *t = d->stopping ? "stopping\n" : "ok\n";
        resp->status = d->stopping ? 503 : 200;
        resp->content_type = BRIDGE_HTTP_TEXT_TYPE;
        size_t n = strlen(t);
        if (n > resp->cap) {
            resp->len = n;
            return;
        }
        memcpy(resp->body, t, n);
        resp->len = n;
        return;
    }
    if (!path_is(req, "/metrics")) {
        resp->status = 404;
        resp->len = 0;
        return;
    }
    struct page *pg = calloc(1, sizeof *pg);
    struct bridge_http_stats hs;
    bridge_http_stats(d->http, &hs);
    struct bridge_metrics_source src = {pg, page_count, page_site, d->mqtt_messages, d->commands, hs.requests};
    if (pg) {
        pg->d = d;
        pg->gen = d->sites_gen;
        pg->s = bridge_metrics_stream_new(&src, BRIDGE_METRICS_SAMPLES);
    }
    if (!pg || !pg->s) {
        free(pg);
        resp->status = 503;
        resp->len = 0;
        return;
    }
    resp->status = 200;
    resp->content_type = BRIDGE_HTTP_METRICS_TYPE;
    resp->stream.next = page_next;
    resp->stream.free = page_free;
    resp->stream.state = pg;
    resp->stream.mem = sizeof *pg + bridge_metrics_stream_mem(BRIDGE_METRICS_SAMPLES);
}

int daemon_http_start(struct daemon *d, char *err, size_t cap)
{
    const char *host = NULL;
    uint16_t port = 0;
    char buf[300];
    if (d->opts.metrics) {
        /* HOST:PORT, [v6]:PORT or :PORT */
        snprintf(buf, sizeof buf, "%s", d->opts.metrics);
        char *colon = strrchr(buf, ':');
        char *end = NULL;
        unsigned long p = colon ? strtoul(colon + 1, &end, 10) : 0;
        if (!colon || !end || *end || colon[1] == 0 || p > 65535) {
            snprintf(err, cap, "--metrics %s: not HOST:PORT", d->opts.metrics);
            return -1;
        }
        *colon = 0;
        host = buf[0] ? buf : "127.0.0.1";
        port = (uint16_t)p;
    } else if (d->cfg.prom.enabled) {
        host = d->cfg.prom.host ? d->cfg.prom.host : "127.0.0.1";
        port = d->cfg.prom.port;
    } else {
        return 0;
    }
    if (bridge_http_new(&d->http, host, port, handler, d, err, cap) != 0)
        return -1;
    BRIDGE_INFO("metrics on http://%s:%u/metrics", host, bridge_http_port(d->http));
    return 0;
}
