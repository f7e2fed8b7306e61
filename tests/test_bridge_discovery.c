/* The bridge's Home Assistant discovery (bridge/discovery.h): snapshots
 * read from the simulator on every plant shape (s10e, s10mini, s10pro),
 * their configs dumped and checked by tests/ha_discovery_check.py (keys,
 * device and state classes, units, unique ids, state topics the table
 * produces, availability), the validator failing on broken configs, the
 * model from the serial, node ids and the clearing filter, the groups and
 * the wallbox deciding which command entities there are. */
#include "harness.h"

#include "../sim/sim_all.inc"
#include "sim_testlib.h"

#include "command.h"
#include "config.h"
#include "discovery.h"
#include "discovery_internal.h"
#include "snapshot.h"
#include "topics.h"

#include "rscp/api.h"
#include "rscp/client.h"
#include "rscp/plant.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a small topic table for this test until bridge/topics.c exists */
#ifndef RSCP_BRIDGE_TOPIC_TABLE

static const struct bridge_topic_meta m_pv = {"Solar power", "W", "power", "measurement", NULL, NULL, 1, 0,
                                               BRIDGE_GROUP_LIVE, false};
static const struct bridge_topic_meta m_soc = {"Battery SOC", "%", "battery", "measurement", NULL, NULL, 0.01, 0,
                                                BRIDGE_GROUP_LIVE, false};
static const struct bridge_topic_meta m_bat_v = {"Battery voltage", "V", "voltage", "measurement", "battery", NULL,
                                                  1, 0, BRIDGE_GROUP_BATTERY, false};
static const struct bridge_topic_meta m_bat_t = {"Battery temperature max", "°C", "temperature", "measurement",
                                                  "battery", NULL, 1, 0, BRIDGE_GROUP_BATTERY, true};
static const struct bridge_topic_meta m_wb_e = {"Wallbox energy total", "Wh", "energy", "total_increasing",
                                                 "wallbox", NULL, 1, 0, BRIDGE_GROUP_WALLBOX, false};
static const struct bridge_topic_meta m_wb_sun = {"Wallbox sun mode", NULL, NULL, NULL, "wallbox", NULL, 1, 0,
                                                   BRIDGE_GROUP_WALLBOX, false};
static const struct bridge_topic_meta m_weather = {"Weather regulation", NULL, NULL, NULL, NULL, NULL, 1, 0,
                                                    BRIDGE_GROUP_SETTINGS, false};
static const struct bridge_topic_meta m_max_c = {"Max charge power", "W", "power", "measurement", NULL, NULL, 1, 0,
                                                  BRIDGE_GROUP_SETTINGS, false};
static const struct bridge_topic_meta m_sw = {"Software release", NULL, NULL, NULL, NULL, NULL, 1, 0,
                                               BRIDGE_GROUP_LIVE, true};

static size_t stub_n;
static void stub_num(bridge_value_fn fn, void *ctx, const char *topic, double v, int unit,
                     const struct bridge_topic_meta *m)
{
    struct bridge_value val;
    memset(&val, 0, sizeof val);
    snprintf(val.topic, sizeof val.topic, "%s", topic);
    val.kind = BRIDGE_VAL_NUMBER;
    val.number = v;
    val.decimals = 1;
    val.unit_index = unit;
    val.meta = m;
    fn(ctx, &val);
    stub_n++;
}

static void stub_other(bridge_value_fn fn, void *ctx, const char *topic, int kind, bool flag, const char *text,
                       int unit, const struct bridge_topic_meta *m)
{
    struct bridge_value val;
    memset(&val, 0, sizeof val);
    snprintf(val.topic, sizeof val.topic, "%s", topic);
    val.kind = kind;
    val.flag = flag;
    val.text = text;
    val.unit_index = unit;
    val.meta = m;
    fn(ctx, &val);
    stub_n++;
}

size_t bridge_topics_each(const struct bridge_snapshot *s, uint32_t groups, bridge_value_fn fn, void *ctx)
{
    stub_n = 0;
    char t[BRIDGE_TOPIC_SUFFIX_MAX];
    if ((groups & BRIDGE_GROUP_LIVE) && (s->have & BRIDGE_HAVE_LIVE)) {
        if (s->live.present & RSCP_LIVE_PV)
            stub_num(fn, ctx, "solar/power", (double)s->live.pv, -1, &m_pv);
        if (s->live.present & RSCP_LIVE_SOC)
            stub_num(fn, ctx, "battery/soc", s->live.soc, -1, &m_soc);
    }
    if ((groups & BRIDGE_GROUP_LIVE) && (s->have & BRIDGE_HAVE_INFO) && (s->info.present & RSCP_INFO_SW_RELEASE))
        stub_other(fn, ctx, "system/software", BRIDGE_VAL_STRING, false, s->info.sw_release, -1, &m_sw);
    for (int i = 0; (groups & BRIDGE_GROUP_BATTERY) && (s->have & BRIDGE_HAVE_BATTERY) && i < (int)RSCP_BAT_MAX_STRINGS;
         i++) {
        if (!(s->bat_ok & (1u << i)))
            continue;
        snprintf(t, sizeof t, "battery/%d/voltage", i + 1);
        stub_num(fn, ctx, t, s->bat[i].voltage, i, &m_bat_v);
        snprintf(t, sizeof t, "battery/%d/temperature/max", i + 1);
        stub_num(fn, ctx, t, s->bat[i].temp_max, i, &m_bat_t);
    }
    for (int i = 0; (groups & BRIDGE_GROUP_WALLBOX) && (s->have & BRIDGE_HAVE_WALLBOX) && i < (int)RSCP_WB_MAX_WALLBOXES;
         i++) {
        if (!(s->wb_ok & (1u << i)))
            continue;
        stub_num(fn, ctx, "wallbox/energy/total", s->wb[i].energy_all, i, &m_wb_e);
        stub_other(fn, ctx, "wallbox/sun_mode", BRIDGE_VAL_BOOL, s->wb[i].sun_mode, NULL, i, &m_wb_sun);
    }
    if ((groups & BRIDGE_GROUP_SETTINGS) && (s->have & BRIDGE_HAVE_SETTINGS)) {
        stub_other(fn, ctx, "ems/weather_regulation", BRIDGE_VAL_BOOL, s->settings.weather_regulated, NULL, -1,
                   &m_weather);
        stub_num(fn, ctx, "ems/max_charge/power", s->settings.max_charge, -1, &m_max_c);
    }
    return stub_n;
}

size_t bridge_value_payload(const struct bridge_value *v, char *buf, size_t cap)
{
    int n = v->kind == BRIDGE_VAL_BOOL     ? snprintf(buf, cap, "%s", v->flag ? "true" : "false")
            : v->kind == BRIDGE_VAL_STRING ? snprintf(buf, cap, "%s", v->text)
                                           : snprintf(buf, cap, "%.*f", v->decimals, v->number);
    return n < 0 ? 0 : (size_t)n;
}

#endif

/* ---- snapshots from the simulator --------------------------------------- */

/* One poll as the daemon makes it: info, plant, specs, settings, reserve,
 * then the live values and every unit. */
static void read_snapshot_of(const char *model, unsigned wallboxes, struct bridge_snapshot *s)
{
    memset(s, 0, sizeof *s);
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 11;
    o.model = model;
    o.wallboxes = wallboxes;
    o.start = 1750000000.0; /* a June noon in Europe: sun on every tracker */
    o.speed = 1e-9;
    struct sim_handle *h;
    uint16_t port;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    rscp_client *c = connect_sim(port);
    struct rscp_builder b;
    struct rscp_frame f;
    uint32_t derr = 0;

    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_info_request(&b), 0);
    CHECK_INT(rscp_plant_request(&b), 0);
    CHECK_INT(rscp_sys_specs_request(&b), 0);
    CHECK_INT(rscp_power_settings_request(&b), 0);
    CHECK_INT(rscp_ep_reserve_request(&b), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    CHECK_INT(rscp_info_parse(&f, &s->info), 0);
    CHECK_INT(rscp_plant_parse(&f, &s->plant), 0);
    CHECK_INT(rscp_sys_specs_parse(&f, &s->specs, &derr), 0);
    CHECK_INT(rscp_power_settings_parse(&f, &s->settings, &derr), 0);
    CHECK_INT(rscp_ep_reserve_parse(&f, &s->reserve, &derr), 0);
    s->have |= BRIDGE_HAVE_INFO | BRIDGE_HAVE_PLANT | BRIDGE_HAVE_SPECS | BRIDGE_HAVE_SETTINGS |
               BRIDGE_HAVE_RESERVE;

    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_live_request(&b), 0);
    CHECK_INT(rscp_plant_units_request(&b, &s->plant, RSCP_PLANT_REQ_BATTERIES | RSCP_PLANT_REQ_PVI |
                                                          RSCP_PLANT_REQ_METERS | RSCP_PLANT_REQ_WALLBOXES),
              0);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    CHECK_INT(rscp_live_parse(&f, &s->live), 0);
    s->have |= BRIDGE_HAVE_LIVE | BRIDGE_HAVE_BATTERY | BRIDGE_HAVE_PV | BRIDGE_HAVE_METERS | BRIDGE_HAVE_WALLBOX;
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++)
        if ((s->plant.batteries & (1u << i)) && rscp_battery_parse(&f, i, &s->bat[i]) == 0)
            s->bat_ok |= 1u << i;
    for (unsigned i = 0; i < RSCP_PVI_MAX_INVERTERS; i++)
        if ((s->plant.inverters & (1u << i)) && rscp_pvi_parse(&f, i, &s->pvi[i]) == 0)
            s->pvi_ok |= 1u << i;
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++)
        if ((s->plant.meters & (1u << i)) && rscp_pm_parse(&f, i, &s->pm[i]) == 0)
            s->pm_ok |= 1u << i;
    for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES; i++)
        if ((s->plant.wallboxes & (1u << i)) && rscp_wallbox_parse(&f, i, &s->wb[i]) == 0)
            s->wb_ok |= 1u << i;
    CHECK(s->bat_ok != 0);
    rscp_client_free(c);
    sim_stop(h);
}

static void read_snapshot(const char *model, struct bridge_snapshot *s)
{
    read_snapshot_of(model, 0, s);
}

/* ---- dumps and the validator -------------------------------------------- */

#define DUMP_TOPICS 4096u /* config topics kept (the real table has many values) */
struct dump {
    FILE *f;
    size_t n;
    char topics[DUMP_TOPICS][BRIDGE_DISCOVERY_TOPIC_MAX];
    size_t ntopics;
    bool all_json_ok;
};

static void on_config(void *ctx, const char *topic, const char *json, size_t len)
{
    struct dump *d = ctx;
    d->all_json_ok &= strlen(json) == len && len > 0 && json[0] == '{' && json[len - 1] == '}' &&
                      strchr(json, '\n') == NULL;
    fprintf(d->f, "C %s %s\n", topic, json);
    if (d->ntopics < DUMP_TOPICS)
        snprintf(d->topics[d->ntopics++], BRIDGE_DISCOVERY_TOPIC_MAX, "%s", topic);
    d->n++;
}

struct topic_list {
    size_t n, same;
    const struct dump *d;
};

static void on_topic(void *ctx, const char *topic)
{
    struct topic_list *t = ctx;
    if (t->n < t->d->ntopics && strcmp(t->d->topics[t->n], topic) == 0)
        t->same++;
    t->n++;
}

struct state_ctx {
    FILE *f;
    const char *prefix;
};

static void on_state(void *ctx, const struct bridge_value *v)
{
    struct state_ctx *s = ctx;
    fprintf(s->f, "S %s/%s\n", s->prefix, v->topic);
}

static int validate(const char *path)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "python3 %s/tests/ha_discovery_check.py %s", RSCP_SOURCE_DIR, path);
    int rc = system(cmd);
    return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Dump the configs of s with groups into path; returns the count. */
static size_t dump_site(const struct bridge_discovery_site *ds, const struct bridge_snapshot *s, uint32_t groups,
                        const char *path, struct dump *d, const char *extra)
{
    memset(d, 0, sizeof *d);
    d->all_json_ok = true;
    d->f = fopen(path, "w");
    CHECK(d->f != NULL);
    fprintf(d->f, "P %s\nD %s\nB %s\n", ds->prefix, ds->disc_prefix, ds->bridge_status);
    struct state_ctx sc = {d->f, ds->prefix};
    bridge_topics_each(s, groups, on_state, &sc);
    size_t n = bridge_discovery_each(ds, s, groups, on_config, d);
    if (extra)
        fputs(extra, d->f);
    fclose(d->f);
    CHECK_INT(n, d->n);
    CHECK(d->all_json_ok);
    return n;
}

static bool dump_has(const struct dump *d, const char *needle)
{
    for (size_t i = 0; i < d->ntopics; i++)
        if (strstr(d->topics[i], needle))
            return true;
    return false;
}

static char path[] = "/tmp/rscp_discoveryXXXXXX";

static void test_models_in_sim(void)
{
    static const char *models[] = {"s10e", "s10mini", "s10pro"};
    struct bridge_discovery_site ds = {"home", "e3dc", "homeassistant", "e3dc/bridge/status", NULL};
    static struct bridge_snapshot s;
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
        fprintf(stderr, "model %s\n", models[m]);
        read_snapshot(models[m], &s);
        static struct dump d;
        size_t n = dump_site(&ds, &s, BRIDGE_GROUP_ALL, path, &d, NULL);
        CHECK(n > 10);
        CHECK_INT(validate(path), 0);
        bool wallbox = s.plant.wallboxes != 0;
        CHECK_INT(wallbox, strcmp(models[m], "s10mini") != 0);
        CHECK_INT(dump_has(&d, "/button/"), wallbox);
        CHECK_INT(dump_has(&d, "set_wallbox_max_current"), wallbox);
        CHECK(dump_has(&d, "homeassistant/select/"));
        CHECK(dump_has(&d, "homeassistant/sensor/"));
        CHECK(dump_has(&d, "homeassistant/binary_sensor/"));
        CHECK(dump_has(&d, "/set_max_charge_power/config"));

        /* The clearing list is the same topics in the same order. */
        struct topic_list tl = {0, 0, &d};
        CHECK_INT(bridge_discovery_topics(&ds, &s, BRIDGE_GROUP_ALL, on_topic, &tl), n);
        CHECK_INT(tl.same, n < DUMP_TOPICS ? n : DUMP_TOPICS);

        /* Without the settings and wallbox groups: no such commands. */
        n = dump_site(&ds, &s, BRIDGE_GROUP_LIVE | BRIDGE_GROUP_BATTERY, path, &d, NULL);
        CHECK_INT(validate(path), 0);
        CHECK(!dump_has(&d, "set_max_charge_power"));
        CHECK(!dump_has(&d, "set_wallbox"));
        CHECK(dump_has(&d, "set_power_mode"));
    }

    /* Several sites: the prefix holds the site, availability follows. */
    struct bridge_discovery_site two = {"cabin-2", "e3dc/cabin-2", "ha", "e3dc/bridge/status", "9.9"};
    static struct dump d;
    dump_site(&two, &s, BRIDGE_GROUP_ALL, path, &d, NULL);
    CHECK_INT(validate(path), 0);
}

/* The configs of one site, checked in detail. */
static void capture(void *ctx, const char *topic, const char *json, size_t len)
{
    (void)len;
    char *buf = ctx;
    if (strstr(topic, "/sensor/") && strstr(topic, "/solar_power/config"))
        snprintf(buf, 4096, "%s", json);
    if (strstr(topic, "/select/") && strstr(topic, "/set_power_mode/config"))
        snprintf(buf + 4096, 4096, "%s", json);
    if (strstr(topic, "/sensor/") && strstr(topic, "/battery_1_voltage/config"))
        snprintf(buf + 8192, 4096, "%s", json);
}

static void test_config_contents(void)
{
    static struct bridge_snapshot s;
    memset(&s, 0, sizeof s);
    s.have = BRIDGE_HAVE_INFO | BRIDGE_HAVE_LIVE | BRIDGE_HAVE_BATTERY;
    snprintf(s.info.serial, sizeof s.info.serial, "S10-721234567890");
    snprintf(s.info.sw_release, sizeof s.info.sw_release, "S10_2024_04 \"x\"");
    s.info.present = RSCP_INFO_SERIAL | RSCP_INFO_SW_RELEASE;
    s.live.pv = 1234;
    s.live.present = RSCP_LIVE_PV;
    s.bat_ok = 1;
    s.bat[0].voltage = 51.2;
    struct bridge_discovery_site ds = {"Home", "e3dc", "homeassistant", "e3dc/bridge/status", "1.2.3"};
    static char buf[3 * 4096];
    memset(buf, 0, sizeof buf);
    CHECK(bridge_discovery_each(&ds, &s, BRIDGE_GROUP_ALL, capture, buf) > 0);
    const char *pv = buf, *mode = buf + 4096, *bat = buf + 8192;
    /* The plant's device, the origin and the availability in every config. */
    CHECK(strstr(mode, "\"dev\":{\"ids\":[\"S10-721234567890\"],\"name\":\"Home\",\"mf\":\"E3/DC\","
                       "\"mdl\":\"S10 E\",\"sn\":\"S10-721234567890\"") != NULL);
    CHECK(strstr(mode, "\"sw\":\"S10_2024_04 \\\"x\\\"\"") != NULL);
    CHECK(strstr(mode, "\"o\":{\"name\":\"rscp-bridge\",\"sw\":\"1.2.3\"}") != NULL);
    CHECK(strstr(mode, "\"avty\":[{\"t\":\"e3dc/status\"},{\"t\":\"e3dc/bridge/status\"}],\"avty_mode\":\"all\"") !=
          NULL);
    CHECK(strstr(mode, "\"uniq_id\":\"S10-721234567890_set_power_mode\"") != NULL);
    CHECK(strstr(mode, "\"default_entity_id\":\"select.e3dc_home_set_power_mode\"") != NULL);
#ifndef RSCP_BRIDGE_TOPIC_TABLE /* the values of this test's table */
    CHECK(strstr(pv, "\"stat_t\":\"e3dc/solar/power\"") != NULL);
    CHECK(strstr(pv, "\"uniq_id\":\"S10-721234567890_solar_power\"") != NULL);
    CHECK(strstr(pv, "\"default_entity_id\":\"sensor.e3dc_home_solar_power\"") != NULL);
    CHECK(strstr(pv, "\"unit_of_meas\":\"W\",\"stat_cla\":\"measurement\"") != NULL);
    CHECK(strstr(pv, "\"dev_cla\":\"power\"") != NULL);
    /* The battery string is a device of its own, under the plant. */
    CHECK(strstr(bat, "\"ids\":[\"S10-721234567890_battery_0\"]") != NULL);
    CHECK(strstr(bat, "\"via_device\":\"S10-721234567890\"") != NULL);
    CHECK(strstr(bat, "\"name\":\"Home battery 1\"") != NULL);
#else
    (void)pv;
    (void)bat;
#endif
    /* The power mode select sends rscp2mqtt's payloads with the watts. */
    CHECK(strstr(mode, "\"cmd_t\":\"e3dc/set/power_mode\"") != NULL);
    CHECK(strstr(mode, "\"ops\":[\"auto\",\"idle\",\"charge\",\"discharge\",\"grid_charge\"]") != NULL);
    CHECK(strstr(mode, "states('number.e3dc_home_set_power_mode_watts')") != NULL);

    /* No serial: nothing to announce. */
    s.info.present = 0;
    CHECK_INT(bridge_discovery_each(&ds, &s, BRIDGE_GROUP_ALL, capture, buf), 0);
    s.have = 0;
    CHECK_INT(bridge_discovery_each(&ds, &s, BRIDGE_GROUP_ALL, capture, buf), 0);
}

/* The validator refuses what Home Assistant would refuse or what the
 * bridge would publish wrongly. */
static void test_validator_fails(void)
{
    static struct bridge_snapshot s;
    read_snapshot("s10e", &s);
    struct bridge_discovery_site ds = {"home", "e3dc", "homeassistant", "e3dc/bridge/status", NULL};
    static struct dump d;
    static const char *broken[] = {
        /* energy as a measurement: not in the Energy dashboard */
        "C homeassistant/sensor/x/bad1/config {\"name\":\"E\",\"uniq_id\":\"bad1\",\"stat_t\":\"e3dc/solar/power\","
        "\"dev_cla\":\"energy\",\"stat_cla\":\"measurement\",\"unit_of_meas\":\"kWh\",\"dev\":{\"ids\":[\"x\"],"
        "\"name\":\"x\"},\"o\":{\"name\":\"t\"},\"avty\":[{\"t\":\"e3dc/status\"},{\"t\":\"e3dc/bridge/status\"}],"
        "\"avty_mode\":\"all\"}\n",
        /* a state topic the table does not produce */
        "C homeassistant/sensor/x/bad2/config {\"name\":\"E\",\"uniq_id\":\"bad2\",\"stat_t\":\"e3dc/nothing\","
        "\"dev\":{\"ids\":[\"x\"],\"name\":\"x\"},\"o\":{\"name\":\"t\"},\"avty\":[{\"t\":\"e3dc/status\"},"
        "{\"t\":\"e3dc/bridge/status\"}],\"avty_mode\":\"all\"}\n",
        /* a unique id twice (the first config of a real dump has it too) */
        NULL,
        /* power in kWh, availability only from the site, a typo'd key */
        "C homeassistant/sensor/x/bad4/config {\"name\":\"P\",\"uniq_id\":\"bad4\",\"stat_t\":\"e3dc/solar/power\","
        "\"dev_cla\":\"power\",\"unit_of_meas\":\"kWh\",\"dev\":{\"ids\":[\"x\"],\"name\":\"x\"},\"o\":{\"name\":"
        "\"t\"},\"avty\":[{\"t\":\"e3dc/status\"}],\"avty_mode\":\"all\"}\n",
        "C homeassistant/sensor/x/bad5/config {\"name\":\"P\",\"uniq_id\":\"bad5\",\"stat_topic\":\"e3dc/solar/power\","
        "\"dev\":{\"ids\":[\"x\"],\"name\":\"x\"},\"o\":{\"name\":\"t\"},\"avty\":[{\"t\":\"e3dc/status\"},"
        "{\"t\":\"e3dc/bridge/status\"}],\"avty_mode\":\"all\"}\n",
        /* a binary sensor on ON/OFF, not the table's true/false */
        "C homeassistant/binary_sensor/x/bad6/config {\"name\":\"B\",\"uniq_id\":\"bad6\",\"stat_t\":"
        "\"e3dc/solar/power\",\"dev\":{\"ids\":[\"x\"],\"name\":\"x\"},\"o\":{\"name\":\"t\"},\"avty\":[{\"t\":"
        "\"e3dc/status\"},{\"t\":\"e3dc/bridge/status\"}],\"avty_mode\":\"all\"}\n",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        char dup[4096];
        const char *extra = broken[i];
        if (!extra) {
            dump_site(&ds, &s, BRIDGE_GROUP_ALL, path, &d, NULL);
            FILE *f = fopen(path, "r");
            CHECK(f != NULL);
            char line[BRIDGE_DISCOVERY_CONFIG_MAX + 600];
            dup[0] = '\0';
            while (f && fgets(line, sizeof line, f))
                if (line[0] == 'C') {
                    /* the same config under another object id */
                    char *sp = strchr(line + 2, ' ');
                    snprintf(dup, sizeof dup, "C homeassistant/sensor/x/again/config %s", sp ? sp + 1 : "");
                    break;
                }
            if (f)
                fclose(f);
            extra = dup;
        }
        dump_site(&ds, &s, BRIDGE_GROUP_ALL, path, &d, extra);
        fprintf(stderr, "broken config %zu (the validator's complaint expected):\n", i);
        CHECK_INT(validate(path), 1);
    }
}

/* Every command entity's payloads are ones the bridge's command parser
 * takes: switches true/false, buttons their press payload, numbers their
 * min and max, selects their options (the power mode as its templates
 * render it). */
struct cmd_check {
    size_t n;
};

static bool json_field(const char *json, const char *key, char *out, size_t cap)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = strstr(json, k);
    if (!p)
        return false;
    p += strlen(k);
    size_t n = *p == '"' ? strcspn(++p, "\"") : strcspn(p, ",}");
    snprintf(out, cap, "%.*s", (int)n, p);
    return true;
}

static void parses(const char *topic, const char *payload)
{
    struct bridge_command cmd;
    char err[200];
    int rc = bridge_command_parse(topic, payload, strlen(payload), &cmd, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "  set/%s '%s': %s\n", topic, payload, err);
    CHECK_INT(rc, 0);
    char back[64];
    CHECK(rc != 0 || (bridge_command_topic_of(cmd.kind, cmd.wallbox, back, sizeof back) > 0 &&
                      strcmp(back, topic) == 0));
}

static void on_command(void *ctx, const char *topic, const char *json, size_t len)
{
    (void)len;
    struct cmd_check *cc = ctx;
    char cmd_t[256], v[256];
    if (!json_field(json, "cmd_t", cmd_t, sizeof cmd_t))
        return;
    CHECK(strncmp(cmd_t, "e3dc/set/", 9) == 0);
    const char *t = cmd_t + 9;
    cc->n++;
    if (strstr(json, "\"cmd_tpl\"")) { /* the power mode pair */
        CHECK(strcmp(t, "power_mode") == 0);
        static const char *rendered[] = {"auto", "idle:0", "charge:2000:0", "discharge:2000:0", "grid_charge:2000:0"};
        for (size_t i = 0; i < sizeof rendered / sizeof rendered[0]; i++)
            parses(t, rendered[i]);
    } else if (strstr(topic, "/switch/")) {
        parses(t, "true");
        parses(t, "false");
    } else if (strstr(topic, "/button/")) {
        CHECK(json_field(json, "pl_prs", v, sizeof v));
        parses(t, v);
    } else if (strstr(topic, "/number/")) {
        CHECK(json_field(json, "min", v, sizeof v));
        parses(t, v);
        CHECK(json_field(json, "max", v, sizeof v));
        parses(t, v);
    } else if (strstr(topic, "/select/")) {
        const char *p = strstr(json, "\"ops\":[");
        CHECK(p != NULL);
        for (p = p ? p + 7 : ""; *p == '"';) {
            size_t n = strcspn(p + 1, "\"");
            snprintf(v, sizeof v, "%.*s", (int)n, p + 1);
            parses(t, v);
            p += n + 2;
            if (*p == ',')
                p++;
        }
    } else {
        FAIL(topic);
    }
}

static void test_commands_parse(void)
{
    static struct bridge_snapshot s;
    read_snapshot("s10pro", &s);
    struct bridge_discovery_site ds = {"home", "e3dc", "homeassistant", "e3dc/bridge/status", NULL};
    struct cmd_check cc = {0};
    bridge_discovery_each(&ds, &s, BRIDGE_GROUP_ALL, on_command, &cc);
    CHECK_INT(cc.n, 22); /* every command entity, the wallbox's included */
}

/* The JSON of the config "<disc>/<component>/<node>/set_wallbox[_<n>]_<obj>/config"
 * (n 0: without the number) from the dump file ("C <topic> <json>" lines),
 * or "". */
static void wb_config(const char *dump_path, const char *component, unsigned n, const char *obj, char *out,
                      size_t cap)
{
    char comp[32], want[96];
    static char line[BRIDGE_DISCOVERY_CONFIG_MAX + BRIDGE_DISCOVERY_TOPIC_MAX];
    snprintf(comp, sizeof comp, "/%s/", component);
    if (n)
        snprintf(want, sizeof want, "/set_wallbox_%u_%s/config ", n, obj);
    else
        snprintf(want, sizeof want, "/set_wallbox_%s/config ", obj);
    out[0] = '\0';
    FILE *f = fopen(dump_path, "r");
    CHECK(f != NULL);
    while (f && fgets(line, sizeof line, f)) {
        const char *end = line[0] == 'C' ? strstr(line, want) : NULL;
        const char *c = strstr(line, comp);
        if (end && c && c < end)
            snprintf(out, cap, "%s", end + strlen(want));
    }
    if (f)
        fclose(f);
}

static size_t dump_count(const struct dump *d, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ntopics; i++)
        n += strstr(d->topics[i], needle) != NULL;
    return n;
}

/* Two wallboxes: each has its own command entities, on its own device,
 * commanding set/wallbox/<n>/... with the state of wallbox/<n>/...; the
 * battery-and-car settings (the site's) once; Home Assistant's validator
 * takes it and every command topic parses as that wallbox's. */
static void test_two_wallboxes(void)
{
    static struct bridge_snapshot s;
    read_snapshot_of("s10e", 2, &s);
    CHECK_INT(s.plant.wallboxes, 3);
    CHECK_INT(s.wb_ok, 3);
    struct bridge_discovery_site ds = {"home", "e3dc", "homeassistant", "e3dc/bridge/status", NULL};
    static struct dump d;
    dump_site(&ds, &s, BRIDGE_GROUP_ALL, path, &d, NULL);
    CHECK_INT(validate(path), 0);
    static const char *const per_wb[] = {"sun_mode", "suspended", "max_current", "number_phases", "toggle",
                                         "min_current", "auto_phase_switch"};
    static const char *const comp[] = {"switch", "switch", "number", "select", "button", "number", "switch"};
    static char json[BRIDGE_DISCOVERY_CONFIG_MAX];
    char want[160];
    for (unsigned n = 1; n <= 2; n++) {
        snprintf(want, sizeof want, "/set_wallbox_%u_", n);
        CHECK_INT(dump_count(&d, want), 7);
        for (size_t i = 0; i < sizeof per_wb / sizeof per_wb[0]; i++) {
            wb_config(path, comp[i], n, per_wb[i], json, sizeof json);
            CHECK(json[0] == '{');
            snprintf(want, sizeof want, "\"cmd_t\":\"e3dc/set/wallbox/%u/%s\"", n, per_wb[i]);
            if (!strstr(json, want))
                fprintf(stderr, "  wallbox %u %s: no %s in %s\n", n, per_wb[i], want, json);
            CHECK(strstr(json, want) != NULL);
            snprintf(want, sizeof want, "\"ids\":[\"%s_wallbox_%u\"]", s.info.serial, n - 1);
            CHECK(strstr(json, want) != NULL);
        }
#ifdef RSCP_BRIDGE_TOPIC_TABLE
        wb_config(path, "number", n, "max_current", json, sizeof json);
        snprintf(want, sizeof want, "\"stat_t\":\"e3dc/wallbox/%u/max_current\"", n);
        CHECK(strstr(json, want) != NULL);
        wb_config(path, "switch", n, "sun_mode", json, sizeof json);
        snprintf(want, sizeof want, "\"stat_t\":\"e3dc/wallbox/%u/sun_mode\"", n);
        CHECK(strstr(json, want) != NULL);
#endif
        /* No wallbox entity points at another wallbox's topic. */
        wb_config(path, "number", n, "max_current", json, sizeof json);
        snprintf(want, sizeof want, "wallbox/%u/", 3 - n);
        CHECK(strstr(json, want) == NULL);
    }
    /* rscp2mqtt's one-wallbox entities are not there; the site's car modes once. */
    CHECK_INT(dump_count(&d, "/set_wallbox_max_current/config"), 0);
    CHECK_INT(dump_count(&d, "/set_wallbox_toggle/config"), 0);
    CHECK_INT(dump_count(&d, "/set_wallbox_battery_to_car/config"), 1);
    wb_config(path, "switch", 0, "battery_to_car", json, sizeof json);
    CHECK(strstr(json, "\"cmd_t\":\"e3dc/set/wallbox/discharge_battery_to_car\"") != NULL);
    struct cmd_check cc = {0};
    bridge_discovery_each(&ds, &s, BRIDGE_GROUP_ALL, on_command, &cc);
    CHECK_INT(cc.n, 22 + 7); /* the second wallbox's seven more */

    /* One wallbox: rscp2mqtt's topics, as before. */
    read_snapshot_of("s10e", 1, &s);
    dump_site(&ds, &s, BRIDGE_GROUP_ALL, path, &d, NULL);
    CHECK_INT(validate(path), 0);
    CHECK_INT(dump_count(&d, "/set_wallbox_1_"), 0);
    wb_config(path, "number", 0, "max_current", json, sizeof json);
    CHECK(strstr(json, "\"cmd_t\":\"e3dc/set/wallbox/max_current\"") != NULL);
#ifdef RSCP_BRIDGE_TOPIC_TABLE
    CHECK(strstr(json, "\"stat_t\":\"e3dc/wallbox/max_current\"") != NULL);
#endif
}

static void test_model_and_ids(void)
{
    CHECK(strcmp(bridge_discovery_model("S10-721234567890"), "S10 E") == 0);
    CHECK(strcmp(bridge_discovery_model("S10-412345678901"), "S10 E") == 0);
    CHECK(strcmp(bridge_discovery_model("741234567890"), "S10 E Compact") == 0);
    CHECK(strcmp(bridge_discovery_model("P10-701234567890"), "S10 E PRO") == 0);
    CHECK(strcmp(bridge_discovery_model("P10-751234567890"), "S10 E PRO Compact") == 0);
    CHECK(strcmp(bridge_discovery_model("S10-512345678901"), "S10 mini") == 0);
    CHECK(strcmp(bridge_discovery_model("Q10-612345678901"), "Quattroporte") == 0);
    CHECK(strcmp(bridge_discovery_model("H20-812345678901"), "S10 X") == 0);
    CHECK(strcmp(bridge_discovery_model("S10-912345678901"), "S10 (model not known)") == 0);
    CHECK(strcmp(bridge_discovery_model("Q10-X"), "Quattroporte") == 0);
    CHECK(strcmp(bridge_discovery_model("ABC"), "E3/DC (model not known)") == 0);
    CHECK(strcmp(bridge_discovery_model(""), "E3/DC (model not known)") == 0);
    CHECK(strcmp(bridge_discovery_model(NULL), "E3/DC (model not known)") == 0);

    char buf[64];
    CHECK_INT(bridge_discovery_node_id("S10-12 3/4+#", buf, sizeof buf), 12);
    CHECK(strcmp(buf, "S10-12_3_4__") == 0);
    CHECK_INT(bridge_discovery_node_id("", buf, sizeof buf), 7);
    CHECK(strcmp(buf, "unknown") == 0);
    CHECK_INT(bridge_discovery_filter("homeassistant", "S10-1", buf, sizeof buf), 30);
    CHECK(strcmp(buf, "homeassistant/+/S10-1/+/config") == 0);
    CHECK_INT(bridge_discovery_filter("homeassistant", "S10-1", buf, 10), 30);
    CHECK(buf[0] == '\0');
}

/* The JSON writer: strings without escapes (one copy) and with them, and
 * the buffer's end exactly: what fits with its NUL is written, a byte
 * less refuses the whole document. */
static void test_json_writer(void)
{
    char buf[64];
    struct dj j;
    const char *want = "{\"e3dc/battery/soc\":\"a\\\"b\\\\c\\u0001\",\"k\":\"plain\"}";
    size_t wl = strlen(want);
    for (size_t cap = wl - 2; cap <= wl + 2; cap++) {
        dj_init(&j, buf, cap);
        dj_open(&j, NULL, '{');
        dj_str(&j, "e3dc/battery/soc", "a\"b\\c\x01");
        dj_str(&j, "k", "plain");
        dj_close(&j, '}');
        size_t n = dj_finish(&j);
        if (cap > wl) {
            CHECK_INT(n, wl);
            CHECK(strcmp(buf, want) == 0);
        } else {
            CHECK_INT(n, 0);
        }
    }
    /* The escape-free path at the end of the buffer: "k":"plain" needs
     * 11 bytes and the NUL after the '{' and ','. */
    for (size_t cap = 10; cap <= 16; cap++) {
        dj_init(&j, buf, cap);
        dj_open(&j, NULL, '{');
        dj_str(&j, "k", "plain");
        dj_close(&j, '}');
        size_t n = dj_finish(&j);
        CHECK_INT(n, cap > 13 ? 13 : 0);
        if (n)
            CHECK(strcmp(buf, "{\"k\":\"plain\"}") == 0);
    }
    /* One byte that needs an escape (or not: 0x20, 0x7e, 0x80, 0xff) at
     * every position of a 21-byte string: in a whole word or the tail. */
    const unsigned char special[] = {'"', '\\', 0x01, 0x1f, 0x7f, 0x20, 0x7e, 0x80, 0xff};
    for (size_t k = 0; k < sizeof special; k++) {
        for (size_t pos = 0; pos < 21; pos++) {
            char in[22], want2[40], out[64];
            memset(in, 'a', 21);
            in[21] = '\0';
            in[pos] = (char)special[k];
            size_t w = 0;
            want2[w++] = '"';
            for (size_t i = 0; i < 21; i++) {
                unsigned char c = (unsigned char)in[i];
                if (c == '"' || c == '\\') {
                    want2[w++] = '\\';
                    want2[w++] = (char)c;
                } else if (c < 0x20 || c == 0x7f) {
                    w += (size_t)snprintf(want2 + w, sizeof want2 - w, "\\u%04x", c);
                } else {
                    want2[w++] = (char)c;
                }
            }
            want2[w++] = '"';
            want2[w] = '\0';
            dj_init(&j, out, sizeof out);
            dj_str(&j, NULL, in);
            CHECK_INT(dj_finish(&j), w);
            CHECK(strcmp(out, want2) == 0);
        }
    }
    /* A string alone: 7 bytes and the NUL. */
    for (size_t cap = 5; cap <= 10; cap++) {
        dj_init(&j, buf, cap);
        dj_str(&j, NULL, "plain");
        CHECK_INT(dj_finish(&j), cap >= 8 ? 7 : 0);
    }
}

int main(void)
{
    test_json_writer();
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    if (system("command -v python3 >/dev/null 2>&1") != 0) {
        FAIL("python3 not found (the discovery validator needs it)");
        return th_finish();
    }
    test_model_and_ids();
    test_config_contents();
    test_models_in_sim();
    test_validator_fails();
    test_commands_parse();
    test_two_wallboxes();
    unlink(path);
    return th_finish();
}
