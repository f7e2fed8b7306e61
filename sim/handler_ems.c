/* EMS readings: power flows, limits, status bits (computed with the flows,
 * model.c), system specs. The
 * requests that change controls are in handler_settings.c. */
#include "areas.h"

#include "noise.h"

#include <math.h>

static void ems_sys_specs(struct req_ctx *x, uint32_t rt)
{
    const struct sim_config *c = &x->d->model.cfg;
    struct spec {
        const char *name;
        double value;
    } specs[] = {
        {"hybridModeSupported", 1},
        {"installedBatteryCapacity", c->bat_capacity_wh},
        {"maxAcPower", 12000},
        {"maxBatChargePower", c->bat_max_charge_w},
        {"maxBatDischargPower", c->bat_max_discharge_w},
        {"maxChargePower", c->bat_max_charge_w},
        {"maxDischargePower", c->bat_max_discharge_w},
        {"maxFbcChargePower", c->bat_max_charge_w},
        {"maxFbcDischargePower", c->bat_max_discharge_w},
        {"maxPvPower", c->pv_peak_w * 1.2},
        {"maxStartChargePower", 1000},
        {"maxStartDischargePower", 1000},
        {"minStartChargePower", 0},
        {"minStartDischargePower", 0},
        {"recommendedMinChargeLimit", 300},
        {"recommendedMinDischargeLimit", 300},
        {"startChargeDefault", 100},
        {"startDischargeDefault", 65},
    };
    struct rscp_builder *b = x->b;
    rscp_put_container_open(b, rt);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        rscp_put_container_open(b, RSCP_TAG_EMS_SYS_SPEC);
        rscp_put_int32(b, RSCP_TAG_EMS_SYS_SPEC_INDEX, (int32_t)i);
        rscp_put_cstr(b, RSCP_TAG_EMS_SYS_SPEC_NAME, specs[i].name);
        rscp_put_int32(b, RSCP_TAG_EMS_SYS_SPEC_VALUE_INT, (int32_t)specs[i].value);
        rscp_put_container_close(b);
    }
    rscp_put_container_close(b);
}

bool sim__ems(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    struct sim_model *m = &x->d->model;
    const struct sim_config *c = &m->cfg;
    const struct sim_flows *f = &x->f;
    uint32_t rt = SIM_RESP(req->tag);
    double chg = sim_model_max_charge(m), dis = sim_model_max_discharge(m);
    switch (req->tag) {
    case RSCP_TAG_EMS_REQ_POWER_PV: rscp_put_int32(b, rt, f->pv); break;
    case RSCP_TAG_EMS_REQ_POWER_BAT: rscp_put_int32(b, rt, f->bat); break;
    case RSCP_TAG_EMS_REQ_POWER_HOME: rscp_put_int32(b, rt, f->home); break;
    case RSCP_TAG_EMS_REQ_POWER_GRID: rscp_put_int32(b, rt, f->grid); break;
    case RSCP_TAG_EMS_REQ_POWER_ADD: rscp_put_int32(b, rt, -f->add); break;
    case RSCP_TAG_EMS_REQ_POWER_WB_ALL: rscp_put_int32(b, rt, f->wb); break;
    case RSCP_TAG_EMS_REQ_POWER_WB_SOLAR: rscp_put_int32(b, rt, f->wb_solar); break;
    case RSCP_TAG_EMS_REQ_AUTARKY: put_f32(b, rt, sim_flows_autarky(f)); break;
    case RSCP_TAG_EMS_REQ_SELF_CONSUMPTION: put_f32(b, rt, sim_flows_self_consumption(f)); break;
    case RSCP_TAG_EMS_REQ_BAT_SOC: rscp_put_uchar8(b, rt, (uint8_t)floor(sim_model_soc(m) + 0.5)); break;
    case RSCP_TAG_EMS_REQ_COUPLING_MODE: rscp_put_uchar8(b, rt, c->add_peak_w > 0.0 ? 3 : 0); break; /* HYBRID / DC */
    case RSCP_TAG_EMS_REQ_MODE: rscp_put_uchar8(b, rt, (uint8_t)(f->bat > 0 ? 2 : f->bat < 0 ? 1 : 0)); break;
    case RSCP_TAG_EMS_REQ_BALANCED_PHASES: rscp_put_uchar8(b, rt, 7); break;
    case RSCP_TAG_EMS_REQ_INSTALLED_PEAK_POWER: rscp_put_uint32(b, rt, (uint32_t)c->pv_peak_w); break;
    case RSCP_TAG_EMS_REQ_DERATE_AT_PERCENT_VALUE: put_f32(b, rt, m->ctl.derate_share); break;
    case RSCP_TAG_EMS_REQ_DERATE_AT_POWER_VALUE: put_f32(b, rt, m->ctl.derate_share * c->pv_peak_w); break;
    case RSCP_TAG_EMS_REQ_EXT_SRC_AVAILABLE: rscp_put_char8(b, rt, c->add_peak_w > 0.0 ? 1 : 0); break;
    case RSCP_TAG_EMS_REQ_STATUS: rscp_put_uint32(b, rt, f->status); break; /* rscp/ems.h bits */
    case RSCP_TAG_EMS_REQ_USED_CHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)chg); break;
    case RSCP_TAG_EMS_REQ_BAT_CHARGE_LIMIT:
    case RSCP_TAG_EMS_REQ_DCDC_CHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)c->bat_max_charge_w); break;
    case RSCP_TAG_EMS_REQ_USER_CHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)m->ctl.max_charge_w); break;
    case RSCP_TAG_EMS_REQ_USED_DISCHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)dis); break;
    case RSCP_TAG_EMS_REQ_BAT_DISCHARGE_LIMIT:
    case RSCP_TAG_EMS_REQ_DCDC_DISCHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)c->bat_max_discharge_w); break;
    case RSCP_TAG_EMS_REQ_USER_DISCHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)m->ctl.max_discharge_w); break;
    case RSCP_TAG_EMS_REQ_REMAINING_BAT_CHARGE_POWER:
        rscp_put_uint32(b, rt, (uint32_t)fmax(chg - (f->bat > 0 ? f->bat : 0), 0.0));
        break;
    case RSCP_TAG_EMS_REQ_REMAINING_BAT_DISCHARGE_POWER:
        rscp_put_uint32(b, rt, (uint32_t)fmax(dis - (f->bat < 0 ? -f->bat : 0), 0.0));
        break;
    case RSCP_TAG_EMS_REQ_EMERGENCY_POWER_STATUS: rscp_put_uchar8(b, rt, 2); break; /* possible, not active */
    case RSCP_TAG_EMS_REQ_BATTERY_TO_CAR_MODE: rscp_put_uchar8(b, rt, m->ctl.battery_to_car ? 1 : 0); break;
    case RSCP_TAG_EMS_REQ_GET_WB_DISCHARGE_BAT_UNTIL: rscp_put_uchar8(b, rt, m->ctl.wb_discharge_until); break;
    case RSCP_TAG_EMS_REQ_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT: rscp_put_bool(b, rt, m->ctl.wb_enforce_power); break;
    case RSCP_TAG_EMS_REQ_BATTERY_BEFORE_CAR_MODE: rscp_put_uchar8(b, rt, m->ctl.battery_before_car ? 1 : 0); break;
    case RSCP_TAG_EMS_REQ_GET_SYS_SPECS: /* the one reply that is not the request id | bit 23 */
        ems_sys_specs(x, RSCP_TAG_EMS_GET_SYS_SPECS);
        break;
    default: return false;
    }
    return true;
}
