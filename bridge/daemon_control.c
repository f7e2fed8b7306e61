/* rscp-bridge: the bridge's own commands (command.h: force, interval,
 * requests/..., log/errors, log/cache, health), run by the daemon at once
 * and answered on their result topic. They change or show the bridge, not
 * the plant, and send nothing to the device. The log lines are written at
 * level info, one per item, "site NAME: <what>: ..."; none holds a secret
 * (site_runtime.c and the topic table hold none). */
#include "daemon_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "command.h"
#include "log.h"
#include "mqtt.h"
#include "rscp/clock.h"
#include "rscp/version.h"
#include "topics.h"

static uint32_t group_of(int kind)
{
    switch (kind) {
    case BRIDGE_CMD_REQ_PM: return BRIDGE_GROUP_METERS;
    case BRIDGE_CMD_REQ_PVI: return BRIDGE_GROUP_PV;
    case BRIDGE_CMD_REQ_DCB: return BRIDGE_GROUP_DCB;
    case BRIDGE_CMD_REQ_HISTORY: return BRIDGE_GROUP_HISTORY;
    case BRIDGE_CMD_REQ_EMS: return BRIDGE_GROUP_LIVE; /* the EMS's power flows, SOC and status */
    default: return 0;
    }
}

struct log_ctx {
    const char *site, *prefix;
    size_t n;
};

static void log_error(void *ctx, int64_t unix_ms, const char *text)
{
    struct log_ctx *c = ctx;
    time_t t = (time_t)(unix_ms / 1000);
    struct tm tm;
    char when[32] = "?";
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    BRIDGE_INFO("site %s: error: %s %s", c->site, when, text);
    c->n++;
}

static void log_value(void *ctx, const struct bridge_value *v)
{
    struct log_ctx *c = ctx;
    char payload[BRIDGE_PAYLOAD_TEXT_MAX];
    size_t n = bridge_value_payload(v, payload, sizeof payload);
    if (n >= sizeof payload)
        n = sizeof payload - 1;
    BRIDGE_INFO("site %s: cache: %s/%s %.*s", c->site, c->prefix, v->topic, (int)n, payload);
    c->n++;
}

static void log_health(struct daemon *d, struct dsite *ds, struct log_ctx *c)
{
    int64_t now = rscp_monotonic_ms();
    if (d->mqtt) {
        struct bridge_mqtt_stats ms;
        bridge_mqtt_stats(d->mqtt, &ms);
        BRIDGE_INFO("site %s: health: bridge %s, %zu site(s), broker %s:%u %s, published %llu, received %llu, "
                    "dropped %llu, queued %zu (%zu bytes), broker reconnects %llu, commands answered %llu",
                    c->site, RSCP_VERSION_STRING, d->nsites, d->cfg.mqtt.host ? d->cfg.mqtt.host : "?",
                    (unsigned)d->cfg.mqtt.port, bridge_mqtt_connected(d->mqtt) ? "connected" : "not connected",
                    (unsigned long long)ms.published, (unsigned long long)ms.received,
                    (unsigned long long)ms.dropped, ms.queued_msgs, ms.queued_bytes,
                    (unsigned long long)ms.reconnects, (unsigned long long)d->commands);
    } else {
        BRIDGE_INFO("site %s: health: bridge %s, %zu site(s), no broker, messages %llu", c->site,
                    RSCP_VERSION_STRING, d->nsites, (unsigned long long)d->mqtt_messages);
    }
    char line[600];
    bridge_site_describe(ds->rt, now, line, sizeof line);
    BRIDGE_INFO("site %s: health: site %s", c->site, line);
    const struct bridge_snapshot *sn = bridge_site_snapshot(ds->rt);
    BRIDGE_INFO("site %s: health: topics published %zu (cache), discovery %s, snapshot parts 0x%05x, taken %lld "
                "(unix ms)",
                c->site, bridge_pubcache_size(&ds->pub), ds->discovery_sent ? "sent" : "not sent",
                (unsigned)sn->have, (long long)sn->taken_unix_ms);
    c->n += 3;
}

bool daemon_control_command(struct daemon *d, struct dsite *ds, const struct bridge_command *c)
{
    if (!bridge_command_internal(c->kind))
        return false;
    const char *name = bridge_site_name(ds->rt);
    struct log_ctx lc = {name, ds->prefix, 0};
    char info[BRIDGE_RESULT_TEXT_MAX];
    info[0] = '\0';
    switch (c->kind) {
    case BRIDGE_CMD_FORCE:
        bridge_pubcache_forget(&ds->pub);
        bridge_site_poll_soon(ds->rt);
        BRIDGE_INFO("site %s: set/force: every value is published again with the next cycle", name);
        snprintf(info, sizeof info, "\"republish\":\"next cycle\"");
        break;
    case BRIDGE_CMD_INTERVAL:
        if (bridge_site_set_interval(ds->rt, c->value * 1000u, rscp_monotonic_ms()) != 0) {
            daemon_publish_result(d, ds->prefix, c->kind, false, "out of range: 1..300 s", NULL);
            return true;
        }
        BRIDGE_INFO("site %s: set/interval: polled every %u s", name, (unsigned)c->value);
        snprintf(info, sizeof info, "\"interval\":%u", (unsigned)c->value);
        break;
    case BRIDGE_CMD_REQ_PM:
    case BRIDGE_CMD_REQ_PVI:
    case BRIDGE_CMD_REQ_DCB:
    case BRIDGE_CMD_REQ_HISTORY:
    case BRIDGE_CMD_REQ_EMS: {
        bridge_site_set_groups(ds->rt, group_of(c->kind), c->flag);
        char groups[128];
        bridge_groups_format(bridge_site_groups(ds->rt), groups, sizeof groups);
        BRIDGE_INFO("site %s: set/%s %s: polling %s", name, bridge_command_topic(c->kind), c->flag ? "on" : "off",
                    groups[0] ? groups : "nothing");
        snprintf(info, sizeof info, "\"groups\":\"%s\"", groups);
        break;
    }
    case BRIDGE_CMD_LOG_ERRORS:
        bridge_site_errors(ds->rt, log_error, &lc);
        if (lc.n == 0)
            BRIDGE_INFO("site %s: error: none", name);
        snprintf(info, sizeof info, "\"lines\":%zu", lc.n);
        break;
    case BRIDGE_CMD_LOG_CACHE:
        bridge_topics_each(bridge_site_snapshot(ds->rt), bridge_site_groups(ds->rt), log_value, &lc);
        snprintf(info, sizeof info, "\"lines\":%zu", lc.n);
        break;
    case BRIDGE_CMD_HEALTH:
        log_health(d, ds, &lc);
        snprintf(info, sizeof info, "\"lines\":%zu", lc.n);
        break;
    default: return false;
    }
    daemon_publish_result(d, ds->prefix, c->kind, true, NULL, info);
    return true;
}
