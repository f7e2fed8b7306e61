/* A minimal benchmark target: rscp_server with a handler that answers each
 * top-level request block with a fixed value of the response tag's
 * dictionary type. It shows what the library costs (framing, cipher,
 * sockets) without a device model behind it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_net.h"

#define MINIMAL_USER "bench-user"
#define MINIMAL_PASSWORD "bench-password"
#define MINIMAL_KEY "bench-key"
#define RESPONSE_BIT 0x00800000u

struct minimal {
    rscp_server *server;
    pthread_t thread;
    volatile int stop;
};

/* A fixed value of the tag's type; NONE for types without one here. */
static void put_fixed(struct rscp_builder *b, uint32_t tag)
{
    switch (rscp_tag_type(tag)) {
    case RSCP_TYPE_BOOL:
        rscp_put_bool(b, tag, true);
        break;
    case RSCP_TYPE_UCHAR8:
        rscp_put_uchar8(b, tag, 42);
        break;
    case RSCP_TYPE_INT32:
        rscp_put_int32(b, tag, -1234);
        break;
    case RSCP_TYPE_UINT32:
        rscp_put_uint32(b, tag, 1234u);
        break;
    case RSCP_TYPE_INT64:
        rscp_put_int64(b, tag, -1234);
        break;
    case RSCP_TYPE_FLOAT32:
        rscp_put_float32(b, tag, 61.5f);
        break;
    case RSCP_TYPE_DOUBLE64:
        rscp_put_double64(b, tag, 61.5);
        break;
    default:
        rscp_put_none(b, tag);
        break;
    }
}

static int handle(void *ctx, const struct rscp_session_info *session, const struct rscp_frame *request,
                  struct rscp_builder *reply)
{
    (void)ctx;
    (void)session;
    struct rscp_iter it;
    struct rscp_block blk;
    int rc;
    rscp_frame_iter(request, &it);
    while ((rc = rscp_iter_next(&it, &blk)) == 1)
        put_fixed(reply, blk.tag | RESPONSE_BIT);
    return rc < 0 ? rc : 0;
}

static void *serve(void *arg)
{
    struct minimal *m = arg;
    rscp_server_run(m->server, &m->stop);
    return NULL;
}

void bn_minimal_credentials(struct bn_credentials *cred)
{
    cred->user = MINIMAL_USER;
    cred->password = MINIMAL_PASSWORD;
    cred->key = MINIMAL_KEY;
}

int bn_minimal_start(struct bn_target *t)
{
    struct minimal *m = calloc(1, sizeof *m);
    if (!m)
        return RSCP_ERR_NOMEM;
    struct rscp_server_config cfg;
    rscp_server_config_init(&cfg);
    cfg.user = MINIMAL_USER;
    cfg.password = MINIMAL_PASSWORD;
    cfg.key = MINIMAL_KEY;
    cfg.max_clients = 65535u;
    cfg.handler = handle;
    cfg.handler_ctx = m;
    int rc = rscp_server_new(&m->server, &cfg);
    if (rc != 0) {
        fprintf(stderr, "rscp_bench_net: rscp_server_new: %s (%s)\n", rscp_strerror(rc), rscp_server_errstr(NULL));
        free(m);
        return rc;
    }
    if (pthread_create(&m->thread, NULL, serve, m) != 0) {
        fprintf(stderr, "rscp_bench_net: pthread_create failed\n");
        rscp_server_free(m->server);
        free(m);
        return RSCP_ERR_NOMEM;
    }
    t->impl = m;
    t->port = rscp_server_port(m->server);
    bn_minimal_credentials(&t->cred);
    return 0;
}

void bn_minimal_stop(struct bn_target *t)
{
    struct minimal *m = t->impl;
    if (!m)
        return;
    m->stop = 1;
    pthread_join(m->thread, NULL);
    rscp_server_free(m->server);
    free(m);
    t->impl = NULL;
}
