/* rscp-bridge: its configuration.
 *
 * The configuration file has sections of `key = value` lines:
 *
 *     [mqtt]                      the broker (optional: without it, no MQTT)
 *     host = 127.0.0.1
 *     [homeassistant]             discovery (optional)
 *     [prometheus]                the metrics endpoint (optional)
 *     listen = 127.0.0.1:9633
 *     [site home]                 one section per plant, NAME in the header
 *     host = 192.168.1.20
 *     password_file = /etc/rscp-bridge/home.password
 *
 * Lines starting with '#' or ';' (after blanks) are comments; there are no
 * comments after a value, so a password may hold any character. A value may
 * be written in double quotes ("..." with \" and \\) to keep blanks at its
 * ends. Lines may be of any length. Every mistake is an error naming the
 * file, the line and the key: unknown sections and keys, repeated keys and
 * sites, values out of range, missing required keys. Messages never quote
 * the value of a secret (password, key).
 *
 * Parsing is pure (text in, struct out); bridge_config_load() adds the file
 * system: reading the file, refusing a file that holds secrets and that
 * others may read, and reading the *_file secrets. */
#ifndef RSCP_BRIDGE_CONFIG_H
#define RSCP_BRIDGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits. */
#define BRIDGE_SITE_NAME_MAX 63u      /* [A-Za-z0-9_-], it becomes part of topics */
#define BRIDGE_MAX_SITES 10000u
#define BRIDGE_CONFIG_MAX_BYTES (16u << 20)
#define BRIDGE_SECRET_FILE_MAX 4096u  /* bytes of a password or key file */

/* What a site publishes (groups = ... in a site section). */
#define BRIDGE_GROUP_LIVE 0x01u     /* power flows, SOC, autarky, status */
#define BRIDGE_GROUP_BATTERY 0x02u  /* battery strings                    */
#define BRIDGE_GROUP_DCB 0x04u      /* battery modules and cells          */
#define BRIDGE_GROUP_PV 0x08u       /* PV inverter and trackers           */
#define BRIDGE_GROUP_METERS 0x10u   /* power meters                       */
#define BRIDGE_GROUP_WALLBOX 0x20u  /* wallboxes                          */
#define BRIDGE_GROUP_SETTINGS 0x40u /* power settings, idle periods, reserve */
#define BRIDGE_GROUP_HISTORY 0x80u  /* today's and yesterday's energies   */
#define BRIDGE_GROUP_ALL 0xFFu

struct bridge_mqtt {
    bool enabled;          /* a [mqtt] section was given               */
    char *host;            /* required                                 */
    uint16_t port;         /* 1883                                     */
    char *user;            /* NULL: no authentication                  */
    char *password;        /* secret; from password or password_file   */
    char *password_file;
    char *client_id;       /* "rscp-bridge"                            */
    unsigned qos;          /* 0..2, default 0                          */
    unsigned keepalive_s;  /* 5..3600, default 60                      */
    bool tls;              /* default off; on with any tls key         */
    char *ca_file, *cert_file, *key_file;
    /* Where each of the three was given: the key as written in its file
     * form (static text) and its line (0: not from a line of the file),
     * for bridge_config_load()'s messages. */
    struct bridge_key_at {
        const char *key;
        unsigned line;
    } ca_at, cert_at, key_at;
    char *prefix;          /* topic prefix, default "e3dc"             */
    unsigned max_age_s;    /* republish unchanged values after, 0..86400, default 300 */
    unsigned line;         /* line of the section header (0: not from such a section) */
};

struct bridge_ha {
    bool enabled;          /* default: on when MQTT is                 */
    char *prefix;          /* discovery prefix, default "homeassistant" */
};

struct bridge_prom {
    bool enabled;          /* a [prometheus] section was given         */
    char *host;            /* listen address, default 127.0.0.1        */
    uint16_t port;         /* required                                 */
    unsigned line;         /* line of the section header               */
};

struct bridge_site {
    char name[BRIDGE_SITE_NAME_MAX + 1];
    char *host;            /* required                                 */
    uint16_t port;         /* 5033                                     */
    char *user;            /* required                                 */
    char *password;        /* secret; required (or password_file)      */
    char *password_file;
    char *key;             /* secret: the RSCP key; required (or key_file) */
    char *key_file;
    unsigned interval_ms;  /* poll interval, 1..3600 s, default 5 s    */
    unsigned timeout_ms;   /* per request, 100 ms..60 s, default 5 s   */
    uint32_t groups;       /* BRIDGE_GROUP_*, default all              */
    unsigned line;         /* line of the section header (0: not from a file) */
};

struct bridge_config {
    struct bridge_mqtt mqtt;
    struct bridge_ha ha;
    struct bridge_prom prom;
    struct bridge_site *sites;
    size_t nsites;
    size_t nshard;         /* the daemon's: sites[0..nshard) are its shard's */
};

/* Parse text[0..len) (need not be NUL-terminated) as a configuration file
 * named `file` in messages. Returns 0 with *out filled (free it with
 * bridge_config_free()), or -1 with one message in err[0..errcap)
 * ("FILE:LINE: ...") and *out empty. Secrets given as *_file are not read
 * here (see bridge_config_load()); their paths are checked to be set. */
int bridge_config_parse(const char *text, size_t len, const char *file, struct bridge_config *out, char *err,
                        size_t errcap);

/* Parse an rscp2mqtt `.config` (KEY=value lines, '#' comments) into one
 * site named "e3dc" with its MQTT settings. getenv_fn(name) (may be NULL)
 * gives environment values that win over the file, as in rscp2mqtt. Keys
 * rscp2mqtt documents but the bridge does not use are accepted; unknown
 * keys are errors. Same returns as bridge_config_parse(). */
int bridge_config_parse_rscp2mqtt(const char *text, size_t len, const char *file,
                                  const char *(*getenv_fn)(const char *name), struct bridge_config *out, char *err,
                                  size_t errcap);

/* Read and parse a file (rscp2mqtt form when r2m), then read the secrets of
 * every *_file key. Refuses a configuration or secret file that holds a
 * secret and that group or others may read, and files larger than
 * BRIDGE_CONFIG_MAX_BYTES / BRIDGE_SECRET_FILE_MAX (a secret file's content
 * up to its first line end is the secret). Each TLS file of [mqtt] must be
 * a regular file this process can read, and the private key one that
 * group and others may not access (messages name the file, the key and its
 * line). Same returns as bridge_config_parse(). */
int bridge_config_load(const char *path, bool r2m, struct bridge_config *out, char *err, size_t errcap);

/* One site named "e3dc" from the variables the rscp tool reads
 * (RSCP_HOST, RSCP_PORT, RSCP_USER, RSCP_PASSWORD, RSCP_KEY) and the
 * broker from MQTT_HOST, MQTT_PORT, MQTT_USER, MQTT_PASSWORD, PREFIX
 * (rscp2mqtt's names); without MQTT_HOST there is no MQTT. getenv_fn gives
 * the values. Same returns as bridge_config_parse(); messages name the
 * variable, never a secret's value. */
int bridge_config_from_env(char *(*getenv_fn)(const char *name), struct bridge_config *out, char *err,
                           size_t errcap);

/* Wipe the secrets and free everything; out is left empty. NULL accepted. */
void bridge_config_free(struct bridge_config *c);

/* The names of groups, comma-separated ("live,battery"), into buf. */
void bridge_groups_format(uint32_t groups, char *buf, size_t cap);

#endif
