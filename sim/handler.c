/* Request blocks -> reply blocks for the simulated device. */
#include "handler.h"

#include "history.h"
#include "noise.h"
#include "sim_tags.h"

#include "rscp/types.h"
#include "rscp/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ERR_TAG(req) SIM_RESP(req)

/* Everything one request needs: device, instant, output. */
struct req_ctx {
    struct sim_device *d;
    struct sim_flows f;        /* flows at `now` */
    double now;
    int auth_level;
    struct rscp_builder *b;
};

static double clamp_to(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void put_f32(struct rscp_builder *b, uint32_t tag, double v)
{
    rscp_put_float32(b, tag, (float)v);
}

static void put_ts(struct rscp_builder *b, uint32_t tag, double t)
{
    double s = floor(t);
    uint32_t ns = (uint32_t)clamp_to((t - s) * 1e9, 0.0, 999999999.0);
    rscp_put_timestamp(b, tag, (int64_t)s, ns);
}

/* Index-like value of a request block (any integer type). */
static bool get_index(const struct rscp_block *blk, uint64_t *out)
{
    return rscp_block_get_uint(blk, out) == 0;
}

static bool tag_in(uint32_t tag, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == tag)
            return true;
    return false;
}

/* ---- device identity ------------------------------------------------------ */

void sim_device_init(struct sim_device *d, const struct sim_config *c, double start, unsigned pm_root_index)
{
    memset(d, 0, sizeof *d);
    sim_model_init(&d->model, c, start);
    d->pm_root_index = pm_root_index;
    d->pm_add_index = pm_root_index == 1 ? 2 : 1;
    uint64_t h = sim_mix64(c->seed ^ 0x5E5E5E5Eull);
    snprintf(d->serial, sizeof d->serial, "S10-%012llu", (unsigned long long)(h % 1000000000000ull));
    snprintf(d->mac, sizeof d->mac, "00:1d:7a:%02x:%02x:%02x", (unsigned)((h >> 40) & 0xFF),
             (unsigned)((h >> 48) & 0xFF), (unsigned)((h >> 56) & 0xFF));
}

/* ---- battery electrics ---------------------------------------------------- */

#define CELLS_SERIES 14u     /* per DCB module */
#define CELLS_PARALLEL 3u
#define CELL_NOMINAL_V 3.6

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

static void put_device_state(struct rscp_builder *b, uint32_t tag, uint32_t connected, uint32_t working,
                             uint32_t in_service)
{
    rscp_put_container_open(b, tag);
    rscp_put_bool(b, connected, true);
    rscp_put_bool(b, working, true);
    rscp_put_bool(b, in_service, false);
    rscp_put_container_close(b);
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

    rscp_put_container_open(b, SIM_RESP(SIM_BAT_REQ_DCB_INFO));
    rscp_put_uint16(b, SIM_BAT_DCB_INDEX, (uint16_t)dcb);
    rscp_put_uint64(b, SIM_BAT_DCB_LAST_MESSAGE_TIMESTAMP, (uint64_t)floor(x->now) * 1000u);
    put_f32(b, SIM_BAT_DCB_MAX_CHARGE_VOLTAGE, 4.15 * CELLS_SERIES);
    put_f32(b, SIM_BAT_DCB_MAX_CHARGE_CURRENT, 50.0);
    put_f32(b, SIM_BAT_DCB_END_OF_DISCHARGE, 3.0 * CELLS_SERIES);
    put_f32(b, SIM_BAT_DCB_MAX_DISCHARGE_CURRENT, 50.0);
    put_f32(b, SIM_BAT_DCB_FULL_CHARGE_CAPACITY, ah * soh / 100.0);
    put_f32(b, SIM_BAT_DCB_REMAINING_CAPACITY, ah * soh / 100.0 * soc / 100.0);
    put_f32(b, SIM_BAT_DCB_SOC, soc);
    put_f32(b, SIM_BAT_DCB_SOH, soh);
    rscp_put_uint32(b, SIM_BAT_DCB_CYCLE_COUNT, cycles);
    put_f32(b, SIM_BAT_DCB_CURRENT, i);
    put_f32(b, SIM_BAT_DCB_VOLTAGE, v);
    put_f32(b, SIM_BAT_DCB_CURRENT_AVG_30S, i);
    put_f32(b, SIM_BAT_DCB_VOLTAGE_AVG_30S, v);
    put_f32(b, SIM_BAT_DCB_DESIGN_CAPACITY, ah);
    put_f32(b, SIM_BAT_DCB_DESIGN_VOLTAGE, CELL_NOMINAL_V * CELLS_SERIES);
    put_f32(b, SIM_BAT_DCB_CHARGE_LOW_TEMPERATURE, 0.0);
    put_f32(b, SIM_BAT_DCB_CHARGE_HIGH_TEMPERATURE, 45.0);
    rscp_put_uint32(b, SIM_BAT_DCB_MANUFACTURE_DATE, 1609459200u + (uint32_t)(serial % 31536000u));
    rscp_put_uint32(b, SIM_BAT_DCB_SERIALNO, serial);
    rscp_put_uint32(b, SIM_BAT_DCB_PROTOCOL_VERSION, 2);
    rscp_put_uint32(b, SIM_BAT_DCB_FW_VERSION, 0x0142);
    rscp_put_uint32(b, SIM_BAT_DCB_DATA_TABLE_VERSION, 3);
    rscp_put_uint32(b, SIM_BAT_DCB_PCB_VERSION, 5);
    rscp_put_uint32(b, SIM_BAT_DCB_NR_SERIES_CELL, CELLS_SERIES);
    rscp_put_uint32(b, SIM_BAT_DCB_NR_PARALLEL_CELL, CELLS_PARALLEL);
    rscp_put_cstr(b, SIM_BAT_DCB_MANUFACTURE_NAME, "E3/DC");
    rscp_put_cstr(b, SIM_BAT_DCB_DEVICE_NAME, "DCB-LI-50V");
    rscp_put_cstr(b, SIM_BAT_DCB_SERIALCODE, code);
    rscp_put_uchar8(b, SIM_BAT_DCB_NR_SENSOR, 4);
    rscp_put_uint16(b, SIM_BAT_DCB_STATUS, 0);
    rscp_put_uint16(b, SIM_BAT_DCB_WARNING, 0);
    rscp_put_uint16(b, SIM_BAT_DCB_ALARM, 0);
    rscp_put_uint16(b, SIM_BAT_DCB_ERROR, 0);
    rscp_put_container_close(b);
}

/* Sub-requests served inside BAT.REQ_DATA. */
static const uint32_t bat_subs[] = {
    SIM_BAT_REQ_RSOC, SIM_BAT_REQ_RSOC_REAL, SIM_BAT_REQ_ASOC, SIM_BAT_REQ_MODULE_VOLTAGE,
    SIM_BAT_REQ_TERMINAL_VOLTAGE, SIM_BAT_REQ_CURRENT, SIM_BAT_REQ_MAX_BAT_VOLTAGE,
    SIM_BAT_REQ_MAX_CHARGE_CURRENT, SIM_BAT_REQ_EOD_VOLTAGE, SIM_BAT_REQ_MAX_DISCHARGE_CURRENT,
    SIM_BAT_REQ_CHARGE_CYCLES, SIM_BAT_REQ_STATUS_CODE, SIM_BAT_REQ_ERROR_CODE, SIM_BAT_REQ_DEVICE_NAME,
    SIM_BAT_REQ_DCB_COUNT, SIM_BAT_REQ_MAX_DCB_CELL_CURRENT, SIM_BAT_REQ_MIN_DCB_CELL_CURRENT,
    SIM_BAT_REQ_MAX_DCB_CELL_VOLTAGE, SIM_BAT_REQ_MIN_DCB_CELL_VOLTAGE, SIM_BAT_REQ_MAX_DCB_CELL_TEMPERATURE,
    SIM_BAT_REQ_MIN_DCB_CELL_TEMPERATURE, SIM_BAT_REQ_READY_FOR_SHUTDOWN, SIM_BAT_REQ_TRAINING_MODE,
    SIM_BAT_REQ_USABLE_CAPACITY, SIM_BAT_REQ_USABLE_REMAINING_CAPACITY, SIM_BAT_REQ_DESIGN_CAPACITY,
    SIM_BAT_REQ_DCB_INFO, SIM_BAT_REQ_DEVICE_STATE,
};

static void bat_sub(struct req_ctx *x, unsigned bat, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    uint32_t rt = SIM_RESP(req->tag);
    double soc = sim_model_soc(&x->d->model);
    double nominal_v = CELL_NOMINAL_V * CELLS_SERIES * (double)c->dcbs;
    double cell_v = string_voltage(x) / (double)(CELLS_SERIES * c->dcbs);
    double ah = nominal_ah(c);
    switch (req->tag) {
    case SIM_BAT_REQ_RSOC:
    case SIM_BAT_REQ_RSOC_REAL: put_f32(b, rt, soc); break;
    case SIM_BAT_REQ_ASOC: put_f32(b, rt, 98.0); break;
    case SIM_BAT_REQ_MODULE_VOLTAGE: put_f32(b, rt, string_voltage(x)); break;
    case SIM_BAT_REQ_TERMINAL_VOLTAGE: put_f32(b, rt, string_voltage(x) + 0.3); break;
    case SIM_BAT_REQ_CURRENT: put_f32(b, rt, string_current(x)); break;
    case SIM_BAT_REQ_MAX_BAT_VOLTAGE: put_f32(b, rt, 4.15 * CELLS_SERIES * (double)c->dcbs); break;
    case SIM_BAT_REQ_EOD_VOLTAGE: put_f32(b, rt, 3.0 * CELLS_SERIES * (double)c->dcbs); break;
    case SIM_BAT_REQ_MAX_CHARGE_CURRENT:
        put_f32(b, rt, c->bat_max_charge_w / (double)c->batteries / nominal_v);
        break;
    case SIM_BAT_REQ_MAX_DISCHARGE_CURRENT:
        put_f32(b, rt, c->bat_max_discharge_w / (double)c->batteries / nominal_v);
        break;
    case SIM_BAT_REQ_CHARGE_CYCLES: rscp_put_uint32(b, rt, (uint32_t)sim_model_cycles(&x->d->model)); break;
    case SIM_BAT_REQ_STATUS_CODE: rscp_put_uint32(b, rt, 0); break;
    case SIM_BAT_REQ_ERROR_CODE: rscp_put_uint32(b, rt, 0); break;
    case SIM_BAT_REQ_DEVICE_NAME: rscp_put_cstr(b, rt, "BAT_HV_S10"); break;
    case SIM_BAT_REQ_DCB_COUNT: rscp_put_uchar8(b, rt, (uint8_t)c->dcbs); break;
    case SIM_BAT_REQ_MAX_DCB_CELL_CURRENT:
    case SIM_BAT_REQ_MIN_DCB_CELL_CURRENT:
        put_f32(b, rt, string_current(x) / CELLS_PARALLEL);
        break;
    case SIM_BAT_REQ_MAX_DCB_CELL_VOLTAGE: put_f32(b, rt, cell_v + 0.004); break;
    case SIM_BAT_REQ_MIN_DCB_CELL_VOLTAGE: put_f32(b, rt, cell_v - 0.004); break;
    case SIM_BAT_REQ_MAX_DCB_CELL_TEMPERATURE: {
        double t = 0.0;
        for (unsigned k = 0; k < c->dcbs; k++)
            t = fmax(t, cell_temperature(x, bat * 64 + k, true));
        put_f32(b, rt, t);
        break;
    }
    case SIM_BAT_REQ_MIN_DCB_CELL_TEMPERATURE: {
        double t = 100.0;
        for (unsigned k = 0; k < c->dcbs; k++)
            t = fmin(t, cell_temperature(x, bat * 64 + k, false));
        put_f32(b, rt, t);
        break;
    }
    case SIM_BAT_REQ_READY_FOR_SHUTDOWN: rscp_put_bool(b, rt, false); break;
    case SIM_BAT_REQ_TRAINING_MODE: rscp_put_uchar8(b, rt, 0); break;
    case SIM_BAT_REQ_USABLE_CAPACITY:
    case SIM_BAT_REQ_DESIGN_CAPACITY: put_f32(b, rt, ah); break;
    case SIM_BAT_REQ_USABLE_REMAINING_CAPACITY: put_f32(b, rt, ah * soc / 100.0); break;
    case SIM_BAT_REQ_DEVICE_STATE:
        put_device_state(b, rt, SIM_BAT_DEVICE_CONNECTED, SIM_BAT_DEVICE_WORKING, SIM_BAT_DEVICE_IN_SERVICE);
        break;
    case SIM_BAT_REQ_DCB_INFO: {
        uint64_t dcb;
        if (!get_index(req, &dcb))
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
        else if (dcb >= c->dcbs)
            rscp_put_error(b, rt, SIM_ERR_OUT_OF_BOUNDS);
        else
            put_dcb_info(x, bat, (unsigned)dcb);
        break;
    }
    default: rscp_put_error(b, rt, SIM_ERR_UNKNOWN_TAG); break;
    }
}

/* ---- PV inverter ---------------------------------------------------------- */

static const uint32_t pvi_subs[] = {
    SIM_PVI_REQ_ON_GRID, SIM_PVI_REQ_STATE, SIM_PVI_REQ_TYPE, SIM_PVI_REQ_SERIAL_NUMBER,
    SIM_PVI_REQ_AC_MAX_PHASE_COUNT, SIM_PVI_REQ_DC_MAX_STRING_COUNT, SIM_PVI_REQ_SYSTEM_MODE,
    SIM_PVI_REQ_POWER_MODE, SIM_PVI_REQ_DEVICE_STATE, SIM_PVI_REQ_AC_POWER, SIM_PVI_REQ_AC_VOLTAGE,
    SIM_PVI_REQ_AC_CURRENT, SIM_PVI_REQ_AC_APPARENTPOWER, SIM_PVI_REQ_AC_REACTIVEPOWER,
    SIM_PVI_REQ_AC_ENERGY_ALL, SIM_PVI_REQ_AC_ENERGY_DAY, SIM_PVI_REQ_AC_FREQUENCY,
    SIM_PVI_REQ_AC_MAX_APPARENTPOWER, SIM_PVI_REQ_DC_POWER, SIM_PVI_REQ_DC_VOLTAGE, SIM_PVI_REQ_DC_CURRENT,
    SIM_PVI_REQ_DC_MAX_POWER, SIM_PVI_REQ_DC_STRING_ENERGY_ALL, SIM_PVI_REQ_TEMPERATURE,
    SIM_PVI_REQ_MAX_TEMPERATURE, SIM_PVI_REQ_MIN_TEMPERATURE,
};

#define PVI_TEMPERATURE_SENSORS 4u

static double phase_voltage(const struct req_ctx *x, unsigned phase)
{
    return 230.0 + 4.0 * (sim_smooth_noise(x->d->model.cfg.seed, 70 + phase, x->now, 60.0) - 0.5);
}

static double tracker_voltage(const struct req_ctx *x, unsigned k, double p)
{
    const struct sim_config *c = &x->d->model.cfg;
    if (p <= 0.0 && sim_sun_elevation(c, x->now) <= 0.0)
        return 0.0;
    double peak = c->pv_peak_w / (double)c->trackers;
    return 420.0 + 60.0 * sqrt(clamp_to(p / peak, 0.0, 1.0)) + 5.0 * (double)k;
}

/* Inverter AC output: PV minus what goes into the battery (DC coupled). */
static double pvi_ac_power(const struct req_ctx *x)
{
    return ((double)x->f.pv - (double)x->f.bat) * 0.97;
}

static void put_indexed(struct rscp_builder *b, uint32_t rt, unsigned index, double value)
{
    rscp_put_container_open(b, rt);
    rscp_put_uint16(b, SIM_PVI_INDEX, (uint16_t)index);
    put_f32(b, SIM_PVI_VALUE, value);
    rscp_put_container_close(b);
}

static void pvi_sub(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    const struct sim_model *m = &x->d->model;
    uint32_t rt = SIM_RESP(req->tag);
    uint64_t k = 0;
    unsigned limit = 0; /* sub-index bound for the indexed requests */
    switch (req->tag) {
    case SIM_PVI_REQ_AC_POWER: case SIM_PVI_REQ_AC_VOLTAGE: case SIM_PVI_REQ_AC_CURRENT:
    case SIM_PVI_REQ_AC_APPARENTPOWER: case SIM_PVI_REQ_AC_REACTIVEPOWER: case SIM_PVI_REQ_AC_ENERGY_ALL:
    case SIM_PVI_REQ_AC_ENERGY_DAY: case SIM_PVI_REQ_AC_FREQUENCY: case SIM_PVI_REQ_AC_MAX_APPARENTPOWER:
        limit = 3;
        break;
    case SIM_PVI_REQ_DC_POWER: case SIM_PVI_REQ_DC_VOLTAGE: case SIM_PVI_REQ_DC_CURRENT:
    case SIM_PVI_REQ_DC_MAX_POWER: case SIM_PVI_REQ_DC_STRING_ENERGY_ALL:
        limit = c->trackers;
        break;
    case SIM_PVI_REQ_TEMPERATURE:
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
    case SIM_PVI_REQ_ON_GRID: rscp_put_bool(b, rt, true); break;
    case SIM_PVI_REQ_STATE: rscp_put_cstr(b, rt, x->f.pv > 0 ? "Running" : "Standby"); break;
    case SIM_PVI_REQ_TYPE: rscp_put_uchar8(b, rt, 3); break;
    case SIM_PVI_REQ_SERIAL_NUMBER: rscp_put_cstr(b, rt, x->d->serial); break;
    case SIM_PVI_REQ_AC_MAX_PHASE_COUNT: rscp_put_uchar8(b, rt, 3); break;
    case SIM_PVI_REQ_DC_MAX_STRING_COUNT: rscp_put_uchar8(b, rt, (uint8_t)c->trackers); break;
    case SIM_PVI_REQ_SYSTEM_MODE: rscp_put_uchar8(b, rt, 2); break;
    case SIM_PVI_REQ_POWER_MODE: rscp_put_uchar8(b, rt, 1); break;
    case SIM_PVI_REQ_DEVICE_STATE:
        put_device_state(b, rt, SIM_PVI_DEVICE_CONNECTED, SIM_PVI_DEVICE_WORKING, SIM_PVI_DEVICE_IN_SERVICE);
        break;
    case SIM_PVI_REQ_AC_POWER: put_indexed(b, rt, i, ac_phase); break;
    case SIM_PVI_REQ_AC_VOLTAGE: put_indexed(b, rt, i, phase_voltage(x, i)); break;
    case SIM_PVI_REQ_AC_CURRENT: put_indexed(b, rt, i, ac_phase / phase_voltage(x, i)); break;
    case SIM_PVI_REQ_AC_APPARENTPOWER: put_indexed(b, rt, i, fabs(ac_phase) * 1.01); break;
    case SIM_PVI_REQ_AC_REACTIVEPOWER: put_indexed(b, rt, i, fabs(ac_phase) * 0.05); break;
    case SIM_PVI_REQ_AC_ENERGY_ALL:
        put_indexed(b, rt, i, (m->total.pv * 0.97 + 8.0e6) / 3.0);
        break;
    case SIM_PVI_REQ_AC_ENERGY_DAY: put_indexed(b, rt, i, m->today.pv * 0.97 / 3.0); break;
    case SIM_PVI_REQ_AC_FREQUENCY:
        put_indexed(b, rt, i, 50.0 + 0.04 * (sim_smooth_noise(c->seed, 74, x->now, 30.0) - 0.5));
        break;
    case SIM_PVI_REQ_AC_MAX_APPARENTPOWER: put_indexed(b, rt, i, 4600.0); break;
    case SIM_PVI_REQ_DC_POWER: put_indexed(b, rt, i, floor(sim_pv_tracker_power(c, i, m->t) + 0.5)); break;
    case SIM_PVI_REQ_DC_VOLTAGE: {
        double p = sim_pv_tracker_power(c, i, m->t);
        put_indexed(b, rt, i, tracker_voltage(x, i, p));
        break;
    }
    case SIM_PVI_REQ_DC_CURRENT: {
        double p = sim_pv_tracker_power(c, i, m->t);
        double v = tracker_voltage(x, i, p);
        put_indexed(b, rt, i, v > 0.0 ? p / v : 0.0);
        break;
    }
    case SIM_PVI_REQ_DC_MAX_POWER: put_indexed(b, rt, i, c->pv_peak_w * pv_share); break;
    case SIM_PVI_REQ_DC_STRING_ENERGY_ALL: put_indexed(b, rt, i, (m->total.pv + 8.0e6) * pv_share); break;
    case SIM_PVI_REQ_TEMPERATURE:
        put_indexed(b, rt, i, 28.0 + 12.0 * (double)x->f.pv / fmax(c->pv_peak_w, 1.0) + (double)i);
        break;
    case SIM_PVI_REQ_MAX_TEMPERATURE: put_f32(b, rt, 70.0); break;
    case SIM_PVI_REQ_MIN_TEMPERATURE: put_f32(b, rt, -20.0); break;
    default: rscp_put_error(b, rt, SIM_ERR_UNKNOWN_TAG); break;
    }
}

/* ---- power meters --------------------------------------------------------- */

static const uint32_t pm_subs[] = {
    SIM_PM_REQ_POWER_L1, SIM_PM_REQ_POWER_L2, SIM_PM_REQ_POWER_L3, SIM_PM_REQ_ENERGY_L1, SIM_PM_REQ_ENERGY_L2,
    SIM_PM_REQ_ENERGY_L3, SIM_PM_REQ_VOLTAGE_L1, SIM_PM_REQ_VOLTAGE_L2, SIM_PM_REQ_VOLTAGE_L3,
    SIM_PM_REQ_ACTIVE_PHASES, SIM_PM_REQ_MODE, SIM_PM_REQ_TYPE, SIM_PM_REQ_DEVICE_ID, SIM_PM_REQ_ERROR_CODE,
    SIM_PM_REQ_FIRMWARE_VERSION, SIM_PM_REQ_DEVICE_STATE,
};

/* Unequal but exact split of a power over three phases. */
static double phase_share(double total, unsigned phase)
{
    static const double w[3] = {0.40, 0.33, 0.27};
    return total * w[phase];
}

static void pm_sub(struct req_ctx *x, bool root, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_model *m = &x->d->model;
    uint32_t rt = SIM_RESP(req->tag);
    /* Root meter: grid power (import > 0); the other: the extra producer. */
    double p = root ? (double)x->f.grid : (double)x->f.add;
    double e = root ? m->total.grid_in + 1.2e6 : m->total.add + 2.0e5;
    switch (req->tag) {
    case SIM_PM_REQ_POWER_L1: rscp_put_double64(b, rt, phase_share(p, 0)); break;
    case SIM_PM_REQ_POWER_L2: rscp_put_double64(b, rt, phase_share(p, 1)); break;
    case SIM_PM_REQ_POWER_L3: rscp_put_double64(b, rt, phase_share(p, 2)); break;
    case SIM_PM_REQ_ENERGY_L1: rscp_put_double64(b, rt, phase_share(e, 0)); break;
    case SIM_PM_REQ_ENERGY_L2: rscp_put_double64(b, rt, phase_share(e, 1)); break;
    case SIM_PM_REQ_ENERGY_L3: rscp_put_double64(b, rt, phase_share(e, 2)); break;
    case SIM_PM_REQ_VOLTAGE_L1: put_f32(b, rt, phase_voltage(x, 0)); break;
    case SIM_PM_REQ_VOLTAGE_L2: put_f32(b, rt, phase_voltage(x, 1)); break;
    case SIM_PM_REQ_VOLTAGE_L3: put_f32(b, rt, phase_voltage(x, 2)); break;
    case SIM_PM_REQ_ACTIVE_PHASES: rscp_put_uchar8(b, rt, 7); break;
    case SIM_PM_REQ_MODE: rscp_put_uchar8(b, rt, 0); break;
    case SIM_PM_REQ_TYPE: rscp_put_uint16(b, rt, root ? 1 : 3); break; /* ROOT / ADDITIONAL_PRODUCTION */
    case SIM_PM_REQ_DEVICE_ID: rscp_put_uint32(b, rt, root ? 0x2001u : 0x2002u); break;
    case SIM_PM_REQ_ERROR_CODE: rscp_put_uchar8(b, rt, 0); break;
    case SIM_PM_REQ_FIRMWARE_VERSION: rscp_put_uchar8(b, rt, 17); break;
    case SIM_PM_REQ_DEVICE_STATE:
        put_device_state(b, rt, SIM_PM_DEVICE_CONNECTED, SIM_PM_DEVICE_WORKING, SIM_PM_DEVICE_IN_SERVICE);
        break;
    default: rscp_put_error(b, rt, SIM_ERR_UNKNOWN_TAG); break;
    }
}

/* ---- index containers ----------------------------------------------------- */

enum unit { UNIT_BAT, UNIT_PVI, UNIT_PM };

static void index_container(struct req_ctx *x, const struct rscp_block *req, enum unit unit, uint32_t index_tag)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    const struct sim_config *c = &x->d->model.cfg;
    struct rscp_block idx;
    uint64_t index;
    if (rscp_block_find(req, index_tag, &idx) != 0 || !get_index(&idx, &index)) {
        rscp_put_error(b, rt, SIM_ERR_NOT_AVAILABLE);
        return;
    }
    bool present, root = false;
    switch (unit) {
    case UNIT_BAT: present = index < c->batteries; break;
    case UNIT_PVI: present = index == 0; break;
    default:
        root = index == x->d->pm_root_index;
        present = root || (c->add_peak_w > 0.0 && index == x->d->pm_add_index);
        break;
    }
    if (!present) {
        rscp_put_error(b, rt, SIM_ERR_NOT_AVAILABLE);
        return;
    }
    rscp_put_container_open(b, rt);
    rscp_put_uint16(b, index_tag, (uint16_t)index);
    struct rscp_iter it;
    struct rscp_block sub;
    rscp_block_children(req, &it);
    while (rscp_iter_next(&it, &sub) == 1) {
        if (sub.tag == index_tag)
            continue;
        switch (unit) {
        case UNIT_BAT: bat_sub(x, (unsigned)index, &sub); break;
        case UNIT_PVI: pvi_sub(x, &sub); break;
        default: pm_sub(x, root, &sub); break;
        }
    }
    rscp_put_container_close(b);
}

/* ---- DB history ----------------------------------------------------------- */

static const uint32_t db_subs[] = {
    SIM_DB_REQ_HISTORY_TIME_START, SIM_DB_REQ_HISTORY_TIME_INTERVAL, SIM_DB_REQ_HISTORY_TIME_SPAN,
};

/* Seconds from a TIMESTAMP or any integer block. */
static bool get_seconds(const struct rscp_block *blk, double *out)
{
    struct rscp_timestamp ts;
    if (rscp_block_get_timestamp(blk, &ts) == 0) {
        *out = (double)ts.seconds + (double)ts.nanoseconds / 1e9;
        return true;
    }
    int64_t v;
    if (rscp_block_get_int(blk, &v) == 0) {
        *out = (double)v;
        return true;
    }
    return false;
}

#define DB_FIELDS 13u
#define DB_CONTAINER_SIZE (RSCP_BLOCK_HEADER_SIZE + DB_FIELDS * (RSCP_BLOCK_HEADER_SIZE + 4u))

static void put_db_values(struct rscp_builder *b, uint32_t tag, double index, const struct sim_energy *e,
                          double capacity_wh)
{
    rscp_put_container_open(b, tag);
    put_f32(b, SIM_DB_GRAPH_INDEX, index);
    put_f32(b, SIM_DB_BAT_POWER_IN, e->bat_in);
    put_f32(b, SIM_DB_BAT_POWER_OUT, e->bat_out);
    put_f32(b, SIM_DB_DC_POWER, e->pv);
    put_f32(b, SIM_DB_GRID_POWER_IN, e->grid_in);
    put_f32(b, SIM_DB_GRID_POWER_OUT, e->grid_out);
    put_f32(b, SIM_DB_CONSUMPTION, e->home + e->wb);
    put_f32(b, SIM_DB_PM_0_POWER, e->add);
    put_f32(b, SIM_DB_PM_1_POWER, 0.0);
    put_f32(b, SIM_DB_BAT_CHARGE_LEVEL, e->seconds > 0.0 ? 100.0 * e->soc_time / e->seconds : 0.0);
    put_f32(b, SIM_DB_BAT_CYCLE_COUNT, capacity_wh > 0.0 ? (e->bat_in + e->bat_out) / 2.0 / capacity_wh : 0.0);
    put_f32(b, SIM_DB_CONSUMED_PRODUCTION, e->seconds > 0.0 ? sim_energy_self_consumption(e) : 0.0);
    put_f32(b, SIM_DB_AUTARKY, e->seconds > 0.0 ? sim_energy_autarky(e) : 0.0);
    rscp_put_container_close(b);
}

/* Bytes still available in the reply for data blocks. */
static size_t reply_room(const struct rscp_builder *b)
{
    size_t cap = b->cap;
    if (b->frame) {
        cap = cap > RSCP_CRC_SIZE ? cap - RSCP_CRC_SIZE : 0;
        size_t frame_max = b->data_start + RSCP_MAX_DATA_LEN;
        if (cap > frame_max)
            cap = frame_max;
    }
    return cap > b->pos ? cap - b->pos : 0;
}

static void db_history(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    const struct sim_config *c = &x->d->model.cfg;
    struct rscp_block blk;
    double start, interval, span;
    if (rscp_block_find(req, SIM_DB_REQ_HISTORY_TIME_START, &blk) != 0 || !get_seconds(&blk, &start) ||
        rscp_block_find(req, SIM_DB_REQ_HISTORY_TIME_INTERVAL, &blk) != 0 || !get_seconds(&blk, &interval) ||
        rscp_block_find(req, SIM_DB_REQ_HISTORY_TIME_SPAN, &blk) != 0 || !get_seconds(&blk, &span)) {
        rscp_put_error(b, rt, SIM_ERR_FORMAT);
        return;
    }
    if (interval < SIM_HISTORY_MIN_SECONDS)
        interval = SIM_HISTORY_MIN_SECONDS;
    unsigned n = sim_history_count(interval, span);
    size_t need = RSCP_BLOCK_HEADER_SIZE + ((size_t)n + 1u) * DB_CONTAINER_SIZE;
    if (n > SIM_HISTORY_MAX_INTERVALS || need > RSCP_MAX_VALUE_LEN || need > reply_room(b) ||
        (double)n * interval > SIM_HISTORY_MAX_SPAN || !(start > 0.0 && start < 1e11)) {
        rscp_put_error(b, rt, SIM_ERR_UNEXPECTED);
        return;
    }
    struct sim_energy *vals = x->d->history;
    struct sim_energy sum;
    double start_utc = (double)sim_local_to_utc(&c->tz, (int64_t)floor(start)) + (start - floor(start));
    sim_history_compute(c, x->now, start_utc, interval, n, vals, &sum);
    rscp_put_container_open(b, rt);
    put_db_values(b, SIM_DB_SUM_CONTAINER, 0.0, &sum, c->bat_capacity_wh);
    for (unsigned i = 0; i < n; i++)
        put_db_values(b, SIM_DB_VALUE_CONTAINER, (double)i, &vals[i], c->bat_capacity_wh);
    rscp_put_container_close(b);
}

/* ---- EMS ------------------------------------------------------------------ */

/* EMS.STATUS bits. */
#define EMS_STATUS_CHARGE_LOCKED 0x01u
#define EMS_STATUS_DISCHARGE_LOCKED 0x02u
#define EMS_STATUS_WEATHER_REGULATED 0x10u
#define EMS_STATUS_POWERSAVE 0x20u
#define EMS_STATUS_DERATING 0x40u

#define DERATE_PERCENT 0.70
#define SET_POWER_HOLD_S 30.0 /* REQ_SET_POWER lasts this long unless resent */

static bool set_power_active(const struct sim_model *m)
{
    return m->ctl.set_power_mode != 0 && m->t < m->ctl.set_power_until;
}

static uint32_t ems_status(const struct req_ctx *x)
{
    const struct sim_model *m = &x->d->model;
    uint32_t s = 0;
    if (set_power_active(m)) {
        uint8_t mode = m->ctl.set_power_mode;
        if (mode == 1 || mode == 2)
            s |= EMS_STATUS_CHARGE_LOCKED;
        if (mode == 1 || mode == 3 || mode == 4)
            s |= EMS_STATUS_DISCHARGE_LOCKED;
    }
    if (m->ctl.weather_regulated)
        s |= EMS_STATUS_WEATHER_REGULATED;
    if (m->ctl.powersave)
        s |= EMS_STATUS_POWERSAVE;
    if ((double)-x->f.grid >= DERATE_PERCENT * m->cfg.pv_peak_w)
        s |= EMS_STATUS_DERATING;
    return s;
}

static void ems_set_power(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    struct sim_model *m = &x->d->model;
    struct rscp_block blk;
    uint64_t mode;
    int64_t value;
    if (rscp_block_find(req, SIM_EMS_REQ_SET_POWER_MODE, &blk) != 0 || !get_index(&blk, &mode) || mode > 4 ||
        rscp_block_find(req, SIM_EMS_REQ_SET_POWER_VALUE, &blk) != 0 || rscp_block_get_int(&blk, &value) != 0 ||
        value < INT32_MIN || value > INT32_MAX) {
        rscp_put_error(b, rt, SIM_ERR_FORMAT);
        return;
    }
    m->ctl.set_power_mode = (uint8_t)mode;
    m->ctl.set_power_value = (int32_t)value;
    m->ctl.set_power_until = m->t + SET_POWER_HOLD_S;
    rscp_put_int32(b, rt, (int32_t)value); /* devices mirror the value, not the mode */
}

static void ems_get_power_settings(struct req_ctx *x, uint32_t rt)
{
    struct rscp_builder *b = x->b;
    const struct sim_controls *ctl = &x->d->model.ctl;
    rscp_put_container_open(b, rt);
    rscp_put_bool(b, SIM_EMS_POWER_LIMITS_USED, ctl->limits_used);
    rscp_put_uint32(b, SIM_EMS_MAX_CHARGE_POWER, ctl->max_charge_w);
    rscp_put_uint32(b, SIM_EMS_MAX_DISCHARGE_POWER, ctl->max_discharge_w);
    rscp_put_uint32(b, SIM_EMS_DISCHARGE_START_POWER, ctl->discharge_start_w);
    rscp_put_bool(b, SIM_EMS_POWERSAVE_ENABLED, ctl->powersave);
    rscp_put_bool(b, SIM_EMS_WEATHER_REGULATED_CHARGE_ENABLED, ctl->weather_regulated);
    rscp_put_int32(b, SIM_EMS_WEATHER_FORECAST_MODE, 0);
    rscp_put_container_close(b);
}

/* Result of one power limit: 0 applied, 1 applied but below the
 * recommended minimum, -1 out of range. */
static int8_t apply_limit(const struct rscp_block *blk, double device_max, double recommended_min, uint32_t *target)
{
    uint64_t v;
    if (!get_index(blk, &v) || (double)v > device_max)
        return -1;
    *target = (uint32_t)v;
    return (double)v < recommended_min ? 1 : 0;
}

static void ems_set_power_settings(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    struct sim_model *m = &x->d->model;
    struct sim_controls *ctl = &m->ctl;
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_put_container_open(b, rt);
    rscp_block_children(req, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        bool flag;
        switch (blk.tag) {
        case SIM_EMS_POWER_LIMITS_USED:
            if (rscp_block_get_bool(&blk, &flag) == 0)
                ctl->limits_used = flag;
            rscp_put_char8(b, SIM_EMS_RES_POWER_LIMITS_USED, rscp_block_get_bool(&blk, &flag) == 0 ? 0 : -1);
            break;
        case SIM_EMS_MAX_CHARGE_POWER:
            rscp_put_char8(b, SIM_EMS_RES_MAX_CHARGE_POWER,
                           apply_limit(&blk, m->cfg.bat_max_charge_w, 300.0, &ctl->max_charge_w));
            break;
        case SIM_EMS_MAX_DISCHARGE_POWER:
            rscp_put_char8(b, SIM_EMS_RES_MAX_DISCHARGE_POWER,
                           apply_limit(&blk, m->cfg.bat_max_discharge_w, 300.0, &ctl->max_discharge_w));
            break;
        case SIM_EMS_DISCHARGE_START_POWER:
            rscp_put_char8(b, SIM_EMS_RES_DISCHARGE_START_POWER,
                           apply_limit(&blk, 1000.0, 0.0, &ctl->discharge_start_w));
            break;
        case SIM_EMS_POWERSAVE_ENABLED:
            if (rscp_block_get_bool(&blk, &flag) == 0)
                ctl->powersave = flag;
            rscp_put_char8(b, SIM_EMS_RES_POWERSAVE_ENABLED, rscp_block_get_bool(&blk, &flag) == 0 ? 0 : -1);
            break;
        case SIM_EMS_WEATHER_REGULATED_CHARGE_ENABLED:
            if (rscp_block_get_bool(&blk, &flag) == 0)
                ctl->weather_regulated = flag;
            rscp_put_char8(b, SIM_EMS_RES_WEATHER_REGULATED_CHARGE_ENABLED,
                           rscp_block_get_bool(&blk, &flag) == 0 ? 0 : -1);
            break;
        default: rscp_put_error(b, SIM_RESP(blk.tag), SIM_ERR_UNKNOWN_TAG); break;
        }
    }
    rscp_put_container_close(b);
}

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
        rscp_put_container_open(b, SIM_EMS_SYS_SPEC);
        rscp_put_int32(b, SIM_EMS_SYS_SPEC_INDEX, (int32_t)i);
        rscp_put_cstr(b, SIM_EMS_SYS_SPEC_NAME, specs[i].name);
        rscp_put_int32(b, SIM_EMS_SYS_SPEC_VALUE_INT, (int32_t)specs[i].value);
        rscp_put_container_close(b);
    }
    rscp_put_container_close(b);
}

/* EMS requests; false when the tag is not one of them. */
static bool ems(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    struct sim_model *m = &x->d->model;
    const struct sim_config *c = &m->cfg;
    const struct sim_flows *f = &x->f;
    uint32_t rt = SIM_RESP(req->tag);
    double chg = sim_model_max_charge(m), dis = sim_model_max_discharge(m);
    switch (req->tag) {
    case SIM_EMS_REQ_POWER_PV: rscp_put_int32(b, rt, f->pv); break;
    case SIM_EMS_REQ_POWER_BAT: rscp_put_int32(b, rt, f->bat); break;
    case SIM_EMS_REQ_POWER_HOME: rscp_put_int32(b, rt, f->home); break;
    case SIM_EMS_REQ_POWER_GRID: rscp_put_int32(b, rt, f->grid); break;
    case SIM_EMS_REQ_POWER_ADD: rscp_put_int32(b, rt, -f->add); break;
    case SIM_EMS_REQ_POWER_WB_ALL: rscp_put_int32(b, rt, f->wb); break;
    case SIM_EMS_REQ_POWER_WB_SOLAR: rscp_put_int32(b, rt, f->wb_solar); break;
    case SIM_EMS_REQ_AUTARKY: put_f32(b, rt, sim_flows_autarky(f)); break;
    case SIM_EMS_REQ_SELF_CONSUMPTION: put_f32(b, rt, sim_flows_self_consumption(f)); break;
    case SIM_EMS_REQ_BAT_SOC: rscp_put_uchar8(b, rt, (uint8_t)floor(sim_model_soc(m) + 0.5)); break;
    case SIM_EMS_REQ_COUPLING_MODE: rscp_put_uchar8(b, rt, c->add_peak_w > 0.0 ? 3 : 0); break; /* HYBRID / DC */
    case SIM_EMS_REQ_MODE: rscp_put_uchar8(b, rt, (uint8_t)(f->bat > 0 ? 2 : f->bat < 0 ? 1 : 0)); break;
    case SIM_EMS_REQ_BALANCED_PHASES: rscp_put_uchar8(b, rt, 7); break;
    case SIM_EMS_REQ_INSTALLED_PEAK_POWER: rscp_put_uint32(b, rt, (uint32_t)c->pv_peak_w); break;
    case SIM_EMS_REQ_DERATE_AT_PERCENT_VALUE: put_f32(b, rt, DERATE_PERCENT); break;
    case SIM_EMS_REQ_DERATE_AT_POWER_VALUE: put_f32(b, rt, DERATE_PERCENT * c->pv_peak_w); break;
    case SIM_EMS_REQ_EXT_SRC_AVAILABLE: rscp_put_char8(b, rt, c->add_peak_w > 0.0 ? 1 : 0); break;
    case SIM_EMS_REQ_STATUS: rscp_put_uint32(b, rt, ems_status(x)); break;
    case SIM_EMS_REQ_USED_CHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)chg); break;
    case SIM_EMS_REQ_BAT_CHARGE_LIMIT:
    case SIM_EMS_REQ_DCDC_CHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)c->bat_max_charge_w); break;
    case SIM_EMS_REQ_USER_CHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)m->ctl.max_charge_w); break;
    case SIM_EMS_REQ_USED_DISCHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)dis); break;
    case SIM_EMS_REQ_BAT_DISCHARGE_LIMIT:
    case SIM_EMS_REQ_DCDC_DISCHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)c->bat_max_discharge_w); break;
    case SIM_EMS_REQ_USER_DISCHARGE_LIMIT: rscp_put_int32(b, rt, (int32_t)m->ctl.max_discharge_w); break;
    case SIM_EMS_REQ_REMAINING_BAT_CHARGE_POWER:
        rscp_put_uint32(b, rt, (uint32_t)fmax(chg - (f->bat > 0 ? f->bat : 0), 0.0));
        break;
    case SIM_EMS_REQ_REMAINING_BAT_DISCHARGE_POWER:
        rscp_put_uint32(b, rt, (uint32_t)fmax(dis - (f->bat < 0 ? -f->bat : 0), 0.0));
        break;
    case SIM_EMS_REQ_EMERGENCY_POWER_STATUS: rscp_put_uchar8(b, rt, 2); break; /* possible, not active */
    case SIM_EMS_REQ_BATTERY_TO_CAR_MODE: rscp_put_uchar8(b, rt, 0); break;
    case SIM_EMS_REQ_BATTERY_BEFORE_CAR_MODE: rscp_put_uchar8(b, rt, m->ctl.battery_before_car ? 1 : 0); break;
    case SIM_EMS_REQ_SET_BATTERY_BEFORE_CAR_MODE: {
        uint64_t v;
        if (!get_index(req, &v) || v > 1) {
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
            break;
        }
        m->ctl.battery_before_car = v == 1;
        rscp_put_uchar8(b, rt, (uint8_t)v);
        break;
    }
    case SIM_EMS_REQ_SET_POWER:
        if (req->type != RSCP_TYPE_CONTAINER)
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
        else
            ems_set_power(x, req);
        break;
    case SIM_EMS_REQ_GET_POWER_SETTINGS: ems_get_power_settings(x, rt); break;
    case SIM_EMS_REQ_SET_POWER_SETTINGS:
        if (req->type != RSCP_TYPE_CONTAINER)
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
        else
            ems_set_power_settings(x, req);
        break;
    case SIM_EMS_REQ_GET_SYS_SPECS: /* the one reply that is not the request id | bit 23 */
        ems_sys_specs(x, SIM_EMS_GET_SYS_SPECS);
        break;
    case SIM_EMS_REQ_START_MANUAL_CHARGE: {
        uint64_t wh;
        if (!get_index(req, &wh))
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
        else
            rscp_put_bool(b, rt, true); /* accepted (devices also accept what they ignore) */
        break;
    }
    default: return false;
    }
    return true;
}

/* ---- INFO and RSCP -------------------------------------------------------- */

static bool info(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    const struct sim_config *c = &x->d->model.cfg;
    uint32_t rt = SIM_RESP(req->tag);
    switch (req->tag) {
    case SIM_INFO_REQ_SERIAL_NUMBER: rscp_put_cstr(b, rt, x->d->serial); break;
    case SIM_INFO_REQ_PRODUCTION_DATE: rscp_put_cstr(b, rt, "KW 23 2021"); break;
    case SIM_INFO_REQ_A35_SERIAL_NUMBER: rscp_put_cstr(b, rt, "A35-0000071123"); break;
    case SIM_INFO_REQ_MAC_ADDRESS: rscp_put_cstr(b, rt, x->d->mac); break;
    /* Addresses from the documentation range (RFC 5737). */
    case SIM_INFO_REQ_IP_ADDRESS: rscp_put_cstr(b, rt, "192.0.2.10"); break;
    case SIM_INFO_REQ_SUBNET_MASK: rscp_put_cstr(b, rt, "255.255.255.0"); break;
    case SIM_INFO_REQ_GATEWAY:
    case SIM_INFO_REQ_DNS: rscp_put_cstr(b, rt, "192.0.2.1"); break;
    case SIM_INFO_REQ_DHCP_STATUS: rscp_put_bool(b, rt, true); break;
    case SIM_INFO_REQ_SW_RELEASE: rscp_put_cstr(b, rt, "S10_2024_05"); break;
    case SIM_INFO_REQ_GUI_TARGET: rscp_put_uchar8(b, rt, 0); break;
    case SIM_INFO_REQ_UTC_TIME: put_ts(b, rt, x->now); break;
    case SIM_INFO_REQ_TIME: /* local wall time written as if it were UTC */
        put_ts(b, rt, x->now + (double)sim_tz_offset(&c->tz, (int64_t)floor(x->now)));
        break;
    case SIM_INFO_REQ_TIME_ZONE: rscp_put_cstr(b, rt, c->tz.name ? c->tz.name : "UTC"); break;
    case SIM_INFO_REQ_MODULES_SW_VERSIONS: {
        static const char *const mods[][2] = {
            {"EMS", "S10_2024_05"}, {"PVI", "P10_2.4.1"}, {"BAT", "BPU_1.66"}, {"PM", "PM_1.17"}};
        rscp_put_container_open(b, rt);
        for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++) {
            rscp_put_container_open(b, SIM_INFO_MODULE_SW_VERSION);
            rscp_put_cstr(b, SIM_INFO_MODULE, mods[i][0]);
            rscp_put_cstr(b, SIM_INFO_VERSION, mods[i][1]);
            rscp_put_container_close(b);
        }
        rscp_put_container_close(b);
        break;
    }
    default: return false;
    }
    return true;
}

/* ---- dispatch ------------------------------------------------------------- */

static void top_level(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    switch (req->tag) {
    case SIM_BAT_REQ_DATA:
    case SIM_PVI_REQ_DATA:
    case SIM_PM_REQ_DATA:
        if (req->type != RSCP_TYPE_CONTAINER) {
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
            return;
        }
        if (req->tag == SIM_BAT_REQ_DATA)
            index_container(x, req, UNIT_BAT, SIM_BAT_INDEX);
        else if (req->tag == SIM_PVI_REQ_DATA)
            index_container(x, req, UNIT_PVI, SIM_PVI_INDEX);
        else
            index_container(x, req, UNIT_PM, SIM_PM_INDEX);
        return;
    case SIM_DB_REQ_HISTORY_DATA_DAY:
    case SIM_DB_REQ_HISTORY_DATA_WEEK:
    case SIM_DB_REQ_HISTORY_DATA_MONTH:
    case SIM_DB_REQ_HISTORY_DATA_YEAR:
        if (req->type != RSCP_TYPE_CONTAINER)
            rscp_put_error(b, rt, SIM_ERR_FORMAT);
        else
            db_history(x, req);
        return;
    case SIM_RSCP_REQ_USER_LEVEL:
    case SIM_RSCP_REQ_AUTHENTICATION: /* already authenticated: the level */
        rscp_put_uchar8(b, rt, (uint8_t)x->auth_level);
        return;
    default: break;
    }
    if (ems(x, req) || info(x, req))
        return;
    bool sub = tag_in(req->tag, bat_subs, sizeof bat_subs / sizeof bat_subs[0]) ||
               tag_in(req->tag, pvi_subs, sizeof pvi_subs / sizeof pvi_subs[0]) ||
               tag_in(req->tag, pm_subs, sizeof pm_subs / sizeof pm_subs[0]) ||
               tag_in(req->tag, db_subs, sizeof db_subs / sizeof db_subs[0]) || req->tag == SIM_BAT_INDEX ||
               req->tag == SIM_PVI_INDEX || req->tag == SIM_PM_INDEX;
    rscp_put_error(b, rt, sub ? SIM_ERR_FORMAT : SIM_ERR_UNKNOWN_TAG);
}

int sim_handle(struct sim_device *d, double now, int auth_level, const uint8_t *data, size_t len,
               struct rscp_builder *reply)
{
    struct sim_model *m = &d->model;
    if (now > m->t) {
        double gap = now - m->t;
        sim_model_advance_to(m, now, fmax(1.0, gap / 20000.0));
    }
    struct req_ctx x;
    x.d = d;
    x.now = m->t;
    x.auth_level = auth_level;
    x.b = reply;
    x.f = sim_model_flows(m, 1.0);
    struct rscp_iter it;
    struct rscp_block req;
    rscp_iter_init(&it, data, len);
    while (rscp_iter_next(&it, &req) == 1)
        top_level(&x, &req);
    return rscp_builder_error(reply);
}
