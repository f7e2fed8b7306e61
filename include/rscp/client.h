/* librscp: RSCP client connection (the thin network layer over the codec).
 *
 * Blocking use, no threads needed:
 *
 *     struct rscp_client_config cfg;
 *     rscp_client_config_init(&cfg);
 *     cfg.host = "192.168.1.20"; cfg.user = "me@example.com";
 *     cfg.password = "portal password"; cfg.key = "rscp key";
 *     rscp_client *c;
 *     rscp_client_new(&c, &cfg);
 *     if (rscp_client_connect(c) == 0) {
 *         struct rscp_builder b;
 *         rscp_client_request_begin(c, &b);
 *         rscp_put_none(&b, 0x01000001);           // EMS.REQ_POWER_PV
 *         struct rscp_frame reply;
 *         if (rscp_client_request_send(c, &b, &reply) == 0) ... use reply ...
 *     }
 *     rscp_client_free(c);
 *
 * Every network wait has a deadline (poll() and CLOCK_MONOTONIC). After any
 * transport, framing or decryption error the connection is unusable (the
 * CBC IV chains are broken): calls return RSCP_ERR_NOT_CONNECTED until
 * rscp_client_connect() builds a new connection with fresh IVs and a fresh
 * authentication. Device error blocks in a reply are data, not errors.
 *
 * The same object can be driven by an event loop (see "Non-blocking use").
 * A client is not thread-safe; distinct clients are. Its buffers grow as
 * the frames need them (the send buffer to the largest request, the
 * receive buffer to the largest reply, each at most RSCP_MAX_WIRE_SIZE) and
 * are kept: steady-state requests do not allocate. An event loop holding
 * many mostly idle connections gives them back between exchanges with
 * rscp_client_trim(). */
#ifndef RSCP_CLIENT_H
#define RSCP_CLIENT_H

#include "rscp/builder.h"
#include "rscp/common.h"
#include "rscp/frame.h"

#define RSCP_DEFAULT_PORT 5033u
#define RSCP_DEFAULT_CONNECT_TIMEOUT_MS 5000
#define RSCP_DEFAULT_IO_TIMEOUT_MS 10000

typedef struct rscp_client rscp_client;

struct rscp_client_config {
    const char *host;        /* host name, IPv4 or IPv6 address             */
    uint16_t port;           /* 0: RSCP_DEFAULT_PORT                        */
    const char *user;        /* portal account or "local.user"              */
    const char *password;    /* portal password (secret)                    */
    const char *key;         /* RSCP key set on the device (secret)         */
    int connect_timeout_ms;  /* resolve + connect + authenticate; 0: default */
    int io_timeout_ms;       /* one request/response; 0: default            */
    int cipher_impl;         /* enum rscp_cipher_impl; 0: auto              */
};

/* Connection states. */
enum rscp_client_state {
    RSCP_CLIENT_DISCONNECTED = 0,
    RSCP_CLIENT_CONNECTING,     /* TCP connect in progress            */
    RSCP_CLIENT_AUTHENTICATING, /* auth frame sent, waiting for reply */
    RSCP_CLIENT_READY,          /* idle, can send a request           */
    RSCP_CLIENT_BUSY,           /* request sent, waiting for reply    */
    RSCP_CLIENT_FAILED          /* fatal error; reconnect to go on    */
};

RSCP_BEGIN_DECLS

/* Fill *cfg with defaults (host NULL, port 5033, default timeouts). */
RSCP_API void rscp_client_config_init(struct rscp_client_config *cfg);

/* Create a client. The strings of cfg are copied (secrets are wiped on
 * free). Does not connect. Returns 0, RSCP_ERR_ARG (no host/user/password/
 * key) or RSCP_ERR_NOMEM. */
RSCP_API int rscp_client_new(rscp_client **out, const struct rscp_client_config *cfg);

/* Close and free; NULL accepted. */
RSCP_API void rscp_client_free(rscp_client *c);

/* Resolve, connect (IPv4 or IPv6) and authenticate, within
 * connect_timeout_ms. Closes an existing connection first; starts with
 * fresh IVs. Returns 0, or
 *   RSCP_ERR_RESOLVE, _CONNECT, _TIMEOUT, _IO, _NOMEM;
 *   _AUTH      the device refused the user name or password;
 *   _KEY       the authentication frame was sent whole and the device
 *              closed (or reset) the connection without a byte of reply:
 *              a wrong RSCP key -- or a device that accepts no more
 *              connections, which looks the same on the wire;
 *   _CLOSED    closed before the authentication frame was sent whole, or
 *              after part of the reply;
 *   _PROTOCOL  the reply is a valid frame without a usable
 *              RSCP.AUTHENTICATION level, or more than one frame came;
 *   a reader error (RSCP_ERR_MAGIC, _CRC, _DEPTH, ...) when the reply is
 *              no valid frame.
 * The detail is in rscp_client_errstr(). */
RSCP_API int rscp_client_connect(rscp_client *c);

/* Close the connection (the object can connect again). */
RSCP_API void rscp_client_close(rscp_client *c);

/* Authentication level granted by the device (10 = USER), 0 if none. */
RSCP_API int rscp_client_auth_level(const rscp_client *c);

/* enum rscp_client_state. */
RSCP_API int rscp_client_state(const rscp_client *c);

/* The last error as one line: the message of its code (rscp_strerror),
 * then what the client knows beyond it, without repeating it ("cannot
 * connect: 192.0.2.1:5033: Connection refused"). Never contains secrets.
 * Valid until the next call on c. */
RSCP_API const char *rscp_client_errstr(const rscp_client *c);

/* Send one request frame whose data blocks are blocks[0..len) and wait for
 * the reply within io_timeout_ms. Malformed blocks give RSCP_ERR_ARG. *reply views the client's buffer, valid
 * until the next call on c. Returns 0, RSCP_ERR_NOT_CONNECTED, _STATE
 * (another request in flight), _VALUE_TOO_LONG, _TIMEOUT, _CLOSED, _IO,
 * _PROTOCOL or a reader error (fatal ones close the connection). */
RSCP_API int rscp_client_request(rscp_client *c, const void *blocks, size_t len, struct rscp_frame *reply);

/* Zero-copy form: rscp_client_request_begin() starts a frame (current time,
 * CRC) in the client's send buffer through *b; add blocks with rscp_put_*,
 * then rscp_client_request_send() finishes, encrypts, sends and waits as
 * rscp_client_request(). */
RSCP_API int rscp_client_request_begin(rscp_client *c, struct rscp_builder *b);
RSCP_API int rscp_client_request_send(rscp_client *c, struct rscp_builder *b, struct rscp_frame *reply);

/* ---- Reconnecting with backoff --------------------------------------- */

/* Exponential backoff with jitter: the n-th delay is uniformly drawn from
 * [d/2, d] with d = min(max_ms, initial_ms * 2^n); reset after a success. */
struct rscp_backoff {
    uint32_t initial_ms;
    uint32_t max_ms;
    uint32_t attempt;
    uint64_t rng;
};

/* Injectable clock: now_ms returns monotonic milliseconds, sleep_ms waits.
 * NULL functions mean the real clock. */
struct rscp_clock {
    int64_t (*now_ms)(void *ctx);
    void (*sleep_ms)(void *ctx, int64_t ms);
    void *ctx;
};

RSCP_API void rscp_backoff_init(struct rscp_backoff *bo, uint32_t initial_ms, uint32_t max_ms, uint64_t seed);
/* The delay before the next attempt; advances the attempt counter. */
RSCP_API uint32_t rscp_backoff_next(struct rscp_backoff *bo);
RSCP_API void rscp_backoff_reset(struct rscp_backoff *bo);

/* Call rscp_client_connect() until it succeeds, sleeping rscp_backoff_next()
 * between attempts, at most max_attempts times (0: no limit) and not past
 * deadline_ms on clk's clock (< 0: none). Authentication refusals (_AUTH)
 * and wrong keys (_KEY) are not retried (a caller that knows the key is
 * right -- it worked before -- may retry _KEY itself: a device that
 * accepts no more connections gives it too). Resets bo on success.
 * Returns 0 or the last error. clk may be NULL. */
RSCP_API int rscp_client_connect_retry(rscp_client *c, struct rscp_backoff *bo, unsigned max_attempts,
                                       int64_t deadline_ms, const struct rscp_clock *clk);

/* ---- Non-blocking use (event loops) ----------------------------------
 *
 * rscp_client_start() begins a non-blocking connect; then, in a poll()
 * loop: watch rscp_client_fd() for POLLIN, and for POLLOUT when
 * rscp_client_wants_write(); call rscp_client_on_readable() /
 * rscp_client_on_writable() accordingly and rscp_client_on_timer() when
 * rscp_client_next_deadline() has passed. rscp_client_submit() queues one
 * request (state READY -> BUSY) and starts writing it; when
 * rscp_client_on_readable() returns 1 the pending exchange completed: the
 * state is READY (after authentication) or rscp_client_take_reply() gives
 * the reply. Each returns 0 (or 1 where noted) or a negative error, after
 * which the state is FAILED -- except RSCP_ERR_ARG, _STATE,
 * _NOT_CONNECTED, _VALUE_TOO_LONG and builder errors from submit, which
 * change nothing.
 *
 * rscp_client_start() resolves the host with getaddrinfo(), which blocks.
 * While CONNECTING the descriptor changes when an address fails and the
 * next one is tried: query rscp_client_fd() before every poll(). The
 * reply is strictly request/response: bytes arriving while no request is
 * pending are RSCP_ERR_PROTOCOL. */
RSCP_API int rscp_client_start(rscp_client *c);
RSCP_API int rscp_client_fd(const rscp_client *c);
RSCP_API bool rscp_client_wants_write(const rscp_client *c);
RSCP_API int rscp_client_on_readable(rscp_client *c);
RSCP_API int rscp_client_on_writable(rscp_client *c);
RSCP_API int rscp_client_on_timer(rscp_client *c, int64_t now_ms);
/* Monotonic ms of the next deadline, or -1 when nothing is pending. */
RSCP_API int64_t rscp_client_next_deadline(const rscp_client *c);
RSCP_API int rscp_client_submit(rscp_client *c, const void *blocks, size_t len);
/* 1 and *reply when a reply is ready (state back to READY), 0 if not. */
RSCP_API int rscp_client_take_reply(rscp_client *c, struct rscp_frame *reply);

/* Give the buffers back while they hold nothing pending: the receive
 * buffer when no reply bytes wait in it, the send buffer (wiped: it may
 * have held the password) when its frame is sent. The next exchange
 * allocates again (and may then fail with RSCP_ERR_NOMEM). A reply taken
 * or ready before is invalid afterwards (rscp_client_take_reply() then
 * returns 0). Any state; NULL ignored. */
RSCP_API void rscp_client_trim(rscp_client *c);

/* Bytes the client's buffers hold now (send and receive), 0 for NULL. */
RSCP_API size_t rscp_client_buffer_bytes(const rscp_client *c);

RSCP_END_DECLS

#endif
