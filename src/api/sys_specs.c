/* The system specs (EMS.GET_SYS_SPECS), looked up by their wire names. */
#include "rscp/settings.h"

#include <string.h>

#include "api/fields.h"
#include "api/reply.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

static const char *const spec_names[RSCP_SPEC_COUNT] = {
    [RSCP_SPEC_HYBRID_MODE_SUPPORTED] = "hybridModeSupported",
    [RSCP_SPEC_INSTALLED_BATTERY_CAPACITY] = "installedBatteryCapacity",
    [RSCP_SPEC_MAX_AC_POWER] = "maxAcPower",
    [RSCP_SPEC_MAX_BAT_CHARGE_POWER] = "maxBatChargePower",
    [RSCP_SPEC_MAX_BAT_DISCHARGE_POWER] = "maxBatDischargPower",
    [RSCP_SPEC_MAX_CHARGE_POWER] = "maxChargePower",
    [RSCP_SPEC_MAX_DISCHARGE_POWER] = "maxDischargePower",
    [RSCP_SPEC_MAX_FBC_CHARGE_POWER] = "maxFbcChargePower",
    [RSCP_SPEC_MAX_FBC_DISCHARGE_POWER] = "maxFbcDischargePower",
    [RSCP_SPEC_MAX_PV_POWER] = "maxPvPower",
    [RSCP_SPEC_MAX_START_CHARGE_POWER] = "maxStartChargePower",
    [RSCP_SPEC_MAX_START_DISCHARGE_POWER] = "maxStartDischargePower",
    [RSCP_SPEC_MIN_START_CHARGE_POWER] = "minStartChargePower",
    [RSCP_SPEC_MIN_START_DISCHARGE_POWER] = "minStartDischargePower",
    [RSCP_SPEC_RECOMMENDED_MIN_CHARGE] = "recommendedMinChargeLimit",
    [RSCP_SPEC_RECOMMENDED_MIN_DISCHARGE] = "recommendedMinDischargeLimit",
    [RSCP_SPEC_START_CHARGE_DEFAULT] = "startChargeDefault",
    [RSCP_SPEC_START_DISCHARGE_DEFAULT] = "startDischargeDefault",
};

const char *rscp_sys_spec_name(int spec)
{
    return spec >= 0 && spec < RSCP_SPEC_COUNT ? spec_names[spec] : NULL;
}

int rscp_sys_spec_get(const struct rscp_sys_specs *specs, int spec, int64_t *value)
{
    if (!specs || !value || spec < 0 || spec >= RSCP_SPEC_COUNT)
        return RSCP_ERR_ARG;
    if (!(specs->present & (1u << spec)))
        return RSCP_ERR_NOT_FOUND;
    *value = specs->value[spec];
    return 0;
}

int rscp_sys_specs_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp_put_none(b, RSCP_TAG_EMS_REQ_GET_SYS_SPECS);
    return rscp_builder_error(b);
}

/* The spec of a wire name, or -1. */
static int spec_of(const char *name, size_t len)
{
    for (int i = 0; i < RSCP_SPEC_COUNT; i++)
        if (strlen(spec_names[i]) == len && memcmp(spec_names[i], name, len) == 0)
            return i;
    return -1;
}

/* One EMS.SYS_SPEC container into out (a rscp__fields_fill visitor). */
static int take_spec(void *ctx, const struct rscp_block *entry)
{
    struct rscp_sys_specs *out = ctx;
    struct rscp_block name_blk, value_blk;
    const char *name;
    size_t len;
    int64_t v;
    if (entry->tag != RSCP_TAG_EMS_SYS_SPEC || entry->type != RSCP_TYPE_CONTAINER ||
        rscp_block_find(entry, RSCP_TAG_EMS_SYS_SPEC_NAME, &name_blk) != 0 ||
        rscp_block_get_string(&name_blk, &name, &len) != 0)
        return 0;
    int spec = spec_of(name, len);
    if (spec < 0) {
        out->unknown++;
        return 0;
    }
    if (rscp_block_find(entry, RSCP_TAG_EMS_SYS_SPEC_VALUE_INT, &value_blk) != 0 ||
        rscp_block_get_int(&value_blk, &v) != 0)
        return 0;
    out->value[spec] = v;
    out->present |= 1u << spec;
    return 0;
}

int rscp_sys_specs_parse(const struct rscp_frame *f, struct rscp_sys_specs *out, uint32_t *device_error)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_block c;
    int rc = rscp__reply_container(f, RSCP_TAG_EMS_GET_SYS_SPECS, &c, device_error);
    if (rc != 0)
        return rc;
    uint32_t none = 0;
    return rscp__fields_fill(&c, NULL, 0, out, &none, &out->device_errors, take_spec, out);
}
