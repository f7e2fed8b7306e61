/* The monotonic clock in nanoseconds, for the library's own measurements
 * (util/clock.c is the only place the library reads clocks). Internal
 * header. */
#ifndef RSCP_UTIL_CLOCK_H
#define RSCP_UTIL_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds, or -1 when the clock cannot be read.
 * Thread-safe. */
int64_t rscp_util_monotonic_ns(void);

#endif
