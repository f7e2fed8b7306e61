/* Timing for the benchmark: CLOCK_MONOTONIC, a calibration phase that also
 * serves as warm-up, then BENCH_RUNS timed runs of equal length and their
 * median; for operations to be compared with each other, the runs of all
 * of them interleaved; for comparisons with `openssl speed`, process CPU
 * time as it uses. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Calibrate: double the count until one run is long enough. The first
 * rounds warm the caches, the branch predictors and the CPU clock. Returns
 * the count, or 0 with *err set when the operation fails. */
static uint64_t calibrate(bench_fn fn, void *ctx, double (*now)(void), int *err)
{
    uint64_t iters = 1;
    for (;;) {
        double t0 = now();
        int rc = fn(ctx, iters);
        double dt = now() - t0;
        if (rc < 0) {
            *err = rc;
            return 0;
        }
        if (dt >= BENCH_MIN_RUN_NS)
            return iters;
        /* Jump close to the target once a run is measurable. */
        if (dt > 1e6)
            iters = (uint64_t)((double)iters * BENCH_MIN_RUN_NS * 1.1 / dt) + 1u;
        else
            iters *= 2u;
    }
}

static struct bench_result measure(bench_fn fn, void *ctx, double (*now)(void))
{
    struct bench_result r = {0};
    uint64_t iters = calibrate(fn, ctx, now, &r.err);
    if (iters == 0)
        return r;

    double per_op[BENCH_RUNS];
    uint64_t allocs_before = bench_alloc_calls();
    for (int run = 0; run < BENCH_RUNS; run++) {
        double t0 = now();
        int rc = fn(ctx, iters);
        double dt = now() - t0;
        if (rc < 0) {
            r.err = rc;
            return r;
        }
        per_op[run] = dt / (double)iters;
    }
    uint64_t allocs = bench_alloc_calls() - allocs_before;

    qsort(per_op, BENCH_RUNS, sizeof per_op[0], cmp_double);
    r.ns_per_op = per_op[BENCH_RUNS / 2];
    r.allocs_per_op = (double)allocs / ((double)iters * BENCH_RUNS);
    r.iters = iters;
    return r;
}

bool bench_cpu_time;

/* The clock of bench_measure() and bench_measure_interleaved(). */
static double (*workload_clock(void))(void)
{
    return bench_cpu_time ? bench_cpu_ns : bench_now_ns;
}

struct bench_result bench_measure(bench_fn fn, void *ctx)
{
    return measure(fn, ctx, workload_clock());
}

struct bench_result bench_measure_cpu(bench_fn fn, void *ctx)
{
    return measure(fn, ctx, bench_cpu_ns);
}

int bench_measure_interleaved(size_t n, const bench_fn *fn, void *const *ctx, struct bench_result *out)
{
    uint64_t iters[BENCH_MAX_INTERLEAVED];
    double per_op[BENCH_MAX_INTERLEAVED][BENCH_RUNS];
    if (n > BENCH_MAX_INTERLEAVED)
        return -1;
    double (*now)(void) = workload_clock();
    for (size_t k = 0; k < n; k++) {
        memset(&out[k], 0, sizeof out[k]);
        iters[k] = calibrate(fn[k], ctx[k], now, &out[k].err);
        if (iters[k] == 0)
            return out[k].err;
    }
    for (int run = 0; run < BENCH_RUNS; run++) {
        for (size_t j = 0; j < n; j++) {
            size_t k = (j + (size_t)run) % n;
            double t0 = now();
            int rc = fn[k](ctx[k], iters[k]);
            double dt = now() - t0;
            if (rc < 0) {
                out[k].err = rc;
                return rc;
            }
            per_op[k][run] = dt / (double)iters[k];
        }
    }
    for (size_t k = 0; k < n; k++) {
        qsort(per_op[k], BENCH_RUNS, sizeof per_op[k][0], cmp_double);
        out[k].ns_per_op = per_op[k][BENCH_RUNS / 2];
        out[k].iters = iters[k];
    }
    return 0;
}

void bench_print(const char *name, double value, const char *unit)
{
    double a = value < 0 ? -value : value;
    int prec = 3;
    if (a == 0.0 || a >= 100.0)
        prec = 0;
    else if (a >= 10.0)
        prec = 1;
    else if (a >= 1.0)
        prec = 2;
    printf("%s %.*f %s\n", name, prec, value, unit);
}
