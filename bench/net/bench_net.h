/* rscp_bench_net: shared declarations of the network benchmark.
 *
 * Workloads (each prints `name value unit` lines, '#' lines are comments):
 *  - latency.c: one authenticated, encrypted loopback connection, the
 *    10-tag live request sent sequentially; latency percentiles, requests
 *    per second, CPU split between client and server, heap allocations of
 *    the client per request;
 *  - many.c: many concurrent authenticated connections driven from one
 *    poll() loop against a server in a forked child process; connect+auth
 *    time, requests per second, the child's CPU time and memory.
 * The servers (targets) are the simulator (target_sim.c) and a minimal
 * fixed-value handler on rscp_server (target_minimal.c); rawtcp.c times
 * the same exchange over plain TCP as the platform's floor. */
#ifndef RSCP_BENCH_NET_H
#define RSCP_BENCH_NET_H

#include <stddef.h>
#include <stdint.h>

#include "rscp/rscp.h"

/* ---- options (main.c) ------------------------------------------------------ */

struct bn_opts {
    unsigned conns;         /* concurrent connections of the many-connection workload */
    unsigned warmup;        /* requests before the timed runs (latency)              */
    unsigned requests;      /* requests per timed run (latency)                      */
    unsigned runs;          /* timed runs; medians are reported                      */
    unsigned rounds;        /* request rounds over all connections (many)            */
};

/* ---- servers to measure against (target*.c) -------------------------------- */

enum bn_kind {
    BN_TARGET_SIM = 0,      /* the simulator (sim_spawn)                          */
    BN_TARGET_MINIMAL = 1   /* rscp_server with a fixed-value handler             */
};

/* Credentials the targets accept and the clients send. */
struct bn_credentials {
    const char *user;
    const char *password;
    const char *key;
};

/* A server running in a background thread of this process. */
struct bn_target {
    enum bn_kind kind;
    uint16_t port;
    struct bn_credentials cred;
    void *impl;
};

/* Short label of a kind for metric names ("sim", "minimal"). */
const char *bn_kind_label(enum bn_kind kind);

/* Start a server of the given kind on a free loopback port in a background
 * thread. Returns 0 or a negative error (message on stderr). */
int bn_target_start(struct bn_target *t, enum bn_kind kind);

/* Stop the thread and free the server. */
void bn_target_stop(struct bn_target *t);

/* The credentials a server of the given kind accepts (static strings). */
void bn_target_credentials(enum bn_kind kind, struct bn_credentials *cred);

/* Implementations of the two kinds. */
void bn_sim_credentials(struct bn_credentials *cred);
void bn_minimal_credentials(struct bn_credentials *cred);
int bn_sim_start(struct bn_target *t);
void bn_sim_stop(struct bn_target *t);
int bn_minimal_start(struct bn_target *t);
void bn_minimal_stop(struct bn_target *t);

/* ---- the live request (live.c) ---------------------------------------------- */

#define BN_LIVE_TAGS 10u

/* Tag ids of the 10 live requests, looked up by name from the dictionary
 * (EMS.REQ_POWER_PV, _BAT, _HOME, _GRID, _ADD, REQ_AUTARKY,
 * REQ_SELF_CONSUMPTION, REQ_BAT_SOC, REQ_COUPLING_MODE, REQ_STATUS).
 * Returns 0 or a negative error (message on stderr). */
int bn_live_init(void);

/* The ids (valid after bn_live_init) and their names. */
extern uint32_t bn_live_tags[BN_LIVE_TAGS];
extern const char *const bn_live_names[BN_LIVE_TAGS];

/* Add the 10 request blocks to b. Returns the builder's sticky error. */
int bn_live_put(struct rscp_builder *b);

/* Check a reply: exactly the 10 response tags (request | bit 23), in
 * order, none of them an ERROR block. Returns 0 or -1. */
int bn_live_check(const struct rscp_frame *reply);

/* ---- measuring (stats.c, proc.c, alloc_count.c) ------------------------------ */

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t bn_now_ns(void);

/* CPU time in nanoseconds of the calling thread / of the whole process. */
int64_t bn_thread_cpu_ns(void);
int64_t bn_process_cpu_ns(void);

/* Sort v[0..n) in place and return the q-quantile (0..1, nearest rank). */
double bn_quantile(double *v, size_t n, double q);

/* Median of v[0..n) (sorts v). */
double bn_median(double *v, size_t n);

/* Print "name value unit" with a sensible number of digits. */
void bn_print(const char *name, double value, const char *unit);

/* VmRSS of this process in KiB from /proc/self/status, or -1. */
long bn_rss_kib(void);

/* Raise the soft RLIMIT_NOFILE to at least want descriptors (up to the hard
 * limit; the hard limit too when permitted). Returns the soft limit now in
 * force. */
unsigned long bn_raise_nofile(unsigned long want);

/* Allocation counting: whether calls to malloc & co. are counted in this
 * build (glibc, no sanitizer), and the count of calls made by the calling
 * thread since it started. */
int bn_alloc_counting(void);
uint64_t bn_alloc_thread_calls(void);

/* ---- timing a series of exchanges (latency.c) ------------------------------------ */

/* One request/response exchange; 0 or -1 (message on stderr). */
typedef int (*bn_exchange_fn)(void *ctx);

/* Medians over the runs of one series. */
struct bn_series {
    double p50_us, p99_us;      /* latency percentiles of each run          */
    double mean_us;             /* mean latency                             */
    double rps;                 /* exchanges per second                     */
    double client_cpu_us;       /* CPU of the calling thread per exchange   */
    double server_cpu_us;       /* CPU of the other threads per exchange    */
    double allocs;              /* allocation calls of the calling thread per
                                   exchange, -1 when not counted            */
};

/* o->warmup untimed exchanges, then o->runs runs of o->requests exchanges,
 * each timed with CLOCK_MONOTONIC. Returns 0 or -1. */
int bn_time_series(bn_exchange_fn once, void *ctx, const struct bn_opts *o, struct bn_series *out);

/* Print the series' metrics as live_*_<label><bn_label_suffix>. */
void bn_print_series(const char *label, const struct bn_series *s);

/* Appended to every latency label ("" by default; "_1cpu" for the pinned
 * runs). */
extern const char *bn_label_suffix;

/* ---- workloads ------------------------------------------------------------------ */

/* Platform floor: the same exchange pattern (request and reply sizes of
 * the encrypted live request, the same syscalls) over plain TCP with a
 * trivial echo thread and no RSCP at all. Prints live_*_rawtcp. */
int bn_rawtcp(const struct bn_opts *o);

/* Sequential requests over one connection to t; prints its metrics.
 * *allocs_per_request gets the client thread's allocation calls per
 * request in the timed runs (-1 when counting is unavailable).
 * Returns 0 or -1. */
int bn_latency(const struct bn_target *t, const struct bn_opts *o, double *allocs_per_request);

/* Many concurrent connections to a server of the given kind running in a
 * forked child; prints its metrics. Returns 0 or -1. Call with no other
 * threads running (it forks). */
int bn_many(enum bn_kind kind, const struct bn_opts *o);

/* ---- DB history requests (history.c) ----------------------------------------- */

/* Workload 4: the simulator's time per history request, cold and with its
 * records filled. Returns 0 or -1 (message on stderr). */
int bn_history(const struct bn_opts *o);

/* ---- hostile clients (hostile.c) ---------------------------------------------- */

/* Workload 5: a legitimate client's round trip while another floods (with
 * a baseline in the same run), 1,024 silent connections, password
 * guessing per address. Returns 0 or -1. */
int bn_hostile(const struct bn_opts *o);

#endif
