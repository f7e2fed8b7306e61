/* The wallboxes (WB.REQ_DATA at WB.INDEX 0..the device's wallboxes - 1)
 * and the DC/DC converters of the battery strings (DCDC.REQ_DATA).
 * Wallbox 0 is the model's, with the car; a further wallbox (rscp sim
 * --wallboxes) has settings of its own and no car: not plugged, no power,
 * fixed energy counters. Each takes the writes below for itself.
 *
 * WB.EXTERN_DATA_ALG: byte 2 the status bits (8 plugged, 16 locked,
 * 32 charging, 64 suspended, 128 sun mode), byte 3 the charge current in A.
 * WB.REQ_SET_EXTERN {EXTERN_DATA_LEN, EXTERN_DATA}: byte 0 the mode (1 sun,
 * 2 mixed), byte 1 the current (A, MIN..MAX_CHARGE_CURRENT), byte 3 = 1
 * toggles the phases 1 <-> 3, byte 4 = 1 toggles suspended; a request of
 * the wrong shape is ERROR FORMAT, a mode or current out of range ERROR
 * OUT_OF_BOUNDS, and nothing of it applied.
 * WB.REQ_SET_MIN_CHARGE_CURRENT (any integer): the least current, in
 * SIM_WB_MIN_CURRENT_A..the set current, answered with the value taken
 * (INT32) and read back as WB.MIN_CHARGE_CURRENT; a current set below the
 * minimum through REQ_SET_EXTERN is OUT_OF_BOUNDS.
 * WB.REQ_SET_AUTO_PHASE_SWITCH_ENABLED (BOOL or integer 0/1), answered
 * with the value (BOOL) and read back as WB.AUTO_PHASE_SWITCH_ENABLED.
 * A value of the wrong type is ERROR FORMAT, one out of range ERROR
 * OUT_OF_BOUNDS; nothing is changed then. PM_POWER_L1..L3 and
 * PM_ACTIVE_PHASES show the phases the car charges on (one when the
 * automatic switch chose one), NUMBER_PHASES the phases set. With the
 * --refuse-writes fault each of the three writes is ERROR ACCESS_DENIED. */
#include "areas.h"

#include <math.h>

#define WB_EXTERN_LEN 8u
#define WB_SET_MIN_LEN 5u /* bytes of a set request that carry meaning */

static const uint32_t wb_subs[] = {
    RSCP_TAG_WB_REQ_EXTERN_DATA_ALG,   RSCP_TAG_WB_REQ_NUMBER_PHASES, RSCP_TAG_WB_REQ_MIN_CHARGE_CURRENT,
    RSCP_TAG_WB_REQ_MAX_CHARGE_CURRENT, RSCP_TAG_WB_REQ_DEVICE_STATE, RSCP_TAG_WB_REQ_PM_POWER_L1,
    RSCP_TAG_WB_REQ_PM_POWER_L2,       RSCP_TAG_WB_REQ_PM_POWER_L3,   RSCP_TAG_WB_REQ_PM_ACTIVE_PHASES,
    RSCP_TAG_WB_REQ_EXTERN_DATA_SUN,   RSCP_TAG_WB_REQ_ENERGY_ALL,    RSCP_TAG_WB_REQ_ENERGY_SOLAR,
    RSCP_TAG_WB_REQ_PM_ENERGY_L1,      RSCP_TAG_WB_REQ_PM_ENERGY_L2,  RSCP_TAG_WB_REQ_PM_ENERGY_L3,
    RSCP_TAG_WB_REQ_SOC,               RSCP_TAG_WB_REQ_KEY_STATE,     RSCP_TAG_WB_REQ_SET_EXTERN,
    RSCP_TAG_WB_REQ_SET_MIN_CHARGE_CURRENT, RSCP_TAG_WB_REQ_AUTO_PHASE_SWITCH_ENABLED,
    RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED,
};

static const uint32_t dcdc_subs[] = {
    RSCP_TAG_DCDC_REQ_DEVICE_STATE, RSCP_TAG_DCDC_REQ_I_BAT, RSCP_TAG_DCDC_REQ_U_BAT, RSCP_TAG_DCDC_REQ_P_BAT,
};

bool sim__is_wb_sub(uint32_t tag)
{
    return tag_in(tag, wb_subs, sizeof wb_subs / sizeof wb_subs[0]);
}

bool sim__is_wb_write(uint32_t tag)
{
    return tag == RSCP_TAG_WB_REQ_SET_EXTERN || tag == RSCP_TAG_WB_REQ_SET_MIN_CHARGE_CURRENT ||
           tag == RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED;
}

bool sim__is_dcdc_sub(uint32_t tag)
{
    return tag_in(tag, dcdc_subs, sizeof dcdc_subs / sizeof dcdc_subs[0]);
}

/* Wallbox wb's settings: the model's controls for 0, else the device's. */
static struct sim_wallbox wb_get(const struct sim_device *d, unsigned wb)
{
    const struct sim_controls *c = &d->model.ctl;
    if (wb > 0)
        return d->wb_more[wb - 1];
    struct sim_wallbox w = {c->wb_sun_mode, c->wb_suspended, c->wb_current_a, c->wb_phases, c->wb_min_current_a,
                            c->wb_auto_phase};
    return w;
}

static void wb_put(struct sim_device *d, unsigned wb, const struct sim_wallbox *w)
{
    struct sim_controls *c = &d->model.ctl;
    if (wb > 0) {
        d->wb_more[wb - 1] = *w;
        return;
    }
    c->wb_sun_mode = w->sun_mode;
    c->wb_suspended = w->suspended;
    c->wb_current_a = w->current_a;
    c->wb_phases = w->phases;
    c->wb_min_current_a = w->min_current_a;
    c->wb_auto_phase = w->auto_phase;
}

static unsigned wb_phases(const struct sim_wallbox *w)
{
    return w->phases == 1 ? 1u : 3u;
}

/* The car's power on wallbox wb (only the first has one), W. */
static double wb_power(const struct req_ctx *x, unsigned wb, bool solar)
{
    return wb > 0 ? 0.0 : solar ? x->f.wb_solar : x->f.wb;
}

/* The phases the car charges on now (those set when it does not). */
static unsigned wb_phases_now(const struct req_ctx *x, unsigned wb, const struct sim_wallbox *w)
{
    return wb == 0 && x->f.wb_phases_used ? x->f.wb_phases_used : wb_phases(w);
}

/* Power of phase p (0..2): split evenly over the phases in use. */
static double wb_phase_share(const struct req_ctx *x, unsigned wb, const struct sim_wallbox *w, unsigned p)
{
    unsigned n = wb_phases_now(x, wb, w);
    return p < n ? wb_power(x, wb, false) / (double)n : 0.0;
}

static void put_extern(struct rscp_builder *b, uint32_t rt, const uint8_t *bytes, size_t n)
{
    rscp_put_container_open(b, rt);
    rscp_put_bytes(b, RSCP_TAG_WB_EXTERN_DATA, bytes, n);
    rscp_put_uchar8(b, RSCP_TAG_WB_EXTERN_DATA_LEN, (uint8_t)n);
    rscp_put_container_close(b);
}

/* A write to a wallbox: counted; true when refused (the --refuse-writes
 * fault: ERROR ACCESS_DENIED, nothing applied). */
static bool wb_write_refused(struct req_ctx *x, uint32_t rt)
{
    x->d->writes++;
    if (!x->d->refuse_writes)
        return false;
    rscp_put_error(x->b, rt, SIM_ERR_ACCESS_DENIED);
    return true;
}

static void wb_set_extern(struct req_ctx *x, unsigned wb, const struct rscp_block *req, uint32_t rt)
{
    if (wb_write_refused(x, rt))
        return;
    struct sim_wallbox w = wb_get(x->d, wb);
    struct rscp_block blk;
    const uint8_t *p;
    size_t n;
    if (req->type != RSCP_TYPE_CONTAINER || rscp_block_find(req, RSCP_TAG_WB_EXTERN_DATA, &blk) != 0 ||
        rscp_block_get_bytes(&blk, &p, &n) != 0 || n < WB_SET_MIN_LEN) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    if ((p[0] != 1 && p[0] != 2) || p[1] < w.min_current_a || p[1] > SIM_WB_MAX_CURRENT_A || p[3] > 1 ||
        p[4] > 1) {
        rscp_put_error(x->b, rt, SIM_ERR_OUT_OF_BOUNDS);
        return;
    }
    w.sun_mode = p[0] == 1;
    w.current_a = p[1];
    if (p[3])
        w.phases = w.phases == 1 ? 3 : 1;
    if (p[4])
        w.suspended = !w.suspended;
    wb_put(x->d, wb, &w);
    rscp_put_none(x->b, rt);
}

static void wb_set_min_current(struct req_ctx *x, unsigned wb, const struct rscp_block *req, uint32_t rt)
{
    if (wb_write_refused(x, rt))
        return;
    struct sim_wallbox w = wb_get(x->d, wb);
    int64_t v;
    if (rscp_block_get_int(req, &v) != 0) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    if (v < SIM_WB_MIN_CURRENT_A || v > SIM_WB_MAX_CURRENT_A || v > w.current_a) {
        rscp_put_error(x->b, rt, SIM_ERR_OUT_OF_BOUNDS);
        return;
    }
    w.min_current_a = (uint8_t)v;
    wb_put(x->d, wb, &w);
    rscp_put_int32(x->b, rt, (int32_t)v);
}

static void wb_set_auto_phase(struct req_ctx *x, unsigned wb, const struct rscp_block *req, uint32_t rt)
{
    if (wb_write_refused(x, rt))
        return;
    int64_t v;
    if (rscp_block_get_int(req, &v) != 0) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    if (v < 0 || v > 1) {
        rscp_put_error(x->b, rt, SIM_ERR_OUT_OF_BOUNDS);
        return;
    }
    struct sim_wallbox w = wb_get(x->d, wb);
    w.auto_phase = v == 1;
    wb_put(x->d, wb, &w);
    rscp_put_bool(x->b, rt, v == 1);
}

void sim__wb_sub(struct req_ctx *x, unsigned wb, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_model *m = &x->d->model;
    const struct sim_wallbox w = wb_get(x->d, wb);
    bool car = wb == 0 && m->car_present;
    uint32_t rt = SIM_RESP(req->tag);
    /* A further wallbox's counters: what it charged before, fixed. */
    double e_all = wb == 0 ? m->total.wb + 3.5e5 : 1.0e5 * (double)wb;
    double e_solar = wb == 0 ? m->total.wb_solar + 2.1e5 : 0.6e5 * (double)wb;
    double p_all = wb_power(x, wb, false), p_solar = wb_power(x, wb, true);
    switch (req->tag) {
    case RSCP_TAG_WB_REQ_EXTERN_DATA_ALG: {
        uint8_t ext[WB_EXTERN_LEN] = {0};
        ext[2] = (uint8_t)((car ? 8u | 16u : 0u) | (p_all > 0 ? 32u : 0u) | (w.suspended ? 64u : 0u) |
                           (w.sun_mode ? 128u : 0u));
        ext[3] = w.current_a;
        put_extern(b, rt, ext, sizeof ext);
        break;
    }
    case RSCP_TAG_WB_REQ_EXTERN_DATA_SUN: {
        uint8_t ext[WB_EXTERN_LEN] = {0};
        uint32_t sw = (uint32_t)(p_solar > 0 ? p_solar : 0);
        ext[0] = (uint8_t)(sw & 0xFFu);
        ext[1] = (uint8_t)((sw >> 8) & 0xFFu);
        put_extern(b, rt, ext, sizeof ext);
        break;
    }
    case RSCP_TAG_WB_REQ_NUMBER_PHASES: rscp_put_uchar8(b, rt, (uint8_t)wb_phases(&w)); break;
    case RSCP_TAG_WB_REQ_MIN_CHARGE_CURRENT: rscp_put_int32(b, rt, w.min_current_a); break;
    case RSCP_TAG_WB_REQ_MAX_CHARGE_CURRENT: rscp_put_int32(b, rt, SIM_WB_MAX_CURRENT_A); break;
    case RSCP_TAG_WB_REQ_AUTO_PHASE_SWITCH_ENABLED: rscp_put_bool(b, rt, w.auto_phase); break;
    case RSCP_TAG_WB_REQ_DEVICE_STATE:
        put_device_state(b, rt, RSCP_TAG_WB_DEVICE_CONNECTED, RSCP_TAG_WB_DEVICE_WORKING,
                         RSCP_TAG_WB_DEVICE_IN_SERVICE);
        break;
    case RSCP_TAG_WB_REQ_PM_POWER_L1: rscp_put_double64(b, rt, wb_phase_share(x, wb, &w, 0)); break;
    case RSCP_TAG_WB_REQ_PM_POWER_L2: rscp_put_double64(b, rt, wb_phase_share(x, wb, &w, 1)); break;
    case RSCP_TAG_WB_REQ_PM_POWER_L3: rscp_put_double64(b, rt, wb_phase_share(x, wb, &w, 2)); break;
    case RSCP_TAG_WB_REQ_PM_ACTIVE_PHASES:
        rscp_put_uchar8(b, rt, (uint8_t)(p_all > 0 ? (wb_phases_now(x, wb, &w) == 1 ? 1u : 7u) : 0u));
        break;
    case RSCP_TAG_WB_REQ_ENERGY_ALL: rscp_put_uint32(b, rt, (uint32_t)e_all); break;
    case RSCP_TAG_WB_REQ_ENERGY_SOLAR: rscp_put_uint32(b, rt, (uint32_t)e_solar); break;
    case RSCP_TAG_WB_REQ_PM_ENERGY_L1: rscp_put_double64(b, rt, e_all / 3.0); break;
    case RSCP_TAG_WB_REQ_PM_ENERGY_L2: rscp_put_double64(b, rt, e_all / 3.0); break;
    case RSCP_TAG_WB_REQ_PM_ENERGY_L3: rscp_put_double64(b, rt, e_all / 3.0); break;
    case RSCP_TAG_WB_REQ_SOC: /* the car's state of charge: what it still wants of 60 kWh */
        rscp_put_uint16(b, rt, car ? (uint16_t)floor(clamp_to(100.0 - m->car_need_wh / 600.0, 0, 100)) : 0);
        break;
    case RSCP_TAG_WB_REQ_KEY_STATE: rscp_put_uint32(b, rt, 0); break;
    case RSCP_TAG_WB_REQ_SET_EXTERN: wb_set_extern(x, wb, req, rt); break;
    case RSCP_TAG_WB_REQ_SET_MIN_CHARGE_CURRENT: wb_set_min_current(x, wb, req, rt); break;
    case RSCP_TAG_WB_REQ_SET_AUTO_PHASE_SWITCH_ENABLED: wb_set_auto_phase(x, wb, req, rt); break;
    default: put_unsupported(b, req->tag); break;
    }
}

void sim__dcdc_sub(struct req_ctx *x, unsigned dcdc, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    uint32_t rt = SIM_RESP(req->tag);
    (void)dcdc;
    double p = (double)x->f.bat / (double)c->batteries;
    double u = 3.7 * 14.0 * (double)c->dcbs;
    switch (req->tag) {
    case RSCP_TAG_DCDC_REQ_DEVICE_STATE:
        put_device_state(b, rt, RSCP_TAG_DCDC_DEVICE_CONNECTED, RSCP_TAG_DCDC_DEVICE_WORKING,
                         RSCP_TAG_DCDC_DEVICE_IN_SERVICE);
        break;
    case RSCP_TAG_DCDC_REQ_P_BAT: put_f32(b, rt, p); break;
    case RSCP_TAG_DCDC_REQ_U_BAT: put_f32(b, rt, u); break;
    case RSCP_TAG_DCDC_REQ_I_BAT: put_f32(b, rt, p / u); break;
    default: put_unsupported(b, req->tag); break;
    }
}
