/* rscp-bridge: the HTTP endpoint (GET /metrics, /healthz), driven by the
 * daemon's one poll() loop. Single-threaded, non-blocking, no timers or
 * clock of its own: the caller passes CLOCK_MONOTONIC milliseconds in.
 *
 * Protocol: HTTP/1.0 and HTTP/1.1 requests (head parsed by http_parse.h),
 * one request per connection, every response with `Connection: close`
 * (status line HTTP/1.1). GET and HEAD go to the handler; any other method
 * gets 405 (with Allow: GET, HEAD), a malformed head 400, a body 413, a too
 * long request line 414 or head 431, HTTP/2+ 505; all of these without
 * calling the handler. HEAD gets the headers of the GET (Content-Length of
 * the body the handler made, or Transfer-Encoding: chunked for a stream)
 * and no body. Bytes after the head (pipelined
 * requests, a body) are ignored.
 *
 * Hostile clients (limits in struct bridge_http_limits, all settable):
 *   - at most max_conns connections. A new one beyond that closes the
 *     oldest connection that is still waiting for its request head (so idle
 *     or slow connections cannot lock the endpoint); when every connection
 *     is already being answered, the new one gets a 503 (one non-blocking
 *     write; the client may see a reset instead) and is closed. Both count as rejected.
 *   - the request head must be complete within head_timeout_ms of the
 *     accept (a slowloris client gets a best-effort 408 and is closed), and
 *     within head_max bytes (414/431).
 *   - the response must be taken within write_timeout_ms of being ready,
 *     else the connection is closed; both count as timeouts.
 *   - after the response the server shuts its side down and waits up to
 *     linger_ms for the client to close (discarding what it still sends,
 *     at most BRIDGE_HTTP_DRAIN_MAX bytes), so that no unread input turns the close into
 *     a reset that would lose the end of the response.
 *   - a response body larger than max_response is not sent (500), and the
 *     bodies of all open connections together stay within
 *     max_response_total (beyond it: 503). A streamed body (see struct
 *     bridge_http_response) holds one chunk at a time, made when the
 *     socket has taken the last one: a slow reader costs a chunk, not the
 *     page; its chunk buffer and state count against max_response_total.
 *   - each call of bridge_http_process() does at most one read or one write
 *     of at most write_chunk bytes per connection and at most
 *     BRIDGE_HTTP_ACCEPT_BATCH accepts: one connection never delays another.
 *   - when accept() fails for lack of descriptors (EMFILE, ENFILE, ENOBUFS,
 *     ENOMEM), the listening socket is left out of the poll set for
 *     BRIDGE_HTTP_ACCEPT_PAUSE_MS instead of spinning.
 * Not thread-safe (one server, one thread). */
#ifndef RSCP_BRIDGE_HTTP_SERVER_H
#define RSCP_BRIDGE_HTTP_SERVER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "http_parse.h"

#define BRIDGE_HTTP_MAX_CONNS 64u              /* default of max_conns                */
#define BRIDGE_HTTP_HEAD_TIMEOUT_MS 5000       /* default of head_timeout_ms          */
#define BRIDGE_HTTP_WRITE_TIMEOUT_MS 10000     /* default of write_timeout_ms         */
#define BRIDGE_HTTP_LINGER_MS 1000             /* default of linger_ms                */
#define BRIDGE_HTTP_MAX_RESPONSE (16u << 20)   /* default of max_response: 16 MiB     */
#define BRIDGE_HTTP_MAX_RESPONSE_TOTAL (48u << 20) /* default of max_response_total   */
#define BRIDGE_HTTP_WRITE_CHUNK (256u << 10)   /* default of write_chunk: 256 KiB     */
#define BRIDGE_HTTP_DRAIN_MAX (1u << 20)      /* discarded after a response          */
#define BRIDGE_HTTP_ACCEPT_BATCH 16u           /* accepts per bridge_http_process()   */
#define BRIDGE_HTTP_ACCEPT_PAUSE_MS 100        /* pause after EMFILE and the like     */
#define BRIDGE_HTTP_STREAM_CHUNK (64u << 10)   /* cap of bridge_http_stream.next()    */

/* The content type of the Prometheus text exposition format. */
#define BRIDGE_HTTP_METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"
/* The default content type of a response. */
#define BRIDGE_HTTP_TEXT_TYPE "text/plain; charset=utf-8"

struct bridge_http_limits {
    size_t max_conns;           /* open connections (>= 1)                      */
    size_t head_max;            /* request head bytes (>= 64)                   */
    int head_timeout_ms;        /* accept to complete head (>= 1)               */
    int write_timeout_ms;       /* response ready to fully written (>= 1)       */
    int linger_ms;              /* written to closed by the client (>= 0)       */
    size_t max_response;        /* body bytes of one response                   */
    size_t max_response_total;  /* body bytes of all open connections           */
    size_t write_chunk;         /* bytes per write per connection per call      */
};

/* The defaults above. */
struct bridge_http_limits bridge_http_limits_default(void);

/* One request as the handler sees it. The strings are NUL-terminated,
 * exactly as sent (percent-escapes not decoded), valid only during the
 * handler call. */
struct bridge_http_request {
    int method;        /* BRIDGE_HTTP_GET or BRIDGE_HTTP_HEAD               */
    const char *path;  /* "/metrics" (no query)                             */
    size_t path_len;
    const char *query; /* after the '?', "" when there is none              */
    size_t query_len;
    int version_minor; /* 0: HTTP/1.0, 1: HTTP/1.1                          */
};

/* The response the handler fills. On entry: status 200, content_type
 * BRIDGE_HTTP_TEXT_TYPE, body a server-owned buffer of cap bytes (cap > 0),
 * len 0. The handler sets status (200, 404, 503, ... any 200..599; an
 * unknown or out-of-range one is sent as 500), content_type (a string that
 * lives until the response is written: use a literal; no CR or LF) and
 * writes the body into body[0..len). When the body does not fit, it sets
 * len to the size it needs (len > cap) and returns: the server grows the
 * buffer to at least len and calls the handler again for the same request
 * (so bridge_metrics_render() can be called as
 * `r->len = bridge_metrics_render(&m, r->body, r->cap);`). A status other
 * than 200 with len 0 gets a short text body ("Not Found\n"). For HEAD the
 * handler makes the same body: its length is sent, the bytes are not.
 *
 * A body too large to hold (the metrics of a thousand sites) is streamed
 * instead: the handler sets stream.next (len and body are then ignored) and
 * the server asks it for the next BRIDGE_HTTP_STREAM_CHUNK bytes at most
 * whenever the socket has taken the last ones, so a slow reader holds one
 * chunk, not the page. The body goes out with `Transfer-Encoding: chunked`
 * to HTTP/1.1 clients and until the close to HTTP/1.0 ones (no
 * Content-Length: its length is not known in advance). next returns the
 * bytes it wrote (> 0), 0 at the end of the body, -1 when the body cannot
 * be completed: the connection is then closed without the last chunk, so
 * that an HTTP/1.1 client sees the response incomplete. The server calls
 * stream.free(stream.state) exactly once (at the end, on HEAD, on an error,
 * a timeout or a close), and counts stream.mem (what the state holds) and
 * the chunk buffer against max_response_total (beyond it: 503);
 * max_response does not apply. */
struct bridge_http_stream {
    long (*next)(void *state, char *buf, size_t cap);
    void (*free)(void *state);
    void *state;
    size_t mem;
};

struct bridge_http_response {
    int status;
    const char *content_type;
    char *body;
    size_t cap;
    size_t len;
    struct bridge_http_stream stream; /* all zero on entry: no stream */
};

typedef void (*bridge_http_handler)(void *ctx, const struct bridge_http_request *req,
                                    struct bridge_http_response *resp);

/* Counters since bridge_http_new(). */
struct bridge_http_stats {
    uint64_t accepted;  /* connections accepted                                */
    uint64_t requests;  /* requests passed to the handler                      */
    uint64_t rejected;  /* answered 400/405/413/414/431/505 without the handler,
                           or closed/503 because of max_conns                  */
    uint64_t timeouts;  /* closed by head_timeout_ms or write_timeout_ms       */
    uint64_t open;      /* connections open now                                */
};

struct bridge_http_server;

/* Listen on host:port (TCP, SO_REUSEADDR, non-blocking, close-on-exec).
 * host: an IPv4 or IPv6 literal ("127.0.0.1", "::1", "[::1]", "0.0.0.0",
 * "::") or "localhost" (127.0.0.1); port 0 picks a free port (see
 * bridge_http_port()). h is called for every GET or HEAD request with ctx.
 * The limits are the defaults until bridge_http_set_limits().
 * Returns 0 and *out, or -1 with *out NULL and a message in err (e.g.
 * "cannot listen on 127.0.0.1:9633: Address already in use"). */
int bridge_http_new(struct bridge_http_server **out, const char *host, uint16_t port, bridge_http_handler h,
                    void *ctx, char *err, size_t errcap);

/* Replace the limits; they apply to connections accepted after the call
 * (max_conns and max_response_total at once). Returns 0, or -1 and
 * leaves the limits as they were when one is out of its range. */
int bridge_http_set_limits(struct bridge_http_server *s, const struct bridge_http_limits *l);

/* The port listened on (the chosen one when bridge_http_new() got 0). */
uint16_t bridge_http_port(const struct bridge_http_server *s);

/* The most entries bridge_http_pollfds() can fill: 1 + max_conns. */
size_t bridge_http_max_fds(const struct bridge_http_server *s);

/* Fill fds[0..) with the listening socket (POLLIN; left out during an
 * accept pause) and each connection (POLLIN while reading, POLLOUT while
 * writing), at most cap entries; revents are set to 0. Returns the number
 * filled. With cap < bridge_http_max_fds() the connections left out are
 * simply not served in that round (their deadlines still run). */
size_t bridge_http_pollfds(const struct bridge_http_server *s, struct pollfd *fds, size_t cap);

/* Act on the revents of fds[0..n) (the entries bridge_http_pollfds() filled,
 * after poll(); entries of other descriptors are ignored), accept new
 * connections, call the handler for complete requests, write responses and
 * close connections whose deadline has passed at now_ms (CLOCK_MONOTONIC
 * milliseconds). Call it after every poll() (also on a timeout, with n 0, so
 * that deadlines run). */
void bridge_http_process(struct bridge_http_server *s, const struct pollfd *fds, size_t n, int64_t now_ms);

/* The earliest deadline of an open connection or of an accept pause, in
 * now_ms's clock, or -1 when there is none. The caller's poll() timeout
 * should not pass it. */
int64_t bridge_http_next_deadline(const struct bridge_http_server *s);

/* The counters. */
void bridge_http_stats(const struct bridge_http_server *s, struct bridge_http_stats *out);

/* Close every connection and the listening socket; NULL is fine. */
void bridge_http_free(struct bridge_http_server *s);

#endif
