/* Workload 4: what one DB history request costs the simulator's loop.
 *
 * The handler (sim_handle) answers a history request on the server's
 * thread, so its time is how long one request holds every other client.
 * Timed directly around sim_handle on a device like the one `rscp sim`
 * runs (start 2026-12-03 07:13 Berlin, history from 2025-01-01):
 *  - fill: the background thread's work, filling the store (one thread);
 *  - cold: a year of days with no store (each day computed on the spot,
 *    which a request meets only before the fill reached its days);
 *  - each shape with the store filled: a day of quarter hours, a month
 *    and a year of days, 366 intervals over 800 days, the same off the
 *    step grid, a year of days and a quarter; median of `runs` and the
 *    worst of those medians. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_net.h"

#include "handler.h"
#include "sim_tags.h"

#define BN_HISTORY_REPLY (RSCP_MAX_DATA_LEN + 64u)

static uint8_t req_buf[512];
static uint8_t reply_buf[BN_HISTORY_REPLY];

/* One history request of `tag` answered by d at now; its time in ms, or
 * a negative value when the reply is not a container. */
static double time_request(struct sim_device *d, double now, uint32_t tag, double start, double interval,
                           double span)
{
    struct rscp_builder req;
    rscp_builder_init(&req, req_buf, sizeof req_buf);
    rscp_put_container_open(&req, tag);
    rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_START, (int64_t)start, 0);
    rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_INTERVAL, (int64_t)interval, 0);
    rscp_put_timestamp(&req, RSCP_TAG_DB_REQ_HISTORY_TIME_SPAN, (int64_t)span, 0);
    rscp_put_container_close(&req);
    size_t n;
    if (rscp_builder_finish(&req, &n) != 0)
        return -1.0;
    struct rscp_builder out;
    rscp_builder_init(&out, reply_buf, sizeof reply_buf);
    int64_t t0 = bn_now_ns();
    int rc = sim_handle(d, now, 10, req_buf, n, &out);
    double ms = (double)(bn_now_ns() - t0) / 1e6;
    size_t len;
    struct rscp_block top;
    if (rc != 0 || rscp_builder_finish(&out, &len) != 0 || rscp_find(reply_buf, len, SIM_RESP(tag), &top) != 0 ||
        top.type != RSCP_TYPE_CONTAINER)
        return -1.0;
    return ms;
}

struct shape {
    const char *name;
    uint32_t tag;
    double start_local; /* device-local wall time, as clients send it */
    double interval, span;
};

int bn_history(const struct bn_opts *o)
{
    struct sim_config c;
    sim_config_default(&c);
    double day0 = (double)(sim_days_from_civil(2026, 12, 3) * 86400);
    double start = (double)sim_local_to_utc(&c.tz, (int64_t)day0 + 7 * 3600 + 13 * 60);
    struct sim_device *d = malloc(sizeof *d);
    if (!d)
        return -1;
    sim_device_init(d, &c, start, 0);
    double now = start;
    double y2025 = (double)(sim_days_from_civil(2025, 1, 1) * 86400);
    double y2026 = (double)(sim_days_from_civil(2026, 1, 1) * 86400);
    const struct shape shapes[] = {
        {"day_15min", RSCP_TAG_DB_REQ_HISTORY_DATA_DAY, day0 - 86400, 900, 86400},
        {"month_days", RSCP_TAG_DB_REQ_HISTORY_DATA_MONTH, day0 - 30 * 86400.0, 86400, 31 * 86400.0},
        {"year_days", RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, y2025, 86400, 365 * 86400.0},
        {"span800_366", RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, day0 - 699 * 86400.0, 188000, 366 * 188000.0},
        {"offgrid_366", RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, y2025 + 7, 86400 + 7, 366 * 86407.0},
        {"year_day_quarter", RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, y2026, 86400 + 900, 330 * 87300.0},
    };
    printf("# -- DB history: time one request holds the simulator's loop (sim_handle) --\n");
    printf("# device started 2026-12-03T07:13 Europe/Berlin, history from 2025-01-01\n");

    /* A year with nothing computed yet. */
    double cold = time_request(d, now, RSCP_TAG_DB_REQ_HISTORY_DATA_YEAR, y2025, 86400, 365 * 86400.0);
    if (cold < 0.0) {
        fprintf(stderr, "rscp_bench_net: history request failed\n");
        free(d);
        return -1;
    }
    printf("history_year_cold_ms %.1f ms\n", cold);

    int64_t today = sim_local_day(&c.tz, (int64_t)start);
    unsigned ndays = (unsigned)(today - d->history_first_day + 1);
    struct sim_history_store *s = sim_history_store_new(&c, d->history_first_day, ndays);
    if (!s) {
        free(d);
        return -1;
    }
    atomic_int stop;
    atomic_init(&stop, 0);
    int64_t t0 = bn_now_ns();
    sim_history_store_fill(s, today, &stop);
    double fill_ms = (double)(bn_now_ns() - t0) / 1e6;
    printf("history_fill_ms %.0f ms\n", fill_ms);
    printf("history_fill_per_day_us %.0f us (%u days)\n", fill_ms * 1e3 / ndays, ndays);
    d->history_store = s;

    unsigned runs = o->runs ? o->runs : 1u;
    double *t = calloc(runs, sizeof *t);
    double worst = 0.0;
    const char *worst_name = "";
    int rc = t ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < sizeof shapes / sizeof shapes[0]; k++) {
        const struct shape *sh = &shapes[k];
        for (unsigned r = 0; r < runs && rc == 0; r++) {
            t[r] = time_request(d, now, sh->tag, sh->start_local, sh->interval, sh->span);
            if (t[r] < 0.0) {
                fprintf(stderr, "rscp_bench_net: history request %s failed\n", sh->name);
                rc = -1;
            }
        }
        if (rc != 0)
            break;
        double med = bn_median(t, runs);
        printf("history_%s_ms %.3f ms\n", sh->name, med);
        if (med > worst) {
            worst = med;
            worst_name = sh->name;
        }
    }
    if (rc == 0)
        printf("history_worst_request_ms %.3f ms (%s)\n", worst, worst_name);
    free(t);
    sim_history_store_free(s);
    free(d);
    return rc;
}
