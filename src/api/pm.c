/* Power meters (PM.REQ_DATA / PM.DATA). */
#include "rscp/pm.h"

#include <string.h>

#include "api/fields.h"
#include "rscp/tag_ids.h"

#define M(tag, kind, member, bit) RSCP__FIELD(tag, kind, struct rscp_pm, member, bit)

static const struct rscp__field pm_fields[] = {
    M(RSCP_TAG_PM_TYPE, RSCP__F_UINT, type, RSCP_PM_TYPE),
    M(RSCP_TAG_PM_POWER_L1, RSCP__F_NUMBER, power[0], RSCP_PM_POWER_L1),
    M(RSCP_TAG_PM_POWER_L2, RSCP__F_NUMBER, power[1], RSCP_PM_POWER_L2),
    M(RSCP_TAG_PM_POWER_L3, RSCP__F_NUMBER, power[2], RSCP_PM_POWER_L3),
    M(RSCP_TAG_PM_VOLTAGE_L1, RSCP__F_NUMBER, voltage[0], RSCP_PM_VOLTAGE_L1),
    M(RSCP_TAG_PM_VOLTAGE_L2, RSCP__F_NUMBER, voltage[1], RSCP_PM_VOLTAGE_L2),
    M(RSCP_TAG_PM_VOLTAGE_L3, RSCP__F_NUMBER, voltage[2], RSCP_PM_VOLTAGE_L3),
    M(RSCP_TAG_PM_ENERGY_L1, RSCP__F_NUMBER, energy[0], RSCP_PM_ENERGY_L1),
    M(RSCP_TAG_PM_ENERGY_L2, RSCP__F_NUMBER, energy[1], RSCP_PM_ENERGY_L2),
    M(RSCP_TAG_PM_ENERGY_L3, RSCP__F_NUMBER, energy[2], RSCP_PM_ENERGY_L3),
    M(RSCP_TAG_PM_ACTIVE_PHASES, RSCP__F_UINT, active_phases, RSCP_PM_ACTIVE_PHASES),
    M(RSCP_TAG_PM_MODE, RSCP__F_UINT, mode, RSCP_PM_MODE),
    M(RSCP_TAG_PM_ERROR_CODE, RSCP__F_UINT, error_code, RSCP_PM_ERROR_CODE),
    M(RSCP_TAG_PM_DEVICE_ID, RSCP__F_UINT, device_id, RSCP_PM_DEVICE_ID),
};
#undef M

static const uint32_t pm_requests[] = {
    RSCP_TAG_PM_REQ_TYPE,          RSCP_TAG_PM_REQ_POWER_L1,   RSCP_TAG_PM_REQ_POWER_L2,
    RSCP_TAG_PM_REQ_POWER_L3,      RSCP_TAG_PM_REQ_VOLTAGE_L1, RSCP_TAG_PM_REQ_VOLTAGE_L2,
    RSCP_TAG_PM_REQ_VOLTAGE_L3,    RSCP_TAG_PM_REQ_ENERGY_L1,  RSCP_TAG_PM_REQ_ENERGY_L2,
    RSCP_TAG_PM_REQ_ENERGY_L3,     RSCP_TAG_PM_REQ_ACTIVE_PHASES, RSCP_TAG_PM_REQ_MODE,
    RSCP_TAG_PM_REQ_ERROR_CODE,    RSCP_TAG_PM_REQ_DEVICE_ID,
};

int rscp_pm_request(struct rscp_builder *b, unsigned index)
{
    if (!b)
        return RSCP_ERR_ARG;
    if (index >= RSCP_PM_MAX_METERS)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_PM_REQ_DATA);
    rscp_put_uint16(b, RSCP_TAG_PM_INDEX, (uint16_t)index);
    for (size_t i = 0; i < RSCP__COUNT(pm_requests); i++)
        rscp_put_none(b, pm_requests[i]);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

struct pm_ctx {
    uint64_t index;
    struct rscp_pm *out;
    bool found;
};

static int pm_unit(void *ctx, uint64_t index, const struct rscp_block *c)
{
    struct pm_ctx *x = ctx;
    if (index != x->index)
        return 0;
    x->found = true;
    return rscp__fields_fill(c, pm_fields, RSCP__COUNT(pm_fields), x->out, &x->out->present,
                             &x->out->device_errors, NULL, NULL);
}

int rscp_pm_parse(const struct rscp_frame *f, unsigned index, struct rscp_pm *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->index = (uint16_t)index;
    struct pm_ctx x = {index, out, false};
    int rc = rscp__each_unit(f, RSCP_TAG_PM_DATA, RSCP_TAG_PM_INDEX, pm_unit, &x, NULL);
    if (rc < 0)
        return rc;
    const uint32_t all = RSCP_PM_POWER_L1 | RSCP_PM_POWER_L2 | RSCP_PM_POWER_L3;
    if ((out->present & all) == all) {
        out->power_total = out->power[0] + out->power[1] + out->power[2];
        out->present |= RSCP_PM_POWER;
    }
    return x.found ? 0 : RSCP_ERR_NOT_FOUND;
}

const char *rscp_pm_type_name(uint64_t type)
{
    static const char *const names[] = {
        "undefined", "root", "additional", "additional production", "additional consumption",
        "farm", "unused", "wallbox", "farm additional",
    };
    return type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}
