/* DB history from the device model, one local day at a time. */
#include "history.h"

#include <math.h>
#include <string.h>

unsigned sim_history_count(double interval, double span)
{
    if (interval < SIM_HISTORY_MIN_SECONDS)
        interval = SIM_HISTORY_MIN_SECONDS;
    if (span < SIM_HISTORY_MIN_SECONDS)
        span = SIM_HISTORY_MIN_SECONDS;
    double n = ceil(span / interval - 1e-9);
    if (n > 1e6)
        return 1000000u;
    return (unsigned)n;
}

/* A model positioned inside the local day it was started for. */
struct day_runner {
    struct sim_model m;
    int64_t day;
    bool valid;
};

/* Put the runner at time a (>= its current time within the same day, or
 * restart it at a's local midnight). */
static void runner_seek(struct day_runner *r, const struct sim_config *c, double a)
{
    int64_t day = sim_local_day(&c->tz, (int64_t)floor(a));
    if (!r->valid || r->day != day || r->m.t > a) {
        double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
        sim_model_init_at(&r->m, c, midnight, sim_soc_at_midnight(c, day));
        r->day = day;
        r->valid = true;
    }
    sim_model_advance_to(&r->m, a, SIM_COARSE_STEP);
}

/* Integrate [a, b) into *e, day by day. */
static void integrate(struct day_runner *r, const struct sim_config *c, double a, double b, struct sim_energy *e)
{
    while (a < b) {
        runner_seek(r, c, a);
        double day_end = (double)sim_local_to_utc(&c->tz, (r->day + 1) * 86400);
        double stop = b < day_end ? b : day_end;
        sim_model_integrate(&r->m, stop, SIM_COARSE_STEP, e);
        a = stop;
    }
}

int sim_history_compute(const struct sim_config *c, double now, double start, double interval, unsigned n,
                        struct sim_energy *out, struct sim_energy *sum)
{
    if (n == 0 || n > SIM_HISTORY_MAX_INTERVALS || !(interval > 0.0))
        return -1;
    static const struct sim_energy zero;
    struct day_runner r;
    r.valid = false;
    if (sum)
        *sum = zero;
    for (unsigned i = 0; i < n; i++) {
        double a = start + (double)i * interval;
        double b = a + interval;
        if (b > now)
            b = now;
        out[i] = zero;
        if (a < b)
            integrate(&r, c, a, b, &out[i]);
        if (sum)
            sim_energy_add(sum, &out[i]);
    }
    return 0;
}
