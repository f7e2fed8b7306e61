/* EMS requests that change the model's controls: SET_POWER, the power
 * settings (and reading them back), the battery and the car (battery
 * before / to car, discharge until, enforced power assignment). */
#include "areas.h"

#include "noise.h"

#include <math.h>

static void ems_set_power(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    struct sim_model *m = &x->d->model;
    struct rscp_block blk;
    uint64_t mode;
    int64_t value;
    if (rscp_block_find(req, RSCP_TAG_EMS_REQ_SET_POWER_MODE, &blk) != 0 || !get_index(&blk, &mode) || mode > 4 ||
        rscp_block_find(req, RSCP_TAG_EMS_REQ_SET_POWER_VALUE, &blk) != 0 || rscp_block_get_int(&blk, &value) != 0 ||
        value < INT32_MIN || value > INT32_MAX) {
        rscp_put_error(b, rt, SIM_ERR_FORMAT);
        return;
    }
    m->ctl.set_power_mode = (uint8_t)mode;
    m->ctl.set_power_value = (int32_t)value;
    m->ctl.set_power_until = m->t + SIM_SET_POWER_HOLD_S;
    rscp_put_int32(b, rt, (int32_t)value); /* devices mirror the value, not the mode */
}

static void ems_get_power_settings(struct req_ctx *x, uint32_t rt)
{
    struct rscp_builder *b = x->b;
    const struct sim_controls *ctl = &x->d->model.ctl;
    rscp_put_container_open(b, rt);
    rscp_put_bool(b, RSCP_TAG_EMS_POWER_LIMITS_USED, ctl->limits_used);
    rscp_put_uint32(b, RSCP_TAG_EMS_MAX_CHARGE_POWER, ctl->max_charge_w);
    rscp_put_uint32(b, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, ctl->max_discharge_w);
    rscp_put_uint32(b, RSCP_TAG_EMS_DISCHARGE_START_POWER, ctl->discharge_start_w);
    rscp_put_bool(b, RSCP_TAG_EMS_POWERSAVE_ENABLED, ctl->powersave);
    rscp_put_bool(b, RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED, ctl->weather_regulated);
    rscp_put_int32(b, RSCP_TAG_EMS_WEATHER_FORECAST_MODE, 0);
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

/* Result of one on/off setting: 0 applied, -1 not a BOOL. */
static int8_t apply_flag(const struct rscp_block *blk, bool *target)
{
    bool v;
    if (rscp_block_get_bool(blk, &v) != 0)
        return -1;
    *target = v;
    return 0;
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
        switch (blk.tag) {
        case RSCP_TAG_EMS_POWER_LIMITS_USED:
            rscp_put_char8(b, RSCP_TAG_EMS_RES_POWER_LIMITS_USED, apply_flag(&blk, &ctl->limits_used));
            break;
        case RSCP_TAG_EMS_MAX_CHARGE_POWER:
            rscp_put_char8(b, RSCP_TAG_EMS_RES_MAX_CHARGE_POWER,
                           apply_limit(&blk, m->cfg.bat_max_charge_w, 300.0, &ctl->max_charge_w));
            break;
        case RSCP_TAG_EMS_MAX_DISCHARGE_POWER:
            rscp_put_char8(b, RSCP_TAG_EMS_RES_MAX_DISCHARGE_POWER,
                           apply_limit(&blk, m->cfg.bat_max_discharge_w, 300.0, &ctl->max_discharge_w));
            break;
        case RSCP_TAG_EMS_DISCHARGE_START_POWER:
            rscp_put_char8(b, RSCP_TAG_EMS_RES_DISCHARGE_START_POWER,
                           apply_limit(&blk, 1000.0, 0.0, &ctl->discharge_start_w));
            break;
        case RSCP_TAG_EMS_POWERSAVE_ENABLED:
            rscp_put_char8(b, RSCP_TAG_EMS_RES_POWERSAVE_ENABLED, apply_flag(&blk, &ctl->powersave));
            break;
        case RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED:
            rscp_put_char8(b, RSCP_TAG_EMS_RES_WEATHER_REGULATED_CHARGE_ENABLED, apply_flag(&blk, &ctl->weather_regulated));
            break;
        default: put_unsupported(b, blk.tag); break;
        }
    }
    rscp_put_container_close(b);
}

/* A setting of the battery and the car: an integer 0..max (BOOL taken
 * as 0/1), answered with the value taken in the request's type (UCHAR8,
 * BOOL); ERROR FORMAT for another type, OUT_OF_BOUNDS above max. */
static bool car_setting(struct req_ctx *x, const struct rscp_block *req, int64_t max, int64_t *v)
{
    uint32_t rt = SIM_RESP(req->tag);
    if (rscp_block_get_int(req, v) != 0) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return false;
    }
    if (*v < 0 || *v > max) {
        rscp_put_error(x->b, rt, SIM_ERR_OUT_OF_BOUNDS);
        return false;
    }
    if (req->type == RSCP_TYPE_BOOL)
        rscp_put_bool(x->b, rt, *v != 0);
    else
        rscp_put_uchar8(x->b, rt, (uint8_t)*v);
    return true;
}

/* EMS requests that change the controls; false when not one of them. */
bool sim__settings(struct req_ctx *x, const struct rscp_block *req)
{
    struct sim_model *m = &x->d->model;
    uint32_t rt = SIM_RESP(req->tag);
    int64_t v;
    switch (req->tag) {
    case RSCP_TAG_EMS_REQ_SET_BATTERY_BEFORE_CAR_MODE:
        if (car_setting(x, req, 1, &v))
            m->ctl.battery_before_car = v == 1;
        break;
    case RSCP_TAG_EMS_REQ_SET_BATTERY_TO_CAR_MODE:
        if (car_setting(x, req, 1, &v))
            m->ctl.battery_to_car = v == 1;
        break;
    case RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL:
        if (car_setting(x, req, 100, &v))
            m->ctl.wb_discharge_until = (uint8_t)v;
        break;
    case RSCP_TAG_EMS_REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT:
        if (car_setting(x, req, 1, &v))
            m->ctl.wb_enforce_power = v == 1;
        break;
    case RSCP_TAG_EMS_REQ_SET_POWER:
        if (want_container(x, req))
            ems_set_power(x, req);
        break;
    case RSCP_TAG_EMS_REQ_GET_POWER_SETTINGS: ems_get_power_settings(x, rt); break;
    case RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS:
        if (want_container(x, req))
            ems_set_power_settings(x, req);
        break;
    default: return false;
    }
    return true;
}
