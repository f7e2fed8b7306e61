/* librscp: the current time for frame headers. Kept apart from the pure
 * codec, which takes timestamps from its caller. */
#ifndef RSCP_CLOCK_H
#define RSCP_CLOCK_H

#include "rscp/common.h"
#include "rscp/types.h"

RSCP_BEGIN_DECLS

/* Current wall-clock time (CLOCK_REALTIME). Thread-safe. */
RSCP_API struct rscp_timestamp rscp_timestamp_now(void);

/* Monotonic milliseconds (CLOCK_MONOTONIC), for deadlines. Thread-safe. */
RSCP_API int64_t rscp_monotonic_ms(void);

RSCP_END_DECLS

#endif
