/* Request blocks -> reply blocks for the simulated device: advancing the
 * model, and dispatching each top-level request to its area
 * (handler_*.c, declared in areas.h). */
#include "handler.h"

#include "areas.h"

#include <math.h>

/* ---- dispatch ------------------------------------------------------------- */

/* The top-level requests that change the plant (counted in d->writes;
 * WB.REQ_SET_EXTERN, inside WB.REQ_DATA, is counted by handler_wb.c). */
static const uint32_t write_tags[] = {
    RSCP_TAG_EMS_REQ_SET_POWER,           RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS,
    RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS,    RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS_ENABLE,
    RSCP_TAG_SE_REQ_SET_EP_RESERVE,       RSCP_TAG_EMS_REQ_START_MANUAL_CHARGE,
    RSCP_TAG_EMS_REQ_SET_BATTERY_BEFORE_CAR_MODE, RSCP_TAG_EMS_REQ_SET_BATTERY_TO_CAR_MODE,
    RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL,  RSCP_TAG_EMS_REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT,
};

/* A write refused as devices refuse them (the --refuse-writes fault):
 * SET_POWER_SETTINGS with result -2 (not possible now) for each value,
 * START_MANUAL_CHARGE with false, any other ERROR ACCESS_DENIED. */
static void refuse_write(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    if (req->tag == RSCP_TAG_EMS_REQ_START_MANUAL_CHARGE) {
        rscp_put_bool(b, rt, false);
        return;
    }
    if (req->tag != RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS || req->type != RSCP_TYPE_CONTAINER) {
        rscp_put_error(b, rt, SIM_ERR_ACCESS_DENIED);
        return;
    }
    static const uint32_t value_tags[] = {
        RSCP_TAG_EMS_POWER_LIMITS_USED,     RSCP_TAG_EMS_MAX_CHARGE_POWER,       RSCP_TAG_EMS_MAX_DISCHARGE_POWER,
        RSCP_TAG_EMS_DISCHARGE_START_POWER, RSCP_TAG_EMS_POWERSAVE_ENABLED,      RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED,
    };
    static const uint32_t result_tags[] = {
        RSCP_TAG_EMS_RES_POWER_LIMITS_USED,     RSCP_TAG_EMS_RES_MAX_CHARGE_POWER,  RSCP_TAG_EMS_RES_MAX_DISCHARGE_POWER,
        RSCP_TAG_EMS_RES_DISCHARGE_START_POWER, RSCP_TAG_EMS_RES_POWERSAVE_ENABLED,
        RSCP_TAG_EMS_RES_WEATHER_REGULATED_CHARGE_ENABLED,
    };
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_put_container_open(b, rt);
    rscp_block_children(req, &it);
    while (rscp_iter_next(&it, &blk) == 1)
        for (size_t k = 0; k < sizeof value_tags / sizeof value_tags[0]; k++)
            if (blk.tag == value_tags[k])
                rscp_put_char8(b, result_tags[k], -2);
    rscp_put_container_close(b);
}

static void top_level(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    if (tag_in(req->tag, write_tags, sizeof write_tags / sizeof write_tags[0])) {
        x->d->writes++;
        if (x->d->refuse_writes) {
            refuse_write(x, req);
            return;
        }
    }
    switch (req->tag) {
    case RSCP_TAG_BAT_REQ_DATA:
    case RSCP_TAG_PVI_REQ_DATA:
    case RSCP_TAG_PM_REQ_DATA:
    case RSCP_TAG_WB_REQ_DATA:
    case RSCP_TAG_DCDC_REQ_DATA:
        if (want_container(x, req))
            sim__index_container(x, req);
        return;
    case RSCP_TAG_DB_REQ_HISTORY_DATA_DAY:
    case RSCP_TAG_DB_REQ_HISTORY_DATA_WEEK:
    case RSCP_TAG_DB_REQ_HISTORY_DATA_MONTH:
    case RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR:
        if (want_container(x, req))
            sim__db_history(x, req);
        return;
    case RSCP_TAG_RSCP_REQ_USER_LEVEL:
    case RSCP_TAG_RSCP_REQ_AUTHENTICATION: /* already authenticated: the level */
        rscp_put_uchar8(b, rt, (uint8_t)x->auth_level);
        return;
    default: break;
    }
    if (sim__ems(x, req) || sim__settings(x, req) || sim__control(x, req) || sim__info(x, req))
        return;
    bool sub = sim__is_bat_sub(req->tag) || sim__is_pvi_sub(req->tag) || sim__is_pm_sub(req->tag) ||
               sim__is_db_sub(req->tag) || sim__is_wb_sub(req->tag) || sim__is_dcdc_sub(req->tag) ||
               req->tag == RSCP_TAG_BAT_INDEX || req->tag == RSCP_TAG_PVI_INDEX || req->tag == RSCP_TAG_PM_INDEX ||
               req->tag == RSCP_TAG_WB_INDEX || req->tag == RSCP_TAG_DCDC_INDEX;
    if (sub)
        rscp_put_error(b, rt, SIM_ERR_FORMAT);
    else
        put_unsupported(b, req->tag);
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
