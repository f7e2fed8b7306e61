/* System information: INFO requests in one frame and their reply. */
#include "api/api_internal.h"

#include <string.h>

static const uint32_t info_requests[] = {
    RSCP_TAG_INFO_REQ_SERIAL_NUMBER, RSCP_TAG_INFO_REQ_PRODUCTION_DATE, RSCP_TAG_INFO_REQ_SW_RELEASE,
    RSCP_TAG_INFO_REQ_MAC_ADDRESS,   RSCP_TAG_INFO_REQ_IP_ADDRESS,      RSCP_TAG_INFO_REQ_TIME_ZONE,
    RSCP_TAG_INFO_REQ_TIME,          RSCP_TAG_INFO_REQ_UTC_TIME,
};

int rscp_info_request(struct rscp_builder *b)
{
    if (!b)
        return RSCP_ERR_ARG;
    rscp__put_requests(b, info_requests, sizeof info_requests / sizeof info_requests[0]);
    return rscp_builder_error(b);
}

/* Copy a CSTRING value into dst[RSCP_INFO_STR_MAX]; returns bit or 0. */
static uint32_t take_string(const struct rscp_block *blk, char *dst, uint32_t bit)
{
    const char *s;
    size_t n;
    if (rscp_block_get_string(blk, &s, &n) != 0)
        return 0;
    const char *nul = n ? memchr(s, '\0', n) : NULL;
    if (nul)
        n = (size_t)(nul - s);
    if (n > RSCP_INFO_STR_MAX - 1u)
        n = RSCP_INFO_STR_MAX - 1u;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
    return bit;
}

static uint32_t take_time(const struct rscp_block *blk, struct rscp_timestamp *dst, uint32_t bit)
{
    if (rscp_block_get_timestamp(blk, dst) == 0)
        return bit;
    /* Some firmware sends plain seconds. */
    int64_t s;
    if (rscp_block_get_int(blk, &s) == 0) {
        dst->seconds = s;
        dst->nanoseconds = 0;
        return bit;
    }
    return 0;
}

int rscp_info_parse(const struct rscp_frame *f, struct rscp_info *out)
{
    if (!f || !out)
        return RSCP_ERR_ARG;
    memset(out, 0, sizeof *out);

    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_frame_iter(f, &it);
    const size_t n_req = sizeof info_requests / sizeof info_requests[0];
    while ((rc = rscp__next_answer(&it, &blk, info_requests, n_req, &out->device_errors)) == 1) {
        uint32_t got = 0;
        switch (blk.tag) {
        case RSCP_TAG_INFO_SERIAL_NUMBER:
            got = take_string(&blk, out->serial, RSCP_INFO_SERIAL);
            break;
        case RSCP_TAG_INFO_PRODUCTION_DATE:
            got = take_string(&blk, out->production_date, RSCP_INFO_PRODUCTION_DATE);
            break;
        case RSCP_TAG_INFO_SW_RELEASE:
            got = take_string(&blk, out->sw_release, RSCP_INFO_SW_RELEASE);
            break;
        case RSCP_TAG_INFO_MAC_ADDRESS: got = take_string(&blk, out->mac, RSCP_INFO_MAC); break;
        case RSCP_TAG_INFO_IP_ADDRESS: got = take_string(&blk, out->ip, RSCP_INFO_IP); break;
        case RSCP_TAG_INFO_TIME_ZONE:
            got = take_string(&blk, out->time_zone, RSCP_INFO_TIME_ZONE);
            break;
        case RSCP_TAG_INFO_TIME: got = take_time(&blk, &out->time, RSCP_INFO_TIME); break;
        case RSCP_TAG_INFO_UTC_TIME:
            got = take_time(&blk, &out->utc_time, RSCP_INFO_UTC_TIME);
            break;
        default:
            break;
        }
        out->present |= got;
    }
    return rc < 0 ? rc : 0;
}

int rscp_info_utc_offset(const struct rscp_info *info, int32_t *offset)
{
    if (!info || !offset)
        return RSCP_ERR_ARG;
    if ((info->present & (RSCP_INFO_TIME | RSCP_INFO_UTC_TIME)) != (RSCP_INFO_TIME | RSCP_INFO_UTC_TIME))
        return RSCP_ERR_NOT_FOUND;
    /* Timestamps are peer data: subtract only when the difference is
     * within a few days (no int64_t overflow for extreme values). */
    int64_t local = info->time.seconds, utc = info->utc_time.seconds;
    const int64_t far = 2 * 86400;
    if ((utc < 0 && local > INT64_MAX + utc - far) || (utc >= 0 && local < INT64_MIN + utc + far))
        return RSCP_ERR_RANGE;
    int64_t diff = local - utc;
    if (diff > far || diff < -far)
        return RSCP_ERR_RANGE;
    /* The two readings are taken a moment apart: round to 15 minutes. */
    const int64_t q = 900;
    int64_t r = diff >= 0 ? (diff + q / 2) / q * q : -((-diff + q / 2) / q * q);
    if (r > 86400 || r < -86400)
        return RSCP_ERR_RANGE;
    *offset = (int32_t)r;
    return 0;
}
