/* Controls beyond the power settings: idle periods and their enable flag,
 * manual charge, the emergency-power reserve (SE namespace). Invalid
 * writes are refused as a device does: a request of the wrong shape or
 * type gets ERROR FORMAT, a value out of range ERROR OUT_OF_BOUNDS, and
 * nothing of it is applied. */
#include "areas.h"

#include <math.h>
#include <string.h>

/* ---- idle periods ------------------------------------------------------- */

static void put_idle_time(struct rscp_builder *b, uint32_t tag, uint8_t hour, uint8_t minute)
{
    rscp_put_container_open(b, tag);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, hour);
    rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, minute);
    rscp_put_container_close(b);
}

static void get_idle_periods(struct req_ctx *x, uint32_t rt)
{
    struct rscp_builder *b = x->b;
    const struct sim_controls *ctl = &x->d->model.ctl;
    rscp_put_container_open(b, rt);
    for (unsigned i = 0; i < ctl->n_idle && i < SIM_IDLE_PERIODS_MAX; i++) {
        const struct sim_idle_period *p = &ctl->idle[i];
        rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, p->type);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_DAY, p->day);
        rscp_put_bool(b, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, p->active);
        put_idle_time(b, RSCP_TAG_EMS_IDLE_PERIOD_START, p->start_h, p->start_m);
        put_idle_time(b, RSCP_TAG_EMS_IDLE_PERIOD_END, p->end_h, p->end_m);
        rscp_put_container_close(b);
    }
    rscp_put_container_close(b);
}

/* A small unsigned child value: 1 read, 0 missing or not an integer,
 * -1 above max. */
static int child_uint(const struct rscp_block *c, uint32_t tag, uint64_t max, uint8_t *out)
{
    struct rscp_block blk;
    uint64_t v;
    if (c->type != RSCP_TYPE_CONTAINER || rscp_block_find(c, tag, &blk) != 0 || !get_index(&blk, &v))
        return 0;
    if (v > max)
        return -1;
    *out = (uint8_t)v;
    return 1;
}

/* One EMS.IDLE_PERIOD of a set request: 0 read, else the device error. */
static uint32_t read_idle_period(const struct rscp_block *c, struct sim_idle_period *p)
{
    struct rscp_block blk, start, end;
    bool active;
    if (c->tag != RSCP_TAG_EMS_IDLE_PERIOD || c->type != RSCP_TYPE_CONTAINER ||
        rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, &blk) != 0 || rscp_block_get_bool(&blk, &active) != 0 ||
        rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_START, &start) != 0 ||
        rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_END, &end) != 0)
        return SIM_ERR_FORMAT;
    int r[6] = {
        child_uint(c, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, 1, &p->type),
        child_uint(c, RSCP_TAG_EMS_IDLE_PERIOD_DAY, 6, &p->day),
        child_uint(&start, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, 23, &p->start_h),
        child_uint(&start, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, 59, &p->start_m),
        child_uint(&end, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, 23, &p->end_h),
        child_uint(&end, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, 59, &p->end_m),
    };
    for (size_t i = 0; i < 6; i++)
        if (r[i] == 0)
            return SIM_ERR_FORMAT;
    for (size_t i = 0; i < 6; i++)
        if (r[i] < 0)
            return SIM_ERR_OUT_OF_BOUNDS;
    p->active = active;
    return 0;
}

/* Each period given replaces the one of its type and day; all or none. */
static void set_idle_periods(struct req_ctx *x, const struct rscp_block *req, uint32_t rt)
{
    struct sim_controls *ctl = &x->d->model.ctl;
    struct sim_idle_period next[SIM_IDLE_PERIODS_MAX];
    memcpy(next, ctl->idle, sizeof next);
    struct rscp_iter it;
    struct rscp_block blk;
    unsigned n = 0;
    rscp_block_children(req, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        struct sim_idle_period p;
        memset(&p, 0, sizeof p);
        uint32_t err = ++n > SIM_IDLE_PERIODS_MAX ? SIM_ERR_OUT_OF_BOUNDS : read_idle_period(&blk, &p);
        if (err != 0) {
            rscp_put_error(x->b, rt, err);
            return;
        }
        next[p.day * 2u + p.type] = p;
    }
    if (n == 0) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    memcpy(ctl->idle, next, sizeof next);
    ctl->n_idle = SIM_IDLE_PERIODS_MAX;
    rscp_put_uchar8(x->b, rt, 1); /* the value devices answer is not documented; 1 taken as success */
}

/* ---- manual charge ------------------------------------------------------ */

static void start_manual_charge(struct req_ctx *x, const struct rscp_block *req, uint32_t rt)
{
    struct sim_model *m = &x->d->model;
    struct sim_controls *ctl = &m->ctl;
    uint64_t wh;
    if (req->type == RSCP_TYPE_CONTAINER || !get_index(req, &wh)) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    bool allowed = ctl->mc_last_start < 0.0 || m->t - ctl->mc_last_start >= SIM_MANUAL_CHARGE_INTERVAL_S;
    if (allowed && wh > 0) {
        /* A start is taken (counted, the day's allowance used) also on a
         * full battery, and is over at once: nothing to charge. */
        ctl->mc_active = m->bat_wh < m->cfg.bat_capacity_wh - SIM_BAT_FLOOR_MARGIN_WH;
        ctl->mc_target_wh = fmin((double)wh, m->cfg.bat_capacity_wh);
        ctl->mc_charged_wh = 0.0;
        ctl->mc_starts++;
        ctl->mc_last_start = m->t;
    }
    rscp_put_bool(x->b, rt, true); /* also when ignored, as devices do */
}

static void get_manual_charge(struct req_ctx *x, uint32_t rt)
{
    const struct sim_controls *ctl = &x->d->model.ctl;
    struct rscp_builder *b = x->b;
    rscp_put_container_open(b, rt);
    rscp_put_bool(b, RSCP_TAG_EMS_MANUAL_CHARGE_ACTIVE, ctl->mc_active);
    rscp_put_double64(b, RSCP_TAG_EMS_MANUAL_CHARGE_ENERGY_COUNTER, ctl->mc_charged_wh);
    rscp_put_int64(b, RSCP_TAG_EMS_MANUAL_CHARGE_START_COUNTER, ctl->mc_starts);
    put_ts(b, RSCP_TAG_EMS_MANUAL_CHARGE_LASTSTART, ctl->mc_last_start < 0.0 ? 0.0 : ctl->mc_last_start);
    rscp_put_container_close(b);
}

/* ---- emergency-power reserve -------------------------------------------- */

static void get_ep_reserve(struct req_ctx *x, uint32_t rt)
{
    const struct sim_model *m = &x->d->model;
    double cap = m->cfg.bat_capacity_wh;
    struct rscp_builder *b = x->b;
    rscp_put_container_open(b, rt);
    rscp_put_uchar8(b, RSCP_TAG_SE_PARAM_INDEX, 0);
    put_f32(b, RSCP_TAG_SE_PARAM_EP_RESERVE, cap > 0.0 ? 100.0 * m->ctl.ep_reserve_wh / cap : 0.0);
    put_f32(b, RSCP_TAG_SE_PARAM_EP_RESERVE_W, m->ctl.ep_reserve_wh);
    put_f32(b, RSCP_TAG_SE_PARAM_EP_RESERVE_MAX_W, cap);
    put_f32(b, RSCP_TAG_SE_PARAM_LAST_SOC, sim_model_soc(m));
    rscp_put_container_close(b);
}

static void set_ep_reserve(struct req_ctx *x, const struct rscp_block *req, uint32_t rt)
{
    struct sim_model *m = &x->d->model;
    double cap = m->cfg.bat_capacity_wh;
    struct rscp_block blk;
    double v;
    bool wh = rscp_block_find(req, RSCP_TAG_SE_PARAM_EP_RESERVE_W, &blk) == 0;
    if (!wh && rscp_block_find(req, RSCP_TAG_SE_PARAM_EP_RESERVE, &blk) != 0) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    if (rscp_block_get_number(&blk, &v) != 0 || !isfinite(v)) {
        rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
        return;
    }
    if (v < 0.0 || v > (wh ? cap : 100.0)) {
        rscp_put_error(x->b, rt, SIM_ERR_OUT_OF_BOUNDS);
        return;
    }
    m->ctl.ep_reserve_wh = wh ? v : v / 100.0 * cap;
    rscp_put_container_open(x->b, rt);
    rscp_put_uchar8(x->b, RSCP_TAG_SE_PARAM_INDEX, 0);
    put_f32(x->b, wh ? RSCP_TAG_SE_PARAM_EP_RESERVE_W : RSCP_TAG_SE_PARAM_EP_RESERVE, v);
    rscp_put_container_close(x->b);
}

bool sim__control(struct req_ctx *x, const struct rscp_block *req)
{
    uint32_t rt = SIM_RESP(req->tag);
    struct sim_controls *ctl = &x->d->model.ctl;
    switch (req->tag) {
    case RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS: get_idle_periods(x, rt); break;
    case RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS:
        if (want_container(x, req))
            set_idle_periods(x, req, rt);
        break;
    case RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS_ENABLE: rscp_put_bool(x->b, rt, ctl->idle_enabled); break;
    case RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS_ENABLE: {
        bool on;
        if (rscp_block_get_bool(req, &on) != 0) {
            rscp_put_error(x->b, rt, SIM_ERR_FORMAT);
            break;
        }
        ctl->idle_enabled = on;
        rscp_put_bool(x->b, rt, on);
        break;
    }
    case RSCP_TAG_EMS_REQ_START_MANUAL_CHARGE: start_manual_charge(x, req, rt); break;
    case RSCP_TAG_EMS_REQ_GET_MANUAL_CHARGE: get_manual_charge(x, rt); break;
    case RSCP_TAG_SE_REQ_EP_RESERVE: get_ep_reserve(x, RSCP_TAG_SE_EP_RESERVE); break;
    case RSCP_TAG_SE_REQ_SET_EP_RESERVE:
        if (want_container(x, req))
            set_ep_reserve(x, req, RSCP_TAG_SE_SET_EP_RESERVE);
        break;
    default: return false;
    }
    return true;
}
