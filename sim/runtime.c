/* Device + clock + server, and the background-thread simulator. */
#include "runtime.h"

#include "preset.h"

#include "rscp/clock.h"
#include "rscp/error.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double sim_clock_now(const struct sim_clock *c)
{
    double elapsed = (double)(rscp_monotonic_ms() - c->start_ms) / 1000.0;
    return c->start + elapsed * c->speed;
}

struct rscp_timestamp sim_timestamp(double t)
{
    double s = floor(t);
    double ns = (t - s) * 1e9;
    struct rscp_timestamp ts = {(int64_t)s, ns < 999999999.0 ? (uint32_t)ns : 999999999u};
    return ts;
}

void sim_config_from_options(struct sim_config *c, const struct sim_spawn_options *o)
{
    sim_config_default(c);
    c->seed = o->seed + o->site; /* wraps: every uint64 is a seed */
    const struct sim_preset *p = sim_preset_find(o->model);
    if (p)
        sim_preset_apply(p, c);
    if (o->batteries > 0)
        c->batteries = o->batteries > SIM_MAX_BATTERIES ? SIM_MAX_BATTERIES : o->batteries;
    if (o->trackers > 0)
        c->trackers = o->trackers > SIM_MAX_TRACKERS ? SIM_MAX_TRACKERS : o->trackers;
    if (o->bat_max_charge_w > 0.0)
        c->bat_max_charge_w = o->bat_max_charge_w;
    if (o->derate_percent != 0.0)
        c->derate_share = o->derate_percent > 0.0 ? o->derate_percent / 100.0 : 0.0;
    if (o->car_max_w > 0.0)
        c->car_max_w = o->car_max_w;
    if (o->wallboxes > 0)
        c->wallbox = true; /* the first wallbox is the model's, with the car */
    /* More strings: more capacity and power, same modules per string. */
    c->bat_capacity_wh *= (double)c->batteries;
    c->bat_max_charge_w *= (double)c->batteries;
    c->bat_max_discharge_w *= (double)c->batteries;
}

/* The server's clock for reply headers: simulated time. The server reads
 * it right before each request's handler runs, so the handler answers at
 * the instant the header shows. */
static struct rscp_timestamp reply_time(void *ctx)
{
    struct sim_runtime *r = ctx;
    r->stamp = sim_clock_now(&r->clock);
    return sim_timestamp(r->stamp);
}

static int on_request(void *ctx, const struct rscp_session_info *session, const struct rscp_frame *request,
                      struct rscp_builder *reply)
{
    struct sim_runtime *r = ctx;
    return sim_handle(&r->dev, r->stamp, session->auth_level, request->data, request->data_len, reply);
}

#if defined(__linux__) && !defined(SCHED_IDLE)
#define SCHED_IDLE 5 /* <sched.h> names it only with _GNU_SOURCE */
#endif

/* What the runtime and its history thread share: the store, the stop
 * flag, and two references. Whoever lets go last frees it, so the
 * runtime never waits for a thread that runs only when a CPU is idle.
 * Live ones are on a list, so leak checkers at exit see them reachable. */
struct sim_history_fill {
    struct sim_history_store *store;
    int64_t today;
    atomic_int stop;
    atomic_int refs;
    struct sim_history_fill *prev, *next;
};

static pthread_mutex_t fills_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sim_history_fill *fills;

static void fill_release(struct sim_history_fill *f)
{
    if (atomic_fetch_sub(&f->refs, 1) != 1)
        return;
    pthread_mutex_lock(&fills_lock);
    if (f->prev)
        f->prev->next = f->next;
    else
        fills = f->next;
    if (f->next)
        f->next->prev = f->prev;
    pthread_mutex_unlock(&fills_lock);
    sim_history_store_free(f->store);
    free(f);
}

static void *fill_history(void *arg)
{
    struct sim_history_fill *f = arg;
#ifdef SCHED_IDLE
    struct sched_param sp;
    memset(&sp, 0, sizeof sp);
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp); /* best effort */
#endif
    sim_history_store_fill(f->store, f->today, &f->stop);
    fill_release(f);
    return NULL;
}

/* The device's history store and, with `fill`, the detached thread that
 * fills it; without a store (no memory) every request computes its days. */
static void start_history(struct sim_runtime *r, bool fill)
{
    const struct sim_config *c = &r->dev.model.cfg;
    int64_t first = r->dev.history_first_day;
    int64_t today = sim_local_day(&c->tz, (int64_t)floor(r->clock.start));
    int64_t ndays = today - first + 1 + (int64_t)SIM_HISTORY_AHEAD_DAYS;
    struct sim_history_fill *f = calloc(1, sizeof *f);
    if (!f)
        return;
    f->store = sim_history_store_new(c, first, (unsigned)ndays);
    if (!f->store) {
        free(f);
        return;
    }
    f->today = today;
    atomic_init(&f->stop, 0);
    atomic_init(&f->refs, 2);
    pthread_mutex_lock(&fills_lock);
    f->next = fills;
    if (fills)
        fills->prev = f;
    fills = f;
    pthread_mutex_unlock(&fills_lock);
    pthread_attr_t attr;
    pthread_t th;
    bool started = fill && pthread_attr_init(&attr) == 0;
    if (started) {
        started = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                  pthread_create(&th, &attr, fill_history, f) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started)
        atomic_store(&f->refs, 1); /* only the runtime's */
    r->history = f;
    r->dev.history_store = f->store;
}

int sim_runtime_new(const struct sim_spawn_options *o, struct sim_runtime **out, char *errbuf, size_t errcap)
{
    *out = NULL;
    if (errcap)
        errbuf[0] = '\0';
    const struct sim_preset *preset = sim_preset_find(o->model);
    if (o->speed < 0.0 || o->pm_root_index > 255 || (o->model && !preset)) {
        snprintf(errbuf, errcap, "invalid simulator options");
        return RSCP_ERR_ARG;
    }
    struct sim_runtime *r = malloc(sizeof *r); /* not calloc: see the member dev */
    if (r)
        memset(r, 0, offsetof(struct sim_runtime, dev));
    if (!r) {
        snprintf(errbuf, errcap, "out of memory");
        return RSCP_ERR_NOMEM;
    }
    struct sim_config cfg;
    sim_config_from_options(&cfg, o);
    double start = o->start;
    if (start == 0.0) {
        struct rscp_timestamp now = rscp_timestamp_now();
        start = (double)now.seconds;
    }
    sim_device_init(&r->dev, &cfg, start, o->pm_root_index);
    sim_device_set_site(&r->dev, o->seed, o->site);
    r->dev.refuse_writes = o->refuse_writes;
    if (preset)
        sim_device_set_meters(&r->dev, preset->meters, preset->n_meters);
    if (o->wallboxes > 0)
        sim_device_set_wallboxes(&r->dev, o->wallboxes);
    r->clock.start = start;
    r->clock.start_ms = rscp_monotonic_ms();
    r->clock.speed = o->speed > 0.0 ? o->speed : 1.0;

    struct rscp_server_config sc;
    rscp_server_config_init(&sc);
    sc.bind_host = o->bind ? o->bind : "127.0.0.1";
    sc.port = o->port;
    sc.user = o->user ? o->user : SIM_DEFAULT_USER;
    sc.password = o->password ? o->password : SIM_DEFAULT_PASSWORD;
    sc.key = o->key ? o->key : SIM_DEFAULT_KEY;
    sc.handler = on_request;
    sc.handler_ctx = r;
    sc.faults = o->faults;
    if (o->auth_timeout_ms)
        sc.auth_timeout_ms = o->auth_timeout_ms > 0 ? o->auth_timeout_ms : 0;
    if (o->idle_timeout_ms)
        sc.idle_timeout_ms = o->idle_timeout_ms > 0 ? o->idle_timeout_ms : 0;
    sc.now = reply_time;
    sc.now_ctx = r;
    r->stamp = start;
    int rc = rscp_server_new(&r->server, &sc);
    if (rc < 0) {
        /* The server's detail ends in the system's reason ("...: Address
         * already in use"); the generic text only without one. */
        const char *detail = rscp_server_errstr(NULL);
        const char *reason = detail ? strrchr(detail, ':') : NULL;
        snprintf(errbuf, errcap, "cannot listen on %s:%u: %s", sc.bind_host, (unsigned)sc.port,
                 reason && reason[1] == ' ' && reason[2] ? reason + 2 : rscp_strerror(rc));
        free(r);
        return rc;
    }
    start_history(r, !o->history_on_request);
    *out = r;
    return 0;
}

void sim_runtime_free(struct sim_runtime *r)
{
    if (!r)
        return;
    rscp_server_free(r->server); /* nobody asks for history any more */
    if (r->history) {
        atomic_store(&r->history->stop, 1);
        fill_release(r->history);
    }
    free(r);
}

/* ---- background thread ---------------------------------------------------- */

struct sim_handle {
    struct sim_runtime *rt;
    pthread_t thread;
    volatile int stop;
};

static void *serve(void *arg)
{
    struct sim_handle *h = arg;
    rscp_server_run(h->rt->server, &h->stop);
    return NULL;
}

int sim_spawn(const struct sim_spawn_options *o, struct sim_handle **out, uint16_t *port)
{
    if (!o || !out)
        return RSCP_ERR_ARG;
    *out = NULL;
    struct sim_handle *h = calloc(1, sizeof *h);
    if (!h)
        return RSCP_ERR_NOMEM;
    char err[160];
    int rc = sim_runtime_new(o, &h->rt, err, sizeof err);
    if (rc < 0) {
        free(h);
        return rc;
    }
    if (pthread_create(&h->thread, NULL, serve, h) != 0) {
        sim_runtime_free(h->rt);
        free(h);
        return RSCP_ERR_NOMEM;
    }
    if (port)
        *port = rscp_server_port(h->rt->server);
    *out = h;
    return 0;
}

void sim_stop(struct sim_handle *h)
{
    if (!h)
        return;
    h->stop = 1;
    pthread_join(h->thread, NULL);
    sim_runtime_free(h->rt);
    free(h);
}
