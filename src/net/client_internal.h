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

#define RSCP_NET_RECV_CHUNK 16384u /* bytes per recv(), on the stack */
#define RSCP_NET_SEND_MIN 512u     /* smallest send buffer              */

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

    /* codec state: the cipher once; the buffers as the frames need them
     * (kept until rscp_client_trim()) */
    rscp_cipher *cipher;
    rscp_reader *reader;     /* lazy: grows to the largest reply      */
    uint8_t *sendbuf;        /* send_cap bytes, NULL when 0             */
    size_t send_cap;
    size_t send_used;        /* bytes of sendbuf ever written (wiped)   */

    /* connection */
    int fd;
    int state;               /* enum rscp_client_state */
    int auth_level;
    int64_t deadline;        /* monotonic ms, -1: none */
    struct addrinfo *ai_list;
    struct addrinfo *ai_next; /* next address to try */
    char peer[64];            /* address being used, for messages */
    size_t send_len, send_off;
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

/* Start a request frame in the send buffer (state must be READY), with
 * room for data_len bytes of blocks (RSCP_MAX_DATA_LEN: any frame). */
int rscp_net_client_begin(rscp_client *c, struct rscp_builder *b, size_t data_len);

/* Finish the frame in *b, seal it and queue it (state READY -> BUSY). */
int rscp_net_client_queue(rscp_client *c, struct rscp_builder *b);

#endif
