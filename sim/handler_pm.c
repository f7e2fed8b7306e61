/* Power meters (PM.REQ_DATA): the root (grid) meter and the additional
 * producer's meter. */
#include "areas.h"

#include "noise.h"

#include <math.h>

static const uint32_t pm_subs[] = {
    RSCP_TAG_PM_REQ_POWER_L1, RSCP_TAG_PM_REQ_POWER_L2, RSCP_TAG_PM_REQ_POWER_L3, RSCP_TAG_PM_REQ_ENERGY_L1, RSCP_TAG_PM_REQ_ENERGY_L2,
    RSCP_TAG_PM_REQ_ENERGY_L3, RSCP_TAG_PM_REQ_VOLTAGE_L1, RSCP_TAG_PM_REQ_VOLTAGE_L2, RSCP_TAG_PM_REQ_VOLTAGE_L3,
    RSCP_TAG_PM_REQ_ACTIVE_PHASES, RSCP_TAG_PM_REQ_MODE, RSCP_TAG_PM_REQ_TYPE, RSCP_TAG_PM_REQ_DEVICE_ID, RSCP_TAG_PM_REQ_ERROR_CODE,
    RSCP_TAG_PM_REQ_FIRMWARE_VERSION, RSCP_TAG_PM_REQ_DEVICE_STATE,
};

/* Unequal but exact split of a power over three phases. */
static double phase_share(double total, unsigned phase)
{
    static const double w[3] = {0.40, 0.33, 0.27};
    return total * w[phase];
}

bool sim__is_pm_sub(uint32_t tag)
{
    return tag_in(tag, pm_subs, sizeof pm_subs / sizeof pm_subs[0]);
}

void sim__pm_sub(struct req_ctx *x, const struct sim_meter *meter, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_model *m = &x->d->model;
    uint32_t rt = SIM_RESP(req->tag);
    bool root = meter->type == SIM_PM_TYPE_ROOT;
    /* What the meter measures: see struct sim_meter. */
    double p = 0.0, e = 0.0;
    switch (meter->type) {
    case SIM_PM_TYPE_ROOT: p = (double)x->f.grid, e = m->total.grid_out + 1.2e6; break;
    case SIM_PM_TYPE_ADD_PRODUCTION: p = (double)x->f.add, e = m->total.add + 2.0e5; break;
    case SIM_PM_TYPE_ADD_CONSUMPTION: p = 0.25 * (double)x->f.home, e = 0.25 * m->total.home + 5.0e4; break;
    default: break;
    }
    switch (req->tag) {
    case RSCP_TAG_PM_REQ_POWER_L1: rscp_put_double64(b, rt, phase_share(p, 0)); break;
    case RSCP_TAG_PM_REQ_POWER_L2: rscp_put_double64(b, rt, phase_share(p, 1)); break;
    case RSCP_TAG_PM_REQ_POWER_L3: rscp_put_double64(b, rt, phase_share(p, 2)); break;
    case RSCP_TAG_PM_REQ_ENERGY_L1: rscp_put_double64(b, rt, phase_share(e, 0)); break;
    case RSCP_TAG_PM_REQ_ENERGY_L2: rscp_put_double64(b, rt, phase_share(e, 1)); break;
    case RSCP_TAG_PM_REQ_ENERGY_L3: rscp_put_double64(b, rt, phase_share(e, 2)); break;
    case RSCP_TAG_PM_REQ_VOLTAGE_L1: put_f32(b, rt, phase_voltage(x, 0)); break;
    case RSCP_TAG_PM_REQ_VOLTAGE_L2: put_f32(b, rt, phase_voltage(x, 1)); break;
    case RSCP_TAG_PM_REQ_VOLTAGE_L3: put_f32(b, rt, phase_voltage(x, 2)); break;
    case RSCP_TAG_PM_REQ_ACTIVE_PHASES: rscp_put_uchar8(b, rt, 7); break;
    case RSCP_TAG_PM_REQ_MODE: rscp_put_uchar8(b, rt, 0); break;
    case RSCP_TAG_PM_REQ_TYPE: rscp_put_uint16(b, rt, meter->type); break;
    case RSCP_TAG_PM_REQ_DEVICE_ID: rscp_put_uint32(b, rt, root ? 0x2001u : 0x2002u + meter->index); break;
    case RSCP_TAG_PM_REQ_ERROR_CODE: rscp_put_uchar8(b, rt, 0); break;
    case RSCP_TAG_PM_REQ_FIRMWARE_VERSION: rscp_put_uchar8(b, rt, 17); break;
    case RSCP_TAG_PM_REQ_DEVICE_STATE:
        put_device_state(b, rt, RSCP_TAG_PM_DEVICE_CONNECTED, RSCP_TAG_PM_DEVICE_WORKING, RSCP_TAG_PM_DEVICE_IN_SERVICE);
        break;
    default: put_unsupported(b, req->tag); break;
    }
}
