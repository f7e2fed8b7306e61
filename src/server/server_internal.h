/* The server object and its connections, shared by the poll loop
 * (server.c), the request path (conn_read.c), the authentication policy
 * (auth_guard.c), oversized replies (reply_fit.c) and the reply path with
 * its fault injection (conn_write.c). Internal header.
 *
 * Every limit and delay below is a resolved value: 0 means "off" (the
 * public defaults are applied by rscp_server_new()), so a zeroed server
 * (the fuzz target builds one by hand) has no timers and no penalties. */
#ifndef RSCP_SERVER_INTERNAL_H
#define RSCP_SERVER_INTERNAL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "rscp/cipher.h"
#include "rscp/reader.h"
#include "rscp/server.h"

#define RSCP_SERVER_RECV_CHUNK 65536u       /* bytes per recv(), shared by all connections   */
#define RSCP_SERVER_ACCEPTS_PER_ROUND 64    /* new connections taken per poll round          */
#define RSCP_SERVER_OUT_KEEP 4096u          /* a drained reply buffer larger than this is freed */
#define RSCP_SERVER_READER_KEEP 2048u       /* an idle reader buffer larger than this is freed */
#define RSCP_SERVER_ADDR_SLOTS 256u         /* addresses whose failed logins are remembered  */
#define RSCP_SERVER_ADDR_KEY 16u            /* IPv4 address, or the /64 prefix of IPv6       */

struct rscp_server_fit;

/* One address (or IPv6 /64) that recently failed to authenticate. */
struct rscp_server_addr {
    uint8_t key[RSCP_SERVER_ADDR_KEY];
    bool used;
    uint32_t failures;        /* recent refused authentications (decays) */
    int64_t next_try;         /* monotonic ms: no authentication of this address is evaluated before */
    int64_t last_failure;     /* monotonic ms */
};

struct rscp_server_conn {
    int fd;
    bool dead;                /* closed; removed at the end of the round */
    bool stalled;             /* fault stall_after reached: never write again */
    bool frame_ready;         /* the reader may hold another complete frame */
    bool eof;                 /* the peer finished sending: close once the replies are out */
    bool ever_authenticated;  /* the authentication deadline no longer applies */
    bool close_when_sent;     /* too many refusals: close once the replies are out */
    uint64_t id;
    char peer[64];
    uint8_t addr_key[RSCP_SERVER_ADDR_KEY];
    uint32_t addr_slot;       /* hint into rscp_server.addrs (checked against addr_key) */
    int auth_level;           /* 0 until authenticated */
    uint32_t auth_failures;   /* refused authentications on this connection */
    rscp_reader *reader;
    rscp_cipher *cipher;

    uint8_t *out;             /* sealed reply frames waiting to be written */
    size_t out_cap, out_len, out_off;
    size_t flush_len;         /* bytes of out released for writing (coalescing, held refusals) */
    uint32_t held;            /* frames queued but not yet released (coalesce fault) */
    int64_t hold_until;       /* > 0: a refused authentication is answered at this time */
    int64_t ready_at;         /* fault delay_ms: no write before this time */
    uint64_t sent;            /* bytes written on this connection */
    uint32_t requests;        /* request frames after authentication */
    uint32_t replies;         /* replies after authentication */
    int64_t accepted_at;      /* monotonic ms */
    int64_t last_io;          /* monotonic ms of the last bytes received or sent */
};

struct rscp_server {
    int lfd;
    uint16_t port;
    char *user;
    char *password;
    uint8_t key[RSCP_KEY_SIZE];
    int auth_level;
    unsigned max_clients;
    int auth_timeout_ms;      /* 0: none */
    int idle_timeout_ms;      /* 0: none */
    uint32_t auth_delay_ms;   /* 0: refusals answered at once, no address penalty */
    uint32_t auth_delay_max_ms;
    uint32_t max_auth_failures; /* 0: never close for refusals */
    size_t max_unsent;        /* 0: no limit */
    rscp_request_handler handler;
    void *handler_ctx;
    struct rscp_server_faults faults;
    struct rscp_timestamp (*now)(void *ctx); /* NULL: the real time */
    void *now_ctx;

    struct rscp_server_conn **conns;
    size_t nconns, conns_cap;
    struct pollfd *pfds;      /* always conns_cap + 1 entries: polling never allocates */
    uint64_t next_id;
    uint64_t rounds;          /* poll rounds served: where the turns start */
    int64_t accept_paused_until; /* after EMFILE: do not spin on the listener */
    struct rscp_server_addr addrs[RSCP_SERVER_ADDR_SLOTS];

    uint8_t *rbuf;            /* RSCP_SERVER_RECV_CHUNK */
    uint8_t *scratch;         /* RSCP_MAX_WIRE_SIZE: one reply being built */
    struct rscp_server_fit *fit; /* reply_fit.c's scratch, NULL until needed */
    struct rscp_server_stats stats;
    char err[256];
};

/* Close a connection (socket and codec state); the slot is freed later. */
void rscp_server__conn_close(struct rscp_server_conn *conn);

/* Reset instead of close (SO_LINGER 0). */
void rscp_server__conn_reset(struct rscp_server_conn *conn);

/* One turn of a connection: answer at most one complete request frame,
 * reading from the socket (readable: poll said so) only when no complete
 * frame is buffered. Nothing happens while rscp_server__conn_may_work() is
 * false. Returns true when a frame was answered (call again next round). */
bool rscp_server__conn_turn(rscp_server *s, struct rscp_server_conn *conn, int64_t now, bool readable);

/* true when conn may take a request now: not closing, its unsent replies
 * below the limit, no refusal held back, its address not penalised. */
bool rscp_server__conn_may_work(const rscp_server *s, struct rscp_server_conn *conn, int64_t now);

/* Release a held refusal whose time has come (before anything else is
 * queued behind it). */
void rscp_server__conn_release(struct rscp_server_conn *conn, int64_t now);

/* Seal the plaintext reply frame in s->scratch[0..len) and queue it,
 * applying the reply faults (after_auth: the drop/corrupt faults apply). */
void rscp_server__conn_queue(rscp_server *s, struct rscp_server_conn *conn, size_t len, bool after_auth,
                             int64_t now);

/* Write queued bytes as far as the faults and the socket allow. */
void rscp_server__conn_write(rscp_server *s, struct rscp_server_conn *conn, int64_t now);

/* true when conn has bytes it may write now. */
bool rscp_server__conn_wants_write(const struct rscp_server_conn *conn, int64_t now);

/* Unsent reply bytes of conn (released or not). */
size_t rscp_server__conn_unsent(const struct rscp_server_conn *conn);

/* ---- authentication policy (auth_guard.c) ----------------------------------- */

/* The address key of a peer: IPv4 (also v4-mapped IPv6) or an IPv6 /64. */
void rscp_server__addr_key(const struct sockaddr *sa, uint8_t key[RSCP_SERVER_ADDR_KEY]);

/* Time before which no authentication of conn's address is evaluated
 * (0: now). */
int64_t rscp_server__addr_next_try(const rscp_server *s, struct rscp_server_conn *conn);

/* Record a refused authentication of conn at now: the refusal is held back
 * (conn->hold_until), the address is penalised, and after
 * max_auth_failures the connection closes once the refusal is out. */
void rscp_server__auth_refused(rscp_server *s, struct rscp_server_conn *conn, int64_t now);

/* A successful authentication of conn: its address is forgiven. */
void rscp_server__auth_accepted(rscp_server *s, struct rscp_server_conn *conn);

/* Compare a guess with a secret in a time that depends neither on where
 * they differ nor on whether their lengths match. 1 equal, 0 not. */
int rscp_server__secret_equal(const void *guess, size_t guess_len, const void *secret, size_t secret_len);

/* ---- oversized replies (reply_fit.c) --------------------------------------- */

/* After the handler failed to fill the reply builder b (err: its error):
 * keep the complete top-level blocks written before the failure, answer
 * every top-level request block without a reply block of its response tag
 * with that tag typed ERROR (RSCP_SERVER_ERR_TOO_LARGE for a reply that did
 * not fit, RSCP_SERVER_ERR_HANDLER otherwise), and fall back to
 * RSCP.GENERAL_ERROR alone when even that does not fit. b is finished
 * afterwards (rscp_builder_finish() succeeds). Its scratch (s->fit,
 * about 120 KiB) is allocated at the first use. */
void rscp_server__reply_fit(rscp_server *s, struct rscp_builder *b, const struct rscp_frame *request, int err);

#endif
