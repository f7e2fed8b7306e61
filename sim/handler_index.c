/* Index containers (BAT/PVI/PM/WB/DCDC *.REQ_DATA): find the device by its index,
 * answer NOT_AVAILABLE for one that does not exist (its writes counted
 * still), else hand each sub-request to the device's handler. */
#include "areas.h"

#include "noise.h"

#include <math.h>

enum unit { UNIT_BAT, UNIT_PVI, UNIT_PM, UNIT_WB, UNIT_DCDC };

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
    bool present;
    const struct sim_meter *meter = NULL;
    switch (unit) {
    case UNIT_BAT: present = index < c->batteries; break;
    case UNIT_PVI: present = index == 0; break;
    case UNIT_WB: present = index < x->d->wallboxes; break;
    case UNIT_DCDC: present = index < x->d->dcdcs; break;
    default:
        meter = sim_device_meter(x->d, index);
        present = meter != NULL;
        break;
    }
    struct rscp_iter it;
    struct rscp_block sub;
    if (!present) {
        /* The writes to a wallbox the device lacks were received all the
         * same: counted, none applied. */
        if (unit == UNIT_WB) {
            rscp_block_children(req, &it);
            while (rscp_iter_next(&it, &sub) == 1)
                if (sim__is_wb_write(sub.tag))
                    x->d->writes++;
        }
        rscp_put_error(b, rt, SIM_ERR_NOT_AVAILABLE);
        return;
    }
    rscp_put_container_open(b, rt);
    if (unit == UNIT_WB)
        rscp_put_uchar8(b, index_tag, (uint8_t)index);
    else
        rscp_put_uint16(b, index_tag, (uint16_t)index);
    rscp_block_children(req, &it);
    while (rscp_iter_next(&it, &sub) == 1) {
        if (sub.tag == index_tag)
            continue;
        switch (unit) {
        case UNIT_BAT: sim__bat_sub(x, (unsigned)index, &sub); break;
        case UNIT_PVI: sim__pvi_sub(x, &sub); break;
        case UNIT_WB: sim__wb_sub(x, (unsigned)index, &sub); break;
        case UNIT_DCDC: sim__dcdc_sub(x, (unsigned)index, &sub); break;
        default: sim__pm_sub(x, meter, &sub); break;
        }
    }
    rscp_put_container_close(b);
}

void sim__index_container(struct req_ctx *x, const struct rscp_block *req)
{
    if (req->tag == RSCP_TAG_BAT_REQ_DATA)
        index_container(x, req, UNIT_BAT, RSCP_TAG_BAT_INDEX);
    else if (req->tag == RSCP_TAG_PVI_REQ_DATA)
        index_container(x, req, UNIT_PVI, RSCP_TAG_PVI_INDEX);
    else if (req->tag == RSCP_TAG_WB_REQ_DATA)
        index_container(x, req, UNIT_WB, RSCP_TAG_WB_INDEX);
    else if (req->tag == RSCP_TAG_DCDC_REQ_DATA)
        index_container(x, req, UNIT_DCDC, RSCP_TAG_DCDC_INDEX);
    else
        index_container(x, req, UNIT_PM, RSCP_TAG_PM_INDEX);
}
