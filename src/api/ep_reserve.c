/* The emergency-power reserve (SE namespace, index 0). */
#include "rscp/control.h"

#include <math.h>
#include <string.h>

#include "api/fields.h"
#include "api/reply.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

int rscp_ep_reserve_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp_put_none(b, RSCP_TAG_SE_REQ_EP_RESERVE);
    return rscp_builder_error(b);
}

static const struct rscp__field reserve_fields[] = {
    RSCP__FIELD(RSCP_TAG_SE_PARAM_EP_RESERVE, RSCP__F_NUMBER, struct rscp_ep_reserve, percent, RSCP_EP_PERCENT),
    RSCP__FIELD(RSCP_TAG_SE_PARAM_EP_RESERVE_W, RSCP__F_NUMBER, struct rscp_ep_reserve, energy_wh, RSCP_EP_ENERGY),
    RSCP__FIELD(RSCP_TAG_SE_PARAM_EP_RESERVE_MAX_W, RSCP__F_NUMBER, struct rscp_ep_reserve, max_wh, RSCP_EP_MAX),
    RSCP__FIELD(RSCP_TAG_SE_PARAM_LAST_SOC, RSCP__F_NUMBER, struct rscp_ep_reserve, last_soc, RSCP_EP_LAST_SOC),
};

int rscp_ep_reserve_parse(const struct rscp_frame *f, struct rscp_ep_reserve *out, uint32_t *device_error)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_block c;
    int rc = rscp__reply_container(f, RSCP_TAG_SE_EP_RESERVE, &c, device_error);
    if (rc != 0)
        return rc;
    return rscp__fields_fill(&c, reserve_fields, RSCP__COUNT(reserve_fields), out, &out->present,
                             &out->device_errors, NULL, NULL);
}

int rscp_ep_reserve_set_request(struct rscp_builder *b, double value, bool as_wh, double max_wh)
{
    if (!b)
        return RSCP_ERR_ARG;
    double max = as_wh ? (max_wh > 0 ? max_wh : (double)RSCP_MANUAL_CHARGE_MAX_WH) : 100.0;
    if (!isfinite(value) || value < 0 || value > max)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_SE_REQ_SET_EP_RESERVE);
    rscp_put_uchar8(b, RSCP_TAG_SE_PARAM_INDEX, 0);
    rscp_put_float32(b, as_wh ? RSCP_TAG_SE_PARAM_EP_RESERVE_W : RSCP_TAG_SE_PARAM_EP_RESERVE, (float)value);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

int rscp_ep_reserve_set_parse(const struct rscp_frame *f, uint32_t *device_error)
{
    if (!f)
        return RSCP_ERR_ARG;
    struct rscp_block blk;
    return rscp__reply_find(f, RSCP_TAG_SE_SET_EP_RESERVE, &blk, device_error);
}
