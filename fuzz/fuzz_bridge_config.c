/* Fuzz target: the bridge's configuration reader (bridge/config.h) in both
 * forms. Input: byte 0 chooses the form (even: the bridge's own, odd:
 * rscp2mqtt's), the rest is the file.
 * Invariants (abort() when broken): a failure leaves one message that names
 * the file and an empty configuration; a success has at least one site, each
 * with a valid name, a host, a user and both secrets given (inline or as a
 * file), MQTT or Prometheus to publish to, MQTT's host and prefix when it is
 * on; freeing leaks nothing (LeakSanitizer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > BRIDGE_SITE_NAME_MAX)
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

static const char *env(const char *name)
{
    return strcmp(name, "INTERVAL") == 0 ? "7" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 16))
        return 0;
    char *text = malloc(size - 1 ? size - 1 : 1); /* exactly sized: no NUL after it */
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    struct bridge_config c;
    char err[200];
    err[0] = '\0';
    int rc = data[0] & 1 ? bridge_config_parse_rscp2mqtt(text, size - 1, "f.conf", env, &c, err, sizeof err)
                         : bridge_config_parse(text, size - 1, "f.conf", &c, err, sizeof err);
    if (rc != 0) {
        if (rc != -1 || strncmp(err, "f.conf:", 7) != 0 || memchr(err, '\0', sizeof err) == NULL)
            fail("a failure without its message");
        if (c.nsites != 0 || c.sites != NULL || c.mqtt.host != NULL)
            fail("a failure left a configuration");
    } else {
        if (c.nsites == 0 || (!c.mqtt.enabled && !c.prom.enabled))
            fail("nothing to poll or to publish to");
        if (c.mqtt.enabled && (!c.mqtt.host || !c.mqtt.prefix || !c.mqtt.client_id || c.mqtt.qos > 2))
            fail("mqtt incomplete");
        if (c.prom.enabled && (!c.prom.host || c.prom.port == 0))
            fail("prometheus incomplete");
        for (size_t i = 0; i < c.nsites; i++) {
            const struct bridge_site *s = &c.sites[i];
            if (!name_ok(s->name) || !s->host || !s->user || (!s->password == !s->password_file) ||
                (!s->key == !s->key_file) || s->interval_ms == 0 || s->port == 0)
                fail("a site incomplete");
            for (size_t j = 0; j < i; j++)
                if (strcmp(c.sites[j].name, s->name) == 0)
                    fail("two sites of one name");
        }
        bridge_config_free(&c);
        if (c.sites != NULL || c.nsites != 0)
            fail("free left something");
    }
    free(text);
    return 0;
}
