/* The home-power-plant simulator: a device model answering RSCP like an
 * E3/DC S10, served by the library's server side.
 *
 * `rscp sim [options]` runs one in the foreground; sim_spawn() runs one on a
 * background thread (for tests and `rscp demo`). */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "rscp/server.h"

#include <stdbool.h>
#include <stdint.h>

/* Credentials a simulator accepts unless told otherwise. */
#define SIM_DEFAULT_USER "sim-user"
#define SIM_DEFAULT_PASSWORD "sim-password"
#define SIM_DEFAULT_KEY "sim-key"

/* `rscp sim [options]`: argv[0] = "sim". Parses the options, prints
 * "listening on HOST:PORT" to stdout (flushed) and serves until SIGINT or
 * SIGTERM. Returns the exit code: 0 after a signal or --help, 2 for a
 * usage error, 3 when the socket cannot be set up. */
int sim_command(int argc, char **argv);

/* Parse a simulated start time for `--start`: Unix seconds, "now" (*out
 * = 0, which sim_spawn_options.start reads as now), or
 * YYYY-MM-DD[THH:MM[:SS]][Z] in the device's local time unless Z. Returns
 * false for anything else. */
bool sim_parse_start(const char *s, double *out);

/* A simulator served from a background pthread. */
struct sim_handle;

/* Zero-initialised options are valid: every zero means the default. */
struct sim_spawn_options {
    const char *user, *password, *key; /* NULL: SIM_DEFAULT_*            */
    uint64_t seed;                     /* model seed (0 is a seed too)   */
    double speed;                      /* simulated s per real s; 0: 1   */
    unsigned pm_root_index;            /* root power meter index (0, 6)  */
    const char *model;                 /* preset (preset.h); NULL: the
                                          default shape, meters from
                                          pm_root_index                  */
    double start;                      /* simulated UTC start, s; 0: now */
    const char *bind;                  /* NULL: "127.0.0.1"              */
    uint16_t port;                     /* 0: a free port                 */
    unsigned batteries;                /* 0: 1                           */
    unsigned trackers;                 /* 0: 2                           */
    unsigned wallboxes;                /* 1..8 wallboxes (the first with the
                                          car, the others without); 0: the
                                          model's (one, or none)          */
    double bat_max_charge_w;           /* per string; 0: 6000            */
    double car_max_w;                  /* the car's limit; 0: the wallbox's */
    double derate_percent;             /* feed-in cap in % of the PV peak;
                                          0: 70; < 0: no cap             */
    struct rscp_server_faults faults;  /* all zero: none                 */
    int auth_timeout_ms;               /* 0: the server's default; < 0: none */
    int idle_timeout_ms;               /* 0: the server's default; < 0: none */
    unsigned site;                     /* index in a fleet (fleet.h): the model
                                          seed is seed + site, the serial number
                                          that of seed plus site
                                          (sim_device_set_site); 0: alone  */
    bool refuse_writes;                /* answer every write with a refusal,
                                          apply none (sim_device.refuse_writes) */
    bool history_on_request;           /* no background fill of the history:
                                          a day is computed when first asked
                                          for, then kept                  */
};

/* Start a simulator: binds before returning, so *port (may be NULL) is
 * ready to connect to. Returns 0 with *out, or a negative rscp error
 * (RSCP_ERR_ARG, also for an unknown model, RSCP_ERR_NOMEM, RSCP_ERR_IO, RSCP_ERR_RESOLVE). */
int sim_spawn(const struct sim_spawn_options *o, struct sim_handle **out, uint16_t *port);

/* Stop the thread (within about 100 ms), close every connection and free.
 * NULL accepted. */
void sim_stop(struct sim_handle *h);

#endif
