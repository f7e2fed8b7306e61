/* DB history requests: fields, limits, and the reply containers around
 * sim_history_compute_from() with the device's store. */
#include "areas.h"

#include "noise.h"

#include <math.h>
#include <string.h>

#include "history.h"

#include "rscp/types.h"

static const uint32_t db_subs[] = {
    RSCP_TAG_DB_REQ_HISTORY_TIME_START, RSCP_TAG_DB_REQ_HISTORY_TIME_INTERVAL, RSCP_TAG_DB_REQ_HISTORY_TIME_SPAN,
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
    put_f32(b, RSCP_TAG_DB_GRAPH_INDEX, index);
    put_f32(b, RSCP_TAG_DB_BAT_POWER_IN, e->bat_in);
    put_f32(b, RSCP_TAG_DB_BAT_POWER_OUT, e->bat_out);
    put_f32(b, RSCP_TAG_DB_DC_POWER, e->pv);
    put_f32(b, RSCP_TAG_DB_GRID_POWER_IN, e->grid_in);
    put_f32(b, RSCP_TAG_DB_GRID_POWER_OUT, e->grid_out);
    put_f32(b, RSCP_TAG_DB_CONSUMPTION, e->home + e->wb);
    put_f32(b, RSCP_TAG_DB_PM_0_POWER, e->add);
    put_f32(b, RSCP_TAG_DB_PM_1_POWER, 0.0);
    put_f32(b, RSCP_TAG_DB_BAT_CHARGE_LEVEL, e->seconds > 0.0 ? 100.0 * e->soc_time / e->seconds : 0.0);
    put_f32(b, RSCP_TAG_DB_BAT_CYCLE_COUNT, capacity_wh > 0.0 ? (e->bat_in + e->bat_out) / 2.0 / capacity_wh : 0.0);
    put_f32(b, RSCP_TAG_DB_CONSUMED_PRODUCTION, e->seconds > 0.0 ? sim_energy_self_consumption(e) : 0.0);
    put_f32(b, RSCP_TAG_DB_AUTARKY, e->seconds > 0.0 ? sim_energy_autarky(e) : 0.0);
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

bool sim__is_db_sub(uint32_t tag)
{
    return tag_in(tag, db_subs, sizeof db_subs / sizeof db_subs[0]);
}

void sim__db_history(struct req_ctx *x, const struct rscp_block *req)
{
    struct rscp_builder *b = x->b;
    uint32_t rt = SIM_RESP(req->tag);
    const struct sim_config *c = &x->d->model.cfg;
    struct rscp_block blk;
    double start, interval, span;
    if (rscp_block_find(req, RSCP_TAG_DB_REQ_HISTORY_TIME_START, &blk) != 0 || !get_seconds(&blk, &start) ||
        rscp_block_find(req, RSCP_TAG_DB_REQ_HISTORY_TIME_INTERVAL, &blk) != 0 || !get_seconds(&blk, &interval) ||
        rscp_block_find(req, RSCP_TAG_DB_REQ_HISTORY_TIME_SPAN, &blk) != 0 || !get_seconds(&blk, &span)) {
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
    if (!x->d->history_work_ready) {
        memset(&x->d->history_work, 0, sizeof x->d->history_work);
        x->d->history_work_ready = true;
    }
    struct sim_energy *vals = x->d->history;
    struct sim_energy sum;
    double start_utc = (double)sim_local_to_utc(&c->tz, (int64_t)floor(start)) + (start - floor(start));
    sim_history_compute_from(x->d->history_store, &x->d->history_work, c, x->d->history_first_day, x->now,
                             start_utc, interval, n, vals, &sum);
    rscp_put_container_open(b, rt);
    put_db_values(b, RSCP_TAG_DB_SUM_CONTAINER, 0.0, &sum, c->bat_capacity_wh);
    for (unsigned i = 0; i < n; i++)
        put_db_values(b, RSCP_TAG_DB_VALUE_CONTAINER, (double)i, &vals[i], c->bat_capacity_wh);
    rscp_put_container_close(b);
}
