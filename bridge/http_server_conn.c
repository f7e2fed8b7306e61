/* rscp-bridge: one connection of the HTTP endpoint (see http_server.h):
 * the head is read and parsed as it arrives, the handler fills the body,
 * head and body are written out as the socket takes them, then the
 * connection is shut down and drained until the client closes. */
#include "http_server_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define BODY_MIN 4096u /* first body buffer when nothing is known yet */
#define FRAME_HEAD 16u /* room before a stream chunk for its size line  */
/* A stream's buffer: size line, chunk, CRLF. */
#define STREAM_BUF (FRAME_HEAD + BRIDGE_HTTP_STREAM_CHUNK + 2u)

enum framing { F_LENGTH, F_CHUNKED, F_CLOSE };

/* The stream's state is freed, its memory leaves body_total. */
static void stream_release(struct bridge_http_server *s, struct http_conn *c)
{
    if (c->stream.free)
        c->stream.free(c->stream.state);
    memset(&c->stream, 0, sizeof c->stream);
    s->body_total -= c->stream_mem;
    c->stream_mem = 0;
}

struct http_conn *http_conn_new(const struct bridge_http_server *s, int fd, int64_t now_ms)
{
    struct http_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->in = malloc(s->lim.head_max);
    if (!c->in) {
        free(c);
        return NULL;
    }
    c->in_cap = s->lim.head_max;
    c->fd = fd;
    c->state = HC_HEAD;
    c->deadline = now_ms + s->lim.head_timeout_ms;
    bridge_http_parser_init(&c->parser, s->lim.head_max);
    return c;
}

void http_conn_free(struct bridge_http_server *s, struct http_conn *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    stream_release(s, c);
    s->body_total -= c->body_cap;
    free(c->body);
    free(c->in);
    free(c);
}

short http_conn_events(const struct http_conn *c)
{
    return c->state == HC_WRITE ? POLLOUT : POLLIN;
}

/* The response head for status with a body of len bytes (F_LENGTH), or of
 * a length not known in advance (F_CHUNKED, F_CLOSE). */
static size_t format_head(char *buf, size_t cap, int status, const char *type, size_t len, int framing)
{
    char length[64];
    if (framing == F_LENGTH)
        snprintf(length, sizeof length, "Content-Length: %zu\r\n", len);
    else
        snprintf(length, sizeof length, "%s", framing == F_CHUNKED ? "Transfer-Encoding: chunked\r\n" : "");
    int n = snprintf(buf, cap,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: %s\r\n"
                     "%s"
                     "%s"
                     "Connection: close\r\n"
                     "\r\n",
                     status, bridge_http_status_text(status), type, length,
                     status == 405 ? "Allow: GET, HEAD\r\n" : "");
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* A response made entirely in c->head: status and a text body
 * "<reason phrase>[: detail]\n". */
static void respond_text(struct http_conn *c, int status, const char *detail, bool with_body)
{
    char body[256];
    int bn = snprintf(body, sizeof body, "%s%s%s\n", bridge_http_status_text(status), detail ? ": " : "",
                      detail ? detail : "");
    size_t blen = bn > 0 ? ((size_t)bn < sizeof body ? (size_t)bn : sizeof body - 1) : 0;
    size_t h = format_head(c->head, sizeof c->head, status, BRIDGE_HTTP_TEXT_TYPE, blen, F_LENGTH);
    if (with_body && h + blen <= sizeof c->head) {
        memcpy(c->head + h, body, blen);
        h += blen;
    }
    c->head_len = h;
    c->send_body = false;
    c->body_off = c->body_len = 0;
}

void http_send_once(int fd, int status, const char *text)
{
    struct http_conn tmp;
    memset(&tmp, 0, sizeof tmp);
    respond_text(&tmp, status, text, true);
    /* Input left unread makes the close a reset, which can make the client
     * lose the response: take what is already there. */
    char scratch[4096];
    for (int i = 0; i < 4 && recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; i++) {
    }
    ssize_t n = send(fd, tmp.head, tmp.head_len, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)n;
}

/* A content type that can go into the head as it is. */
static bool type_ok(const char *t)
{
    if (!t || !*t)
        return false;
    size_t n = 0;
    for (; t[n]; n++)
        if ((unsigned char)t[n] < 0x20 || (unsigned char)t[n] == 0x7f || n >= 200)
            return false;
    return true;
}

/* Make c->body at least want bytes, within the server's budgets. */
static bool body_reserve(struct bridge_http_server *s, struct http_conn *c, size_t want)
{
    if (want <= c->body_cap)
        return true;
    if (s->body_total - c->body_cap + want > s->lim.max_response_total)
        return false;
    char *p = realloc(c->body, want);
    if (!p)
        return false;
    s->body_total = s->body_total - c->body_cap + want;
    c->body = p;
    c->body_cap = want;
    return true;
}

/* The handler gave a stream: its head now, its body chunk by chunk from
 * write_some(). The body buffer becomes the stream's chunk buffer. */
static void respond_stream(struct bridge_http_server *s, struct http_conn *c, const struct bridge_http_request *req,
                           struct bridge_http_response *r)
{
    bool get = req->method == BRIDGE_HTTP_GET;
    c->stream = r->stream;
    if (s->body_total + r->stream.mem > s->lim.max_response_total) {
        stream_release(s, c);
        respond_text(c, 503, "the server's response memory is in use", get);
        return;
    }
    c->stream_mem = r->stream.mem;
    s->body_total += c->stream_mem;
    if (r->status < 200 || r->status > 599 || bridge_http_status_text(r->status)[0] == '\0') {
        stream_release(s, c);
        respond_text(c, 500, "the handler gave an unknown status", get);
        return;
    }
    if (get && !body_reserve(s, c, STREAM_BUF)) {
        stream_release(s, c);
        respond_text(c, 503, "the server's response memory is in use", get);
        return;
    }
    c->chunked = req->version_minor >= 1;
    const char *type = type_ok(r->content_type) ? r->content_type : BRIDGE_HTTP_TEXT_TYPE;
    c->head_len = format_head(c->head, sizeof c->head, r->status, type, 0, c->chunked ? F_CHUNKED : F_CLOSE);
    c->body_off = c->body_len = 0;
    c->send_body = get;
    c->stream_end = false;
    if (!get) /* HEAD: the head of the GET, no body */
        stream_release(s, c);
}

/* GET or HEAD: the handler's response (called again while it needs a
 * larger buffer, a few times at most). */
static void respond_handler(struct bridge_http_server *s, struct http_conn *c, const struct bridge_http_request *req)
{
    s->st.requests++;
    bool get = req->method == BRIDGE_HTTP_GET;
    size_t want = s->body_hint > BODY_MIN ? s->body_hint : BODY_MIN;
    if (want > s->lim.max_response)
        want = s->lim.max_response;
    struct bridge_http_response r;
    for (int attempt = 0;; attempt++) {
        if (!body_reserve(s, c, want)) {
            respond_text(c, 503, "the server's response memory is in use", get);
            return;
        }
        r.status = 200;
        r.content_type = BRIDGE_HTTP_TEXT_TYPE;
        r.body = c->body;
        r.cap = c->body_cap;
        r.len = 0;
        memset(&r.stream, 0, sizeof r.stream);
        s->handler(s->ctx, req, &r);
        if (r.stream.next) {
            respond_stream(s, c, req, &r);
            return;
        }
        if (r.len <= r.cap)
            break;
        if (r.len > s->lim.max_response) {
            respond_text(c, 500, "the response is larger than the server's limit", get);
            return;
        }
        if (attempt == 3) {
            respond_text(c, 500, "the response kept growing", get);
            return;
        }
        want = r.len;
    }
    if (r.len > s->body_hint)
        s->body_hint = r.len;
    if (r.status < 200 || r.status > 599 || bridge_http_status_text(r.status)[0] == '\0') {
        respond_text(c, 500, "the handler gave an unknown status", get);
        return;
    }
    if (r.len == 0 && r.status != 200) {
        respond_text(c, r.status, NULL, get);
        return;
    }
    const char *type = type_ok(r.content_type) ? r.content_type : BRIDGE_HTTP_TEXT_TYPE;
    c->head_len = format_head(c->head, sizeof c->head, r.status, type, r.len, F_LENGTH);
    c->body_off = 0;
    c->body_len = r.len;
    c->send_body = get;
}

/* The head is complete (or refused): make the response, start writing. */
static void respond(struct bridge_http_server *s, struct http_conn *c, int verdict, int64_t now_ms)
{
    struct bridge_http_parser *p = &c->parser;
    if (verdict == BRIDGE_HTTP_ERROR) {
        s->st.rejected++;
        respond_text(c, p->status, p->reason, true);
    } else if (p->method == BRIDGE_HTTP_OTHER) {
        s->st.rejected++;
        respond_text(c, 405, "only GET and HEAD are served", true);
    } else {
        /* NUL-terminate path and query in place: over the '?' and the SP. */
        c->in[p->path_off + p->path_len] = '\0';
        if (p->has_query)
            c->in[p->query_off + p->query_len] = '\0';
        struct bridge_http_request req = {
            p->method, c->in + p->path_off, p->path_len,
            p->has_query ? c->in + p->query_off : "", p->query_len, p->version_minor,
        };
        respond_handler(s, c, &req);
    }
    if (c->head_len == 0) /* a head that did not fit: cannot happen with a valid type */
        respond_text(c, 500, NULL, true);
    c->state = HC_WRITE;
    c->sent = 0;
    c->deadline = now_ms + s->lim.write_timeout_ms;
}

static bool would_block(int e)
{
    return e == EAGAIN || e == EWOULDBLOCK || e == EINTR;
}

/* One read of the head. */
static bool read_head(struct bridge_http_server *s, struct http_conn *c, int64_t now_ms)
{
    ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
    if (n == 0)
        return false; /* the client went away before its request was complete */
    if (n < 0)
        return would_block(errno);
    c->in_len += (size_t)n;
    int v = bridge_http_parse(&c->parser, c->in, c->in_len);
    if (v != BRIDGE_HTTP_MORE)
        respond(s, c, v, now_ms);
    return true;
}

/* The response is out: shut our side, wait for the client's close. */
static bool written(struct bridge_http_server *s, struct http_conn *c, int64_t now_ms)
{
    if (s->lim.linger_ms <= 0 || shutdown(c->fd, SHUT_WR) != 0)
        return false;
    s->body_total -= c->body_cap;
    free(c->body);
    c->body = NULL;
    c->body_cap = 0;
    c->state = HC_LINGER;
    c->deadline = now_ms + s->lim.linger_ms;
    return true;
}

/* The stream's next chunk into c->body, framed: "<size hex>\r\n" data
 * "\r\n" in HTTP/1.1, the last chunk "0\r\n\r\n" at the end; the bare
 * data in HTTP/1.0. False when the body cannot be completed. */
static bool refill(struct bridge_http_server *s, struct http_conn *c)
{
    long r = c->stream.next(c->stream.state, c->body + FRAME_HEAD, BRIDGE_HTTP_STREAM_CHUNK);
    if (r < 0 || (size_t)r > BRIDGE_HTTP_STREAM_CHUNK)
        return false;
    if (r == 0) {
        c->stream_end = true;
        stream_release(s, c);
        c->body_off = 0;
        c->body_len = 0;
        if (c->chunked) {
            memcpy(c->body, "0\r\n\r\n", 5);
            c->body_len = 5;
        }
        return true;
    }
    c->body_off = FRAME_HEAD;
    c->body_len = FRAME_HEAD + (size_t)r;
    if (c->chunked) {
        char size[FRAME_HEAD];
        int p = snprintf(size, sizeof size, "%lx\r\n", (unsigned long)r);
        c->body_off = FRAME_HEAD - (size_t)p;
        memcpy(c->body + c->body_off, size, (size_t)p);
        memcpy(c->body + c->body_len, "\r\n", 2);
        c->body_len += 2;
    }
    return true;
}

/* One write of at most write_chunk bytes of head and body (for a stream:
 * of the current chunk, the next one made once it is out). */
static bool write_some(struct bridge_http_server *s, struct http_conn *c, int64_t now_ms)
{
    bool streaming = c->stream.next != NULL || c->stream_end;
    if (c->send_body && streaming && !c->stream_end && c->sent >= c->head_len && c->body_off >= c->body_len &&
        !refill(s, c))
        return false;
    size_t budget = s->lim.write_chunk;
    struct iovec iov[2];
    int k = 0;
    size_t head_part = 0;
    if (c->sent < c->head_len) {
        head_part = c->head_len - c->sent;
        if (head_part > budget)
            head_part = budget;
        iov[k].iov_base = c->head + c->sent;
        iov[k].iov_len = head_part;
        budget -= head_part;
        k++;
    }
    if (c->send_body && budget > 0 && c->body_off < c->body_len) {
        size_t n = c->body_len - c->body_off;
        if (n > budget)
            n = budget;
        iov[k].iov_base = c->body + c->body_off;
        iov[k].iov_len = n;
        k++;
    }
    if (k > 0) {
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = iov;
        msg.msg_iovlen = (size_t)k;
        ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
        if (n < 0)
            return would_block(errno);
        size_t h = (size_t)n < head_part ? (size_t)n : head_part;
        c->sent += h;
        c->body_off += (size_t)n - h;
    }
    if (c->sent < c->head_len || (c->send_body && c->body_off < c->body_len))
        return true;
    if (c->send_body && c->stream.next) /* the next chunk at the next POLLOUT */
        return true;
    return written(s, c, now_ms);
}

/* Discard what the client still sends after the response. */
static bool drain(struct http_conn *c)
{
    char scratch[4096];
    ssize_t n = recv(c->fd, scratch, sizeof scratch, 0);
    if (n == 0)
        return false;
    if (n < 0)
        return would_block(errno);
    c->drained += (size_t)n;
    return c->drained <= BRIDGE_HTTP_DRAIN_MAX;
}

bool http_conn_event(struct bridge_http_server *s, struct http_conn *c, short revents, int64_t now_ms)
{
    if (revents & (POLLERR | POLLNVAL))
        return false;
    switch (c->state) {
    case HC_HEAD:
        if (!(revents & (POLLIN | POLLHUP)))
            return true;
        if (!read_head(s, c, now_ms))
            return false;
        if (c->state == HC_WRITE) /* answer at once: the socket is writable */
            return write_some(s, c, now_ms);
        return true;
    case HC_WRITE:
        if (!(revents & (POLLOUT | POLLHUP)))
            return true;
        return write_some(s, c, now_ms);
    default:
        if (!(revents & (POLLIN | POLLHUP)))
            return true;
        return drain(c);
    }
}

bool http_conn_expire(struct bridge_http_server *s, struct http_conn *c)
{
    if (c->state == HC_HEAD) {
        s->st.timeouts++;
        http_send_once(c->fd, 408, "the request head did not arrive in time");
    } else if (c->state == HC_WRITE) {
        s->st.timeouts++;
    }
    return false;
}
