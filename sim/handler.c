/* Request blocks -> reply blocks for the simulated device: device
 * identity, advancing the model, and dispatching each top-level request to
 * its area (handler_*.c). */
#include "handler_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- device identity ------------------------------------------------------ */

void sim_device_init(struct sim_device *d, const struct sim_config *c, double start, unsigned pm_root_index)
{
    memset(d, 0, sizeof *d);
    sim_model_init(&d->model, c, start);
    d->pm_root_index = pm_root_index;
    d->history_first_day = sim_history_first_day(c, start);
    d->pm_add_index = pm_root_index == 1 ? 2 : 1;
    uint64_t h = sim_mix64(c->seed ^ 0x5E5E5E5Eull);
    snprintf(d->serial, sizeof d->serial, "S10-%012llu", (unsigned long long)(h % 1000000000000ull));
    snprintf(d->mac, sizeof d->mac, "00:1d:7a:%02x:%02x:%02x", (unsigned)((h >> 40) & 0xFF),
             (unsigned)((h >> 48) & 0xFF), (unsigned)((h >> 56) & 0xFF));
}

int64_t sim_history_first_day(const struct sim_config *c, double start)
{
    int64_t y;
    unsigned m, dd;
    sim_civil_from_days(sim_local_day(&c->tz, (int64_t)floor(start)), &y, &m, &dd);
    return sim_days_from_civil(y - 1, 1, 1);
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
        if (want_container(x, req))
            sim__index_container(x, req);
        return;
    case SIM_DB_REQ_HISTORY_DATA_DAY:
    case SIM_DB_REQ_HISTORY_DATA_WEEK:
    case SIM_DB_REQ_HISTORY_DATA_MONTH:
    case SIM_DB_REQ_HISTORY_DATA_YEAR:
        if (want_container(x, req))
            sim__db_history(x, req);
        return;
    case SIM_RSCP_REQ_USER_LEVEL:
    case SIM_RSCP_REQ_AUTHENTICATION: /* already authenticated: the level */
        rscp_put_uchar8(b, rt, (uint8_t)x->auth_level);
        return;
    default: break;
    }
    if (sim__ems(x, req) || sim__settings(x, req) || sim__info(x, req))
        return;
    bool sub = sim__is_bat_sub(req->tag) || sim__is_pvi_sub(req->tag) || sim__is_pm_sub(req->tag) ||
               sim__is_db_sub(req->tag) || req->tag == SIM_BAT_INDEX ||
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
