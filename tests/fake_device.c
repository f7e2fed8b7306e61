/* A device that authenticates like the simulator but answers every request
 * with an empty frame (no value, no device error), for the tool's "the
 * reply holds none of the requested values" checks.
 *
 *   fake_device     credentials from RSCP_USER, RSCP_PASSWORD, RSCP_KEY
 *
 * Prints "listening on 127.0.0.1:PORT" and serves until SIGTERM/SIGINT. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "rscp/rscp.h"

static volatile int g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static int empty_reply(void *ctx, const struct rscp_session_info *session, const struct rscp_frame *request,
                       struct rscp_builder *reply)
{
    (void)ctx;
    (void)session;
    (void)request;
    (void)reply;
    return 0;
}

int main(void)
{
    struct rscp_server_config cfg;
    rscp_server_config_init(&cfg);
    cfg.user = getenv("RSCP_USER");
    cfg.password = getenv("RSCP_PASSWORD");
    cfg.key = getenv("RSCP_KEY");
    cfg.handler = empty_reply;
    if (!cfg.user || !cfg.password || !cfg.key) {
        fprintf(stderr, "fake_device: set RSCP_USER, RSCP_PASSWORD and RSCP_KEY\n");
        return 2;
    }
    rscp_server *srv = NULL;
    if (rscp_server_new(&srv, &cfg) != 0) {
        fprintf(stderr, "fake_device: %s\n", rscp_server_errstr(NULL));
        return 3;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("listening on 127.0.0.1:%u\n", (unsigned)rscp_server_port(srv));
    fflush(stdout);
    rscp_server_run(srv, &g_stop);
    rscp_server_free(srv);
    return 0;
}
