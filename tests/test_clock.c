/* The clock helpers of rscp/clock.h against the system clocks, and the
 * builder taking the frame time from them. */
#include "harness.h"
#include "rscp/builder.h"
#include "rscp/clock.h"
#include "rscp/frame.h"

#include <time.h>

int main(void)
{
    struct timespec a, b;
    clock_gettime(CLOCK_REALTIME, &a);
    struct rscp_timestamp t = rscp_timestamp_now();
    clock_gettime(CLOCK_REALTIME, &b);
    CHECK(t.nanoseconds < 1000000000u);
    CHECK(t.seconds >= (int64_t)a.tv_sec && t.seconds <= (int64_t)b.tv_sec);
    CHECK(t.seconds > 1700000000); /* after 2023-11 */

    clock_gettime(CLOCK_MONOTONIC, &a);
    int64_t m0 = rscp_monotonic_ms();
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK(m0 >= (int64_t)a.tv_sec * 1000 + a.tv_nsec / 1000000);
    CHECK(m0 <= (int64_t)b.tv_sec * 1000 + b.tv_nsec / 1000000);
    struct timespec nap = {0, 20 * 1000000};
    nanosleep(&nap, NULL);
    int64_t m1 = rscp_monotonic_ms();
    CHECK(m1 - m0 >= 20 && m1 - m0 < 5000);

    /* a frame stamped with the current time carries it */
    uint8_t buf[64];
    struct rscp_builder bld;
    t = rscp_timestamp_now();
    CHECK_INT(rscp_builder_begin_frame(&bld, buf, sizeof buf, &t, true), 0);
    rscp_put_none(&bld, 0x01000001u);
    size_t n = 0;
    CHECK_INT(rscp_builder_finish(&bld, &n), 0);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(buf, n, NULL, &f, NULL), 0);
    CHECK_INT(f.seconds, t.seconds);
    CHECK_INT(f.nanoseconds, t.nanoseconds);
    return th_finish();
}
