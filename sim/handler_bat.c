/* Battery strings (BAT.REQ_DATA): string and cell electrics from the
 * model's state of charge and power, and the DCB module records. */
#include "areas.h"

#include "noise.h"

#include <math.h>

#include <stdio.h>

#define CELLS_SERIES 14u     /* per DCB module */
#define CELLS_PARALLEL 3u
#define CELL_NOMINAL_V 3.6
#define DCB_SENSORS 4u /* temperature sensors per DCB module */

static double cell_ocv(double soc01)
{
    return 3.30 + 0.75 * soc01 + 0.05 * sin(soc01 * 3.14159265358979);
}

/* Voltage of one battery string: its modules in series. */
static double string_voltage(const struct req_ctx *x)
{
    const struct sim_config *c = &x->d->model.cfg;
    double soc = sim_model_soc(&x->d->model) / 100.0;
    double v = cell_ocv(soc) * CELLS_SERIES * (double)c->dcbs;
    double nominal = CELL_NOMINAL_V * CELLS_SERIES * (double)c->dcbs;
    double i = (double)x->f.bat / (double)c->batteries / nominal;
    return v + 0.04 * i; /* internal resistance */
}

static double string_current(const struct req_ctx *x)
{
    const struct sim_config *c = &x->d->model.cfg;
    return (double)x->f.bat / (double)c->batteries / string_voltage(x);
}

static double nominal_ah(const struct sim_config *c)
{
    return c->bat_capacity_wh / (double)c->batteries / (CELL_NOMINAL_V * CELLS_SERIES * (double)c->dcbs);
}

static double cell_temperature(const struct req_ctx *x, unsigned dcb, bool max)
{
    const struct sim_config *c = &x->d->model.cfg;
    double load = fabs((double)x->f.bat) / fmax(c->bat_max_charge_w, 1.0);
    double spread = 0.8 * sim_hash_unit(c->seed, 60, (int64_t)dcb);
    return 23.0 + 4.0 * load + (max ? spread + 0.6 : spread);
}

static void put_dcb_info(struct req_ctx *x, unsigned bat, unsigned dcb)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    double soc = sim_model_soc(&x->d->model);
    double v = string_voltage(x) / (double)c->dcbs;
    double i = string_current(x);
    double ah = nominal_ah(c);
    double soh = 97.0 + 2.5 * sim_hash_unit(c->seed, 61, (int64_t)(bat * 64 + dcb));
    uint32_t cycles = (uint32_t)sim_model_cycles(&x->d->model);
    uint32_t serial = (uint32_t)(sim_mix64(c->seed + bat * 64u + dcb) % 90000000u) + 10000000u;
    char code[32];
    snprintf(code, sizeof code, "DCB%u-%08u", bat, serial);

    rscp_put_container_open(b, SIM_RESP(RSCP_TAG_BAT_REQ_DCB_INFO));
    rscp_put_uint16(b, RSCP_TAG_BAT_DCB_INDEX, (uint16_t)dcb);
    rscp_put_uint64(b, RSCP_TAG_BAT_DCB_LAST_MESSAGE_TIMESTAMP, (uint64_t)floor(x->now) * 1000u);
    put_f32(b, RSCP_TAG_BAT_DCB_MAX_CHARGE_VOLTAGE, 4.15 * CELLS_SERIES);
    put_f32(b, RSCP_TAG_BAT_DCB_MAX_CHARGE_CURRENT, 50.0);
    put_f32(b, RSCP_TAG_BAT_DCB_END_OF_DISCHARGE, 3.0 * CELLS_SERIES);
    put_f32(b, RSCP_TAG_BAT_DCB_MAX_DISCHARGE_CURRENT, 50.0);
    put_f32(b, RSCP_TAG_BAT_DCB_FULL_CHARGE_CAPACITY, ah * soh / 100.0);
    put_f32(b, RSCP_TAG_BAT_DCB_REMAINING_CAPACITY, ah * soh / 100.0 * soc / 100.0);
    put_f32(b, RSCP_TAG_BAT_DCB_SOC, soc);
    put_f32(b, RSCP_TAG_BAT_DCB_SOH, soh);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_CYCLE_COUNT, cycles);
    put_f32(b, RSCP_TAG_BAT_DCB_CURRENT, i);
    put_f32(b, RSCP_TAG_BAT_DCB_VOLTAGE, v);
    put_f32(b, RSCP_TAG_BAT_DCB_CURRENT_AVG_30S, i);
    put_f32(b, RSCP_TAG_BAT_DCB_VOLTAGE_AVG_30S, v);
    put_f32(b, RSCP_TAG_BAT_DCB_DESIGN_CAPACITY, ah);
    put_f32(b, RSCP_TAG_BAT_DCB_DESIGN_VOLTAGE, CELL_NOMINAL_V * CELLS_SERIES);
    put_f32(b, RSCP_TAG_BAT_DCB_CHARGE_LOW_TEMPERATURE, 0.0);
    put_f32(b, RSCP_TAG_BAT_DCB_CHARGE_HIGH_TEMPERATURE, 45.0);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_MANUFACTURE_DATE, 1609459200u + (uint32_t)(serial % 31536000u));
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_SERIALNO, serial);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_PROTOCOL_VERSION, 2);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_FW_VERSION, 0x0142);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_DATA_TABLE_VERSION, 3);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_PCB_VERSION, 5);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_NR_SERIES_CELL, CELLS_SERIES);
    rscp_put_uint32(b, RSCP_TAG_BAT_DCB_NR_PARALLEL_CELL, CELLS_PARALLEL);
    rscp_put_cstr(b, RSCP_TAG_BAT_DCB_MANUFACTURE_NAME, "E3/DC");
    rscp_put_cstr(b, RSCP_TAG_BAT_DCB_DEVICE_NAME, "DCB-LI-50V");
    rscp_put_cstr(b, RSCP_TAG_BAT_DCB_SERIALCODE, code);
    rscp_put_uchar8(b, RSCP_TAG_BAT_DCB_NR_SENSOR, DCB_SENSORS);
    rscp_put_uint16(b, RSCP_TAG_BAT_DCB_STATUS, 0);
    rscp_put_uint16(b, RSCP_TAG_BAT_DCB_WARNING, 0);
    rscp_put_uint16(b, RSCP_TAG_BAT_DCB_ALARM, 0);
    rscp_put_uint16(b, RSCP_TAG_BAT_DCB_ERROR, 0);
    rscp_put_container_close(b);
}

/* Voltage of cell k of a module: the mean cell voltage with a small
 * seeded spread. */
static double cell_voltage(const struct req_ctx *x, unsigned bat, unsigned dcb, unsigned k)
{
    const struct sim_config *c = &x->d->model.cfg;
    double mean = string_voltage(x) / (double)(CELLS_SERIES * c->dcbs);
    return mean + 0.008 * (sim_hash_unit(c->seed, 62, (int64_t)((bat * 64u + dcb) * 32u + k)) - 0.5);
}

/* BAT.DCB_ALL_CELL_VOLTAGES / _TEMPERATURES of one module: its
 * DCB_INDEX, then one value per cell (sensor). */
static void put_dcb_cells(struct req_ctx *x, uint32_t rt, unsigned bat, unsigned dcb, bool voltages)
{
    struct rscp_builder *b = x->b;
    rscp_put_container_open(b, rt);
    rscp_put_uint16(b, RSCP_TAG_BAT_DCB_INDEX, (uint16_t)dcb);
    if (voltages) {
        for (unsigned k = 0; k < CELLS_SERIES; k++)
            put_f32(b, RSCP_TAG_BAT_DCB_CELL_VOLTAGE, cell_voltage(x, bat, dcb, k));
    } else {
        double lo = cell_temperature(x, bat * 64 + dcb, false), hi = cell_temperature(x, bat * 64 + dcb, true);
        for (unsigned k = 0; k < DCB_SENSORS; k++)
            put_f32(b, RSCP_TAG_BAT_DCB_CELL_TEMPERATURE, lo + (hi - lo) * (double)k / (double)(DCB_SENSORS - 1));
    }
    rscp_put_container_close(b);
}

/* Sub-requests served inside BAT.REQ_DATA. */
static const uint32_t bat_subs[] = {
    RSCP_TAG_BAT_REQ_RSOC, RSCP_TAG_BAT_REQ_RSOC_REAL, RSCP_TAG_BAT_REQ_ASOC, RSCP_TAG_BAT_REQ_MODULE_VOLTAGE,
    RSCP_TAG_BAT_REQ_TERMINAL_VOLTAGE, RSCP_TAG_BAT_REQ_CURRENT, RSCP_TAG_BAT_REQ_MAX_BAT_VOLTAGE,
    RSCP_TAG_BAT_REQ_MAX_CHARGE_CURRENT, RSCP_TAG_BAT_REQ_EOD_VOLTAGE, RSCP_TAG_BAT_REQ_MAX_DISCHARGE_CURRENT,
    RSCP_TAG_BAT_REQ_CHARGE_CYCLES, RSCP_TAG_BAT_REQ_STATUS_CODE, RSCP_TAG_BAT_REQ_ERROR_CODE, RSCP_TAG_BAT_REQ_DEVICE_NAME,
    RSCP_TAG_BAT_REQ_DCB_COUNT, RSCP_TAG_BAT_REQ_MAX_DCB_CELL_CURRENT, RSCP_TAG_BAT_REQ_MIN_DCB_CELL_CURRENT,
    RSCP_TAG_BAT_REQ_MAX_DCB_CELL_VOLTAGE, RSCP_TAG_BAT_REQ_MIN_DCB_CELL_VOLTAGE, RSCP_TAG_BAT_REQ_MAX_DCB_CELL_TEMPERATURE,
    RSCP_TAG_BAT_REQ_MIN_DCB_CELL_TEMPERATURE, RSCP_TAG_BAT_REQ_READY_FOR_SHUTDOWN, RSCP_TAG_BAT_REQ_TRAINING_MODE,
    RSCP_TAG_BAT_REQ_USABLE_CAPACITY, RSCP_TAG_BAT_REQ_USABLE_REMAINING_CAPACITY, RSCP_TAG_BAT_REQ_DESIGN_CAPACITY,
    RSCP_TAG_BAT_REQ_DCB_INFO, RSCP_TAG_BAT_REQ_DEVICE_STATE, RSCP_TAG_BAT_REQ_FCC, RSCP_TAG_BAT_REQ_RC,
    RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES, RSCP_TAG_BAT_REQ_DCB_ALL_CELL_TEMPERATURES,
};

bool sim__is_bat_sub(uint32_t tag)
{
    return tag_in(tag, bat_subs, sizeof bat_subs / sizeof bat_subs[0]);
}

void sim__bat_sub(struct req_ctx *x, unsigned bat, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    uint32_t rt = SIM_RESP(req->tag);
    double soc = sim_model_soc(&x->d->model);
    double nominal_v = CELL_NOMINAL_V * CELLS_SERIES * (double)c->dcbs;
    double cell_v = string_voltage(x) / (double)(CELLS_SERIES * c->dcbs);
    double ah = nominal_ah(c);
    switch (req->tag) {
    case RSCP_TAG_BAT_REQ_RSOC:
    case RSCP_TAG_BAT_REQ_RSOC_REAL: put_f32(b, rt, soc); break;
    case RSCP_TAG_BAT_REQ_ASOC: put_f32(b, rt, 98.0); break;
    case RSCP_TAG_BAT_REQ_MODULE_VOLTAGE: put_f32(b, rt, string_voltage(x)); break;
    case RSCP_TAG_BAT_REQ_TERMINAL_VOLTAGE: put_f32(b, rt, string_voltage(x) + 0.3); break;
    case RSCP_TAG_BAT_REQ_CURRENT: put_f32(b, rt, string_current(x)); break;
    case RSCP_TAG_BAT_REQ_MAX_BAT_VOLTAGE: put_f32(b, rt, 4.15 * CELLS_SERIES * (double)c->dcbs); break;
    case RSCP_TAG_BAT_REQ_EOD_VOLTAGE: put_f32(b, rt, 3.0 * CELLS_SERIES * (double)c->dcbs); break;
    case RSCP_TAG_BAT_REQ_MAX_CHARGE_CURRENT:
        put_f32(b, rt, c->bat_max_charge_w / (double)c->batteries / nominal_v);
        break;
    case RSCP_TAG_BAT_REQ_MAX_DISCHARGE_CURRENT:
        put_f32(b, rt, c->bat_max_discharge_w / (double)c->batteries / nominal_v);
        break;
    case RSCP_TAG_BAT_REQ_CHARGE_CYCLES: rscp_put_uint32(b, rt, (uint32_t)sim_model_cycles(&x->d->model)); break;
    case RSCP_TAG_BAT_REQ_STATUS_CODE: rscp_put_uint32(b, rt, 0); break;
    case RSCP_TAG_BAT_REQ_ERROR_CODE: rscp_put_uint32(b, rt, 0); break;
    case RSCP_TAG_BAT_REQ_DEVICE_NAME: rscp_put_cstr(b, rt, "BAT_HV_S10"); break;
    case RSCP_TAG_BAT_REQ_DCB_COUNT: rscp_put_uchar8(b, rt, (uint8_t)c->dcbs); break;
    case RSCP_TAG_BAT_REQ_MAX_DCB_CELL_CURRENT:
    case RSCP_TAG_BAT_REQ_MIN_DCB_CELL_CURRENT:
        put_f32(b, rt, string_current(x) / CELLS_PARALLEL);
        break;
    case RSCP_TAG_BAT_REQ_MAX_DCB_CELL_VOLTAGE: put_f32(b, rt, cell_v + 0.004); break;
    case RSCP_TAG_BAT_REQ_MIN_DCB_CELL_VOLTAGE: put_f32(b, rt, cell_v - 0.004); break;
    case RSCP_TAG_BAT_REQ_MAX_DCB_CELL_TEMPERATURE: {
        double t = 0.0;
        for (unsigned k = 0; k < c->dcbs; k++)
            t = fmax(t, cell_temperature(x, bat * 64 + k, true));
        put_f32(b, rt, t);
        break;
    }
    case RSCP_TAG_BAT_REQ_MIN_DCB_CELL_TEMPERATURE: {
        double t = 100.0;
        for (unsigned k = 0; k < c->dcbs; k++)
            t = fmin(t, cell_temperature(x, bat * 64 + k, false));
        put_f32(b, rt, t);
        break;
    }
    case RSCP_TAG_BAT_REQ_READY_FOR_SHUTDOWN: rscp_put_bool(b, rt, false); break;
    case RSCP_TAG_BAT_REQ_TRAINING_MODE: rscp_put_uchar8(b, rt, 0); break;
    case RSCP_TAG_BAT_REQ_USABLE_CAPACITY:
    case RSCP_TAG_BAT_REQ_DESIGN_CAPACITY: put_f32(b, rt, ah); break;
    case RSCP_TAG_BAT_REQ_USABLE_REMAINING_CAPACITY: put_f32(b, rt, ah * soc / 100.0); break;
    case RSCP_TAG_BAT_REQ_DEVICE_STATE:
        put_device_state(b, rt, RSCP_TAG_BAT_DEVICE_CONNECTED, RSCP_TAG_BAT_DEVICE_WORKING, RSCP_TAG_BAT_DEVICE_IN_SERVICE);
        break;
    case RSCP_TAG_BAT_REQ_FCC: put_f32(b, rt, ah * 0.98); break;
    case RSCP_TAG_BAT_REQ_RC: put_f32(b, rt, ah * 0.98 * soc / 100.0); break;
    case RSCP_TAG_BAT_REQ_DCB_INFO:
    case RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES:
    case RSCP_TAG_BAT_REQ_DCB_ALL_CELL_TEMPERATURES: {
        uint64_t dcb; /* the module number travels as the value */
        if (!get_index(req, &dcb))
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
        else if (dcb >= c->dcbs)
            rscp_put_error(b, rt, SIM_ERR_OUT_OF_BOUNDS);
        else if (req->tag == RSCP_TAG_BAT_REQ_DCB_INFO)
            put_dcb_info(x, bat, (unsigned)dcb);
        else
            put_dcb_cells(x, rt, bat, (unsigned)dcb, req->tag == RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES);
        break;
    }
    default: put_unsupported(b, req->tag); break;
    }
}
