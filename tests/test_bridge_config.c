/* The bridge's configuration reader (bridge/config.h): a full file, the
 * defaults, every kind of mistake with its line and key, secrets never in
 * messages, lines of any length; the rscp2mqtt form with the environment
 * winning; the loader's file-mode checks and secret files; the rscp2mqtt
 * key list against data/compat/rscp2mqtt-config-keys.tsv. */
#include "config.h"
#include "harness.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t bridge_r2m_key_count(void);
const char *bridge_r2m_key_name(size_t i);

static int parse(const char *text, struct bridge_config *c, char *err)
{
    return bridge_config_parse(text, strlen(text), "bridge.conf", c, err, 256);
}

/* The text fails with a message that contains want (and, when not NULL,
 * never contains secret). */
static void fails(const char *text, const char *want, const char *secret)
{
    struct bridge_config c;
    char err[256] = "";
    CHECK_INT(parse(text, &c, err), -1);
    if (!strstr(err, want)) {
        fprintf(stderr, "  message '%s' lacks '%s'\n", err, want);
        FAIL("message");
    }
    if (secret && strstr(err, secret))
        FAIL("a secret in the message");
    CHECK(c.sites == NULL && c.nsites == 0 && c.mqtt.host == NULL);
}

#define SITE "[site home]\nhost = 192.0.2.10\nuser = me@example.com\npassword = pw\nkey = rscpkey\n"

static void test_full(void)
{
    const char *text = "# the bridge\n"
                       "[mqtt]\n"
                       "host = broker.lan\n"
                       "port = 8883\n"
                       "user = bridge\n"
                       "password = \"  spaced # \\\"quoted\\\" \\\\ \"\n"
                       "qos = 1\n"
                       "keepalive = 30\n"
                       "tls_ca_file = /etc/ssl/ca.pem\n"
                       "prefix = home/e3dc\n"
                       "max_age = 600\n"
                       "\r\n"
                       "[homeassistant]\r\n"
                       "  prefix = ha  \n"
                       "; a comment\n"
                       "[prometheus]\n"
                       "listen = [::1]:9633\n"
                       "[site home]\n"
                       "host = 192.0.2.10\n"
                       "port = 5034\n"
                       "user = me@example.com\n"
                       "password_file = /run/secrets/home\n"
                       "key = k = with = equals\n"
                       "interval = 2\n"
                       "timeout = 3\n"
                       "groups = live, battery ,wallbox\n"
                       "[site cabin-2]\n"
                       "host = cabin.lan\n"
                       "user = u\n"
                       "password = p\n"
                       "key_file = /run/secrets/cabin.key\n";
    struct bridge_config c;
    char err[256] = "";
    CHECK_INT(parse(text, &c, err), 0);
    if (err[0])
        fprintf(stderr, "  %s\n", err);
    CHECK(c.mqtt.enabled);
    CHECK(strcmp(c.mqtt.host, "broker.lan") == 0);
    CHECK_INT(c.mqtt.port, 8883);
    CHECK(strcmp(c.mqtt.password, "  spaced # \"quoted\" \\ ") == 0);
    CHECK_INT(c.mqtt.qos, 1);
    CHECK_INT(c.mqtt.keepalive_s, 30);
    CHECK(c.mqtt.tls); /* a CA file turns TLS on */
    /* Where it was given, for the messages of the file checks at load. */
    CHECK_INT(c.mqtt.ca_at.line, 9);
    CHECK(c.mqtt.ca_at.key && strcmp(c.mqtt.ca_at.key, "tls_ca_file") == 0);
    CHECK_INT(c.mqtt.key_at.line, 0);
    CHECK(strcmp(c.mqtt.prefix, "home/e3dc") == 0);
    CHECK(strcmp(c.mqtt.client_id, "rscp-bridge") == 0);
    CHECK_INT(c.mqtt.max_age_s, 600);
    CHECK(c.ha.enabled);
    CHECK(strcmp(c.ha.prefix, "ha") == 0);
    CHECK(c.prom.enabled);
    CHECK(strcmp(c.prom.host, "::1") == 0);
    CHECK_INT(c.prom.port, 9633);
    CHECK_INT(c.nsites, 2);
    CHECK(strcmp(c.sites[0].name, "home") == 0);
    CHECK_INT(c.sites[0].port, 5034);
    CHECK(strcmp(c.sites[0].password_file, "/run/secrets/home") == 0);
    CHECK(c.sites[0].password == NULL);
    CHECK(strcmp(c.sites[0].key, "k = with = equals") == 0);
    CHECK_INT(c.sites[0].interval_ms, 2000);
    CHECK_INT(c.sites[0].timeout_ms, 3000);
    CHECK_INT(c.sites[0].groups, BRIDGE_GROUP_LIVE | BRIDGE_GROUP_BATTERY | BRIDGE_GROUP_WALLBOX);
    CHECK_INT(c.sites[0].line, 18);
    char g[128];
    bridge_groups_format(c.sites[0].groups, g, sizeof g);
    CHECK(strcmp(g, "live,battery,wallbox") == 0);
    CHECK(strcmp(c.sites[1].name, "cabin-2") == 0);
    CHECK_INT(c.sites[1].port, 5033);
    CHECK_INT(c.sites[1].interval_ms, 5000);
    CHECK_INT(c.sites[1].groups, BRIDGE_GROUP_ALL);
    bridge_config_free(&c);
    CHECK(c.sites == NULL);
    bridge_config_free(NULL);

    /* Minimal: MQTT defaults; Prometheus alone is enough too. */
    CHECK_INT(parse("[mqtt]\nhost=b\n" SITE, &c, err), 0);
    CHECK_INT(c.mqtt.port, 1883);
    CHECK(strcmp(c.mqtt.prefix, "e3dc") == 0);
    CHECK(c.ha.enabled && strcmp(c.ha.prefix, "homeassistant") == 0);
    CHECK(!c.mqtt.tls && !c.prom.enabled);
    bridge_config_free(&c);
    CHECK_INT(parse("[prometheus]\nlisten = :9100\n" SITE, &c, err), 0);
    CHECK(!c.mqtt.enabled && !c.ha.enabled);
    CHECK(strcmp(c.prom.host, "127.0.0.1") == 0);
    bridge_config_free(&c);
    CHECK_INT(parse("[mqtt]\nhost=b\n[homeassistant]\nenabled = off\n" SITE, &c, err), 0);
    CHECK(!c.ha.enabled);
    bridge_config_free(&c);
}

static void test_mistakes(void)
{
    fails("[mqtt]\nhost=b\n", "no [site NAME] section", NULL);
    fails(SITE, "nothing to publish to", NULL);
    fails("[mqtt]\nhost=b\n[nosuch]\n" SITE, "bridge.conf:3: unknown section [nosuch]", NULL);
    fails("[mqtt]\nhost=b\nhots=c\n" SITE, "bridge.conf:3: unknown key 'hots' in [mqtt]", NULL);
    fails("[mqtt]\nhost=b\nhost=c\n" SITE, "bridge.conf:3: key 'host' again", NULL);
    fails("[mqtt]\nhost=b\n[mqtt]\n" SITE, "bridge.conf:3: section [mqtt] again", NULL);
    fails("[mqtt]\nhost=b\n" SITE SITE, "site 'home' again (first at line 3)", NULL);
    fails("host=b\n", "bridge.conf:1: key 'host' outside a section", NULL);
    fails("[mqtt]\nhost b\n", "bridge.conf:2: expected 'key = value'", NULL);
    fails("[mqtt]\n= b\n", "a key is missing", NULL);
    fails("[mqtt\n", "must end with ']'", NULL);
    fails("[site]\n", "needs a name", NULL);
    fails("[site a/b]\n", "site name must be", NULL);
    fails("[mqtt]\nhost=b\nport=65536\n" SITE, "bridge.conf:3: key 'port': '65536' is not a whole number in 1..65535", NULL);
    fails("[mqtt]\nhost=b\nport=-1\n" SITE, "key 'port'", NULL);
    fails("[mqtt]\nhost=b\nqos=3\n" SITE, "key 'qos': '3' is not a whole number in 0..2", NULL);
    fails("[mqtt]\nhost=b\ntls=maybe\n" SITE, "key 'tls': 'maybe' is not true/false", NULL);
    fails("[mqtt]\nhost=b\nprefix=a/#\n" SITE, "key 'prefix': 'a/#' is not a topic prefix", NULL);
    fails("[mqtt]\nhost=b\nprefix=/a\n" SITE, "is not a topic prefix", NULL);
    fails("[mqtt]\nhost=b\nprefix=a//b\n" SITE, "is not a topic prefix", NULL);
    fails("[mqtt]\nhost=\n" SITE, "key 'host': empty value", NULL);
    fails("[mqtt]\nport=1\n" SITE, "[mqtt]: key 'host' is required", NULL);
    fails("[mqtt]\nhost=b\npassword=x\n" SITE, "a password needs 'user'", NULL);
    fails("[mqtt]\nhost=b\ntls_cert_file=/c\n" SITE, "go together", NULL);
    fails("[prometheus]\n" SITE, "[prometheus]: key 'listen' is required", NULL);
    fails("[prometheus]\nlisten = ::1:80\n" SITE, "is not HOST:PORT", NULL);
    fails("[prometheus]\nlisten = host\n" SITE, "is not HOST:PORT", NULL);
    fails("[prometheus]\nlisten = h:0\n" SITE, "is not a whole number in 1..65535", NULL);
    fails("[mqtt]\nhost=b\n[site x]\nhost=h\nuser=u\nkey=k\n", "bridge.conf:3: [site x]: 'password' or 'password_file' is required", NULL);
    fails("[mqtt]\nhost=b\n[site x]\nhost=h\nuser=u\npassword=p\npassword_file=/f\nkey=k\n", "both given", NULL);
    fails("[mqtt]\nhost=b\n[site x]\nuser=u\npassword=p\nkey=k\n", "[site x]: key 'host' is required", NULL);
    fails("[mqtt]\nhost=b\n" SITE "interval=0\n", "key 'interval': '0' is not a whole number in 1..3600", NULL);
    fails("[mqtt]\nhost=b\n" SITE "groups=live,foo\n", "unknown group 'foo'", NULL);
    fails("[mqtt]\nhost=b\n" SITE "groups=\n", "unknown group ''", NULL);
    fails("[mqtt]\nhost=b\nuser=u\npassword=\"open\n" SITE, "must end with '\"'", NULL);
    fails("[mqtt]\nhost=b\nuser=u\npassword=\"a\\nb\"\n" SITE, "only \\\" and \\\\ are escapes", NULL);
    fails("[mqtt]\nhost=b\nuser=u\npassword=\"a\"b\"\n" SITE, "must be written", NULL);
    /* Secrets: a bad secret value is never quoted. */
    fails("[mqtt]\nhost=b\n[site x]\nhost=h\nuser=u\npassword=SECRETPW\001\nkey=k\n", "control character", "SECRETPW");
    fails("[mqtt]\nhost=b\nuser=u\npassword=\"SECRETPW\n" SITE, "password", "SECRETPW");
    /* A NUL byte, named with its line. */
    struct bridge_config c;
    char err[256];
    const char nul[] = "[mqtt]\nhost=b\0c\n";
    CHECK_INT(bridge_config_parse(nul, sizeof nul - 1, "f", &c, err, sizeof err), -1);
    CHECK(strstr(err, "f:2: a NUL byte") != NULL);
    /* A tiny message buffer is no problem. */
    char small[8];
    CHECK_INT(bridge_config_parse("[x]", 3, "f", &c, small, sizeof small), -1);
    CHECK(strlen(small) < sizeof small);
}

static void test_long_lines(void)
{
    /* A 100,000-byte password on one line is read whole. */
    size_t n = 100000;
    char *text = malloc(n + 200);
    char *p = text;
    p += sprintf(p, "[mqtt]\nhost=b\n[site x]\nhost=h\nuser=u\nkey=k\npassword=");
    memset(p, 'a', n);
    p += n;
    strcpy(p, "\n");
    struct bridge_config c;
    char err[256] = "";
    CHECK_INT(bridge_config_parse(text, strlen(text), "f", &c, err, sizeof err), 0);
    CHECK_INT(c.nsites == 1 ? strlen(c.sites[0].password) : 0, n);
    bridge_config_free(&c);
    free(text);
}

static const char *fake_env(const char *name)
{
    if (strcmp(name, "E3DC_IP") == 0)
        return " 192.0.2.99 ";
    if (strcmp(name, "INTERVAL") == 0)
        return "10";
    return NULL;
}

static const char *bad_env(const char *name)
{
    return strcmp(name, "E3DC_PASSWORD") == 0 ? "" : NULL;
}

static void test_rscp2mqtt(void)
{
    const char *text = "# rscp2mqtt\n"
                       "E3DC_IP=192.0.2.10\n"
                       "E3DC_PORT=5033\n"
                       "E3DC_USER=me@example.com\n"
                       "E3DC_PASSWORD=portal pw\n"
                       "E3DC_AES_PASSWORD=rscpkey\n"
                       "MQTT_HOST=localhost\n"
                       "MQTT_PORT=1884\n"
                       "MQTT_AUTH=true\n"
                       "MQTT_USER=mq\n"
                       "MQTT_PASSWORD=mqpw\n"
                       "PREFIX=s10\n"
                       "INTERVAL=1\n"
                       "WALLBOX=false\n"
                       "DCB_REQUESTS=false\n"
                       "PM_INDEX=0\n"
                       "PM_INDEX=6\n"
                       "FORCE_PUB=e3dc/battery/soc\n"
                       "LOGFILE=/tmp/rscp2mqtt.log\n"
                       "INFLUXDB_HOST=\n";
    struct bridge_config c;
    char err[256] = "";
    CHECK_INT(bridge_config_parse_rscp2mqtt(text, strlen(text), ".config", NULL, &c, err, sizeof err), 0);
    if (err[0])
        fprintf(stderr, "  %s\n", err);
    CHECK_INT(c.nsites, 1);
    CHECK(c.nsites == 1 && strcmp(c.sites[0].name, "e3dc") == 0);
    CHECK(c.nsites == 1 && strcmp(c.sites[0].host, "192.0.2.10") == 0);
    CHECK(c.nsites == 1 && strcmp(c.sites[0].password, "portal pw") == 0);
    CHECK(c.nsites == 1 && strcmp(c.sites[0].key, "rscpkey") == 0);
    CHECK_INT(c.nsites == 1 ? c.sites[0].interval_ms : 0, 1000);
    CHECK_INT(c.nsites == 1 ? c.sites[0].groups : 0, BRIDGE_GROUP_ALL & ~(BRIDGE_GROUP_WALLBOX | BRIDGE_GROUP_DCB));
    CHECK(c.mqtt.enabled && strcmp(c.mqtt.host, "localhost") == 0);
    CHECK_INT(c.mqtt.port, 1884);
    CHECK(c.mqtt.user && strcmp(c.mqtt.user, "mq") == 0);
    CHECK(c.mqtt.prefix && strcmp(c.mqtt.prefix, "s10") == 0);
    CHECK(c.ha.enabled); /* discovery on by default here too */
    bridge_config_free(&c);

    /* The environment wins; credentials only with MQTT_AUTH. */
    const char *noauth = "E3DC_IP=h\nE3DC_USER=u\nE3DC_PASSWORD=p\nE3DC_AES_PASSWORD=k\nMQTT_HOST=b\nMQTT_USER=mq\n"
                         "MQTT_PASSWORD=x\n";
    CHECK_INT(bridge_config_parse_rscp2mqtt(noauth, strlen(noauth), ".config", fake_env, &c, err, sizeof err), 0);
    CHECK(c.nsites == 1 && strcmp(c.sites[0].host, "192.0.2.99") == 0);
    CHECK_INT(c.nsites == 1 ? c.sites[0].interval_ms : 0, 10000);
    CHECK(c.mqtt.user == NULL && c.mqtt.password == NULL);
    bridge_config_free(&c);

    CHECK_INT(bridge_config_parse_rscp2mqtt(noauth, strlen(noauth), ".config", bad_env, &c, err, sizeof err), -1);
    CHECK(strstr(err, "environment E3DC_PASSWORD") != NULL);
    const char *unknown = "E3DC_IP=h\nE3DC_HOST=x\n";
    CHECK_INT(bridge_config_parse_rscp2mqtt(unknown, strlen(unknown), ".config", NULL, &c, err, sizeof err), -1);
    CHECK(strstr(err, ".config:2: unknown key E3DC_HOST") != NULL);
    const char *twice = "E3DC_IP=h\nE3DC_IP=i\n";
    CHECK_INT(bridge_config_parse_rscp2mqtt(twice, strlen(twice), ".config", NULL, &c, err, sizeof err), -1);
    CHECK(strstr(err, ".config:2: key E3DC_IP again (first at line 1)") != NULL);
    const char *nompt = "E3DC_IP=h\nE3DC_USER=u\nE3DC_PASSWORD=p\nE3DC_AES_PASSWORD=k\n";
    CHECK_INT(bridge_config_parse_rscp2mqtt(nompt, strlen(nompt), ".config", NULL, &c, err, sizeof err), -1);
    CHECK(strstr(err, "nothing to publish to") != NULL);
    const char *badport = "E3DC_PORT=x\n";
    CHECK_INT(bridge_config_parse_rscp2mqtt(badport, strlen(badport), ".config", NULL, &c, err, sizeof err), -1);
    CHECK(strstr(err, ".config:1: key 'E3DC_PORT'") != NULL);
    const char *badpw = "E3DC_PASSWORD=TOPSECRET\x01\n";
    CHECK_INT(bridge_config_parse_rscp2mqtt(badpw, strlen(badpw), ".config", NULL, &c, err, sizeof err), -1);
    CHECK(strstr(err, "TOPSECRET") == NULL);
}

/* The key list is rscp2mqtt's documented one (each key once). */
static void test_r2m_keys(void)
{
    size_t len;
    uint8_t *tsv = th_read_file(th_source_path("data/compat/rscp2mqtt-config-keys.tsv"), &len);
    CHECK(tsv != NULL);
    if (!tsv)
        return;
    char *text = malloc(len + 1); /* the file as a string */
    CHECK(text != NULL);
    if (!text) {
        free(tsv);
        return;
    }
    memcpy(text, tsv, len);
    text[len] = '\0';
    size_t found = 0, lines = 0;
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (lines++ == 0)
            continue; /* header */
        char *tab = strchr(l, '\t');
        if (tab)
            *tab = '\0';
        bool known = false;
        for (size_t i = 0; i < bridge_r2m_key_count(); i++)
            known = known || strcmp(bridge_r2m_key_name(i), l) == 0;
        if (!known)
            fprintf(stderr, "  key %s of the TSV is not in the bridge's list\n", l);
        CHECK(known);
        found++;
    }
    /* The TSV lists repeatable keys once per example line. */
    CHECK(found >= bridge_r2m_key_count());
    for (size_t i = 0; i < bridge_r2m_key_count(); i++)
        for (size_t j = i + 1; j < bridge_r2m_key_count(); j++)
            CHECK(strcmp(bridge_r2m_key_name(i), bridge_r2m_key_name(j)) != 0);
    free(text);
    free(tsv);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    CHECK_INT(chmod(path, mode), 0);
}

static void test_load(void)
{
    char dir[] = "/tmp/rscp_bridge_cfgXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char conf[512], pw[512], key[512], text[2048], err[512];
    snprintf(conf, sizeof conf, "%s/bridge.conf", dir);
    snprintf(pw, sizeof pw, "%s/pw", dir);
    snprintf(key, sizeof key, "%s/key", dir);
    struct bridge_config c;

    /* Secrets in files of their own: the config may be readable. */
    snprintf(text, sizeof text,
             "[mqtt]\nhost=b\n[site home]\nhost=h\nuser=u\npassword_file=%s\nkey_file=%s\n", pw, key);
    write_file(conf, text, 0644);
    write_file(pw, "file password\nsecond line ignored\n", 0600);
    write_file(key, "file key", 0400);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), 0);
    CHECK(c.nsites == 1 && c.sites[0].password && strcmp(c.sites[0].password, "file password") == 0);
    CHECK(c.nsites == 1 && c.sites[0].key && strcmp(c.sites[0].key, "file key") == 0);
    bridge_config_free(&c);

    /* A secret file others may read is refused. */
    write_file(pw, "file password\n", 0640);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), -1);
    CHECK(strstr(err, "others may read it (mode 0640)") != NULL);
    CHECK(strstr(err, "file password") == NULL);
    write_file(pw, "\n", 0600);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), -1);
    CHECK(strstr(err, "empty first line") != NULL);
    unlink(pw);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), -1);
    CHECK(strstr(err, "cannot open") != NULL);

    /* Inline secrets: only in a file nobody else may read. */
    write_file(conf, "[mqtt]\nhost=b\n" SITE, 0644);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), -1);
    CHECK(strstr(err, "holds secrets and others may read it (mode 0644)") != NULL);
    CHECK(strstr(err, "rscpkey") == NULL);
    CHECK_INT(chmod(conf, 0600), 0);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), 0);
    bridge_config_free(&c);

    /* The rscp2mqtt form through the loader. */
    write_file(conf, "E3DC_IP=h\nE3DC_USER=u\nE3DC_PASSWORD=p\nE3DC_AES_PASSWORD=k\nMQTT_HOST=b\n", 0644);
    CHECK_INT(bridge_config_load(conf, true, &c, err, sizeof err), -1);
    CHECK(strstr(err, "mode 0644") != NULL);
    CHECK_INT(chmod(conf, 0600), 0);
    CHECK_INT(bridge_config_load(conf, true, &c, err, sizeof err), 0);
    bridge_config_free(&c);

    /* Not a file; missing. */
    CHECK_INT(bridge_config_load(dir, false, &c, err, sizeof err), -1);
    CHECK(strstr(err, "not a regular file") != NULL);
    unlink(conf);
    CHECK_INT(bridge_config_load(conf, false, &c, err, sizeof err), -1);
    CHECK(strstr(err, "cannot open") != NULL);
    unlink(key);
    rmdir(dir);
}

int main(void)
{
    test_full();
    test_mistakes();
    test_long_lines();
    test_rscp2mqtt();
    test_r2m_keys();
    test_load();
    return th_finish();
}
