/* rscp_bench_net: network benchmarks of librscp over loopback.
 *
 *   rscp_bench_net [--conns N] [--requests N] [--runs N] [--rounds N]
 *                  [--only latency|many|history|hostile] [--quick]
 *
 *   --conns N     concurrent connections of the many-connection workload (1000)
 *   --requests N  requests per timed run of the latency workload (4000)
 *   --runs N      timed runs of the latency workload; medians are reported (11)
 *   --rounds N    request rounds over all connections; medians (20)
 *   --only W      run one workload: latency (1 and 3), many (2),
 *                 history (4) or hostile (5)
 *   --quick       small counts (50 connections, short runs), e.g. for
 *                 sanitizer builds; also RSCP_BENCH_NET_QUICK=1
 * RSCP_BENCH_NET_CONNS=N sets --conns from the environment (after
 * RSCP_BENCH_NET_QUICK); options apply in order, so --quick resets counts
 * given before it.
 *
 * Output: one "name value unit" line per metric, '#' lines are comments.
 * The latency workload runs twice: unpinned, then with every thread pinned
 * to one CPU (metrics suffixed _1cpu).
 * Exit status 1 when a workload fails (e.g. a reply does not check out). */
#define _GNU_SOURCE 1 /* sched_setaffinity, CPU_SET */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_net.h"

static int parse_count(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || end == s || *end != '\0' || v == 0 || v > 1000000ul)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static void set_quick(struct bn_opts *o)
{
    o->conns = 50;
    o->warmup = 200;
    o->requests = 500;
    o->runs = 3;
    o->rounds = 2;
}

static int usage(void)
{
    fprintf(stderr, "usage: rscp_bench_net [--conns N] [--requests N] [--runs N] [--rounds N] "
                    "[--only latency|many|history|hostile] [--quick]\n");
    return 2;
}

static const char *only; /* NULL: every workload */

static bool selected(const char *workload)
{
    return !only || strcmp(only, workload) == 0;
}

static int parse_args(int argc, char **argv, struct bn_opts *o)
{
    *o = (struct bn_opts){.conns = 1000, .warmup = 2000, .requests = 4000, .runs = 11, .rounds = 20};
    const char *env = getenv("RSCP_BENCH_NET_QUICK");
    if (env && env[0] && strcmp(env, "0") != 0)
        set_quick(o);
    env = getenv("RSCP_BENCH_NET_CONNS");
    if (env && parse_count(env, &o->conns) != 0)
        return usage();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned *dst = NULL;
        if (strcmp(a, "--quick") == 0) {
            set_quick(o);
            continue;
        }
        if (strcmp(a, "--only") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "latency") == 0 || strcmp(argv[i + 1], "many") == 0 ||
             strcmp(argv[i + 1], "history") == 0 || strcmp(argv[i + 1], "hostile") == 0)) {
            only = argv[++i];
            continue;
        }
        if (strcmp(a, "--conns") == 0)
            dst = &o->conns;
        else if (strcmp(a, "--requests") == 0)
            dst = &o->requests;
        else if (strcmp(a, "--runs") == 0)
            dst = &o->runs;
        else if (strcmp(a, "--rounds") == 0)
            dst = &o->rounds;
        if (!dst || i + 1 >= argc || parse_count(argv[i + 1], dst) != 0)
            return usage();
        i++;
    }
    return 0;
}

static int latency_on(enum bn_kind kind, const struct bn_opts *o, double *allocs)
{
    struct bn_target t;
    if (bn_target_start(&t, kind) != 0)
        return -1;
    int rc = bn_latency(&t, o, allocs);
    bn_target_stop(&t);
    return rc;
}

static int latency_workloads_once(const struct bn_opts *o);

/* Workloads 1 and 3, run twice: as the scheduler places the threads, then
 * with every thread pinned to one CPU. On virtual machines an idle vCPU
 * takes tens of microseconds to wake, which dominates a loopback round trip
 * between two threads on different CPUs; the pinned run shows the protocol
 * path without that (a client polling a device over a LAN pays neither). */
static int latency_workloads(const struct bn_opts *o)
{
    if (latency_workloads_once(o) != 0)
        return -1;
    cpu_set_t all, one;
    if (sched_getaffinity(0, sizeof all, &all) != 0) {
        printf("# cannot read the CPU affinity: no pinned run\n");
        return 0;
    }
    size_t first = 0;
    while (first + 1 < (size_t)CPU_SETSIZE && !CPU_ISSET(first, &all))
        first++;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        printf("# cannot pin to one CPU: no pinned run\n");
        return 0;
    }
    printf("# -- the same, every thread pinned to CPU %zu (suffix _1cpu) --\n", first);
    bn_label_suffix = "_1cpu";
    int rc = latency_workloads_once(o);
    bn_label_suffix = "";
    sched_setaffinity(0, sizeof all, &all);
    return rc;
}

/* One connection, sequential requests, against the simulator and the
 * minimal server; the client's allocations. */
static int latency_workloads_once(const struct bn_opts *o)
{
    printf("# -- request/response over one authenticated connection, sequential --\n");
    printf("# sim: the simulator (device model) on a thread of this process (sim_spawn)\n");
    double allocs_sim = -1.0, allocs_min = -1.0;
    if (latency_on(BN_TARGET_SIM, o, &allocs_sim) != 0)
        return -1;
    printf("# minimal: rscp_server on a thread, fixed-value handler: client + library cost without the model\n");
    if (latency_on(BN_TARGET_MINIMAL, o, &allocs_min) != 0)
        return -1;

    if (bn_rawtcp(o) != 0)
        return -1;

    printf("# -- heap allocations of the client thread per request, steady state (interposed malloc) --\n");
    if (allocs_sim >= 0.0) {
        printf("allocs_per_request_client %.2f allocs/req\n", allocs_sim);
        printf("# against the minimal server: %.2f allocs/req\n", allocs_min);
    } else {
        printf("# allocation counting unavailable in this build (sanitizer or not glibc)\n");
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct bn_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;
    signal(SIGPIPE, SIG_IGN);
    if (bn_live_init() != 0)
        return 1;
    int64_t t0 = bn_now_ns();

    printf("# rscp_bench_net: librscp %s, loopback TCP, Rijndael-256-CBC, frames with CRC\n", rscp_version());
    printf("# live request: 10 NONE blocks (");
    for (size_t i = 0; i < BN_LIVE_TAGS; i++)
        printf("%s%s", i ? " " : "", bn_live_names[i]);
    printf(")\n");

    if (selected("latency") && latency_workloads(&o) != 0)
        return 1;
    if (selected("many")) {
        printf("# -- many concurrent authenticated connections --\n");
        if (bn_many(BN_TARGET_SIM, &o) != 0)
            return 1;
        printf("# the same against the minimal server (rscp_server alone: memory per connection without the "
               "simulator's history store, which its SCHED_IDLE thread fills meanwhile)\n");
        if (bn_many(BN_TARGET_MINIMAL, &o) != 0)
            return 1;
    }
    if (selected("history") && bn_history(&o) != 0)
        return 1;
    if (selected("hostile") && bn_hostile(&o) != 0)
        return 1;
    printf("# total time %.1f s\n", (double)(bn_now_ns() - t0) / 1e9);
    return 0;
}
