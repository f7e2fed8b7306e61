/* DB history: energies per interval, integrated from the device model.
 *
 * Each local day is computed on its own: the model starts at the day's
 * local midnight with sim_soc_at_midnight() and is integrated with
 * SIM_COARSE_STEP steps. An interval's energies are the sum, in time
 * order, of its blocks: its parts of each hour of each local day (hours
 * counted from local midnight, so 23 or 25 on the days the clocks
 * change), each block integrated into its own zeroed accumulator. So a
 * day, a week or a year query agree on every interval, and the sum is
 * exactly the sum of the intervals. Intervals (or their parts) at or after
 * `now` are empty, as on a device.
 *
 * Consistency with the live model (what sim_handle serves as readings):
 * - History is a function of the configuration and `now` alone: the
 *   energies of a period whose ends lie on the SIM_COARSE_STEP grid of
 *   its local day (every whole quarter hour does) are the same in every
 *   query, cached or not, whatever the live model did or was asked to do.
 *   (A query whose start is off that grid steps off it for the rest of
 *   the day, which changes its values within rounding of the step.)
 * - The handler clips history at the live model's time, so no interval
 *   reports energy after the instant the readings describe.
 * - At its start instant the live model (sim_model_init) is exactly the
 *   history's start day integrated up to that instant: same midnight
 *   battery level, same coarse steps, so its battery level, car state and
 *   today's counters match the history of [midnight, start) to rounding.
 * - After that nothing ties them together. The live model runs with finer
 *   steps and honours controls set by requests (SET_POWER, power limits,
 *   battery-before-car), which history ignores (it uses the default
 *   controls); and through a local midnight its battery level carries
 *   over, while history restarts every day at sim_soc_at_midnight(). So
 *   the live state of charge, the day counters (EMS/PVI day energies) and
 *   yesterday's totals can differ from the history of the same day, the
 *   more so the longer the live model has run.
 *
 * A struct sim_history_cache memoizes what does not depend on the query:
 * a local day's battery level at midnight and the energies of its whole
 * hours. Repeated and overlapping queries whose intervals start on whole
 * hours (days, weeks, also across a change of summer time) then skip the
 * integration; results are bit for bit those of the uncached path. */
#ifndef SIM_HISTORY_H
#define SIM_HISTORY_H

#include "model.h"

#define SIM_HISTORY_MIN_SECONDS 900.0 /* span and interval are raised to this */
#define SIM_HISTORY_MAX_INTERVALS 366u
#define SIM_HISTORY_MAX_SPAN (800.0 * 86400.0) /* bounds the work of one query */

/* Days a cache holds (a power of two, above the 366 days of a year). */
#define SIM_HISTORY_CACHE_DAYS 512u
#define SIM_HISTORY_DAY_HOURS 25u /* the longest local day */

/* What the cache knows about one local day. */
struct sim_history_day {
    int64_t day;                 /* local day number                        */
    bool has_soc;                /* soc_wh is known                         */
    uint32_t hours;              /* bit h: hour[h] is known                 */
    double soc_wh;               /* sim_soc_at_midnight(cfg, day)           */
    struct sim_energy hour[SIM_HISTORY_DAY_HOURS]; /* [midnight + h h, +1 h) */
};

/* A direct-mapped memo of per-day results for one configuration: day d
 * lives in slot d mod SIM_HISTORY_CACHE_DAYS (about 1.1 MiB in all). Used
 * with another configuration it empties itself first. All zero bytes is
 * an empty cache. Not thread-safe: one cache per device. */
struct sim_history_cache {
    struct sim_config cfg;       /* the configuration of the entries        */
    bool has_cfg;
    uint64_t hits, misses;       /* whole-hour lookups, for measurements    */
    struct sim_history_day slot[SIM_HISTORY_CACHE_DAYS];
};

/* Empty *hc (the same as zeroing it). */
void sim_history_cache_init(struct sim_history_cache *hc);

/* Energies of the n intervals [start + i*interval, start + (i+1)*interval),
 * clipped to `now`, into out[0..n); their sum into *sum (may be NULL).
 * start/now are UTC seconds; interval > 0. hc (may be NULL: no cache)
 * memoizes per-day results. Returns 0, or -1 when n is 0 or above
 * SIM_HISTORY_MAX_INTERVALS. */
int sim_history_compute_cached(struct sim_history_cache *hc, const struct sim_config *c, double now, double start,
                               double interval, unsigned n, struct sim_energy *out, struct sim_energy *sum);

/* sim_history_compute_cached() without a cache. */
int sim_history_compute(const struct sim_config *c, double now, double start, double interval, unsigned n,
                        struct sim_energy *out, struct sim_energy *sum);

/* Number of intervals for a span: ceil(span / interval), both raised to
 * SIM_HISTORY_MIN_SECONDS first. */
unsigned sim_history_count(double interval, double span);

#endif
