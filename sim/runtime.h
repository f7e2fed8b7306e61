/* A simulated device behind an RSCP server: the glue between the pure
 * model/handler and the clock and sockets. */
#ifndef SIM_RUNTIME_H
#define SIM_RUNTIME_H

#include "handler.h"
#include "sim.h"

#include "rscp/server.h"



/* Simulated time: start + elapsed real time * speed. */
struct sim_clock {
    double start;          /* simulated UTC seconds at start_ms */
    int64_t start_ms;      /* monotonic ms                      */
    double speed;
};

/* Days after the start day that the history store covers, as the
 * simulated clock runs on: the background thread fills the days up to the
 * start day, a request computes a later day once and keeps it there. The
 * memory of a day is touched only when it is filled; days beyond are
 * computed per request. */
#define SIM_HISTORY_AHEAD_DAYS 800u

struct sim_history_fill;

struct sim_runtime {
    struct sim_clock clock;
    double stamp;          /* simulated time of the reply being built */
    rscp_server *server;
    /* History records, filled from the start day backwards by a detached
     * thread at the lowest priority (SCHED_IDLE where there is one; none
     * with history_on_request: requests fill it); see runtime.c. NULL:
     * every request computes its days. */
    struct sim_history_fill *history;
    /* Last: sim_runtime_new() leaves the device's untouched working memory
     * to sim_device_init() (see device.h), so a fleet's idle sites stay
     * small. */
    struct sim_device dev;
};

/* Simulated UTC seconds now. */
double sim_clock_now(const struct sim_clock *c);

/* UTC seconds as a frame timestamp (nanoseconds below 1e9). */
struct rscp_timestamp sim_timestamp(double t);

/* Model configuration for the spawn options (defaults for zeros). */
void sim_config_from_options(struct sim_config *c, const struct sim_spawn_options *o);

/* Build the device and the listening server. Returns 0 with *out (free
 * with sim_runtime_free), or a negative rscp error; *errbuf gets a detail
 * (never a secret). */
int sim_runtime_new(const struct sim_spawn_options *o, struct sim_runtime **out, char *errbuf, size_t errcap);

/* Close the server and free; the history thread is told to stop and
 * frees what it still uses itself (no waiting for a thread that a busy
 * machine runs rarely). NULL accepted. */
void sim_runtime_free(struct sim_runtime *r);

#endif
