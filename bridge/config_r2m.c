/* rscp-bridge configuration: an rscp2mqtt `.config` (KEY=value lines) read
 * as one site, for users moving over. The keys are the ones rscp2mqtt
 * documents (data/compat/rscp2mqtt-config-keys.tsv; test_bridge_config
 * checks that the list below is that file's). */
#include "config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the bridge does with a key. */
enum use {
    U_IGNORED,    /* documented by rscp2mqtt, no meaning here       */
    U_SITE_HOST, U_SITE_PORT, U_SITE_USER, U_SITE_PASSWORD, U_SITE_KEY, U_INTERVAL,
    U_MQTT_HOST, U_MQTT_PORT, U_MQTT_AUTH, U_MQTT_USER, U_MQTT_PASSWORD, U_MQTT_QOS, U_MQTT_CLIENT_ID,
    U_MQTT_TLS, U_MQTT_CA, U_MQTT_CERT, U_MQTT_KEY, U_PREFIX,
    U_GROUP       /* a boolean switching one of the groups          */
};

struct r2m_key {
    const char *name;
    uint8_t use;
    bool repeatable;
    uint32_t group;   /* U_GROUP */
};

static const struct r2m_key keys[] = {
    {"E3DC_IP", U_SITE_HOST, false, 0},
    {"E3DC_PORT", U_SITE_PORT, false, 0},
    {"E3DC_USER", U_SITE_USER, false, 0},
    {"E3DC_PASSWORD", U_SITE_PASSWORD, false, 0},
    {"E3DC_AES_PASSWORD", U_SITE_KEY, false, 0},
    {"MQTT_HOST", U_MQTT_HOST, false, 0},
    {"MQTT_PORT", U_MQTT_PORT, false, 0},
    {"MQTT_NO_CLIENT_ID", U_IGNORED, false, 0},
    {"MQTT_CLIENT_ID", U_MQTT_CLIENT_ID, false, 0},
    {"MQTT_QOS", U_MQTT_QOS, false, 0},
    {"MQTT_RETAIN", U_IGNORED, false, 0}, /* the bridge always retains */
    {"MQTT_AUTH", U_MQTT_AUTH, false, 0},
    {"MQTT_USER", U_MQTT_USER, false, 0},
    {"MQTT_PASSWORD", U_MQTT_PASSWORD, false, 0},
    {"MQTT_TLS", U_MQTT_TLS, false, 0},
    {"MQTT_TLS_CAFILE", U_MQTT_CA, false, 0},
    {"MQTT_TLS_CAPATH", U_IGNORED, false, 0},
    {"MQTT_TLS_CERTFILE", U_MQTT_CERT, false, 0},
    {"MQTT_TLS_KEYFILE", U_MQTT_KEY, false, 0},
    {"MQTT_TLS_PASSWORD", U_IGNORED, false, 0},
    {"VERBOSE", U_IGNORED, false, 0},
    {"INTERVAL", U_INTERVAL, false, 0},
    {"LOG_MODE", U_IGNORED, false, 0},
    {"LOGFILE", U_IGNORED, false, 0},
    {"TOPIC_LOG_FILE", U_IGNORED, false, 0},
    {"DISABLE_MQTT_PUBLISH", U_IGNORED, false, 0},
    {"AUTO_REFRESH", U_IGNORED, false, 0},
    {"EMS_REQUESTS", U_GROUP, false, BRIDGE_GROUP_LIVE | BRIDGE_GROUP_SETTINGS},
    {"HISTORY_START_YEAR", U_IGNORED, false, 0},
    {"HST_REQUESTS", U_GROUP, false, BRIDGE_GROUP_HISTORY},
    {"DAILY_VALUES", U_IGNORED, false, 0},
    {"STATISTIC_VALUES", U_IGNORED, false, 0},
    {"RETAIN_FOR_SETUP", U_IGNORED, false, 0},
    {"PREFIX", U_PREFIX, false, 0},
    {"USE_TRUE_FALSE", U_IGNORED, false, 0},
    {"PM_EXTERN", U_IGNORED, false, 0},
    {"PM_INDEX", U_IGNORED, true, 0},
    {"PM_REQUESTS", U_GROUP, false, BRIDGE_GROUP_METERS},
    {"CORRECT_PM_0_UNIT", U_IGNORED, false, 0},
    {"CORRECT_PM_0_DIVISOR", U_IGNORED, false, 0},
    {"CORRECT_PM_1_UNIT", U_IGNORED, false, 0},
    {"CORRECT_PM_1_DIVISOR", U_IGNORED, false, 0},
    {"PVI_REQUESTS", U_GROUP, false, BRIDGE_GROUP_PV},
    {"PVI_TRACKER", U_IGNORED, false, 0},
    {"BATTERY_STRINGS", U_IGNORED, false, 0},
    {"DCB_REQUESTS", U_GROUP, false, BRIDGE_GROUP_DCB},
    {"RAW_MODE", U_IGNORED, false, 0},
    {"RAW_TOPIC_REGEX", U_IGNORED, true, 0},
    {"SOC_LIMITER", U_IGNORED, false, 0},
    {"LIMIT_CHARGE_SOC", U_IGNORED, false, 0},
    {"LIMIT_DISCHARGE_SOC", U_IGNORED, false, 0},
    {"LIMIT_CHARGE_DURABLE", U_IGNORED, false, 0},
    {"LIMIT_DISCHARGE_DURABLE", U_IGNORED, false, 0},
    {"LIMIT_DISCHARGE_BY_HOME_POWER", U_IGNORED, false, 0},
    {"WALLBOX", U_GROUP, false, BRIDGE_GROUP_WALLBOX},
    {"WB_INDEX", U_IGNORED, true, 0},
    {"FORCE_PUB", U_IGNORED, true, 0},
    {"TOPIC_LOG", U_IGNORED, true, 0},
    {"ENABLE_INFLUXDB", U_IGNORED, false, 0},
    {"INFLUXDB_HOST", U_IGNORED, false, 0},
    {"INFLUXDB_PORT", U_IGNORED, false, 0},
    {"INFLUXDB_VERSION", U_IGNORED, false, 0},
    {"INFLUXDB_MEASUREMENT", U_IGNORED, false, 0},
    {"INFLUXDB_MEASUREMENT_META", U_IGNORED, false, 0},
    {"INFLUXDB_TOPIC", U_IGNORED, true, 0},
    {"CURL_HTTPS", U_IGNORED, false, 0},
    {"CURL_OPT_SSL_VERIFYPEER", U_IGNORED, false, 0},
    {"CURL_OPT_SSL_VERIFYHOST", U_IGNORED, false, 0},
    {"CURL_OPT_CAINFO", U_IGNORED, false, 0},
    {"CURL_OPT_SSLCERT", U_IGNORED, false, 0},
    {"CURL_OPT_SSLKEY", U_IGNORED, false, 0},
    {"INFLUXDB_1_DB", U_IGNORED, false, 0},
    {"INFLUXDB_1_AUTH", U_IGNORED, false, 0},
    {"INFLUXDB_1_USER", U_IGNORED, false, 0},
    {"INFLUXDB_1_PASSWORD", U_IGNORED, false, 0},
    {"INFLUXDB_2_ORGA", U_IGNORED, false, 0},
    {"INFLUXDB_2_BUCKET", U_IGNORED, false, 0},
    {"INFLUXDB_2_TOKEN", U_IGNORED, false, 0},
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* The names of the keys, for the test against the TSV file. */
size_t bridge_r2m_key_count(void);
const char *bridge_r2m_key_name(size_t i);
size_t bridge_r2m_key_count(void)
{
    return NKEYS;
}
const char *bridge_r2m_key_name(size_t i)
{
    return i < NKEYS ? keys[i].name : NULL;
}

struct r2m {
    struct bridge_config *c;
    struct bridge_site *site;
    bool auth;               /* MQTT_AUTH */
    bool given[NKEYS];
    unsigned line_of[NKEYS];
    char *err;
    size_t errcap;
};

static bool secret_use(uint8_t use)
{
    return use == U_SITE_PASSWORD || use == U_SITE_KEY || use == U_MQTT_PASSWORD;
}

static int apply(struct r2m *r, const struct r2m_key *k, const char *v, size_t n, const struct cfg_line *l)
{
    struct bridge_site *s = r->site;
    struct bridge_mqtt *m = &r->c->mqtt;
    char *e = r->err;
    size_t cap = r->errcap;
    const char *name = k->name;
    bool on;
    unsigned u;
    switch (k->use) {
    case U_IGNORED: return 0;
    case U_SITE_HOST: return cfg_string(&s->host, v, n, l, name, false, e, cap);
    case U_SITE_PORT: return cfg_port(&s->port, v, n, l, name, e, cap);
    case U_SITE_USER: return cfg_string(&s->user, v, n, l, name, false, e, cap);
    case U_SITE_PASSWORD: return cfg_string(&s->password, v, n, l, name, true, e, cap);
    case U_SITE_KEY: return cfg_string(&s->key, v, n, l, name, true, e, cap);
    case U_INTERVAL:
        if (cfg_uint(&u, v, n, 1, 3600, l, name, e, cap) != 0)
            return -1;
        s->interval_ms = u * 1000u;
        return 0;
    case U_MQTT_HOST: m->enabled = true; return cfg_string(&m->host, v, n, l, name, false, e, cap);
    case U_MQTT_PORT: return cfg_port(&m->port, v, n, l, name, e, cap);
    case U_MQTT_AUTH: return cfg_bool(&r->auth, v, n, l, name, e, cap);
    case U_MQTT_USER: return cfg_string(&m->user, v, n, l, name, false, e, cap);
    case U_MQTT_PASSWORD: return cfg_string(&m->password, v, n, l, name, true, e, cap);
    case U_MQTT_QOS: return cfg_uint(&m->qos, v, n, 0, 2, l, name, e, cap);
    case U_MQTT_CLIENT_ID: return cfg_string(&m->client_id, v, n, l, name, false, e, cap);
    case U_MQTT_TLS: return cfg_bool(&m->tls, v, n, l, name, e, cap);
    case U_MQTT_CA:
        m->ca_at = (struct bridge_key_at){name, l->no};
        return cfg_string(&m->ca_file, v, n, l, name, false, e, cap);
    case U_MQTT_CERT:
        m->cert_at = (struct bridge_key_at){name, l->no};
        return cfg_string(&m->cert_file, v, n, l, name, false, e, cap);
    case U_MQTT_KEY:
        m->key_at = (struct bridge_key_at){name, l->no};
        return cfg_string(&m->key_file, v, n, l, name, false, e, cap);
    case U_PREFIX: return cfg_prefix(&m->prefix, v, n, l, name, e, cap);
    case U_GROUP:
        if (cfg_bool(&on, v, n, l, name, e, cap) != 0)
            return -1;
        s->groups = on ? s->groups | k->group : s->groups & ~k->group;
        return 0;
    default: return cfg_fail(e, cap, l, "internal: key use");
    }
}

static int r2m_line(void *ctx, const struct cfg_line *l)
{
    struct r2m *r = ctx;
    const char *s = l->text;
    size_t n = l->len;
    cfg_trim(&s, &n);
    if (n == 0 || s[0] == '#')
        return 0;
    const char *eq = memchr(s, '=', n);
    if (eq == NULL)
        return cfg_fail(r->err, r->errcap, l, "expected KEY=value or a # comment");
    const char *key = s, *v = eq + 1;
    size_t kn = (size_t)(eq - s), vn = (size_t)(s + n - v);
    cfg_trim(&key, &kn);
    cfg_trim(&v, &vn);
    for (size_t i = 0; i < NKEYS; i++) {
        if (strlen(keys[i].name) != kn || memcmp(keys[i].name, key, kn) != 0)
            continue;
        if (r->given[i] && !keys[i].repeatable)
            return cfg_fail(r->err, r->errcap, l, "key %s again (first at line %u)", keys[i].name, r->line_of[i]);
        r->given[i] = true;
        r->line_of[i] = l->no;
        if (vn == 0 && keys[i].use == U_IGNORED)
            return 0;
        return apply(r, &keys[i], v, vn, l);
    }
    char buf[40];
    size_t k = kn < sizeof buf - 1 ? kn : sizeof buf - 1;
    for (size_t i = 0; i < k; i++)
        buf[i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
    buf[k] = '\0';
    return cfg_fail(r->err, r->errcap, l, "unknown key %s (not one of rscp2mqtt's documented keys)", buf);
}

int bridge_config_parse_rscp2mqtt(const char *text, size_t len, const char *file,
                                  const char *(*getenv_fn)(const char *name), struct bridge_config *out, char *err,
                                  size_t errcap)
{
    cfg_defaults(out);
    struct r2m r = {out, NULL, false, {false}, {0}, err, errcap};
    r.site = cfg_add_site(out, "e3dc", 4);
    if (r.site == NULL)
        return cfg_fail(err, errcap, NULL, "%s: out of memory", file);
    r.site->line = 1;
    int rc = cfg_lines(text, len, file, r2m_line, &r, err, errcap);
    /* The environment wins over the file (not for repeatable keys). */
    for (size_t i = 0; rc == 0 && getenv_fn && i < NKEYS; i++) {
        const char *v = keys[i].repeatable ? NULL : getenv_fn(keys[i].name);
        if (v == NULL)
            continue;
        char where[64];
        snprintf(where, sizeof where, "environment %s", keys[i].name);
        size_t vn = strlen(v);
        cfg_trim(&v, &vn);
        struct cfg_line env = {where, 0, v, vn};
        rc = vn == 0 && keys[i].use == U_IGNORED ? 0 : apply(&r, &keys[i], v, vn, &env);
        if (rc != 0 && secret_use(keys[i].use))
            rc = cfg_fail(err, errcap, NULL, "environment %s: bad value", keys[i].name);
    }
    if (rc == 0 && !r.auth && (out->mqtt.user || out->mqtt.password)) {
        /* rscp2mqtt uses the credentials only with MQTT_AUTH=true. */
        struct bridge_mqtt *m = &out->mqtt;
        if (m->password)
            memset(m->password, 0, strlen(m->password));
        free(m->password);
        free(m->user);
        m->password = m->user = NULL;
    }
    if (rc == 0 && out->mqtt.enabled)
        out->mqtt.line = 1;
    if (rc != 0 || cfg_finish(out, file, err, errcap) != 0) {
        bridge_config_free(out);
        return -1;
    }
    return 0;
}
