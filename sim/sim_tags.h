/* What the simulator needs beyond the generated tag constants of
 * rscp/tag_ids.h (RSCP_TAG_<NAMESPACE>_<NAME>): the reply id of a request
 * and the device error codes that ERROR blocks carry (data/errors.tsv). */
#ifndef SIM_TAGS_H
#define SIM_TAGS_H

#include "rscp/tag_ids.h"
#include "rscp/types.h"

#include <stdint.h>

/* The reply to a request: its id with bit 23 set. */
#define SIM_RESP(req) ((uint32_t)(req) | RSCP_TAG_RESPONSE_BIT)

/* Device error codes carried by ERROR blocks (errors.tsv). */
#define SIM_ERR_NOT_HANDLED 1u
#define SIM_ERR_ACCESS_DENIED 2u
#define SIM_ERR_FORMAT 3u
#define SIM_ERR_AGAIN 4u
#define SIM_ERR_OUT_OF_BOUNDS 5u
#define SIM_ERR_NOT_AVAILABLE 6u
#define SIM_ERR_UNKNOWN_TAG 7u
#define SIM_ERR_ALREADY_IN_USE 8u
#define SIM_ERR_UNEXPECTED UINT32_MAX

#endif
