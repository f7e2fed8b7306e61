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
 * - A frame holding RSCP.REQ_AUTHENTICATION authenticates (again) at any
 *   time. After a refusal the connection stays open at level 0.
 * - Other frames before a successful authentication never reach the
 *   handler: each top-level block is answered with its response tag typed
 *   ERROR ACCESS_DENIED (an empty frame: RSCP.GENERAL_ERROR ACCESS_DENIED).
 * - A frame that fails to decrypt or to parse (magic, CRC, padding,
 *   structure) closes the connection without a reply, at any time.
 * - Every reply header (authentication replies included) carries the time
 *   of the configured clock (rscp_server_config.now; the real time by
 *   default); replies always carry a CRC.
 * - Clients beyond max_clients are accepted and closed at once.
 * - A client that does not read its replies is not read from while more
 *   than 1 MiB of replies wait for it.
 *
 * Not thread-safe: drive one server from one thread. */
#ifndef RSCP_SERVER_H
#define RSCP_SERVER_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

typedef struct rscp_server rscp_server;

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
    int idle_timeout_ms;        /* close idle clients; 0: never            */
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
 * round over the listener and all clients. Returns 0, RSCP_ERR_IO (poll
 * failed) or RSCP_ERR_NOMEM. Problems of single clients only close them. */
RSCP_API int rscp_server_run_once(rscp_server *s, int timeout_ms);

/* Serve until *stop becomes non-zero (checked at least every 100 ms). */
RSCP_API int rscp_server_run(rscp_server *s, volatile int *stop);

/* Number of connected clients. */
RSCP_API unsigned rscp_server_clients(const rscp_server *s);

/* Detail of the last error of s; with s NULL, of the last failed
 * rscp_server_new() in the calling thread. Never contains secrets. */
RSCP_API const char *rscp_server_errstr(const rscp_server *s);

RSCP_END_DECLS

#endif
