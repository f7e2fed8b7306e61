/* rscp-bridge configuration: lines, value readers, defaults, final checks
 * and freeing, shared by both file forms. */
#include "config_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cfg_fail(char *err, size_t errcap, const struct cfg_line *l, const char *fmt, ...)
{
    if (err == NULL || errcap == 0)
        return -1;
    int n = !l ? 0 : l->no ? snprintf(err, errcap, "%s:%u: ", l->file, l->no) : snprintf(err, errcap, "%s: ", l->file);
    if (n < 0 || (size_t)n >= errcap)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errcap - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

int cfg_lines(const char *text, size_t len, const char *file, int (*fn)(void *ctx, const struct cfg_line *l),
              void *ctx, char *err, size_t errcap)
{
    struct cfg_line l = {file, 0, text, 0};
    size_t pos = 0;
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        l.no++;
        l.text = start;
        l.len = n > 0 && start[n - 1] == '\r' ? n - 1 : n;
        if (memchr(start, '\0', n))
            return cfg_fail(err, errcap, &l, "a NUL byte in the line");
        int rc = fn(ctx, &l);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void cfg_trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* v[0..n) as a NUL-terminated copy for messages (cut, control bytes as '?'). */
static const char *shown(const char *v, size_t n, char *buf, size_t cap)
{
    size_t k = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < k; i++)
        buf[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
    buf[k] = '\0';
    return buf;
}

int cfg_string(char **dst, const char *v, size_t n, const struct cfg_line *l, const char *key, bool secret,
               char *err, size_t errcap)
{
    if (n == 0)
        return cfg_fail(err, errcap, l, "key '%s': empty value", key);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
            return cfg_fail(err, errcap, l, "key '%s': a control character in the value", key);
    char *s = malloc(n + 1);
    if (s == NULL)
        return cfg_fail(err, errcap, l, "key '%s': out of memory", key);
    memcpy(s, v, n);
    s[n] = '\0';
    if (*dst) {
        if (secret)
            memset(*dst, 0, strlen(*dst));
        free(*dst);
    }
    *dst = s;
    return 0;
}

int cfg_uint(unsigned *dst, const char *v, size_t n, unsigned min, unsigned max, const struct cfg_line *l,
             const char *key, char *err, size_t errcap)
{
    char buf[40];
    unsigned long long x = 0;
    bool ok = n > 0 && n <= 10;
    for (size_t i = 0; ok && i < n; i++) {
        ok = v[i] >= '0' && v[i] <= '9';
        x = x * 10 + (unsigned)(v[i] - '0');
    }
    if (!ok || x < min || x > max)
        return cfg_fail(err, errcap, l, "key '%s': '%s' is not a whole number in %u..%u", key,
                        shown(v, n, buf, sizeof buf), min, max);
    *dst = (unsigned)x;
    return 0;
}

int cfg_port(uint16_t *dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
             size_t errcap)
{
    unsigned p;
    if (cfg_uint(&p, v, n, 1, 65535, l, key, err, errcap) != 0)
        return -1;
    *dst = (uint16_t)p;
    return 0;
}

static bool word(const char *v, size_t n, const char *w)
{
    return strlen(w) == n && strncmp(v, w, n) == 0;
}

int cfg_bool(bool *dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
             size_t errcap)
{
    static const char *const yes[] = {"true", "on", "yes", "1"}, *const no[] = {"false", "off", "no", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (word(v, n, yes[i]) || word(v, n, no[i])) {
            *dst = word(v, n, yes[i]);
            return 0;
        }
    }
    char buf[40];
    return cfg_fail(err, errcap, l, "key '%s': '%s' is not true/false (on/off, yes/no, 1/0)", key,
                    shown(v, n, buf, sizeof buf));
}

int cfg_prefix(char **dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
               size_t errcap)
{
    char buf[40];
    bool ok = n > 0 && n <= 128 && v[0] != '/' && v[n - 1] != '/';
    for (size_t i = 0; ok && i < n; i++)
        ok = v[i] != '+' && v[i] != '#' && (unsigned char)v[i] > 0x20 && !(v[i] == '/' && v[i + 1] == '/');
    if (!ok)
        return cfg_fail(err, errcap, l,
                        "key '%s': '%s' is not a topic prefix (1..128 characters, no '+', '#' or blanks, "
                        "no '/' at either end or twice)",
                        key, shown(v, n, buf, sizeof buf));
    return cfg_string(dst, v, n, l, key, false, err, errcap);
}

int cfg_listen(char **host, uint16_t *port, const char *v, size_t n, const struct cfg_line *l, const char *key,
               char *err, size_t errcap)
{
    char buf[80];
    const char *colon = NULL;
    const char *h = v;
    size_t hn = 0;
    if (n > 0 && v[0] == '[') {
        const char *close = memchr(v, ']', n);
        if (close && (size_t)(close - v) + 1 < n && close[1] == ':') {
            h = v + 1;
            hn = (size_t)(close - v) - 1;
            colon = close + 1;
        }
    } else {
        for (size_t i = n; i > 0; i--)
            if (v[i - 1] == ':') {
                colon = v + i - 1;
                break;
            }
        if (colon) {
            hn = (size_t)(colon - v);
            if (memchr(v, ':', hn)) /* an IPv6 address needs brackets */
                colon = NULL;
        }
    }
    if (colon == NULL)
        return cfg_fail(err, errcap, l, "key '%s': '%s' is not HOST:PORT ([ADDRESS]:PORT for IPv6, :PORT for 127.0.0.1)",
                        key, shown(v, n, buf, sizeof buf));
    if (cfg_port(port, colon + 1, (size_t)(v + n - colon - 1), l, key, err, errcap) != 0)
        return -1;
    if (hn == 0) {
        h = "127.0.0.1";
        hn = strlen(h);
    }
    return cfg_string(host, h, hn, l, key, false, err, errcap);
}

static const char *const group_names[] = {"live", "battery", "dcb", "pv", "meters", "wallbox", "settings",
                                          "history"};

int cfg_groups(uint32_t *dst, const char *v, size_t n, const struct cfg_line *l, const char *key, char *err,
               size_t errcap)
{
    uint32_t g = 0;
    size_t pos = 0;
    while (pos <= n) {
        const char *item = v + pos;
        const char *comma = memchr(item, ',', n - pos);
        size_t k = comma ? (size_t)(comma - item) : n - pos;
        pos += k + 1;
        cfg_trim(&item, &k);
        uint32_t bit = 0;
        for (size_t i = 0; i < sizeof group_names / sizeof group_names[0]; i++)
            if (word(item, k, group_names[i]))
                bit = 1u << i;
        if (word(item, k, "all"))
            bit = BRIDGE_GROUP_ALL;
        if (bit == 0) {
            char buf[40];
            return cfg_fail(err, errcap, l,
                            "key '%s': unknown group '%s' (all, live, battery, dcb, pv, meters, wallbox, settings, "
                            "history)",
                            key, shown(item, k, buf, sizeof buf));
        }
        g |= bit;
        if (!comma)
            break;
    }
    *dst = g;
    return 0;
}

void bridge_groups_format(uint32_t groups, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof group_names / sizeof group_names[0]; i++) {
        if (!(groups & (1u << i)))
            continue;
        int k = snprintf(buf + used, cap - used, "%s%s", used ? "," : "", group_names[i]);
        if (k < 0 || (size_t)k >= cap - used)
            return;
        used += (size_t)k;
    }
}

void cfg_site_defaults(struct bridge_site *s)
{
    memset(s, 0, sizeof *s);
    s->port = 5033;
    s->interval_ms = 5000;
    s->timeout_ms = 5000;
    s->groups = BRIDGE_GROUP_ALL;
}

void cfg_defaults(struct bridge_config *c)
{
    memset(c, 0, sizeof *c);
    c->mqtt.port = 1883;
    c->mqtt.keepalive_s = 60;
    c->mqtt.max_age_s = 300;
    c->ha.enabled = true;
}

bool cfg_site_name_ok(const char *name, size_t n)
{
    if (n == 0 || n > BRIDGE_SITE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '-'))
            return false;
    }
    return true;
}

struct bridge_site *cfg_add_site(struct bridge_config *c, const char *name, size_t n)
{
    if (c->nsites >= BRIDGE_MAX_SITES)
        return NULL;
    if ((c->nsites & (c->nsites - 1)) == 0) { /* grow at powers of two */
        size_t cap = c->nsites ? c->nsites * 2 : 1;
        struct bridge_site *p = realloc(c->sites, cap * sizeof *p);
        if (p == NULL)
            return NULL;
        c->sites = p;
    }
    struct bridge_site *s = &c->sites[c->nsites++];
    cfg_site_defaults(s);
    memcpy(s->name, name, n);
    s->name[n] = '\0';
    return s;
}

/* "FILE:LINE: " of a section header (just "FILE: " without a line). */
static int fail_at(char *err, size_t errcap, const char *file, unsigned line, const char *what)
{
    struct cfg_line l = {file, line, NULL, 0};
    if (line)
        return cfg_fail(err, errcap, &l, "%s", what);
    return cfg_fail(err, errcap, NULL, "%s: %s", file, what);
}

static int need(const char *value, const char *file, unsigned line, const char *section, const char *key,
                char *err, size_t errcap)
{
    char what[160];
    if (value != NULL)
        return 0;
    snprintf(what, sizeof what, "%s: key '%s' is required", section, key);
    return fail_at(err, errcap, file, line, what);
}

/* A secret given inline and as a file is an error; one of them is needed
 * when required. */
static int one_secret(const char *inline_v, const char *path, bool required, const char *file, unsigned line,
                      const char *section, const char *key, char *err, size_t errcap)
{
    char what[200];
    if (inline_v && path)
        snprintf(what, sizeof what, "%s: '%s' and '%s_file' both given: keep one", section, key, key);
    else if (required && !inline_v && !path)
        snprintf(what, sizeof what, "%s: '%s' or '%s_file' is required", section, key, key);
    else
        return 0;
    return fail_at(err, errcap, file, line, what);
}

int cfg_finish(struct bridge_config *c, const char *file, char *err, size_t errcap)
{
    if (c->nsites == 0)
        return fail_at(err, errcap, file, 0, "no [site NAME] section: nothing to poll");
    if (!c->mqtt.enabled && !c->prom.enabled)
        return fail_at(err, errcap, file, 0, "neither [mqtt] nor [prometheus]: nothing to publish to");
    struct bridge_mqtt *m = &c->mqtt;
    if (m->enabled) {
        if (need(m->host, file, m->line, "[mqtt]", "host", err, errcap) != 0 ||
            one_secret(m->password, m->password_file, false, file, m->line, "[mqtt]", "password", err, errcap) != 0)
            return -1;
        if ((m->password || m->password_file) && !m->user)
            return fail_at(err, errcap, file, m->line, "[mqtt]: a password needs 'user'");
        if ((m->cert_file != NULL) != (m->key_file != NULL))
            return fail_at(err, errcap, file, m->line, "[mqtt]: 'tls_cert_file' and 'tls_key_file' go together");
        if (m->ca_file || m->cert_file)
            m->tls = true;
        if ((!m->client_id && cfg_string(&m->client_id, "rscp-bridge", 11, NULL, "client_id", false, err, errcap)) ||
            (!m->prefix && cfg_string(&m->prefix, "e3dc", 4, NULL, "prefix", false, err, errcap)))
            return -1;
    } else {
        c->ha.enabled = false;
    }
    if (c->ha.enabled && !c->ha.prefix &&
        cfg_string(&c->ha.prefix, "homeassistant", 13, NULL, "prefix", false, err, errcap) != 0)
        return -1;
    if (c->prom.enabled && c->prom.port == 0)
        return fail_at(err, errcap, file, c->prom.line, "[prometheus]: key 'listen' is required");
    for (size_t i = 0; i < c->nsites; i++) {
        struct bridge_site *s = &c->sites[i];
        char section[BRIDGE_SITE_NAME_MAX + 16];
        snprintf(section, sizeof section, "[site %s]", s->name);
        if (need(s->host, file, s->line, section, "host", err, errcap) != 0 ||
            need(s->user, file, s->line, section, "user", err, errcap) != 0 ||
            one_secret(s->password, s->password_file, true, file, s->line, section, "password", err, errcap) != 0 ||
            one_secret(s->key, s->key_file, true, file, s->line, section, "key", err, errcap) != 0)
            return -1;
    }
    return 0;
}

static void wipe_free(char **p)
{
    if (*p) {
        memset(*p, 0, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

void bridge_config_free(struct bridge_config *c)
{
    if (c == NULL)
        return;
    char **strs[] = {&c->mqtt.host,      &c->mqtt.user,     &c->mqtt.password, &c->mqtt.password_file,
                     &c->mqtt.client_id, &c->mqtt.ca_file,  &c->mqtt.cert_file, &c->mqtt.key_file,
                     &c->mqtt.prefix,    &c->ha.prefix,     &c->prom.host};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        wipe_free(strs[i]);
    for (size_t i = 0; i < c->nsites; i++) {
        struct bridge_site *s = &c->sites[i];
        char **site_strs[] = {&s->host, &s->user, &s->password, &s->password_file, &s->key, &s->key_file};
        for (size_t k = 0; k < sizeof site_strs / sizeof site_strs[0]; k++)
            wipe_free(site_strs[k]);
    }
    free(c->sites);
    memset(c, 0, sizeof *c);
}
