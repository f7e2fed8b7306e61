/* Shared pieces of the network tests: a server running in a second thread
 * and a small echo-like request handler. Header-only (static inline) so
 * each test program stays one file. */
#ifndef RSCP_NET_TESTLIB_H
#define RSCP_NET_TESTLIB_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rscp/rscp.h"

#define NT_USER "tester@example.com"
#define NT_PASSWORD "s3cret-Portal-PW"
#define NT_KEY "my RSCP key 1234"

#define NT_REQ_POWER_PV 0x01000001u  /* EMS.REQ_POWER_PV  */
#define NT_POWER_PV 0x01800001u      /* EMS.POWER_PV      */
#define NT_REQ_POWER_BAT 0x01000002u /* EMS.REQ_POWER_BAT */
#define NT_POWER_BAT 0x01800002u     /* EMS.POWER_BAT     */
#define NT_REQ_BLOB 0x0A0000F0u      /* test only: UINT32 n -> BYTEARRAY of n bytes */
#define NT_REQ_SESSION 0x0A0000F1u   /* test only: -> UINT64 session id */
#define NT_PV_VALUE 1234

/* The n-th byte of a test blob. */
static inline uint8_t nt_blob_byte(size_t i)
{
    return (uint8_t)(i * 7u + (i >> 8));
}

/* Answers each top-level request block:
 *   EMS.REQ_POWER_PV -> EMS.POWER_PV INT32 1234
 *   NT_REQ_BLOB n    -> BYTEARRAY of n pattern bytes
 *   NT_REQ_SESSION   -> UINT64 session id
 *   INT32 value v    -> response tag INT32 v (echo)
 *   anything else    -> response tag INT32 (tag & 0xFFFF) */
static inline int nt_handler(void *ctx, const struct rscp_session_info *session, const struct rscp_frame *req,
                             struct rscp_builder *reply)
{
    (void)ctx;
    static uint8_t blob[RSCP_MAX_VALUE_LEN];
    struct rscp_iter it;
    struct rscp_block blk;
    rscp_frame_iter(req, &it);
    while (rscp_iter_next(&it, &blk) == 1) {
        uint32_t rtag = blk.tag | RSCP_TAG_RESPONSE_BIT;
        int32_t v;
        uint32_t n;
        if (blk.tag == NT_REQ_POWER_PV) {
            rscp_put_int32(reply, NT_POWER_PV, NT_PV_VALUE);
        } else if (blk.tag == NT_REQ_BLOB && rscp_block_get_uint32(&blk, &n) == 0 && n <= sizeof blob) {
            for (size_t i = 0; i < n; i++)
                blob[i] = nt_blob_byte(i);
            rscp_put_bytes(reply, rtag, blob, n);
        } else if (blk.tag == NT_REQ_SESSION) {
            rscp_put_uint64(reply, rtag, session->id);
        } else if (rscp_block_get_int32(&blk, &v) == 0) {
            rscp_put_int32(reply, rtag, v);
        } else {
            rscp_put_int32(reply, rtag, (int32_t)(blk.tag & 0xFFFFu));
        }
    }
    return 0;
}

struct nt_server {
    rscp_server *srv;
    pthread_t thread;
    volatile int stop;
    bool running;
};

static inline void nt_server_config(struct rscp_server_config *cfg)
{
    rscp_server_config_init(cfg);
    cfg->user = NT_USER;
    cfg->password = NT_PASSWORD;
    cfg->key = NT_KEY;
    cfg->handler = nt_handler;
}

static inline void *nt_server_main(void *arg)
{
    struct nt_server *ns = arg;
    rscp_server_run(ns->srv, &ns->stop);
    return NULL;
}

/* Create the server from cfg and serve it from a second thread.
 * Returns 0 or the rscp_server_new() error. */
static inline int nt_server_start(struct nt_server *ns, const struct rscp_server_config *cfg)
{
    memset(ns, 0, sizeof *ns);
    int rc = rscp_server_new(&ns->srv, cfg);
    if (rc != 0)
        return rc;
    if (pthread_create(&ns->thread, NULL, nt_server_main, ns) != 0) {
        rscp_server_free(ns->srv);
        ns->srv = NULL;
        return RSCP_ERR_IO;
    }
    ns->running = true;
    return 0;
}

static inline void nt_server_stop(struct nt_server *ns)
{
    if (ns->running) {
        ns->stop = 1;
        pthread_join(ns->thread, NULL);
        ns->running = false;
    }
    rscp_server_free(ns->srv);
    ns->srv = NULL;
}

static inline void nt_client_config(struct rscp_client_config *cfg, const char *host, uint16_t port)
{
    rscp_client_config_init(cfg);
    cfg->host = host;
    cfg->port = port;
    cfg->user = NT_USER;
    cfg->password = NT_PASSWORD;
    cfg->key = NT_KEY;
    cfg->connect_timeout_ms = 2000;
    cfg->io_timeout_ms = 2000;
}

/* INT32 value of tag in a reply frame, or INT32_MIN. */
static inline int32_t nt_reply_int32(const struct rscp_frame *f, uint32_t tag)
{
    struct rscp_block blk;
    int32_t v;
    if (rscp_find(f->data, f->data_len, tag, &blk) != 0 || rscp_block_get_int32(&blk, &v) != 0)
        return INT32_MIN;
    return v;
}

/* true when s does not occur in the error text. */
static inline bool nt_no_secret(const char *text, const char *secret)
{
    return strstr(text, secret) == NULL;
}

#endif
