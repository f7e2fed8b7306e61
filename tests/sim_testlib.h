/* Helpers of the tests that talk to an in-process simulator (sim_spawn())
 * over loopback TCP. Include after harness.h and ../sim/sim_all.inc. */
#ifndef RSCP_SIM_TESTLIB_H
#define RSCP_SIM_TESTLIB_H

#include "harness.h"
#include "rscp/client.h"

/* A client connected and authenticated to the simulator on port with its
 * default credentials (a failed check when it cannot connect). */
static inline rscp_client *connect_sim(uint16_t port)
{
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = port;
    cfg.user = SIM_DEFAULT_USER;
    cfg.password = SIM_DEFAULT_PASSWORD;
    cfg.key = SIM_DEFAULT_KEY;
    cfg.connect_timeout_ms = 3000;
    cfg.io_timeout_ms = 5000;
    rscp_client *c = NULL;
    CHECK_INT(rscp_client_new(&c, &cfg), 0);
    CHECK_INT(rscp_client_connect(c), 0);
    return c;
}

#endif
