/* A fleet: N simulated plants on consecutive ports in one process, for
 * testing a bridge against many sites on one machine.
 *
 * Site i (0-based) is a full simulator (runtime.h) on port BASE + i with
 * the spawn options given, except: its model seed is seed + i and its
 * serial number that of seed plus i (sim_device_set_site), and its history
 * is computed on request (no background fill: a fleet that is only polled
 * for live values costs no history memory or CPU). All sites share the
 * credentials, the model and the start instant.
 *
 * Each site is served by its own rscp_server on its own thread (the
 * server's own poll() loop over its listener and its clients), so a request
 * wakes only the thread of its site and costs nothing on the others; the
 * threads are started together and stopped together. */
#ifndef SIM_FLEET_H
#define SIM_FLEET_H

#include "sim.h"

#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_SITES 1000u          /* sites of one fleet (a thread each)   */
#define SIM_FLEET_STACK (512u << 10) /* stack of a site's thread (virtual)   */
#define SIM_FLEET_PORT_TRIES 16u     /* base 0: free ranges tried            */

struct sim_fleet;

/* Bind n sites (1..SIM_MAX_SITES) from port o->port (0: a free range of n
 * consecutive ports, found by trying up to SIM_FLEET_PORT_TRIES ranges
 * from 10000 up to below the system's ephemeral ports; o->port + n - 1
 * must not exceed 65535). o->site is ignored; o->start 0 (now) is fixed once for all.
 * Nothing is served until sim_fleet_start(). Returns 0 with *out, or a
 * negative rscp error with a message in err naming the site and port that
 * failed (RSCP_ERR_ARG for bad options, RSCP_ERR_IO when a port cannot be
 * bound, RSCP_ERR_NOMEM, RSCP_ERR_RESOLVE). */
int sim_fleet_new(const struct sim_spawn_options *o, unsigned n, struct sim_fleet **out, char *err, size_t errcap);

/* Start serving: one thread per site. Returns 0, or RSCP_ERR_NOMEM with a
 * message naming the site whose thread could not be created (the threads
 * already started keep running until sim_fleet_free()). Call once. */
int sim_fleet_start(struct sim_fleet *f, char *err, size_t errcap);

/* Number of sites, the first port, the serial number of site i. */
unsigned sim_fleet_sites(const struct sim_fleet *f);
uint16_t sim_fleet_base_port(const struct sim_fleet *f);
const char *sim_fleet_serial(const struct sim_fleet *f, unsigned i);

/* The simulated start instant (UTC seconds) and speed of every site. */
double sim_fleet_start_time(const struct sim_fleet *f);
double sim_fleet_speed(const struct sim_fleet *f);

/* Stop the threads (each within about SIM_FLEET_WAKE_MS), close every
 * connection and free. NULL accepted. The threads are woken with
 * SIGUSR1: sim_fleet_start() installs a handler that does nothing, and
 * the caller must not block SIGUSR1 in the threads it starts. */
void sim_fleet_free(struct sim_fleet *f);

#define SIM_FLEET_WAKE_MS 1000 /* longest a site's thread sleeps in poll() */

#endif
