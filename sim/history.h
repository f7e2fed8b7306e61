/* DB history: energies per interval, from the device model's run of each
 * local day.
 *
 * A local day's history is one run of the model: it starts at the day's
 * local midnight with sim_soc_at_midnight() and steps in SIM_COARSE_STEP
 * steps (276, 288 or 300 of them: 23, 24 or 25 hours on the days the
 * clocks change). struct sim_history_day records that run: the flows held
 * during each step, the battery level at each step's start, and the
 * energies of each hour from midnight (its 12 steps added in time order,
 * into a zeroed sum). Everything a query asks for is read from these
 * records; nothing is integrated per query, so a query's cost is bounded
 * by its number of days and intervals (SIM_HISTORY_MAX_SPAN,
 * SIM_HISTORY_MAX_INTERVALS) once the records exist.
 *
 * An interval's energies are the sum, in time order, of its blocks: its
 * part of each hour of each local day. A whole hour is the recorded hour;
 * a part of an hour adds the energies of its steps in time order into a
 * zeroed sum. A step cut by the part's ends (an interval boundary or `now`
 * off the step grid) counts in proportion to the seconds inside, as its
 * flows are held for the step. Parts at or after `now` are empty, as on a
 * device. So a day, a week or a year query agree on every interval, the
 * sum is exactly the sum of the intervals, and the result does not depend
 * on the order of queries or on any cache. (Up to the rework that
 * introduced the records, a boundary off the step grid restarted the steps
 * there: values of such queries moved within rounding of a step.)
 *
 * Consistency with the live model (what sim_handle serves as readings):
 * - History is a function of the configuration and `now` alone, whatever
 *   the live model did or was asked to do.
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
 * Where the records come from: sim_history_compute() computes each day it
 * needs: two runs of model steps (the battery level at midnight comes from
 * a run of the day before) over inputs computed once per day and shared
 * between them (struct sim_history_work), about 0.35 ms a day. A struct
 * sim_history_store keeps the records of a range of days for a device;
 * sim_history_store_fill() fills it ahead of time (the simulator runs it
 * on a background thread), and a query computes and keeps a missing day
 * itself. */
#ifndef SIM_HISTORY_H
#define SIM_HISTORY_H

#include "model.h"

#include <stdatomic.h>

#define SIM_HISTORY_MIN_SECONDS 900.0 /* span and interval are raised to this */
#define SIM_HISTORY_MAX_INTERVALS 366u
#define SIM_HISTORY_MAX_SPAN (800.0 * 86400.0) /* bounds the work of one query */

#define SIM_HISTORY_DAY_HOURS 25u /* the longest local day */
#define SIM_HISTORY_DAY_STEPS 300u /* its SIM_COARSE_STEP steps */

/* One step of a day's run: the flows held during it (W) and the battery
 * energy at its start (Wh). */
struct sim_history_step {
    int32_t pv, add, home, wb, wb_solar, bat, grid;
    double bat_wh;
};

/* The run of one local day. */
struct sim_history_day {
    int64_t day;         /* local day number                          */
    double midnight;     /* UTC seconds of its local midnight         */
    unsigned steps;      /* 276, 288 or 300                           */
    double soc_wh;       /* sim_soc_at_midnight(cfg, day)             */
    struct sim_energy hour[SIM_HISTORY_DAY_HOURS]; /* [midnight + h h, +1 h) */
    struct sim_history_step step[SIM_HISTORY_DAY_STEPS];
};

/* The exogenous inputs of one local day's steps (sim_inputs_at at each
 * step's start, sim_after_at at its end): what costs in a run (the sun,
 * clouds, the house load). The day's own run and the run of the day that
 * gives the next day's midnight battery level share them. */
struct sim_day_inputs {
    int64_t day;
    unsigned steps;    /* 0: nothing computed */
    struct sim_inputs in[SIM_HISTORY_DAY_STEPS];
    struct sim_after after[SIM_HISTORY_DAY_STEPS];
};

/* Working memory of computing days: the inputs of the two days the last
 * computation needed (a run of day d uses days d-1 and d, so consecutive
 * days in either direction compute each day's inputs once). All zero
 * bytes is empty; one per thread. */
struct sim_history_work {
    struct sim_day_inputs in[2];
    struct sim_history_day day; /* a day computed outside a store */
};

/* The run of local day `day` under configuration c into *out; w (its
 * inputs) must have been used with c only (or be empty). Bit for bit what
 * sim_model_init_at(midnight, sim_soc_at_midnight(c, day)) and
 * sim_model_step(SIM_COARSE_STEP) give. */
void sim_history_day_compute(const struct sim_config *c, int64_t day, struct sim_history_work *w,
                             struct sim_history_day *out);

/* Records of the local days [first_day, first_day + ndays) for one
 * configuration, each computed once. Safe to use from two threads at once
 * (a filler and a query); a record, once there, never changes. */
struct sim_history_store;

/* Days of a store allocated together (about 14 KiB a day). */
#define SIM_HISTORY_CHUNK_DAYS 16u

/* A store for c (copied) and ndays days from first_day (ndays >= 1). The
 * records are allocated SIM_HISTORY_CHUNK_DAYS days at a time when the
 * first of them is computed, so an unused store costs about 1.5 bytes a
 * day. NULL when out of memory. */
struct sim_history_store *sim_history_store_new(const struct sim_config *c, int64_t first_day, unsigned ndays);

/* Free s (NULL accepted); nobody may use it any more. */
void sim_history_store_free(struct sim_history_store *s);

/* Compute the missing days of s from `newest` (clamped to the range) back
 * to the first day, until done or *stop is set (checked between days).
 * Days after `newest` are left to the queries that reach them. For a
 * background thread. */
void sim_history_store_fill(struct sim_history_store *s, int64_t newest, const atomic_int *stop);

/* How many days of s are ready, and how many it holds. */
unsigned sim_history_store_ready(const struct sim_history_store *s);
unsigned sim_history_store_days(const struct sim_history_store *s);

/* Energies of the n intervals [start + i*interval, start + (i+1)*interval),
 * clipped to `now`, into out[0..n); their sum into *sum (may be NULL).
 * start/now are UTC seconds; interval > 0. Local days before first_day
 * count as empty (the device's database starts there; INT64_MIN: none).
 * Days come from store (may be NULL; it must be for configuration c) or
 * are computed with *w (used with c only). Returns 0, or -1 when n is 0 or
 * above SIM_HISTORY_MAX_INTERVALS or interval is not positive. */
int sim_history_compute_from(struct sim_history_store *store, struct sim_history_work *w,
                             const struct sim_config *c, int64_t first_day, double now, double start,
                             double interval, unsigned n, struct sim_energy *out, struct sim_energy *sum);

/* sim_history_compute_from() without a store or a first day (working
 * memory on the heap). Returns -1 also when out of memory. */
int sim_history_compute(const struct sim_config *c, double now, double start, double interval, unsigned n,
                        struct sim_energy *out, struct sim_energy *sum);

/* Number of intervals for a span: ceil(span / interval), both raised to
 * SIM_HISTORY_MIN_SECONDS first. */
unsigned sim_history_count(double interval, double span);

#endif
