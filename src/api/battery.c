/* Battery strings (BAT.REQ_DATA / BAT.DATA) and their DCB modules. */
#include "rscp/battery.h"

#include <string.h>

#include "api/fields.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#define B(tag, kind, member, bit) RSCP__FIELD(tag, kind, struct rscp_battery, member, bit)

static const struct rscp__field bat_fields[] = {
    B(RSCP_TAG_BAT_RSOC, RSCP__F_NUMBER, rsoc, RSCP_BAT_RSOC),
    B(RSCP_TAG_BAT_RSOC_REAL, RSCP__F_NUMBER, rsoc_real, RSCP_BAT_RSOC_REAL),
    B(RSCP_TAG_BAT_MODULE_VOLTAGE, RSCP__F_NUMBER, voltage, RSCP_BAT_VOLTAGE),
    B(RSCP_TAG_BAT_CURRENT, RSCP__F_NUMBER, current, RSCP_BAT_CURRENT),
    B(RSCP_TAG_BAT_CHARGE_CYCLES, RSCP__F_UINT, cycles, RSCP_BAT_CYCLES),
    B(RSCP_TAG_BAT_STATUS_CODE, RSCP__F_UINT, status_code, RSCP_BAT_STATUS_CODE),
    B(RSCP_TAG_BAT_ERROR_CODE, RSCP__F_UINT, error_code, RSCP_BAT_ERROR_CODE),
    B(RSCP_TAG_BAT_MIN_DCB_CELL_TEMPERATURE, RSCP__F_NUMBER, temp_min, RSCP_BAT_TEMP_MIN),
    B(RSCP_TAG_BAT_MAX_DCB_CELL_TEMPERATURE, RSCP__F_NUMBER, temp_max, RSCP_BAT_TEMP_MAX),
    B(RSCP_TAG_BAT_FCC, RSCP__F_NUMBER, fcc, RSCP_BAT_FCC),
    B(RSCP_TAG_BAT_RC, RSCP__F_NUMBER, rc, RSCP_BAT_RC),
    B(RSCP_TAG_BAT_DESIGN_CAPACITY, RSCP__F_NUMBER, design_capacity, RSCP_BAT_DESIGN_CAPACITY),
    B(RSCP_TAG_BAT_USABLE_CAPACITY, RSCP__F_NUMBER, usable_capacity, RSCP_BAT_USABLE_CAPACITY),
    B(RSCP_TAG_BAT_USABLE_REMAINING_CAPACITY, RSCP__F_NUMBER, usable_remaining, RSCP_BAT_USABLE_REMAINING),
    B(RSCP_TAG_BAT_ASOC, RSCP__F_NUMBER, soh, RSCP_BAT_SOH),
    B(RSCP_TAG_BAT_DCB_COUNT, RSCP__F_UINT, dcb_count, RSCP_BAT_DCB_COUNT),
    B(RSCP_TAG_BAT_MIN_DCB_CELL_VOLTAGE, RSCP__F_NUMBER, cell_v_min, RSCP_BAT_CELL_V_MIN),
    B(RSCP_TAG_BAT_MAX_DCB_CELL_VOLTAGE, RSCP__F_NUMBER, cell_v_max, RSCP_BAT_CELL_V_MAX),
    B(RSCP_TAG_BAT_TERMINAL_VOLTAGE, RSCP__F_NUMBER, terminal_voltage, RSCP_BAT_TERMINAL_VOLTAGE),
    B(RSCP_TAG_BAT_MAX_CHARGE_CURRENT, RSCP__F_NUMBER, max_charge_current, RSCP_BAT_MAX_CHARGE_CURRENT),
    B(RSCP_TAG_BAT_MAX_DISCHARGE_CURRENT, RSCP__F_NUMBER, max_discharge_current, RSCP_BAT_MAX_DISCHARGE_CURRENT),
    B(RSCP_TAG_BAT_EOD_VOLTAGE, RSCP__F_NUMBER, eod_voltage, RSCP_BAT_EOD_VOLTAGE),
    B(RSCP_TAG_BAT_TRAINING_MODE, RSCP__F_UINT, training_mode, RSCP_BAT_TRAINING_MODE),
    RSCP__FIELD_STR(RSCP_TAG_BAT_DEVICE_NAME, struct rscp_battery, device_name, RSCP_BAT_DEVICE_NAME),
};
#undef B

static const uint32_t bat_requests[] = {
    RSCP_TAG_BAT_REQ_RSOC,
    RSCP_TAG_BAT_REQ_RSOC_REAL,
    RSCP_TAG_BAT_REQ_MODULE_VOLTAGE,
    RSCP_TAG_BAT_REQ_CURRENT,
    RSCP_TAG_BAT_REQ_CHARGE_CYCLES,
    RSCP_TAG_BAT_REQ_STATUS_CODE,
    RSCP_TAG_BAT_REQ_ERROR_CODE,
    RSCP_TAG_BAT_REQ_MIN_DCB_CELL_TEMPERATURE,
    RSCP_TAG_BAT_REQ_MAX_DCB_CELL_TEMPERATURE,
    RSCP_TAG_BAT_REQ_FCC,
    RSCP_TAG_BAT_REQ_RC,
    RSCP_TAG_BAT_REQ_DESIGN_CAPACITY,
    RSCP_TAG_BAT_REQ_USABLE_CAPACITY,
    RSCP_TAG_BAT_REQ_USABLE_REMAINING_CAPACITY,
    RSCP_TAG_BAT_REQ_ASOC,
    RSCP_TAG_BAT_REQ_DCB_COUNT,
    RSCP_TAG_BAT_REQ_MIN_DCB_CELL_VOLTAGE,
    RSCP_TAG_BAT_REQ_MAX_DCB_CELL_VOLTAGE,
    RSCP_TAG_BAT_REQ_TERMINAL_VOLTAGE,
    RSCP_TAG_BAT_REQ_MAX_CHARGE_CURRENT,
    RSCP_TAG_BAT_REQ_MAX_DISCHARGE_CURRENT,
    RSCP_TAG_BAT_REQ_EOD_VOLTAGE,
    RSCP_TAG_BAT_REQ_TRAINING_MODE,
    RSCP_TAG_BAT_REQ_DEVICE_NAME,
};

int rscp_battery_request(struct rscp_builder *b, unsigned index)
{
    if (!b)
        return RSCP_ERR_ARG;
    if (index >= RSCP_BAT_MAX_STRINGS)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_BAT_REQ_DATA);
    rscp_put_uint16(b, RSCP_TAG_BAT_INDEX, (uint16_t)index);
    for (size_t i = 0; i < RSCP__COUNT(bat_requests); i++)
        rscp_put_none(b, bat_requests[i]);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

struct bat_ctx {
    uint64_t index;
    struct rscp_battery *out;
    bool found;
};

static int bat_unit(void *ctx, uint64_t index, const struct rscp_block *c)
{
    struct bat_ctx *x = ctx;
    if (index != x->index)
        return 0;
    x->found = true;
    return rscp__fields_fill(c, bat_fields, RSCP__COUNT(bat_fields), x->out, &x->out->present,
                             &x->out->device_errors, NULL, NULL);
}

int rscp_battery_parse(const struct rscp_frame *f, unsigned index, struct rscp_battery *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->index = (uint16_t)index;
    struct bat_ctx x = {index, out, false};
    int rc = rscp__each_unit(f, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, bat_unit, &x, NULL);
    if (rc < 0)
        return rc;
    if ((out->present & (RSCP_BAT_VOLTAGE | RSCP_BAT_CURRENT)) == (RSCP_BAT_VOLTAGE | RSCP_BAT_CURRENT)) {
        out->power = out->voltage * out->current;
        out->present |= RSCP_BAT_POWER;
    }
    return x.found ? 0 : RSCP_ERR_NOT_FOUND;
}

/* ---- DCB modules -------------------------------------------------------- */

int rscp_dcb_request(struct rscp_builder *b, unsigned bat, unsigned count, unsigned what)
{
    if (!b || !(what & RSCP_DCB_REQ_ALL))
        return RSCP_ERR_ARG;
    if (bat >= RSCP_BAT_MAX_STRINGS || count == 0 || count > RSCP_DCB_MAX)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_BAT_REQ_DATA);
    rscp_put_uint16(b, RSCP_TAG_BAT_INDEX, (uint16_t)bat);
    for (unsigned k = 0; k < count; k++) {
        if (what & RSCP_DCB_REQ_INFO)
            rscp_put_uint16(b, RSCP_TAG_BAT_REQ_DCB_INFO, (uint16_t)k);
        if (what & RSCP_DCB_REQ_CELL_VOLTAGES)
            rscp_put_uint16(b, RSCP_TAG_BAT_REQ_DCB_ALL_CELL_VOLTAGES, (uint16_t)k);
        if (what & RSCP_DCB_REQ_CELL_TEMPS)
            rscp_put_uint16(b, RSCP_TAG_BAT_REQ_DCB_ALL_CELL_TEMPERATURES, (uint16_t)k);
    }
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

#define D(tag, kind, member, bit) RSCP__FIELD(tag, kind, struct rscp_dcb, member, bit)

static const struct rscp__field dcb_fields[] = {
    D(RSCP_TAG_BAT_DCB_SOC, RSCP__F_NUMBER, soc, RSCP_DCB_SOC),
    D(RSCP_TAG_BAT_DCB_SOH, RSCP__F_NUMBER, soh, RSCP_DCB_SOH),
    D(RSCP_TAG_BAT_DCB_VOLTAGE, RSCP__F_NUMBER, voltage, RSCP_DCB_VOLTAGE),
    D(RSCP_TAG_BAT_DCB_CURRENT, RSCP__F_NUMBER, current, RSCP_DCB_CURRENT),
    D(RSCP_TAG_BAT_DCB_CYCLE_COUNT, RSCP__F_UINT, cycles, RSCP_DCB_CYCLES),
    D(RSCP_TAG_BAT_DCB_FULL_CHARGE_CAPACITY, RSCP__F_NUMBER, full_charge_capacity, RSCP_DCB_FULL_CHARGE_CAPACITY),
    D(RSCP_TAG_BAT_DCB_REMAINING_CAPACITY, RSCP__F_NUMBER, remaining_capacity, RSCP_DCB_REMAINING_CAPACITY),
    D(RSCP_TAG_BAT_DCB_DESIGN_CAPACITY, RSCP__F_NUMBER, design_capacity, RSCP_DCB_DESIGN_CAPACITY),
    D(RSCP_TAG_BAT_DCB_DESIGN_VOLTAGE, RSCP__F_NUMBER, design_voltage, RSCP_DCB_DESIGN_VOLTAGE),
    D(RSCP_TAG_BAT_DCB_MAX_CHARGE_VOLTAGE, RSCP__F_NUMBER, max_charge_voltage, RSCP_DCB_MAX_CHARGE_VOLTAGE),
    D(RSCP_TAG_BAT_DCB_END_OF_DISCHARGE, RSCP__F_NUMBER, end_of_discharge, RSCP_DCB_END_OF_DISCHARGE),
    D(RSCP_TAG_BAT_DCB_MAX_CHARGE_CURRENT, RSCP__F_NUMBER, max_charge_current, RSCP_DCB_MAX_CHARGE_CURRENT),
    D(RSCP_TAG_BAT_DCB_MAX_DISCHARGE_CURRENT, RSCP__F_NUMBER, max_discharge_current,
      RSCP_DCB_MAX_DISCHARGE_CURRENT),
    D(RSCP_TAG_BAT_DCB_NR_SERIES_CELL, RSCP__F_UINT, series_cells, RSCP_DCB_SERIES_CELLS),
    D(RSCP_TAG_BAT_DCB_NR_PARALLEL_CELL, RSCP__F_UINT, parallel_cells, RSCP_DCB_PARALLEL_CELLS),
    D(RSCP_TAG_BAT_DCB_NR_SENSOR, RSCP__F_UINT, sensors, RSCP_DCB_SENSORS),
    D(RSCP_TAG_BAT_DCB_STATUS, RSCP__F_UINT, status, RSCP_DCB_STATUS),
    D(RSCP_TAG_BAT_DCB_WARNING, RSCP__F_UINT, warning, RSCP_DCB_WARNING),
    D(RSCP_TAG_BAT_DCB_ALARM, RSCP__F_UINT, alarm, RSCP_DCB_ALARM),
    D(RSCP_TAG_BAT_DCB_ERROR, RSCP__F_UINT, error, RSCP_DCB_ERROR),
    D(RSCP_TAG_BAT_DCB_SERIALNO, RSCP__F_UINT, serialno, RSCP_DCB_SERIALNO),
};
#undef D

/* The three module containers and what they hold. */
enum { DCB_INFO, DCB_VOLTS, DCB_TEMPS, DCB_KINDS };
static const uint32_t dcb_tags[DCB_KINDS] = {
    RSCP_TAG_BAT_DCB_INFO,
    RSCP_TAG_BAT_DCB_ALL_CELL_VOLTAGES,
    RSCP_TAG_BAT_DCB_ALL_CELL_TEMPERATURES,
};

/* The module a container names by BAT.DCB_INDEX; else its position. */
static uint64_t container_module(const struct rscp_block *c, uint64_t position)
{
    uint64_t k;
    return rscp__container_index(c, RSCP_TAG_BAT_DCB_INDEX, &k) == 0 ? k : position;
}

/* Cell values: value_tag children of c, and of containers one level down. */
static int read_cells(const struct rscp_block *c, uint32_t value_tag, double *dst, uint32_t cap, uint32_t *n,
                      uint32_t *errors, unsigned depth)
{
    struct rscp_iter it;
    struct rscp_block blk;
    int rc = rscp_block_children(c, &it);
    if (rc < 0)
        return rc;
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR) {
            (*errors)++;
        } else if (blk.tag == value_tag) {
            double v;
            if (rscp_block_get_number(&blk, &v) != 0)
                continue;
            if (*n < cap)
                dst[*n] = v;
            if (*n < UINT32_MAX)
                (*n)++;
        } else if (blk.type == RSCP_TYPE_CONTAINER && depth == 0) {
            int k = read_cells(&blk, value_tag, dst, cap, n, errors, 1);
            if (k < 0)
                return k;
        }
    }
    return rc < 0 ? rc : 0;
}

static int dcb_container(struct rscp_dcb *out, int kind, const struct rscp_block *c)
{
    if (kind == DCB_INFO)
        return rscp__fields_fill(c, dcb_fields, RSCP__COUNT(dcb_fields), out, &out->present, &out->device_errors,
                                 NULL, NULL);
    if (kind == DCB_VOLTS) {
        int rc = read_cells(c, RSCP_TAG_BAT_DCB_CELL_VOLTAGE, out->cell_voltage, RSCP_DCB_MAX_CELLS,
                            &out->n_cell_voltages, &out->device_errors, 0);
        if (out->n_cell_voltages)
            out->present |= RSCP_DCB_CELL_VOLTAGES;
        return rc;
    }
    int rc = read_cells(c, RSCP_TAG_BAT_DCB_CELL_TEMPERATURE, out->cell_temperature, RSCP_DCB_MAX_SENSORS,
                        &out->n_cell_temperatures, &out->device_errors, 0);
    if (out->n_cell_temperatures)
        out->present |= RSCP_DCB_CELL_TEMPERATURES;
    return rc;
}

struct dcb_ctx {
    uint64_t bat, dcb;
    struct rscp_dcb *out;
    bool found;
};

static int dcb_unit(void *ctx, uint64_t index, const struct rscp_block *c)
{
    struct dcb_ctx *x = ctx;
    if (index != x->bat)
        return 0;
    uint64_t position[DCB_KINDS] = {0, 0, 0};
    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_block_children(c, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        int kind = -1;
        for (int k = 0; k < DCB_KINDS; k++)
            if (blk.tag == dcb_tags[k])
                kind = k;
        if (kind < 0)
            continue;
        uint64_t pos = position[kind]++;
        if (blk.type == RSCP_TYPE_ERROR) {
            if (pos == x->dcb)
                x->out->device_errors++;
            continue;
        }
        if (blk.type != RSCP_TYPE_CONTAINER || container_module(&blk, pos) != x->dcb)
            continue;
        x->found = true;
        int k = dcb_container(x->out, kind, &blk);
        if (k < 0)
            return k;
    }
    return rc;
}

int rscp_dcb_parse(const struct rscp_frame *f, unsigned bat, unsigned dcb, struct rscp_dcb *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->bat_index = (uint16_t)bat;
    out->index = (uint16_t)dcb;
    struct dcb_ctx x = {bat, dcb, out, false};
    int rc = rscp__each_unit(f, RSCP_TAG_BAT_DATA, RSCP_TAG_BAT_INDEX, dcb_unit, &x, NULL);
    if (rc < 0)
        return rc;
    uint32_t n = out->n_cell_temperatures < RSCP_DCB_MAX_SENSORS ? out->n_cell_temperatures : RSCP_DCB_MAX_SENSORS;
    if (n > 0) {
        double lo = out->cell_temperature[0], hi = lo, sum = 0.0;
        for (uint32_t i = 0; i < n; i++) {
            double t = out->cell_temperature[i];
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
            sum += t;
        }
        out->temp_min = lo;
        out->temp_max = hi;
        out->temp_mean = sum / (double)n;
        out->present |= RSCP_DCB_TEMPERATURE;
    }
    return x.found ? 0 : RSCP_ERR_NOT_FOUND;
}
