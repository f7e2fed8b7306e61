/* rscp-bridge: the table of published values (topics.h): the plant-level
 * values (live, EMS status, system, settings, reserve, idle periods,
 * manual charge, today's and yesterday's energies, the bridge's hold) and
 * the payload text. The units' values are in topics_units.c.
 *
 * Names and units are rscp2mqtt's (data/compat/rscp2mqtt-topics.tsv)
 * wherever it has the value: energies of the day in kWh, "reserve/procent"
 * as it spells it, grid/state "IN" while feeding in (grid power below 0)
 * and "OUT" otherwise. Values rscp2mqtt lacks have new names in its style
 * (manual_charge/active, pvi/state, ...). Idle periods are published as
 * idle_period/<charge|discharge>/<day> with rscp2mqtt's payload
 * "day:mode:active:hh:mi-hh:mi" (the set/idle_period format), one topic
 * per slot instead of rscp2mqtt's change-numbered list. */
#include "topics.h"

#include <math.h> /* isfinite; fma (libm) for a product on a half-integer */
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rscp/control.h"
#include "rscp/ems.h"
#include "topics_internal.h"

/* ---- producing values ------------------------------------------------- */

/* A topic from its format: "%s" and "%u" written here (every topic has
 * only those, and this runs for every value of every site each cycle),
 * anything else through vsnprintf. Returns the length, or cap or more
 * when it does not fit. */
static size_t topic_format(char *buf, size_t cap, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
static size_t topic_format(char *buf, size_t cap, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    size_t n = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (n + 1 >= cap)
                goto full;
            buf[n++] = *f;
            continue;
        }
        f++;
        if (*f == 's') {
            const char *a = va_arg(ap, const char *);
            size_t k = strlen(a);
            if (n + k >= cap)
                goto full;
            memcpy(buf + n, a, k);
            n += k;
        } else if (*f == 'u') {
            unsigned u = va_arg(ap, unsigned);
            char d[12];
            int nd = 0;
            do {
                d[nd++] = (char)('0' + u % 10);
                u /= 10;
            } while (u > 0);
            if (n + (size_t)nd >= cap)
                goto full;
            while (nd > 0)
                buf[n++] = d[--nd];
        } else { /* another conversion: printf decides */
            int k = vsnprintf(buf, cap, fmt, again);
            va_end(again);
            return k < 0 ? 0 : (size_t)k;
        }
    }
    va_end(again);
    buf[n] = '\0';
    return n;
full:
    va_end(again);
    buf[cap - 1] = '\0';
    return cap;
}

static bool begin(struct bridge_value *v, const struct bridge_topic_meta *m, int unit, int kind, const char *fmt,
                  va_list ap) __attribute__((format(printf, 5, 0)));
static bool begin(struct bridge_value *v, const struct bridge_topic_meta *m, int unit, int kind, const char *fmt,
                  va_list ap)
{
    size_t n = topic_format(v->topic, sizeof v->topic, fmt, ap);
    if (n == 0 || n >= sizeof v->topic)
        return false;
    v->kind = kind;
    v->number = 0;
    v->decimals = 0;
    v->flag = false;
    v->text = NULL;
    v->meta = m;
    v->unit_index = unit;
    return true;
}

static void put(struct topics_run *r, const struct bridge_value *v)
{
    r->n++;
    if (r->fn)
        r->fn(r->ctx, v);
}

void topics_num(struct topics_run *r, const struct bridge_topic_meta *m, int unit, int decimals, double x,
                const char *fmt, ...)
{
    if (!isfinite(x))
        return;
    struct bridge_value v;
    va_list ap;
    va_start(ap, fmt);
    bool ok = begin(&v, m, unit, BRIDGE_VAL_NUMBER, fmt, ap);
    va_end(ap);
    if (!ok)
        return;
    v.number = x;
    v.decimals = decimals;
    put(r, &v);
}

void topics_bool(struct topics_run *r, const struct bridge_topic_meta *m, int unit, bool b, const char *fmt, ...)
{
    struct bridge_value v;
    va_list ap;
    va_start(ap, fmt);
    bool ok = begin(&v, m, unit, BRIDGE_VAL_BOOL, fmt, ap);
    va_end(ap);
    if (!ok)
        return;
    v.flag = b;
    put(r, &v);
}

void topics_str(struct topics_run *r, const struct bridge_topic_meta *m, int unit, const char *text,
                const char *fmt, ...)
{
    if (!text || !text[0])
        return;
    struct bridge_value v;
    va_list ap;
    va_start(ap, fmt);
    bool ok = begin(&v, m, unit, BRIDGE_VAL_STRING, fmt, ap);
    va_end(ap);
    if (!ok)
        return;
    v.text = text;
    put(r, &v);
}

bool topics_wants(const struct topics_run *r, uint32_t g, uint32_t have)
{
    return (r->groups & g) && (r->s->have & have);
}

/* ---- live values and the EMS status ------------------------------------ */

#define G_LIVE BRIDGE_GROUP_LIVE
TOPIC_META(m_pv, "Solar power", "W", "power", "measurement", NULL, "rscp_pv_power_watts", 1, G_LIVE, false);
TOPIC_META(m_bat, "Battery power", "W", "power", "measurement", NULL, "rscp_battery_power_watts", 1, G_LIVE, false);
TOPIC_META(m_grid, "Grid power", "W", "power", "measurement", NULL, "rscp_grid_power_watts", 1, G_LIVE, false);
TOPIC_META(m_home, "Home power", "W", "power", "measurement", NULL, "rscp_house_power_watts", 1, G_LIVE, false);
TOPIC_META(m_add, "Additional power", "W", "power", "measurement", NULL, "rscp_additional_power_watts", 1, G_LIVE,
           false);
TOPIC_META(m_wb_all, "Wallbox power", "W", "power", "measurement", NULL, "rscp_wallbox_power_watts", 1, G_LIVE,
           false);
TOPIC_META(m_wb_solar, "Wallbox solar power", "W", "power", "measurement", NULL, "rscp_wallbox_solar_power_watts", 1,
           G_LIVE, false);
TOPIC_META(m_soc, "Battery SOC", "%", "battery", "measurement", NULL, "rscp_battery_soc_ratio", 0.01, G_LIVE, false);
TOPIC_META(m_autarky, "Autarky", "%", NULL, "measurement", NULL, "rscp_autarky_ratio", 0.01, G_LIVE, false);
TOPIC_META(m_consumed, "Self-consumption", "%", NULL, "measurement", NULL, "rscp_self_consumption_ratio", 0.01, G_LIVE,
           false);
TOPIC_META(m_grid_state, "Grid state", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_bat_state, "Battery state", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_status, "EMS status", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_charge_lock, "Charging locked", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_discharge_lock, "Discharging locked", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_emergency, "Emergency power available", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_throttled, "Charging throttled", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_grid_limit, "Grid feed-in limited", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_charge_time, "Charging locked by idle period", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_discharge_time, "Discharging locked by idle period", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);

/* The EMS status bits as rscp2mqtt's booleans. */
static const struct {
    uint32_t bit;
    const char *topic;
    const struct bridge_topic_meta *meta;
} status_bits[] = {
    {RSCP_EMS_STATUS_CHARGE_LOCKED, "ems/charging_lock", &m_charge_lock},
    {RSCP_EMS_STATUS_DISCHARGE_LOCKED, "ems/discharging_lock", &m_discharge_lock},
    {RSCP_EMS_STATUS_EMERGENCY_READY, "ems/emergency_power_available", &m_emergency},
    {RSCP_EMS_STATUS_WEATHER_THROTTLED, "ems/charging_throttled", &m_throttled},
    {RSCP_EMS_STATUS_FEED_IN_LIMITED, "grid_in_limit", &m_grid_limit},
    {RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD, "ems/charging_time_lock", &m_charge_time},
    {RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD, "ems/discharging_time_lock", &m_discharge_time},
};

/* rscp2mqtt's battery/state from the battery power and the SOC. */
static const char *battery_state(const struct rscp_live *l)
{
    if (l->bat > 0)
        return "CHARGING";
    if (l->bat < 0)
        return "DISCHARGING";
    if (l->soc >= 100)
        return "FULL";
    if (l->soc <= 0)
        return "EMPTY";
    return "PENDING";
}

static void live_values(struct topics_run *r)
{
    if (!topics_wants(r, G_LIVE, BRIDGE_HAVE_LIVE))
        return;
    const struct rscp_live *l = &r->s->live;
    uint32_t p = l->present;
    if (p & RSCP_LIVE_PV)
        topics_num(r, &m_pv, -1, 0, (double)l->pv, "solar/power");
    if (p & RSCP_LIVE_BAT)
        topics_num(r, &m_bat, -1, 0, (double)l->bat, "battery/power");
    if (p & RSCP_LIVE_GRID)
        topics_num(r, &m_grid, -1, 0, (double)l->grid, "grid/power");
    if (p & RSCP_LIVE_HOME)
        topics_num(r, &m_home, -1, 0, (double)l->home, "home/power");
    if (p & RSCP_LIVE_ADD)
        topics_num(r, &m_add, -1, 0, (double)l->add, "addon/power");
    if (p & RSCP_LIVE_WB_ALL)
        topics_num(r, &m_wb_all, -1, 0, (double)l->wb_all, "wallbox/total/power");
    if (p & RSCP_LIVE_WB_SOLAR)
        topics_num(r, &m_wb_solar, -1, 0, (double)l->wb_solar, "wallbox/solar/power");
    if (p & RSCP_LIVE_SOC)
        topics_num(r, &m_soc, -1, 1, l->soc, "battery/soc");
    if (p & RSCP_LIVE_AUTARKY)
        topics_num(r, &m_autarky, -1, 1, l->autarky, "autarky");
    if (p & RSCP_LIVE_SELF_CONSUMPTION)
        topics_num(r, &m_consumed, -1, 1, l->self_consumption, "consumed");
    if (p & RSCP_LIVE_GRID)
        topics_str(r, &m_grid_state, -1, l->grid < 0 ? "IN" : "OUT", "grid/state");
    if ((p & (RSCP_LIVE_BAT | RSCP_LIVE_SOC)) == (RSCP_LIVE_BAT | RSCP_LIVE_SOC) && isfinite(l->soc))
        topics_str(r, &m_bat_state, -1, battery_state(l), "battery/state");
    if (p & RSCP_LIVE_STATUS) {
        topics_num(r, &m_status, -1, 0, (double)l->status, "ems/status");
        for (size_t k = 0; k < sizeof status_bits / sizeof status_bits[0]; k++)
            topics_bool(r, status_bits[k].meta, -1, (l->status & status_bits[k].bit) != 0, "%s",
                        status_bits[k].topic);
    }
}

/* ---- system: identity, shape, specs ------------------------------------ */

TOPIC_META(m_serial, "Serial number", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_software, "Software release", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_production, "Production date", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_time_zone, "Time zone", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_bat_count, "Battery count", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_pvi_count, "Inverter count", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_pm_count, "Power meter count", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);
TOPIC_META(m_wb_count, "Wallbox count", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, true);

#define G_SET BRIDGE_GROUP_SETTINGS
TOPIC_META(m_spec_capacity, "Installed battery capacity", "Wh", "energy_storage", "measurement", NULL,
           "rscp_installed_battery_capacity_joules", 3600, G_SET, true);
TOPIC_META(m_spec_peak, "Installed peak power", "W", "power", "measurement", NULL, "rscp_installed_pv_power_watts", 1,
           G_SET, true);
TOPIC_META(m_spec_ac, "Max AC power", "W", "power", "measurement", NULL, NULL, 1, G_SET, true);
TOPIC_META(m_spec_charge, "Max battery charge power", "W", "power", "measurement", NULL, NULL, 1, G_SET, true);
TOPIC_META(m_spec_discharge, "Max battery discharge power", "W", "power", "measurement", NULL, NULL, 1, G_SET, true);

static const struct {
    int spec;
    const char *topic;
    const struct bridge_topic_meta *meta;
} spec_values[] = {
    {RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, "system/installed_battery_capacity", &m_spec_capacity},
    {RSCP_SPEC_MAX_PV_POWER, "system/installed_peak_power", &m_spec_peak},
    {RSCP_SPEC_MAX_AC_POWER, "system/max_ac_power", &m_spec_ac},
    {RSCP_SPEC_MAX_CHARGE_POWER, "system/max_charge_power", &m_spec_charge},
    {RSCP_SPEC_MAX_DISCHARGE_POWER, "system/max_discharge_power", &m_spec_discharge},
};

static void system_values(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    if (topics_wants(r, G_LIVE, BRIDGE_HAVE_INFO)) {
        const struct rscp_info *i = &s->info;
        if (i->present & RSCP_INFO_SERIAL)
            topics_str(r, &m_serial, -1, i->serial, "system/serial_number");
        if (i->present & RSCP_INFO_SW_RELEASE)
            topics_str(r, &m_software, -1, i->sw_release, "system/software");
        if (i->present & RSCP_INFO_PRODUCTION_DATE)
            topics_str(r, &m_production, -1, i->production_date, "system/production_date");
        if (i->present & RSCP_INFO_TIME_ZONE)
            topics_str(r, &m_time_zone, -1, i->time_zone, "time/zone");
    }
    if (topics_wants(r, G_LIVE, BRIDGE_HAVE_PLANT)) {
        topics_num(r, &m_bat_count, -1, 0, s->plant.n_batteries, "system/battery_count");
        topics_num(r, &m_pvi_count, -1, 0, s->plant.n_inverters, "system/inverter_count");
        topics_num(r, &m_pm_count, -1, 0, s->plant.n_meters, "system/meter_count");
        topics_num(r, &m_wb_count, -1, 0, s->plant.n_wallboxes, "system/wallbox_count");
    }
    if (topics_wants(r, G_SET, BRIDGE_HAVE_SPECS))
        for (size_t k = 0; k < sizeof spec_values / sizeof spec_values[0]; k++) {
            int64_t v;
            if (rscp_sys_spec_get(&s->specs, spec_values[k].spec, &v) == 0)
                topics_num(r, spec_values[k].meta, -1, 0, (double)v, "%s", spec_values[k].topic);
        }
}

/* ---- settings, reserve, idle periods, manual charge -------------------- */

TOPIC_META(m_limits, "Power limits used", NULL, NULL, NULL, NULL, "rscp_power_limits_enabled", 1, G_SET, false);
TOPIC_META(m_max_charge, "Max charge power", "W", "power", "measurement", NULL, "rscp_max_charge_power_watts", 1,
           G_SET, false);
TOPIC_META(m_max_discharge, "Max discharge power", "W", "power", "measurement", NULL,
           "rscp_max_discharge_power_watts", 1, G_SET, false);
TOPIC_META(m_discharge_start, "Discharge start power", "W", "power", "measurement", NULL,
           "rscp_discharge_start_power_watts", 1, G_SET, false);
TOPIC_META(m_power_save, "Power save", NULL, NULL, NULL, NULL, "rscp_power_save_enabled", 1, G_SET, false);
TOPIC_META(m_weather, "Weather regulation", NULL, NULL, NULL, NULL, "rscp_weather_regulation_enabled", 1, G_SET,
           false);
TOPIC_META(m_forecast, "Weather forecast mode", NULL, NULL, NULL, NULL, NULL, 1, G_SET, true);
TOPIC_META(m_res_pct, "Emergency power reserve", "%", "battery", "measurement", NULL, "rscp_reserve_ratio", 0.01,
           G_SET, false);
TOPIC_META(m_res_wh, "Emergency power reserve energy", "Wh", "energy_storage", "measurement", NULL,
           "rscp_reserve_energy_joules", 3600, G_SET, false);
TOPIC_META(m_res_max, "Emergency power reserve max", "Wh", "energy_storage", "measurement", NULL,
           "rscp_reserve_max_energy_joules", 3600, G_SET, true);
TOPIC_META(m_res_soc, "Emergency power reserve last SOC", "%", "battery", "measurement", NULL, NULL, 1, G_SET, true);
TOPIC_META(m_idle_on, "Idle periods enabled", NULL, NULL, NULL, NULL, NULL, 1, G_SET, false);
TOPIC_META(m_idle, "Idle period", NULL, NULL, NULL, NULL, NULL, 1, G_SET, false);
TOPIC_META(m_mc_active, "Manual charge active", NULL, NULL, NULL, NULL, "rscp_manual_charge_active", 1, G_SET, false);
TOPIC_META(m_mc_energy, "Manual charge energy", "Wh", "energy", "total_increasing", NULL,
           "rscp_manual_charge_energy_joules", 3600, G_SET, false);
TOPIC_META(m_mc_starts, "Manual charge starts", NULL, NULL, "total_increasing", NULL, "rscp_manual_charge_starts_total",
           1, G_SET, true);

static void settings_values(struct topics_run *r)
{
    const struct bridge_snapshot *s = r->s;
    if (topics_wants(r, G_SET, BRIDGE_HAVE_SETTINGS)) {
        const struct rscp_power_settings *p = &s->settings;
        if (p->present & RSCP_PS_LIMITS_USED)
            topics_bool(r, &m_limits, -1, p->limits_used, "ems/power_limits");
        if (p->present & RSCP_PS_MAX_CHARGE)
            topics_num(r, &m_max_charge, -1, 0, p->max_charge, "ems/max_charge/power");
        if (p->present & RSCP_PS_MAX_DISCHARGE)
            topics_num(r, &m_max_discharge, -1, 0, p->max_discharge, "ems/max_discharge/power");
        if (p->present & RSCP_PS_DISCHARGE_START)
            topics_num(r, &m_discharge_start, -1, 0, p->discharge_start, "ems/discharge_start/power");
        if (p->present & RSCP_PS_POWER_SAVE)
            topics_bool(r, &m_power_save, -1, p->power_save, "ems/power_save");
        if (p->present & RSCP_PS_WEATHER)
            topics_bool(r, &m_weather, -1, p->weather_regulated, "ems/weather_regulation");
        if (p->present & RSCP_PS_FORECAST_MODE)
            topics_num(r, &m_forecast, -1, 0, p->forecast_mode, "ems/weather_forecast_mode");
    }
    if (topics_wants(r, G_SET, BRIDGE_HAVE_RESERVE)) {
        const struct rscp_ep_reserve *e = &s->reserve;
        if (e->present & RSCP_EP_PERCENT)
            topics_num(r, &m_res_pct, -1, 1, e->percent, "reserve/procent");
        if (e->present & RSCP_EP_ENERGY)
            topics_num(r, &m_res_wh, -1, 0, e->energy_wh, "reserve/energy");
        if (e->present & RSCP_EP_MAX)
            topics_num(r, &m_res_max, -1, 0, e->max_wh, "reserve/max");
        if (e->present & RSCP_EP_LAST_SOC)
            topics_num(r, &m_res_soc, -1, 1, e->last_soc, "reserve/last_soc");
    }
    if (topics_wants(r, G_SET, BRIDGE_HAVE_IDLE)) {
        const struct rscp_idle_periods *ip = &s->idle;
        if (ip->enabled_present)
            topics_bool(r, &m_idle_on, -1, ip->enabled, "idle_period/enabled");
        uint32_t seen = 0; /* bit type*7+day: one topic per slot */
        size_t n = ip->count < RSCP_IDLE_PERIODS_MAX ? ip->count : RSCP_IDLE_PERIODS_MAX;
        for (size_t k = 0; ip->periods_present && k < n; k++) {
            const struct rscp_idle_period *q = &ip->period[k];
            const char *day = rscp_idle_day_name(q->day);
            if (q->type > RSCP_IDLE_DISCHARGE || !day || q->start_hour > 23 || q->end_hour > 23 ||
                q->start_minute > 59 || q->end_minute > 59)
                continue;
            uint32_t bit = 1u << (q->type * 7u + q->day);
            if (seen & bit)
                continue;
            seen |= bit;
            const char *mode = q->type == RSCP_IDLE_CHARGE ? "charge" : "discharge";
            char text[64];
            snprintf(text, sizeof text, "%s:%s:%s:%02u:%02u-%02u:%02u", day, mode, q->active ? "true" : "false",
                     q->start_hour, q->start_minute, q->end_hour, q->end_minute);
            topics_str(r, &m_idle, -1, text, "idle_period/%s/%s", mode, day);
        }
    }
    if (topics_wants(r, G_SET, BRIDGE_HAVE_MANUAL)) {
        const struct rscp_manual_charge *mc = &s->manual_charge;
        if (mc->present & RSCP_MC_ACTIVE)
            topics_bool(r, &m_mc_active, -1, mc->active, "manual_charge/active");
        if (mc->present & RSCP_MC_ENERGY)
            topics_num(r, &m_mc_energy, -1, 0, mc->energy_wh, "manual_charge/energy");
        if (mc->present & RSCP_MC_START_COUNTER)
            topics_num(r, &m_mc_starts, -1, 0, (double)mc->start_counter, "manual_charge/start_counter");
    }
}

/* ---- today's and yesterday's energies (DB) ----------------------------- */

#define G_HIST BRIDGE_GROUP_HISTORY
#define DAY_META(name, label, metric) \
    TOPIC_META(name, label, "kWh", "energy", "total_increasing", NULL, metric, 3.6e6, G_HIST, false)
DAY_META(m_t_pv, "Solar energy today", "rscp_today_pv_energy_joules");
DAY_META(m_t_grid_in, "Grid feed-in (export) energy today", "rscp_today_grid_in_energy_joules");
DAY_META(m_t_grid_out, "Grid import energy today", "rscp_today_grid_out_energy_joules");
DAY_META(m_t_bat_in, "Battery charge energy today", "rscp_today_battery_charge_energy_joules");
DAY_META(m_t_bat_out, "Battery discharge energy today", "rscp_today_battery_discharge_energy_joules");
DAY_META(m_t_home, "Home energy today", "rscp_today_house_energy_joules");
DAY_META(m_t_pm0, "External meter 0 energy today", "rscp_today_pm0_energy_joules");
DAY_META(m_t_pm1, "External meter 1 energy today", "rscp_today_pm1_energy_joules");
DAY_META(m_y_pv, "Solar energy yesterday", "rscp_yesterday_pv_energy_joules");
DAY_META(m_y_grid_in, "Grid feed-in (export) energy yesterday", "rscp_yesterday_grid_in_energy_joules");
DAY_META(m_y_grid_out, "Grid import energy yesterday", "rscp_yesterday_grid_out_energy_joules");
DAY_META(m_y_bat_in, "Battery charge energy yesterday", "rscp_yesterday_battery_charge_energy_joules");
DAY_META(m_y_bat_out, "Battery discharge energy yesterday", "rscp_yesterday_battery_discharge_energy_joules");
DAY_META(m_y_home, "Home energy yesterday", "rscp_yesterday_house_energy_joules");
DAY_META(m_y_pm0, "External meter 0 energy yesterday", "rscp_yesterday_pm0_energy_joules");
DAY_META(m_y_pm1, "External meter 1 energy yesterday", "rscp_yesterday_pm1_energy_joules");
TOPIC_META(m_t_soc, "Battery SOC today", "%", "battery", "measurement", NULL, NULL, 1, G_HIST, false);
TOPIC_META(m_y_soc, "Battery SOC yesterday", "%", "battery", "measurement", NULL, NULL, 1, G_HIST, false);
TOPIC_META(m_y_autarky, "Autarky yesterday", "%", NULL, "measurement", NULL, "rscp_yesterday_autarky_ratio", 0.01,
           G_HIST, false);
TOPIC_META(m_y_consumed, "Self-consumption yesterday", "%", NULL, "measurement", NULL,
           "rscp_yesterday_self_consumption_ratio", 0.01, G_HIST, false);

struct day_metas {
    const char *prefix; /* "" or "yesterday/" */
    const struct bridge_topic_meta *pv, *grid_in, *grid_out, *bat_in, *bat_out, *home, *pm0, *pm1, *soc, *autarky,
        *consumed;
};

static const struct day_metas today_metas = {"", &m_t_pv, &m_t_grid_in, &m_t_grid_out, &m_t_bat_in, &m_t_bat_out,
                                             &m_t_home, &m_t_pm0, &m_t_pm1, &m_t_soc, NULL, NULL};
static const struct day_metas yesterday_metas = {"yesterday/", &m_y_pv, &m_y_grid_in, &m_y_grid_out,
                                                 &m_y_bat_in, &m_y_bat_out, &m_y_home, &m_y_pm0,
                                                 &m_y_pm1, &m_y_soc, &m_y_autarky, &m_y_consumed};

/* One day's energies in kWh (rscp2mqtt's divisor 1000). grid/energy/in
 * carries DB.GRID_POWER_IN, the energy fed into the grid (export), and
 * grid/energy/out DB.GRID_POWER_OUT, the import, as rscp2mqtt publishes
 * them (its labels: "Einspeisung" and "Netzbezug"). Today's autarky
 * and self-consumption are not published: "autarky" and "consumed" are
 * the live values. */
static void day_values(struct topics_run *r, const struct rscp_history_values *h, const struct day_metas *m)
{
    const char *p = m->prefix;
    uint32_t b = h->present;
    if (b & RSCP_HIST_PV)
        topics_num(r, m->pv, -1, 2, h->pv / 1000, "%ssolar/energy", p);
    if (b & RSCP_HIST_GRID_IN)
        topics_num(r, m->grid_in, -1, 2, h->grid_in / 1000, "%sgrid/energy/in", p);
    if (b & RSCP_HIST_GRID_OUT)
        topics_num(r, m->grid_out, -1, 2, h->grid_out / 1000, "%sgrid/energy/out", p);
    if (b & RSCP_HIST_BAT_IN)
        topics_num(r, m->bat_in, -1, 2, h->bat_in / 1000, "%sbattery/energy/charge", p);
    if (b & RSCP_HIST_BAT_OUT)
        topics_num(r, m->bat_out, -1, 2, h->bat_out / 1000, "%sbattery/energy/discharge", p);
    if (b & RSCP_HIST_HOME)
        topics_num(r, m->home, -1, 2, h->home / 1000, "%shome/energy", p);
    if (b & RSCP_HIST_PM0)
        topics_num(r, m->pm0, -1, 2, h->pm0 / 1000, "%spm_0/energy", p);
    if (b & RSCP_HIST_PM1)
        topics_num(r, m->pm1, -1, 2, h->pm1 / 1000, "%spm_1/energy", p);
    if (b & RSCP_HIST_SOC)
        topics_num(r, m->soc, -1, 1, h->soc, "%sbattery/rsoc", p);
    if ((b & RSCP_HIST_AUTARKY) && m->autarky)
        topics_num(r, m->autarky, -1, 1, h->autarky, "%sautarky", p);
    if ((b & RSCP_HIST_CONSUMED_PRODUCTION) && m->consumed)
        topics_num(r, m->consumed, -1, 1, h->consumed_production, "%sconsumed", p);
}

/* ---- the bridge's power-mode hold -------------------------------------- */

TOPIC_META(m_hold_mode, "Power mode", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_hold_name, "Set power mode", NULL, NULL, NULL, NULL, NULL, 1, G_LIVE, false);
TOPIC_META(m_hold_watts, "Set power", "W", "power", "measurement", NULL, "rscp_bridge_set_power_watts", 1, G_LIVE,
           false);

static void hold_values(struct topics_run *r)
{
    if (!topics_wants(r, G_LIVE, BRIDGE_HAVE_HOLD))
        return;
    const struct bridge_hold_state *h = &r->s->hold;
    const char *name = rscp_power_mode_name(h->mode);
    if (!name)
        return;
    /* ems/power_mode: the hold in set/power_mode's own form. */
    char text[64];
    if (h->mode == RSCP_POWER_AUTO)
        snprintf(text, sizeof text, "auto");
    else if (h->mode == RSCP_POWER_IDLE)
        snprintf(text, sizeof text, "idle:%u", h->cycles_left);
    else
        snprintf(text, sizeof text, "%s:%d:%u", name, (int)h->watts, h->cycles_left);
    topics_str(r, &m_hold_mode, -1, text, "ems/power_mode");
    topics_str(r, &m_hold_name, -1, name, "ems/set_power/mode");
    topics_num(r, &m_hold_watts, -1, 0, h->mode == RSCP_POWER_AUTO ? 0 : (double)h->watts, "ems/set_power/power");
}

/* ---- the table --------------------------------------------------------- */

size_t bridge_topics_each(const struct bridge_snapshot *s, uint32_t groups, bridge_value_fn fn, void *ctx)
{
    return bridge_topics_each_part(s, groups, BRIDGE_TOPICS_ALL, fn, ctx);
}

size_t bridge_topics_each_part(const struct bridge_snapshot *s, uint32_t groups, enum bridge_topics_part part,
                               bridge_value_fn fn, void *ctx)
{
    if (!s)
        return 0;
    struct topics_run r = {s, groups, fn, ctx, 0};
    if (part == BRIDGE_TOPICS_MODULES) {
        topics_dcbs(&r);
        return r.n;
    }
    live_values(&r);
    system_values(&r);
    topics_batteries(&r);
    if (part == BRIDGE_TOPICS_ALL)
        topics_dcbs(&r);
    topics_inverters(&r);
    topics_meters(&r);
    topics_wallboxes(&r);
    settings_values(&r);
    if (topics_wants(&r, G_HIST, BRIDGE_HAVE_TODAY))
        day_values(&r, &s->today, &today_metas);
    if (topics_wants(&r, G_HIST, BRIDGE_HAVE_YESTERDAY))
        day_values(&r, &s->yesterday, &yesterday_metas);
    hold_values(&r);
    return r.n;
}

/* ---- payloads ---------------------------------------------------------- */

/* Copy text into buf[0..cap) with control characters as '?'. Returns
 * the full length. */
static size_t put_text(const char *text, char *buf, size_t cap)
{
    size_t n = strlen(text);
    if (cap == 0)
        return n;
    size_t k = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)text[i];
        buf[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    buf[k] = '\0';
    return n;
}

/* x with d decimals as "%.*f" prints it (the exact binary value rounded
 * half to even), without printf. 10^d (d <= 9) is exact, and below 2^52
 * every half-integer is a double, so the rounded product x * 10^d lies on
 * the same side of each half-integer as the exact one, or on it. Only a
 * product that came out on a half-integer needs more: the product's
 * rounding error, which fma gives exactly, says on which side the exact
 * one lies (none: a true tie, to even). This is the bridge's hot path
 * (every value of every site, every cycle). Returns the length, or 0 when
 * printf must decide (too large). */
static size_t fixed_fast(double x, int d, char *out)
{
    static const double pow10[10] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    double ax = x < 0 ? -x : x;
    double scaled = ax * pow10[d];
    if (!(scaled < 4e15))
        return 0;
    uint64_t u = (uint64_t)scaled; /* truncates: scaled >= 0 */
    double frac = scaled - (double)u; /* exact */
    if (frac == 0.5) {
        double err = fma(ax, pow10[d], -scaled); /* exact - scaled, exactly */
        u += err > 0 || (err == 0 && (u & 1u));
    } else {
        u += frac > 0.5;
    }
    char digits[24];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    while (nd <= d) /* at least one digit before the point */
        digits[nd++] = '0';
    size_t n = 0;
    bool zero = true;
    for (int i = 0; i < nd; i++)
        zero = zero && digits[i] == '0';
    if (x < 0 && !zero) /* a value that rounds to zero has no sign */
        out[n++] = '-';
    for (int i = nd - 1; i >= 0; i--) {
        if (i == d - 1)
            out[n++] = '.';
        out[n++] = digits[i];
    }
    out[n] = '\0';
    return n;
}

static size_t put_number(double x, int decimals, char *buf, size_t cap)
{
    char tmp[64];
    int d = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
    int n;
    if (!isfinite(x))
        n = snprintf(tmp, sizeof tmp, "null");
    else if (x >= 1e15 || x <= -1e15)
        n = snprintf(tmp, sizeof tmp, "%.17g", x);
    else if ((n = (int)fixed_fast(x, d, tmp)) > 0)
        return put_text(tmp, buf, cap);
    else
        n = snprintf(tmp, sizeof tmp, "%.*f", d, x);
    if (n < 0)
        n = 0;
    /* "-0", "-0.00": a value that rounds to zero has no sign */
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1)) {
        memmove(tmp, tmp + 1, (size_t)n);
        n--;
    }
    return put_text(tmp, buf, cap);
}

size_t bridge_value_payload(const struct bridge_value *v, char *buf, size_t cap)
{
    if (cap > 0)
        buf[0] = '\0';
    if (!v)
        return 0;
    switch (v->kind) {
    case BRIDGE_VAL_NUMBER: return put_number(v->number, v->decimals, buf, cap);
    case BRIDGE_VAL_BOOL: return put_text(v->flag ? "true" : "false", buf, cap);
    case BRIDGE_VAL_STRING: return put_text(v->text ? v->text : "", buf, cap);
    default: return 0;
    }
}
