/* Workload 1 (and 3): sequential request/response over one authenticated,
 * encrypted loopback connection.
 *
 * Each request is built in place (rscp_client_request_begin + 10 NONE
 * blocks), sent and answered (rscp_client_request_send); its latency is
 * taken with CLOCK_MONOTONIC around those calls. After a warm-up, `runs`
 * runs of `requests` requests each are timed; every metric is the median
 * over the runs (p50/p99 are per run, over its requests).
 *
 * CPU split: the client's CPU time is this thread's (CLOCK_THREAD_CPUTIME_ID);
 * the server's is the process's minus the client's (CLOCK_PROCESS_CPUTIME_ID),
 * valid because the server thread is the only other thread.
 * Allocations: calls to malloc & co. made by this thread during the timed
 * runs, per request. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_net.h"

#define IO_TIMEOUT_MS 5000

int bn_time_series(bn_exchange_fn once, void *ctx, const struct bn_opts *o, struct bn_series *out)
{
    unsigned runs = o->runs ? o->runs : 1u;
    unsigned n = o->requests ? o->requests : 1u;
    double *lat = calloc(n, sizeof *lat);
    double *p50 = calloc(runs, sizeof *p50);
    double *p99 = calloc(runs, sizeof *p99);
    double *rps = calloc(runs, sizeof *rps);
    double *mean = calloc(runs, sizeof *mean);
    int ret = -1;
    if (!lat || !p50 || !p99 || !rps || !mean) {
        fprintf(stderr, "rscp_bench_net: out of memory\n");
        goto out;
    }
    for (unsigned i = 0; i < o->warmup; i++)
        if (once(ctx) != 0)
            goto out;

    int64_t cpu_self0 = bn_thread_cpu_ns(), cpu_proc0 = bn_process_cpu_ns();
    uint64_t allocs0 = bn_alloc_thread_calls();
    for (unsigned r = 0; r < runs; r++) {
        int64_t t0 = bn_now_ns();
        for (unsigned i = 0; i < n; i++) {
            int64_t a = bn_now_ns();
            if (once(ctx) != 0)
                goto out;
            lat[i] = (double)(bn_now_ns() - a) / 1e3;
        }
        double secs = (double)(bn_now_ns() - t0) / 1e9;
        rps[r] = (double)n / secs;
        double sum = 0.0;
        for (unsigned i = 0; i < n; i++)
            sum += lat[i];
        mean[r] = sum / (double)n;
        p99[r] = bn_quantile(lat, n, 0.99);
        p50[r] = bn_quantile(lat, n, 0.50);
    }
    uint64_t allocs = bn_alloc_thread_calls() - allocs0;
    double total = (double)runs * (double)n;
    double cpu_self = (double)(bn_thread_cpu_ns() - cpu_self0);
    double cpu_other = (double)(bn_process_cpu_ns() - cpu_proc0) - cpu_self;

    out->p50_us = bn_median(p50, runs);
    out->p99_us = bn_median(p99, runs);
    out->mean_us = bn_median(mean, runs);
    out->rps = bn_median(rps, runs);
    out->client_cpu_us = cpu_self / total / 1e3;
    out->server_cpu_us = cpu_other / total / 1e3;
    out->allocs = bn_alloc_counting() ? (double)allocs / total : -1.0;
    ret = 0;

out:
    free(lat);
    free(p50);
    free(p99);
    free(rps);
    free(mean);
    return ret;
}

const char *bn_label_suffix = "";

void bn_print_series(const char *base_label, const struct bn_series *s)
{
    char label[64];
    snprintf(label, sizeof label, "%s%s", base_label, bn_label_suffix);
    char name[96];
    snprintf(name, sizeof name, "live_rtt_p50_%s", label);
    bn_print(name, s->p50_us, "us");
    snprintf(name, sizeof name, "live_rtt_p99_%s", label);
    bn_print(name, s->p99_us, "us");
    snprintf(name, sizeof name, "live_rps_%s", label);
    bn_print(name, s->rps, "req/s");
    snprintf(name, sizeof name, "live_client_cpu_%s", label);
    bn_print(name, s->client_cpu_us, "us/req");
    snprintf(name, sizeof name, "live_server_cpu_%s", label);
    bn_print(name, s->server_cpu_us, "us/req");
    printf("# %s: mean latency %.1f us (requests/s = 1 / mean)\n", label, s->mean_us);
}

static int one_request(void *ctx)
{
    rscp_client *c = ctx;
    struct rscp_builder b;
    struct rscp_frame reply;
    int rc = rscp_client_request_begin(c, &b);
    if (rc == 0) {
        bn_live_put(&b);
        rc = rscp_client_request_send(c, &b, &reply);
    }
    if (rc != 0) {
        fprintf(stderr, "rscp_bench_net: request: %s (%s)\n", rscp_strerror(rc), rscp_client_errstr(c));
        return -1;
    }
    if (bn_live_check(&reply) != 0) {
        fprintf(stderr, "rscp_bench_net: the reply does not answer the 10 live requests\n");
        return -1;
    }
    return 0;
}

static rscp_client *connect_client(const struct bn_target *t)
{
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = t->port;
    cfg.user = t->cred.user;
    cfg.password = t->cred.password;
    cfg.key = t->cred.key;
    cfg.io_timeout_ms = IO_TIMEOUT_MS;
    rscp_client *c = NULL;
    int rc = rscp_client_new(&c, &cfg);
    if (rc != 0) {
        fprintf(stderr, "rscp_bench_net: rscp_client_new: %s\n", rscp_strerror(rc));
        return NULL;
    }
    rc = rscp_client_connect(c);
    if (rc != 0) {
        fprintf(stderr, "rscp_bench_net: connect: %s (%s)\n", rscp_strerror(rc), rscp_client_errstr(c));
        rscp_client_free(c);
        return NULL;
    }
    return c;
}

int bn_latency(const struct bn_target *t, const struct bn_opts *o, double *allocs_per_request)
{
    *allocs_per_request = -1.0;
    rscp_client *c = connect_client(t);
    if (!c)
        return -1;
    struct bn_series s;
    int rc = bn_time_series(one_request, c, o, &s);
    rscp_client_free(c);
    if (rc != 0)
        return -1;
    const char *label = bn_kind_label(t->kind);
    printf("# target %s: port %u, %u warm-up + %u runs x %u requests, medians over the runs\n", label,
           (unsigned)t->port, o->warmup, o->runs, o->requests);
    bn_print_series(label, &s);
    *allocs_per_request = s.allocs;
    return 0;
}
