/* The simulator's device model: energy balance, battery integration, sun
 * position against published almanac times, determinism, DB history. */
#include "harness.h"

#include "../sim/sim_all.inc"

#include <math.h>
#include <pthread.h>
#include <string.h>

static double utc(int y, unsigned m, unsigned d, int h, int mi)
{
    return (double)(sim_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60);
}

/* Calendar and time zone against fixed, widely published instants. */
static void test_civil(void)
{
    CHECK_INT(sim_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(sim_days_from_civil(2024, 1, 1), 1704067200 / 86400);
    CHECK_INT(sim_days_from_civil(2024, 6, 21), 1718928000 / 86400);
    CHECK_INT(sim_days_from_civil(2000, 3, 1), 951868800 / 86400);
    CHECK_INT(sim_days_from_civil(1969, 12, 31), -1);
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(1718928000 / 86400, &y, &m, &d);
    CHECK(y == 2024 && m == 6 && d == 21);
    sim_civil_from_days(-1, &y, &m, &d);
    CHECK(y == 1969 && m == 12 && d == 31);
    CHECK_INT(sim_weekday(1718928000 / 86400), 4); /* a Friday */
    CHECK_INT(sim_day_of_year(sim_days_from_civil(2024, 12, 31)), 366);

    struct sim_config c;
    sim_config_default(&c);
    /* EU summer time 2024: 31 March and 27 October, 01:00 UTC. */
    CHECK_INT(sim_tz_offset(&c.tz, 1711846799), 3600);
    CHECK_INT(sim_tz_offset(&c.tz, 1711846800), 7200);
    CHECK_INT(sim_tz_offset(&c.tz, 1729990799), 7200);
    CHECK_INT(sim_tz_offset(&c.tz, 1729990800), 3600);
    /* Local midnight of 21 June 2024 in Berlin is 22:00 UTC the day before. */
    CHECK_INT(sim_local_midnight(&c.tz, 1718928000 + 12 * 3600), 1718928000 - 2 * 3600);
    CHECK_INT(sim_local_to_utc(&c.tz, 1718928000), 1718928000 - 2 * 3600);
    CHECK_INT(sim_local_to_utc(&c.tz, 1704067200), 1704067200 - 3600);
}

/* Sun and PV: dark at night, light by day, the peak at solar noon, from the
 * almanac for 50 N 10 E (solar noon ~11:22 UTC in June, ~11:18 in December;
 * day length ~16 h 20 min and ~8 h 05 min). */
static void test_sun(void)
{
    struct sim_config c;
    sim_config_default(&c);
    struct {
        double t;
        bool light;
    } cases[] = {
        {utc(2024, 6, 21, 0, 0), false},   {utc(2024, 6, 21, 2, 30), false}, {utc(2024, 6, 21, 4, 0), true},
        {utc(2024, 6, 21, 18, 45), true},  {utc(2024, 6, 21, 20, 15), false}, {utc(2024, 12, 21, 6, 45), false},
        {utc(2024, 12, 21, 8, 0), true},   {utc(2024, 12, 21, 14, 30), true}, {utc(2024, 12, 21, 15, 50), false},
        {utc(2024, 12, 21, 23, 0), false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = sim_pv_clear_sky(&c, 0, cases[i].t) + sim_pv_clear_sky(&c, 1, cases[i].t);
        CHECK(cases[i].light ? p > 0.0 : p == 0.0);
        CHECK(cases[i].light == (sim_sun_elevation(&c, cases[i].t) > 0.0));
        if (!cases[i].light)
            CHECK(sim_pv_power(&c, cases[i].t) == 0.0 && sim_add_power(&c, cases[i].t) == 0.0);
    }
    /* Elevation at solar noon is 90 - lat + declination: 63.4 and 16.6 deg. */
    CHECK(fabs(sim_sun_elevation(&c, utc(2024, 6, 21, 11, 22)) - 63.4) < 0.5);
    CHECK(fabs(sim_sun_elevation(&c, utc(2024, 12, 21, 11, 18)) - 16.6) < 0.5);

    /* The clear-sky curve peaks within 20 minutes of solar noon. */
    double days[2][2] = {{utc(2024, 6, 21, 0, 0), utc(2024, 6, 21, 11, 22)},
                         {utc(2024, 12, 21, 0, 0), utc(2024, 12, 21, 11, 18)}};
    double peaks[2];
    for (int k = 0; k < 2; k++) {
        double best = 0, best_t = 0;
        for (double t = days[k][0]; t < days[k][0] + 86400; t += 60) {
            double p = sim_pv_clear_sky(&c, 0, t) + sim_pv_clear_sky(&c, 1, t);
            if (p > best) {
                best = p;
                best_t = t;
            }
        }
        CHECK(fabs(best_t - days[k][1]) <= 20 * 60);
        peaks[k] = best;
    }
    CHECK(peaks[0] > 0.75 * c.pv_peak_w && peaks[0] <= c.pv_peak_w); /* summer: near the rating */
    CHECK(peaks[1] > 0.25 * c.pv_peak_w && peaks[1] < 0.6 * c.pv_peak_w);
    for (double t = days[0][0]; t < days[0][0] + 86400 * 30; t += 97)
        CHECK(sim_cloud_factor(&c, t) >= 0.15 - 1e-12 && sim_cloud_factor(&c, t) <= 1.0);
}

struct step_stats {
    unsigned steps, charging, discharging, importing, exporting, wallbox;
};

/* Balance, limits and battery integration at every step over `days` days;
 * the step's grid energies follow EMS.POWER_GRID's sign (+ import): grid_in
 * (DB.GRID_POWER_IN) is what was fed in, grid_out what was drawn. */
static void run_checked(const struct sim_config *c, double t0, double days, double dt, struct step_stats *st)
{
    struct sim_model m;
    sim_model_init(&m, c, t0);
    double eff = c->bat_efficiency;
    unsigned bad_balance = 0, bad_soc = 0, bad_limit = 0, bad_grid = 0;
    while (m.t < t0 + days * 86400) {
        double before = m.bat_wh;
        struct sim_energy e = {0};
        sim_model_step(&m, dt, &e);
        const struct sim_flows *f = &m.flows;
        double h = dt / 3600.0;
        if (fabs(e.grid_in - (f->grid < 0 ? -f->grid * h : 0.0)) > 1e-9 ||
            fabs(e.grid_out - (f->grid > 0 ? f->grid * h : 0.0)) > 1e-9)
            bad_grid++;
        if (f->pv + f->add + f->grid != f->home + f->bat + f->wb)
            bad_balance++;
        if (f->pv < 0 || f->add < 0 || f->home < 0 || f->wb < 0 || f->wb_solar > f->wb ||
            f->bat > (int32_t)c->bat_max_charge_w || -f->bat > (int32_t)c->bat_max_discharge_w ||
            (double)f->wb > c->wb_max_w)
            bad_limit++;
        double want = before + (f->bat > 0 ? f->bat * eff : f->bat / eff) * dt / 3600.0;
        if (fabs(m.bat_wh - want) > 1e-6 || m.bat_wh < 0.0 || m.bat_wh > c->bat_capacity_wh ||
            sim_model_soc(&m) < 0.0 || sim_model_soc(&m) > 100.0)
            bad_soc++;
        st->steps++;
        st->charging += f->bat > 0;
        st->discharging += f->bat < 0;
        st->importing += f->grid > 0;
        st->exporting += f->grid < 0;
        st->wallbox += f->wb > 0;
    }
    CHECK_INT(bad_balance, 0);
    CHECK_INT(bad_grid, 0);
    CHECK_INT(bad_soc, 0);
    CHECK_INT(bad_limit, 0);
}

static void test_balance(void)
{
    struct sim_config c;
    sim_config_default(&c);
    struct step_stats st = {0};
    run_checked(&c, utc(2024, 6, 1, 0, 0), 21, 30, &st);      /* summer: full battery, export, car */
    run_checked(&c, utc(2024, 12, 1, 0, 0), 14, 30, &st);     /* winter: empty battery, import     */
    run_checked(&c, utc(2024, 3, 30, 18, 0), 2, 7.5, &st);    /* across the switch to summer time  */
    c.seed = 77;
    c.batteries = 2;
    c.bat_capacity_wh = 2 * 13800.0;
    c.add_peak_w = 0;
    run_checked(&c, utc(2024, 9, 10, 0, 0), 7, 60, &st);
    /* Every regime shows up. */
    CHECK(st.charging > 100 && st.discharging > 100 && st.importing > 100 && st.exporting > 100);
    CHECK(st.wallbox > 10);
}

/* A battery at its limits: no charge when full, no discharge when empty. */
static void test_battery_limits(void)
{
    struct sim_config c;
    sim_config_default(&c);
    struct sim_model m;
    sim_model_init_at(&m, &c, utc(2024, 6, 21, 11, 0), c.bat_capacity_wh);
    for (int i = 0; i < 600; i++) {
        sim_model_step(&m, 1.0, NULL);
        CHECK(m.flows.bat <= 0);
    }
    CHECK(sim_model_soc(&m) <= 100.0);
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 0.0);
    for (int i = 0; i < 600; i++) {
        sim_model_step(&m, 1.0, NULL);
        CHECK(m.flows.bat >= 0);
        CHECK(m.flows.grid > 0);
    }
    /* The user limit caps charging. */
    sim_model_init_at(&m, &c, utc(2024, 6, 21, 11, 0), 0.2 * c.bat_capacity_wh);
    m.ctl.limits_used = true;
    m.ctl.max_charge_w = 1000;
    for (int i = 0; i < 300; i++) {
        sim_model_step(&m, 1.0, NULL);
        CHECK(m.flows.bat <= 1000);
    }
}

static void test_determinism(void)
{
    struct sim_config c;
    sim_config_default(&c);
    c.seed = 4242;
    struct sim_model a, b;
    double t0 = utc(2024, 5, 4, 5, 0);
    sim_model_init(&a, &c, t0);
    sim_model_init(&b, &c, t0);
    bool same = a.bat_wh == b.bat_wh;
    for (int i = 0; i < 3000; i++) {
        sim_model_step(&a, 10, NULL);
        sim_model_step(&b, 10, NULL);
        same = same && memcmp(&a.flows, &b.flows, sizeof a.flows) == 0 && a.bat_wh == b.bat_wh;
    }
    CHECK(same);
    c.seed = 4243;
    struct sim_model o;
    sim_model_init(&o, &c, t0);
    unsigned differ = 0;
    sim_model_init(&a, &a.cfg, t0);
    for (int i = 0; i < 3000; i++) {
        sim_model_step(&a, 10, NULL);
        sim_model_step(&o, 10, NULL);
        differ += memcmp(&a.flows, &o.flows, sizeof a.flows) != 0;
    }
    CHECK(differ > 1000);
}

static double rel(double a, double b)
{
    double m = fmax(fabs(a), fabs(b));
    return m < 1e-9 ? 0.0 : fabs(a - b) / m;
}

static void test_history(void)
{
    struct sim_config c;
    sim_config_default(&c);
    int64_t day = sim_days_from_civil(2024, 6, 21);
    double midnight = (double)sim_local_to_utc(&c.tz, day * 86400);
    double now = midnight + 40 * 86400.0; /* the day is in the past */
    static struct sim_energy iv[SIM_HISTORY_MAX_INTERVALS];
    struct sim_energy sum;
    CHECK_INT(sim_history_count(900, 86400), 96);
    CHECK_INT(sim_history_count(60, 600), 1); /* both raised to 900 s */
    CHECK_INT(sim_history_count(86400, 7 * 86400), 7);
    CHECK_INT(sim_history_compute(&c, now, midnight, 900, 96, iv, &sum), 0);

    /* The sum is the sum of the intervals. */
    struct sim_energy again = {0};
    for (unsigned i = 0; i < 96; i++) {
        sim_energy_add(&again, &iv[i]);
        CHECK(iv[i].seconds == 900.0);
    }
    CHECK(memcmp(&again, &sum, sizeof sum) == 0);
    CHECK(sum.seconds == 86400.0);

    /* The same day integrated straight through the model. */
    struct sim_model m;
    sim_model_init_at(&m, &c, midnight, sim_soc_at_midnight(&c, day));
    struct sim_energy direct = {0};
    sim_model_integrate(&m, midnight + 86400, SIM_COARSE_STEP, &direct);
    CHECK(rel(direct.pv, sum.pv) < 1e-9 && rel(direct.home, sum.home) < 1e-9);
    CHECK(rel(direct.grid_in, sum.grid_in) < 1e-9 && rel(direct.grid_out, sum.grid_out) < 1e-9);
    CHECK(rel(direct.bat_in, sum.bat_in) < 1e-9 && rel(direct.bat_out, sum.bat_out) < 1e-9);
    /* ... and with 20 times finer steps: the coarse history is close. */
    sim_model_init_at(&m, &c, midnight, sim_soc_at_midnight(&c, day));
    struct sim_energy fine = {0};
    sim_model_integrate(&m, midnight + 86400, 15.0, &fine);
    CHECK(rel(fine.pv, sum.pv) < 0.03);
    CHECK(rel(fine.home + fine.wb, sum.home + sum.wb) < 0.15);
    /* Energy balance over the day (grid_in is the export, as
     * DB.GRID_POWER_IN; grid_out the import), and a plausible June day. */
    double in = sum.pv + sum.add + sum.grid_out + sum.bat_out;
    double out = sum.home + sum.wb + sum.grid_in + sum.bat_in;
    CHECK(rel(in, out) < 1e-9);
    for (unsigned i = 0; i < 96; i++) {
        const struct sim_energy *v = &iv[i];
        CHECK(rel(v->pv + v->add + v->grid_out + v->bat_out, v->home + v->wb + v->grid_in + v->bat_in) < 1e-9);
    }
    /* 15:00-15:15: the battery is full and the plant feeds in only, so
     * that is export; self-consumption is what was not fed in. */
    const struct sim_energy *q = &iv[60];
    CHECK(q->grid_in > 100.0 && q->grid_out == 0.0 && q->bat_in == 0.0 && q->pv > q->home + q->wb + 100.0);
    CHECK(sim_energy_autarky(q) == 100.0);
    CHECK(fabs(sim_energy_self_consumption(q) - 100.0 * (1.0 - q->grid_in / (q->pv + q->add))) < 1e-9);
    CHECK(sum.pv > 10000 && sum.pv < 75000);
    CHECK(sum.home > 3000 && sum.home < 30000);
    /* Night intervals have no PV; noon ones do on this day. */
    CHECK(iv[4].pv == 0.0 && iv[94].pv == 0.0);

    /* A week of daily intervals repeats the day query for that day. */
    static struct sim_energy week[7];
    struct sim_energy wsum;
    CHECK_INT(sim_history_compute(&c, now, midnight - 3 * 86400.0, 86400, 7, week, &wsum), 0);
    CHECK(rel(week[3].pv, sum.pv) < 1e-9 && rel(week[3].grid_in, sum.grid_in) < 1e-9);
    CHECK(rel(week[3].soc_time, sum.soc_time) < 1e-9);

    /* Nothing after `now`. */
    CHECK_INT(sim_history_compute(&c, midnight + 12 * 3600, midnight, 900, 96, iv, &sum), 0);
    CHECK(iv[47].seconds == 900.0 && iv[48].seconds == 0.0 && iv[95].pv == 0.0);
    CHECK(sum.seconds == 12 * 3600.0);
    CHECK_INT(sim_history_compute(&c, now, midnight, 900, SIM_HISTORY_MAX_INTERVALS + 1, iv, &sum), -1);
    CHECK_INT(sim_history_compute(&c, now, midnight, 900, 0, iv, &sum), -1);

    /* The live model started at some instant continues the history's day. */
    sim_model_init(&m, &c, midnight + 9 * 3600);
    struct sim_energy part = {0};
    sim_history_compute(&c, midnight + 9 * 3600, midnight, 9 * 3600, 1, &part, NULL);
    struct sim_model h;
    sim_model_init_at(&h, &c, midnight, sim_soc_at_midnight(&c, day));
    sim_model_advance_to(&h, midnight + 9 * 3600, SIM_COARSE_STEP);
    CHECK(fabs(h.bat_wh - m.bat_wh) < 1e-6);
    double soc0 = sim_soc_at_midnight(&c, day);
    CHECK(soc0 >= 0.0 && soc0 <= c.bat_capacity_wh);
}

/* History as it was computed before the day records: each interval's hour
 * blocks integrated by a model run from the day's midnight (sim_model_
 * integrate, one zeroed block at a time). The records must give the same
 * bits wherever the interval ends and `now` lie on the step grid. */
static void reference_history(const struct sim_config *c, double now, double start, double interval, unsigned n,
                              struct sim_energy *out, struct sim_energy *sum)
{
    memset(sum, 0, sizeof *sum);
    for (unsigned i = 0; i < n; i++) {
        double a = start + (double)i * interval, b = fmin(a + interval, now);
        memset(&out[i], 0, sizeof out[i]);
        while (a < b) {
            int64_t day = sim_local_day(&c->tz, (int64_t)floor(a));
            double midnight = (double)sim_local_to_utc(&c->tz, day * 86400);
            double day_end = (double)sim_local_to_utc(&c->tz, (day + 1) * 86400);
            struct sim_model m;
            sim_model_init_at(&m, c, midnight, sim_soc_at_midnight(c, day));
            sim_model_advance_to(&m, a, SIM_COARSE_STEP);
            while (a < fmin(b, day_end)) {
                double h = floor((a - midnight) / 3600.0);
                double stop = fmin(fmin(b, day_end), midnight + (h + 1.0) * 3600.0);
                struct sim_energy block = {0};
                sim_model_integrate(&m, stop, SIM_COARSE_STEP, &block);
                sim_energy_add(&out[i], &block);
                a = stop;
            }
        }
        sim_energy_add(sum, &out[i]);
    }
}

static struct sim_energy ref_iv[SIM_HISTORY_MAX_INTERVALS], got_iv[SIM_HISTORY_MAX_INTERVALS];

static bool same_as_reference(const struct sim_config *c, double now, double start, double interval, unsigned n)
{
    struct sim_energy rsum, gsum;
    reference_history(c, now, start, interval, n, ref_iv, &rsum);
    if (sim_history_compute(c, now, start, interval, n, got_iv, &gsum) != 0)
        return false;
    return memcmp(ref_iv, got_iv, n * sizeof ref_iv[0]) == 0 && memcmp(&rsum, &gsum, sizeof rsum) == 0;
}

/* The day records give today's values: bit for bit those of integrating
 * the model, for every query shape on the step grid (days, weeks, quarter
 * hours, hours through both changes of summer time, intervals of a day
 * and a quarter), and within rounding when `now` cuts a step. */
static void test_history_records(void)
{
    struct sim_config c;
    sim_config_default(&c);
    int64_t d0 = sim_days_from_civil(2025, 6, 21);
    double m0 = (double)sim_local_to_utc(&c.tz, d0 * 86400);
    double now = (double)sim_local_to_utc(&c.tz, sim_days_from_civil(2026, 6, 21) * 86400 + 12 * 3600);
    struct {
        double start, interval;
        unsigned n;
    } shapes[] = {
        {m0, 86400, 10},                        /* days                            */
        {m0 + 70 * 86400.0, 7 * 86400, 2},      /* weeks                           */
        {m0 + 110 * 86400.0 + 12 * 3600, 86400, 3}, /* days from noon               */
        {m0 + 100 * 86400.0, 900, 96},          /* a day of quarter hours          */
        {m0 + 126 * 86400.0, 3600, 72},         /* hours around 2025-10-26 (25 h)  */
        {m0 + 280 * 86400.0, 1800, 144},        /* around 2026-03-29 (23 h)        */
        {m0 + 5 * 86400.0 + 7200, 86400 + 900, 8}, /* a day and a quarter        */
        {m0 + 3 * 86400.0, 2700, 64},           /* 45 minutes                      */
        {now - 86400, 900, 96},                 /* the last day, up to `now`       */
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        bool same = same_as_reference(&c, now, shapes[i].start, shapes[i].interval, shapes[i].n);
        if (!same)
            printf("history differs from the model's integration for shape %zu\n", i);
        CHECK(same);
    }
    /* `now` inside a step: the cut step counts in proportion. */
    double day_start = m0 + 150 * 86400.0, cut = day_start + 12 * 3600 + 123.4;
    struct sim_energy rsum, gsum;
    reference_history(&c, cut, day_start, 900, 96, ref_iv, &rsum);
    CHECK_INT(sim_history_compute(&c, cut, day_start, 900, 96, got_iv, &gsum), 0);
    CHECK(memcmp(ref_iv, got_iv, 48 * sizeof ref_iv[0]) == 0);
    CHECK(rel(rsum.pv, gsum.pv) < 1e-6 && rel(rsum.grid_out, gsum.grid_out) < 1e-6);
    CHECK(rel(rsum.home, gsum.home) < 1e-6 && rel(rsum.bat_in, gsum.bat_in) < 1e-6);
    CHECK(fabs(gsum.seconds - (12 * 3600 + 123.4)) < 1e-5 && got_iv[49].seconds == 0.0);
    /* A boundary off the grid splits a step in proportion: the two
     * halves add up to the whole, and the sum is unchanged. */
    struct sim_energy whole, halves[2], hsum;
    double a = m0 + 200 * 86400.0 + 12 * 3600;
    CHECK_INT(sim_history_compute(&c, now, a, 3600, 1, &whole, NULL), 0);
    CHECK_INT(sim_history_compute(&c, now, a - 1757.25, 1757.25 + 1800 + 3.5, 1, &halves[0], NULL), 0);
    CHECK_INT(sim_history_compute(&c, now, a + 1803.5, 1796.5, 1, &halves[1], NULL), 0);
    struct sim_energy before;
    CHECK_INT(sim_history_compute(&c, now, a - 1757.25, 1757.25, 1, &before, NULL), 0);
    hsum = halves[0];
    sim_energy_add(&hsum, &halves[1]);
    CHECK(rel(hsum.pv - before.pv, whole.pv) < 1e-9 && rel(hsum.home - before.home, whole.home) < 1e-9);
    CHECK(rel(hsum.seconds - before.seconds, whole.seconds) < 1e-12);
}

/* The per-day values the model keeps per thread (sun, weather, summer
 * time) follow the configuration and the day: interleaving two plants and
 * jumping between days gives what each plant gives on its own. */
static void test_day_memo(void)
{
    struct sim_config a, b;
    sim_config_default(&a);
    sim_config_default(&b);
    b.seed = 2;
    b.latitude_deg = 40.0;
    enum { N = 64 };
    static double together[2][N], alone[2][N];
    double t0 = utc(2025, 3, 30, 0, 30); /* across the change to summer time */
    for (int i = 0; i < N; i++) {
        double t = t0 + (double)(i % 8) * 86400.0 * 97.0 + (double)(i / 8) * 2700.0;
        together[0][i] = sim_pv_power(&a, t) + sim_home_load(&a, t) + sim_add_power(&a, t);
        together[1][i] = sim_pv_power(&b, t) + sim_home_load(&b, t) + sim_add_power(&b, t);
    }
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < N; i++) {
            double t = t0 + (double)(i % 8) * 86400.0 * 97.0 + (double)(i / 8) * 2700.0;
            const struct sim_config *c = k ? &b : &a;
            alone[k][i] = sim_pv_power(c, t) + sim_home_load(c, t) + sim_add_power(c, t);
        }
    CHECK(memcmp(together, alone, sizeof together) == 0);
    CHECK(memcmp(alone[0], alone[1], sizeof alone[0]) != 0);
}

struct filler {
    struct sim_history_store *s;
    int64_t newest;
    atomic_int stop;
};

static void *fill_thread(void *arg)
{
    struct filler *f = arg;
    sim_history_store_fill(f->s, f->newest, &f->stop);
    return NULL;
}

/* A store changes nothing but the speed: filled by another thread while
 * queries run, partly filled, or full, every query gives the bits of the
 * direct computation; days before the first day are empty. */
static void test_history_store(void)
{
    struct sim_config c;
    sim_config_default(&c);
    int64_t first = sim_days_from_civil(2025, 1, 1);
    double m0 = (double)sim_local_to_utc(&c.tz, sim_days_from_civil(2025, 6, 1) * 86400);
    double now = m0 + 40 * 86400.0 + 5000.0;
    struct sim_history_store *s = sim_history_store_new(&c, first, 200);
    struct sim_history_work *scratch = calloc(1, sizeof *scratch);
    CHECK(s != NULL && scratch != NULL);
    if (!s || !scratch) {
        free(scratch);
        sim_history_store_free(s);
        return;
    }
    CHECK_INT(sim_history_store_days(s), 200);
    CHECK_INT(sim_history_store_ready(s), 0);
    struct filler f = {s, first + 170, 0};
    pthread_t th;
    bool started = pthread_create(&th, NULL, fill_thread, &f) == 0;
    CHECK(started);
    static struct sim_energy plain[SIM_HISTORY_MAX_INTERVALS], stored[SIM_HISTORY_MAX_INTERVALS];
    struct sim_energy psum, ssum;
    for (int round = 0; round < 2; round++) {
        /* days 120..215 of the year: the store ends at day 200 */
        CHECK_INT(sim_history_compute(&c, now, m0 - 30 * 86400.0, 86400, 96, plain, &psum), 0);
        CHECK_INT(sim_history_compute_from(s, scratch, &c, first, now, m0 - 30 * 86400.0, 86400, 96, stored, &ssum),
                  0);
        CHECK(memcmp(plain, stored, sizeof plain[0] * 96) == 0 && memcmp(&psum, &ssum, sizeof psum) == 0);
        CHECK_INT(sim_history_compute(&c, now, m0 + 3 * 86400.0 + 450, 900, 300, plain, &psum), 0);
        CHECK_INT(sim_history_compute_from(s, scratch, &c, first, now, m0 + 3 * 86400.0 + 450, 900, 300, stored,
                                           &ssum),
                  0);
        CHECK(memcmp(plain, stored, sizeof plain[0] * 300) == 0 && memcmp(&psum, &ssum, sizeof psum) == 0);
        if (round == 0 && started) {
            pthread_join(th, NULL);
            started = false;
            /* the filler's days 0..170, the queries' up to `now` (day 191);
             * the days after it nobody asked for */
            CHECK_INT(sim_history_store_ready(s), 192);
        }
    }
    /* Before the first day: empty; the day itself is there. */
    double jan1 = (double)sim_local_to_utc(&c.tz, first * 86400);
    CHECK_INT(sim_history_compute_from(s, scratch, &c, first, now, jan1 - 2 * 86400.0, 86400, 3, stored, &ssum), 0);
    CHECK(stored[0].seconds == 0.0 && stored[1].seconds == 0.0 && stored[0].home == 0.0);
    CHECK(stored[2].seconds == 86400.0 && stored[2].home > 1000.0);
    CHECK(ssum.seconds == 86400.0);
    free(scratch);
    sim_history_store_free(s);
}

/* The controls that act inside the model, through the flows. */
static void test_controls(void)
{
    struct sim_config c;
    sim_config_default(&c);
    c.wallbox = false;
    c.add_peak_w = 0.0;
    struct sim_model m;
    /* Near empty at night: no discharge at all, the grid takes the load. */
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 0.5);
    struct sim_flows f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, 0);
    CHECK_INT(f.grid, f.home);
    CHECK((f.status & RSCP_EMS_STATUS_EMERGENCY_READY) != 0);
    /* The reserve is the floor: above it the battery discharges, at it not. */
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 3000.0);
    CHECK(sim_model_flows(&m, 1.0).bat < 0);
    m.ctl.ep_reserve_wh = 3000.0;
    CHECK_INT(sim_model_flows(&m, 1.0).bat, 0);
    for (int i = 0; i < 300; i++)
        sim_model_step(&m, 1.0, NULL);
    CHECK(m.bat_wh >= 3000.0 - 1e-9);
    /* Power save: a deficit below SIM_POWERSAVE_MIN_W stays on the grid
     * (a quiet minute of the night, with a small standby load). */
    struct sim_config quiet = c;
    quiet.home_base_w = 60.0;
    double t_quiet = utc(2024, 12, 22, 1, 0);
    while (sim_home_load(&quiet, t_quiet) >= SIM_POWERSAVE_MIN_W - 20 && t_quiet < utc(2024, 12, 22, 4, 0))
        t_quiet += 60.0;
    sim_model_init_at(&m, &quiet, t_quiet, 3000.0);
    f = sim_model_flows(&m, 1.0);
    CHECK(f.home < SIM_POWERSAVE_MIN_W && f.home >= 65 && f.bat == -f.home);
    m.ctl.powersave = true;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat == 0 && f.grid == f.home);

    /* The clearest June noon of the seed. */
    double best = -1, t_best = 0;
    for (unsigned d = 1; d <= 30; d++) {
        for (int k = 0; k < 120; k++) {
            double t = utc(2024, 6, d, 10, 0) + 60.0 * k;
            double pv = sim_pv_power(&c, t);
            if (pv > best)
                best = pv, t_best = t;
        }
    }
    /* Battery full, derating at 50 %: the feed-in is capped, PV curtailed,
     * the derating bit set. */
    sim_model_init_at(&m, &c, t_best, c.bat_capacity_wh);
    m.ctl.derate_share = 0.5;
    f = sim_model_flows(&m, 1.0);
    CHECK((double)f.pv + f.curtailed > 0.5 * c.pv_peak_w + f.home); /* it would feed in more */
    CHECK(f.curtailed > 0 && (f.status & RSCP_EMS_STATUS_FEED_IN_LIMITED) != 0);
    CHECK((double)-f.grid <= 0.5 * c.pv_peak_w);
    CHECK((double)-f.grid > 0.5 * c.pv_peak_w - 1.0);
    CHECK_INT(f.pv + f.add + f.grid, f.home + f.bat + f.wb);
    m.ctl.derate_share = 0.0; /* off: no cap */
    f = sim_model_flows(&m, 1.0);
    CHECK(f.curtailed == 0 && (f.status & RSCP_EMS_STATUS_FEED_IN_LIMITED) == 0);

    /* Weather-regulated charge: in the morning at most half the charge
     * power, the bit set while it holds the battery back. */
    double t_morning = 0;
    best = -1;
    for (unsigned d = 1; d <= 30; d++) { /* before noon local (10:00 UTC in summer) */
        for (int k = 0; k < 60; k++) {
            double t = utc(2024, 6, d, 9, 0) + 60.0 * k;
            double surplus = sim_pv_power(&c, t) - sim_home_load(&c, t);
            if (surplus > best)
                best = surplus, t_morning = t;
        }
    }
    sim_model_init_at(&m, &c, t_morning, 0.2 * c.bat_capacity_wh);
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat > 3000);
    m.ctl.weather_regulated = true;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, 3000);
    CHECK((f.status & RSCP_EMS_STATUS_WEATHER_THROTTLED) != 0);
    m.ctl.weather_regulated = false;

    /* A charge idle period over the whole day (every weekday): the
     * morning surplus does not charge the battery, the charge bit (not the
     * discharge bit) is set; with the enable flag off it charges again. */
    m.ctl.idle_enabled = true;
    for (uint8_t d = 0; d < 7; d++)
        m.ctl.idle[d * 2u] = (struct sim_idle_period){0, d, true, 0, 0, 23, 59};
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, 0);
    CHECK((f.status & RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD) != 0);
    CHECK((f.status & RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD) == 0);
    m.ctl.idle_enabled = false;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat > 3000 && (f.status & RSCP_EMS_STATUS_CHARGE_IDLE_PERIOD) == 0);
    for (uint8_t d = 0; d < 7; d++)
        m.ctl.idle[d * 2u].active = false;

    /* SET_POWER charge (mode 3) takes the surplus only, never the grid:
     * asked for more than the surplus it charges with the surplus (at most
     * its charge power) and draws nothing from the grid; at
     * night it does not charge at all. Discharge (mode 2) gives what is
     * asked, the part the house does not use fed in. */
    int32_t surplus = f.pv + f.add - f.home - f.wb;
    CHECK(surplus > 3000);
    m.ctl.set_power_mode = 3;
    m.ctl.set_power_value = 2000;
    m.ctl.set_power_until = m.t + 10.0;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, 2000);
    CHECK((f.status & RSCP_EMS_STATUS_DISCHARGE_LOCKED) != 0);
    m.ctl.set_power_value = surplus + 2000;
    f = sim_model_flows(&m, 1.0);
    int32_t can = (int32_t)floor(sim_model_max_charge(&m));
    CHECK_INT(f.bat, f.pv + f.add - f.home - f.wb < can ? f.pv + f.add - f.home - f.wb : can);
    CHECK(f.grid <= 0); /* nothing drawn from the grid */
    struct sim_inputs in = {2500, 0, 500}; /* 2000 W of surplus, below the charge power */
    m.ctl.set_power_value = 3000;
    f = sim_model_flows_from(&m, 1.0, &in);
    CHECK_INT(f.bat, 2000 - f.wb > 0 ? 2000 - f.wb : 0);
    CHECK_INT(f.grid, 0);
    m.ctl.set_power_mode = 2;
    m.ctl.set_power_value = 1500;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, -1500);
    CHECK_INT(f.grid, f.home + f.wb - 1500 - f.pv - f.add);
    CHECK((f.status & RSCP_EMS_STATUS_CHARGE_LOCKED) != 0);
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 6000.0); /* night: no surplus */
    m.ctl.set_power_mode = 3;
    m.ctl.set_power_value = 2000;
    m.ctl.set_power_until = m.t + 10.0;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, 0);
    CHECK(f.grid > 0);
    m.ctl.set_power_until = m.t; /* not resent: automatic, the night from the battery */
    CHECK(sim_model_flows(&m, 1.0).bat < 0);

    /* Idle periods: device local time, the enable flag, the status bits. */
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 6000.0); /* a Saturday, 21:00 local */
    m.ctl.idle[5 * 2 + 1] = (struct sim_idle_period){1, 5, true, 20, 30, 22, 0};
    CHECK(sim_model_flows(&m, 1.0).bat < 0); /* not enabled */
    m.ctl.idle_enabled = true;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat == 0 && (f.status & RSCP_EMS_STATUS_DISCHARGE_IDLE_PERIOD) != 0);
    m.ctl.idle[5 * 2 + 1].start_h = 21; /* from 21:30: not yet */
    CHECK(sim_model_flows(&m, 1.0).bat < 0);

    /* Manual charge from the grid until its energy is in. */
    m.ctl.mc_active = true;
    m.ctl.mc_target_wh = 100.0;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat == (int32_t)c.bat_max_charge_w && f.grid == f.home + f.bat);
    CHECK((f.status & RSCP_EMS_STATUS_DISCHARGE_LOCKED) != 0);
    for (int i = 0; i < 120 && m.ctl.mc_active; i++)
        sim_model_step(&m, 1.0, NULL);
    CHECK(!m.ctl.mc_active && m.ctl.mc_charged_wh >= 99.0 && m.ctl.mc_charged_wh <= 100.0 + 1e-9);
}

/* A car in mixed mode and the battery: the battery charges from the
 * surplus the car does not take (first, when it comes before the car),
 * covers only the house's deficit, and is never discharged into the car;
 * the car's shortfall comes from the grid. A battery within the margin
 * below full takes nothing, also in a very short step. */
static void test_wallbox_battery(void)
{
    struct sim_config c;
    sim_config_default(&c);
    c.add_peak_w = 0.0;
    c.derate_share = 0.0;
    struct sim_model m;

    /* Night, mixed mode: the house from the battery, the car from the grid. */
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 8000.0);
    m.car_present = true;
    m.car_need_wh = 20000.0;
    m.ctl.wb_sun_mode = false;
    struct sim_flows f = sim_model_flows(&m, 1.0);
    int32_t deficit = f.home - f.pv - f.add;
    CHECK(deficit >= 65);
    CHECK_INT(f.wb, (int32_t)sim_model_wb_max(&m));
    CHECK_INT(f.wb_solar, 0);
    CHECK_INT(f.bat, -deficit);
    CHECK_INT(f.grid, f.wb);
    /* Sun mode at night: no car charging, the same battery. */
    m.ctl.wb_sun_mode = true;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.wb == 0 && f.bat == -deficit && f.grid == 0);

    /* Midday, mixed mode, a surplus smaller than the car's power. */
    double t_noon = 0, best = -1;
    for (unsigned d = 1; d <= 30; d++)
        for (int k = 0; k < 24; k++) {
            double t = utc(2024, 6, d, 10, 0) + 300.0 * k;
            double surplus = sim_pv_power(&c, t) - sim_home_load(&c, t);
            if (surplus > best)
                best = surplus, t_noon = t;
        }
    sim_model_init_at(&m, &c, t_noon, 0.2 * c.bat_capacity_wh);
    m.car_present = true;
    m.car_need_wh = 20000.0;
    m.ctl.wb_sun_mode = false;
    m.ctl.battery_before_car = true;
    f = sim_model_flows(&m, 1.0);
    int32_t surplus = f.pv + f.add - f.home;
    int32_t chg = (int32_t)c.bat_max_charge_w;
    CHECK(surplus > chg && surplus < f.wb);
    CHECK_INT(f.bat, chg);                  /* the battery first */
    CHECK_INT(f.wb_solar, surplus - chg);   /* the car the rest of the sun */
    CHECK_INT(f.grid, f.wb - f.wb_solar);   /* and its shortfall from the grid */
    m.ctl.battery_before_car = false;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.wb_solar == surplus && f.bat == 0 && f.grid == f.wb - surplus);
    /* Sun mode, the battery first: the car from what is left, no grid. */
    m.ctl.wb_sun_mode = true;
    m.ctl.battery_before_car = true;
    f = sim_model_flows(&m, 1.0);
    int32_t left = surplus - chg;
    int32_t want = (double)left >= sim_model_wb_min(&m) ? min32(left, (int32_t)sim_model_wb_max(&m)) : 0;
    CHECK(f.bat == chg && f.wb == want && f.wb_solar == f.wb && f.grid == f.wb - left);

    /* Within the margin below full: no charge, however short the step. */
    c.wallbox = false;
    sim_model_init_at(&m, &c, t_noon, c.bat_capacity_wh - 0.5 * SIM_BAT_FLOOR_MARGIN_WH);
    CHECK_INT(sim_model_flows(&m, 0.05).bat, 0);
    CHECK_INT(sim_model_flows(&m, 1.0).bat, 0);
    sim_model_init_at(&m, &c, t_noon, c.bat_capacity_wh - 2.0 * SIM_BAT_FLOOR_MARGIN_WH);
    CHECK(sim_model_flows(&m, 1.0).bat > 0);
}

/* The wallbox's new controls: battery-to-car discharging down to the
 * discharge-until SOC, the enforced power assignment in mixed mode, the
 * minimum current (sun mode starts at it), the automatic phase switch. */
static void test_wallbox_controls(void)
{
    struct sim_config c;
    sim_config_default(&c);
    c.add_peak_w = 0.0;
    c.derate_share = 0.0;
    struct sim_model m;

    /* Night, mixed mode, SOC 58 %: battery to car takes the car's grid power. */
    sim_model_init_at(&m, &c, utc(2024, 12, 21, 20, 0), 8000.0);
    m.car_present = true;
    m.car_need_wh = 20000.0;
    m.ctl.wb_sun_mode = false;
    m.ctl.wb_current_a = 6; /* 4140 W on three phases */
    struct sim_flows f = sim_model_flows(&m, 1.0);
    int32_t deficit = f.home - f.pv - f.add;
    CHECK(f.wb == 4140 && f.grid == f.wb && f.bat == -deficit && deficit + f.wb < 6000);
    m.ctl.battery_to_car = true;
    m.ctl.wb_discharge_until = 20;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, -(deficit + f.wb));
    CHECK_INT(f.grid, 0);
    m.ctl.wb_discharge_until = 60; /* above the SOC: the car from the grid again */
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat == -deficit && f.grid == f.wb);
    m.ctl.wb_discharge_until = 20;
    m.ctl.max_discharge_w = 1000; /* within the battery's discharge limit */
    m.ctl.limits_used = true;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, -(int32_t)sim_model_max_discharge(&m));
    CHECK_INT(f.grid, f.home + f.wb + f.bat);
    m.ctl.limits_used = false;
    m.ctl.battery_to_car = false;
    m.ctl.wb_current_a = 16;

    /* Midday, mixed mode, the battery before the car: enforcing the power
     * assignment gives the car the surplus and the battery nothing. */
    double t_noon = 0, best = -1;
    for (unsigned d = 1; d <= 30; d++)
        for (int k = 0; k < 24; k++) {
            double t = utc(2024, 6, d, 10, 0) + 300.0 * k;
            double surplus = sim_pv_power(&c, t) - sim_home_load(&c, t);
            if (surplus > best)
                best = surplus, t_noon = t;
        }
    sim_model_init_at(&m, &c, t_noon, 0.2 * c.bat_capacity_wh);
    m.car_present = true;
    m.car_need_wh = 20000.0;
    m.ctl.wb_sun_mode = false;
    f = sim_model_flows(&m, 1.0);
    int32_t surplus = f.pv + f.add - f.home;
    CHECK(f.bat > 0 && surplus < f.wb);
    m.ctl.wb_enforce_power = true;
    f = sim_model_flows(&m, 1.0);
    CHECK_INT(f.bat, 0);
    CHECK_INT(f.wb_solar, surplus);
    CHECK_INT(f.grid, f.wb - surplus);
    m.ctl.wb_sun_mode = true; /* only in mixed mode */
    f = sim_model_flows(&m, 1.0);
    CHECK(f.bat > 0);
    m.ctl.wb_enforce_power = false;

    /* Sun mode: the minimum current raises the least power; with the
     * automatic phase switch a surplus too small for three phases charges
     * on one. */
    CHECK(fabs(sim_model_wb_min(&m) - 3 * 1380.0) < 1e-9);
    m.ctl.wb_min_current_a = 10;
    CHECK(fabs(sim_model_wb_min(&m) - 3 * 2300.0) < 1e-9);
    m.ctl.wb_min_current_a = SIM_WB_MIN_CURRENT_A;
    m.ctl.battery_before_car = false;
    double t_low = 0;
    for (int k = 0; k < 48 && t_low == 0; k++) { /* a surplus of 1.5..4 kW */
        double t = utc(2024, 6, 10, 6, 0) + 300.0 * k;
        double s = sim_pv_power(&c, t) - sim_home_load(&c, t);
        if (s > 1500 && s < 4000)
            t_low = t;
    }
    CHECK(t_low > 0);
    sim_model_init_at(&m, &c, t_low, 0.2 * c.bat_capacity_wh);
    m.car_present = true;
    m.car_need_wh = 20000.0;
    m.ctl.battery_before_car = false;
    f = sim_model_flows(&m, 1.0);
    CHECK(f.wb == 0 && f.wb_phases_used == 0); /* too little for 3 x 6 A */
    m.ctl.wb_auto_phase = true;
    f = sim_model_flows(&m, 1.0);
    surplus = f.pv + f.add - f.home;
    CHECK_INT(f.wb_phases_used, 1);
    CHECK_INT(f.wb, min32(surplus, 230 * 16));
    m.ctl.wb_min_current_a = 16; /* 3680 W on one phase: more than there is */
    f = sim_model_flows(&m, 1.0);
    CHECK(surplus < 3680 && f.wb == 0);
}

int main(void)
{
    test_civil();
    test_sun();
    test_balance();
    test_battery_limits();
    test_controls();
    test_wallbox_battery();
    test_wallbox_controls();
    test_determinism();
    test_history();
    test_day_memo();
    test_history_records();
    test_history_store();
    return th_finish();
}
