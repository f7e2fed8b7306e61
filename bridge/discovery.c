/* rscp-bridge: Home Assistant MQTT discovery configs (discovery.h). */
#include "discovery.h"

#include <stdio.h>
#include <string.h>

#include "command.h"
#include "config.h"
#include "discovery_internal.h"
#include "rscp/settings.h"
#include "rscp/version.h"
#include "topics.h"

#define MANUFACTURER "E3/DC"
#define ID_MAX 192u /* unique ids, entity ids, object ids */

/* Where an entity belongs. */
enum { DEV_PLANT, DEV_BATTERY, DEV_WALLBOX };

/* What the commands need of the plant. */
enum { NEED_NONE, NEED_SETTINGS, NEED_WALLBOX };

/* Command templates of the power-mode pair (see write_control()). */
enum { TPL_NONE, TPL_MODE, TPL_WATTS };

/* One command entity. state: topics of the table (after the prefix) that
 * hold its current value, the first one the snapshot produces is used. */
struct control {
    const char *component; /* select, number, switch, button       */
    const char *object;    /* object_id (unique among the commands) */
    const char *name;
    const char *command;   /* after "<prefix>/set/"                 */
    const char *state[3];
    const char *unit, *device_class;
    double min, max;       /* number                                 */
    int max_spec;          /* number: rscp_sys_spec for max, or -1   */
    const char *options;   /* select: '|' separated                  */
    int need;              /* NEED_*                                 */
    bool config;           /* entity_category config                 */
    bool box;              /* number: mode box (wide ranges)         */
    int tpl;               /* TPL_*                                  */
};

#define POWER_MAX ((double)BRIDGE_POWER_MAX_W)
#define ENERGY_MAX ((double)BRIDGE_ENERGY_MAX_WH)

static const struct control controls[] = {
    {"select", "set_power_mode", "Power mode", "power_mode", {"power_mode", "ems/power_mode", NULL}, NULL, NULL,
     0, 0, -1, "auto|idle|charge|discharge|grid_charge", NEED_NONE, false, false, TPL_MODE},
    {"number", "set_power_mode_watts", "Power mode power", "power_mode", {NULL}, "W", "power", 1, POWER_MAX,
     RSCP_SPEC_MAX_BAT_CHARGE_POWER, NULL, NEED_NONE, false, true, TPL_WATTS},
    {"number", "set_manual_charge", "Manual charge", "manual_charge", {NULL}, "Wh", "energy", 1, ENERGY_MAX,
     RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, NULL, NEED_SETTINGS, false, true, TPL_NONE},
    {"number", "set_max_charge_power", "Max charge power", "max_charge_power", {"ems/max_charge/power", NULL},
     "W", "power", 0, POWER_MAX, RSCP_SPEC_MAX_CHARGE_POWER, NULL, NEED_SETTINGS, true, true, TPL_NONE},
    {"number", "set_max_discharge_power", "Max discharge power", "max_discharge_power",
     {"ems/max_discharge/power", NULL}, "W", "power", 0, POWER_MAX, RSCP_SPEC_MAX_DISCHARGE_POWER, NULL,
     NEED_SETTINGS, true, true, TPL_NONE},
    {"number", "set_discharge_start_power", "Discharge start power", "discharge_start_power",
     {"ems/discharge_start/power", NULL}, "W", "power", 0, POWER_MAX, RSCP_SPEC_MAX_DISCHARGE_POWER, NULL,
     NEED_SETTINGS, true, true, TPL_NONE},
    {"number", "set_reserve_percent", "Emergency power reserve", "reserve/percent",
     {"reserve/procent", "reserve/percent", NULL}, "%", "battery", 0, 100, -1, NULL, NEED_SETTINGS, true, false,
     TPL_NONE},
    {"number", "set_reserve_energy", "Emergency power reserve energy", "reserve/energy", {"reserve/energy", NULL},
     "Wh", "energy_storage", 0, ENERGY_MAX, RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, NULL, NEED_SETTINGS, true, true,
     TPL_NONE},
    {"switch", "set_weather_regulation", "Weather regulation", "weather_regulation",
     {"ems/weather_regulation", NULL}, NULL, NULL, 0, 0, -1, NULL, NEED_SETTINGS, true, false, TPL_NONE},
    {"switch", "set_power_save", "Power save", "power_save", {"ems/power_save", NULL}, NULL, NULL, 0, 0, -1, NULL,
     NEED_SETTINGS, true, false, TPL_NONE},
    {"switch", "set_power_limits", "Power limits", "power_limits", {"ems/power_limits", NULL}, NULL, NULL, 0, 0,
     -1, NULL, NEED_SETTINGS, true, false, TPL_NONE},
    {"switch", "set_wallbox_sun_mode", "Sun mode", "wallbox/sun_mode", {"wallbox/sun_mode", NULL}, NULL, NULL, 0,
     0, -1, NULL, NEED_WALLBOX, false, false, TPL_NONE},
    {"switch", "set_wallbox_suspended", "Charging suspended", "wallbox/suspended", {"wallbox/suspended", NULL},
     NULL, NULL, 0, 0, -1, NULL, NEED_WALLBOX, false, false, TPL_NONE},
    {"number", "set_wallbox_max_current", "Max charge current", "wallbox/max_current",
     {"wallbox/max_current", NULL}, "A", "current", 1, 32, -1, NULL, NEED_WALLBOX, false, false, TPL_NONE},
    {"select", "set_wallbox_number_phases", "Phases", "wallbox/number_phases", {"wallbox/number_phases", NULL},
     NULL, NULL, 0, 0, -1, "1|3", NEED_WALLBOX, false, false, TPL_NONE},
    {"button", "set_wallbox_toggle", "Toggle charging", "wallbox/toggle", {NULL}, NULL, NULL, 0, 0, -1, NULL,
     NEED_WALLBOX, false, false, TPL_NONE},
    {"number", "set_wallbox_min_current", "Min charge current", "wallbox/min_current",
     {"wallbox/min_current", NULL}, "A", "current", 6, 32, -1, NULL, NEED_WALLBOX, true, false, TPL_NONE},
    {"switch", "set_wallbox_auto_phase_switch", "Auto phase switch", "wallbox/auto_phase_switch",
     {"wallbox/auto_phase_switch", NULL}, NULL, NULL, 0, 0, -1, NULL, NEED_WALLBOX, true, false, TPL_NONE},
    {"switch", "set_wallbox_battery_to_car", "Battery to car", "wallbox/discharge_battery_to_car",
     {"wallbox/discharge_battery_to_car", NULL}, NULL, NULL, 0, 0, -1, NULL, NEED_WALLBOX, true, false, TPL_NONE},
    {"switch", "set_wallbox_battery_before_car", "Battery before car", "wallbox/charge_battery_before_car",
     {"wallbox/charge_battery_before_car", NULL}, NULL, NULL, 0, 0, -1, NULL, NEED_WALLBOX, true, false,
     TPL_NONE},
    {"number", "set_wallbox_battery_until", "Battery to car until SOC", "wallbox/discharge_battery_until",
     {"wallbox/discharge_battery_until", NULL}, "%", "battery", 0, 100, -1, NULL, NEED_WALLBOX, true, false,
     TPL_NONE},
    {"switch", "set_wallbox_battery_mix_mode", "No battery charging in mixed mode",
     "wallbox/disable_battery_at_mix_mode", {"wallbox/disable_battery_at_mix_mode", NULL}, NULL, NULL, 0, 0, -1,
     NULL, NEED_WALLBOX, true, false, TPL_NONE},
};

#define N_CONTROLS (sizeof controls / sizeof controls[0])

struct run {
    const struct bridge_discovery_site *site;
    const struct bridge_snapshot *snap;
    uint32_t groups;
    bridge_discovery_fn emit;
    bridge_discovery_topic_fn topic_fn;
    void *ctx;
    size_t count;
    const char *serial, *model;
    char node[BRIDGE_DISCOVERY_NODE_MAX];
    char site_id[BRIDGE_SITE_NAME_MAX + 1]; /* site name for entity ids */
    int wallbox;                            /* the commands' wallbox, -1 none */
    uint32_t wallboxes;                     /* every wallbox known (WB.INDEX bits) */
    bool wb_numbered;                       /* several: wallbox/<n>/... topics */
    /* 1 + index into state[] of the first state topic the table produced:
     * [c][0] as listed, [c][n] for wallbox n's own (wallbox/<n>/...). */
    uint8_t state_found[N_CONTROLS][1 + RSCP_WB_MAX_WALLBOXES];
    char topic[BRIDGE_DISCOVERY_TOPIC_MAX];
    char json[BRIDGE_DISCOVERY_CONFIG_MAX];
};

/* s with every character outside [A-Za-z0-9_-] (and '-' too when
 * entity is set, which also lowers) as '_', into buf. */
static void sanitize(const char *s, char *buf, size_t cap, bool entity)
{
    size_t k = 0;
    for (; s && *s && k + 1 < cap; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  (!entity && ((c >= 'A' && c <= 'Z') || c == '-'));
        if (entity && c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
            ok = true;
        }
        buf[k++] = ok ? c : '_';
    }
    if (cap > 0)
        buf[k] = '\0';
}

size_t bridge_discovery_node_id(const char *serial, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    sanitize(serial && *serial ? serial : "unknown", buf, cap, false);
    return strlen(buf);
}

size_t bridge_discovery_filter(const char *disc_prefix, const char *serial, char *buf, size_t cap)
{
    char node[BRIDGE_DISCOVERY_NODE_MAX];
    bridge_discovery_node_id(serial, node, sizeof node);
    int n = snprintf(buf, cap, "%s/+/%s/+/config", disc_prefix ? disc_prefix : "", node);
    if (n < 0)
        return 0;
    if ((size_t)n >= cap && cap > 0)
        buf[0] = '\0';
    return (size_t)n;
}

static void write_device(struct run *r, struct dj *j, int dev, int index)
{
    char id[ID_MAX], name[ID_MAX];
    dj_open(j, "dev", '{');
    dj_open(j, "ids", '[');
    if (dev == DEV_PLANT) {
        dj_str(j, NULL, r->serial);
    } else {
        snprintf(id, sizeof id, "%s_%s_%d", r->serial, dev == DEV_BATTERY ? "battery" : "wallbox", index);
        dj_str(j, NULL, id);
    }
    dj_close(j, '[');
    if (dev == DEV_PLANT) {
        dj_str(j, "name", r->site->name);
        dj_str(j, "mf", MANUFACTURER);
        dj_str(j, "mdl", r->model);
        dj_str(j, "sn", r->serial);
        const struct rscp_info *info = &r->snap->info;
        if ((info->present & RSCP_INFO_SW_RELEASE) && info->sw_release[0])
            dj_str(j, "sw", info->sw_release);
    } else {
        snprintf(name, sizeof name, "%s %s %d", r->site->name, dev == DEV_BATTERY ? "battery" : "wallbox",
                 index + 1);
        dj_str(j, "name", name);
        dj_str(j, "mf", MANUFACTURER);
        dj_str(j, "mdl", dev == DEV_BATTERY ? "Battery string" : "Wallbox");
        dj_str(j, "via_device", r->serial);
    }
    dj_close(j, '{');
}

/* The members every config has; the caller adds its own and closes. */
static void write_common(struct run *r, struct dj *j, const char *component, const char *object,
                         const char *name, int dev, int index)
{
    char id[ID_MAX], ent[ID_MAX];
    dj_open(j, NULL, '{');
    dj_str(j, "name", name);
    snprintf(id, sizeof id, "%s_%s", r->serial, object);
    dj_str(j, "uniq_id", id);
    snprintf(id, sizeof id, "e3dc_%s_%s", r->site_id, object);
    sanitize(id, ent + strlen(component) + 1, sizeof ent - strlen(component) - 1, true);
    memcpy(ent, component, strlen(component));
    ent[strlen(component)] = '.';
    dj_str(j, "default_entity_id", ent);
    write_device(r, j, dev, index);
    dj_open(j, "o", '{');
    dj_str(j, "name", "rscp-bridge");
    dj_str(j, "sw", r->site->origin_version ? r->site->origin_version : RSCP_VERSION_STRING);
    dj_close(j, '{');
    char t[BRIDGE_DISCOVERY_TOPIC_MAX];
    dj_open(j, "avty", '[');
    dj_open(j, NULL, '{');
    snprintf(t, sizeof t, "%s/status", r->site->prefix);
    dj_str(j, "t", t);
    dj_close(j, '{');
    if (r->site->bridge_status && r->site->bridge_status[0]) {
        dj_open(j, NULL, '{');
        dj_str(j, "t", r->site->bridge_status);
        dj_close(j, '{');
    }
    dj_close(j, '[');
    dj_str(j, "avty_mode", "all");
}

/* Hand a finished config out (or only its topic). */
static void finish(struct run *r, struct dj *j, const char *component, const char *object)
{
    dj_close(j, '{');
    size_t n = dj_finish(j);
    int tn = snprintf(r->topic, sizeof r->topic, "%s/%s/%s/%s/config", r->site->disc_prefix, component, r->node,
                      object);
    if (n == 0 || tn < 0 || (size_t)tn >= sizeof r->topic)
        return; /* too long for the limits: left out (discovery.h) */
    r->count++;
    if (r->emit)
        r->emit(r->ctx, r->topic, r->json, n);
    else if (r->topic_fn)
        r->topic_fn(r->ctx, r->topic);
}

static void state_topic(struct run *r, struct dj *j, const char *key, const char *suffix)
{
    char t[BRIDGE_DISCOVERY_TOPIC_MAX];
    int n = snprintf(t, sizeof t, "%s/%s", r->site->prefix, suffix);
    if (n < 0 || (size_t)n >= sizeof t)
        j->bad = true;
    else
        dj_str(j, key, t);
}

/* The wallbox n (1..) of "wallbox/<n>/<rest>" with *rest, or 0. */
static unsigned numbered_wallbox(const char *topic, const char **rest)
{
    if (strncmp(topic, "wallbox/", 8) != 0 || topic[8] < '1' || topic[8] > '0' + (int)RSCP_WB_MAX_WALLBOXES ||
        topic[9] != '/')
        return 0;
    *rest = topic + 10;
    return (unsigned)(topic[8] - '0');
}

static void on_value(void *ctx, const struct bridge_value *v)
{
    struct run *r = ctx;
    const char *rest = NULL;
    unsigned wn = numbered_wallbox(v->topic, &rest);
    for (size_t c = 0; c < N_CONTROLS; c++)
        for (size_t k = 0; !r->state_found[c][wn] && k < 3 && controls[c].state[k]; k++)
            if (wn ? strncmp(controls[c].state[k], "wallbox/", 8) == 0 && strcmp(controls[c].state[k] + 8, rest) == 0
                   : strcmp(controls[c].state[k], v->topic) == 0)
                r->state_found[c][wn] = (uint8_t)(k + 1);

    const struct bridge_topic_meta *m = v->meta;
    const char *component = v->kind == BRIDGE_VAL_BOOL ? "binary_sensor" : "sensor";
    char object[BRIDGE_TOPIC_SUFFIX_MAX];
    sanitize(v->topic, object, sizeof object, false);
    int dev = DEV_PLANT;
    if (m && m->component && v->unit_index >= 0) {
        if (strcmp(m->component, "battery") == 0)
            dev = DEV_BATTERY;
        else if (strcmp(m->component, "wallbox") == 0)
            dev = DEV_WALLBOX;
    }
    struct dj j;
    dj_init(&j, r->json, sizeof r->json);
    write_common(r, &j, component, object, m && m->label ? m->label : v->topic, dev, v->unit_index);
    state_topic(r, &j, "stat_t", v->topic);
    if (m && m->device_class)
        dj_str(&j, "dev_cla", m->device_class);
    if (v->kind == BRIDGE_VAL_BOOL) {
        dj_str(&j, "pl_on", "true");
        dj_str(&j, "pl_off", "false");
    } else if (v->kind == BRIDGE_VAL_NUMBER) {
        if (m && m->unit)
            dj_str(&j, "unit_of_meas", m->unit);
        if (m && m->state_class)
            dj_str(&j, "stat_cla", m->state_class);
        if (v->decimals >= 0 && v->decimals <= 15)
            dj_num(&j, "sug_dsp_prc", v->decimals);
    }
    if (m && m->diagnostic)
        dj_str(&j, "ent_cat", "diagnostic");
    finish(r, &j, component, object);
}

static bool control_wanted(const struct run *r, const struct control *c)
{
    switch (c->need) {
    case NEED_SETTINGS: return (r->groups & BRIDGE_GROUP_SETTINGS) != 0;
    case NEED_WALLBOX: return (r->groups & BRIDGE_GROUP_WALLBOX) != 0 && r->wallbox >= 0;
    default: return true;
    }
}

static double control_max(const struct run *r, const struct control *c)
{
    int64_t v = 0;
    if (c->max_spec >= 0 && (r->snap->have & BRIDGE_HAVE_SPECS) &&
        rscp_sys_spec_get(&r->snap->specs, c->max_spec, &v) == 0 && v > 0 && (double)v <= c->max)
        return (double)v;
    if (strcmp(c->object, "set_reserve_energy") == 0 && (r->snap->have & BRIDGE_HAVE_RESERVE) &&
        r->snap->reserve.max_wh > 0 && r->snap->reserve.max_wh <= c->max)
        return (double)(uint32_t)r->snap->reserve.max_wh; /* commands take whole Wh */
    return c->max;
}

/* The power mode is one command with two parts: the select sends the mode
 * with the watts of the number, the number the watts with the mode of the
 * select (templates reading the other entity's state by its default
 * entity id). A hold from Home Assistant lasts until told otherwise (N 0). */
static void power_mode_template(struct run *r, struct dj *j, int tpl)
{
    char other[ID_MAX], ent[ID_MAX], tmpl[3 * ID_MAX + 256];
    snprintf(other, sizeof other, "e3dc_%s_%s", r->site_id, tpl == TPL_MODE ? "set_power_mode_watts" : "set_power_mode");
    sanitize(other, ent, sizeof ent, true);
    if (tpl == TPL_MODE)
        snprintf(tmpl, sizeof tmpl,
                 "{%% if value == 'auto' %%}auto{%% elif value == 'idle' %%}idle:0{%% else %%}"
                 "{{ value }}:{{ states('number.%s') | int(0) }}:0{%% endif %%}",
                 ent);
    else
        snprintf(tmpl, sizeof tmpl,
                 "{%% set m = states('select.%s') %%}{%% if m in ['charge', 'discharge', 'grid_charge'] %%}"
                 "{{ m }}:{{ value | int }}:0{%% elif m == 'idle' %%}idle:0{%% else %%}auto{%% endif %%}",
                 ent);
    dj_str(j, "cmd_tpl", tmpl);
}

/* Whether a control is one of the commands of one wallbox
 * (set/wallbox/<n>/... with several). */
static bool per_wallbox(const struct control *c)
{
    for (int k = 1; k <= BRIDGE_CMD_LAST; k++)
        if (bridge_command_per_wallbox(k) && strcmp(bridge_command_topic(k), c->command) == 0)
            return true;
    return false;
}

/* Control ci's config. wb < 0: as listed (a wallbox command on the first
 * wallbox's device, set/wallbox/...); wb >= 0: wallbox wb's own, on its
 * device: object set_wallbox_<n>_..., set/wallbox/<n>/..., state
 * wallbox/<n>/... (n = wb + 1). */
static void write_control(struct run *r, size_t ci, int wb)
{
    const struct control *c = &controls[ci];
    int dev = c->need == NEED_WALLBOX ? DEV_WALLBOX : DEV_PLANT;
    char object[ID_MAX], cmd[BRIDGE_DISCOVERY_TOPIC_MAX], state[BRIDGE_TOPIC_SUFFIX_MAX];
    unsigned wn = wb >= 0 ? (unsigned)wb + 1u : 0u;
    uint8_t found = r->state_found[ci][wn];
    if (wb >= 0) {
        /* "set_wallbox_max_current" -> "set_wallbox_2_max_current" */
        snprintf(object, sizeof object, "set_wallbox_%u_%s", wn, c->object + 12);
        snprintf(cmd, sizeof cmd, "set/wallbox/%u/%s", wn, c->command + 8);
        if (found)
            snprintf(state, sizeof state, "wallbox/%u/%s", wn, c->state[found - 1] + 8);
    } else {
        snprintf(object, sizeof object, "%s", c->object);
        snprintf(cmd, sizeof cmd, "set/%s", c->command);
        if (found)
            snprintf(state, sizeof state, "%s", c->state[found - 1]);
    }
    struct dj j;
    dj_init(&j, r->json, sizeof r->json);
    write_common(r, &j, c->component, object, c->name, dev, wb >= 0 ? wb : r->wallbox);
    state_topic(r, &j, "cmd_t", cmd);
    if (found)
        state_topic(r, &j, "stat_t", state);
    if (c->tpl != TPL_NONE)
        power_mode_template(r, &j, c->tpl);
    if (strcmp(c->component, "number") == 0) {
        dj_num(&j, "min", c->min);
        dj_num(&j, "max", control_max(r, c));
        dj_num(&j, "step", 1);
        if (c->box)
            dj_str(&j, "mode", "box");
    } else if (strcmp(c->component, "select") == 0) {
        dj_open(&j, "ops", '[');
        char opt[32];
        for (const char *p = c->options; *p;) {
            size_t n = strcspn(p, "|");
            snprintf(opt, sizeof opt, "%.*s", (int)n, p);
            dj_str(&j, NULL, opt);
            p += n + (p[n] == '|');
        }
        dj_close(&j, '[');
        if (found && c->tpl == TPL_MODE)
            dj_str(&j, "val_tpl", "{{ value.split(':')[0] }}");
    } else if (strcmp(c->component, "switch") == 0) {
        dj_str(&j, "pl_on", "true");
        dj_str(&j, "pl_off", "false");
    } else if (strcmp(c->component, "button") == 0) {
        dj_str(&j, "pl_prs", "true");
    }
    if (c->unit)
        dj_str(&j, "unit_of_meas", c->unit);
    if (c->device_class)
        dj_str(&j, "dev_cla", c->device_class);
    if (c->config)
        dj_str(&j, "ent_cat", "config");
    finish(r, &j, c->component, object);
}

/* The wallboxes the snapshot knows (WB.INDEX bits). */
static uint32_t known_wallboxes(const struct bridge_snapshot *s)
{
    uint32_t mask = 0;
    if (s->have & BRIDGE_HAVE_WALLBOX)
        mask |= s->wb_ok;
    if (s->have & BRIDGE_HAVE_PLANT)
        mask |= s->plant.wallboxes;
    return mask;
}

static unsigned bits(uint32_t v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Whether the values of the wallboxes are numbered (wallbox/<n>/...): as
 * the topic table counts them, the plant's discovery first, else those
 * that answered. */
static bool wallboxes_numbered(const struct bridge_snapshot *s)
{
    unsigned n = (s->have & BRIDGE_HAVE_PLANT) ? bits(s->plant.wallboxes) : 0;
    if (n == 0)
        n = (s->have & BRIDGE_HAVE_WALLBOX) ? bits(s->wb_ok) : 0;
    return n > 1;
}

static size_t run_all(struct run *r)
{
    const struct bridge_discovery_site *site = r->site;
    const struct bridge_snapshot *s = r->snap;
    if (!site || !s || !site->name || !site->prefix || !site->disc_prefix || !(s->have & BRIDGE_HAVE_INFO) ||
        !(s->info.present & RSCP_INFO_SERIAL) || !s->info.serial[0])
        return 0;
    r->serial = s->info.serial;
    r->model = bridge_discovery_model(r->serial);
    bridge_discovery_node_id(r->serial, r->node, sizeof r->node);
    sanitize(site->name, r->site_id, sizeof r->site_id, true);
    r->wallboxes = known_wallboxes(s);
    r->wallbox = -1;
    for (unsigned i = RSCP_WB_MAX_WALLBOXES; i-- > 0;)
        if (r->wallboxes & (1u << i))
            r->wallbox = (int)i;
    r->wb_numbered = wallboxes_numbered(s);
    bridge_topics_each(s, r->groups, on_value, r);
    for (size_t c = 0; c < N_CONTROLS; c++) {
        if (!control_wanted(r, &controls[c]))
            continue;
        if (!r->wb_numbered || !per_wallbox(&controls[c])) {
            write_control(r, c, -1);
            continue;
        }
        for (unsigned i = 0; i < RSCP_WB_MAX_WALLBOXES; i++)
            if (r->wallboxes & (1u << i))
                write_control(r, c, (int)i);
    }
    return r->count;
}

size_t bridge_discovery_each(const struct bridge_discovery_site *site, const struct bridge_snapshot *snap,
                             uint32_t groups, bridge_discovery_fn emit, void *ctx)
{
    struct run r; /* about 9 KiB with the buffers */
    memset(&r, 0, offsetof(struct run, topic));
    r.site = site;
    r.snap = snap;
    r.groups = groups;
    r.emit = emit;
    r.ctx = ctx;
    return emit ? run_all(&r) : 0;
}

size_t bridge_discovery_topics(const struct bridge_discovery_site *site, const struct bridge_snapshot *snap,
                               uint32_t groups, bridge_discovery_topic_fn fn, void *ctx)
{
    struct run r;
    memset(&r, 0, offsetof(struct run, topic));
    r.site = site;
    r.snap = snap;
    r.groups = groups;
    r.topic_fn = fn;
    r.ctx = ctx;
    return fn ? run_all(&r) : 0;
}
