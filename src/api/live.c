/* Live power summary: EMS requests in one frame and their reply. */
#include "api/api_internal.h"

#include <string.h>

static const uint32_t live_requests[] = {
    RSCP_TAG_EMS_REQ_POWER_PV,       RSCP_TAG_EMS_REQ_POWER_BAT,     RSCP_TAG_EMS_REQ_POWER_GRID,
    RSCP_TAG_EMS_REQ_POWER_HOME,     RSCP_TAG_EMS_REQ_POWER_WB_ALL,  RSCP_TAG_EMS_REQ_POWER_WB_SOLAR,
    RSCP_TAG_EMS_REQ_POWER_ADD,      RSCP_TAG_EMS_REQ_BAT_SOC,       RSCP_TAG_EMS_REQ_AUTARKY,
    RSCP_TAG_EMS_REQ_SELF_CONSUMPTION, RSCP_TAG_EMS_REQ_STATUS,
};

int rscp_live_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp__put_requests(b, live_requests, sizeof live_requests / sizeof live_requests[0]);
    return rscp_builder_error(b);
}

/* Store an integer power; returns the present bit or 0. */
static uint32_t take_int(const struct rscp_block *blk, int64_t *dst, uint32_t bit)
{
    int64_t v;
    if (rscp_block_get_int(blk, &v) != 0)
        return 0;
    *dst = v;
    return bit;
}

static uint32_t take_number(const struct rscp_block *blk, double *dst, uint32_t bit)
{
    double v;
    if (rscp_block_get_number(blk, &v) != 0)
        return 0;
    *dst = v;
    return bit;
}

int rscp_live_parse(const struct rscp_frame *f, struct rscp_live *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->time.seconds = f->seconds;
    out->time.nanoseconds = f->nanoseconds;

    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_frame_iter(f, &it);
    const size_t n_req = sizeof live_requests / sizeof live_requests[0];
    while ((rc = rscp__next_answer(&it, &blk, live_requests, n_req, &out->device_errors)) == 1) {
        uint32_t got = 0;
        switch (blk.tag) {
        case RSCP_TAG_EMS_POWER_PV: got = take_int(&blk, &out->pv, RSCP_LIVE_PV); break;
        case RSCP_TAG_EMS_POWER_BAT: got = take_int(&blk, &out->bat, RSCP_LIVE_BAT); break;
        case RSCP_TAG_EMS_POWER_GRID: got = take_int(&blk, &out->grid, RSCP_LIVE_GRID); break;
        case RSCP_TAG_EMS_POWER_HOME: got = take_int(&blk, &out->home, RSCP_LIVE_HOME); break;
        case RSCP_TAG_EMS_POWER_WB_ALL:
            got = take_int(&blk, &out->wb_all, RSCP_LIVE_WB_ALL);
            break;
        case RSCP_TAG_EMS_POWER_WB_SOLAR:
            got = take_int(&blk, &out->wb_solar, RSCP_LIVE_WB_SOLAR);
            break;
        case RSCP_TAG_EMS_POWER_ADD:
            /* Devices report the additional producer negative. */
            got = take_int(&blk, &out->add, RSCP_LIVE_ADD);
            if (got && out->add != INT64_MIN)
                out->add = -out->add;
            break;
        case RSCP_TAG_EMS_BAT_SOC: got = take_number(&blk, &out->soc, RSCP_LIVE_SOC); break;
        case RSCP_TAG_EMS_AUTARKY:
            got = take_number(&blk, &out->autarky, RSCP_LIVE_AUTARKY);
            break;
        case RSCP_TAG_EMS_SELF_CONSUMPTION:
            got = take_number(&blk, &out->self_consumption, RSCP_LIVE_SELF_CONSUMPTION);
            break;
        case RSCP_TAG_EMS_STATUS: {
            uint64_t v;
            if (rscp_block_get_uint(&blk, &v) == 0) {
                out->status = v;
                got = RSCP_LIVE_STATUS;
            }
            break;
        }
        default:
            break;
        }
        out->present |= got;
    }
    return rc < 0 ? rc : 0;
}
