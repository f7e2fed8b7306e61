/* librscp: the server side of RSCP (used by the simulator).
 *
 * A server listens on one address, accepts many clients and serves them all
 * from one poll() loop: it decrypts, authenticates the first frame against
 * the configured credentials, hands every later request frame to a handler
 * that writes the reply blocks, and encrypts the reply. It behaves like a
 * device: a failed authentication answers RSCP.AUTHENTICATION as INT32 0; a
 * frame that does not decrypt to a valid frame (wrong key) closes the
 * connection without a reply.
 *
 * Details of the behaviour:
 * - A frame holding RSCP.REQ_AUTHENTICATION with a user or a password
 *   authenticates (again) at any time. After a refusal the connection is at
 *   level 0. Without either (an empty container) it only asks for the level:
 *   the answer is the current level (INT32 0 before authentication) and the
 *   session stays as it is.
 * - Other frames before a successful authentication never reach the
 *   handler: each top-level block is answered with its response tag typed
 *   ERROR ACCESS_DENIED (an empty frame, or more blocks than one reply
 *   holds: RSCP.GENERAL_ERROR ACCESS_DENIED).
 * - A frame that fails to decrypt or to parse (magic, CRC, padding,
 *   structure) closes the connection without a reply, at any time.
 * - Every reply header (authentication replies included) carries the time
 *   of the configured clock (rscp_server_config.now; the real time by
 *   default); replies always carry a CRC.
 *
 * Hostile clients (every limit is a field of rscp_server_config):
 * - Fairness: each poll round answers at most one request frame per
 *   connection, so a client that pipelines many requests shares the loop
 *   with the others instead of holding it.
 * - Backpressure: a connection whose unsent replies reach max_unsent is
 *   neither read nor served until the client reads them; the check comes
 *   before the handler runs, so at most max_unsent plus one reply frame
 *   wait per connection.
 * - A client that is not authenticated auth_timeout_ms after connecting,
 *   or sends and receives nothing for idle_timeout_ms, is closed.
 * - At max_clients, a new client takes the place of the oldest connection
 *   that has not authenticated; only when every connection is
 *   authenticated is the new client accepted and closed at once.
 * - A refused authentication is answered only after auth_delay_ms, doubled
 *   for every recent refusal of the same address (IPv4 address or IPv6
 *   /64) up to auth_delay_max_ms; meanwhile that connection is not served,
 *   and no authentication from that address is evaluated before the delay
 *   is over (other connections of the address wait too; authenticated
 *   sessions are not affected). After max_auth_failures refusals the
 *   connection is closed right after the last refusal is sent. The
 *   comparison of credentials takes a time independent of their lengths.
 *   faults.refuse_auth refusals are not penalised.
 * - A reply that does not fit one frame is never dropped: the complete
 *   top-level blocks that fit are kept and every request block left without
 *   an answer gets its response tag typed ERROR RSCP_SERVER_ERR_TOO_LARGE
 *   (RSCP.GENERAL_ERROR of that code when even those do not fit). A handler
 *   whose builder fails otherwise (open container, bad argument) gets the
 *   same treatment with RSCP_SERVER_ERR_HANDLER.
 * - Running out of memory costs at most the connection that needed it;
 *   rscp_server_run() returns only for a failure of poll() itself.
 * - Memory per connection: the reader's buffer grows with the largest
 *   frame buffered and is released when nothing is pending; the reply
 *   buffer is released when drained (see README for measured figures).
 *
 * Not thread-safe: drive one server from one thread. */
#ifndef RSCP_SERVER_H
#define RSCP_SERVER_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

typedef struct rscp_server rscp_server;

/* Defaults set by rscp_server_config_init(). */
#define RSCP_SERVER_DEFAULT_MAX_CLIENTS 1024u
#define RSCP_SERVER_DEFAULT_AUTH_TIMEOUT_MS 10000    /* 10 s to authenticate          */
#define RSCP_SERVER_DEFAULT_IDLE_TIMEOUT_MS 600000   /* 10 min without traffic        */
#define RSCP_SERVER_DEFAULT_AUTH_DELAY_MS 500u       /* first refusal answered after  */
#define RSCP_SERVER_DEFAULT_AUTH_DELAY_MAX_MS 8000u  /* longest delay of an address   */
#define RSCP_SERVER_DEFAULT_MAX_AUTH_FAILURES 3u     /* refusals before closing       */
#define RSCP_SERVER_DEFAULT_MAX_UNSENT (128u << 10)  /* unsent reply bytes per client */

/* Device error codes (errors.tsv) of the ERROR blocks the server puts in
 * place of reply blocks that the handler could not write. */
#define RSCP_SERVER_ERR_TOO_LARGE 5u /* OUT_OF_BOUNDS: the reply does not fit one frame */
#define RSCP_SERVER_ERR_HANDLER 1u   /* NOT_HANDLED: the handler's builder failed otherwise */

/* Identifies one client connection to the handler. */
struct rscp_session_info {
    uint64_t id;         /* unique per accepted connection */
    int auth_level;      /* level granted                  */
    const char *peer;    /* "127.0.0.1:54321"              */
};

/* Called once per authenticated request frame. Write the reply's data
 * blocks with rscp_put_* into *reply (a builder in frame mode; the server
 * sets header and CRC). Return 0 to send the reply, a negative error to
 * close the connection without one. */
typedef int (*rscp_request_handler)(void *ctx, const struct rscp_session_info *session,
                                    const struct rscp_frame *request, struct rscp_builder *reply);

/* Faults the server can inject on its replies, for testing clients. All
 * zero: behave normally. Counts are per connection. Byte counts
 * (stall_after, close_after) include the authentication reply; frame
 * counts (drop_frame, busy_every, corrupt_crc) start after it. A client that
 * waits for each reply before the next request (rscp_client) sees with:
 *   delay_ms > its io timeout, stall_after, drop_frame, coalesce > 1:
 *                           RSCP_ERR_TIMEOUT
 *   close_after, reset:     RSCP_ERR_CLOSED (also inside the authentication
 *                           reply: only a close before any byte of it looks
 *                           like a wrong key, RSCP_ERR_KEY)
 *   corrupt_crc:            RSCP_ERR_CRC
 *   refuse_auth:            RSCP_ERR_AUTH
 *   chunk:                  nothing (replies arrive in pieces)
 *   busy_every:             a reply holding RSCP.GENERAL_ERROR ERROR AGAIN */
struct rscp_server_faults {
    uint32_t delay_ms;          /* wait before each reply                        */
    uint32_t stall_after;       /* > 0: stop sending (keep the socket) after N bytes */
    uint32_t close_after;       /* > 0: close the socket after sending N bytes   */
    bool reset;                 /* reset (RST) instead of replying to a request   */
    uint32_t chunk;             /* > 0: write replies in chunks of N bytes        */
    uint32_t coalesce;          /* > 1: hold replies after auth and send N frames
                                   in one write                                    */
    bool corrupt_crc;           /* flip a CRC bit in every reply after auth       */
    uint32_t drop_frame;        /* > 0: do not send the N-th reply after auth     */
    bool refuse_auth;           /* answer every authentication with failure       */
    uint32_t busy_every;        /* > 0: every N-th request gets RSCP.GENERAL_ERROR AGAIN */
};

struct rscp_server_config {
    const char *bind_host;      /* NULL: "127.0.0.1"                       */
    uint16_t port;              /* 0: pick a free port (rscp_server_port)  */
    const char *user;           /* credentials accepted                    */
    const char *password;
    const char *key;            /* RSCP key                                */
    int auth_level;             /* level granted on success; 0: 10 (USER)  */
    unsigned max_clients;       /* 0: 1024                                 */
    /* The limits against hostile clients (see above); rscp_server_config_init()
     * sets the RSCP_SERVER_DEFAULT_* values. 0 turns a limit off. */
    int auth_timeout_ms;        /* close clients not authenticated by then */
    int idle_timeout_ms;        /* close clients without traffic this long */
    uint32_t auth_delay_ms;     /* answer a refused authentication after   */
    uint32_t auth_delay_max_ms; /* cap of the doubled delay (>= auth_delay_ms) */
    uint32_t max_auth_failures; /* close after this many refusals          */
    size_t max_unsent;          /* stop serving a client with this much unsent */
    rscp_request_handler handler;
    void *handler_ctx;
    struct rscp_server_faults faults;
    /* Time for reply headers; NULL: rscp_timestamp_now(). Called with
     * now_ctx on the serving thread once per reply frame, just before that
     * reply is built, so for a request frame right before its handler runs.
     * Nanoseconds of 1e9 or more carry into the seconds. */
    struct rscp_timestamp (*now)(void *ctx);
    void *now_ctx;
};

/* Counters since rscp_server_new(), for monitoring and tests. */
struct rscp_server_stats {
    uint64_t accepted;          /* connections taken                              */
    uint64_t evicted;           /* unauthenticated ones closed to make room       */
    uint64_t rejected_full;     /* new ones closed at once (all authenticated)    */
    uint64_t auth_timeouts;     /* closed for not authenticating in time          */
    uint64_t idle_timeouts;     /* closed for being idle                          */
    uint64_t auth_refused;      /* refused authentications                        */
    uint64_t auth_closed;       /* closed after max_auth_failures refusals        */
    uint64_t oversized_replies; /* replies answered with ERROR blocks (see above)  */
    uint64_t alloc_failures;    /* connections closed or refused for lack of memory */
    uint64_t requests;          /* request frames answered (all kinds)            */
    size_t max_unsent_seen;     /* most unsent reply bytes one connection had     */
};

RSCP_BEGIN_DECLS

/* Fill *cfg with defaults. */
RSCP_API void rscp_server_config_init(struct rscp_server_config *cfg);

/* Create, bind and listen. Strings are copied (secrets wiped on free);
 * user, password, key and handler are required. Returns 0, RSCP_ERR_ARG,
 * RSCP_ERR_NOMEM, RSCP_ERR_RESOLVE or RSCP_ERR_IO (bind/listen failed;
 * detail in rscp_server_errstr(NULL), kept per thread). */
RSCP_API int rscp_server_new(rscp_server **out, const struct rscp_server_config *cfg);

/* Close every connection and free; NULL accepted. */
RSCP_API void rscp_server_free(rscp_server *s);

/* The bound port (useful with port 0). */
RSCP_API uint16_t rscp_server_port(const rscp_server *s);

/* Serve for at most timeout_ms (-1: until something happens): one poll()
 * round over the listener and all clients. Returns 0 or RSCP_ERR_IO (poll
 * failed; detail in rscp_server_errstr()). Problems of single clients,
 * running out of memory or descriptors included, only close them. */
RSCP_API int rscp_server_run_once(rscp_server *s, int timeout_ms);

/* Serve until *stop becomes non-zero (checked at least every 100 ms).
 * Returns 0, or the RSCP_ERR_IO of a failed poll(). */
RSCP_API int rscp_server_run(rscp_server *s, volatile int *stop);

/* Number of connected clients. */
RSCP_API unsigned rscp_server_clients(const rscp_server *s);

/* Copy the counters of s into *out (zeros for s NULL). Call from the
 * serving thread, or after it stopped. */
RSCP_API void rscp_server_get_stats(const rscp_server *s, struct rscp_server_stats *out);

/* Detail of the last error of s; with s NULL, of the last failed
 * rscp_server_new() in the calling thread. Never contains secrets. */
RSCP_API const char *rscp_server_errstr(const rscp_server *s);

RSCP_END_DECLS

#endif
