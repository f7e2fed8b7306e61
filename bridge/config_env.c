/* rscp-bridge: one site and the broker from environment variables (see
 * bridge_config_from_env() in config.h). */
#include "config_internal.h"

#include <stdio.h>
#include <string.h>

static int env_str(char **dst, char *(*ge)(const char *), const char *name, bool secret, char *err, size_t cap)
{
    const char *v = ge(name);
    if (!v || !*v)
        return 0;
    return cfg_string(dst, v, strlen(v), NULL, name, secret, err, cap);
}

static int env_port(uint16_t *dst, char *(*ge)(const char *), const char *name, char *err, size_t cap)
{
    const char *v = ge(name);
    if (!v || !*v)
        return 0;
    return cfg_port(dst, v, strlen(v), NULL, name, err, cap);
}

int bridge_config_from_env(char *(*ge)(const char *name), struct bridge_config *out, char *err, size_t errcap)
{
    cfg_defaults(out);
    struct bridge_site *s = cfg_add_site(out, "e3dc", 4);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (env_str(&s->host, ge, "RSCP_HOST", false, err, errcap) || env_port(&s->port, ge, "RSCP_PORT", err, errcap) ||
        env_str(&s->user, ge, "RSCP_USER", false, err, errcap) ||
        env_str(&s->password, ge, "RSCP_PASSWORD", true, err, errcap) ||
        env_str(&s->key, ge, "RSCP_KEY", true, err, errcap))
        goto fail;
    const char *missing = !s->host ? "RSCP_HOST" : !s->user ? "RSCP_USER" : !s->password ? "RSCP_PASSWORD"
                                                                          : !s->key ? "RSCP_KEY" : NULL;
    if (missing) {
        snprintf(err, errcap, "no --config FILE, and %s is not set: give a configuration file or the RSCP_* "
                              "variables (RSCP_HOST, RSCP_USER, RSCP_PASSWORD, RSCP_KEY)", missing);
        goto fail;
    }
    struct bridge_mqtt *m = &out->mqtt;
    if (env_str(&m->host, ge, "MQTT_HOST", false, err, errcap) || env_port(&m->port, ge, "MQTT_PORT", err, errcap) ||
        env_str(&m->user, ge, "MQTT_USER", false, err, errcap) ||
        env_str(&m->password, ge, "MQTT_PASSWORD", true, err, errcap) ||
        env_str(&m->prefix, ge, "PREFIX", false, err, errcap))
        goto fail;
    m->enabled = m->host != NULL;
    if ((m->client_id == NULL && cfg_string(&m->client_id, "rscp-bridge", 11, NULL, "client_id", false, err, errcap)) ||
        (m->prefix == NULL && cfg_string(&m->prefix, "e3dc", 4, NULL, "PREFIX", false, err, errcap)))
        goto fail;
    out->ha.enabled = m->enabled;
    if (out->ha.enabled && cfg_string(&out->ha.prefix, "homeassistant", 13, NULL, "prefix", false, err, errcap))
        goto fail;
    return 0;
fail:
    bridge_config_free(out);
    return -1;
}
