/* rscp-bridge: the HTTP endpoint's state, shared by its two files:
 * http_server.c (listening socket, accept, poll integration, limits) and
 * http_server_conn.c (one connection: head, handler, response, linger). */
#ifndef RSCP_BRIDGE_HTTP_SERVER_INTERNAL_H
#define RSCP_BRIDGE_HTTP_SERVER_INTERNAL_H

#include <stdbool.h>

#include "http_server.h"

enum http_conn_state {
    HC_HEAD,   /* reading the request head         */
    HC_WRITE,  /* writing the response             */
    HC_LINGER  /* written and shut down: draining  */
};

struct http_conn {
    int fd;
    int state;
    int64_t deadline;            /* of the current state               */
    char *in;                    /* head_max bytes                     */
    size_t in_len, in_cap;
    struct bridge_http_parser parser;
    char head[768];              /* response head (and an error body)  */
    size_t head_len;
    char *body;                  /* the handler's buffer               */
    size_t body_cap, body_len;
    size_t body_off;             /* body[body_off..body_len) unwritten */
    bool send_body;              /* false for HEAD and errors          */
    size_t sent;                 /* bytes of the head written          */
    struct bridge_http_stream stream; /* next set: a streamed body     */
    size_t stream_mem;           /* stream.mem while counted           */
    bool chunked;                /* the stream in HTTP/1.1 chunks      */
    bool stream_end;             /* next gave 0: the rest is the end   */
    size_t drained;              /* bytes discarded while lingering    */
};

struct bridge_http_server {
    int lfd;
    uint16_t port;
    bridge_http_handler handler;
    void *ctx;
    struct bridge_http_limits lim;
    struct http_conn **conns;    /* oldest first                       */
    size_t nconns, capconns;
    size_t body_total;           /* body_cap of all connections        */
    size_t body_hint;            /* largest body needed so far         */
    bool accept_paused;
    int64_t accept_resume;       /* when accept_paused                 */
    struct bridge_http_stats st;
};

/* A new connection on fd (non-blocking) in HC_HEAD, deadline from now_ms;
 * NULL when out of memory (fd is left open). */
struct http_conn *http_conn_new(const struct bridge_http_server *s, int fd, int64_t now_ms);

/* Act on poll events of c. Returns false when c is to be closed. */
bool http_conn_event(struct bridge_http_server *s, struct http_conn *c, short revents, int64_t now_ms);

/* c's deadline has passed: best-effort 408 when it is still reading its
 * head, counts timeouts. Returns false (c is to be closed) always. */
bool http_conn_expire(struct bridge_http_server *s, struct http_conn *c);

/* Close c's socket and free it (its body leaves body_total). */
void http_conn_free(struct bridge_http_server *s, struct http_conn *c);

/* Before a close (503, 408): discard up to 16 KiB of input already
 * waiting (so that the close is less likely a reset), then one non-blocking
 * send of a short response with this status and text body, result ignored. */
void http_send_once(int fd, int status, const char *text);

/* The events c waits for: POLLIN or POLLOUT. */
short http_conn_events(const struct http_conn *c);

#endif
