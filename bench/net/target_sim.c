/* The simulator as a benchmark target: sim_spawn() serves it from a
 * background thread on a free loopback port. */
#include <stdio.h>

#include "bench_net.h"
#include "sim.h"

void bn_sim_credentials(struct bn_credentials *cred)
{
    cred->user = SIM_DEFAULT_USER;
    cred->password = SIM_DEFAULT_PASSWORD;
    cred->key = SIM_DEFAULT_KEY;
}

int bn_sim_start(struct bn_target *t)
{
    struct sim_spawn_options o = {0};
    o.user = SIM_DEFAULT_USER;
    o.password = SIM_DEFAULT_PASSWORD;
    o.key = SIM_DEFAULT_KEY;
    o.seed = 1;
    struct sim_handle *h = NULL;
    uint16_t port = 0;
    int rc = sim_spawn(&o, &h, &port);
    if (rc != 0) {
        fprintf(stderr, "rscp_bench_net: sim_spawn: %s\n", rscp_strerror(rc));
        return rc;
    }
    t->impl = h;
    t->port = port;
    bn_sim_credentials(&t->cred);
    return 0;
}

void bn_sim_stop(struct bn_target *t)
{
    sim_stop(t->impl);
    t->impl = NULL;
}
