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
    struct bridge_site_metrics *sm = calloc(d->nsites ? d->nsites : 1, sizeof *sm);
    if (!sm) {
        resp->status = 503;
        resp->len = 0;
        return;
    }
    for (size_t i = 0; i < d->nsites; i++) {
        const struct bridge_site_rt *rt = d->sites[i]->rt;
        const struct bridge_site_stats *st = bridge_site_stats(rt);
        sm[i].site = bridge_site_name(rt);
        sm[i].up = bridge_site_online(rt);
        sm[i].poll_seconds = st->last_poll_seconds;
        sm[i].last_success = (double)st->last_success_unix_ms / 1000.0;
        sm[i].polls = st->polls;
        sm[i].failures = st->failures;
        sm[i].reconnects = st->reconnects;
        sm[i].snap = st->polls > 0 ? bridge_site_snapshot(rt) : NULL;
        sm[i].groups = bridge_site_groups(rt);
    }
    struct bridge_http_stats hs;
    bridge_http_stats(d->http, &hs);
    struct bridge_metrics m = {sm, d->nsites, d->mqtt_messages, d->commands, hs.requests};
    resp->status = 200;
    resp->content_type = BRIDGE_HTTP_METRICS_TYPE;
    resp->len = bridge_metrics_render(&m, resp->body, resp->cap);
    free(sm);
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
