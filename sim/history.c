/* DB history from recorded runs of the device model's local days, and a
 * store of such records that a background thread can fill. */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600.0
#define STEPS_PER_HOUR 12u /* 3600 / SIM_COARSE_STEP */

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

/* ---- one day's run --------------------------------------------------------- */

/* The energies of dt seconds of step s, computed as sim_model_step()
 * computes them (the same expressions, so a whole step gives the same
 * bits). */
static void step_energy(const struct sim_history_step *s, double dt, double capacity_wh, struct sim_energy *e)
{
    double h = dt / 3600.0;
    e->pv = s->pv * h;
    e->add = s->add * h;
    e->home = s->home * h;
    e->wb = s->wb * h;
    e->wb_solar = s->wb_solar * h;
    e->bat_in = (s->bat > 0 ? s->bat : 0) * h;
    e->bat_out = (s->bat < 0 ? -s->bat : 0) * h;
    e->grid_in = (s->grid < 0 ? -s->grid : 0) * h; /* export, as DB.GRID_POWER_IN */
    e->grid_out = (s->grid > 0 ? s->grid : 0) * h; /* import, as DB.GRID_POWER_OUT */
    e->soc_time = (capacity_wh > 0 ? s->bat_wh / capacity_wh : 0.0) * dt;
    e->seconds = dt;
}

/* The inputs of `day` into *di. */
static void day_inputs(const struct sim_config *c, int64_t day, struct sim_day_inputs *di)
{
    double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
    double day_end = (double)sim_local_to_utc(&c->tz, (day + 1) * 86400);
    double steps = (day_end - midnight) / SIM_COARSE_STEP;
    di->day = day;
    di->steps = steps > (double)SIM_HISTORY_DAY_STEPS ? SIM_HISTORY_DAY_STEPS : (unsigned)steps;
    double t = midnight; /* advanced as sim_model_step() advances m->t */
    for (unsigned k = 0; k < di->steps; k++) {
        sim_inputs_at(c, t, &di->in[k]);
        t += SIM_COARSE_STEP;
        sim_after_at(c, t, &di->after[k]);
    }
}

/* The inputs of day - 1 and of day, from w's two slots or computed into
 * the slot not needed. */
static void inputs_pair(struct sim_history_work *w, const struct sim_config *c, int64_t day,
                        const struct sim_day_inputs **prev, const struct sim_day_inputs **cur)
{
    int64_t want[2] = {day - 1, day};
    int have[2] = {-1, -1};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 2; i++)
            if (w->in[i].steps != 0 && w->in[i].day == want[k])
                have[k] = i;
    for (int k = 0; k < 2; k++) {
        if (have[k] >= 0)
            continue;
        int i = have[1 - k] == 0 ? 1 : 0;
        day_inputs(c, want[k], &w->in[i]);
        have[k] = i;
    }
    *prev = &w->in[have[0]];
    *cur = &w->in[have[1]];
}

void sim_history_day_compute(const struct sim_config *c, int64_t day, struct sim_history_work *w,
                             struct sim_history_day *out)
{
    const struct sim_day_inputs *prev, *cur;
    inputs_pair(w, c, day, &prev, &cur);
    double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
    struct sim_model m;
    /* sim_soc_at_midnight(c, day): the day before from its anchor */
    sim_model_init_at(&m, c, (double)sim_local_to_utc(&c->tz, (day - 1) * 86400), sim_soc_anchor(c, day - 1));
    for (unsigned k = 0; k < prev->steps; k++)
        sim_model_step_from(&m, SIM_COARSE_STEP, NULL, &prev->in[k], &prev->after[k]);
    memset(out->hour, 0, sizeof out->hour);
    out->day = day;
    out->midnight = midnight;
    out->soc_wh = m.bat_wh;
    out->steps = cur->steps;
    sim_model_init_at(&m, c, midnight, out->soc_wh);
    for (unsigned k = 0; k < out->steps; k++) {
        struct sim_history_step *s = &out->step[k];
        s->bat_wh = m.bat_wh;
        sim_model_step_from(&m, SIM_COARSE_STEP, &out->hour[k / STEPS_PER_HOUR], &cur->in[k], &cur->after[k]);
        const struct sim_flows *f = &m.flows;
        s->pv = f->pv;
        s->add = f->add;
        s->home = f->home;
        s->wb = f->wb;
        s->wb_solar = f->wb_solar;
        s->bat = f->bat;
        s->grid = f->grid;
    }
}

/* ---- the store --------------------------------------------------------------- */

enum { DAY_EMPTY = 0, DAY_BUSY = 1, DAY_READY = 2 };

/* Day records are allocated SIM_HISTORY_CHUNK_DAYS at a time, when the
 * first day of a chunk is computed, so a store that is never asked for a
 * day costs only its state bytes and chunk pointers. */
struct sim_history_chunk {
    struct sim_history_day day[SIM_HISTORY_CHUNK_DAYS];
};

struct sim_history_store {
    struct sim_config cfg;
    int64_t first_day;
    unsigned ndays;
    atomic_uint ready;
    atomic_uchar *state;          /* DAY_* per day                          */
    _Atomic(struct sim_history_chunk *) *chunks; /* NULL until needed;
                                     a day is written once, by whoever claimed it */
};

struct sim_history_store *sim_history_store_new(const struct sim_config *c, int64_t first_day, unsigned ndays)
{
    if (ndays == 0)
        return NULL;
    struct sim_history_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *c;
    s->first_day = first_day;
    s->ndays = ndays;
    atomic_init(&s->ready, 0u);
    unsigned nchunks = (ndays + SIM_HISTORY_CHUNK_DAYS - 1) / SIM_HISTORY_CHUNK_DAYS;
    s->state = calloc(ndays, sizeof *s->state);
    s->chunks = calloc(nchunks, sizeof *s->chunks);
    if (!s->state || !s->chunks) {
        sim_history_store_free(s);
        return NULL;
    }
    for (unsigned i = 0; i < ndays; i++)
        atomic_init(&s->state[i], (unsigned char)DAY_EMPTY);
    for (unsigned i = 0; i < nchunks; i++)
        atomic_init(&s->chunks[i], NULL);
    return s;
}

void sim_history_store_free(struct sim_history_store *s)
{
    if (!s)
        return;
    if (s->chunks) {
        unsigned nchunks = (s->ndays + SIM_HISTORY_CHUNK_DAYS - 1) / SIM_HISTORY_CHUNK_DAYS;
        for (unsigned i = 0; i < nchunks; i++)
            free(atomic_load_explicit(&s->chunks[i], memory_order_relaxed));
    }
    free(s->state);
    free(s->chunks);
    free(s);
}

/* Where day i's record lives, allocating its chunk (malloc: pages are
 * touched only as days are written); NULL when out of memory. Two threads
 * may race to allocate: the loser frees its copy. */
static struct sim_history_day *day_slot(struct sim_history_store *s, unsigned i)
{
    _Atomic(struct sim_history_chunk *) *slot = &s->chunks[i / SIM_HISTORY_CHUNK_DAYS];
    struct sim_history_chunk *ch = atomic_load_explicit(slot, memory_order_acquire);
    if (!ch) {
        struct sim_history_chunk *fresh = malloc(sizeof *fresh);
        if (!fresh)
            return NULL;
        if (atomic_compare_exchange_strong_explicit(slot, &ch, fresh, memory_order_acq_rel, memory_order_acquire))
            ch = fresh;
        else
            free(fresh); /* ch is the winner's */
    }
    return &ch->day[i % SIM_HISTORY_CHUNK_DAYS];
}

unsigned sim_history_store_ready(const struct sim_history_store *s)
{
    return atomic_load_explicit(&s->ready, memory_order_acquire);
}

unsigned sim_history_store_days(const struct sim_history_store *s)
{
    return s->ndays;
}

/* The record of day i of s once it is there, computing it when nobody has
 * claimed it; NULL while another thread computes it, or when its memory
 * cannot be had (the caller computes the day itself). */
static const struct sim_history_day *store_day(struct sim_history_store *s, unsigned i, struct sim_history_work *w)
{
    unsigned char st = atomic_load_explicit(&s->state[i], memory_order_acquire);
    if (st == DAY_READY)
        return day_slot(s, i); /* its chunk exists: no allocation */
    unsigned char expect = DAY_EMPTY;
    if (st != DAY_EMPTY || !atomic_compare_exchange_strong_explicit(&s->state[i], &expect, (unsigned char)DAY_BUSY,
                                                                    memory_order_acq_rel, memory_order_acquire))
        return expect == DAY_READY ? day_slot(s, i) : NULL;
    struct sim_history_day *d = day_slot(s, i);
    if (!d) {
        atomic_store_explicit(&s->state[i], (unsigned char)DAY_EMPTY, memory_order_release);
        return NULL;
    }
    sim_history_day_compute(&s->cfg, s->first_day + (int64_t)i, w, d);
    atomic_store_explicit(&s->state[i], (unsigned char)DAY_READY, memory_order_release);
    atomic_fetch_add_explicit(&s->ready, 1u, memory_order_acq_rel);
    return d;
}

void sim_history_store_fill(struct sim_history_store *s, int64_t newest, const atomic_int *stop)
{
    int64_t last = s->first_day + (int64_t)s->ndays - 1;
    if (newest > last)
        newest = last;
    if (newest < s->first_day)
        newest = s->first_day;
    unsigned top = (unsigned)(newest - s->first_day);
    struct sim_history_work *w = calloc(1, sizeof *w);
    if (!w)
        return; /* queries compute their days themselves */
    for (unsigned i = top + 1; i-- > 0;) {
        if (atomic_load_explicit(stop, memory_order_relaxed))
            break;
        store_day(s, i, w);
    }
    free(w);
}

/* The record of `day`: from the store, else computed into w->day (kept
 * there for the next call with the same day). */
static const struct sim_history_day *day_record(struct sim_history_store *s, struct sim_history_work *w,
                                                const struct sim_config *c, int64_t day)
{
    if (s && day >= s->first_day && day - s->first_day < (int64_t)s->ndays) {
        const struct sim_history_day *d = store_day(s, (unsigned)(day - s->first_day), w);
        if (d)
            return d;
    }
    if (w->day.steps == 0 || w->day.day != day)
        sim_history_day_compute(c, day, w, &w->day);
    return &w->day;
}

/* ---- queries ------------------------------------------------------------------- */

/* Add the energies of [a, b), inside hour `hour` of day d, to *out: the
 * recorded hour when [a, b) is all of it, else its steps (a step cut by a
 * or b in proportion) added into a zeroed block. */
static void add_block(const struct sim_history_day *d, double capacity_wh, double a, double b, unsigned hour,
                      struct sim_energy *out)
{
    double hour_start = d->midnight + (double)hour * HOUR;
    if (a == hour_start && b == hour_start + HOUR && hour < SIM_HISTORY_DAY_HOURS) {
        sim_energy_add(out, &d->hour[hour]);
        return;
    }
    struct sim_energy block;
    memset(&block, 0, sizeof block);
    double first = floor((a - d->midnight) / SIM_COARSE_STEP);
    for (unsigned k = first > 0.0 ? (unsigned)first : 0u; k < d->steps; k++) {
        double s0 = d->midnight + (double)k * SIM_COARSE_STEP;
        if (s0 >= b)
            break;
        double u = fmax(a, s0), v = fmin(b, s0 + SIM_COARSE_STEP);
        if (v > u) {
            struct sim_energy e;
            step_energy(&d->step[k], v - u, capacity_wh, &e);
            sim_energy_add(&block, &e);
        }
    }
    sim_energy_add(out, &block);
}

/* Add the energies of [a, b) to *e, day by day and hour block by hour
 * block in time order. */
static void add_span(struct sim_history_store *s, struct sim_history_work *w, const struct sim_config *c,
                     int64_t first_day, double a, double b, struct sim_energy *e)
{
    while (a < b) {
        int64_t day = sim_local_day(&c->tz, (int64_t)floor(a));
        double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
        double day_end = (double)sim_local_to_utc(&c->tz, (day + 1) * 86400);
        double stop_day = fmin(b, day_end);
        if (day < first_day) {
            a = stop_day;
            continue;
        }
        const struct sim_history_day *d = day_record(s, w, c, day);
        while (a < stop_day) {
            double h = floor((a - midnight) / HOUR);
            double stop = fmin(stop_day, midnight + (h + 1.0) * HOUR);
            add_block(d, c->bat_capacity_wh, a, stop, (unsigned)h, e);
            a = stop;
        }
    }
}

int sim_history_compute_from(struct sim_history_store *store, struct sim_history_work *w,
                             const struct sim_config *c, int64_t first_day, double now, double start,
                             double interval, unsigned n, struct sim_energy *out, struct sim_energy *sum)
{
    if (n == 0 || n > SIM_HISTORY_MAX_INTERVALS || !(interval > 0.0))
        return -1;
    static const struct sim_energy zero;
    if (sum)
        *sum = zero;
    for (unsigned i = 0; i < n; i++) {
        double a = start + (double)i * interval;
        double b = a + interval;
        if (b > now)
            b = now;
        out[i] = zero;
        if (a < b)
            add_span(store, w, c, first_day, a, b, &out[i]);
        if (sum)
            sim_energy_add(sum, &out[i]);
    }
    return 0;
}

int sim_history_compute(const struct sim_config *c, double now, double start, double interval, unsigned n,
                        struct sim_energy *out, struct sim_energy *sum)
{
    struct sim_history_work *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    int rc = sim_history_compute_from(NULL, w, c, INT64_MIN, now, start, interval, n, out, sum);
    free(w);
    return rc;
}
