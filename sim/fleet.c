/* N simulators on consecutive ports, a thread each. */
#include "fleet.h"

#include "runtime.h"

#include "rscp/clock.h"
#include "rscp/error.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct fleet_site {
    struct sim_runtime *rt;
    pthread_t thread;
    bool started;
    atomic_int done;       /* the thread left its loop */
    struct sim_fleet *fleet;
};

struct sim_fleet {
    unsigned n;
    uint16_t base;
    atomic_int stop;
    struct fleet_site *sites;
};

static void free_sites(struct fleet_site *sites, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        sim_runtime_free(sites[i].rt);
}

/* Bind sites [0, n) from base (0: site 0 picks the port). Returns 0, or
 * the error of the first site that failed, with every site freed. */
static int bind_range(const struct sim_spawn_options *o, unsigned n, uint16_t base, struct fleet_site *sites,
                      char *err, size_t errcap)
{
    struct sim_spawn_options so = *o;
    for (unsigned i = 0; i < n; i++) {
        so.site = i;
        so.port = (uint16_t)(base ? base + i : 0);
        char detail[200];
        int rc = sim_runtime_new(&so, &sites[i].rt, detail, sizeof detail);
        if (rc < 0) {
            snprintf(err, errcap, "site %u of %u: %s", i, n, detail);
            free_sites(sites, i);
            memset(sites, 0, (size_t)n * sizeof *sites);
            return rc;
        }
        if (i == 0 && !base) {
            base = rscp_server_port(sites[0].rt->server);
            if ((uint32_t)base + n - 1u > 65535u) {
                snprintf(err, errcap, "site 0 of %u: port %u leaves no room for %u ports", n, (unsigned)base, n);
                free_sites(sites, 1);
                memset(sites, 0, (size_t)n * sizeof *sites);
                return RSCP_ERR_IO;
            }
        }
    }
    return 0;
}

/* Where try t of a free range of n ports starts: below the system's
 * ephemeral ports (ip_local_port_range), where outgoing connections do
 * not take ports at random, from a start that differs per process; 0 (the
 * system picks site 0's port) when there is no room there. */
static uint16_t free_range_base(unsigned n, unsigned t)
{
    unsigned low = 32768;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%u", &low) != 1)
            low = 32768;
        fclose(f);
    }
    const unsigned first = 10000;
    if (low > 65536u || low < first + n + 1u)
        return 0;
    unsigned room = low - first - n; /* bases first .. first+room-1 end below low */
    uint64_t h = (uint64_t)rscp_monotonic_ms() * 0x9E3779B97F4A7C15ull + (uint64_t)t * 0xBF58476D1CE4E5B9ull +
                 (uint64_t)(unsigned)getpid();
    h ^= h >> 31;
    return (uint16_t)(first + (unsigned)(h % room));
}

int sim_fleet_new(const struct sim_spawn_options *o, unsigned n, struct sim_fleet **out, char *err, size_t errcap)
{
    *out = NULL;
    if (errcap)
        err[0] = '\0';
    if (n == 0 || n > SIM_MAX_SITES) {
        snprintf(err, errcap, "invalid number of sites %u (1..%u)", n, SIM_MAX_SITES);
        return RSCP_ERR_ARG;
    }
    if ((uint32_t)o->port + n - 1u > 65535u) {
        snprintf(err, errcap, "ports %u..%u: the last is above 65535", (unsigned)o->port, (unsigned)o->port + n - 1u);
        return RSCP_ERR_ARG;
    }
    struct sim_fleet *f = calloc(1, sizeof *f);
    struct fleet_site *sites = calloc(n, sizeof *sites);
    if (!f || !sites) {
        free(f);
        free(sites);
        snprintf(err, errcap, "out of memory");
        return RSCP_ERR_NOMEM;
    }
    struct sim_spawn_options so = *o;
    so.history_on_request = true;
    if (so.start == 0.0) /* one instant for all: the sites' clocks agree */
        so.start = (double)rscp_timestamp_now().seconds;
    int rc = RSCP_ERR_IO;
    unsigned tries = o->port ? 1u : SIM_FLEET_PORT_TRIES;
    for (unsigned t = 0; t < tries; t++) {
        rc = bind_range(&so, n, o->port ? o->port : free_range_base(n, t), sites, err, errcap);
        if (rc != RSCP_ERR_IO)
            break; /* bound, or a failure another range does not cure */
    }
    if (rc < 0) {
        free(sites);
        free(f);
        return rc;
    }
    f->n = n;
    f->base = rscp_server_port(sites[0].rt->server);
    f->sites = sites;
    atomic_init(&f->stop, 0);
    for (unsigned i = 0; i < n; i++) {
        atomic_init(&sites[i].done, 0);
        sites[i].fleet = f;
    }
    *out = f;
    return 0;
}

static void on_wake(int sig)
{
    (void)sig; /* only interrupts poll() */
}

/* A site's thread: its server's loop until the fleet stops. Every signal
 * but SIGUSR1 (the wake-up) and the synchronous ones is blocked here, so
 * the thread that started the fleet receives SIGINT and SIGTERM. */
static void *serve_site(void *arg)
{
    struct fleet_site *s = arg;
    sigset_t m;
    sigfillset(&m);
    int keep[] = {SIGUSR1, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
        sigdelset(&m, keep[k]);
    pthread_sigmask(SIG_SETMASK, &m, NULL);
    while (!atomic_load_explicit(&s->fleet->stop, memory_order_acquire))
        if (rscp_server_run_once(s->rt->server, SIM_FLEET_WAKE_MS) < 0) {
            fprintf(stderr, "rscp sim: site on port %u stopped: %s\n", (unsigned)rscp_server_port(s->rt->server),
                    rscp_server_errstr(s->rt->server));
            break; /* poll() itself failed: nothing this site can do */
        }
    atomic_store_explicit(&s->done, 1, memory_order_release);
    return NULL;
}

int sim_fleet_start(struct sim_fleet *f, char *err, size_t errcap)
{
    if (errcap)
        err[0] = '\0';
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_wake; /* no SA_RESTART: poll() returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) {
        snprintf(err, errcap, "cannot set up threads");
        return RSCP_ERR_NOMEM;
    }
    (void)pthread_attr_setstacksize(&attr, SIM_FLEET_STACK); /* else the default */
    int rc = 0;
    for (unsigned i = 0; i < f->n; i++) {
        int e = pthread_create(&f->sites[i].thread, &attr, serve_site, &f->sites[i]);
        if (e != 0) {
            snprintf(err, errcap, "cannot start the thread of site %u (port %u): %s%s", i, (unsigned)f->base + i,
                     strerror(e), e == EAGAIN ? " (limit of processes or threads, ulimit -u?)" : "");
            rc = RSCP_ERR_NOMEM;
            break;
        }
        f->sites[i].started = true;
    }
    pthread_attr_destroy(&attr);
    return rc;
}

unsigned sim_fleet_sites(const struct sim_fleet *f)
{
    return f->n;
}

uint16_t sim_fleet_base_port(const struct sim_fleet *f)
{
    return f->base;
}

const char *sim_fleet_serial(const struct sim_fleet *f, unsigned i)
{
    return i < f->n ? f->sites[i].rt->dev.serial : "";
}

double sim_fleet_start_time(const struct sim_fleet *f)
{
    return f->sites[0].rt->clock.start;
}

double sim_fleet_speed(const struct sim_fleet *f)
{
    return f->sites[0].rt->clock.speed;
}

void sim_fleet_free(struct sim_fleet *f)
{
    if (!f)
        return;
    atomic_store_explicit(&f->stop, 1, memory_order_release);
    for (unsigned i = 0; i < f->n; i++)
        if (f->sites[i].started)
            pthread_kill(f->sites[i].thread, SIGUSR1);
    /* A thread between its stop check and poll() misses the signal: wake
     * it again until it is out (else it leaves after SIM_FLEET_WAKE_MS). */
    for (unsigned i = 0; i < f->n; i++) {
        struct fleet_site *s = &f->sites[i];
        if (!s->started)
            continue;
        for (int k = 0; k < SIM_FLEET_WAKE_MS && !atomic_load_explicit(&s->done, memory_order_acquire); k++) {
            struct timespec ts = {0, 1000000L};
            nanosleep(&ts, NULL);
            pthread_kill(s->thread, SIGUSR1);
        }
        pthread_join(s->thread, NULL);
    }
    free_sites(f->sites, f->n);
    free(f->sites);
    free(f);
}
