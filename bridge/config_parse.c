/* rscp-bridge configuration: the bridge's own file form (sections of
 * key = value lines; see config.h). */
#include "config_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum section { SEC_NONE, SEC_MQTT, SEC_HA, SEC_PROM, SEC_SITE };

enum kind { K_STR, K_SECRET, K_PORT, K_UINT, K_MS, K_BOOL, K_PREFIX, K_LISTEN, K_GROUPS };

/* One key of a section: where its value goes (an offset into the section's
 * struct) and how it is read. */
struct keydef {
    const char *name;
    uint8_t kind;
    size_t offset;
    unsigned min, max; /* K_UINT, K_MS (in the unit written: seconds for K_MS) */
};

#define MQ(f) offsetof(struct bridge_mqtt, f)
static const struct keydef mqtt_keys[] = {
    {"host", K_STR, MQ(host), 0, 0},
    {"port", K_PORT, MQ(port), 0, 0},
    {"user", K_STR, MQ(user), 0, 0},
    {"password", K_SECRET, MQ(password), 0, 0},
    {"password_file", K_STR, MQ(password_file), 0, 0},
    {"client_id", K_STR, MQ(client_id), 0, 0},
    {"qos", K_UINT, MQ(qos), 0, 2},
    {"keepalive", K_UINT, MQ(keepalive_s), 5, 3600},
    {"tls", K_BOOL, MQ(tls), 0, 0},
    {"tls_ca_file", K_STR, MQ(ca_file), 0, 0},
    {"tls_cert_file", K_STR, MQ(cert_file), 0, 0},
    {"tls_key_file", K_STR, MQ(key_file), 0, 0},
    {"prefix", K_PREFIX, MQ(prefix), 0, 0},
    {"max_age", K_UINT, MQ(max_age_s), 0, 86400},
    {NULL, 0, 0, 0, 0},
};
#define HA(f) offsetof(struct bridge_ha, f)
static const struct keydef ha_keys[] = {
    {"enabled", K_BOOL, HA(enabled), 0, 0},
    {"prefix", K_PREFIX, HA(prefix), 0, 0},
    {NULL, 0, 0, 0, 0},
};
#define PR(f) offsetof(struct bridge_prom, f)
static const struct keydef prom_keys[] = {
    {"listen", K_LISTEN, PR(host), 0, 0},
    {NULL, 0, 0, 0, 0},
};
#define SI(f) offsetof(struct bridge_site, f)
static const struct keydef site_keys[] = {
    {"host", K_STR, SI(host), 0, 0},
    {"port", K_PORT, SI(port), 0, 0},
    {"user", K_STR, SI(user), 0, 0},
    {"password", K_SECRET, SI(password), 0, 0},
    {"password_file", K_STR, SI(password_file), 0, 0},
    {"key", K_SECRET, SI(key), 0, 0},
    {"key_file", K_STR, SI(key_file), 0, 0},
    {"interval", K_MS, SI(interval_ms), 1, 3600},
    {"timeout", K_MS, SI(timeout_ms), 1, 60},
    {"groups", K_GROUPS, SI(groups), 0, 0},
    {NULL, 0, 0, 0, 0},
};

struct parser {
    struct bridge_config *c;
    enum section sec;
    void *target;             /* the struct the section's keys go to */
    const struct keydef *keys;
    uint32_t seen;            /* keys given in this section (bit per index) */
    unsigned seen_sections;   /* SEC_* bits of the one-off sections */
    char *err;
    size_t errcap;
};

static const char *section_name(enum section s)
{
    switch (s) {
    case SEC_MQTT: return "mqtt";
    case SEC_HA: return "homeassistant";
    case SEC_PROM: return "prometheus";
    default: return "site";
    }
}

static int header(struct parser *p, const struct cfg_line *l, const char *s, size_t n)
{
    /* s[0..n) is what stands between the brackets. */
    cfg_trim(&s, &n);
    const char *name = NULL;
    size_t name_n = 0;
    enum section sec = SEC_NONE;
    if (n == 4 && memcmp(s, "mqtt", 4) == 0)
        sec = SEC_MQTT;
    else if (n == 13 && memcmp(s, "homeassistant", 13) == 0)
        sec = SEC_HA;
    else if (n == 10 && memcmp(s, "prometheus", 10) == 0)
        sec = SEC_PROM;
    else if (n > 4 && memcmp(s, "site", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) {
        sec = SEC_SITE;
        name = s + 5;
        name_n = n - 5;
        cfg_trim(&name, &name_n);
    } else if (n == 4 && memcmp(s, "site", 4) == 0) {
        return cfg_fail(p->err, p->errcap, l, "a site section needs a name: [site NAME]");
    } else {
        char buf[48];
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
        return cfg_fail(p->err, p->errcap, l,
                        "unknown section [%s] (mqtt, homeassistant, prometheus, site NAME)", buf);
    }
    p->sec = sec;
    p->seen = 0;
    if (sec == SEC_SITE) {
        if (!cfg_site_name_ok(name, name_n))
            return cfg_fail(p->err, p->errcap, l,
                            "site name must be 1..%u letters, digits, '_' or '-' (it becomes part of topics)",
                            BRIDGE_SITE_NAME_MAX);
        for (size_t i = 0; i < p->c->nsites; i++)
            if (strlen(p->c->sites[i].name) == name_n && memcmp(p->c->sites[i].name, name, name_n) == 0)
                return cfg_fail(p->err, p->errcap, l, "site '%s' again (first at line %u)", p->c->sites[i].name,
                                p->c->sites[i].line);
        struct bridge_site *site = cfg_add_site(p->c, name, name_n);
        if (site == NULL)
            return cfg_fail(p->err, p->errcap, l, "too many sites (at most %u) or out of memory", BRIDGE_MAX_SITES);
        site->line = l->no;
        p->target = site;
        p->keys = site_keys;
        return 0;
    }
    if (p->seen_sections & (1u << sec))
        return cfg_fail(p->err, p->errcap, l, "section [%s] again", section_name(sec));
    p->seen_sections |= 1u << sec;
    if (sec == SEC_MQTT) {
        p->c->mqtt.enabled = true;
        p->c->mqtt.line = l->no;
        p->target = &p->c->mqtt;
        p->keys = mqtt_keys;
    } else if (sec == SEC_HA) {
        p->target = &p->c->ha;
        p->keys = ha_keys;
    } else {
        p->c->prom.enabled = true;
        p->c->prom.line = l->no;
        p->target = &p->c->prom;
        p->keys = prom_keys;
    }
    return 0;
}

/* The value as written: trimmed, and unquoted when in double quotes.
 * Unquoting writes into a fresh buffer (*owned, to free). */
static int unquote(const struct cfg_line *l, const char *key, const char **v, size_t *n, char **owned, char *err,
                   size_t errcap)
{
    *owned = NULL;
    if (*n == 0 || (*v)[0] != '"')
        return 0;
    if (*n < 2 || (*v)[*n - 1] != '"')
        return cfg_fail(err, errcap, l, "key '%s': a quoted value must end with '\"'", key);
    char *out = malloc(*n);
    if (out == NULL)
        return cfg_fail(err, errcap, l, "key '%s': out of memory", key);
    size_t k = 0;
    for (size_t i = 1; i + 1 < *n; i++) {
        char ch = (*v)[i];
        if (ch == '\\') {
            if (i + 2 >= *n || ((*v)[i + 1] != '"' && (*v)[i + 1] != '\\')) {
                free(out);
                return cfg_fail(err, errcap, l, "key '%s': in quotes only \\\" and \\\\ are escapes", key);
            }
            ch = (*v)[++i];
        } else if (ch == '"') {
            free(out);
            return cfg_fail(err, errcap, l, "key '%s': a '\"' inside quotes must be written \\\"", key);
        }
        out[k++] = ch;
    }
    *v = out;
    *n = k;
    *owned = out;
    return 0;
}

static int assign(struct parser *p, const struct cfg_line *l, const struct keydef *d, const char *v, size_t n)
{
    char *base = p->target;
    void *dst = base + d->offset;
    char *err = p->err;
    size_t cap = p->errcap;
    switch (d->kind) {
    case K_STR: return cfg_string(dst, v, n, l, d->name, false, err, cap);
    case K_SECRET: return cfg_string(dst, v, n, l, d->name, true, err, cap);
    case K_PORT: return cfg_port(dst, v, n, l, d->name, err, cap);
    case K_BOOL: return cfg_bool(dst, v, n, l, d->name, err, cap);
    case K_PREFIX: return cfg_prefix(dst, v, n, l, d->name, err, cap);
    case K_GROUPS: return cfg_groups(dst, v, n, l, d->name, err, cap);
    case K_LISTEN: return cfg_listen(dst, &p->c->prom.port, v, n, l, d->name, err, cap);
    case K_UINT: {
        unsigned u;
        if (cfg_uint(&u, v, n, d->min, d->max, l, d->name, err, cap) != 0)
            return -1;
        *(unsigned *)dst = u;
        return 0;
    }
    case K_MS: {
        unsigned s;
        if (cfg_uint(&s, v, n, d->min, d->max, l, d->name, err, cap) != 0)
            return -1;
        *(unsigned *)dst = s * 1000u;
        return 0;
    }
    default: return cfg_fail(err, cap, l, "internal: key kind");
    }
}

/* Where a TLS file key of [mqtt] was given, for the checks of the files
 * in bridge_config_load(). */
static void note_tls_file(struct bridge_mqtt *m, const struct keydef *d, unsigned no)
{
    struct bridge_key_at at = {d->name, no};
    if (d->offset == MQ(ca_file))
        m->ca_at = at;
    else if (d->offset == MQ(cert_file))
        m->cert_at = at;
    else if (d->offset == MQ(key_file))
        m->key_at = at;
}

static int line(void *ctx, const struct cfg_line *l)
{
    struct parser *p = ctx;
    const char *s = l->text;
    size_t n = l->len;
    cfg_trim(&s, &n);
    if (n == 0 || s[0] == '#' || s[0] == ';')
        return 0;
    if (s[0] == '[') {
        if (s[n - 1] != ']')
            return cfg_fail(p->err, p->errcap, l, "a section header must end with ']'");
        return header(p, l, s + 1, n - 2);
    }
    const char *eq = memchr(s, '=', n);
    if (eq == NULL)
        return cfg_fail(p->err, p->errcap, l, "expected 'key = value', a [section] or a # comment");
    const char *key = s;
    size_t kn = (size_t)(eq - s);
    cfg_trim(&key, &kn);
    const char *v = eq + 1;
    size_t vn = (size_t)(s + n - v);
    cfg_trim(&v, &vn);
    char kbuf[40];
    size_t kk = kn < sizeof kbuf - 1 ? kn : sizeof kbuf - 1;
    for (size_t i = 0; i < kk; i++)
        kbuf[i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
    kbuf[kk] = '\0';
    if (kn == 0)
        return cfg_fail(p->err, p->errcap, l, "a key is missing before '='");
    if (p->sec == SEC_NONE)
        return cfg_fail(p->err, p->errcap, l, "key '%s' outside a section: start with [mqtt], [site NAME], ...",
                        kbuf);
    for (size_t i = 0; p->keys[i].name; i++) {
        const struct keydef *d = &p->keys[i];
        if (strlen(d->name) != kn || memcmp(d->name, key, kn) != 0)
            continue;
        if (p->seen & (1u << i))
            return cfg_fail(p->err, p->errcap, l, "key '%s' again in this section", d->name);
        p->seen |= 1u << i;
        char *owned;
        if (unquote(l, d->name, &v, &vn, &owned, p->err, p->errcap) != 0)
            return -1;
        int rc = assign(p, l, d, v, vn);
        if (rc == 0 && p->sec == SEC_MQTT)
            note_tls_file(&p->c->mqtt, d, l->no);
        if (owned) {
            memset(owned, 0, vn);
            free(owned);
        }
        return rc;
    }
    return cfg_fail(p->err, p->errcap, l, "unknown key '%s' in [%s]", kbuf, section_name(p->sec));
}

int bridge_config_parse(const char *text, size_t len, const char *file, struct bridge_config *out, char *err,
                        size_t errcap)
{
    cfg_defaults(out);
    struct parser p = {out, SEC_NONE, NULL, NULL, 0, 0, err, errcap};
    if (cfg_lines(text, len, file, line, &p, err, errcap) != 0 || cfg_finish(out, file, err, errcap) != 0) {
        bridge_config_free(out);
        return -1;
    }
    return 0;
}
