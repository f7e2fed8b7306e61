/* The battery and the wallbox: the EMS settings of rscp/car_modes.h. Each
 * setting is one top-level request and one top-level answer. */
#include "rscp/car_modes.h"

#include <string.h>

#include "api/reply.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

/* One setting: its read request and answer, its set request and answer. */
struct cm_tag {
    uint32_t bit;
    uint32_t get, got, set, was_set;
    uint8_t max;     /* the largest value (1 for the modes, 100 for the %) */
    bool as_bool;    /* the set request is a BOOL (else UCHAR8)            */
};

static const struct cm_tag cm_tags[] = {
    {RSCP_CM_BATTERY_TO_CAR, RSCP_TAG_EMS_REQ_BATTERY_TO_CAR_MODE, RSCP_TAG_EMS_BATTERY_TO_CAR_MODE,
     RSCP_TAG_EMS_REQ_SET_BATTERY_TO_CAR_MODE, RSCP_TAG_EMS_SET_BATTERY_TO_CAR_MODE, 1, false},
    {RSCP_CM_BATTERY_BEFORE_CAR, RSCP_TAG_EMS_REQ_BATTERY_BEFORE_CAR_MODE, RSCP_TAG_EMS_BATTERY_BEFORE_CAR_MODE,
     RSCP_TAG_EMS_REQ_SET_BATTERY_BEFORE_CAR_MODE, RSCP_TAG_EMS_SET_BATTERY_BEFORE_CAR_MODE, 1, false},
    {RSCP_CM_DISCHARGE_UNTIL, RSCP_TAG_EMS_REQ_GET_WB_DISCHARGE_BAT_UNTIL, RSCP_TAG_EMS_GET_WB_DISCHARGE_BAT_UNTIL,
     RSCP_TAG_EMS_REQ_SET_WB_DISCHARGE_BAT_UNTIL, RSCP_TAG_EMS_SET_WB_DISCHARGE_BAT_UNTIL, 100, false},
    {RSCP_CM_ENFORCE_POWER, RSCP_TAG_EMS_REQ_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT,
     RSCP_TAG_EMS_GET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, RSCP_TAG_EMS_REQ_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT,
     RSCP_TAG_EMS_SET_WALLBOX_ENFORCE_POWER_ASSIGNMENT, 1, true},
};
#define N_CM (sizeof cm_tags / sizeof cm_tags[0])

static void cm_store(struct rscp_car_modes *m, uint32_t bit, int64_t v)
{
    switch (bit) {
    case RSCP_CM_BATTERY_TO_CAR: m->battery_to_car = v != 0; break;
    case RSCP_CM_BATTERY_BEFORE_CAR: m->battery_before_car = v != 0; break;
    case RSCP_CM_DISCHARGE_UNTIL: m->discharge_until = (uint8_t)v; break;
    default: m->enforce_power = v != 0; break;
    }
    m->present |= bit;
}

static int64_t cm_value(const struct rscp_car_modes *m, uint32_t bit)
{
    switch (bit) {
    case RSCP_CM_BATTERY_TO_CAR: return m->battery_to_car;
    case RSCP_CM_BATTERY_BEFORE_CAR: return m->battery_before_car;
    case RSCP_CM_DISCHARGE_UNTIL: return m->discharge_until;
    default: return m->enforce_power;
    }
}

int rscp_car_modes_request(struct rscp_builder *b, uint32_t what)
{
    if (!b || !(what & RSCP_CM_ALL))
        return RSCP_ERR_ARG;
    for (size_t i = 0; i < N_CM; i++)
        if (what & cm_tags[i].bit)
            rscp_put_none(b, cm_tags[i].get);
    return rscp_builder_error(b);
}

/* One answer: 1 stored, 0 absent, RSCP_ERR_DEVICE (counted), or an error. */
static int cm_read(const struct rscp_frame *f, uint32_t tag, const struct cm_tag *t, struct rscp_car_modes *out,
                   uint32_t *device_error)
{
    int64_t v = 0;
    int rc = rscp__reply_int(f, tag, &v, device_error);
    if (rc == RSCP_ERR_NOT_FOUND)
        return 0;
    if (rc == RSCP_ERR_DEVICE) {
        out->device_errors++;
        return rc;
    }
    if (rc == RSCP_ERR_TYPE || rc == RSCP_ERR_RANGE || (rc == 0 && (v < 0 || v > t->max))) {
        out->device_errors++; /* an answer, but no usable value */
        return RSCP_ERR_RANGE;
    }
    if (rc != 0)
        return rc;
    cm_store(out, t->bit, v);
    return 1;
}

int rscp_car_modes_parse(const struct rscp_frame *f, struct rscp_car_modes *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    bool any = false;
    for (size_t i = 0; i < N_CM; i++) {
        int rc = cm_read(f, cm_tags[i].got, &cm_tags[i], out, NULL);
        if (rc < 0 && rc != RSCP_ERR_DEVICE && rc != RSCP_ERR_RANGE)
            return rc;
        any = any || rc != 0;
    }
    return any ? 0 : RSCP_ERR_NOT_FOUND;
}

int rscp_car_modes_set_request(struct rscp_builder *b, uint32_t set, const struct rscp_car_modes *want)
{
    if (!b || !want || !(set & RSCP_CM_ALL))
        return RSCP_ERR_ARG;
    if ((set & RSCP_CM_DISCHARGE_UNTIL) && want->discharge_until > 100)
        return RSCP_ERR_RANGE;
    for (size_t i = 0; i < N_CM; i++) {
        const struct cm_tag *t = &cm_tags[i];
        if (!(set & t->bit))
            continue;
        if (t->as_bool)
            rscp_put_bool(b, t->set, cm_value(want, t->bit) != 0);
        else
            rscp_put_uchar8(b, t->set, (uint8_t)cm_value(want, t->bit));
    }
    return rscp_builder_error(b);
}

int rscp_car_modes_set_parse(const struct rscp_frame *f, uint32_t set, const struct rscp_car_modes *want,
                             struct rscp_car_modes *echo, uint32_t *differs, uint32_t *device_error)
{
    if (!f || !want || !echo || !(set & RSCP_CM_ALL))
        return RSCP_ERR_ARG;
    memset(echo, 0, sizeof *echo);
    uint32_t diff = 0;
    int result = 0;
    for (size_t i = 0; i < N_CM; i++) {
        const struct cm_tag *t = &cm_tags[i];
        if (!(set & t->bit))
            continue;
        int rc = cm_read(f, t->was_set, t, echo, device_error);
        if (rc == 1) {
            if (cm_value(echo, t->bit) != cm_value(want, t->bit))
                diff |= t->bit;
            continue;
        }
        if (rc == RSCP_ERR_RANGE) { /* a value, but not one that could be set */
            diff |= t->bit;
            continue;
        }
        if (result == 0 || rc == RSCP_ERR_DEVICE)
            result = rc == 0 ? RSCP_ERR_NOT_FOUND : rc;
    }
    if (differs)
        *differs = diff;
    return result;
}
