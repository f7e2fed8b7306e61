/* Manual charge: the start request and the state that tells whether the
 * device followed it. */
#include "rscp/control.h"

#include <string.h>

#include "api/fields.h"
#include "api/reply.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

int rscp_manual_charge_start_request(struct rscp_builder *b, uint32_t wh)
{
    if (!b)
        return RSCP_ERR_ARG;
    if (wh < 1 || wh > RSCP_MANUAL_CHARGE_MAX_WH)
        return RSCP_ERR_RANGE;
    rscp_put_uint32(b, RSCP_TAG_EMS_REQ_START_MANUAL_CHARGE, wh);
    return rscp_builder_error(b);
}

int rscp_manual_charge_start_parse(const struct rscp_frame *f, bool *accepted, uint32_t *device_error)
{
    if (!f || !accepted)
        return RSCP_ERR_ARG;
    int64_t v;
    int rc = rscp__reply_int(f, RSCP_TAG_EMS_START_MANUAL_CHARGE, &v, device_error);
    if (rc == 0)
        *accepted = v != 0;
    return rc;
}

int rscp_manual_charge_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp_put_none(b, RSCP_TAG_EMS_REQ_GET_MANUAL_CHARGE);
    return rscp_builder_error(b);
}

static const struct rscp__field charge_fields[] = {
    RSCP__FIELD(RSCP_TAG_EMS_MANUAL_CHARGE_ACTIVE, RSCP__F_BOOL, struct rscp_manual_charge, active, RSCP_MC_ACTIVE),
    RSCP__FIELD(RSCP_TAG_EMS_MANUAL_CHARGE_ENERGY_COUNTER, RSCP__F_NUMBER, struct rscp_manual_charge, energy_wh,
                RSCP_MC_ENERGY),
    RSCP__FIELD(RSCP_TAG_EMS_MANUAL_CHARGE_START_COUNTER, RSCP__F_INT, struct rscp_manual_charge, start_counter,
                RSCP_MC_START_COUNTER),
};

/* The one field the table has no kind for: the time of the last start. */
static int take_last_start(void *ctx, const struct rscp_block *blk)
{
    struct rscp_manual_charge *out = ctx;
    if (blk->tag == RSCP_TAG_EMS_MANUAL_CHARGE_LASTSTART && rscp_block_get_timestamp(blk, &out->last_start) == 0)
        out->present |= RSCP_MC_LAST_START;
    return 0;
}

int rscp_manual_charge_parse(const struct rscp_frame *f, struct rscp_manual_charge *out, uint32_t *device_error)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_block c;
    int rc = rscp__reply_container(f, RSCP_TAG_EMS_GET_MANUAL_CHARGE, &c, device_error);
    if (rc != 0)
        return rc;
    return rscp__fields_fill(&c, charge_fields, RSCP__COUNT(charge_fields), out, &out->present, &out->device_errors,
                             take_last_start, out);
}

static bool later(const struct rscp_timestamp *a, const struct rscp_timestamp *b)
{
    return a->seconds > b->seconds || (a->seconds == b->seconds && a->nanoseconds > b->nanoseconds);
}

int rscp_manual_charge_started(const struct rscp_manual_charge *before, const struct rscp_manual_charge *after,
                               bool *started)
{
    if (!before || !after || !started)
        return RSCP_ERR_ARG;
    uint32_t both = before->present & after->present;
    if (!(both & (RSCP_MC_START_COUNTER | RSCP_MC_LAST_START)))
        return RSCP_ERR_NOT_FOUND;
    /* Not after->active: a start taken may already be over (full battery). */
    *started = ((both & RSCP_MC_START_COUNTER) && after->start_counter > before->start_counter) ||
               ((both & RSCP_MC_LAST_START) && later(&after->last_start, &before->last_start));
    return 0;
}
