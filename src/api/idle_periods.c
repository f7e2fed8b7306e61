/* Idle periods: the weekly windows that block charging or discharging. */
#include "rscp/control.h"

#include <string.h>
#include <strings.h>

#include "api/reply.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"
#include "rscp/types.h"
#include "rscp/value.h"

static const char *const day_names[7] = {"monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

const char *rscp_idle_day_name(int day)
{
    return day >= 0 && day < 7 ? day_names[day] : NULL;
}

int rscp_idle_day_lookup(const char *name, int *day)
{
    if (!name || !day)
        return RSCP_ERR_ARG;
    for (int i = 0; i < 7; i++) {
        if (strcasecmp(name, day_names[i]) == 0 || (strlen(name) == 3 && strncasecmp(name, day_names[i], 3) == 0)) {
            *day = i;
            return 0;
        }
    }
    return RSCP_ERR_UNKNOWN_NAME;
}

int rscp_idle_periods_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp_put_none(b, RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS);
    rscp_put_none(b, RSCP_TAG_EMS_REQ_GET_IDLE_PERIODS_ENABLE);
    return rscp_builder_error(b);
}

bool rscp_idle_period_empty(const struct rscp_idle_period *p)
{
    return p && p->start_hour == 0 && p->start_minute == 0 && p->end_hour == 0 && p->end_minute == 0;
}

int rscp_idle_period_check(const struct rscp_idle_period *p, const char **what)
{
    const char *bad = NULL;
    if (!p)
        return RSCP_ERR_ARG;
    if (p->day > 6)
        bad = "day";
    else if (p->type > RSCP_IDLE_DISCHARGE)
        bad = "type";
    else if (p->start_hour > 23 || p->start_minute > 59)
        bad = "start";
    else if (p->end_hour > 23 || p->end_minute > 59)
        bad = "end";
    else if (!rscp_idle_period_empty(p) && p->start_hour * 60 + p->start_minute >= p->end_hour * 60 + p->end_minute)
        bad = "start after end";
    if (what)
        *what = bad;
    return bad ? RSCP_ERR_RANGE : 0;
}

/* Hour and minute of an IDLE_PERIOD_START / _END container; false when
 * either is missing. */
static bool take_time(const struct rscp_block *c, uint8_t *hour, uint8_t *minute)
{
    struct rscp_block h, m;
    uint64_t hv, mv;
    if (c->type != RSCP_TYPE_CONTAINER || rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, &h) != 0 ||
        rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, &m) != 0 || rscp_block_get_uint(&h, &hv) != 0 ||
        rscp_block_get_uint(&m, &mv) != 0 || hv > 23 || mv > 59)
        return false;
    *hour = (uint8_t)hv;
    *minute = (uint8_t)mv;
    return true;
}

/* One EMS.IDLE_PERIOD container; false when a field is missing or out of
 * range (the end may equal or precede the start on a device: kept). */
static bool take_period(const struct rscp_block *c, struct rscp_idle_period *p)
{
    struct rscp_block blk;
    uint64_t type, day;
    int64_t active;
    memset(p, 0, sizeof *p);
    if (rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, &blk) != 0 || rscp_block_get_uint(&blk, &type) != 0 ||
        type > RSCP_IDLE_DISCHARGE)
        return false;
    if (rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_DAY, &blk) != 0 || rscp_block_get_uint(&blk, &day) != 0 ||
        day > 6)
        return false;
    if (rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, &blk) != 0 || rscp_block_get_int(&blk, &active) != 0)
        return false;
    if (rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_START, &blk) != 0 ||
        !take_time(&blk, &p->start_hour, &p->start_minute))
        return false;
    if (rscp_block_find(c, RSCP_TAG_EMS_IDLE_PERIOD_END, &blk) != 0 || !take_time(&blk, &p->end_hour, &p->end_minute))
        return false;
    p->type = (uint8_t)type;
    p->day = (uint8_t)day;
    p->active = active != 0;
    return true;
}

int rscp_idle_periods_parse(const struct rscp_frame *f, struct rscp_idle_periods *out, uint32_t *device_error)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);
    struct rscp_block blk;
    int64_t v;
    int rc = rscp__reply_find(f, RSCP_TAG_EMS_GET_IDLE_PERIODS_ENABLE, &blk, NULL);
    if (rc == 0 && rscp_block_get_int(&blk, &v) == 0) {
        out->enabled = v != 0;
        out->enabled_present = true;
    } else if (rc == RSCP_ERR_DEVICE) {
        out->device_errors++;
    } else if (rc < 0 && rc != RSCP_ERR_NOT_FOUND) {
        return rc;
    }

    struct rscp_block list;
    rc = rscp__reply_container(f, RSCP_TAG_EMS_GET_IDLE_PERIODS, &list, device_error);
    if (rc == RSCP_ERR_DEVICE)
        out->device_errors++;
    if (rc != 0)
        return rc == RSCP_ERR_NOT_FOUND && out->enabled_present ? 0 : rc;
    out->periods_present = true;
    struct rscp_iter it;
    rscp_block_children(&list, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1) {
        if (blk.type == RSCP_TYPE_ERROR) {
            out->device_errors++;
            continue;
        }
        if (blk.tag != RSCP_TAG_EMS_IDLE_PERIOD)
            continue;
        out->reported++;
        struct rscp_idle_period p;
        if (!take_period(&blk, &p))
            out->skipped++;
        else if (out->count < RSCP_IDLE_PERIODS_MAX)
            out->period[out->count++] = p;
    }
    return rc;
}

int rscp_idle_periods_set_request(struct rscp_builder *b, const struct rscp_idle_period *periods, size_t n,
                                  size_t *bad)
{
    if (!b || !periods || n == 0 || n > RSCP_IDLE_PERIODS_MAX)
        return RSCP_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        if (rscp_idle_period_check(&periods[i], NULL) != 0) {
            if (bad)
                *bad = i;
            return RSCP_ERR_RANGE;
        }
    }
    rscp_put_container_open(b, RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS);
    for (size_t i = 0; i < n; i++) {
        const struct rscp_idle_period *p = &periods[i];
        rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_TYPE, p->type);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_DAY, p->day);
        rscp_put_bool(b, RSCP_TAG_EMS_IDLE_PERIOD_ACTIVE, p->active);
        rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD_START);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, p->start_hour);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, p->start_minute);
        rscp_put_container_close(b);
        rscp_put_container_open(b, RSCP_TAG_EMS_IDLE_PERIOD_END);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_HOUR, p->end_hour);
        rscp_put_uchar8(b, RSCP_TAG_EMS_IDLE_PERIOD_MINUTE, p->end_minute);
        rscp_put_container_close(b);
        rscp_put_container_close(b);
    }
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

int rscp_idle_periods_set_parse(const struct rscp_frame *f, int64_t *result, uint32_t *device_error)
{
    if (!f || !result)
        return RSCP_ERR_ARG;
    return rscp__reply_int(f, RSCP_TAG_EMS_SET_IDLE_PERIODS, result, device_error);
}

int rscp_idle_periods_enable_request(struct rscp_builder *b, bool on)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp_put_bool(b, RSCP_TAG_EMS_REQ_SET_IDLE_PERIODS_ENABLE, on);
    return rscp_builder_error(b);
}

int rscp_idle_periods_enable_parse(const struct rscp_frame *f, bool *on, uint32_t *device_error)
{
    if (!f || !on)
        return RSCP_ERR_ARG;
    int64_t v;
    int rc = rscp__reply_int(f, RSCP_TAG_EMS_SET_IDLE_PERIODS_ENABLE, &v, device_error);
    if (rc == 0)
        *on = v != 0;
    return rc;
}
