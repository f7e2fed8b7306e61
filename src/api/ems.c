/* EMS status bits and the SET_POWER override. */
#include "rscp/ems.h"

#include <stdio.h>
#include <string.h>

#include "api/reply.h"
#include "rscp/error.h"
#include "rscp/tag_ids.h"

struct status_bit {
    uint32_t bit;
    const char *id;
    const char *name;
};

static const struct status_bit status_bits[] = {
    {RSCP_EMS_STATUS_CHARGE_LOCKED, "charge_locked", "charging locked"},
    {RSCP_EMS_STATUS_DISCHARGE_LOCKED, "discharge_locked", "discharging locked"},
    {RSCP_EMS_STATUS_EMERGENCY_READY, "emergency_ready", "emergency power available"},
    {RSCP_EMS_STATUS_WEATHER_THROTTLED, "weather_throttled", "charging throttled by weather regulation"},
    {RSCP_EMS_STATUS_FEED_IN_LIMITED, "feed_in_limited", "feed-in limited"},
    {RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD, "charge_idle_period", "charging locked by an idle period"},
    {RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD, "discharge_idle_period", "discharging locked by an idle period"},
};

static const struct status_bit *find_bit(uint32_t bit)
{
    for (size_t i = 0; i < sizeof status_bits / sizeof status_bits[0]; i++)
        if (status_bits[i].bit == bit)
            return &status_bits[i];
    return NULL;
}

const char *rscp_ems_status_bit_name(uint32_t bit)
{
    const struct status_bit *s = find_bit(bit);
    return s ? s->name : NULL;
}

const char *rscp_ems_status_bit_id(uint32_t bit)
{
    const struct status_bit *s = find_bit(bit);
    return s ? s->id : NULL;
}

/* Append text to buf[0..cap) at *len (which counts the whole text, also
 * past cap); the buffer stays NUL-terminated. */
static void append(char *buf, size_t cap, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (buf != NULL && *len + 1 < cap) {
        size_t room = cap - 1 - *len;
        size_t k = n < room ? n : room;
        memcpy(buf + *len, text, k);
        buf[*len + k] = '\0';
    }
    *len += n;
}

size_t rscp_ems_status_format(uint64_t status, char *buf, size_t cap)
{
    size_t len = 0;
    if (buf != NULL && cap > 0)
        buf[0] = '\0';
    if (status == 0) {
        append(buf, cap, &len, "none");
        return len;
    }
    for (size_t i = 0; i < sizeof status_bits / sizeof status_bits[0]; i++) {
        if (status & status_bits[i].bit) {
            if (len > 0)
                append(buf, cap, &len, ", ");
            append(buf, cap, &len, status_bits[i].name);
        }
    }
    uint64_t rest = status & ~(uint64_t)RSCP_EMS_STATUS_KNOWN;
    if (rest != 0) {
        char hex[24];
        snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)rest);
        if (len > 0)
            append(buf, cap, &len, ", ");
        append(buf, cap, &len, hex);
    }
    return len;
}

static const char *const mode_names[] = {"auto", "idle", "discharge", "charge", "grid_charge"};

const char *rscp_power_mode_name(int mode)
{
    if (mode < RSCP_POWER_AUTO || mode > RSCP_POWER_GRID_CHARGE)
        return NULL;
    return mode_names[mode];
}

int rscp_power_mode_lookup(const char *name, int *mode)
{
    if (!name || !mode)
        return RSCP_ERR_ARG;
    for (int i = RSCP_POWER_AUTO; i <= RSCP_POWER_GRID_CHARGE; i++) {
        if (strcmp(name, mode_names[i]) == 0) {
            *mode = i;
            return 0;
        }
    }
    if (strcmp(name, "grid-charge") == 0) {
        *mode = RSCP_POWER_GRID_CHARGE;
        return 0;
    }
    return RSCP_ERR_UNKNOWN_NAME;
}

int rscp_set_power_request(struct rscp_builder *b, int mode, int32_t watts)
{
    if (!b || mode < RSCP_POWER_AUTO || mode > RSCP_POWER_GRID_CHARGE)
        return RSCP_ERR_ARG;
    bool needs_power = mode != RSCP_POWER_AUTO && mode != RSCP_POWER_IDLE;
    if (needs_power ? (watts < 1 || watts > RSCP_SET_POWER_MAX_W) : watts != 0)
        return RSCP_ERR_RANGE;
    rscp_put_container_open(b, RSCP_TAG_EMS_REQ_SET_POWER);
    rscp_put_uchar8(b, RSCP_TAG_EMS_REQ_SET_POWER_MODE, (uint8_t)mode);
    rscp_put_int32(b, RSCP_TAG_EMS_REQ_SET_POWER_VALUE, watts);
    rscp_put_container_close(b);
    return rscp_builder_error(b);
}

int rscp_set_power_parse(const struct rscp_frame *f, int64_t *mirrored, uint32_t *device_error)
{
    if (!f || !mirrored)
        return RSCP_ERR_ARG;
    return rscp__reply_int(f, RSCP_TAG_EMS_SET_POWER, mirrored, device_error);
}
