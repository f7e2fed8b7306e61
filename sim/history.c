/* DB history from the device model, one local day and one hour block at a
 * time, with an optional memo of per-day results. */
#include "history.h"

#include <math.h>
#include <string.h>

#define HOUR 3600.0

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

void sim_history_cache_init(struct sim_history_cache *hc)
{
    memset(hc, 0, sizeof *hc);
}

/* The cache entry for `day` under configuration c, claimed (and emptied)
 * when it holds another day; NULL without a cache. */
static struct sim_history_day *cache_slot(struct sim_history_cache *hc, const struct sim_config *c, int64_t day)
{
    if (!hc)
        return NULL;
    if (!hc->has_cfg || !sim_config_same(&hc->cfg, c)) {
        memset(hc->slot, 0, sizeof hc->slot);
        hc->cfg = *c;
        hc->has_cfg = true;
    }
    struct sim_history_day *e = &hc->slot[(uint64_t)day & (SIM_HISTORY_CACHE_DAYS - 1u)];
    if (e->day != day) {
        memset(e, 0, sizeof *e);
        e->day = day;
    }
    return e;
}

/* Battery energy at the local midnight that starts `day`. */
static double midnight_soc(struct sim_history_cache *hc, const struct sim_config *c, int64_t day)
{
    struct sim_history_day *e = cache_slot(hc, c, day);
    if (e && e->has_soc)
        return e->soc_wh;
    double wh = sim_soc_at_midnight(c, day);
    if (e) {
        e->soc_wh = wh;
        e->has_soc = true;
    }
    return wh;
}

/* A model positioned inside the local day it was started for. on_grid:
 * it has stopped only at multiples of SIM_COARSE_STEP after midnight, so
 * its state is the one of the day's run straight from midnight. */
struct day_runner {
    struct sim_model m;
    int64_t day;
    double midnight;
    bool valid, on_grid;
    struct sim_history_cache *cache; /* may be NULL */
};

static bool is_on_grid(double t, double midnight)
{
    return fmod(t - midnight, SIM_COARSE_STEP) == 0.0;
}

/* Whether seeking the runner to a on `day` restarts it at midnight. */
static bool runner_restarts(const struct day_runner *r, int64_t day, double a)
{
    return !r->valid || r->day != day || r->m.t > a;
}

/* Put the runner at time a of `day` (continuing, or restarted at the
 * day's midnight). */
static void runner_seek(struct day_runner *r, const struct sim_config *c, double a, int64_t day, double midnight)
{
    if (runner_restarts(r, day, a)) {
        sim_model_init_at(&r->m, c, midnight, midnight_soc(r->cache, c, day));
        r->day = day;
        r->midnight = midnight;
        r->valid = true;
        r->on_grid = true;
    }
    sim_model_advance_to(&r->m, a, SIM_COARSE_STEP);
    r->on_grid = r->on_grid && is_on_grid(a, midnight);
}

/* Energies of [a, b), a part of hour `hour` of `day`, into *out (zeroed).
 * A whole hour reached from the day's straight run depends only on
 * (configuration, day, hour): it comes from and goes to the cache. */
static void integrate_block(struct day_runner *r, const struct sim_config *c, double a, double b, int64_t day,
                            double midnight, unsigned hour, struct sim_energy *out)
{
    memset(out, 0, sizeof *out);
    double hour_start = midnight + (double)hour * HOUR;
    bool whole = hour < SIM_HISTORY_DAY_HOURS && a == hour_start && b == hour_start + HOUR;
    bool straight = runner_restarts(r, day, a) || r->on_grid;
    struct sim_history_day *e = whole && straight ? cache_slot(r->cache, c, day) : NULL;
    if (e && (e->hours >> hour & 1u)) {
        *out = e->hour[hour];
        r->cache->hits++;
        return;
    }
    runner_seek(r, c, a, day, midnight);
    sim_model_integrate(&r->m, b, SIM_COARSE_STEP, out);
    r->on_grid = r->on_grid && is_on_grid(b, midnight);
    if (e) { /* the slot is still the day's: runner_seek only filled soc_wh */
        e->hour[hour] = *out;
        e->hours |= 1u << hour;
        r->cache->misses++;
    }
}

/* Add the energies of [a, b) to *e, block by block in time order. */
static void integrate(struct day_runner *r, const struct sim_config *c, double a, double b, struct sim_energy *e)
{
    while (a < b) {
        int64_t day = sim_local_day(&c->tz, (int64_t)floor(a));
        double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
        double day_end = (double)sim_local_to_utc(&c->tz, (day + 1) * 86400);
        double h = floor((a - midnight) / HOUR);
        double stop = fmin(fmin(b, day_end), midnight + (h + 1.0) * HOUR);
        struct sim_energy block;
        integrate_block(r, c, a, stop, day, midnight, (unsigned)h, &block);
        sim_energy_add(e, &block);
        a = stop;
    }
}

int sim_history_compute_cached(struct sim_history_cache *hc, const struct sim_config *c, double now, double start,
                               double interval, unsigned n, struct sim_energy *out, struct sim_energy *sum)
{
    if (n == 0 || n > SIM_HISTORY_MAX_INTERVALS || !(interval > 0.0))
        return -1;
    static const struct sim_energy zero;
    struct day_runner r;
    memset(&r, 0, sizeof r);
    r.cache = hc;
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

int sim_history_compute(const struct sim_config *c, double now, double start, double interval, unsigned n,
                        struct sim_energy *out, struct sim_energy *sum)
{
    return sim_history_compute_cached(NULL, c, now, start, interval, n, out, sum);
}
