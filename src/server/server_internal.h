/* The server object and its connections, shared by the poll loop
 * (server.c), the request path (conn_read.c) and the reply path with its
 * fault injection (conn_write.c). Internal header. */
#ifndef RSCP_SERVER_INTERNAL_H
#define RSCP_SERVER_INTERNAL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rscp/cipher.h"
#include "rscp/reader.h"
#include "rscp/server.h"

#define RSCP_SERVER_RECV_CHUNK 65536u       /* bytes per recv(), shared by all connections */
#define RSCP_SERVER_OUT_LIMIT (1u << 20)    /* stop reading a client with this much unsent */
#define RSCP_SERVER_READS_PER_ROUND 8       /* recv() calls per connection per poll round  */

struct rscp_server_conn {
    int fd;
    bool dead;                /* closed; removed at the end of the round */
    bool stalled;             /* fault stall_after reached: never write again */
    uint64_t id;
    char peer[64];
    int auth_level;           /* 0 until authenticated */
    rscp_reader *reader;
    rscp_cipher *cipher;

    uint8_t *out;             /* sealed reply frames waiting to be written */
    size_t out_cap, out_len, out_off;
    size_t flush_len;         /* bytes of out released for writing (coalescing) */
    uint32_t held;            /* frames queued but not yet released */
    int64_t ready_at;         /* fault delay_ms: no write before this time */
    uint64_t sent;            /* bytes written on this connection */
    uint32_t requests;        /* request frames after authentication */
    uint32_t replies;         /* replies after authentication */
    int64_t last_rx;          /* monotonic ms of the last received bytes */
};

struct rscp_server {
    int lfd;
    uint16_t port;
    char *user;
    char *password;
    uint8_t key[RSCP_KEY_SIZE];
    int auth_level;
    unsigned max_clients;
    int idle_timeout_ms;
    rscp_request_handler handler;
    void *handler_ctx;
    struct rscp_server_faults faults;
    struct rscp_timestamp (*now)(void *ctx); /* NULL: the real time */
    void *now_ctx;

    struct rscp_server_conn **conns;
    size_t nconns, conns_cap;
    struct pollfd *pfds;
    size_t pfds_cap;
    uint64_t next_id;
    int64_t accept_paused_until; /* after EMFILE: do not spin on the listener */

    uint8_t *rbuf;            /* RSCP_SERVER_RECV_CHUNK */
    uint8_t *scratch;         /* RSCP_MAX_WIRE_SIZE: one reply being built */
    char err[256];
};

/* Close a connection (socket and codec state); the slot is freed later. */
void rscp_server__conn_close(struct rscp_server_conn *conn);

/* Reset instead of close (SO_LINGER 0). */
void rscp_server__conn_reset(struct rscp_server_conn *conn);

/* Read what the socket has and answer every complete frame. */
void rscp_server__conn_read(rscp_server *s, struct rscp_server_conn *conn, int64_t now);

/* Seal the plaintext reply frame in s->scratch[0..len) and queue it,
 * applying the reply faults (after_auth: the drop/corrupt faults apply). */
void rscp_server__conn_queue(rscp_server *s, struct rscp_server_conn *conn, size_t len, bool after_auth,
                             int64_t now);

/* Write queued bytes as far as the faults and the socket allow. */
void rscp_server__conn_write(rscp_server *s, struct rscp_server_conn *conn, int64_t now);

/* true when conn has bytes it may write now. */
bool rscp_server__conn_wants_write(const struct rscp_server_conn *conn, int64_t now);

#endif
