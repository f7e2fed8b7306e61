/* The controls of the library against the simulator over loopback TCP:
 * each write changes the plant as a device would, checked through the
 * live values that follow (SET_POWER held while resent and falling back
 * SIM_SET_POWER_HOLD_S after the last request, limits clamp, idle periods
 * block, the reserve holds the SOC, manual charge from the grid with its
 * second start ignored, the wallbox set twice toggles nothing the second
 * time, the root meter's and the wallbox's energy counters take what flows,
 * the minimum current and the automatic phase switch, the battery
 * discharging into the car down to its limit),
 * and bad writes refused with the device's error codes. The
 * simulator runs 20 times faster than real time. */
#include "harness.h"

#include "../sim/sim_all.inc"

#include "rscp/api.h"
#include "rscp/car_modes.h"
#include "rscp/client.h"
#include "rscp/control.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/pm.h"
#include "rscp/settings.h"
#include "rscp/wallbox_control.h"

#include <time.h>

#define SPEED 20.0

static rscp_client *cl;
static struct rscp_builder b;
static struct rscp_frame fr;

static void sleep_sim(double sim_s)
{
    double real = sim_s / SPEED;
    struct timespec ts = {(time_t)real, (long)((real - floor(real)) * 1e9)};
    nanosleep(&ts, NULL);
}

static void begin(void)
{
    CHECK_INT(rscp_client_request_begin(cl, &b), 0);
}

static void send(void)
{
    int rc = rscp_client_request_send(cl, &b, &fr);
    if (rc != 0)
        fprintf(stderr, "request: %s\n", rscp_strerror(rc));
    CHECK_INT(rc, 0);
}

static struct rscp_live live(void)
{
    struct rscp_live l;
    memset(&l, 0, sizeof l);
    begin();
    CHECK_INT(rscp_live_request(&b), 0);
    send();
    CHECK_INT(rscp_live_parse(&fr, &l), 0);
    return l;
}

static void set_power(int mode, int32_t w)
{
    begin();
    CHECK_INT(rscp_set_power_request(&b, mode, w), 0);
    send();
    int64_t mirrored = -1;
    uint32_t err = 0;
    CHECK_INT(rscp_set_power_parse(&fr, &mirrored, &err), 0);
    CHECK_INT(mirrored, w); /* the value, not the mode */
}

/* Send raw request blocks; the device error of the reply `tag`, 0 if none. */
static uint32_t device_error_of(uint32_t tag)
{
    send();
    struct rscp_block blk;
    uint32_t code = 0;
    CHECK_INT(rscp_find(fr.data, fr.data_len, tag, &blk), 0);
    if (blk.type == RSCP_TYPE_ERROR)
        CHECK_INT(rscp_block_get_error(&blk, &code), 0);
    return code;
}

/* The root meter's import counter and the wallbox's counters, with the
 * live values of the same frame (its timestamp: simulated time). */
struct counters {
    double t, pm_import, wb_energy;
    struct rscp_live l;
    struct rscp_wallbox w;
};

static struct counters counters(void)
{
    struct counters c;
    memset(&c, 0, sizeof c);
    begin();
    CHECK_INT(rscp_live_request(&b), 0);
    CHECK_INT(rscp_pm_request(&b, 0), 0);
    CHECK_INT(rscp_wallbox_request(&b, 0, RSCP_WB_REQ_ALL), 0);
    send();
    CHECK_INT(rscp_live_parse(&fr, &c.l), 0);
    struct rscp_pm pm;
    CHECK_INT(rscp_pm_parse(&fr, 0, &pm), 0);
    CHECK_INT(pm.type, RSCP_PM_TYPE_ROOT);
    CHECK_INT(rscp_wallbox_parse(&fr, 0, &c.w), 0);
    c.t = (double)c.l.time.seconds + 1e-9 * c.l.time.nanoseconds;
    c.pm_import = pm.energy[0] + pm.energy[1] + pm.energy[2];
    c.wb_energy = c.w.energy[0] + c.w.energy[1] + c.w.energy[2];
    return c;
}

/* A counter moved by the energy of a power held between two readings (the
 * mean of the powers read, over the simulated time between them), within
 * 5 % and half a Wh. */
static void check_counted(const char *what, double e0, double e1, double p0, double p1, double t0, double t1)
{
    double want = 0.5 * (p0 + p1) * (t1 - t0) / 3600.0;
    if (fabs((e1 - e0) - want) > 0.05 * fabs(want) + 0.5)
        fprintf(stderr, "%s: counted %.3f Wh, want %.3f Wh (%.0f W .. %.0f W over %.1f s)\n", what, e1 - e0, want,
                p0, p1, t1 - t0);
    CHECK(fabs((e1 - e0) - want) <= 0.05 * fabs(want) + 0.5);
}

static void test_set_power(void)
{
    /* Charge from the grid at night: the battery takes 3000 W, the grid
     * covers it and the house. */
    set_power(RSCP_POWER_GRID_CHARGE, 3000);
    struct rscp_live l = live();
    CHECK_INT(l.bat, 3000);
    CHECK_INT(l.grid, l.home + l.wb_all + 3000 - l.pv + l.add);
    CHECK((l.status & RSCP_EMS_STATUS_DISCHARGE_LOCKED) != 0);
    /* Resent every 5 s it holds past the hold time; the root meter counts
     * the import. */
    struct counters c0 = counters();
    for (int i = 0; i < 4; i++) {
        sleep_sim(5);
        set_power(RSCP_POWER_GRID_CHARGE, 3000);
    }
    struct counters c1 = counters();
    CHECK(c1.t - c0.t > 15.0);
    CHECK(c0.l.grid > 3000 && c1.l.grid > 3000);
    check_counted("root meter import", c0.pm_import, c1.pm_import, (double)c0.l.grid, (double)c1.l.grid, c0.t, c1.t);
    l = live();
    CHECK_INT(l.bat, 3000);
    /* Not resent: automatic again after the hold time. */
    sleep_sim(SIM_SET_POWER_HOLD_S + 2);
    l = live();
    CHECK(l.bat <= 0);
    CHECK((l.status & RSCP_EMS_STATUS_DISCHARGE_LOCKED) == 0);
    /* Idle: neither way; auto ends it at once. */
    set_power(RSCP_POWER_IDLE, 0);
    l = live();
    CHECK_INT(l.bat, 0);
    CHECK((l.status & (RSCP_EMS_STATUS_CHARGE_LOCKED | RSCP_EMS_STATUS_DISCHARGE_LOCKED)) ==
          (RSCP_EMS_STATUS_CHARGE_LOCKED | RSCP_EMS_STATUS_DISCHARGE_LOCKED));
    set_power(RSCP_POWER_AUTO, 0);
    l = live();
    CHECK(l.bat < 0); /* the night's load from the battery */
}

static struct rscp_power_settings settings(void)
{
    struct rscp_power_settings s;
    begin();
    CHECK_INT(rscp_power_settings_request(&b), 0);
    send();
    uint32_t err = 0;
    CHECK_INT(rscp_power_settings_parse(&fr, &s, &err), 0);
    return s;
}

static void change_settings(const struct rscp_power_settings_change *ch, struct rscp_power_settings_result *res)
{
    struct rscp_power_settings cur = settings();
    begin();
    CHECK_INT(rscp_power_settings_set_request(&b, &cur, ch, NULL, NULL), 0);
    send();
    uint32_t err = 0;
    CHECK_INT(rscp_power_settings_result_parse(&fr, res, &err), 0);
}

static void test_limits(void)
{
    struct rscp_power_settings_change ch;
    struct rscp_power_settings_result res;
    memset(&ch, 0, sizeof ch);
    ch.set = RSCP_PS_LIMITS_USED | RSCP_PS_MAX_DISCHARGE;
    ch.limits_used = true;
    ch.max_discharge = 100;
    change_settings(&ch, &res);
    CHECK_INT(res.max_discharge, 1); /* applied, below the recommended minimum */
    CHECK_INT(res.limits_used, 0);
    struct rscp_power_settings s = settings();
    CHECK(s.limits_used && s.max_discharge == 100);
    struct rscp_live l = live();
    CHECK(l.bat == -100); /* the night's load is more than 100 W */
    CHECK(l.grid > 0);
    /* Out of range: refused, nothing changed. */
    uint8_t ok = 0;
    begin();
    rscp_put_container_open(&b, RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS);
    rscp_put_uint32(&b, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, 99999);
    rscp_put_container_close(&b);
    send();
    CHECK_INT(rscp_power_settings_result_parse(&fr, &res, NULL), 0);
    CHECK_INT(res.max_discharge, -1);
    CHECK_INT(settings().max_discharge, 100);
    (void)ok;
    memset(&ch, 0, sizeof ch);
    ch.set = RSCP_PS_LIMITS_USED;
    ch.limits_used = false;
    change_settings(&ch, &res);
    CHECK_INT(res.limits_used, 0);
    CHECK(live().bat < -100);
}

static void test_idle_periods(unsigned weekday)
{
    struct rscp_idle_period p = {RSCP_IDLE_DISCHARGE, (uint8_t)weekday, true, 0, 0, 23, 59};
    begin();
    CHECK_INT(rscp_idle_periods_set_request(&b, &p, 1, NULL), 0);
    CHECK_INT(rscp_idle_periods_enable_request(&b, true), 0);
    send();
    int64_t result = -1;
    bool on = false;
    CHECK_INT(rscp_idle_periods_set_parse(&fr, &result, NULL), 0);
    CHECK_INT(rscp_idle_periods_enable_parse(&fr, &on, NULL), 0);
    CHECK(on);
    struct rscp_idle_periods all;
    begin();
    CHECK_INT(rscp_idle_periods_request(&b), 0);
    send();
    CHECK_INT(rscp_idle_periods_parse(&fr, &all, NULL), 0);
    CHECK_INT(all.count, RSCP_IDLE_PERIODS_MAX);
    CHECK(all.enabled);
    bool found = false;
    for (size_t i = 0; i < all.count; i++)
        found = found || (all.period[i].type == RSCP_IDLE_DISCHARGE && all.period[i].day == weekday &&
                          all.period[i].active && all.period[i].end_hour == 23 && all.period[i].end_minute == 59);
    CHECK(found);
    struct rscp_live l = live();
    CHECK_INT(l.bat, 0); /* discharging blocked: the grid covers the night */
    CHECK((l.status & RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD) != 0);
    /* The enable flag off: the period no longer blocks. */
    begin();
    CHECK_INT(rscp_idle_periods_enable_request(&b, false), 0);
    send();
    l = live();
    CHECK(l.bat < 0 && (l.status & RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD) == 0);
    /* An hour out of range: OUT_OF_BOUNDS, nothing applied. */
    begin();
    rscp_put_container_open(&b, RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS);
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, 0);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_DAY, 0);
    rscp_put_bool(&b, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, true);
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD_START);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, 25);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, 0);
    rscp_put_container_close(&b);
    rscp_put_container_open(&b, RSCP_TAG_EMS_IDLE_PERIOD_END);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, 3);
    rscp_put_uchar8(&b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, 0);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    CHECK_INT(device_error_of(RSCP_TAG_EMS_SET_IDLE_PERIODS), SIM_ERR_OUT_OF_BOUNDS);
    /* Enable with a non-BOOL: FORMAT. */
    begin();
    rscp_put_cstr(&b, RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS_ENABLE, "yes");
    CHECK_INT(device_error_of(RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE), SIM_ERR_FORMAT);
}

static struct rscp_ep_reserve reserve(void)
{
    struct rscp_ep_reserve r;
    begin();
    CHECK_INT(rscp_ep_reserve_request(&b), 0);
    send();
    CHECK_INT(rscp_ep_reserve_parse(&fr, &r, NULL), 0);
    return r;
}

static void test_reserve(void)
{
    struct rscp_ep_reserve r = reserve();
    CHECK((r.present & (RSCP_EP_PERCENT | RSCP_EP_ENERGY | RSCP_EP_MAX)) == (RSCP_EP_PERCENT | RSCP_EP_ENERGY | RSCP_EP_MAX));
    CHECK(r.percent == 0.0 && r.max_wh > 0.0);
    /* A reserve above the SOC now: the battery stops discharging. */
    struct rscp_live l = live();
    double target = (double)l.soc + 5.0;
    begin();
    CHECK_INT(rscp_ep_reserve_set_request(&b, target, false, 0), 0);
    send();
    CHECK_INT(rscp_ep_reserve_set_parse(&fr, NULL), 0);
    r = reserve();
    CHECK(fabs(r.percent - target) < 1e-3 && fabs(r.energy_wh - target / 100.0 * r.max_wh) < 0.5);
    l = live();
    CHECK_INT(l.bat, 0);
    sleep_sim(10);
    CHECK_INT(live().bat, 0);
    /* In Wh, then back to none. */
    begin();
    CHECK_INT(rscp_ep_reserve_set_request(&b, 500.0, true, r.max_wh), 0);
    send();
    CHECK_INT(rscp_ep_reserve_set_parse(&fr, NULL), 0);
    CHECK(fabs(reserve().energy_wh - 500.0) < 1e-3);
    CHECK(live().bat < 0);
    /* Out of range: OUT_OF_BOUNDS; a missing value: FORMAT. */
    begin();
    rscp_put_container_open(&b, RSCP_TAG_SE_REQ_SET_EP_RESERVE);
    rscp_put_uchar8(&b, RSCP_TAG_SE_PARAM_INDEX, 0);
    rscp_put_float32(&b, RSCP_TAG_SE_PARAM_EP_RESERVE, 150.0f);
    rscp_put_container_close(&b);
    CHECK_INT(device_error_of(RSCP_TAG_SE_SET_EP_RESERVE), SIM_ERR_OUT_OF_BOUNDS);
    begin();
    rscp_put_container_open(&b, RSCP_TAG_SE_REQ_SET_EP_RESERVE);
    rscp_put_uchar8(&b, RSCP_TAG_SE_PARAM_INDEX, 0);
    rscp_put_container_close(&b);
    CHECK_INT(device_error_of(RSCP_TAG_SE_SET_EP_RESERVE), SIM_ERR_FORMAT);
    CHECK(fabs(reserve().energy_wh - 500.0) < 1e-3);
    begin();
    CHECK_INT(rscp_ep_reserve_set_request(&b, 0.0, false, 0), 0);
    send();
}

static struct rscp_manual_charge manual_state(void)
{
    struct rscp_manual_charge m;
    begin();
    CHECK_INT(rscp_manual_charge_request(&b), 0);
    send();
    CHECK_INT(rscp_manual_charge_parse(&fr, &m, NULL), 0);
    return m;
}

static bool manual_start(uint32_t wh)
{
    struct rscp_manual_charge before = manual_state(), after;
    begin();
    CHECK_INT(rscp_manual_charge_start_request(&b, wh), 0);
    send();
    bool accepted = false;
    CHECK_INT(rscp_manual_charge_start_parse(&fr, &accepted, NULL), 0);
    CHECK(accepted); /* also when ignored */
    after = manual_state();
    bool started = false;
    CHECK_INT(rscp_manual_charge_started(&before, &after, &started), 0);
    return started;
}

static void test_manual_charge(void)
{
    CHECK(manual_start(50));
    struct rscp_manual_charge m = manual_state();
    CHECK(m.active && m.start_counter == 1);
    struct rscp_live l = live();
    CHECK(l.bat > 1000); /* from the grid at night */
    CHECK(l.grid >= l.bat);
    /* A second start within the rate limit: success, but ignored. */
    CHECK(!manual_start(5000));
    CHECK_INT(manual_state().start_counter, 1);
    /* 50 Wh at 6 kW: done within 30 simulated seconds. */
    sleep_sim(45);
    m = manual_state();
    CHECK(!m.active);
    CHECK(m.energy_wh >= 50.0 - SIM_BAT_FLOOR_MARGIN_WH && m.energy_wh < 60.0);
    CHECK(live().bat <= 0);
}

static struct rscp_wallbox wallbox(void)
{
    struct rscp_wallbox w;
    begin();
    CHECK_INT(rscp_wallbox_request(&b, 0, RSCP_WB_REQ_ALL), 0);
    send();
    CHECK_INT(rscp_wallbox_parse(&fr, 0, &w), 0);
    return w;
}

/* Take the wallbox to `want`; returns the bits that needed a change. */
static uint32_t wallbox_set(const struct rscp_wallbox_target *want)
{
    struct rscp_wallbox st = wallbox();
    uint32_t changed = 0;
    uint8_t blocks[256];
    struct rscp_builder bb;
    rscp_builder_init(&bb, blocks, sizeof blocks);
    int rc = rscp_wallbox_set_request(&bb, 0, &st, want, &changed, NULL);
    CHECK(rc == 0 || rc == 1);
    size_t len = 0;
    CHECK_INT(rscp_builder_finish(&bb, &len), 0);
    CHECK_INT(len == 0, rc == 0); /* nothing written when nothing is to change */
    if (rc == 1) {
        CHECK_INT(rscp_client_request(cl, blocks, len, &fr), 0);
        CHECK_INT(rscp_wallbox_set_parse(&fr, 0, NULL), 0);
    }
    return changed;
}

static void test_wallbox(void)
{
    struct rscp_wallbox w = wallbox();
    CHECK(w.plugged && w.sun_mode && !w.charging); /* night: no surplus for sun mode */
    struct rscp_wallbox_target t;
    memset(&t, 0, sizeof t);
    t.set = RSCP_WBT_MODE | RSCP_WBT_CURRENT | RSCP_WBT_PHASES;
    t.sun_mode = false;
    t.current_a = 10;
    t.phases = 1;
    CHECK_INT(wallbox_set(&t), RSCP_WBT_MODE | RSCP_WBT_CURRENT | RSCP_WBT_PHASES);
    w = wallbox();
    CHECK(!w.sun_mode && w.max_current == 10 && w.phases == 1 && w.charging);
    CHECK(fabs(w.power_total - 2300.0) < 1e-6); /* 10 A on one phase from the grid */
    CHECK_INT(w.phases_in_use, 1);
    CHECK_INT(live().wb_all, 2300);
    /* Its counters take the energy: the phases' sum, ENERGY_ALL the same in
     * whole Wh, from the grid at night (nothing solar). */
    struct counters c0 = counters();
    sleep_sim(20);
    struct counters c1 = counters();
    check_counted("wallbox", c0.wb_energy, c1.wb_energy, c0.w.power_total, c1.w.power_total, c0.t, c1.t);
    CHECK(fabs(c1.w.energy_all - c1.wb_energy) < 1.0);
    CHECK(c1.w.energy_solar == c0.w.energy_solar);
    /* The same target again: nothing to send, the toggles untouched. */
    CHECK_INT(wallbox_set(&t), 0);
    w = wallbox();
    CHECK(w.phases == 1 && !w.suspended);
    /* Suspend (a toggle) twice wanted: once sent. */
    memset(&t, 0, sizeof t);
    t.set = RSCP_WBT_SUSPENDED;
    t.suspended = true;
    CHECK_INT(wallbox_set(&t), RSCP_WBT_SUSPENDED);
    CHECK_INT(wallbox_set(&t), 0);
    w = wallbox();
    CHECK(w.suspended && !w.charging && w.power_total == 0.0);
    /* A current beyond the wallbox's: OUT_OF_BOUNDS, nothing applied. */
    begin();
    rscp_put_container_open(&b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_container_open(&b, RSCP_TAG_WB_REQ_SET_EXTERN);
    rscp_put_uchar8(&b, RSCP_TAG_WB_EXTERN_DATA_LEN, 6);
    static const uint8_t too_much[6] = {1, 40, 0, 1, 0, 0};
    rscp_put_bytes(&b, RSCP_TAG_WB_EXTERN_DATA, too_much, sizeof too_much);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    send();
    uint32_t err = 0;
    CHECK_INT(rscp_wallbox_set_parse(&fr, 0, &err), RSCP_ERR_DEVICE);
    CHECK_INT(err, SIM_ERR_OUT_OF_BOUNDS);
    w = wallbox();
    CHECK(w.max_current == 10 && w.phases == 1 && !w.sun_mode);
}

static struct rscp_car_modes car_modes(void)
{
    struct rscp_car_modes cm;
    begin();
    CHECK_INT(rscp_car_modes_request(&b, RSCP_CM_ALL), 0);
    send();
    CHECK_INT(rscp_car_modes_parse(&fr, &cm), 0);
    CHECK_INT(cm.present, RSCP_CM_ALL);
    return cm;
}

/* Set the settings in `set`; the device's answer (0 or RSCP_ERR_DEVICE
 * with *err). */
static int car_modes_set(uint32_t set, const struct rscp_car_modes *want, uint32_t *err)
{
    struct rscp_car_modes echo;
    uint32_t differs = 0;
    begin();
    CHECK_INT(rscp_car_modes_set_request(&b, set, want), 0);
    send();
    int rc = rscp_car_modes_set_parse(&fr, set, want, &echo, &differs, err);
    if (rc == 0)
        CHECK_INT(differs, 0);
    return rc;
}

/* After test_wallbox: suspended, mixed mode, 10 A on one phase, night. */
static void test_wallbox_extra(void)
{
    /* The minimum current: 6..the current set; read back; bounds the current. */
    uint32_t err = 0;
    int64_t amps = 0;
    begin();
    CHECK_INT(rscp_wallbox_min_current_request(&b, 0, NULL, 8, NULL), 0);
    send();
    CHECK_INT(rscp_wallbox_min_current_parse(&fr, 0, &amps, &err), 0);
    CHECK_INT(amps, 8);
    struct rscp_wallbox w = wallbox();
    CHECK_INT(w.min_current, 8);
    begin();
    CHECK_INT(rscp_wallbox_min_current_request(&b, 0, NULL, 12, NULL), 0); /* above the 10 A set */
    send();
    CHECK_INT(rscp_wallbox_min_current_parse(&fr, 0, &amps, &err), RSCP_ERR_DEVICE);
    CHECK_INT(err, SIM_ERR_OUT_OF_BOUNDS);
    CHECK_INT(wallbox().min_current, 8);
    struct rscp_wallbox_target t;
    memset(&t, 0, sizeof t);
    t.set = RSCP_WBT_CURRENT;
    t.current_a = 7; /* below the minimum: the library refuses it ... */
    struct rscp_wallbox_refusal why;
    CHECK_INT(rscp_wallbox_target_check(&w, &t, &why), RSCP_ERR_RANGE);
    CHECK_INT(why.min, 8);

    /* The automatic phase switch. */
    CHECK(!wallbox().auto_phase_switch);
    begin();
    CHECK_INT(rscp_wallbox_auto_phase_request(&b, 0, true), 0);
    send();
    bool on = false;
    CHECK_INT(rscp_wallbox_auto_phase_parse(&fr, 0, &on, &err), 0);
    CHECK(on);
    w = wallbox();
    CHECK(w.auto_phase_switch && (w.present & RSCP_WB_AUTO_PHASE));

    /* The battery and the car: the defaults, then battery to car. */
    struct rscp_car_modes cm = car_modes();
    CHECK(!cm.battery_to_car && cm.battery_before_car && !cm.enforce_power);
    CHECK_INT(cm.discharge_until, 20);
    memset(&t, 0, sizeof t);
    t.set = RSCP_WBT_SUSPENDED;
    t.suspended = false;
    CHECK_INT(wallbox_set(&t), RSCP_WBT_SUSPENDED);
    struct rscp_live l = live();
    CHECK(l.wb_all == 2300 && l.grid >= 2300); /* the car from the grid */
    struct rscp_car_modes want;
    memset(&want, 0, sizeof want);
    want.battery_to_car = true;
    want.discharge_until = 5;
    want.battery_before_car = true;
    CHECK_INT(car_modes_set(RSCP_CM_BATTERY_TO_CAR | RSCP_CM_DISCHARGE_UNTIL, &want, &err), 0);
    cm = car_modes();
    CHECK(cm.battery_to_car && cm.discharge_until == 5);
    l = live();
    CHECK(l.wb_all == 2300 && l.grid < 100 && l.bat < -2300); /* now from the battery */
    want.discharge_until = 101;
    CHECK_INT(rscp_car_modes_set_request(&b, RSCP_CM_DISCHARGE_UNTIL, &want), RSCP_ERR_RANGE);
    begin(); /* sent anyway, by hand: the device refuses it */
    rscp_put_uchar8(&b, RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL, 101);
    rscp_put_cstr(&b, RSCP_TAG_EMS_REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, "on");
    send();
    struct rscp_car_modes echo;
    CHECK_INT(rscp_car_modes_set_parse(&fr, RSCP_CM_DISCHARGE_UNTIL, &want, &echo, NULL, &err), RSCP_ERR_DEVICE);
    CHECK_INT(err, SIM_ERR_OUT_OF_BOUNDS);
    CHECK_INT(rscp_car_modes_set_parse(&fr, RSCP_CM_ENFORCE_POWER, &want, &echo, NULL, &err), RSCP_ERR_DEVICE);
    CHECK_INT(err, SIM_ERR_FORMAT);
    cm = car_modes();
    CHECK(cm.discharge_until == 5 && !cm.enforce_power);
    want.enforce_power = true;
    want.battery_to_car = false;
    CHECK_INT(car_modes_set(RSCP_CM_ENFORCE_POWER | RSCP_CM_BATTERY_TO_CAR, &want, &err), 0);
    cm = car_modes();
    CHECK(cm.enforce_power && !cm.battery_to_car);
    CHECK(live().grid >= 2300);
}

static void test_sys_specs(void)
{
    struct rscp_sys_specs s;
    begin();
    CHECK_INT(rscp_sys_specs_request(&b), 0);
    send();
    CHECK_INT(rscp_sys_specs_parse(&fr, &s, NULL), 0);
    int64_t v = 0;
    CHECK_INT(rscp_sys_spec_get(&s, RSCP_SPEC_MAX_CHARGE_POWER, &v), 0);
    CHECK_INT(v, 6000);
    CHECK_INT(rscp_sys_spec_get(&s, RSCP_SPEC_INSTALLED_BATTERY_CAPACITY, &v), 0);
    CHECK_INT(v, 13800);
}

int main(void)
{
    struct sim_tz tz = {"Europe/Berlin", 3600, true};
    int64_t day = sim_days_from_civil(2025, 5, 14);
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 3;
    o.model = "s10e";
    o.start = (double)sim_local_to_utc(&tz, day * 86400 + 2 * 3600);
    o.speed = SPEED;
    struct sim_handle *h;
    uint16_t port;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = port;
    cfg.user = SIM_DEFAULT_USER;
    cfg.password = SIM_DEFAULT_PASSWORD;
    cfg.key = SIM_DEFAULT_KEY;
    cfg.io_timeout_ms = 5000;
    CHECK_INT(rscp_client_new(&cl, &cfg), 0);
    CHECK_INT(rscp_client_connect(cl), 0);

    struct rscp_live l = live();
    CHECK(l.pv == 0 && l.bat < 0 && l.soc > 10); /* the plant at night, on its battery */
    test_sys_specs();
    test_set_power();
    test_limits();
    test_idle_periods(sim_weekday(day));
    test_reserve();
    test_manual_charge();
    test_wallbox();
    test_wallbox_extra();

    rscp_client_free(cl);
    sim_stop(h);
    return th_finish();
}
