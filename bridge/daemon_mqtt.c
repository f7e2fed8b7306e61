/* rscp-bridge: what goes to and comes from MQTT. Each cycle's values are
 * published on their topics (retained) when they changed beyond their
 * deadband or max_age has passed; the site's JSON state goes to
 * <site prefix>/state; <site prefix>/status is online/offline (retained);
 * commands arrive on <site prefix>/set/... and each is answered once on
 * <that topic>/result; Home Assistant discovery is published when a site
 * is first read and again when Home Assistant announces itself. Without
 * MQTT the values are printed as "topic payload" lines on stdout. */
#include "daemon_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "discovery.h"
#include "discovery_internal.h"
#include "hash.h"
#include "log.h"
#include "mqtt.h"
#include "rscp/clock.h"
#include "topics.h"

void daemon_mqtt_publish(struct daemon *d, const char *topic, const char *payload, size_t len, bool retain)
{
    if (!d->mqtt) {
        printf("%s %.*s\n", topic, (int)len, payload);
        d->mqtt_messages++;
        return;
    }
    if (bridge_mqtt_publish(d->mqtt, topic, payload, len, retain) == 0)
        d->mqtt_messages++;
}

/* ---- values --------------------------------------------------------------- */

struct cycle_ctx {
    struct daemon *d;
    struct dsite *ds;
    int64_t now_ms;
    int64_t max_age_ms;
    struct dj *state;
    size_t values; /* values this cycle: discovery_due() compares them */
};

static void on_value(void *ctx, const struct bridge_value *v)
{
    struct cycle_ctx *c = ctx;
    c->values++;
    char payload[BRIDGE_PAYLOAD_TEXT_MAX];
    size_t n = bridge_value_payload(v, payload, sizeof payload);
    if (n >= sizeof payload)
        n = sizeof payload - 1;
    if (c->state) {
        if (v->kind == BRIDGE_VAL_NUMBER) /* the payload's text: a JSON number, or null */
            dj_raw(c->state, v->topic, payload, n);
        else if (v->kind == BRIDGE_VAL_BOOL)
            dj_bool(c->state, v->topic, v->flag);
        else
            dj_str(c->state, v->topic, payload);
    }
    if (!bridge_pubcache_take(&c->ds->pub, v->topic, payload, n, v->kind == BRIDGE_VAL_NUMBER, v->number,
                              v->meta ? v->meta->deadband : 0, c->now_ms, c->max_age_ms))
        return;
    char topic[DAEMON_TOPIC_MAX + BRIDGE_TOPIC_SUFFIX_MAX];
    size_t pl = strlen(c->ds->prefix), tl = strlen(v->topic); /* both fit: their sizes make topic's */
    memcpy(topic, c->ds->prefix, pl);
    topic[pl] = '/';
    memcpy(topic + pl + 1, v->topic, tl + 1);
    daemon_mqtt_publish(c->d, topic, payload, n, true);
}

static bool publish_discovery(struct daemon *d, struct dsite *ds);

/* Keeps j's members from offset `from` on (written by this cycle's walk
 * of the battery modules) as the site's copy; without room it is dropped
 * and the next cycle walks them again. */
static void keep_dcb_json(struct dsite *ds, const struct dj *j, size_t from)
{
    ds->dcb_valid = false;
    if (j->bad || from > j->len)
        return;
    const char *text = j->buf + from;
    size_t n = j->len - from;
    if (n > 0 && text[0] == ',') { /* the comma before the first of them */
        text++;
        n--;
    }
    if (n > ds->dcb_json_cap) {
        char *p = realloc(ds->dcb_json, n);
        if (!p)
            return;
        ds->dcb_json = p;
        ds->dcb_json_cap = n;
    }
    if (n > 0)
        memcpy(ds->dcb_json, text, n);
    ds->dcb_json_len = n;
    ds->dcb_valid = true;
}

/* The battery modules' values: walked when their reading, the groups or
 * the published-value cache changed, or max_age has passed since the last
 * walk (so that each is published again at least every max_age, at the
 * latest with the next reading); otherwise their JSON members are copied
 * and nothing is published (nothing changed). Without MQTT (no JSON
 * state) always walked. */
static void dcb_values(struct cycle_ctx *c, const struct bridge_snapshot *sn, uint32_t groups)
{
    struct dsite *ds = c->ds;
    if (!(groups & BRIDGE_GROUP_DCB))
        return;
    uint32_t have = sn->have & (BRIDGE_HAVE_DCB | BRIDGE_HAVE_PLANT);
    if (c->state && ds->dcb_valid && ds->dcb_gen == sn->dcb_gen && ds->dcb_groups == groups && ds->dcb_have == have &&
        ds->dcb_epoch == bridge_pubcache_epoch(&ds->pub) && c->now_ms - ds->dcb_walk_ms < c->max_age_ms) {
        dj_members(c->state, ds->dcb_json, ds->dcb_json_len);
        c->values += ds->dcb_values;
        return;
    }
    size_t from = c->state ? c->state->len : 0, before = c->values;
    bridge_topics_each_part(sn, groups, BRIDGE_TOPICS_MODULES, on_value, c);
    if (!c->state) {
        ds->dcb_valid = false;
        return;
    }
    keep_dcb_json(ds, c->state, from);
    ds->dcb_values = c->values - before;
    ds->dcb_gen = sn->dcb_gen;
    ds->dcb_groups = groups;
    ds->dcb_have = have;
    ds->dcb_epoch = bridge_pubcache_epoch(&ds->pub);
    ds->dcb_walk_ms = c->now_ms;
}

/* Discovery is due when it was not sent, when the plant's shape changed, or
 * when this cycle brought more values than the last discovery saw: the slow
 * groups (battery modules, meters, settings) may arrive a cycle or two after
 * the first, and their entities must not wait for Home Assistant's restart. */
static void discovery_if_due(struct daemon *d, struct dsite *ds, uint32_t shape, size_t values)
{
    if (ds->discovery_sent && ds->discovery_shape == shape && values <= ds->discovery_values)
        return;
    if (publish_discovery(d, ds)) {
        ds->discovery_shape = shape;
        if (values > ds->discovery_values)
            ds->discovery_values = values;
    }
}

void daemon_publish_cycle(struct daemon *d, struct dsite *ds)
{
    static char state_buf[256 * 1024];
    struct dj j;
    dj_init(&j, state_buf, sizeof state_buf);
    dj_open(&j, NULL, '{');
    dj_str(&j, "site", bridge_site_name(ds->rt));
    const struct bridge_snapshot *sn = bridge_site_snapshot(ds->rt);
    dj_num(&j, "time", (double)(sn->taken_unix_ms / 1000));
    struct cycle_ctx c = {d, ds, rscp_monotonic_ms(), (int64_t)(d->cfg.mqtt.max_age_s ? d->cfg.mqtt.max_age_s : 300) * 1000,
                          d->mqtt ? &j : NULL, 0};
    bridge_pubcache_cycle(&ds->pub);
    uint32_t groups = bridge_site_groups(ds->rt);
    bridge_topics_each_part(sn, groups, BRIDGE_TOPICS_CYCLE, on_value, &c);
    dcb_values(&c, sn, groups); /* last: skipping them keeps the cache's cycle order */
    if (d->mqtt) {
        dj_close(&j, '}');
        size_t n = dj_finish(&j);
        char topic[DAEMON_TOPIC_MAX + 8];
        snprintf(topic, sizeof topic, "%s/state", ds->prefix);
        if (n > 0)
            daemon_mqtt_publish(d, topic, state_buf, n, false);
        else
            BRIDGE_WARN("site %s: the JSON state does not fit %zu bytes; not published", bridge_site_name(ds->rt),
                        sizeof state_buf);
    }
    uint32_t shape = sn->plant.batteries | sn->plant.inverters << 4 | sn->plant.wallboxes << 8 | sn->plant.meters << 16;
    discovery_if_due(d, ds, shape, c.values);
}

/* ---- Home Assistant discovery ----------------------------------------- */

/* One discovery pass: the configs published before (sorted hashes), the
 * hashes of this pass's configs, and how many went out. */
struct disc_pass {
    struct daemon *d;
    const uint64_t *before;
    size_t nbefore;
    uint64_t *seen;
    size_t nseen, cap;
    bool lost; /* no room to remember a hash: the next pass sends all */
    size_t sent;
};

static uint64_t config_hash(const char *topic, const char *json, size_t len)
{
    uint64_t h = bridge_hash_words(topic, strlen(topic));
    return (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull ^ bridge_hash_words(json, len);
}

static bool hash_among(const uint64_t *a, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] == h)
            return true;
        if (a[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int hash_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Publishes a config unless the same topic with the same payload went out
 * before (Home Assistant and the broker have it), and remembers it. */
static void emit_config(void *ctx, const char *topic, const char *json, size_t len)
{
    struct disc_pass *p = ctx;
    uint64_t h = config_hash(topic, json, len);
    if (!hash_among(p->before, p->nbefore, h)) {
        daemon_mqtt_publish(p->d, topic, json, len, true);
        p->sent++;
    }
    if (p->lost)
        return;
    if (p->nseen == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        uint64_t *n = realloc(p->seen, cap * sizeof *n);
        if (!n) {
            p->lost = true;
            return;
        }
        p->seen = n;
        p->cap = cap;
    }
    p->seen[p->nseen++] = h;
}

static void emit_clear(void *ctx, const char *topic) { daemon_mqtt_publish(ctx, topic, "", 0, true); }

static void disc_site(const struct daemon *d, const struct dsite *ds, struct bridge_discovery_site *ws)
{
    memset(ws, 0, sizeof *ws);
    ws->name = bridge_site_name(ds->rt);
    ws->prefix = ds->prefix;
    ws->disc_prefix = d->cfg.ha.prefix ? d->cfg.ha.prefix : "homeassistant";
    ws->bridge_status = d->bridge_status;
}

/* Publishes the site's discovery configs; false when it cannot (no broker,
 * discovery off, or the serial not read yet). */
static bool publish_discovery(struct daemon *d, struct dsite *ds)
{
    if (!d->mqtt || !d->cfg.ha.enabled || !bridge_mqtt_connected(d->mqtt))
        return false;
    const struct bridge_snapshot *sn = bridge_site_snapshot(ds->rt);
    if (!(sn->have & BRIDGE_HAVE_INFO))
        return false;
    struct bridge_discovery_site ws;
    disc_site(d, ds, &ws);
    struct disc_pass p = {.d = d, .before = ds->disc_sent, .nbefore = ds->disc_n};
    size_t n = bridge_discovery_each(&ws, sn, bridge_site_groups(ds->rt), emit_config, &p);
    free(ds->disc_sent);
    if (p.lost) {
        free(p.seen);
        p.seen = NULL;
        p.nseen = p.cap = 0;
    } else if (p.nseen > 0) {
        qsort(p.seen, p.nseen, sizeof *p.seen, hash_order);
        uint64_t *fit = realloc(p.seen, p.nseen * sizeof *fit); /* kept for every site: no slack */
        if (fit) {
            p.seen = fit;
            p.cap = p.nseen;
        }
    }
    ds->disc_sent = p.seen;
    ds->disc_n = p.nseen;
    ds->disc_cap = p.cap;
    ds->discovery_sent = true;
    BRIDGE_DEBUG("site %s: %zu discovery configs, %zu of them published", bridge_site_name(ds->rt), n, p.sent);
    return true;
}

/* The next discovery publishes every config again (the broker or Home
 * Assistant may have lost them). */
static void discovery_forget(struct dsite *ds)
{
    ds->discovery_sent = false;
    ds->disc_n = 0;
}

/* ---- site events ------------------------------------------------------- */

static void ev_cycle(void *ctx, struct bridge_site_rt *rt)
{
    struct dsite *ds = ctx;
    (void)rt;
    daemon_publish_cycle(ds->d, ds);
}

static void ev_status(void *ctx, struct bridge_site_rt *rt, bool online, const char *why)
{
    struct dsite *ds = ctx;
    struct daemon *d = ds->d;
    (void)rt;
    (void)why;
    if (!d->mqtt)
        return;
    char topic[DAEMON_TOPIC_MAX + 8];
    snprintf(topic, sizeof topic, "%s/status", ds->prefix);
    daemon_mqtt_publish(d, topic, online ? "online" : "offline", online ? 6 : 7, true);
}

/* The answer on "<prefix>/set/<command>/result": the command's topic from
 * its kind and wallbox (set/wallbox/<n>/... for n > 0), or topic_tail as
 * received (kind 0: a command that did not parse). */
static void publish_result(struct daemon *d, const char *prefix, int kind, unsigned wallbox, const char *topic_tail,
                           bool ok, const char *error, const char *info)
{
    char topic[DAEMON_TOPIC_MAX + 96], tail[64];
    if (kind > 0 && bridge_command_topic_of(kind, wallbox, tail, sizeof tail) > 0)
        snprintf(topic, sizeof topic, "%s/set/%s/result", prefix, tail);
    else
        snprintf(topic, sizeof topic, "%s/set/%s/result", prefix, topic_tail ? topic_tail : "?");
    char body[BRIDGE_RESULT_TEXT_MAX * 2 + 64];
    struct dj j;
    dj_init(&j, body, sizeof body);
    dj_open(&j, NULL, '{');
    dj_bool(&j, "ok", ok);
    if (!ok)
        dj_str(&j, "error", error ? error : "failed");
    dj_close(&j, '}');
    size_t n = dj_finish(&j);
    if (n == 0)
        return;
    if (ok && info && info[0] && n >= 1) {
        /* info holds members written by the site code (numbers, fixed
         * strings): insert them before the closing brace. */
        char full[sizeof body + BRIDGE_RESULT_TEXT_MAX + 4];
        int m = snprintf(full, sizeof full, "%.*s,%s}", (int)(n - 1), body, info);
        if (m > 0 && (size_t)m < sizeof full) {
            daemon_mqtt_publish(d, topic, full, (size_t)m, false);
            d->commands++;
            return;
        }
    }
    daemon_mqtt_publish(d, topic, body, n, false);
    d->commands++;
}

void daemon_publish_result(struct daemon *d, const char *prefix, int kind, bool ok, const char *error,
                           const char *info)
{
    publish_result(d, prefix, kind, 0, NULL, ok, error, info);
}

static void ev_result(void *ctx, struct bridge_site_rt *rt, const struct bridge_cmd_result *r)
{
    struct dsite *ds = ctx;
    (void)rt;
    publish_result(ds->d, ds->prefix, r->kind, r->wallbox, NULL, r->ok, r->error, r->info);
}

static void ev_history(void *ctx, struct bridge_site_rt *rt, int y, int m, int day, const struct rscp_history_values *v)
{
    struct dsite *ds = ctx;
    struct daemon *d = ds->d;
    (void)rt;
    /* rscp2mqtt's day/<year>/<month>/<day>/... topics, energies in kWh;
     * grid/energy/in is DB.GRID_POWER_IN (feed-in, export), .../out the
     * import (DB.GRID_POWER_OUT). */
    struct {
        const char *name;
        uint32_t bit;
        double value;
        bool kwh;
    } f[] = {{"solar/energy", RSCP_HIST_PV, v->pv, true},
             {"battery/energy/charge", RSCP_HIST_BAT_IN, v->bat_in, true},
             {"battery/energy/discharge", RSCP_HIST_BAT_OUT, v->bat_out, true},
             {"grid/energy/in", RSCP_HIST_GRID_IN, v->grid_in, true},
             {"grid/energy/out", RSCP_HIST_GRID_OUT, v->grid_out, true},
             {"home/energy", RSCP_HIST_HOME, v->home, true},
             {"autarky", RSCP_HIST_AUTARKY, v->autarky, false},
             {"consumed", RSCP_HIST_CONSUMED_PRODUCTION, v->consumed_production, false}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!(v->present & f[i].bit) || !isfinite(f[i].value))
            continue;
        char topic[DAEMON_TOPIC_MAX + 96], payload[64];
        snprintf(topic, sizeof topic, "%s/day/%04d/%02d/%02d/%s", ds->prefix, y, m, day, f[i].name);
        int n = snprintf(payload, sizeof payload, "%.*f", f[i].kwh ? 2 : 1, f[i].kwh ? f[i].value / 1000.0 : f[i].value);
        daemon_mqtt_publish(d, topic, payload, (size_t)n, true);
    }
}

void daemon_mqtt_events(struct dsite *ds, struct bridge_site_events *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->cycle = ev_cycle;
    ev->status = ev_status;
    ev->result = ev_result;
    ev->history_day = ev_history;
    ev->ctx = ds;
}

void daemon_site_added(struct daemon *d, struct dsite *ds)
{
    /* Discovery goes out after the first cycle (it needs the serial). */
    (void)d;
    discovery_forget(ds);
    ds->discovery_values = 0;
    bridge_pubcache_forget(&ds->pub);
}

void daemon_site_removing(struct daemon *d, struct dsite *ds, bool forget)
{
    if (!d->mqtt)
        return;
    char topic[DAEMON_TOPIC_MAX + 8];
    snprintf(topic, sizeof topic, "%s/status", ds->prefix);
    daemon_mqtt_publish(d, topic, "offline", 7, true);
    if (forget && d->cfg.ha.enabled) {
        const struct bridge_snapshot *sn = bridge_site_snapshot(ds->rt);
        if (sn->have & BRIDGE_HAVE_INFO) {
            struct bridge_discovery_site ws;
            disc_site(d, ds, &ws);
            size_t n = bridge_discovery_topics(&ws, sn, bridge_site_groups(ds->rt), emit_clear, d);
            BRIDGE_INFO("site %s left the configuration: %zu discovery configs removed", bridge_site_name(ds->rt), n);
        }
    }
}

/* ---- MQTT connection ---------------------------------------------------- */

static void on_connect(void *ctx)
{
    struct daemon *d = ctx;
    BRIDGE_INFO("mqtt: connected to %s:%u", d->cfg.mqtt.host, d->cfg.mqtt.port);
    daemon_mqtt_publish(d, d->bridge_status, "online", 6, true);
    char pat[DAEMON_TOPIC_MAX + 16];
    const char *p = d->cfg.mqtt.prefix ? d->cfg.mqtt.prefix : "e3dc";
    /* Both forms: the site count may change with a reload. */
    snprintf(pat, sizeof pat, "%s/set/#", p);
    bridge_mqtt_subscribe(d->mqtt, pat);
    snprintf(pat, sizeof pat, "%s/+/set/#", p);
    bridge_mqtt_subscribe(d->mqtt, pat);
    if (d->cfg.ha.enabled) {
        snprintf(pat, sizeof pat, "%s/status", d->cfg.ha.prefix ? d->cfg.ha.prefix : "homeassistant");
        bridge_mqtt_subscribe(d->mqtt, pat);
    }
    /* After a broker restart nothing retained may be left: publish it all
     * again (values with the next cycle, statuses and discovery now). */
    for (size_t i = 0; i < d->nsites; i++) {
        struct dsite *ds = d->sites[i];
        bridge_pubcache_forget(&ds->pub);
        char topic[DAEMON_TOPIC_MAX + 8];
        snprintf(topic, sizeof topic, "%s/status", ds->prefix);
        bool on = bridge_site_online(ds->rt);
        if (on || bridge_site_settled(ds->rt))
            daemon_mqtt_publish(d, topic, on ? "online" : "offline", on ? 6 : 7, true);
        discovery_forget(ds);
        if (on)
            publish_discovery(d, ds);
    }
}

static void on_disconnect(void *ctx, const char *why)
{
    struct daemon *d = ctx;
    BRIDGE_WARN("mqtt: disconnected from %s:%u: %s", d->cfg.mqtt.host, d->cfg.mqtt.port, why ? why : "");
}

static void on_message(void *ctx, const char *topic, const void *payload, size_t len, bool retained)
{
    struct daemon *d = ctx;
    const char *hp = d->cfg.ha.prefix ? d->cfg.ha.prefix : "homeassistant";
    size_t hl = strlen(hp);
    if (d->cfg.ha.enabled && strncmp(topic, hp, hl) == 0 && strcmp(topic + hl, "/status") == 0) {
        if (len == 6 && memcmp(payload, "online", 6) == 0) {
            BRIDGE_INFO("home assistant is online: discovery published again");
            for (size_t i = 0; i < d->nsites; i++) {
                discovery_forget(d->sites[i]);
                publish_discovery(d, d->sites[i]);
            }
        }
        return;
    }
    /* <site prefix>/set/<command> */
    size_t tl = strlen(topic);
    if (tl >= 7 && strcmp(topic + tl - 7, "/result") == 0)
        return; /* our own answers */
    for (size_t i = 0; i < d->nsites; i++) {
        struct dsite *ds = d->sites[i];
        size_t pl = strlen(ds->prefix);
        if (strncmp(topic, ds->prefix, pl) != 0 || strncmp(topic + pl, "/set/", 5) != 0)
            continue;
        const char *cmd_topic = topic + pl + 5;
        if (retained) {
            /* A retained command would run again at every start: refuse it. */
            publish_result(d, ds->prefix, 0, 0, cmd_topic, false,
                           "retained commands are not run (publish without the retain flag)", NULL);
            return;
        }
        struct bridge_command c;
        char err[BRIDGE_RESULT_TEXT_MAX];
        if (bridge_command_parse(cmd_topic, payload ? payload : "", payload ? len : 0, &c, err, sizeof err) != 0) {
            publish_result(d, ds->prefix, 0, 0, cmd_topic, false, err, NULL);
            return;
        }
        if (daemon_control_command(d, ds, &c, payload ? payload : "", payload ? len : 0))
            return;
        if (bridge_site_command(ds->rt, &c, ++d->next_tag, err, sizeof err) != 0)
            publish_result(d, ds->prefix, c.kind, c.wallbox, cmd_topic, false, err, NULL);
        return;
    }
    /* A command for no site still gets its answer: from the instance
     * whose shard the name between prefix and /set/ falls in (a site of
     * another shard is that shard's to answer; an unknown name gets one
     * answer, not one per shard). */
    const char *set = strstr(topic, "/set/");
    if (set && d->opts.shard_n) {
        const char *p = d->cfg.mqtt.prefix ? d->cfg.mqtt.prefix : "e3dc";
        size_t pl = strlen(p);
        const char *name = topic;
        size_t nl = 0;
        if (strncmp(topic, p, pl) == 0 && topic[pl] == '/' && topic + pl < set) {
            name = topic + pl + 1;
            nl = (size_t)(set - name);
        }
        char nb[DAEMON_TOPIC_MAX];
        snprintf(nb, sizeof nb, "%.*s", (int)nl, name);
        if (!bridge_shard_has(nb, d->opts.shard_k, d->opts.shard_n))
            return;
    }
    if (set) {
        char prefix[DAEMON_TOPIC_MAX];
        snprintf(prefix, sizeof prefix, "%.*s", (int)(set - topic), topic);
        publish_result(d, prefix, 0, 0, set + 5, false,
                       d->cfg.nsites > 1 ? "no such site: with several sites the topic is <prefix>/<site>/set/..."
                                     : "no such site",
                       NULL);
    }
}

int daemon_mqtt_start(struct daemon *d, char *err, size_t cap)
{
    if (!d->cfg.mqtt.enabled)
        return 0;
    struct bridge_mqtt_events ev;
    memset(&ev, 0, sizeof ev);
    ev.on_connect = on_connect;
    ev.on_disconnect = on_disconnect;
    ev.on_message = on_message;
    ev.ctx = d;
    if (bridge_mqtt_new(&d->mqtt, &d->cfg.mqtt, d->bridge_status, "offline", &ev, err, cap) != 0)
        return -1;
    return 0;
}
