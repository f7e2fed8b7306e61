/* The bridge's topic table (bridge/topics.h) on snapshots read from the
 * simulator (s10e, s10mini, s10pro) with the library's typed requests
 * and parses, as the daemon fills them: the expected topics present with
 * the structs' values, no topic twice, every topic rscp2mqtt has (read
 * from data/compat/rscp2mqtt-topics.tsv) with rscp2mqtt's unit, the
 * metadata consistent (device class, state class, Prometheus name and
 * scale by unit), groups respected and no NaN. The cases without a
 * simulator are in test_bridge_topic_units.c. */
#include "harness.h"

#include "../sim/sim_all.inc"
#include "sim_testlib.h"

#include "config.h"
#include "discovery.h"
#include "metrics.h"
#include "snapshot.h"
#include "topics.h"

#include "rscp/api.h"
#include "rscp/client.h"
#include "rscp/control.h"
#include "rscp/ems.h"
#include "rscp/plant.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- rscp2mqtt's topics ------------------------------------------------- */

#define R2M_MAX 400u
struct r2m_topic {
    char topic[96]; /* after "e3dc/"; "<...>" segments match a number */
    char unit[16];  /* "" when rscp2mqtt gives none                    */
    bool seen;
};
static struct r2m_topic r2m[R2M_MAX];
static size_t n_r2m;

static void load_r2m(void)
{
    const char *src = getenv("RSCP_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/data/compat/rscp2mqtt-topics.tsv", src ? src : RSCP_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f) && n_r2m < R2M_MAX) {
        char *dir = strtok(line, "\t");
        char *topic = strtok(NULL, "\t");
        char *unit = strtok(NULL, "\t");
        if (!dir || !topic || strcmp(dir, "read") != 0 || strncmp(topic, "e3dc/", 5) != 0)
            continue;
        struct r2m_topic *t = &r2m[n_r2m++];
        size_t k = strcspn(topic + 5, " "); /* "home/energy (today)" */
        snprintf(t->topic, sizeof t->topic, "%.*s", (int)k, topic + 5);
        t->unit[0] = '\0';
        if (unit && unit[0] == '[') {
            size_t e = strcspn(unit + 1, "]");
            snprintf(t->unit, sizeof t->unit, "%.*s", (int)e, unit + 1);
        }
    }
    fclose(f);
    CHECK(n_r2m > 250);
}

/* Whether topic matches pattern segment by segment ("<#>" a number). */
static bool segments_match(const char *pattern, const char *topic)
{
    while (*pattern && *topic) {
        size_t pl = strcspn(pattern, "/"), tl = strcspn(topic, "/");
        if (pattern[0] == '<') {
            if (tl == 0 || strspn(topic, "0123456789") != tl)
                return false;
        } else if (pl != tl || strncmp(pattern, topic, pl) != 0) {
            return false;
        }
        pattern += pl + (pattern[pl] == '/');
        topic += tl + (topic[tl] == '/');
    }
    return !*pattern && !*topic;
}

/* rscp2mqtt's entry for a topic: as is, or a unit's value with its
 * number left out ("battery/2/voltage" is rscp2mqtt's battery/voltage of
 * the second string). */
static struct r2m_topic *r2m_find(const char *topic)
{
    for (size_t i = 0; i < n_r2m; i++)
        if (segments_match(r2m[i].topic, topic))
            return &r2m[i];
    static const char *units[] = {"battery/", "pvi/", "pm/", "wallbox/"};
    for (size_t u = 0; u < 4; u++) {
        size_t n = strlen(units[u]);
        if (strncmp(topic, units[u], n) != 0)
            continue;
        size_t d = strspn(topic + n, "0123456789");
        if (d == 0 || topic[n + d] != '/')
            continue;
        char t[BRIDGE_TOPIC_SUFFIX_MAX];
        snprintf(t, sizeof t, "%.*s%s", (int)n, topic, topic + n + d + 1);
        for (size_t i = 0; i < n_r2m; i++)
            if (segments_match(r2m[i].topic, t))
                return &r2m[i];
    }
    return NULL;
}

/* A topic as docs/bridge-topics.md lists it: a unit's number left out
 * ("battery/2/voltage" is battery/voltage), other numbers as <n>
 * ("battery/dcb/<n>/soc", "pvi/power/string_<n>"). */
static void doc_pattern(const char *topic, char *out, size_t cap)
{
    char t[BRIDGE_TOPIC_SUFFIX_MAX];
    snprintf(t, sizeof t, "%s", topic);
    static const char *units[] = {"battery/", "pvi/", "pm/", "wallbox/"};
    for (size_t u = 0; u < 4; u++) {
        size_t n = strlen(units[u]);
        size_t d = strspn(topic + n, "0123456789");
        if (strncmp(topic, units[u], n) == 0 && d > 0 && topic[n + d] == '/')
            snprintf(t, sizeof t, "%.*s%s", (int)n, topic, topic + n + d + 1);
    }
    size_t k = 0;
    for (const char *p = t; *p && k + 4 < cap;) {
        size_t d = strspn(p, "0123456789");
        bool start = p == t || p[-1] == '/' || (p - t >= 7 && strncmp(p - 7, "string_", 7) == 0);
        if (d > 0 && start && (p[d] == '/' || p[d] == '\0')) {
            memcpy(out + k, "<n>", 3);
            k += 3;
            p += d;
        } else {
            out[k++] = *p++;
        }
    }
    out[k] = '\0';
}

/* The topics of docs/bridge-topics.md's table ("| `topic` |" rows), and
 * whether a model produced each. */
#define DOC_MAX 512u
static char doc_topics[DOC_MAX][BRIDGE_TOPIC_SUFFIX_MAX + 8];
static bool doc_seen[DOC_MAX];
static size_t n_doc;

static void load_doc(void)
{
    FILE *f = fopen(th_source_path("docs/bridge-topics.md"), "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f) && n_doc < DOC_MAX)
        if (strncmp(line, "| `", 3) == 0) {
            size_t k = strcspn(line + 3, "`");
            snprintf(doc_topics[n_doc++], sizeof doc_topics[0], "%.*s", (int)k, line + 3);
        }
    fclose(f);
    CHECK(n_doc > 100);
}

static bool doc_mark(const char *pattern)
{
    bool found = false;
    for (size_t i = 0; i < n_doc; i++)
        if (strcmp(doc_topics[i], pattern) == 0)
            found = doc_seen[i] = true;
    return found;
}

#include "topics_collect.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool same(const char *a, const char *b)
{
    return (a ? a : "")[0] == (b ? b : "")[0] && strcmp(a ? a : "", b ? b : "") == 0;
}

/* The metadata of one value against its unit: Home Assistant's classes
 * and the Prometheus name and scale. */
static void check_meta(const struct got *g)
{
    const struct bridge_topic_meta *m = g->meta;
    CHECK(m != NULL && m->label != NULL && m->group != 0);
    if (!m)
        return;
    const char *u = m->unit ? m->unit : "";
    bool ok = true;
    if (strcmp(u, "W") == 0)
        ok = same(m->device_class, "power") && same(m->state_class, "measurement") &&
             (!m->metric || (ends_with(m->metric, "_watts") && m->metric_scale == 1));
    else if (strcmp(u, "kWh") == 0 || (strcmp(u, "Wh") == 0 && same(m->device_class, "energy")))
        ok = same(m->device_class, "energy") && same(m->state_class, "total_increasing") &&
             (!m->metric || ((ends_with(m->metric, "_joules") || ends_with(m->metric, "_joules_total")) &&
                             m->metric_scale == (u[0] == 'k' ? 3.6e6 : 3600)));
    else if (strcmp(u, "Wh") == 0)
        ok = same(m->device_class, "energy_storage") && same(m->state_class, "measurement") &&
             (!m->metric || (ends_with(m->metric, "_joules") && m->metric_scale == 3600));
    else if (strcmp(u, "%") == 0)
        ok = (!m->device_class || same(m->device_class, "battery")) && same(m->state_class, "measurement") &&
             (!m->metric || (ends_with(m->metric, "_ratio") && m->metric_scale == 0.01));
    else if (strcmp(u, "V") == 0)
        ok = same(m->device_class, "voltage") && same(m->state_class, "measurement") &&
             (!m->metric || ends_with(m->metric, "_volts"));
    else if (strcmp(u, "A") == 0)
        ok = same(m->device_class, "current") && same(m->state_class, "measurement") &&
             (!m->metric || ends_with(m->metric, "_amperes"));
    else if (strcmp(u, "°C") == 0)
        ok = same(m->device_class, "temperature") && same(m->state_class, "measurement") &&
             (!m->metric || ends_with(m->metric, "_celsius"));
    else if (strcmp(u, "Hz") == 0)
        ok = same(m->device_class, "frequency") && (!m->metric || ends_with(m->metric, "_hertz"));
    else if (strcmp(u, "Ah") == 0)
        ok = !m->device_class && !m->metric; /* promtool: no hours in a name */
    else if (u[0])
        ok = false; /* a unit this check does not know */
    if (m->metric) {
        ok = ok && strncmp(m->metric, "rscp_", 5) == 0 && strspn(m->metric, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
                                                             strlen(m->metric);
        /* _total only for counters */
        ok = ok && (!ends_with(m->metric, "_total") || same(m->state_class, "total_increasing"));
        ok = ok && g->kind != BRIDGE_VAL_STRING;
    }
    ok = ok && m->deadband >= 0 && (m->deadband == 0 || g->kind == BRIDGE_VAL_NUMBER);
    if (m->component)
        ok = ok && g->unit >= 0;
    else
        ok = ok && g->unit == -1;
    if (g->kind != BRIDGE_VAL_NUMBER)
        ok = ok && !m->unit && !m->state_class;
    if (!ok)
        fprintf(stderr, "  %s: metadata %s/%s/%s/%s/%g inconsistent\n", g->topic, u, m->device_class,
                m->state_class, m->metric, m->metric_scale);
    CHECK(ok);
}

/* The payload of one value against its value. */
static void check_payload(const struct got *g)
{
    const char *p = g->payload;
    if (g->kind == BRIDGE_VAL_NUMBER) {
        CHECK(isfinite(g->number));
        char *end;
        double back = strtod(p, &end);
        CHECK(*p && *end == '\0');
        const char *dot = strchr(p, '.');
        CHECK_INT(dot ? (int)strlen(dot + 1) : 0, g->decimals);
        CHECK(fabs(back - g->number) <= 0.5 * pow(10, -g->decimals) + 1e-9 * fabs(g->number));
        CHECK(strncmp(p, "-0", 2) != 0 || back != 0);
    } else if (g->kind == BRIDGE_VAL_BOOL) {
        CHECK(strcmp(p, g->flag ? "true" : "false") == 0);
    } else {
        CHECK_INT(g->kind, BRIDGE_VAL_STRING);
        for (const char *c = p; *c; c++)
            CHECK((unsigned char)*c >= 0x20 && *c != 0x7F);
    }
}

/* ---- snapshots from the simulator ---------------------------------------- */

static struct rscp_dcb dcb_store[RSCP_BAT_MAX_STRINGS][RSCP_DCB_MAX];

static int day_history(rscp_client *c, int64_t start, struct rscp_history_values *out)
{
    struct rscp_builder b;
    struct rscp_frame f;
    size_t rows = 0;
    uint32_t derr = 0;
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_history_request(&b, RSCP_HISTORY_DAY, start, 86400, 86400), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    return rscp_history_parse(&f, RSCP_HISTORY_DAY, out, NULL, 0, &rows, &derr);
}

/* A full poll as the daemon makes it. */
static void read_snapshot(const char *model, struct bridge_snapshot *s)
{
    memset(s, 0, sizeof *s);
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 5;
    o.model = model;
    o.start = 1750000000.0; /* a June afternoon in Europe: sun on every tracker */
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
    CHECK_INT(rscp_idle_periods_request(&b), 0);
    CHECK_INT(rscp_manual_charge_request(&b), 0);
    CHECK_INT(rscp_car_modes_request(&b, RSCP_CM_ALL), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    CHECK_INT(rscp_car_modes_parse(&f, &s->car_modes), 0);
    CHECK_INT(s->car_modes.present, RSCP_CM_ALL);
    s->have |= BRIDGE_HAVE_CAR_MODES;
    CHECK_INT(rscp_info_parse(&f, &s->info), 0);
    CHECK_INT(rscp_plant_parse(&f, &s->plant), 0);
    CHECK_INT(rscp_sys_specs_parse(&f, &s->specs, &derr), 0);
    CHECK_INT(rscp_power_settings_parse(&f, &s->settings, &derr), 0);
    CHECK_INT(rscp_ep_reserve_parse(&f, &s->reserve, &derr), 0);
    CHECK_INT(rscp_idle_periods_parse(&f, &s->idle, &derr), 0);
    CHECK_INT(rscp_manual_charge_parse(&f, &s->manual_charge, &derr), 0);
    s->have |= BRIDGE_HAVE_INFO | BRIDGE_HAVE_PLANT | BRIDGE_HAVE_SPECS | BRIDGE_HAVE_SETTINGS |
               BRIDGE_HAVE_RESERVE | BRIDGE_HAVE_IDLE | BRIDGE_HAVE_MANUAL;

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

    /* The modules, one frame per string. */
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
        unsigned n = s->plant.dcb_count[i] < RSCP_DCB_MAX ? s->plant.dcb_count[i] : RSCP_DCB_MAX;
        if (!(s->plant.batteries & (1u << i)) || n == 0)
            continue;
        CHECK_INT(rscp_client_request_begin(c, &b), 0);
        CHECK_INT(rscp_dcb_request(&b, i, n, RSCP_DCB_REQ_ALL), 0);
        CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
        s->dcb[i] = dcb_store[i];
        for (unsigned k = 0; k < n; k++)
            if (rscp_dcb_parse(&f, i, k, &dcb_store[i][k]) == 0)
                s->dcb_ok[i] |= 1u << k;
        s->have |= BRIDGE_HAVE_DCB;
    }

    /* Today and yesterday from the device's local midnight. */
    int32_t off = 0;
    CHECK_INT(rscp_info_utc_offset(&s->info, &off), 0);
    int64_t local = rscp_history_start_of_instant((int64_t)o.start, off);
    int64_t midnight = local - local % 86400;
    if (day_history(c, midnight, &s->today) == 0)
        s->have |= BRIDGE_HAVE_TODAY;
    if (day_history(c, midnight - 86400, &s->yesterday) == 0)
        s->have |= BRIDGE_HAVE_YESTERDAY;
    CHECK((s->have & (BRIDGE_HAVE_TODAY | BRIDGE_HAVE_YESTERDAY)) == (BRIDGE_HAVE_TODAY | BRIDGE_HAVE_YESTERDAY));

    s->hold.mode = RSCP_POWER_CHARGE;
    s->hold.watts = 2000;
    s->hold.cycles_left = 5;
    s->have |= BRIDGE_HAVE_HOLD;
    rscp_client_free(c);
    sim_stop(h);
}

/* ---- the checks ---------------------------------------------------------- */

static struct values vals;
static struct bridge_snapshot snap;

static void check_values(const struct bridge_snapshot *s)
{
    const struct values *x = &vals;
    const struct rscp_live *l = &s->live;
    expect_num(x, "solar/power", (double)l->pv);
    expect_num(x, "battery/power", (double)l->bat);
    expect_num(x, "grid/power", (double)l->grid);
    expect_num(x, "home/power", (double)l->home);
    expect_num(x, "addon/power", (double)l->add);
    expect_num(x, "battery/soc", l->soc);
    expect_num(x, "autarky", l->autarky);
    expect_num(x, "consumed", l->self_consumption);
    expect_num(x, "wallbox/total/power", (double)l->wb_all);
    expect_num(x, "wallbox/solar/power", (double)l->wb_solar);
    expect_str(x, "grid/state", l->grid < 0 ? "IN" : "OUT");
    expect_str(x, "battery/state", l->bat > 0 ? "CHARGING" : l->bat < 0 ? "DISCHARGING" : l->soc >= 100 ? "FULL"
                                                                                       : l->soc <= 0   ? "EMPTY"
                                                                                                       : "PENDING");
    expect_num(x, "ems/status", (double)l->status);
    expect_bool(x, "ems/charging_lock", l->status & RSCP_EMS_STATUS_CHARGE_LOCKED);
    expect_bool(x, "ems/discharging_lock", l->status & RSCP_EMS_STATUS_DISCHARGE_LOCKED);
    expect_bool(x, "ems/emergency_power_available", l->status & RSCP_EMS_STATUS_EMERGENCY_READY);
    expect_bool(x, "ems/charging_throttled", l->status & RSCP_EMS_STATUS_WEATHER_THROTTLED);
    expect_bool(x, "grid_in_limit", l->status & RSCP_EMS_STATUS_FEED_IN_LIMITED);
    expect_bool(x, "ems/charging_time_lock", l->status & RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD);
    expect_bool(x, "ems/discharging_time_lock", l->status & RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD);

    expect_str(x, "system/serial_number", s->info.serial);
    expect_str(x, "system/software", s->info.sw_release);
    expect_str(x, "system/production_date", s->info.production_date);
    expect_num(x, "system/battery_count", s->plant.n_batteries);
    expect_num(x, "system/inverter_count", s->plant.n_inverters);

    /* battery strings: "battery/..." alone, "battery/<n>/..." several */
    for (unsigned i = 0; i < RSCP_BAT_MAX_STRINGS; i++) {
        if (!(s->bat_ok & (1u << i)))
            continue;
        const struct rscp_battery *b = &s->bat[i];
        char p[32], t[BRIDGE_TOPIC_SUFFIX_MAX];
        if (s->plant.n_batteries > 1)
            snprintf(p, sizeof p, "battery/%u", i + 1);
        else
            snprintf(p, sizeof p, "battery");
#define BAT_NUM(suffix, field)                       \
    do {                                             \
        snprintf(t, sizeof t, "%s/" suffix, p);      \
        expect_num(x, t, (double)(field));           \
    } while (0)
        BAT_NUM("voltage", b->voltage);
        BAT_NUM("current", b->current);
        BAT_NUM("cycles", b->cycles);
        BAT_NUM("soh", b->soh);
        BAT_NUM("temperature/max", b->temp_max);
        BAT_NUM("temperature/min", b->temp_min);
        BAT_NUM("rsoc_real", b->rsoc_real);
        BAT_NUM("soc_float", b->rsoc);
        BAT_NUM("design_capacity", b->design_capacity);
        BAT_NUM("usable_capacity", b->usable_capacity);
        BAT_NUM("usable_remaining_capacity", b->usable_remaining);
        BAT_NUM("dcb/count", b->dcb_count);
        if (b->present & RSCP_BAT_DEVICE_NAME) {
            snprintf(t, sizeof t, "%s/name", p);
            expect_str(x, t, b->device_name);
        }
        for (unsigned k = 0; k < s->plant.dcb_count[i] && k < RSCP_DCB_MAX; k++) {
            CHECK(s->dcb_ok[i] & (1u << k));
            const struct rscp_dcb *d = &s->dcb[i][k];
            snprintf(t, sizeof t, "%s/dcb/%u/soc", p, k + 1);
            expect_num(x, t, d->soc);
            snprintf(t, sizeof t, "%s/dcb/%u/voltage", p, k + 1);
            expect_num(x, t, d->voltage);
            snprintf(t, sizeof t, "%s/dcb/%u/cycles", p, k + 1);
            expect_num(x, t, (double)d->cycles);
            snprintf(t, sizeof t, "%s/dcb/%u/cell_temperature/max", p, k + 1);
            expect_num(x, t, d->temp_max);
            snprintf(t, sizeof t, "%s/dcb/%u/cell_voltage/1", p, k + 1);
            expect_num(x, t, d->cell_voltage[0]);
        }
    }

    const struct rscp_pvi *v = &s->pvi[0];
    CHECK(s->pvi_ok & 1u);
    expect_num(x, "pvi/power/string_1", v->tracker[0].power);
    expect_num(x, "pvi/voltage/string_1", v->tracker[0].voltage);
    expect_num(x, "pvi/current/string_1", v->tracker[0].current);
    expect_num(x, "pvi/power/L1", v->phase[0].power);
    expect_num(x, "pvi/voltage/L3", v->phase[2].voltage);
    expect_num(x, "pvi/temperature/1", v->temperature[0]);
    expect_bool(x, "pvi/on_grid", v->on_grid);

    CHECK(s->plant.root_meter >= 0);
    const struct rscp_pm *m = &s->pm[s->plant.root_meter];
    expect_num(x, "pm/power", m->power_total);
    expect_num(x, "pm/power/L1", m->power[0]);
    expect_num(x, "pm/voltage/L2", m->voltage[1]);
    if (m->present & RSCP_PM_ENERGY_L1)
        expect_num(x, "pm/energy/L1", m->energy[0] / 1000);
    for (unsigned i = 0; i < RSCP_PM_MAX_METERS; i++)
        if ((s->pm_ok & (1u << i)) && (int32_t)i != s->plant.root_meter) {
            char t[BRIDGE_TOPIC_SUFFIX_MAX];
            snprintf(t, sizeof t, "pm/%u/power/L1", i);
            expect_num(x, t, s->pm[i].power[0]);
            if ((s->pm[i].present & RSCP_PM_ENERGY_L1) && (s->pm[i].present & RSCP_PM_ENERGY_L2) &&
                (s->pm[i].present & RSCP_PM_ENERGY_L3)) {
                snprintf(t, sizeof t, "pm/%u/energy/total", i);
                expect_num(x, t, (s->pm[i].energy[0] + s->pm[i].energy[1] + s->pm[i].energy[2]) / 1000);
            }
        }

    if (s->wb_ok & 1u) {
        const struct rscp_wallbox *w = &s->wb[0];
        expect_num(x, "wallbox/power/L1", w->power[0]);
        expect_num(x, "wallbox/energy/total", w->energy_all);
        expect_num(x, "wallbox/energy/solar", w->energy_solar);
        expect_num(x, "wallbox/max_current", w->max_current);
        expect_num(x, "wallbox/min_current", (double)w->min_current);
        expect_num(x, "wallbox/number_phases", (double)w->phases);
        expect_bool(x, "wallbox/sun_mode", w->sun_mode);
        expect_bool(x, "wallbox/plugged", w->plugged);
        expect_bool(x, "wallbox/charging", w->charging);
        expect_bool(x, "wallbox/suspended", w->suspended);
        expect_bool(x, "wallbox/locked", w->locked);
    } else {
        CHECK(find(x, "wallbox/power/L1") == NULL);
    }

    const struct rscp_power_settings *ps = &s->settings;
    expect_bool(x, "ems/power_limits", ps->limits_used);
    expect_num(x, "ems/max_charge/power", ps->max_charge);
    expect_num(x, "ems/max_discharge/power", ps->max_discharge);
    expect_num(x, "ems/discharge_start/power", ps->discharge_start);
    expect_bool(x, "ems/power_save", ps->power_save);
    expect_bool(x, "ems/weather_regulation", ps->weather_regulated);
    expect_num(x, "reserve/procent", s->reserve.percent);
    expect_num(x, "reserve/energy", s->reserve.energy_wh);
    expect_num(x, "reserve/max", s->reserve.max_wh);
    expect_num(x, "reserve/last_soc", s->reserve.last_soc);

    CHECK(s->idle.periods_present && s->idle.count > 0);
    for (size_t k = 0; k < s->idle.count; k++) {
        const struct rscp_idle_period *q = &s->idle.period[k];
        const char *mode = q->type == RSCP_IDLE_CHARGE ? "charge" : "discharge";
        const char *day = rscp_idle_day_name(q->day);
        char t[BRIDGE_TOPIC_SUFFIX_MAX], want[64];
        snprintf(t, sizeof t, "idle_period/%s/%s", mode, day);
        snprintf(want, sizeof want, "%s:%s:%s:%02u:%02u-%02u:%02u", day, mode, q->active ? "true" : "false",
                 q->start_hour, q->start_minute, q->end_hour, q->end_minute);
        expect_str(x, t, want);
    }
    if (s->idle.enabled_present)
        expect_bool(x, "idle_period/enabled", s->idle.enabled);
    CHECK(s->manual_charge.present & RSCP_MC_ACTIVE);
    expect_bool(x, "manual_charge/active", s->manual_charge.active);
    if (s->manual_charge.present & RSCP_MC_ENERGY)
        expect_num(x, "manual_charge/energy", s->manual_charge.energy_wh);

    const struct rscp_history_values *td = &s->today, *yd = &s->yesterday;
    expect_num(x, "solar/energy", td->pv / 1000);
    expect_num(x, "grid/energy/in", td->grid_in / 1000);
    expect_num(x, "grid/energy/out", td->grid_out / 1000);
    expect_num(x, "battery/energy/charge", td->bat_in / 1000);
    expect_num(x, "battery/energy/discharge", td->bat_out / 1000);
    expect_num(x, "home/energy", td->home / 1000);
    expect_num(x, "yesterday/solar/energy", yd->pv / 1000);
    expect_num(x, "yesterday/grid/energy/in", yd->grid_in / 1000);
    expect_num(x, "yesterday/grid/energy/out", yd->grid_out / 1000);
    expect_grid_direction(x, "grid/energy/in", "export", "import");
    expect_grid_direction(x, "grid/energy/out", "import", "export");
    expect_grid_direction(x, "yesterday/grid/energy/in", "export", "import");
    expect_grid_direction(x, "yesterday/grid/energy/out", "import", "export");
    expect_num(x, "yesterday/battery/energy/charge", yd->bat_in / 1000);
    expect_num(x, "yesterday/battery/energy/discharge", yd->bat_out / 1000);
    expect_num(x, "yesterday/home/energy", yd->home / 1000);
    if (yd->present & RSCP_HIST_AUTARKY)
        expect_num(x, "yesterday/autarky", yd->autarky);

    expect_num(x, "ems/set_power/power", 2000);
    expect_str(x, "ems/set_power/mode", "charge");
    expect_str(x, "ems/power_mode", "charge:2000:5");
}

/* ---- the table through the metrics and the discovery ---------------------- */

static int run(const char *cmd)
{
    int rc = system(cmd);
    return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void on_state(void *ctx, const struct bridge_value *v)
{
    fprintf(ctx, "S e3dc/%s\n", v->topic);
}

static void on_config(void *ctx, const char *topic, const char *json, size_t len)
{
    fprintf(ctx, "C %s %.*s\n", topic, (int)len, json);
}

/* The whole table of a full snapshot: Home Assistant's configs pass
 * tests/ha_discovery_check.py, the Prometheus text promtool (one sample
 * per label set: no two values share a family and labels). */
static void check_consumers(const struct bridge_snapshot *s)
{
    char path[] = "/tmp/rscp_topicsXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "P e3dc\nD homeassistant\nB e3dc/bridge/status\n");
    bridge_topics_each(s, BRIDGE_GROUP_ALL, on_state, f);
    struct bridge_discovery_site ds = {"home", "e3dc", "homeassistant", "e3dc/bridge/status", NULL};
    CHECK(bridge_discovery_each(&ds, s, BRIDGE_GROUP_ALL, on_config, f) > 100);
    fclose(f);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "python3 %s/tests/ha_discovery_check.py %s", RSCP_SOURCE_DIR, path);
    CHECK_INT(run(cmd), 0);

    static char buf[1 << 20];
    struct bridge_site_metrics site = {"home", true, 0.02, 1782037800, 5, 0, 0, NULL, s, BRIDGE_GROUP_ALL};
    struct bridge_metrics m = {&site, 1, 0, 0, 0};
    size_t n = bridge_metrics_render(&m, buf, sizeof buf);
    CHECK(n > 0 && n < sizeof buf);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fwrite(buf, 1, n < sizeof buf ? n : 0, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "promtool check metrics < %s", path);
    int rc = run(cmd);
    if (rc != 0)
        fprintf(stderr, "  promtool check metrics failed (%d) on:\n%s\n", rc, buf);
    CHECK_INT(rc, 0);
    unlink(path);
}

/* One model: values, duplicates, rscp2mqtt's units, metadata, payloads. */
static void check_model(const char *model)
{
    fprintf(stderr, "model %s\n", model);
    read_snapshot(model, &snap);
    vals.n = 0;
    size_t n = bridge_topics_each(&snap, BRIDGE_GROUP_ALL, collect, &vals);
    CHECK_INT(n, vals.n);
    CHECK(n > 100 && n < VALUES_MAX);
    CHECK_INT(bridge_topics_each(&snap, BRIDGE_GROUP_ALL, NULL, NULL), n); /* counting only */
    check_values(&snap);

    size_t dup = 0, r2m_units = 0;
    for (size_t i = 0; i < vals.n; i++) {
        const struct got *g = &vals.v[i];
        for (size_t k = 0; k < i; k++)
            if (strcmp(vals.v[k].topic, g->topic) == 0) {
                fprintf(stderr, "  %s twice\n", g->topic);
                dup++;
            }
        check_meta(g);
        check_payload(g);
        struct r2m_topic *t = r2m_find(g->topic);
        if (t) {
            t->seen = true;
            r2m_units++;
            const char *u = g->meta && g->meta->unit ? g->meta->unit : "";
            if (strcmp(u, t->unit) != 0)
                fprintf(stderr, "  %s: unit '%s', rscp2mqtt's '%s'\n", g->topic, u, t->unit);
            CHECK(strcmp(u, t->unit) == 0);
        }
    }
    CHECK_INT(dup, 0);
    CHECK(r2m_units > 50);
    check_consumers(&snap);
    /* Every topic in docs/bridge-topics.md. */
    for (size_t i = 0; i < vals.n; i++) {
        char pat[BRIDGE_TOPIC_SUFFIX_MAX + 8];
        doc_pattern(vals.v[i].topic, pat, sizeof pat);
        if (getenv("RSCP_TOPICS_LIST"))
            fprintf(stderr, "T %s\t%s\t%s\t%s\n", pat, vals.v[i].meta->unit ? vals.v[i].meta->unit : "",
                    vals.v[i].meta->metric ? vals.v[i].meta->metric : "", vals.v[i].meta->label);
        bool listed = doc_mark(pat);
        if (!listed)
            fprintf(stderr, "  `%s` not in docs/bridge-topics.md\n", pat);
        CHECK(listed);
    }

    /* Each group alone: only its values. */
    for (uint32_t gbit = 1; gbit & BRIDGE_GROUP_ALL; gbit <<= 1) {
        vals.n = 0;
        bridge_topics_each(&snap, gbit, collect, &vals);
        CHECK(vals.n > 0 || (gbit == BRIDGE_GROUP_WALLBOX && snap.wb_ok == 0));
        for (size_t i = 0; i < vals.n; i++)
            CHECK_INT(vals.v[i].meta->group, gbit);
    }
    vals.n = 0;
    CHECK_INT(bridge_topics_each(&snap, 0, collect, &vals), 0);

    /* A value that is not finite is not produced. */
    static struct bridge_snapshot bad;
    bad = snap;
    bad.live.soc = NAN;
    bad.bat[0].voltage = INFINITY;
    bad.today.pv = NAN;
    vals.n = 0;
    bridge_topics_each(&bad, BRIDGE_GROUP_ALL, collect, &vals);
    CHECK(find(&vals, "battery/soc") == NULL && find(&vals, "battery/state") == NULL);
    CHECK(find(&vals, "solar/energy") == NULL);
    CHECK(find(&vals, snap.plant.n_batteries > 1 ? "battery/1/voltage" : "battery/voltage") == NULL);
    CHECK(find(&vals, "solar/power") != NULL);
    for (size_t i = 0; i < vals.n; i++)
        CHECK(vals.v[i].kind != BRIDGE_VAL_NUMBER || isfinite(vals.v[i].number));

    /* A field the device did not give (its present bit clear) is left out. */
    bad = snap;
    bad.live.present &= ~RSCP_LIVE_SOC;
    bad.settings.present &= ~RSCP_PS_MAX_CHARGE;
    vals.n = 0;
    bridge_topics_each(&bad, BRIDGE_GROUP_ALL, collect, &vals);
    CHECK(find(&vals, "battery/soc") == NULL && find(&vals, "ems/max_charge/power") == NULL);
    CHECK(find(&vals, "ems/max_discharge/power") != NULL);
}

int main(void)
{
    load_r2m();
    load_doc();
    check_model("s10e");
    check_model("s10mini");
    check_model("s10pro");
    size_t covered = 0;
    for (size_t i = 0; i < n_r2m; i++)
        covered += r2m[i].seen;
    if (getenv("RSCP_TOPICS_UNCOVERED"))
        for (size_t i = 0; i < n_r2m; i++)
            if (!r2m[i].seen)
                fprintf(stderr, "  not covered: %s\n", r2m[i].topic);
    /* and nothing listed that no model produces */
    for (size_t i = 0; i < n_doc; i++) {
        if (!doc_seen[i])
            fprintf(stderr, "  docs/bridge-topics.md lists `%s`, which no model produced\n", doc_topics[i]);
        CHECK(doc_seen[i]);
    }
    fprintf(stderr, "rscp2mqtt read topics covered: %zu of %zu\n", covered, n_r2m);
    CHECK(covered >= 151); /* raise it with the table */
    return th_finish();
}
