/* The PV inverter (PVI.REQ_DATA): AC phases, DC trackers, temperatures. */
#include "areas.h"

#include "noise.h"

#include <math.h>

static const uint32_t pvi_subs[] = {
    RSCP_TAG_PVI_REQ_ON_GRID, RSCP_TAG_PVI_REQ_STATE, RSCP_TAG_PVI_REQ_TYPE, RSCP_TAG_PVI_REQ_SERIAL_NUMBER,
    RSCP_TAG_PVI_REQ_AC_MAX_PHASE_COUNT, RSCP_TAG_PVI_REQ_DC_MAX_STRING_COUNT, RSCP_TAG_PVI_REQ_SYSTEM_MODE,
    RSCP_TAG_PVI_REQ_POWER_MODE, RSCP_TAG_PVI_REQ_DEVICE_STATE, RSCP_TAG_PVI_REQ_AC_POWER, RSCP_TAG_PVI_REQ_AC_VOLTAGE,
    RSCP_TAG_PVI_REQ_AC_CURRENT, RSCP_TAG_PVI_REQ_AC_APPARENTPOWER, RSCP_TAG_PVI_REQ_AC_REACTIVEPOWER,
    RSCP_TAG_PVI_REQ_AC_ENERGY_ALL, RSCP_TAG_PVI_REQ_AC_ENERGY_DAY, RSCP_TAG_PVI_REQ_AC_FREQUENCY,
    RSCP_TAG_PVI_REQ_AC_MAX_APPARENTPOWER, RSCP_TAG_PVI_REQ_DC_POWER, RSCP_TAG_PVI_REQ_DC_VOLTAGE, RSCP_TAG_PVI_REQ_DC_CURRENT,
    RSCP_TAG_PVI_REQ_DC_MAX_POWER, RSCP_TAG_PVI_REQ_DC_STRING_ENERGY_ALL, RSCP_TAG_PVI_REQ_TEMPERATURE,
    RSCP_TAG_PVI_REQ_MAX_TEMPERATURE, RSCP_TAG_PVI_REQ_MIN_TEMPERATURE, RSCP_TAG_PVI_REQ_USED_STRING_COUNT,
    RSCP_TAG_PVI_REQ_TEMPERATURE_COUNT,
};

#define PVI_TEMPERATURE_SENSORS 4u

static double tracker_voltage(const struct req_ctx *x, unsigned k, double p)
{
    const struct sim_config *c = &x->d->model.cfg;
    if (p <= 0.0 && sim_sun_elevation(c, x->now) <= 0.0)
        return 0.0;
    double peak = c->pv_peak_w / (double)c->trackers;
    return 420.0 + 60.0 * sqrt(clamp_to(p / peak, 0.0, 1.0)) + 5.0 * (double)k;
}

/* DC power of tracker k now: what the sun gives, less its share of a
 * derating curtailment. */
static double tracker_power(const struct req_ctx *x, unsigned k)
{
    double p = sim_pv_tracker_power(&x->d->model.cfg, k, x->d->model.t);
    double total = (double)x->f.pv + (double)x->f.curtailed;
    return total > 0.0 ? p * (double)x->f.pv / total : p;
}

/* Inverter AC output: PV minus what goes into the battery (DC coupled). */
static double pvi_ac_power(const struct req_ctx *x)
{
    return ((double)x->f.pv - (double)x->f.bat) * 0.97;
}

static void put_indexed(struct rscp_builder *b, uint32_t rt, unsigned index, double value)
{
    rscp_put_container_open(b, rt);
    rscp_put_uint16(b, RSCP_TAG_PVI_INDEX, (uint16_t)index);
    put_f32(b, RSCP_TAG_PVI_VALUE, value);
    rscp_put_container_close(b);
}

bool sim__is_pvi_sub(uint32_t tag)
{
    return tag_in(tag, pvi_subs, sizeof pvi_subs / sizeof pvi_subs[0]);
}

void sim__pvi_sub(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    const struct sim_model *m = &x->d->model;
    uint32_t rt = SIM_RESP(req->tag);
    uint64_t k = 0;
    unsigned limit = 0; /* sub-index bound for the indexed requests */
    switch (req->tag) {
    case RSCP_TAG_PVI_REQ_AC_POWER: case RSCP_TAG_PVI_REQ_AC_VOLTAGE: case RSCP_TAG_PVI_REQ_AC_CURRENT:
    case RSCP_TAG_PVI_REQ_AC_APPARENTPOWER: case RSCP_TAG_PVI_REQ_AC_REACTIVEPOWER: case RSCP_TAG_PVI_REQ_AC_ENERGY_ALL:
    case RSCP_TAG_PVI_REQ_AC_ENERGY_DAY: case RSCP_TAG_PVI_REQ_AC_FREQUENCY: case RSCP_TAG_PVI_REQ_AC_MAX_APPARENTPOWER:
        limit = 3;
        break;
    case RSCP_TAG_PVI_REQ_DC_POWER: case RSCP_TAG_PVI_REQ_DC_VOLTAGE: case RSCP_TAG_PVI_REQ_DC_CURRENT:
    case RSCP_TAG_PVI_REQ_DC_MAX_POWER: case RSCP_TAG_PVI_REQ_DC_STRING_ENERGY_ALL:
        limit = c->trackers;
        break;
    case RSCP_TAG_PVI_REQ_TEMPERATURE:
        limit = PVI_TEMPERATURE_SENSORS;
        break;
    default: break;
    }
    if (limit > 0) {
        if (!get_index(req, &k)) {
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
            return;
        }
        if (k >= limit) {
            rscp_put_error(b, rt, SIM_ERR_OUT_OF_BOUNDS);
            return;
        }
    }
    unsigned i = (unsigned)k;
    double ac_phase = pvi_ac_power(x) / 3.0;
    double pv_share = c->trackers ? 1.0 / (double)c->trackers : 0.0;
    switch (req->tag) {
    case RSCP_TAG_PVI_REQ_ON_GRID: rscp_put_bool(b, rt, true); break;
    case RSCP_TAG_PVI_REQ_STATE: rscp_put_cstr(b, rt, x->f.pv > 0 ? "Running" : "Standby"); break;
    case RSCP_TAG_PVI_REQ_TYPE: rscp_put_uchar8(b, rt, 3); break;
    case RSCP_TAG_PVI_REQ_SERIAL_NUMBER: rscp_put_cstr(b, rt, x->d->serial); break;
    case RSCP_TAG_PVI_REQ_AC_MAX_PHASE_COUNT: rscp_put_uchar8(b, rt, 3); break;
    case RSCP_TAG_PVI_REQ_DC_MAX_STRING_COUNT: rscp_put_uchar8(b, rt, (uint8_t)SIM_MAX_TRACKERS); break;
    case RSCP_TAG_PVI_REQ_USED_STRING_COUNT: rscp_put_uchar8(b, rt, (uint8_t)c->trackers); break;
    case RSCP_TAG_PVI_REQ_TEMPERATURE_COUNT: rscp_put_uchar8(b, rt, (uint8_t)PVI_TEMPERATURE_SENSORS); break;
    case RSCP_TAG_PVI_REQ_SYSTEM_MODE: rscp_put_uchar8(b, rt, 2); break;
    case RSCP_TAG_PVI_REQ_POWER_MODE: rscp_put_uchar8(b, rt, 1); break;
    case RSCP_TAG_PVI_REQ_DEVICE_STATE:
        put_device_state(b, rt, RSCP_TAG_PVI_DEVICE_CONNECTED, RSCP_TAG_PVI_DEVICE_WORKING, RSCP_TAG_PVI_DEVICE_IN_SERVICE);
        break;
    case RSCP_TAG_PVI_REQ_AC_POWER: put_indexed(b, rt, i, ac_phase); break;
    case RSCP_TAG_PVI_REQ_AC_VOLTAGE: put_indexed(b, rt, i, phase_voltage(x, i)); break;
    case RSCP_TAG_PVI_REQ_AC_CURRENT: put_indexed(b, rt, i, ac_phase / phase_voltage(x, i)); break;
    case RSCP_TAG_PVI_REQ_AC_APPARENTPOWER: put_indexed(b, rt, i, fabs(ac_phase) * 1.01); break;
    case RSCP_TAG_PVI_REQ_AC_REACTIVEPOWER: put_indexed(b, rt, i, fabs(ac_phase) * 0.05); break;
    case RSCP_TAG_PVI_REQ_AC_ENERGY_ALL:
        put_indexed(b, rt, i, (m->total.pv * 0.97 + 8.0e6) / 3.0);
        break;
    case RSCP_TAG_PVI_REQ_AC_ENERGY_DAY: put_indexed(b, rt, i, m->today.pv * 0.97 / 3.0); break;
    case RSCP_TAG_PVI_REQ_AC_FREQUENCY:
        put_indexed(b, rt, i, 50.0 + 0.04 * (sim_smooth_noise(c->seed, 74, x->now, 30.0) - 0.5));
        break;
    case RSCP_TAG_PVI_REQ_AC_MAX_APPARENTPOWER: put_indexed(b, rt, i, 4600.0); break;
    case RSCP_TAG_PVI_REQ_DC_POWER: put_indexed(b, rt, i, floor(tracker_power(x, i) + 0.5)); break;
    case RSCP_TAG_PVI_REQ_DC_VOLTAGE: {
        double p = tracker_power(x, i);
        put_indexed(b, rt, i, tracker_voltage(x, i, p));
        break;
    }
    case RSCP_TAG_PVI_REQ_DC_CURRENT: {
        double p = tracker_power(x, i);
        double v = tracker_voltage(x, i, p);
        put_indexed(b, rt, i, v > 0.0 ? p / v : 0.0);
        break;
    }
    case RSCP_TAG_PVI_REQ_DC_MAX_POWER: put_indexed(b, rt, i, c->pv_peak_w * pv_share); break;
    case RSCP_TAG_PVI_REQ_DC_STRING_ENERGY_ALL: put_indexed(b, rt, i, (m->total.pv + 8.0e6) * pv_share); break;
    case RSCP_TAG_PVI_REQ_TEMPERATURE:
        put_indexed(b, rt, i, 28.0 + 12.0 * (double)x->f.pv / fmax(c->pv_peak_w, 1.0) + (double)i);
        break;
    case RSCP_TAG_PVI_REQ_MAX_TEMPERATURE: put_f32(b, rt, 70.0); break;
    case RSCP_TAG_PVI_REQ_MIN_TEMPERATURE: put_f32(b, rt, -20.0); break;
    default: put_unsupported(b, req->tag); break;
    }
}
