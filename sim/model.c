/* The device model: sun, clouds, house load, car, battery and grid. */
#include "model.h"

#include "noise.h"

#include "rscp/ems.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* Noise streams: one per independent quantity. */
enum {
    STREAM_DAY_KIND = 10,
    STREAM_CLOUD_SLOW,
    STREAM_CLOUD_FAST,
    STREAM_LOAD_NOISE = 20,
    STREAM_FRIDGE,
    STREAM_EVENT = 30,
    STREAM_EVENT_KIND,
    STREAM_EVENT_OFFSET,
    STREAM_CAR_LEAVE = 40,
    STREAM_CAR_BACK,
    STREAM_CAR_NEED,
    STREAM_CAR_WEEKEND,
    STREAM_SOC_ANCHOR = 50,
    STREAM_CYCLES
};

void sim_config_default(struct sim_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->latitude_deg = 50.0;
    c->longitude_deg = 10.0;
    c->tz.name = "Europe/Berlin";
    c->tz.std_offset_s = 3600;
    c->tz.eu_dst = true;
    c->pv_peak_w = 9800.0;
    c->trackers = 2;
    c->add_peak_w = 1800.0;
    c->batteries = 1;
    c->dcbs = 6;
    c->bat_capacity_wh = 13800.0;
    c->bat_max_charge_w = 6000.0;
    c->derate_share = 0.70;
    c->bat_max_discharge_w = 6000.0;
    c->bat_efficiency = 0.95;
    c->home_base_w = 180.0;
    c->wallbox = true;
    c->wb_min_w = 1380.0;
    c->wb_max_w = 11000.0;
}

bool sim_config_same(const struct sim_config *a, const struct sim_config *b)
{
    bool names = a->tz.name == b->tz.name || (a->tz.name && b->tz.name && strcmp(a->tz.name, b->tz.name) == 0);
    return a->seed == b->seed && a->latitude_deg == b->latitude_deg && a->longitude_deg == b->longitude_deg &&
           names && a->tz.std_offset_s == b->tz.std_offset_s && a->tz.eu_dst == b->tz.eu_dst &&
           a->pv_peak_w == b->pv_peak_w && a->trackers == b->trackers && a->add_peak_w == b->add_peak_w &&
           a->batteries == b->batteries && a->dcbs == b->dcbs && a->bat_capacity_wh == b->bat_capacity_wh &&
           a->bat_max_charge_w == b->bat_max_charge_w && a->bat_max_discharge_w == b->bat_max_discharge_w &&
           a->bat_efficiency == b->bat_efficiency && a->home_base_w == b->home_base_w &&
           a->wallbox == b->wallbox && a->wb_min_w == b->wb_min_w && a->wb_max_w == b->wb_max_w &&
           a->car_max_w == b->car_max_w && a->derate_share == b->derate_share;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int64_t local_day(const struct sim_config *c, double t)
{
    return sim_local_day(&c->tz, (int64_t)floor(t));
}

/* Seconds since local midnight. */
static double local_seconds(const struct sim_config *c, double t, int64_t *day)
{
    int64_t ti = (int64_t)floor(t);
    int64_t d = sim_local_day(&c->tz, ti);
    if (day)
        *day = d;
    return (double)(ti + sim_tz_offset(&c->tz, ti) - d * 86400) + (t - floor(t));
}

/* ---- sun ------------------------------------------------------------------ */

struct sun {
    double elevation; /* rad */
    double azimuth;   /* rad, from north, clockwise */
};

/* What the sun's position needs of a UTC day and a latitude: sine and
 * cosine of the declination and of the latitude, the equation of time
 * (min). The last day's are kept per thread (steps come in order); the
 * values are those the expressions give each time. */
struct sun_day {
    double sin_decl, cos_decl, eot_min, sin_lat, cos_lat;
};

static void sun_of_day(int64_t days, double lat, struct sun_day *out)
{
    static _Thread_local int64_t day = INT64_MIN;
    static _Thread_local double day_lat;
    static _Thread_local struct sun_day memo;
    if (days != day || lat != day_lat) {
        double doy = (double)sim_day_of_year(days);
        double decl = 23.45 * DEG * sin(2.0 * PI * (284.0 + doy) / 365.0);
        double b = 2.0 * PI * (doy - 81.0) / 364.0;
        memo.eot_min = 9.87 * sin(2.0 * b) - 7.53 * cos(b) - 1.5 * sin(b);
        memo.sin_decl = sin(decl);
        memo.cos_decl = cos(decl);
        memo.sin_lat = sin(lat);
        memo.cos_lat = cos(lat);
        day = days;
        day_lat = lat;
    }
    *out = memo;
}

static struct sun sun_position(const struct sim_config *c, double t)
{
    int64_t days = (int64_t)floor(t / 86400.0);
    double utc_h = (t - (double)days * 86400.0) / 3600.0;
    double lat = c->latitude_deg * DEG;
    struct sun_day sd;
    sun_of_day(days, lat, &sd);
    double solar_h = utc_h + c->longitude_deg / 15.0 + sd.eot_min / 60.0;
    double h = 15.0 * DEG * (solar_h - 12.0);
    double sin_el = sd.sin_lat * sd.sin_decl + sd.cos_lat * sd.cos_decl * cos(h);
    struct sun s;
    s.elevation = asin(clampd(sin_el, -1.0, 1.0));
    s.azimuth = atan2(-sin(h) * sd.cos_decl, (sd.sin_decl - sin_el * sd.sin_lat) / sd.cos_lat);
    if (s.azimuth < 0)
        s.azimuth += 2.0 * PI;
    return s;
}

double sim_sun_elevation(const struct sim_config *c, double t)
{
    return sun_position(c, t).elevation / DEG;
}

/* Panel orientation of tracker k: tilted 30 degrees, spread around south. */
static double tracker_azimuth(const struct sim_config *c, unsigned k)
{
    double mid = ((double)c->trackers - 1.0) / 2.0;
    return (180.0 + ((double)k - mid) * 50.0) * DEG;
}

/* What the clear-sky power of every plane needs from the sun at one
 * instant; up = false below the horizon. */
struct sky {
    struct sun s;
    bool up;
    double sin_el, cos_el, dni, dhi;
};

static struct sky sky_at(const struct sim_config *c, double t)
{
    struct sky k;
    k.s = sun_position(c, t);
    k.up = k.s.elevation > 0.0;
    k.sin_el = k.cos_el = k.dni = k.dhi = 0.0;
    if (!k.up)
        return k;
    double el_deg = k.s.elevation / DEG;
    k.sin_el = sin(k.s.elevation);
    k.cos_el = cos(k.s.elevation);
    double air_mass = 1.0 / (k.sin_el + 0.50572 * pow(el_deg + 6.07995, -1.6364));
    k.dni = 1353.0 * pow(0.7, pow(air_mass, 0.678));
    k.dhi = 0.11 * k.dni;
    return k;
}

/* Clear-sky DC power of a plane tilted 30 degrees facing `azimuth` (rad)
 * under sky k. */
static double pv_plane_sky(const struct sky *k, double azimuth, double peak)
{
    if (!k->up)
        return 0.0;
    double tilt = 30.0 * DEG;
    double cos_inc = k->sin_el * cos(tilt) + k->cos_el * sin(tilt) * cos(k->s.azimuth - azimuth);
    double poa = k->dni * (cos_inc > 0.0 ? cos_inc : 0.0) + k->dhi * (1.0 + cos(tilt)) / 2.0;
    return clampd(peak * poa / 1000.0 * 0.88, 0.0, peak);
}

static double pv_plane(const struct sim_config *c, double t, double azimuth, double peak)
{
    struct sky k = sky_at(c, t);
    return pv_plane_sky(&k, azimuth, peak);
}

double sim_pv_clear_sky(const struct sim_config *c, unsigned k, double t)
{
    if (c->trackers == 0 || k >= c->trackers)
        return 0.0;
    return pv_plane(c, t, tracker_azimuth(c, k), c->pv_peak_w / (double)c->trackers);
}

/* The kind of weather of local day `day`: base cover and its variation.
 * The last day's are kept per thread. */
static void cloud_of_day(const struct sim_config *c, int64_t day, double *base, double *amp)
{
    static _Thread_local int64_t m_day = INT64_MIN;
    static _Thread_local uint64_t m_seed;
    static _Thread_local double m_base, m_amp;
    if (day != m_day || c->seed != m_seed) {
        double kind = sim_hash_unit(c->seed, STREAM_DAY_KIND, day);
        /* Central European climate: clear days are common in summer, rare
         * in winter; overcast the other way round. */
        double summer = 0.5 * (1.0 + cos(2.0 * PI * ((double)sim_day_of_year(day) - 182.0) / 365.0));
        double p_clear = 0.10 + 0.30 * summer;
        double p_overcast = 0.55 - 0.35 * summer;
        if (kind < p_clear) {     /* clear */
            m_base = 0.05;
            m_amp = 0.15;
        } else if (kind < 1.0 - p_overcast) { /* mixed, passing clouds */
            m_base = 0.55;
            m_amp = 1.1;
        } else {                  /* overcast */
            m_base = 0.92;
            m_amp = 0.15;
        }
        m_day = day;
        m_seed = c->seed;
    }
    *base = m_base;
    *amp = m_amp;
}

double sim_cloud_factor(const struct sim_config *c, double t)
{
    double base, amp;
    cloud_of_day(c, local_day(c, t), &base, &amp);
    double slow = sim_smooth_noise(c->seed, STREAM_CLOUD_SLOW, t, 1200.0) - 0.5;
    double fast = sim_smooth_noise(c->seed, STREAM_CLOUD_FAST, t, 240.0) - 0.5;
    double cover = clampd(base + amp * slow + 0.6 * amp * fast, 0.0, 1.0);
    return 1.0 - 0.85 * pow(cover, 1.2);
}

double sim_pv_tracker_power(const struct sim_config *c, unsigned k, double t)
{
    return sim_pv_clear_sky(c, k, t) * sim_cloud_factor(c, t);
}

double sim_pv_power(const struct sim_config *c, double t)
{
    double cloud = sim_cloud_factor(c, t);
    double sum = 0.0;
    for (unsigned k = 0; k < c->trackers; k++)
        sum += sim_pv_clear_sky(c, k, t);
    return sum * cloud;
}

double sim_add_power(const struct sim_config *c, double t)
{
    if (c->add_peak_w <= 0.0)
        return 0.0;
    /* A small AC-coupled array on the east roof. */
    return pv_plane(c, t, 100.0 * DEG, c->add_peak_w) * sim_cloud_factor(c, t);
}

static int32_t watts(double w)
{
    return (int32_t)floor(w + 0.5);
}

/* sim_pv_power() and sim_add_power() from one sun position and one cloud
 * factor: the same expressions, so the same bits. */
static void production(const struct sim_config *c, double t, int32_t *pv, int32_t *add)
{
    struct sky k = sky_at(c, t);
    if (!k.up) { /* 0 W times any cloud factor (0.15..1) */
        *pv = *add = 0;
        return;
    }
    double cloud = sim_cloud_factor(c, t);
    double sum = 0.0; /* as sim_pv_clear_sky() for each tracker */
    for (unsigned i = 0; i < c->trackers; i++)
        sum += pv_plane_sky(&k, tracker_azimuth(c, i), c->pv_peak_w / (double)c->trackers);
    *pv = watts(sum * cloud);
    *add = c->add_peak_w <= 0.0 ? 0 : watts(pv_plane_sky(&k, 100.0 * DEG, c->add_peak_w) * cloud);
}

/* ---- house ---------------------------------------------------------------- */

static double bump(double h, double centre, double width)
{
    double x = (h - centre) / width;
    return exp(-0.5 * x * x);
}

struct appliance {
    double watts, seconds;
};

static const struct appliance appliances[] = {
    {2000.0, 180.0},  /* kettle        */
    {900.0, 300.0},   /* microwave     */
    {2400.0, 2700.0}, /* oven          */
    {1900.0, 2400.0}, /* dishwasher    */
    {2100.0, 1500.0}, /* washer        */
    {1300.0, 900.0},  /* vacuum        */
    {1700.0, 480.0},  /* hair dryer    */
};
#define N_APPLIANCES (sizeof appliances / sizeof appliances[0])
#define EVENT_SLOT 900.0

static double event_probability(double hour)
{
    if (hour < 6.0)
        return 0.01;
    if (hour < 9.0)
        return 0.10;
    if (hour < 17.0)
        return 0.05;
    if (hour < 22.0)
        return 0.12;
    return 0.03;
}

static double appliance_load(const struct sim_config *c, double t)
{
    int64_t slot = (int64_t)floor(t / EVENT_SLOT);
    double sum = 0.0;
    for (int64_t s = slot - 3; s <= slot; s++) {
        double start_slot = (double)s * EVENT_SLOT;
        double hour = local_seconds(c, start_slot, NULL) / 3600.0;
        if (sim_hash_unit(c->seed, STREAM_EVENT, s) >= event_probability(hour))
            continue;
        size_t kind = (size_t)(sim_hash_unit(c->seed, STREAM_EVENT_KIND, s) * (double)N_APPLIANCES);
        double start = start_slot + sim_hash_unit(c->seed, STREAM_EVENT_OFFSET, s) * EVENT_SLOT;
        if (t >= start && t < start + appliances[kind].seconds)
            sum += appliances[kind].watts;
    }
    return sum;
}

double sim_home_load(const struct sim_config *c, double t)
{
    int64_t day;
    double h = local_seconds(c, t, &day) / 3600.0;
    bool weekend = sim_weekday(day) >= 5;
    double load = c->home_base_w;
    double fridge_phase = sim_hash_unit(c->seed, STREAM_FRIDGE, 0) * 2700.0;
    if (fmod(t + fridge_phase, 2700.0) < 900.0)
        load += 90.0;
    if (weekend)
        load += 400.0 * bump(h, 8.5, 1.0) + 500.0 * bump(h, 12.5, 0.8);
    else
        load += 450.0 * bump(h, 7.0, 0.7) + 150.0 * bump(h, 12.5, 0.8);
    load += 550.0 * bump(h, 19.5, 1.6);
    load += 120.0 * (sim_smooth_noise(c->seed, STREAM_LOAD_NOISE, t, 300.0) - 0.5);
    return load + appliance_load(c, t);
}

/* ---- car ------------------------------------------------------------------ */

bool sim_car_present(const struct sim_config *c, double t)
{
    if (!c->wallbox)
        return false;
    int64_t day;
    double h = local_seconds(c, t, &day) / 3600.0;
    if (sim_weekday(day) >= 5) {
        if (sim_hash_unit(c->seed, STREAM_CAR_WEEKEND, day) < 0.4)
            return true;
        double leave = 10.0 + 3.0 * sim_hash_unit(c->seed, STREAM_CAR_LEAVE, day);
        double back = leave + 2.0 + 3.0 * sim_hash_unit(c->seed, STREAM_CAR_BACK, day);
        return h < leave || h >= back;
    }
    double leave = 7.25 + 0.75 * sim_hash_unit(c->seed, STREAM_CAR_LEAVE, day);
    double back = 16.5 + 2.5 * sim_hash_unit(c->seed, STREAM_CAR_BACK, day);
    return h < leave || h >= back;
}

double sim_car_need_on_arrival(const struct sim_config *c, int64_t day)
{
    return 4000.0 + 14000.0 * sim_hash_unit(c->seed, STREAM_CAR_NEED, day);
}

/* ---- battery and energy flows --------------------------------------------- */

void sim_model_init_at(struct sim_model *m, const struct sim_config *c, double t0, double bat_wh)
{
    memset(m, 0, sizeof *m);
    m->cfg = *c;
    m->t = t0;
    m->bat_wh = clampd(bat_wh, 0.0, c->bat_capacity_wh);
    m->car_present = sim_car_present(c, t0);
    int64_t day = local_day(c, t0);
    /* A car at home at the start still wants part of yesterday's charge. */
    m->car_need_wh = m->car_present ? 0.3 * sim_car_need_on_arrival(c, day - 1) : 0.0;
    m->day = day;
    m->ctl.max_charge_w = (uint32_t)c->bat_max_charge_w;
    m->ctl.max_discharge_w = (uint32_t)c->bat_max_discharge_w;
    m->ctl.discharge_start_w = 65;
    m->ctl.battery_before_car = true;
    m->ctl.mc_last_start = -1.0;
    m->ctl.derate_share = c->derate_share;
    m->ctl.wb_sun_mode = true;
    m->ctl.wb_current_a = 16;
    m->ctl.wb_phases = 3;
    m->ctl.wb_min_current_a = SIM_WB_MIN_CURRENT_A;
    m->ctl.wb_discharge_until = 20;
    for (unsigned i = 0; i < SIM_IDLE_PERIODS_MAX; i++) { /* all 14 listed, none active */
        m->ctl.idle[i].type = (uint8_t)(i % 2u);
        m->ctl.idle[i].day = (uint8_t)(i / 2u);
    }
    m->ctl.n_idle = SIM_IDLE_PERIODS_MAX;
    m->flows = sim_model_flows(m, 1.0);
}

double sim_soc_anchor(const struct sim_config *c, int64_t day)
{
    return (0.1 + 0.5 * sim_hash_unit(c->seed, STREAM_SOC_ANCHOR, day)) * c->bat_capacity_wh;
}

double sim_soc_at_midnight(const struct sim_config *c, int64_t day)
{
    int64_t prev = day - 1;
    double anchor = sim_soc_anchor(c, prev);
    double t0 = (double)sim_local_to_utc(&c->tz, prev * 86400);
    double t1 = (double)sim_local_to_utc(&c->tz, day * 86400);
    struct sim_model m;
    sim_model_init_at(&m, c, t0, anchor);
    sim_model_advance_to(&m, t1, SIM_COARSE_STEP);
    return m.bat_wh;
}

void sim_model_init(struct sim_model *m, const struct sim_config *c, double t0)
{
    int64_t day = local_day(c, t0);
    double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
    sim_model_init_at(m, c, midnight, sim_soc_at_midnight(c, day));
    sim_model_advance_to(m, t0, SIM_COARSE_STEP);
    /* Counters restart at the start instant: "today" so far is integrated. */
}

double sim_model_max_charge(const struct sim_model *m)
{
    double lim = m->cfg.bat_max_charge_w;
    if (m->ctl.limits_used && (double)m->ctl.max_charge_w < lim)
        lim = (double)m->ctl.max_charge_w;
    return lim;
}

double sim_model_max_discharge(const struct sim_model *m)
{
    double lim = m->cfg.bat_max_discharge_w;
    if (m->ctl.limits_used && (double)m->ctl.max_discharge_w < lim)
        lim = (double)m->ctl.max_discharge_w;
    return lim;
}

void sim_inputs_at(const struct sim_config *c, double t, struct sim_inputs *in)
{
    production(c, t, &in->pv, &in->add);
    in->home = watts(sim_home_load(c, t));
}

struct sim_flows sim_model_flows(const struct sim_model *m, double dt)
{
    struct sim_inputs in;
    sim_inputs_at(&m->cfg, m->t, &in);
    return sim_model_flows_from(m, dt, &in);
}

double sim_model_bat_floor(const struct sim_model *m)
{
    return clampd(m->ctl.ep_reserve_wh, 0.0, m->cfg.bat_capacity_wh);
}

bool sim_model_set_power_active(const struct sim_model *m)
{
    return m->ctl.set_power_mode != 0 && m->t < m->ctl.set_power_until;
}

/* The least and the most the wallbox charges with on `phases` phases, W:
 * the minimum current (at least the configured least power per phase),
 * the set current (at most the configured most power). */
static double wb_min_on(const struct sim_model *m, unsigned phases)
{
    return fmax(m->cfg.wb_min_w, 230.0 * (double)m->ctl.wb_min_current_a) * (double)phases;
}

static double wb_max_on(const struct sim_model *m, unsigned phases)
{
    return fmin(m->cfg.wb_max_w, 230.0 * (double)m->ctl.wb_current_a * (double)phases);
}

double sim_model_wb_min(const struct sim_model *m)
{
    return wb_min_on(m, m->ctl.wb_phases == 1 ? 1u : 3u);
}

double sim_model_wb_max(const struct sim_model *m)
{
    return wb_max_on(m, m->ctl.wb_phases == 1 ? 1u : 3u);
}

/* Whether an active idle period of `type` (0 charge, 1 discharge) covers
 * the model's time, device local time. */
static bool idle_period_now(const struct sim_model *m, uint8_t type)
{
    if (!m->ctl.idle_enabled)
        return false;
    int64_t day;
    double s = local_seconds(&m->cfg, m->t, &day);
    unsigned wd = sim_weekday(day);
    int minute = (int)(s / 60.0);
    for (unsigned i = 0; i < m->ctl.n_idle && i < SIM_IDLE_PERIODS_MAX; i++) {
        const struct sim_idle_period *p = &m->ctl.idle[i];
        if (!p->active || p->type != type || p->day != wd)
            continue;
        int a = p->start_h * 60 + p->start_m, b = p->end_h * 60 + p->end_m;
        if (a <= b ? minute >= a && minute < b : minute >= a || minute < b)
            return true;
    }
    return false;
}

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

struct sim_flows sim_model_flows_from(const struct sim_model *m, double dt, const struct sim_inputs *in)
{
    const struct sim_config *c = &m->cfg;
    const struct sim_controls *ctl = &m->ctl;
    struct sim_flows f;
    memset(&f, 0, sizeof f);
    f.pv = in->pv;
    f.add = in->add;
    f.home = in->home;
    uint32_t status = RSCP_EMS_STATUS_EMERGENCY_READY;

    /* What the battery can take or give during this step: never below its
     * floor (the emergency reserve), never a trickle right above it, and
     * none of the last margin below full (else a short step shows the
     * rest as a burst of power at 100 %). */
    double eff = c->bat_efficiency;
    double h = dt / 3600.0;
    double room = c->bat_capacity_wh - m->bat_wh;
    double chg_cap = room < SIM_BAT_FLOOR_MARGIN_WH ? 0.0 : fmin(sim_model_max_charge(m), room / (h * eff));
    double avail = m->bat_wh - sim_model_bat_floor(m);
    double dis_cap = avail < SIM_BAT_FLOOR_MARGIN_WH ? 0.0 : fmin(sim_model_max_discharge(m), avail * eff / h);
    int32_t chg = (int32_t)floor(fmax(chg_cap, 0.0));
    int32_t dis = (int32_t)floor(fmax(dis_cap, 0.0));

    int32_t surplus = f.pv + f.add - f.home;
    bool override = sim_model_set_power_active(m);
    int32_t value = ctl->set_power_value < 0 ? 0 : ctl->set_power_value;

    /* Battery decision for the override modes and manual charge first. */
    int32_t bat = 0;
    bool bat_fixed = false;
    if (override) {
        bat_fixed = true;
        uint8_t mode = ctl->set_power_mode;
        if (mode == 1 || mode == 2)
            status |= RSCP_EMS_STATUS_CHARGE_LOCKED;
        if (mode == 1 || mode == 3 || mode == 4)
            status |= RSCP_EMS_STATUS_DISCHARGE_LOCKED;
        switch (mode) {
        case 2: bat = -min32(value, dis); break;
        case 3: bat = min32(min32(value, chg), surplus > 0 ? surplus : 0); break; /* from surplus only */
        case 4: bat = min32(value, chg); break;                                   /* from anywhere */
        default: bat = 0; break;                                                  /* idle */
        }
    } else {
        if (idle_period_now(m, 0)) {
            chg = 0;
            status |= RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD;
        }
        if (idle_period_now(m, 1)) {
            dis = 0;
            status |= RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD;
        }
        if (ctl->mc_active) {
            double left = fmax(ctl->mc_target_wh - ctl->mc_charged_wh, 0.0);
            bat_fixed = true;
            bat = (int32_t)floor(fmin((double)chg, left / h));
            status |= RSCP_EMS_STATUS_DISCHARGE_LOCKED;
        } else if (ctl->weather_regulated && local_seconds(c, m->t, NULL) < SIM_WEATHER_UNTIL_H * 3600.0) {
            int32_t cap = (int32_t)floor(SIM_WEATHER_SHARE * sim_model_max_charge(m));
            if (chg > cap) {
                chg = cap;
                if (surplus > cap)
                    status |= RSCP_EMS_STATUS_WEATHER_THROTTLED;
            }
        }
    }

    /* Wallbox: sun mode only from surplus, at least its minimum (on one
     * phase when the automatic phase switch finds too little for three);
     * mixed mode at its set power, from the grid where the sun is short.
     * With the power assignment enforced, mixed mode gives the car the
     * surplus before the battery. */
    int32_t wb = 0, wb_solar = 0;
    bool enforce = ctl->wb_enforce_power && !ctl->wb_sun_mode;
    if (c->wallbox && m->car_present && m->car_need_wh > 0.0 && !ctl->wb_suspended) {
        int32_t for_car = surplus;
        if (bat_fixed)
            for_car = surplus - (bat > 0 ? bat : 0);
        else if (m->ctl.battery_before_car && surplus > 0 && !enforce)
            for_car = surplus - (surplus < chg ? surplus : chg);
        unsigned phases = ctl->wb_phases == 1 ? 1u : 3u;
        if (ctl->wb_sun_mode && ctl->wb_auto_phase && phases == 3 && (double)for_car < wb_min_on(m, 3) &&
            (double)for_car >= wb_min_on(m, 1))
            phases = 1;
        double w = 0.0, wmax = wb_max_on(m, phases);
        if (!ctl->wb_sun_mode)
            w = wmax;
        else if ((double)for_car >= wb_min_on(m, phases))
            w = fmin((double)for_car, wmax);
        if (c->car_max_w > 0.0)
            w = fmin(w, c->car_max_w);
        w = fmin(w, m->car_need_wh / h);
        wb = (int32_t)floor(fmax(w, 0.0));
        wb_solar = min32(wb, for_car > 0 ? for_car : 0);
        f.wb_phases_used = (uint8_t)(wb > 0 ? phases : 0);
    }

    /* Automatic battery: it charges from the surplus the car does not take
     * (all of what it can first when the battery comes before the car), and
     * discharges for the house's deficit; into the car (the car's power
     * from the grid) only in battery-to-car mode while the SOC is above the
     * discharge-until limit. With the power assignment enforced in mixed
     * mode it is not charged while the car charges. */
    if (!bat_fixed) {
        int32_t start = (int32_t)m->ctl.discharge_start_w;
        if (ctl->powersave && start < SIM_POWERSAVE_MIN_W)
            start = SIM_POWERSAVE_MIN_W;
        if (surplus > 0)
            bat = min32(surplus - wb_solar, chg);
        else if (-surplus >= start)
            bat = -min32(-surplus, dis);
        if (enforce && wb > 0 && bat > 0)
            bat = 0;
        int32_t car_grid = wb - wb_solar;
        if (ctl->battery_to_car && car_grid > 0 && sim_model_soc(m) > (double)ctl->wb_discharge_until) {
            bat -= car_grid;
            if (bat < -dis)
                bat = -dis;
        }
    }

    f.wb = wb;
    f.wb_solar = wb_solar;
    f.bat = bat;
    f.grid = f.home + f.wb + f.bat - f.pv - f.add;
    /* Derating: feed-in above the configured share of the PV peak is not
     * allowed; the PV generator is curtailed by the excess. */
    double feed_cap = ctl->derate_share * c->pv_peak_w;
    if (ctl->derate_share > 0.0 && (double)-f.grid > feed_cap) {
        int32_t cut = (int32_t)ceil((double)-f.grid - feed_cap);
        cut = min32(cut, f.pv);
        f.pv -= cut;
        f.curtailed = cut;
        f.grid += cut;
        status |= RSCP_EMS_STATUS_FEED_IN_LIMITED;
    }
    f.status = status;
    return f;
}

void sim_energy_add(struct sim_energy *a, const struct sim_energy *b)
{
    a->pv += b->pv;
    a->add += b->add;
    a->home += b->home;
    a->wb += b->wb;
    a->wb_solar += b->wb_solar;
    a->bat_in += b->bat_in;
    a->bat_out += b->bat_out;
    a->grid_in += b->grid_in;
    a->grid_out += b->grid_out;
    a->soc_time += b->soc_time;
    a->seconds += b->seconds;
}

void sim_model_step(struct sim_model *m, double dt, struct sim_energy *out)
{
    if (!(dt > 0.0))
        return;
    struct sim_inputs in;
    sim_inputs_at(&m->cfg, m->t, &in);
    double t1 = m->t + dt;
    struct sim_after after;
    sim_after_at(&m->cfg, t1, &after);
    sim_model_step_from(m, dt, out, &in, &after);
}

void sim_after_at(const struct sim_config *c, double t, struct sim_after *a)
{
    a->present = sim_car_present(c, t);
    a->day = local_day(c, t);
}

void sim_model_step_from(struct sim_model *m, double dt, struct sim_energy *out, const struct sim_inputs *in,
                         const struct sim_after *after)
{
    if (!(dt > 0.0))
        return;
    const struct sim_config *c = &m->cfg;
    struct sim_flows f = sim_model_flows_from(m, dt, in);
    double h = dt / 3600.0;
    struct sim_energy e;
    memset(&e, 0, sizeof e);
    e.pv = f.pv * h;
    e.add = f.add * h;
    e.home = f.home * h;
    e.wb = f.wb * h;
    e.wb_solar = f.wb_solar * h;
    e.bat_in = (f.bat > 0 ? f.bat : 0) * h;
    e.bat_out = (f.bat < 0 ? -f.bat : 0) * h;
    /* DB.GRID_POWER_IN is the feed-in (grid power below 0), _OUT the import */
    e.grid_in = (f.grid < 0 ? -f.grid : 0) * h;
    e.grid_out = (f.grid > 0 ? f.grid : 0) * h;
    e.soc_time = (c->bat_capacity_wh > 0 ? m->bat_wh / c->bat_capacity_wh : 0.0) * dt;
    e.seconds = dt;

    double eff = c->bat_efficiency;
    m->bat_wh += f.bat > 0 ? e.bat_in * eff : -e.bat_out / eff;
    m->bat_wh = clampd(m->bat_wh, 0.0, c->bat_capacity_wh); /* rounding only */
    m->bat_throughput_wh += e.bat_in + e.bat_out;
    m->car_need_wh = fmax(m->car_need_wh - e.wb, 0.0);
    if (m->ctl.mc_active) {
        m->ctl.mc_charged_wh += e.bat_in;
        if (m->ctl.mc_charged_wh >= m->ctl.mc_target_wh - SIM_BAT_FLOOR_MARGIN_WH ||
            m->bat_wh >= c->bat_capacity_wh - SIM_BAT_FLOOR_MARGIN_WH)
            m->ctl.mc_active = false;
    }
    m->flows = f;

    sim_energy_add(&m->today, &e);
    sim_energy_add(&m->total, &e);
    if (out)
        sim_energy_add(out, &e);

    m->t += dt;
    bool present = after->present;
    int64_t day = after->day;
    if (present && !m->car_present)
        m->car_need_wh = sim_car_need_on_arrival(c, day);
    m->car_present = present;
    if (day != m->day) {
        m->yesterday = m->today;
        memset(&m->today, 0, sizeof m->today);
        m->day = day;
    }
}

void sim_model_advance_to(struct sim_model *m, double t, double max_step)
{
    sim_model_integrate(m, t, max_step, NULL);
}

void sim_model_integrate(struct sim_model *m, double t, double max_step, struct sim_energy *e)
{
    if (!(max_step > 0.0))
        max_step = 1.0;
    while (m->t < t) {
        double next_midnight = (double)sim_local_to_utc(&m->cfg.tz, (m->day + 1) * 86400);
        double dt = fmin(t - m->t, max_step);
        if (m->t + dt > next_midnight && next_midnight > m->t)
            dt = next_midnight - m->t;
        if (dt < 1e-9) /* guard against a floating-point stall */
            dt = t - m->t;
        sim_model_step(m, dt, e);
    }
}

/* ---- derived values ------------------------------------------------------- */

double sim_model_soc(const struct sim_model *m)
{
    if (m->cfg.bat_capacity_wh <= 0.0)
        return 0.0;
    return clampd(100.0 * m->bat_wh / m->cfg.bat_capacity_wh, 0.0, 100.0);
}

double sim_model_cycles(const struct sim_model *m)
{
    double prior = 150.0 + 300.0 * sim_hash_unit(m->cfg.seed, STREAM_CYCLES, 0);
    if (m->cfg.bat_capacity_wh <= 0.0)
        return prior;
    return prior + m->bat_throughput_wh / 2.0 / m->cfg.bat_capacity_wh;
}

static double share(double part, double whole, double if_none)
{
    if (whole <= 0.0)
        return if_none;
    return clampd(100.0 * (1.0 - part / whole), 0.0, 100.0);
}

double sim_flows_autarky(const struct sim_flows *f)
{
    return share(f->grid > 0 ? f->grid : 0, (double)f->home + f->wb, 100.0);
}

double sim_flows_self_consumption(const struct sim_flows *f)
{
    return share(f->grid < 0 ? -f->grid : 0, (double)f->pv + f->add, 0.0);
}

double sim_energy_autarky(const struct sim_energy *e)
{
    return share(e->grid_out, e->home + e->wb, 100.0); /* grid_out: the import */
}

double sim_energy_self_consumption(const struct sim_energy *e)
{
    return share(e->grid_in, e->pv + e->add, 0.0); /* grid_in: the export */
}
