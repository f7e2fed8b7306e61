/* Part of test_sim_control (sim_control.h): the wallbox and the car.
 * With a wallbox (index 0): set twice it toggles nothing the second time,
 * its energy counters take what flows, a current beyond it is refused,
 * the minimum current and the automatic phase switch, the battery
 * discharging into the car down to its limit. A wallbox index the plant
 * does not have (1 everywhere, 0 on a plant without one): every write is
 * answered with WB.DATA as an ERROR NOT_AVAILABLE, which the library
 * returns as RSCP_ERR_DEVICE with that code, and nothing changes. Without
 * a wallbox the car modes, EMS settings, are still taken, and no power
 * goes to a car. */
#include "sim_control.h"

#include "../sim/model.h"
#include "../sim/sim_tags.h"

#include "rscp/car_modes.h"
#include "rscp/error.h"
#include "rscp/tags.h"
#include "rscp/wallbox_control.h"

#include <math.h>
#include <string.h>

static struct rscp_wallbox wallbox(void)
{
    struct rscp_wallbox w;
    frame_begin();
    CHECK_INT(rscp_wallbox_request(&b, 0, RSCP_WB_REQ_ALL), 0);
    frame_send();
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

void test_wallbox(void)
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
    frame_begin();
    rscp_put_container_open(&b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, 0);
    rscp_put_container_open(&b, RSCP_TAG_WB_REQ_SET_EXTERN);
    rscp_put_uchar8(&b, RSCP_TAG_WB_EXTERN_DATA_LEN, 6);
    static const uint8_t too_much[6] = {1, 40, 0, 1, 0, 0};
    rscp_put_bytes(&b, RSCP_TAG_WB_EXTERN_DATA, too_much, sizeof too_much);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    frame_send();
    uint32_t err = 0;
    CHECK_INT(rscp_wallbox_set_parse(&fr, 0, &err), RSCP_ERR_DEVICE);
    CHECK_INT(err, SIM_ERR_OUT_OF_BOUNDS);
    w = wallbox();
    CHECK(w.max_current == 10 && w.phases == 1 && !w.sun_mode);
}

static struct rscp_car_modes car_modes(void)
{
    struct rscp_car_modes cm;
    frame_begin();
    CHECK_INT(rscp_car_modes_request(&b, RSCP_CM_ALL), 0);
    frame_send();
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
    frame_begin();
    CHECK_INT(rscp_car_modes_set_request(&b, set, want), 0);
    frame_send();
    int rc = rscp_car_modes_set_parse(&fr, set, want, &echo, &differs, err);
    if (rc == 0)
        CHECK_INT(differs, 0);
    return rc;
}

/* After test_wallbox: suspended, mixed mode, 10 A on one phase, night. */
void test_wallbox_extra(void)
{
    /* The minimum current: 6..the current set; read back; bounds the current. */
    uint32_t err = 0;
    int64_t amps = 0;
    frame_begin();
    CHECK_INT(rscp_wallbox_min_current_request(&b, 0, NULL, 8, NULL), 0);
    frame_send();
    CHECK_INT(rscp_wallbox_min_current_parse(&fr, 0, &amps, &err), 0);
    CHECK_INT(amps, 8);
    struct rscp_wallbox w = wallbox();
    CHECK_INT(w.min_current, 8);
    frame_begin();
    CHECK_INT(rscp_wallbox_min_current_request(&b, 0, NULL, 12, NULL), 0); /* above the 10 A set */
    frame_send();
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
    frame_begin();
    CHECK_INT(rscp_wallbox_auto_phase_request(&b, 0, true), 0);
    frame_send();
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
    frame_begin(); /* sent anyway, by hand: the device refuses it */
    rscp_put_uchar8(&b, RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL, 101);
    rscp_put_cstr(&b, RSCP_TAG_EMS_REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, "on");
    frame_send();
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


/* A device error that names the absent wallbox. */
static void check_not_available(const char *what, uint32_t err)
{
    const char *name = rscp_device_error_name(err);
    if (!name || strcmp(name, "NOT_AVAILABLE") != 0)
        fprintf(stderr, "%s: device error %u (%s), want NOT_AVAILABLE\n", what, err, name ? name : "?");
    CHECK_INT(err, SIM_ERR_NOT_AVAILABLE);
    CHECK(name && strcmp(name, "NOT_AVAILABLE") == 0);
}

/* What a write must not change: wallbox 0 when there is one, the car
 * modes, and no power to a car. */
struct untouched {
    struct rscp_wallbox w;
    struct rscp_car_modes cm;
};

static struct untouched untouched(void)
{
    struct untouched u;
    memset(&u, 0, sizeof u);
    if (shape->wallbox)
        u.w = wallbox();
    u.cm = car_modes();
    CHECK_INT(live().wb_all, 0);
    return u;
}

static void check_untouched(const struct untouched *before)
{
    struct untouched now = untouched();
    CHECK(now.w.sun_mode == before->w.sun_mode && now.w.max_current == before->w.max_current &&
          now.w.phases == before->w.phases && now.w.suspended == before->w.suspended &&
          now.w.min_current == before->w.min_current && now.w.auto_phase_switch == before->w.auto_phase_switch);
    CHECK(now.cm.battery_to_car == before->cm.battery_to_car && now.cm.discharge_until == before->cm.discharge_until &&
          now.cm.battery_before_car == before->cm.battery_before_car && now.cm.enforce_power == before->cm.enforce_power);
}

void test_wallbox_absent(unsigned index)
{
    struct untouched before = untouched();
    /* Read: WB.DATA is an ERROR NOT_AVAILABLE, to the library no wallbox. */
    frame_begin();
    CHECK_INT(rscp_wallbox_request(&b, index, RSCP_WB_REQ_ALL), 0);
    frame_send();
    struct rscp_wallbox w;
    CHECK_INT(rscp_wallbox_parse(&fr, index, &w), RSCP_ERR_NOT_FOUND);
    CHECK_INT(w.present, 0);
    struct rscp_block blk;
    uint32_t err = 0;
    CHECK_INT(rscp_find(fr.data, fr.data_len, RSCP_TAG_WB_DATA, &blk), 0);
    CHECK_INT(blk.type, RSCP_TYPE_ERROR);
    CHECK_INT(rscp_block_get_error(&blk, &err), 0);
    check_not_available("read", err);

    /* Mode and current (both given: no state needed): refused. */
    struct rscp_wallbox_target t;
    memset(&t, 0, sizeof t);
    t.set = RSCP_WBT_MODE | RSCP_WBT_CURRENT;
    t.sun_mode = false;
    t.current_a = 10;
    frame_begin();
    CHECK_INT(rscp_wallbox_set_request(&b, index, &w, &t, NULL, NULL), 1);
    frame_send();
    err = 0;
    CHECK_INT(rscp_wallbox_set_parse(&fr, index, &err), RSCP_ERR_DEVICE);
    check_not_available("set mode and current", err);
    /* A toggle: the library builds none without the wallbox's state ... */
    t.set = RSCP_WBT_SUSPENDED;
    t.suspended = true;
    frame_begin();
    CHECK_INT(rscp_wallbox_set_request(&b, index, &w, &t, NULL, NULL), RSCP_ERR_NOT_FOUND);
    /* ... sent by hand (phases and suspended toggled): refused. */
    rscp_put_container_open(&b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(&b, RSCP_TAG_WB_INDEX, (uint8_t)index);
    rscp_put_container_open(&b, RSCP_TAG_WB_REQ_SET_EXTERN);
    rscp_put_uchar8(&b, RSCP_TAG_WB_EXTERN_DATA_LEN, 6);
    static const uint8_t toggles[6] = {2, 10, 0, 1, 1, 0};
    rscp_put_bytes(&b, RSCP_TAG_WB_EXTERN_DATA, toggles, sizeof toggles);
    rscp_put_container_close(&b);
    rscp_put_container_close(&b);
    frame_send();
    err = 0;
    CHECK_INT(rscp_wallbox_set_parse(&fr, index, &err), RSCP_ERR_DEVICE);
    check_not_available("set toggles", err);
    /* The minimum current and the automatic phase switch: refused. */
    frame_begin();
    CHECK_INT(rscp_wallbox_min_current_request(&b, index, NULL, 8, NULL), 0);
    frame_send();
    int64_t amps = -1;
    err = 0;
    CHECK_INT(rscp_wallbox_min_current_parse(&fr, index, &amps, &err), RSCP_ERR_DEVICE);
    CHECK_INT(amps, -1);
    check_not_available("set minimum current", err);
    frame_begin();
    CHECK_INT(rscp_wallbox_auto_phase_request(&b, index, true), 0);
    frame_send();
    bool on = false;
    err = 0;
    CHECK_INT(rscp_wallbox_auto_phase_parse(&fr, index, &on, &err), RSCP_ERR_DEVICE);
    CHECK(!on);
    check_not_available("set automatic phase switch", err);
    check_untouched(&before);
}

void test_car_modes_no_wallbox(void)
{
    struct rscp_car_modes cm = car_modes();
    CHECK(!cm.battery_to_car && cm.battery_before_car && !cm.enforce_power);
    CHECK_INT(cm.discharge_until, 20);
    struct rscp_car_modes want;
    memset(&want, 0, sizeof want);
    want.battery_to_car = true;
    want.discharge_until = 5;
    want.enforce_power = true;
    uint32_t err = 0;
    CHECK_INT(car_modes_set(RSCP_CM_BATTERY_TO_CAR | RSCP_CM_DISCHARGE_UNTIL | RSCP_CM_ENFORCE_POWER, &want, &err), 0);
    cm = car_modes();
    CHECK(cm.battery_to_car && cm.discharge_until == 5 && cm.enforce_power);
    struct rscp_live l = live();
    CHECK(l.wb_all == 0 && l.bat < 0 && l.grid < 100); /* the house from the battery, no car */
    /* Out of range, sent by hand: refused as with a wallbox. */
    frame_begin();
    rscp_put_uchar8(&b, RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL, 101);
    frame_send();
    want.discharge_until = 101;
    struct rscp_car_modes echo;
    CHECK_INT(rscp_car_modes_set_parse(&fr, RSCP_CM_DISCHARGE_UNTIL, &want, &echo, NULL, &err), RSCP_ERR_DEVICE);
    CHECK_INT(err, SIM_ERR_OUT_OF_BOUNDS);
    CHECK_INT(car_modes().discharge_until, 5);
    want.battery_to_car = false;
    want.enforce_power = false;
    CHECK_INT(car_modes_set(RSCP_CM_BATTERY_TO_CAR | RSCP_CM_ENFORCE_POWER, &want, &err), 0);
    cm = car_modes();
    CHECK(!cm.battery_to_car && !cm.enforce_power);
}
