/* Wall-clock and monotonic time: the only place the library reads clocks. */
#include "rscp/clock.h"
#include "util/clock.h"

#include <time.h>

struct rscp_timestamp rscp_timestamp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct rscp_timestamp t = {(int64_t)ts.tv_sec, (uint32_t)ts.tv_nsec};
    return t;
}

int64_t rscp_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t rscp_util_monotonic_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
