/* The power settings: reading them, a checked read-modify-write, and the
 * device's results. */
#include "rscp/settings.h"

#include <stddef.h>
#include <string.h>

#include "api/fields.h"
#include "api/reply.h"
#include "rscp/ems.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

int rscp_power_settings_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp_put_none(b, RSCP_TAG_EMS_REQ_GET_POWER_SETTINGS);
    return rscp_builder_error(b);
}

static uint32_t take_bool(const struct rscp_block *blk, bool *dst, uint32_t bit)
{
    int64_t v;
    if (rscp_block_get_int(blk, &v) != 0)
        return 0;
    *dst = v != 0;
    return bit;
}

static uint32_t take_u32(const struct rscp_block *blk, uint32_t *dst, uint32_t bit)
{
    uint64_t v;
    if (rscp_block_get_uint(blk, &v) != 0 || v > UINT32_MAX)
        return 0;
    *dst = (uint32_t)v;
    return bit;
}

/* One child of EMS.GET_POWER_SETTINGS (a rscp__fields_fill visitor). */
static int take_setting(void *ctx, const struct rscp_block *blk)
{
    struct rscp_power_settings *out = ctx;
    int64_t v;
    switch (blk->tag) {
    case RSCP_TAG_EMS_POWER_LIMITS_USED: out->present |= take_bool(blk, &out->limits_used, RSCP_PS_LIMITS_USED); break;
    case RSCP_TAG_EMS_MAX_CHARGE_POWER: out->present |= take_u32(blk, &out->max_charge, RSCP_PS_MAX_CHARGE); break;
    case RSCP_TAG_EMS_MAX_DISCHARGE_POWER:
        out->present |= take_u32(blk, &out->max_discharge, RSCP_PS_MAX_DISCHARGE);
        break;
    case RSCP_TAG_EMS_DISCHARGE_START_POWER:
        out->present |= take_u32(blk, &out->discharge_start, RSCP_PS_DISCHARGE_START);
        break;
    case RSCP_TAG_EMS_POWERSAVE_ENABLED: out->present |= take_bool(blk, &out->power_save, RSCP_PS_POWER_SAVE); break;
    case RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED:
        out->present |= take_bool(blk, &out->weather_regulated, RSCP_PS_WEATHER);
        break;
    case RSCP_TAG_EMS_WEATHER_FORECAST_MODE:
        if (rscp_block_get_int(blk, &v) == 0 && v >= INT32_MIN && v <= INT32_MAX) {
            out->forecast_mode = (int32_t)v;
            out->present |= RSCP_PS_FORECAST_MODE;
        }
        break;
    default: break;
    }
    return 0;
}

int rscp_power_settings_parse(const struct rscp_frame *f, struct rscp_power_settings *out, uint32_t *device_error)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_block c;
    int rc = rscp__reply_container(f, RSCP_TAG_EMS_GET_POWER_SETTINGS, &c, device_error);
    if (rc != 0)
        return rc;
    return rscp__fields_fill(&c, NULL, 0, out, &out->present, &out->device_errors, take_setting, out);
}

/* One limit of a change against its range; returns 0 or RSCP_ERR_RANGE. */
static int check_limit(uint32_t bit, const char *name, uint32_t value, const struct rscp_sys_specs *specs,
                       int min_spec, int max_spec, struct rscp_limit_violation *v)
{
    int64_t min = 0, max = RSCP_SET_POWER_MAX_W, spec_value;
    int used_spec = -1;
    if (min_spec >= 0 && rscp_sys_spec_get(specs, min_spec, &spec_value) == 0 && spec_value > min)
        min = spec_value;
    if (rscp_sys_spec_get(specs, max_spec, &spec_value) == 0 && spec_value >= 0) {
        max = spec_value;
        used_spec = max_spec;
    }
    if ((int64_t)value >= min && (int64_t)value <= max)
        return 0;
    if (v) {
        v->field = bit;
        v->name = name;
        v->value = value;
        v->min = min;
        v->max = max;
        v->spec = used_spec;
    }
    return RSCP_ERR_RANGE;
}

int rscp_power_settings_check(const struct rscp_power_settings_change *change, const struct rscp_sys_specs *specs,
                              struct rscp_limit_violation *violation)
{
    if (!change)
        return RSCP_ERR_ARG;
    int rc = 0;
    if (change->set & RSCP_PS_MAX_CHARGE)
        rc = check_limit(RSCP_PS_MAX_CHARGE, "max_charge", change->max_charge, specs, -1,
                         RSCP_SPEC_MAX_CHARGE_POWER, violation);
    if (rc == 0 && (change->set & RSCP_PS_MAX_DISCHARGE))
        rc = check_limit(RSCP_PS_MAX_DISCHARGE, "max_discharge", change->max_discharge, specs, -1,
                         RSCP_SPEC_MAX_DISCHARGE_POWER, violation);
    if (rc == 0 && (change->set & RSCP_PS_DISCHARGE_START))
        rc = check_limit(RSCP_PS_DISCHARGE_START, "discharge_start", change->discharge_start, specs,
                         RSCP_SPEC_MIN_START_DISCHARGE_POWER, RSCP_SPEC_MAX_START_DISCHARGE_POWER, violation);
    return rc;
}

#define LIMIT_VALUES (RSCP_PS_MAX_CHARGE | RSCP_PS_MAX_DISCHARGE | RSCP_PS_DISCHARGE_START)
#define LIMIT_GROUP (RSCP_PS_LIMITS_USED | LIMIT_VALUES)

int rscp_power_settings_set_request(struct rscp_builder *b, const struct rscp_power_settings *current,
                                    const struct rscp_power_settings_change *change,
                                    const struct rscp_sys_specs *specs, struct rscp_limit_violation *violation)
{
    if (!b || !current || !change || (change->set & RSCP_PS_WRITABLE) == 0)
        return RSCP_ERR_ARG;
    int rc = rscp_power_settings_check(change, specs, violation);
    if (rc != 0)
        return rc;

    /* The values to send: changed ones from the change, the rest as read. */
    struct rscp_power_settings v = *current;
    uint32_t have = current->present & RSCP_PS_WRITABLE;
    uint32_t set = change->set & RSCP_PS_WRITABLE;
    if (set & RSCP_PS_LIMITS_USED) {
        v.limits_used = change->limits_used;
    } else if (set & LIMIT_VALUES) {
        /* A new limit is meant to apply: with the limits off, re-sending
         * POWER_LIMITS_USED as read would store it without effect. */
        v.limits_used = true;
        set |= RSCP_PS_LIMITS_USED;
    }
    if (set & RSCP_PS_MAX_CHARGE)
        v.max_charge = change->max_charge;
    if (set & RSCP_PS_MAX_DISCHARGE)
        v.max_discharge = change->max_discharge;
    if (set & RSCP_PS_DISCHARGE_START)
        v.discharge_start = change->discharge_start;
    if (set & RSCP_PS_POWER_SAVE)
        v.power_save = change->power_save;
    if (set & RSCP_PS_WEATHER)
        v.weather_regulated = change->weather_regulated;
    have |= set;

    /* The limits travel together: all four, or (when none changes and the
     * device did not report all of them) none. */
    bool send_limits = (have & LIMIT_GROUP) == LIMIT_GROUP;
    if ((set & LIMIT_GROUP) && !send_limits)
        return RSCP_ERR_ARG;

    rscp_put_container_open(b, RSCP_TAG_EMS_REQ_SET_POWER_SETTINGS);
    if (send_limits) {
        rscp_put_bool(b, RSCP_TAG_EMS_POWER_LIMITS_USED, v.limits_used);
        rscp_put_uint32(b, RSCP_TAG_EMS_MAX_CHARGE_POWER, v.max_charge);
        rscp_put_uint32(b, RSCP_TAG_EMS_MAX_DISCHARGE_POWER, v.max_discharge);
        rscp_put_uint32(b, RSCP_TAG_EMS_DISCHARGE_START_POWER, v.discharge_start);
    }
    if (have & RSCP_PS_POWER_SAVE)
        rscp_put_bool(b, RSCP_TAG_EMS_POWERSAVE_ENABLED, v.power_save);
    if (have & RSCP_PS_WEATHER)
        rscp_put_bool(b, RSCP_TAG_EMS_WEATHER_REGULATED_CHARGE_ENABLED, v.weather_regulated);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

static uint32_t take_result(const struct rscp_block *blk, int8_t *dst, uint32_t bit)
{
    int64_t v;
    if (rscp_block_get_int(blk, &v) != 0 || v < INT8_MIN || v > INT8_MAX)
        return 0;
    *dst = (int8_t)v;
    return bit;
}

/* One child of EMS.SET_POWER_SETTINGS (a rscp__fields_fill visitor). */
static int take_result_of(void *ctx, const struct rscp_block *blk)
{
    struct rscp_power_settings_result *out = ctx;
    static const struct {
        uint32_t tag, bit;
        size_t offset;
    } results[] = {
        {RSCP_TAG_EMS_RES_POWER_LIMITS_USED, RSCP_PS_LIMITS_USED, offsetof(struct rscp_power_settings_result, limits_used)},
        {RSCP_TAG_EMS_RES_MAX_CHARGE_POWER, RSCP_PS_MAX_CHARGE, offsetof(struct rscp_power_settings_result, max_charge)},
        {RSCP_TAG_EMS_RES_MAX_DISCHARGE_POWER, RSCP_PS_MAX_DISCHARGE,
         offsetof(struct rscp_power_settings_result, max_discharge)},
        {RSCP_TAG_EMS_RES_DISCHARGE_START_POWER, RSCP_PS_DISCHARGE_START,
         offsetof(struct rscp_power_settings_result, discharge_start)},
        {RSCP_TAG_EMS_RES_POWERSAVE_ENABLED, RSCP_PS_POWER_SAVE, offsetof(struct rscp_power_settings_result, power_save)},
        {RSCP_TAG_EMS_RES_WEATHER_REGULATED_CHARGE_ENABLED, RSCP_PS_WEATHER,
         offsetof(struct rscp_power_settings_result, weather_regulated)},
    };
    for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
        if (results[i].tag == blk->tag)
            out->present |= take_result(blk, (int8_t *)((char *)out + results[i].offset), results[i].bit);
    return 0;
}

int rscp_power_settings_result_parse(const struct rscp_frame *f, struct rscp_power_settings_result *out,
                                     uint32_t *device_error)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_block c;
    int rc = rscp__reply_container(f, RSCP_TAG_EMS_SET_POWER_SETTINGS, &c, device_error);
    if (rc != 0)
        return rc;
    return rscp__fields_fill(&c, NULL, 0, out, &out->present, &out->device_errors, take_result_of, out);
}

const char *rscp_setting_result_name(int code)
{
    switch (code) {
    case RSCP_SETTING_APPLIED: return "applied";
    case RSCP_SETTING_BELOW_RECOMMENDED: return "applied below the recommended limit";
    case RSCP_SETTING_OUT_OF_RANGE: return "out of range";
    case RSCP_SETTING_NOT_POSSIBLE: return "not possible now";
    default: return NULL;
    }
}
