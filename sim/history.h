/* DB history: energies per interval, integrated from the device model.
 *
 * Each local day is computed on its own: the model starts at the day's
 * local midnight with sim_soc_at_midnight() and is integrated with
 * SIM_COARSE_STEP steps, so a day, a week or a year query agree on every
 * interval, and the sum is exactly the sum of the intervals. Intervals (or
 * their parts) at or after `now` are empty, as on a device. */
#ifndef SIM_HISTORY_H
#define SIM_HISTORY_H

#include "model.h"

#define SIM_HISTORY_MIN_SECONDS 900.0 /* span and interval are raised to this */
#define SIM_HISTORY_MAX_INTERVALS 366u
#define SIM_HISTORY_MAX_SPAN (800.0 * 86400.0) /* bounds the work of one query */

/* Energies of the n intervals [start + i*interval, start + (i+1)*interval),
 * clipped to `now`, into out[0..n); their sum into *sum (may be NULL).
 * start/now are UTC seconds; interval > 0. Returns 0, or -1 when n is 0 or
 * above SIM_HISTORY_MAX_INTERVALS. */
int sim_history_compute(const struct sim_config *c, double now, double start, double interval, unsigned n,
                        struct sim_energy *out, struct sim_energy *sum);

/* Number of intervals for a span: ceil(span / interval), both raised to
 * SIM_HISTORY_MIN_SECONDS first. */
unsigned sim_history_count(double interval, double span);

#endif
