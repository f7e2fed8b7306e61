/* The client connection object, shared by the state machine (client.c)
 * and the blocking calls built on it (client_blocking.c). Internal header. */
#ifndef RSCP_NET_CLIENT_INTERNAL_H
#define RSCP_NET_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rscp/cipher.h"
#include "rscp/client.h"
#include "rscp/reader.h"

#define RSCP_NET_RECV_CHUNK 16384u /* bytes per recv() */

#if defined(__GNUC__)
#define RSCP_NET_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RSCP_NET_PRINTF(f, a)
#endif

struct addrinfo;

struct rscp_client {
    /* configuration (strings owned; password wiped on free) */
    char *host;
    char *user;
    char *password;
    uint16_t port;
    int connect_timeout_ms;
    int io_timeout_ms;

    /* codec state, allocated once */
    rscp_cipher *cipher;
    rscp_reader *reader;
    uint8_t *sendbuf;        /* RSCP_MAX_WIRE_SIZE bytes */
    uint8_t *recvbuf;        /* RSCP_NET_RECV_CHUNK bytes */

    /* connection */
    int fd;
    int state;               /* enum rscp_client_state */
    int auth_level;
    int64_t deadline;        /* monotonic ms, -1: none */
    struct addrinfo *ai_list;
    struct addrinfo *ai_next; /* next address to try */
    char peer[64];            /* address being used, for messages */
    size_t send_len, send_off;
    size_t recv_len, recv_off; /* bytes in recvbuf not yet fed */
    uint64_t reply_bytes;      /* ciphertext bytes received for the pending reply */
    struct rscp_frame reply;
    bool have_reply;
    bool building;             /* request_begin() handed out the send buffer */

    char err[256];
};

/* Record a fatal error: close the socket, state FAILED, errstr from fmt.
 * Returns err. */
int rscp_net_client_fail(rscp_client *c, int err, const char *fmt, ...) RSCP_NET_PRINTF(3, 4);

/* Set errstr without changing the state. Returns err. */
int rscp_net_client_note(rscp_client *c, int err, const char *fmt, ...) RSCP_NET_PRINTF(3, 4);

/* Start a request frame in the send buffer (state must be READY). */
int rscp_net_client_begin(rscp_client *c, struct rscp_builder *b);

/* Finish the frame in *b, seal it and queue it (state READY -> BUSY). */
int rscp_net_client_queue(rscp_client *c, struct rscp_builder *b);

#endif
