/* rscp-bridge: the daemon (see rscp-bridge(1)). */
#ifndef RSCP_BRIDGE_DAEMON_H
#define RSCP_BRIDGE_DAEMON_H

#include <stdbool.h>

/* The command line, parsed by main.c. */
struct bridge_opts {
    const char *config;       /* --config FILE (NULL: RSCP_* variables)     */
    bool rscp2mqtt;           /* the file is an rscp2mqtt .config            */
    bool check;               /* --check-config: print the plan and exit     */
    bool once;                /* --once: one poll of every site, then exit   */
    bool verbose;
    const char *metrics;      /* --metrics HOST:PORT, overrides [prometheus] */
    unsigned shard_k, shard_n; /* --shard K/N (1 <= K <= N); N 0: none       */
};

/* Whether site `name` belongs to shard k of n (1-based): FNV-1a of the
 * name modulo n equals k-1. Stable across runs and machines. */
bool bridge_shard_has(const char *name, unsigned k, unsigned n);

/* Run the daemon; returns the process exit status (0 ok, 1 runtime
 * failure, 2 usage or configuration error). */
int bridge_daemon_main(const struct bridge_opts *o);

#endif
