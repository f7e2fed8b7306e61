/* Clocks, quantiles and output formatting of the network benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_net.h"

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bn_now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

int64_t bn_thread_cpu_ns(void)
{
    return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

int64_t bn_process_cpu_ns(void)
{
    return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bn_quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof v[0], cmp_double);
    /* Nearest rank: the smallest value with at least q*n values <= it. */
    double rank = q * (double)n;
    size_t k = (size_t)rank;
    if ((double)k < rank)
        k++;
    if (k > 0)
        k--;
    if (k >= n)
        k = n - 1;
    return v[k];
}

double bn_median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof v[0], cmp_double);
    if (n % 2u == 1u)
        return v[n / 2];
    return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void bn_print(const char *name, double value, const char *unit)
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
