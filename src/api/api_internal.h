/* Tags used by the typed API, and small shared helpers. Internal header. */
#ifndef RSCP_API_INTERNAL_H
#define RSCP_API_INTERNAL_H

#include "rscp/api.h"

/* EMS */
#define RSCP__EMS_REQ_POWER_PV 0x01000001u
#define RSCP__EMS_REQ_POWER_BAT 0x01000002u
#define RSCP__EMS_REQ_POWER_HOME 0x01000003u
#define RSCP__EMS_REQ_POWER_GRID 0x01000004u
#define RSCP__EMS_REQ_POWER_ADD 0x01000005u
#define RSCP__EMS_REQ_AUTARKY 0x01000006u
#define RSCP__EMS_REQ_SELF_CONSUMPTION 0x01000007u
#define RSCP__EMS_REQ_BAT_SOC 0x01000008u
#define RSCP__EMS_REQ_POWER_WB_ALL 0x0100001Fu
#define RSCP__EMS_REQ_POWER_WB_SOLAR 0x01000020u
#define RSCP__EMS_REQ_STATUS 0x01000040u

/* INFO */
#define RSCP__INFO_REQ_SERIAL_NUMBER 0x0A000001u
#define RSCP__INFO_REQ_PRODUCTION_DATE 0x0A000002u
#define RSCP__INFO_REQ_IP_ADDRESS 0x0A000008u
#define RSCP__INFO_REQ_MAC_ADDRESS 0x0A00000Au
#define RSCP__INFO_REQ_TIME 0x0A00000Eu
#define RSCP__INFO_REQ_UTC_TIME 0x0A00000Fu
#define RSCP__INFO_REQ_TIME_ZONE 0x0A000010u
#define RSCP__INFO_REQ_SW_RELEASE 0x0A000019u

/* DB */
#define RSCP__DB_REQ_HISTORY_DATA_DAY 0x06000100u
#define RSCP__DB_REQ_HISTORY_TIME_START 0x06000101u
#define RSCP__DB_REQ_HISTORY_TIME_INTERVAL 0x06000102u
#define RSCP__DB_REQ_HISTORY_TIME_SPAN 0x06000103u
#define RSCP__DB_SUM_CONTAINER 0x06800010u
#define RSCP__DB_VALUE_CONTAINER 0x06800020u

/* The response tag of a request tag (bit 23 set). */
#define RSCP__RESPONSE(tag) ((uint32_t)(tag) | RSCP_TAG_RESPONSE_BIT)

/* One NONE block (a plain request) per tag of tags[0..n) into b. */
static inline void rscp__put_requests(struct rscp_builder *b, const uint32_t *tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rscp_put_none(b, tags[i]);
}

/* The next top-level block of a reply that is not a device error: ERROR
 * blocks are data, counted in *device_errors and skipped. Returns as
 * rscp_iter_next(): 1, 0 at the end, or a structure error. */
static inline int rscp__next_answer(struct rscp_iter *it, struct rscp_block *blk, uint32_t *device_errors)
{
    int rc;
    while ((rc = rscp_iter_next(it, blk)) == 1 && blk->type == RSCP_TYPE_ERROR)
        (*device_errors)++;
    return rc;
}

#endif
