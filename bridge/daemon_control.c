/* rscp-bridge: the bridge's own commands (command.h: force, interval,
 * requests/..., log/errors, log/cache, health), run by the daemon at once
 * and answered on their result topic. They change or show the bridge, not
 * the plant, and send nothing to the device. set/force with rscp2mqtt's
 * pattern publishes again only the topics (with the prefix) that the POSIX
 * extended regular expression matches whole. The log lines are written at
 * level info, one per item, "site NAME: <what>: ..."; none holds a secret
 * (site_runtime.c and the topic table hold none). */
#include "daemon_internal.h"

#include <regex.h>
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

struct force_ctx {
    struct dsite *ds;
    regex_t re;
    size_t matched;
};

static void force_value(void *ctx, const struct bridge_value *v)
{
    struct force_ctx *f = ctx;
    char topic[DAEMON_TOPIC_MAX + BRIDGE_TOPIC_SUFFIX_MAX];
    snprintf(topic, sizeof topic, "%s/%s", f->ds->prefix, v->topic);
    if (regexec(&f->re, topic, 0, NULL, 0) == 0) {
        bridge_pubcache_forget_topic(&f->ds->pub, v->topic);
        f->matched++;
    }
}

/* set/force PATTERN: the topics it matches whole go out with the next
 * cycle. 0 with *matched, or -1 with the reason in err. */
static int force_pattern(struct dsite *ds, const char *payload, size_t len, size_t *matched, char *err, size_t cap)
{
    while (len > 0 && (*payload == ' ' || *payload == '\t' || *payload == '\r' || *payload == '\n'))
        payload++, len--;
    while (len > 0 && (payload[len - 1] == ' ' || payload[len - 1] == '\t' || payload[len - 1] == '\r' ||
                       payload[len - 1] == '\n'))
        len--;
    char anchored[BRIDGE_PAYLOAD_MAX + 8];
    snprintf(anchored, sizeof anchored, "^(%.*s)$", (int)len, payload);
    struct force_ctx f = {ds, {0}, 0};
    int rc = regcomp(&f.re, anchored, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[96];
        regerror(rc, &f.re, why, sizeof why);
        snprintf(err, cap, "bad payload for force: not a regular expression of topics (%s); send 1 for every value",
                 why);
        return -1;
    }
    bridge_topics_each(bridge_site_snapshot(ds->rt), bridge_site_groups(ds->rt), force_value, &f);
    regfree(&f.re);
    if (f.matched == 0) {
        snprintf(err, cap, "no topic of the site matches the pattern (whole topics with the prefix, e.g. %.80s/battery/.*)",
                 ds->prefix);
        return -1;
    }
    *matched = f.matched;
    return 0;
}

bool daemon_control_command(struct daemon *d, struct dsite *ds, const struct bridge_command *c, const char *payload,
                            size_t len)
{
    if (!bridge_command_internal(c->kind))
        return false;
    const char *name = bridge_site_name(ds->rt);
    struct log_ctx lc = {name, ds->prefix, 0};
    char info[BRIDGE_RESULT_TEXT_MAX];
    info[0] = '\0';
    switch (c->kind) {
    case BRIDGE_CMD_FORCE:
        if (c->flag) {
            bridge_pubcache_forget(&ds->pub);
            BRIDGE_INFO("site %s: set/force: every value is published again with the next cycle", name);
            snprintf(info, sizeof info, "\"republish\":\"next cycle\"");
        } else {
            size_t matched = 0;
            char err[BRIDGE_RESULT_TEXT_MAX];
            if (force_pattern(ds, payload, len, &matched, err, sizeof err) != 0) {
                daemon_publish_result(d, ds->prefix, c->kind, false, err, NULL);
                return true;
            }
            BRIDGE_INFO("site %s: set/force: %zu topic(s) published again with the next cycle", name, matched);
            snprintf(info, sizeof info, "\"republish\":\"next cycle\",\"topics\":%zu", matched);
        }
        bridge_site_poll_soon(ds->rt);
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
