/* Wallboxes (WB.REQ_DATA / WB.DATA), the read side. */
#include "rscp/wallbox.h"

#include <string.h>

#include "api/fields.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"

#define W(tag, kind, member, bit) RSCP__FIELD(tag, kind, struct rscp_wallbox, member, bit)

static const struct rscp__field wb_fields[] = {
    W(RSCP_TAG_WB_PM_POWER_L1, RSCP__F_NUMBER, power[0], RSCP_WB_POWER_L1),
    W(RSCP_TAG_WB_PM_POWER_L2, RSCP__F_NUMBER, power[1], RSCP_WB_POWER_L2),
    W(RSCP_TAG_WB_PM_POWER_L3, RSCP__F_NUMBER, power[2], RSCP_WB_POWER_L3),
    W(RSCP_TAG_WB_PM_ENERGY_L1, RSCP__F_NUMBER, energy[0], RSCP_WB_ENERGY_L1),
    W(RSCP_TAG_WB_PM_ENERGY_L2, RSCP__F_NUMBER, energy[1], RSCP_WB_ENERGY_L2),
    W(RSCP_TAG_WB_PM_ENERGY_L3, RSCP__F_NUMBER, energy[2], RSCP_WB_ENERGY_L3),
    W(RSCP_TAG_WB_ENERGY_ALL, RSCP__F_NUMBER, energy_all, RSCP_WB_ENERGY_ALL),
    W(RSCP_TAG_WB_ENERGY_SOLAR, RSCP__F_NUMBER, energy_solar, RSCP_WB_ENERGY_SOLAR),
    W(RSCP_TAG_WB_PM_ACTIVE_PHASES, RSCP__F_UINT, active_phases, RSCP_WB_ACTIVE_PHASES),
    W(RSCP_TAG_WB_NUMBER_PHASES, RSCP__F_UINT, phases, RSCP_WB_PHASES_SET),
    W(RSCP_TAG_WB_MIN_CHARGE_CURRENT, RSCP__F_INT, min_current, RSCP_WB_MIN_CURRENT),
    W(RSCP_TAG_WB_MAX_CHARGE_CURRENT, RSCP__F_INT, max_charge_current, RSCP_WB_MAX_CHARGE_CURRENT),
    W(RSCP_TAG_WB_SOC, RSCP__F_UINT, soc, RSCP_WB_SOC),
    W(RSCP_TAG_WB_KEY_STATE, RSCP__F_UINT, key_state, RSCP_WB_KEY_STATE),
    W(RSCP_TAG_WB_AUTO_PHASE_SWITCH_ENABLED, RSCP__F_BOOL, auto_phase_switch, RSCP_WB_AUTO_PHASE),
};

static const struct rscp__field wb_state_fields[] = {
    W(RSCP_TAG_WB_DEVICE_CONNECTED, RSCP__F_BOOL, connected, RSCP_WB_CONNECTED),
    W(RSCP_TAG_WB_DEVICE_WORKING, RSCP__F_BOOL, working, RSCP_WB_WORKING),
    W(RSCP_TAG_WB_DEVICE_IN_SERVICE, RSCP__F_BOOL, in_service, RSCP_WB_IN_SERVICE),
};
#undef W

static const uint32_t req_state[] = {
    RSCP_TAG_WB_REQ_EXTERN_DATA_ALG, RSCP_TAG_WB_REQ_NUMBER_PHASES, RSCP_TAG_WB_REQ_MIN_CHARGE_CURRENT,
    RSCP_TAG_WB_REQ_MAX_CHARGE_CURRENT, RSCP_TAG_WB_REQ_DEVICE_STATE,
};
static const uint32_t req_power[] = {
    RSCP_TAG_WB_REQ_PM_POWER_L1, RSCP_TAG_WB_REQ_PM_POWER_L2, RSCP_TAG_WB_REQ_PM_POWER_L3,
    RSCP_TAG_WB_REQ_PM_ACTIVE_PHASES, RSCP_TAG_WB_REQ_EXTERN_DATA_SUN,
};
static const uint32_t req_energy[] = {
    RSCP_TAG_WB_REQ_ENERGY_ALL, RSCP_TAG_WB_REQ_ENERGY_SOLAR, RSCP_TAG_WB_REQ_PM_ENERGY_L1,
    RSCP_TAG_WB_REQ_PM_ENERGY_L2, RSCP_TAG_WB_REQ_PM_ENERGY_L3,
};
static const uint32_t req_extra[] = {RSCP_TAG_WB_REQ_SOC, RSCP_TAG_WB_REQ_KEY_STATE};
static const uint32_t req_phase_switch[] = {RSCP_TAG_WB_REQ_AUTO_PHASE_SWITCH_ENABLED};

static void put_all(struct rscp_builder *b, const uint32_t *tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rscp_put_none(b, tags[i]);
}

int rscp_wallbox_request(struct rscp_builder *b, unsigned index, unsigned what)
{
    if (!b || !(what & RSCP_WB_REQ_ALL))
        return RSCP_ERR_ARG;
    if (index >= RSCP_WB_MAX_WALLBOXES)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_WB_REQ_DATA);
    rscp_put_uchar8(b, RSCP_TAG_WB_INDEX, (uint8_t)index);
    if (what & RSCP_WB_REQ_STATE)
        put_all(b, req_state, RSCP__COUNT(req_state));
    if (what & RSCP_WB_REQ_POWER)
        put_all(b, req_power, RSCP__COUNT(req_power));
    if (what & RSCP_WB_REQ_ENERGY)
        put_all(b, req_energy, RSCP__COUNT(req_energy));
    if (what & RSCP_WB_REQ_EXTRA)
        put_all(b, req_extra, RSCP__COUNT(req_extra));
    if (what & RSCP_WB_REQ_PHASE_SWITCH)
        put_all(b, req_phase_switch, RSCP__COUNT(req_phase_switch));
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

/* The EXTERN_DATA byte array inside an EXTERN_DATA_* container. Returns 1
 * with *p, *n; 0 when absent or of another type; or an iteration error. */
static int extern_bytes(const struct rscp_block *c, const uint8_t **p, size_t *n, uint32_t *errors)
{
    struct rscp_iter it;
    struct rscp_block blk;
    int rc, found = 0;
    rscp_block_children(c, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR)
            (*errors)++;
        else if (blk.tag == RSCP_TAG_WB_EXTERN_DATA && !found && rscp_block_get_bytes(&blk, p, n) == 0)
            found = 1;
    }
    return rc < 0 ? rc : found;
}

static int wb_other(void *ctx, const struct rscp_block *blk)
{
    struct rscp_wallbox *out = ctx;
    if (blk->type != RSCP_TYPE_CONTAINER)
        return 0;
    if (blk->tag == RSCP_TAG_WB_DEVICE_STATE)
        return rscp__fields_fill(blk, wb_state_fields, RSCP__COUNT(wb_state_fields), out, &out->present,
                                 &out->device_errors, NULL, NULL);
    if (blk->tag != RSCP_TAG_WB_EXTERN_DATA_ALG && blk->tag != RSCP_TAG_WB_EXTERN_DATA_SUN)
        return 0;
    const uint8_t *p;
    size_t n;
    int rc = extern_bytes(blk, &p, &n, &out->device_errors);
    if (rc <= 0)
        return rc;
    if (blk->tag == RSCP_TAG_WB_EXTERN_DATA_SUN) {
        if (n >= 2) {
            out->power_solar = (double)(p[0] | (unsigned)p[1] << 8);
            out->present |= RSCP_WB_POWER_SOLAR;
        }
        return 0;
    }
    /* A later ALG block replaces an earlier one whole: what it is too short
     * to hold is no longer known. */
    size_t keep = n < RSCP_WB_EXTERN_MAX ? n : RSCP_WB_EXTERN_MAX;
    memcpy(out->alg, p, keep);
    out->alg_len = (uint32_t)n;
    out->present &= ~(uint32_t)(RSCP_WB_STATUS | RSCP_WB_MAX_CURRENT);
    out->status = 0;
    out->plugged = out->locked = out->charging = out->suspended = out->sun_mode = false;
    out->max_current = 0;
    if (n >= 4) {
        out->status = p[2];
        out->plugged = (p[2] & RSCP_WB_ALG_PLUGGED) != 0;
        out->locked = (p[2] & RSCP_WB_ALG_LOCKED) != 0;
        out->charging = (p[2] & RSCP_WB_ALG_CHARGING) != 0;
        out->suspended = (p[2] & RSCP_WB_ALG_SUSPENDED) != 0;
        out->sun_mode = (p[2] & RSCP_WB_ALG_SUN_MODE) != 0;
        out->max_current = p[3];
        out->present |= RSCP_WB_STATUS | RSCP_WB_MAX_CURRENT;
    }
    return 0;
}

struct wb_ctx {
    uint64_t index;
    struct rscp_wallbox *out;
    bool found;
};

static int wb_unit(void *ctx, uint64_t index, const struct rscp_block *c)
{
    struct wb_ctx *x = ctx;
    if (index != x->index)
        return 0;
    x->found = true;
    return rscp__fields_fill(c, wb_fields, RSCP__COUNT(wb_fields), x->out, &x->out->present,
                             &x->out->device_errors, wb_other, x->out);
}

int rscp_wallbox_parse(const struct rscp_frame *f, unsigned index, struct rscp_wallbox *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->index = (uint8_t)index;
    struct wb_ctx x = {index, out, false};
    int rc = rscp__each_unit(f, RSCP_TAG_WB_DATA, RSCP_TAG_WB_INDEX, wb_unit, &x, NULL);
    if (rc < 0)
        return rc;
    const uint32_t all = RSCP_WB_POWER_L1 | RSCP_WB_POWER_L2 | RSCP_WB_POWER_L3;
    if ((out->present & all) == all) {
        out->power_total = out->power[0] + out->power[1] + out->power[2];
        out->present |= RSCP_WB_POWER;
    }
    if (out->present & RSCP_WB_ACTIVE_PHASES)
        for (unsigned k = 0; k < RSCP_WB_PHASES; k++)
            out->phases_in_use += (unsigned)((out->active_phases >> k) & 1u);
    return x.found ? 0 : RSCP_ERR_NOT_FOUND;
}
